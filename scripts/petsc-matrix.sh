#!/usr/bin/env bash
# Build and test petsc-snapshot against the PETSc of other Debian releases, each in a chroot made from Debian's
# archive (debootstrap). Needs root, debootstrap and the Debian archive.
#   scripts/petsc-matrix.sh [suite...]      default suites: trixie (PETSc 3.22) sid (PETSc 3.25)
#   scripts/petsc-matrix.sh setup [suite...]  only create/update the chroots
# Environment:
#   PETSC_MATRIX_ROOT  where chroots live, outside the repository (default /work/chroots); a chroot that is present
#                      and complete is reused (warm run), otherwise it is created (cold run, a few minutes)
#   DEBIAN_MIRROR      default http://deb.debian.org/debian
#   JOBS               parallel build/test jobs (default: number of cores)
#   CTEST_ARGS         extra ctest arguments, e.g. "-R test_swarm" while iterating (default: the whole suite)
# The source tree is copied (without build directories and .git) to <chroot>/src; the build directory
# <chroot>/build is kept between runs, so a warm run rebuilds only what changed. Exits non-zero if any suite fails.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
ROOT=${PETSC_MATRIX_ROOT:-/work/chroots}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
JOBS=${JOBS:-$(nproc)}
PACKAGES=(petsc-dev cmake g++ make pkg-config openmpi-bin hdf5-tools libxxhash-dev python3
  python3-petsc4py cython3 python3-numpy python3-mpi4py python3-pytest python3-dev) # the second line: the Python module

