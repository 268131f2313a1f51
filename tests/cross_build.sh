#!/usr/bin/env bash
# A snapshot file written by one PETSc build and restored by another (32-bit and 64-bit PetscInt): tests/test_hdf5.c
# writes in a new directory with the first program and reads with the second, at 2 ranks, both ways. The contract:
# restored exactly (the reader's bitwise checks pass) or refused with a clear message naming the integer size; never
# a crash, a hang or a wrong value. usage: cross_build.sh <test_hdf5 of build A> <test_hdf5 of build B>
set -u
a=$(realpath "$1") b=$(realpath "$2")
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
passed=0 failed=0
for pair in "$a $b" "$b $a"; do
  set -- $pair
  work=$(mktemp -d)
  (cd "$work" && timeout 120 mpiexec -n 2 "$1" -mode write > write.log 2>&1)
  if [ $? -ne 0 ]; then echo "FAIL: $1 could not write"; tail -20 "$work/write.log"; failed=$((failed + 1)); rm -rf "$work"; continue; fi
  (cd "$work" && timeout 120 mpiexec -n 2 "$2" -mode read > read.log 2>&1)
  rc=$?
  if [ $rc = 0 ] && grep -q "^ok: reader: restart in a new process continues bitwise" "$work/read.log" && ! grep -q "FAIL:" "$work/read.log"; then
    echo "ok: written by $1, restored exactly by $2"
    passed=$((passed + 1))
  elif [ $rc != 0 ] && [ $rc != 124 ] && grep -qE "PetscInt|[0-9]+-bit (integers|indices)" "$work/read.log" && ! grep -qiE "segmentation|signal" "$work/read.log"; then
    echo "ok: written by $1, refused by $2 naming the integer size: $(grep -m1 -oE "[^]]*(PetscInt|-bit (integers|indices))[^[]*" "$work/read.log")"
    passed=$((passed + 1))
  else
    echo "FAIL: written by $1, read by $2: exit $rc, neither restored exactly nor refused naming the integer size"
    tail -30 "$work/read.log"
    failed=$((failed + 1))
  fi
  rm -rf "$work"
done
echo "$passed passed, $failed failed"
[ $failed = 0 ]
