#!/usr/bin/env bash
# The suite's "builds" subset (tests labelled builds: every source file's paths, tests/CMakeLists.txt) against the
# other PETSc builds Debian bookworm ships beside its default one, and a file written by each build read by the other:
#   debug  Debian's debug PETSc (PETSc's argument checks on, malloc debugging on by default), libpetsc-real3.18-dbg:
#          PETSC_DIR=/usr/lib/petscdir/petsc3.18 PETSC_ARCH=x86_64-linux-gnu-real-debug
#   int64  64-bit PetscInt, libpetsc64-real3.18-dev: PETSC_DIR=/usr/lib/petscdir/petsc64-3.18 PETSC_ARCH=x86_64-linux-gnu-real
#   scripts/petsc-builds.sh [debug] [int64]     default: both
# Environment: JOBS (default: number of cores), CTEST_ARGS (e.g. "-L builds -R test_swarm"), BUILD_PREFIX (default
# ./build-). Installs the packages when missing (root, Debian's archive). Exits non-zero if any run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
PREFIX=${BUILD_PREFIX:-build-}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
BUILDS=("$@")
[ ${#BUILDS[@]} -gt 0 ] || BUILDS=(debug int64)

declare -A PKG=([debug]=libpetsc-real3.18-dbg [int64]=libpetsc64-real3.18-dev)
declare -A DIR=([debug]=/usr/lib/petscdir/petsc3.18 [int64]=/usr/lib/petscdir/petsc64-3.18)
declare -A ARCH=([debug]=x86_64-linux-gnu-real-debug [int64]=x86_64-linux-gnu-real)

missing=()
for b in "${BUILDS[@]}"; do
  dpkg-query -W -f='${Status}' "${PKG[$b]}" 2> /dev/null | grep -q "install ok installed" || missing+=("${PKG[$b]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
fi

status=0
for b in "${BUILDS[@]}"; do
  start=$SECONDS
  dir=$PREFIX$b
  echo "== $b: PETSC_DIR=${DIR[$b]} PETSC_ARCH=${ARCH[$b]} in $dir"
  PETSC_DIR=${DIR[$b]} PETSC_ARCH=${ARCH[$b]} cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPETSCSNAPSHOT_BUILD_BENCHMARKS=OFF -DPETSCSNAPSHOT_BUILD_PYTHON=OFF > "$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; exit 1; }
  grep -E "^-- (PETSc|PT-Scotch)" "$dir.configure.log" || true
  cmake --build "$dir" -j "$JOBS" > "$dir.build.log" 2>&1 || { tail -40 "$dir.build.log"; exit 1; }
  # shellcheck disable=SC2086
  if ! (cd "$dir" && ctest --output-on-failure -j "$JOBS" ${CTEST_ARGS:--L builds}); then
    echo "== $b: FAILED"
    status=1
  fi
  echo "== $b: done in $((SECONDS - start)) s"
done

# A file written by the default build (32-bit PetscInt) restored by the 64-bit one, and the other way round
if [[ " ${BUILDS[*]} " == *" int64 "* ]] && [ -x build/tests/test_hdf5 ]; then
  if ! bash tests/cross_build.sh build/tests/test_hdf5 "${PREFIX}int64/tests/test_hdf5"; then status=1; fi
fi
exit $status
