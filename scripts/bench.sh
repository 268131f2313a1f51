#!/usr/bin/env bash
# The benchmark suite: every program of bench/ at 1 and 2 ranks, each against its baseline measured in the same run
# (medians over repeats). Prints the tables and writes one CSV; then, if /usr/bin/python3 has matplotlib, PNG plots.
#   scripts/bench.sh [quick]        quick: small sizes and few repeats (a smoke run, about a minute)
# Environment: BUILD_DIR (default ./build, built if needed), OUT (default $BUILD_DIR/bench-out: CSV, files, plots),
#   RANKS (default "1 2"), EXTRA (options passed to every program, e.g. "-reps 3").
# Timings on a shared or loaded machine are noisy: compare rows of one run, not runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
OUT=${OUT:-$BUILD_DIR/bench-out}
RANKS=${RANKS:-"1 2"}
EXTRA=${EXTRA:-}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

if [ ! -d "$BUILD_DIR" ]; then cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null; fi
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target bench_memory bench_swarm bench_hdf5 bench_plex bench_particles bench_ts > /dev/null

if [ "${1:-}" = quick ]; then
  MEM="-sizes 1,16 -reps 3" SWARM="-particles 1e4,1e5 -reps 3" HDF5="-sizes 1,16 -reps 3"
  PLEX="-cells 16,64 -reps 3" PART="-particles 1e3,1e4 -reps 3" TS="-cells 16 -steps 2 -reps 3"
else
  MEM="" SWARM="" HDF5="" PLEX="" PART="" TS=""
fi

mkdir -p "$OUT"
CSV="$OUT/bench.csv"
rm -f "$CSV" "$OUT"/bench-*.h5
run() { # ranks program options...
  local n=$1 prog=$2
  shift 2
  echo "== mpiexec -n $n $prog $*"
  mpiexec -n "$n" "$BUILD_DIR/bench/$prog" -csv "$CSV" -dir "$OUT" "$@" $EXTRA
}

{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
  for n in $RANKS; do
    run "$n" bench_memory $MEM
    run "$n" bench_swarm $SWARM
    run "$n" bench_hdf5 $HDF5
    run "$n" bench_plex -mode save $PLEX
    run "$n" bench_particles -mode save $PART
    run "$n" bench_ts $TS
  done
  # restarts: the files saved on each rank count, restored on each (N->N and N->M)
  for from in $RANKS; do
    for n in $RANKS; do
      run "$n" bench_plex -mode load -from "$from" $PLEX
      run "$n" bench_particles -mode load -from "$from" $PART
    done
  done
  echo "machine after the run: load average $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$OUT/bench.txt"
rm -f "$OUT"/bench-*.h5

echo "CSV: $CSV"
if /usr/bin/python3 -c 'import matplotlib' 2> /dev/null; then
  /usr/bin/python3 scripts/plot-bench.py "$CSV" "$OUT"
else
  echo "no plots: /usr/bin/python3 has no matplotlib (apt-get install python3-matplotlib)"
fi