case "$ROOT" in "$SRC"|"$SRC"/*) echo "PETSC_MATRIX_ROOT must be outside the repository" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "petsc-matrix.sh needs root (chroot, debootstrap)" >&2; exit 2; }
command -v debootstrap > /dev/null || { echo "petsc-matrix.sh needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }

mode=test
if [ "${1:-}" = setup ]; then mode=setup; shift; fi
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(trixie sid)

MOUNTED=()
cleanup() {
  local m
  for m in "${MOUNTED[@]}"; do umount -l "$m" 2> /dev/null || true; done
}
trap cleanup EXIT

in_chroot() { # in_chroot <dir> <command...>: a clean environment, MPI allowed as root and oversubscribed
  local dir=$1; shift
  chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    OMPI_MCA_rmaps_base_oversubscribe=1 "$@"
}

mount_fs() { # /proc, /sys (hwloc's topology, UCX's interfaces) and a private /dev/shm for MPI's shared memory
  local dir=$1
  mountpoint -q "$dir/proc" || { mount -t proc proc "$dir/proc"; MOUNTED+=("$dir/proc"); }
  mountpoint -q "$dir/sys" || { mount -t sysfs -o ro sysfs "$dir/sys"; MOUNTED+=("$dir/sys"); }
  mkdir -p "$dir/dev/shm"
  mountpoint -q "$dir/dev/shm" || { mount -t tmpfs -o size=2g tmpfs "$dir/dev/shm"; MOUNTED+=("$dir/dev/shm"); }
}

make_chroot() {
  local suite=$1 dir=$ROOT/$1
  if [ -f "$dir/.petsc-matrix-ready" ]; then
    echo "== $suite: reusing $dir"
    # packages added to PACKAGES since the chroot was made
    local missing=() p
    for p in "${PACKAGES[@]}"; do
      in_chroot "$dir" dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "== $suite: installing ${missing[*]}"
    mount_fs "$dir"
    in_chroot "$dir" apt-get -o Acquire::Check-Valid-Until=false update -qq
    in_chroot "$dir" apt-get -o Acquire::Check-Valid-Until=false install -y -qq --no-install-recommends \
      "${missing[@]}" > "$ROOT/$suite-apt.log" 2>&1 || { tail -20 "$ROOT/$suite-apt.log"; return 1; }
    return 0
  fi
  echo "== $suite: creating $dir (debootstrap, then ${PACKAGES[*]})"
  local t0=$SECONDS
  local m
  for m in dev/shm sys proc; do umount -l "$dir.tmp/$m" 2> /dev/null || true; done # a failed earlier attempt
  rm -rf --one-file-system "$dir.tmp"
  mkdir -p "$ROOT"
  debootstrap --variant=minbase "$suite" "$dir.tmp" "$MIRROR" > "$ROOT/$suite-debootstrap.log" 2>&1 \
    || { tail -20 "$ROOT/$suite-debootstrap.log"; return 1; }
  mount_fs "$dir.tmp"
  # The archive's Release files may be past their Valid-Until date.
  in_chroot "$dir.tmp" apt-get -o Acquire::Check-Valid-Until=false update -qq
  in_chroot "$dir.tmp" apt-get -o Acquire::Check-Valid-Until=false install -y -qq --no-install-recommends \
    "${PACKAGES[@]}" > "$ROOT/$suite-apt.log" 2>&1 || { tail -20 "$ROOT/$suite-apt.log"; return 1; }
  umount -l "$dir.tmp/dev/shm" "$dir.tmp/sys" "$dir.tmp/proc"
  touch "$dir.tmp/.petsc-matrix-ready"
  mv "$dir.tmp" "$dir"
  echo "== $suite: created in $((SECONDS - t0)) s"
}

# PETSc's installed examples (the tutorial tests build them): the package is named after the PETSc version the suite
# has (libpetsc3.22-dev-examples), so it is found after petsc-dev is in.
ensure_examples() {
  local suite=$1 dir=$ROOT/$1 v
  v=$(in_chroot "$dir" sh -c 'ls /usr/share/petsc | sort -V | tail -1')
  in_chroot "$dir" dpkg-query -W -f='${Status}' "libpetsc$v-dev-examples" 2> /dev/null | grep -q "install ok installed" && return 0
  echo "== $suite: installing libpetsc$v-dev-examples"
  mount_fs "$dir"
  in_chroot "$dir" apt-get -o Acquire::Check-Valid-Until=false update -qq
  in_chroot "$dir" apt-get -o Acquire::Check-Valid-Until=false install -y -qq --no-install-recommends \
    "libpetsc$v-dev-examples" > "$ROOT/$suite-apt.log" 2>&1 || { tail -20 "$ROOT/$suite-apt.log"; return 1; }
}

ensure_chroot() { make_chroot "$1" && ensure_examples "$1"; }

run_suite() {
  local suite=$1 dir=$ROOT/$1
  mount_fs "$dir"
  # Fresh copy of the sources (mtimes kept, so the cached build directory rebuilds only what changed).
  rm -rf "$dir/src"
  mkdir -p "$dir/src"
  tar -C "$SRC" --exclude=./.git --exclude='./build*' -cf - . | tar -C "$dir/src" -xf -
  local petsc
  petsc=$(in_chroot "$dir" pkg-config --modversion PETSc 2> /dev/null || echo unknown)
  echo "== $suite: PETSc $petsc: configure, build, ctest"
  in_chroot "$dir" bash -c "set -e; cmake -S /src -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
    cmake --build /build -j $JOBS
    cd /build && ctest -j $JOBS --output-on-failure ${CTEST_ARGS:-}"
}

failed=()
# Missing chroots are made in parallel (mostly waiting on the archive), each in its own process with its own mounts.
pids=()
for s in "${SUITES[@]}"; do
  ( trap cleanup EXIT; ensure_chroot "$s" ) &
  pids+=($!)
done
ready=()
for i in "${!SUITES[@]}"; do
  if wait "${pids[$i]}"; then ready+=("${SUITES[$i]}"); else failed+=("${SUITES[$i]}(setup)"); fi
done
[ "$mode" = setup ] && ready=()
for s in "${ready[@]}"; do
  t0=$SECONDS
  if run_suite "$s"; then
    echo "== $s: PASSED ($((SECONDS - t0)) s)"
  else
    echo "== $s: FAILED ($((SECONDS - t0)) s)"
    failed+=("$s")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "petsc-matrix: failed: ${failed[*]}"
  exit 1
fi
echo "petsc-matrix: all passed: ${SUITES[*]}"
