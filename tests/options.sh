#!/usr/bin/env bash
# Options (issue 13): every option of ours is listed by -help with its default and a manual page that exists
# (docs/api.md); -ts_snapshot is listed; testing-only options only with -snapshot_developer; -snapshot_test_restep only
# for a snapshot attached to a TS. Usage: options.sh <build dir> <source dir> <mpiexec>. Prints "N passed, M failed".
set -u
build=$1 src=$2 mpiexec=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0 failed=0
verdict() { if [ "$1" = 0 ]; then echo "ok: $2"; passed=$((passed + 1)); else echo "FAIL: $2"; failed=$((failed + 1)); fi; }
count() { grep -cE "$2" "$1"; }
run() { "$mpiexec" -n 1 "$@" -help 2>&1; }
run "$build/examples/heat_retry" -steps 1 > mem.txt
run "$build/examples/checkpoint_restart" -mode run -steps 1 -every 5 > h5.txt
run "$build/examples/checkpoint_restart" -mode run -steps 1 -every 5 -snapshot_developer > dev.txt
run "$build/examples/ts_advect" -steps 1 > ts.txt
run "$build/tests/test_ts_app" > tsapp.txt

# option lines of ours: "  -[prefix]snapshot_...: ..." (PETSc's own viewer lines for -snapshot_view aside)
grep -hE '^  -([a-z]+_)?snapshot[a-z_]*(:| <)' mem.txt h5.txt dev.txt ts.txt tsapp.txt | grep -v PetscOptionsGetViewer | sort -u > ours.txt
n=$(wc -l < ours.txt); bad=0
while read -r line; do
  page=$(sed -nE 's/.*\(([A-Za-z0-9_]+)\)$/\1/p' <<< "$line")
  if [ -z "$page" ] || ! grep -q "^### $page\$" "$src/docs/api.md"; then echo "  no manual page of ours: $line"; bad=1; fi
done < ours.txt
verdict $([ "$n" -ge 12 ] && [ $bad = 0 ]; echo $?) "each of the $n option lines of ours names a manual page of docs/api.md"
bad=0
while read -r line; do
  case "$line" in *"snapshot_view: "*|*"snapshot_monitor <>: "*|*"snapshot_monitor: <>: "*) ;; *"<now "*|*"<"*" : "*">"*) ;; *) echo "  no default: $line"; bad=1 ;; esac
done < ours.txt
verdict $bad "each option line but the viewers (-snapshot_view, -snapshot_monitor) shows its default"
for o in -snapshot_type -snapshot_view -snapshot_monitor -snapshot_monitor_progress -snapshot_skip_unchanged; do
  verdict $([ "$(count mem.txt "^  $o(:| <)")" = 1 ]; echo $?) "memory: -help lists $o once"
done
for o in -snapshot_hdf5_filename -snapshot_hdf5_keep; do verdict $([ "$(count h5.txt "^  $o(:| <)")" = 1 ]; echo $?) "hdf5: -help lists $o"; done
verdict $([ "$(count h5.txt 'snapshot_hdf5_test_')" = 0 ]; echo $?) "hdf5: no testing-only option in a user's -help"
verdict $([ "$(count dev.txt '^  -snapshot_hdf5_test_(fail_after|kill_after|fail_rank)(:| <).*\(PETSCSNAPSHOTHDF5\)$')" = 3 ]; echo $?) "hdf5 with -snapshot_developer: the three testing options, manual page PETSCSNAPSHOTHDF5"
verdict $([ "$(count mem.txt 'snapshot_test_restep')" = 0 ]; echo $?) "no TS attached: -snapshot_test_restep is not offered"
verdict $([ "$(count ts.txt '^  -snapshot_test_restep(:| <).*\(PetscSnapshotSetTestRestep\)$')" = 1 ]; echo $?) "attached to a TS: -snapshot_test_restep offered once"
verdict $([ "$(count tsapp.txt '^  -ts_snapshot: <.*\(PetscSnapshotTSSetFromOptions\)$')" = 1 ]; echo $?) "-ts_snapshot is listed by -help (PetscSnapshotTSSetFromOptions)"
verdict $([ "$(count tsapp.txt '^  -ts_snapshot_test_restep(:| <)')" = 1 ]; echo $?) "the attached snapshot's -ts_snapshot_test_restep is listed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
