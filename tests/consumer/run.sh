#!/usr/bin/env bash
# Install petsc-snapshot into a scratch prefix, then build and run the main example three ways against the install:
# find_package(PetscSnapshot), makefile.petsc, and pkg-config. Prints "N passed, M failed".
set -u
build=$1 src=$2 mpiexec=$3 python=${4:-} pydir=${5:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { # name command...
  local name=$1; shift
  if "$@" > "$work/log" 2>&1; then echo "ok: $name"; passed=$((passed + 1))
  else echo "FAIL: $name"; tail -20 "$work/log"; failed=$((failed + 1)); fi
}
runs() { # exe: the example must run and report that rejected steps left no trace
  "$mpiexec" -n 2 --oversubscribe "$1" -steps 3 | grep -q "left no trace"
}
check "cmake --install" cmake --install "$build" --prefix "$work/prefix"
check "installed header and pkg-config file" test -f "$work/prefix/include/petscsnapshot.h" -a -f "$work/prefix/lib/pkgconfig/petscsnapshot.pc"
check "find_package(PetscSnapshot) consumer configures and builds" \
  bash -c "cmake -S '$src/tests/consumer' -B '$work/consumer' -DCMAKE_PREFIX_PATH='$work/prefix' -DEXAMPLES_DIR='$src/examples' && cmake --build '$work/consumer'"
check "find_package consumer runs" runs "$work/consumer/heat_retry"
check "makefile.petsc builds against the install" make -s -f "$src/makefile.petsc" PETSCSNAPSHOT_DIR="$work/prefix" OUT="$work/make"
check "makefile.petsc build runs" runs "$work/make/heat_retry"
check "pkg-config build" bash -c "mpicc \$(PKG_CONFIG_PATH='$work/prefix/lib/pkgconfig' pkg-config --cflags petscsnapshot) -I'$src/examples' '$src/examples/heat_retry.c' -o '$work/pc_heat' \$(PKG_CONFIG_PATH='$work/prefix/lib/pkgconfig' pkg-config --libs petscsnapshot) -lm -Wl,-rpath,'$work/prefix/lib'"
check "pkg-config build runs" runs "$work/pc_heat"
if [ -n "$python" ]; then # the Python module, when it was built: installed, found from the prefix, usable
  check "installed Python module imports and captures" env PYTHONPATH="$work/prefix/$pydir" "$python" -c "
import petscsnapshot, os
assert os.path.realpath(os.path.dirname(petscsnapshot.__file__)) == os.path.realpath('$work/prefix/$pydir'), petscsnapshot.__file__
from petsc4py import PETSc
dm = PETSc.DMPlex().createBoxMesh([2, 2], simplex=False)
dm.setName('mesh')
with petscsnapshot.Snapshot().create() as snap:
    snap.capture(dm)
    assert snap.hasDM(dm)
dm.destroy()"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
