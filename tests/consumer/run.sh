#!/usr/bin/env bash
# Install petsc-snapshot into a scratch prefix, MOVE the prefix elsewhere (nothing may point into the old place), then
# build a C program (examples/heat_retry.c) and a C++ program (consumer.cxx) three ways against the moved prefix:
# find_package(PetscSnapshot), pkg-config petscsnapshot, and the makefile fragment lib/petscsnapshot/conf/variables;
# run each at 2 ranks; run the moved prefix's bin/petscsnapshot-info (when it was built: info_tool=1) on a file that
# program wrote, without LD_LIBRARY_PATH. Prints "N passed, M failed".
set -u
build=$1 src=$2 mpiexec=$3 petsc_dir=$4 python=${5:-} pydir=${6:-} info_tool=${7:-} chosen=${8:-FALSE} petsc_libdir=${9:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { # name command...
  local name=$1; shift
  if "$@" > "$work/log" 2>&1; then echo "ok: $name"; passed=$((passed + 1))
  else echo "FAIL: $name"; tail -20 "$work/log"; failed=$((failed + 1)); fi
}
runs() { # the C example must report that rejected steps left no trace; the C++ program its exact restore; both
  # load the PETSc the package was built against
  { [ "$chosen" != TRUE ] || ldd "$1/heat_retry" | grep -F libpetsc | grep -qF "$petsc_libdir/"; } &&
  "$mpiexec" -n 2 --oversubscribe "$1/heat_retry" -steps 3 | grep -q "left no trace" &&
    "$mpiexec" -n 2 --oversubscribe "$1/consumer_cxx" | grep -q "^ok: C++ consumer restored"
}
check "cmake --install" cmake --install "$build" --prefix "$work/installed"
mv "$work/installed" "$work/moved"
p=$work/moved
check "installed LICENSE, header, pkg-config file, makefile fragment, CMake config" \
  test -f "$p/share/doc/petscsnapshot/LICENSE" -a -f "$p/include/petscsnapshot.h" -a -f "$p/lib/pkgconfig/petscsnapshot.pc" \
    -a -f "$p/lib/petscsnapshot/conf/variables" -a -f "$p/lib/cmake/PetscSnapshot/PetscSnapshotConfig.cmake"
check "manual pages installed: an index, a page per symbol, cross-links between pages" bash -c \
  "grep -q 'PetscSnapshotCapture.html' '$p/share/doc/petscsnapshot/html/index.html' && grep -q 'href=\"PetscSnapshotRestore.html\"' '$p/share/doc/petscsnapshot/html/PetscSnapshotCapture.html'"
check "no file of the moved prefix names the install directory" bash -c "! grep -rlI '$work/installed' '$p'"
check "the CMake package defines no PETSc::PETSc and no absolute PETSc include directory" \
  bash -c "! grep -rE 'PETSc::PETSc|/usr/include/hdf5|petscdir' '$p/lib/cmake/PetscSnapshot/PetscSnapshotConfig.cmake' '$p/lib/cmake/PetscSnapshot/PetscSnapshotTargets.cmake' | grep -v 'set(PetscSnapshot_PETSC_ROOT '"
if [ "$chosen" = TRUE ]; then # built against a PETSc chosen with PETSC_DIR/PETSC_ARCH: the package requires that one
  check "pkg-config: names the PETSc built against (petsc_root, its library directory), requires no other" \
    bash -c "[ \"\$(PKG_CONFIG_PATH='$p/lib/pkgconfig' pkg-config --variable=petsc_root petscsnapshot)\" = '$petsc_dir' ] &&
      PKG_CONFIG_PATH='$p/lib/pkgconfig' pkg-config --libs petscsnapshot | grep -qF -- '-L$petsc_libdir' &&
      ! PKG_CONFIG_PATH='$p/lib/pkgconfig' pkg-config --print-requires petscsnapshot | grep -q PETSc"
else
  check "pkg-config: Requires PETSc of the minor release built against" \
    bash -c "PKG_CONFIG_PATH='$p/lib/pkgconfig' pkg-config --print-requires petscsnapshot | grep -E '^PETSc >= [0-9]+\.[0-9]+' "
fi
mkdir -p "$work/nopetsc" "$work/quiet-src" # find_package(PetscSnapshot QUIET) where there is no PETSc: not found, no error
printf 'cmake_minimum_required(VERSION 3.13)\nproject(quiet C)\nfind_package(PetscSnapshot QUIET)\nmessage(STATUS "PetscSnapshot_FOUND=${PetscSnapshot_FOUND}")\n' > "$work/quiet-src/CMakeLists.txt"
check "find_package(PetscSnapshot QUIET) without PETSc: configures, PetscSnapshot_FOUND false" bash -c \
  "cmake -S '$work/quiet-src' -B '$work/quiet' -DCMAKE_PREFIX_PATH='$p' -DPETSC_DIR='$work/nopetsc' > '$work/quiet.log' 2>&1; rc=\$?; cat '$work/quiet.log'; [ \$rc = 0 ] && grep -q 'PetscSnapshot_FOUND=0' '$work/quiet.log'"

mkdir -p "$work/cmake" "$work/pc" "$work/make"
check "find_package(PetscSnapshot): C and C++ consumers configure and build" \
  bash -c "cmake -S '$src/tests/consumer' -B '$work/cmake' -DCMAKE_PREFIX_PATH='$p' -DEXAMPLES_DIR='$src/examples' && cmake --build '$work/cmake'"
check "find_package(PetscSnapshot) builds run at 2 ranks" runs "$work/cmake"
if [ "$info_tool" = 1 ]; then # the installed tool finds the library through its relative run path, nothing else
  check "installed bin/petscsnapshot-info: run path relative to the prefix (\$ORIGIN/../lib...)" bash -c \
    "readelf -d '$p/bin/petscsnapshot-info' | grep -E 'R(UN)?PATH' | grep -qF '[\$ORIGIN/../'"
  check "moved prefix: bin/petscsnapshot-info --verify on a file of 2 writers, without LD_LIBRARY_PATH" bash -c "
    '$mpiexec' -n 2 --oversubscribe '$work/cmake/consumer_cxx' -snapshot_type hdf5 -snapshot_hdf5_filename '$work/consumer.h5' &&
    env -u LD_LIBRARY_PATH '$p/bin/petscsnapshot-info' --verify '$work/consumer.h5' > '$work/info.txt' 2>&1; rc=\$?
    cat '$work/info.txt'; [ \$rc = 0 ] && grep -q '^  written by 2 MPI ranks' '$work/info.txt' &&
    grep -q 'checks passed, 0 failed: the file is intact\$' '$work/info.txt' && grep -q '\"line\"' '$work/info.txt'"
fi

fake=$work/fake-petsc # a PETSc of another minor release: the package must refuse it, naming both versions
mkdir -p "$fake/lib/petsc/conf" "$fake/include" && touch "$fake/lib/libpetsc.so"
printf 'PETSC_CC_INCLUDES = -I%s/include\nPETSC_LIB_BASIC = -lpetsc\n' "$fake" > "$fake/lib/petsc/conf/petscvariables"
printf '#define PETSC_VERSION_MAJOR 3\n#define PETSC_VERSION_MINOR 99\n#define PETSC_VERSION_SUBMINOR 0\n' > "$fake/include/petscversion.h"
check "find_package(PetscSnapshot) refuses a PETSc of another minor release (PETSC_DIR)" bash -c \
  "! cmake -S '$src/tests/consumer' -B '$work/cmake-fake' -DCMAKE_PREFIX_PATH='$p' -DEXAMPLES_DIR='$src/examples' -DPETSC_DIR='$fake' > '$work/fake.log' 2>&1 &&
   grep -q 'was built against PETSc [0-9.]*, but the PETSc found is' '$work/fake.log' && grep -q '3.99.0 (' '$work/fake.log'"

complex=$work/complex-petsc # a PETSc with complex scalars: the build refuses it at configure, saying why
mkdir -p "$complex/lib/petsc/conf" "$complex/include" && touch "$complex/lib/libpetsc.so"
printf 'PETSC_CC_INCLUDES = -I%s/include\nPETSC_LIB_BASIC = -lpetsc\n' "$complex" > "$complex/lib/petsc/conf/petscvariables"
printf '#define PETSC_USE_COMPLEX 1\n' > "$complex/include/petscconf.h"
cp "$fake/include/petscversion.h" "$complex/include/" && sed -i 's/MINOR 99/MINOR 18/' "$complex/include/petscversion.h"
check "configure refuses a PETSc with complex scalars, naming the reason" bash -c \
  "! cmake -S '$src' -B '$work/build-complex' -DPETSC_DIR='$complex' > '$work/complex.log' 2>&1 &&
   grep -q 'complex scalars are not supported' '$work/complex.log'"

pc() { PKG_CONFIG_PATH="$p/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" pkg-config "$@" petscsnapshot; }
check "pkg-config: C and C++ consumers build (rpath from the rpath variable)" bash -c "
  mpicc $(pc --cflags) -I'$src/examples' '$src/examples/heat_retry.c' -o '$work/pc/heat_retry' $(pc --libs) $(pc --variable=rpath) -lm &&
  mpicxx $(pc --cflags) '$src/tests/consumer/consumer.cxx' -o '$work/pc/consumer_cxx' $(pc --libs) $(pc --variable=rpath)"
check "pkg-config builds run at 2 ranks" runs "$work/pc"

check "makefile fragment: C and C++ consumers build" \
  make -f "$src/tests/consumer/makefile" PETSC_DIR="$petsc_dir" PETSCSNAPSHOT_DIR="$p" EXAMPLES_DIR="$src/examples" OUT="$work/make"
check "makefile fragment builds run at 2 ranks" runs "$work/make"
check "makefile fragment finds its prefix when PETSCSNAPSHOT_DIR is unset" bash -c \
  "printf 'include %s\nshow:\n\t@echo \$(PETSCSNAPSHOT_DIR)\n' '$p/lib/petscsnapshot/conf/variables' > '$work/show.mk' && [ \"\$(make -s -f '$work/show.mk' show)\" = '$p' ]"
if [ -n "$python" ]; then # the Python module, when it was built: installed, found from the prefix, usable
  check "installed Python module imports and captures" env PYTHONPATH="$p/$pydir" "$python" -c "
import petscsnapshot, os
assert os.path.realpath(os.path.dirname(petscsnapshot.__file__)) == os.path.realpath('$p/$pydir'), petscsnapshot.__file__
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
