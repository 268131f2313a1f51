#!/usr/bin/env bash
# A full disk and a read-only directory for the hdf5 type: a 1 MB tmpfs, mounted when running as root (skipped with a
# message otherwise). usage: hdf5_diskfull.sh <test_hdf5_faults> <mpiexec command...>
set -u
exe=$1
shift
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: mounting a small tmpfs needs root"
  exit 0
fi
dir=$(mktemp -d)
cleanup() {
  umount "$dir" 2> /dev/null
  rmdir "$dir" 2> /dev/null
}
trap cleanup EXIT
trap 'exit 1' TERM INT
if ! mount -t tmpfs -o size=1m tmpfs "$dir"; then
  echo "skipped: cannot mount a tmpfs here"
  exit 0
fi
"$@" -n 2 "$exe" -malloc_debug -malloc_dump -mode diskfull -dir "$dir"
rc=$?
if [ $rc -eq 0 ]; then
  mount -o remount,ro "$dir" || exit 1
  "$@" -n 2 "$exe" -malloc_debug -malloc_dump -mode readonly -dir "$dir"
  rc=$?
fi
exit $rc
