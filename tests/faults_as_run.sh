#!/usr/bin/env bash
# One fault case of tests/fault_program.c, run the way users run programs, both ways: under PETSc's default error
# handler (main returns the error, as PETSc's examples do) and with a catching handler (-catch). Each run is its own
# set of processes under a timeout. Checked for each: the run fails (exit code not 0) on every rank with the expected
# message printed, every process has exited within FAULT_EXIT_LIMIT seconds of the faulting call (PETSc's traceback
# handler makes the other ranks of a communicator sleep 10 s before exit(0): a collective error raised on a
# communicator would be seen here), no temporary is left, and for a failed capture the previous file is intact and
# restores exactly in a new process.
# usage: faults_as_run.sh <fault_program> <petscsnapshot-info or -> <np> <case> <mpiexec command...>
set -u
exe=$1 info=$2 np=$3 case=$4
shift 4
mpiexec=("$@")
limit=${FAULT_EXIT_LIMIT:-2}
passed=0 failed=0
check() { # check <condition-exit-code> <what>
  if [ "$1" = 0 ]; then
    echo "ok: $case np$np $handler: $2"
    passed=$((passed + 1))
  else
    echo "FAIL: $case np$np $handler: $2"
    failed=$((failed + 1))
  fi
}

# what the error must say, per case
case $case in
  h5_write_one) expect="failure injected on this rank" opts="-snapshot_hdf5_test_fail_after 2 -snapshot_hdf5_test_fail_rank 1" ;;
  h5_write_all) expect="failure injected after writing 2 datasets" opts="-snapshot_hdf5_test_fail_after 2" ;;
  h5_diskfull) expect="No space left on device|no room|HDF5|cannot" opts="" ;;
  h5_readonly) expect="cannot create .*ckpt.h5.tmp" opts="" ;;
  h5_callback_one | mem_callback_one) expect="capture function failed on rank 1" opts="" ;;
  h5_names_differ | mem_names_differ) expect="has another name on some rank" opts="" ;;
  h5_decl_differ | mem_decl_differ) expect="u again" opts="" ;;
  h5_restore_damaged) expect="checksum|damaged|corrupt|refus" opts="" ;;
  h5_restore_truncated) expect="truncated|cannot|refus|HDF5" opts="" ;;
  h5_restore_missing) expect="missing.h5" opts="" ;;
  mem_restore_empty) expect="nothing was captured" opts="" ;;
  h5_restore_layout | mem_restore_layout) expect="refusing to restore DM \"mesh\"" opts="" ;;
  h5_restore_names_differ | mem_restore_names_differ) expect="has another name on some rank" opts="" ;;
  h5_restore_callback_one | mem_restore_callback_one) expect="restore function failed on rank 1" opts="" ;;
  *) echo "FAIL: unknown case $case"; exit 1 ;;
esac
capture_case=0
case $case in h5_write_* | h5_diskfull | h5_readonly | h5_callback_one | h5_names_differ | h5_decl_differ) capture_case=1 ;; esac
needs_good=0
case $case in h5_*) [ "$case" != h5_restore_missing ] && needs_good=1 ;; esac

mounted=""
cleanup() {
  [ -n "$mounted" ] && umount "$mounted" 2> /dev/null
  [ -n "${work:-}" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' TERM INT

for handler in default catch; do
  work=$(mktemp -d)
  dir=$work
  if [ "$case" = h5_diskfull ] || [ "$case" = h5_readonly ]; then
    if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=2m tmpfs "$work"; then
      echo "skipped: $case needs root to mount a small tmpfs"
      exit 0
    fi
    mounted=$work
  fi
  if [ $needs_good = 1 ]; then
    timeout 60 "${mpiexec[@]}" -n "$np" "$exe" -case "$case" -stage good -dir "$dir" > "$work.good" 2>&1
    check $? "the previous file is written"
  fi
  [ "$case" = h5_readonly ] && mount -o remount,ro "$work"
  flags=()
  [ $handler = catch ] && flags=(-catch -malloc_dump)
  # shellcheck disable=SC2086
  timeout 30 "${mpiexec[@]}" -n "$np" "$exe" -case "$case" -dir "$dir" -mark "$work" "${flags[@]}" $opts > "$work.out" 2>&1
  rc=$?
  ended=$(date +%s.%N)
  [ $rc -ne 124 ] && [ $rc -ne 137 ]
  check $? "ends by itself (exit code $rc; 124: killed by the timeout)"
  [ $rc -ne 0 ]
  check $? "fails"
  grep -Eq "$expect" "$work.out"
  check $? "prints the error (/$expect/)"
  if [ $handler = default ]; then
    # every rank prints it: nobody left early
    [ "$(grep -c -- '--------------------- Error Message' "$work.out")" -ge "$np" ]
    check $? "the error is printed by each of the $np ranks"
  else
    grep -q "caught on every rank" "$work.out"
    check $? "every rank caught the error"
    if grep -q "state after the refusal" "$work.out"; then
      grep -q "state after the refusal: unchanged" "$work.out"
      check $? "a refused restore wrote nothing"
    fi
    ! grep -Eq "[0-9]+ bytes [A-Za-z_]+\(\) (line|at)" "$work.out"
    check $? "no leak after the caught error (-malloc_dump)"
  fi
  # default handler: every process has exited; catching: the error has returned on every rank (the program then
  # cleans up and calls PetscFinalize())
  [ $handler = default ] && endfile="" || endfile=$work.returned
  if [ -f "$work.started" ] && { [ -z "$endfile" ] || [ -f "$endfile" ]; }; then
    [ -n "$endfile" ] && ended=$(cat "$endfile")
    took=$(awk -v a="$ended" -v b="$(cat "$work.started")" 'BEGIN { printf "%.2f", a - b }')
    [ $handler = default ] && what="every process exited" || what="the error returned on every rank"
    echo "   $what $took s after the faulting call"
    awk -v t="$took" -v l="$limit" 'BEGIN { exit !(t < l) }'
    check $? "$what within $limit s of the faulting call"
  else
    check 1 "the faulting call was reached and its error returned"
  fi
  leftover=$(find "$dir" \( -name '*.tmp' -o -name '*.reserve' \) 2> /dev/null)
  [ -z "$leftover" ]
  check $? "no temporary is left ($leftover)"
  if [ $capture_case = 1 ]; then
    timeout 60 "${mpiexec[@]}" -n "$np" "$exe" -case "$case" -stage verify -dir "$dir" > "$work.verify" 2>&1
    check $? "the previous file restores exactly in a new process"
    if [ "$info" != - ]; then
      "$info" --verify "$dir/ckpt.h5" > "$work.info" 2>&1
      check $? "petscsnapshot-info --verify: the previous file is intact"
    fi
  fi
  if [ $failed -gt 0 ]; then
    for f in "$work.good" "$work.out" "$work.verify" "$work.info"; do
      [ -f "$f" ] && { echo "---- $(basename "$f"):"; tail -n 40 "$f"; }
    done
  fi
  rm -f "$work.good" "$work.out" "$work.verify" "$work.info" "$work.started" "$work.returned"
  [ -n "$mounted" ] && { umount "$mounted"; mounted=""; }
  rm -rf "$work"
  work=""
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
