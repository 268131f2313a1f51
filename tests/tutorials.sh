#!/usr/bin/env bash
# One of PETSc's own tutorials, compiled as PETSc ships it and not linked with petsc-snapshot, run the way a user would
# run it with the package loaded by -dll_append (every run with -malloc_dump) (tests/CMakeLists.txt registers the cases):
#   tutorials.sh <mpiexec> <ranks> <libpetscsnapshot.so> <libsnapshot_replay.so> <program> <mode> <program options...>
# mode replay: the options make the adaptive controller reject steps; checked, bitwise (cmp of -ts_view_solution):
#   1. the package loaded without -ts_snapshot changes nothing: the run equals the plain run;
#   2. with -ts_snapshot every rejected step is rolled back (the snapshot's view counts them, at least one) and the run
#      equals a replay of its accepted steps (the step sizes recorded by tests/replay_plugin.c, replayed without any
#      rejection by a plain run);
#   3. with -ts_snapshot_test_restep alone every step is taken twice and none differs (the TS is all the state).
# mode restep: -ts_snapshot_test_restep reports the state that escapes the TS (expected text in RESTEP_EXPECT).
# mode composed: -ts_snapshot captures the objects composed on the TS (the view shows CAPTURED_EXPECT).
# mode prefix: PREFIX_OPTION (e.g. -part_ts_snapshot) attaches to the TS of that prefix only.
set -uo pipefail
mpiexec=$1 np=$2 lib=$3 plugin=$4 program=$5 mode=$6
shift 6
work=$(mktemp -d "${TMPDIR:-/tmp}/tutorial.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failed=0
fail() { echo "FAIL: $*"; failed=1; }
ok() { echo "ok: $*"; }
run() { # run <name> <options...>: the program at <ranks>, output in <name>.out; a failed run fails the test
  local name=$1; shift
  if ! timeout 120 "$mpiexec" -n "$np" "$program" -malloc_dump "$@" > "$name.out" 2>&1; then
    fail "the $name run failed:"; grep -a -m5 "ERROR: [A-Za-z]" "$name.out" || tail -5 "$name.out"
    return 1
  fi
  if grep -qE "[0-9]+ bytes [A-Za-z_]+\(\) (line|at)" "$name.out"; then fail "the $name run leaked (-malloc_dump)"; fi
}
same() { # same <a> <b> <what>
  if cmp -s "$1" "$2"; then ok "$3"; else fail "$3 (solutions differ)"; fi
}

case "$mode" in
replay)
  run plain "$@" -ts_view_solution binary:plain.bin || exit 1
  run off "$@" -dll_append "$lib,$plugin" -ts_adapt_record_file off.steps -ts_view_solution binary:off.bin || exit 1
  same plain.bin off.bin "loaded with -dll_append but without -ts_snapshot: bitwise the plain run"
  run attached "$@" -dll_append "$lib,$plugin" -ts_snapshot -ts_snapshot_view -ts_adapt_record_file attached.steps \
    -ts_view_solution binary:attached.bin || exit 1
  rolled=$(sed -n 's/^ *TS: \([0-9]*\) rejected steps rolled back.*/\1/p' attached.out)
  if [ -n "$rolled" ] && [ "$rolled" -gt 0 ]; then ok "-ts_snapshot attached and rolled back $rolled rejected steps"
  else fail "-ts_snapshot: no rejected step rolled back (view: $(grep -m1 'TS:' attached.out))"; fi
  run replay "$@" -dll_append "$plugin" -ts_adapt_type replay -ts_adapt_replay_file attached.steps \
    -ts_dt "$(head -1 attached.steps)" -ts_view_solution binary:replay.bin -ts_view || exit 1
  grep -q "total number of rejected steps=0" replay.out || fail "the replay rejected steps"
  same attached.bin replay.bin "with -ts_snapshot: bitwise the replay of its $(wc -l < attached.steps) accepted steps"
  run restep "$@" -dll_append "$lib" -ts_snapshot_test_restep -ts_snapshot_view || exit 1
  line=$(grep -m1 "restep check: [0-9]* steps taken twice" restep.out)
  if [[ "$line" =~ restep\ check:\ ([0-9]+)\ steps\ taken\ twice,\ 0\ differed ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
    ok "-ts_snapshot_test_restep: ${BASH_REMATCH[1]} steps taken twice, none differed"
  else fail "-ts_snapshot_test_restep: expected steps taken twice and none differing, view says: $line"; fi
  if grep -q "PetscSnapshot restep check" restep.out; then fail "-ts_snapshot_test_restep reported: $(grep -m1 'PetscSnapshot restep check' restep.out)"; fi
  ;;
restep)
  run restep "$@" -dll_append "$lib" -ts_snapshot_test_restep -ts_snapshot_view || exit 1
  if grep -q -- "$RESTEP_EXPECT" restep.out; then ok "-ts_snapshot_test_restep reports: $(grep -m1 -- "$RESTEP_EXPECT" restep.out | cut -c1-200)"
  else fail "-ts_snapshot_test_restep: no report containing '$RESTEP_EXPECT'"; grep -m3 "restep" restep.out; fi
  ;;
composed)
  run composed "$@" -dll_append "$lib" -ts_snapshot -ts_snapshot_view || exit 1
  if grep -q -- "$CAPTURED_EXPECT" composed.out; then ok "-ts_snapshot captures the objects composed on the TS: $(grep -m1 -- "$CAPTURED_EXPECT" composed.out | sed 's/^ *//')"
  else fail "-ts_snapshot: the view has no '$CAPTURED_EXPECT'"; fi
  ;;
prefix)
  run prefixed "$@" -dll_append "$lib" "$PREFIX_OPTION" "${PREFIX_OPTION}_view" || exit 1
  snapPrefix=${PREFIX_OPTION#-}; snapPrefix=${snapPrefix%snapshot} # -part_ts_snapshot: the snapshot's prefix part_ts_
  views=$(grep -c "^PetscSnapshot Object: ($snapPrefix)" prefixed.out)
  others=$(grep "^PetscSnapshot Object:" prefixed.out | grep -vc "($snapPrefix)")
  if [ "$views" -gt 0 ] && [ "$others" -eq 0 ]; then ok "$PREFIX_OPTION attached to the TS of that prefix only ($views views)"
  else fail "$PREFIX_OPTION: $views views of the prefixed snapshot, $others of others"; fi
  ;;
*) echo "tutorials.sh: unknown mode $mode"; exit 2 ;;
esac
[ $failed -eq 0 ] && echo "passed" || echo "failed"
exit $failed
