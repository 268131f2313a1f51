#!/usr/bin/env bash
# petsc-snapshot developer entry point. Works on a fresh Debian bookworm machine:
#   scripts/dev.sh example   install what is missing, build, run the main example (2 MPI ranks)
#   scripts/dev.sh test      install what is missing, build, run the whole test suite (ctest)
#   scripts/dev.sh deps|build
# Environment: BUILD_DIR (default ./build), JOBS (default: number of cores), PETSC_DIR/PETSC_ARCH (optional).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
PACKAGES=(petsc-dev hdf5-tools cmake g++ make pkg-config openmpi-bin libxxhash-dev
  python3-petsc4py cython3 python3-numpy python3-mpi4py python3-pytest python3-dev) # the second line: the Python module

# OpenMPI refuses to run as root without these; tests at 3-4 ranks on 2 cores need oversubscription.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
}

# PETSc's installed examples, which the tutorial tests build: named after the PETSc version (libpetsc3.18-dev-examples).
examples() {
  local v sudo=""
  v=$(ls /usr/share/petsc 2> /dev/null | sort -V | tail -1)
  [ -n "$v" ] || return 0
  dpkg-query -W -f='${Status}' "libpetsc$v-dev-examples" 2> /dev/null | grep -q "install ok installed" && return 0
  echo "installing: libpetsc$v-dev-examples"
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "libpetsc$v-dev-examples" > /dev/null
}

build() {
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

case "${1:-}" in
  deps) deps && examples ;;
  build) deps && examples && build ;;
  example)
    deps && examples && build
    mpiexec -n 2 "$BUILD_DIR/examples/heat_retry" -snapshot_view "${@:2}"
    ;;
  test)
    deps && examples && build
    cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS" "${@:2}"
    ;;
  *) echo "usage: $0 example|test|deps|build"; exit 2 ;;
esac
