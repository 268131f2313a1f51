/* What every benchmark program of bench/ shares: timing (median over repeats of the slowest rank's time, each repeat
   between barriers), the table printed on rank 0, and the CSV rows appended to the file -csv names.

   CSV columns (one row per measured operation):
     bench,case,op,ranks,bytes_per_rank,items_per_rank,baseline,baseline_ms,ms,ratio,gb_per_s,reps,
     baseline_cpu_ms,cpu_ms,cpu_ratio,baseline_best_ms,best_ms
   ms: wall-clock time; ratio = ms / baseline_ms (empty when the row has no baseline); gb_per_s = bytes over all ranks
   / wall-clock time. cpu_ms: the CPU time this process used during the operation (CLOCK_PROCESS_CPUTIME_ID, the
   maximum over ranks, median over repeats): on a machine shared with other jobs it is less disturbed by the time
   the process waits for a core, which wall-clock time includes. best_ms: the minimum wall-clock time over repeats,
   the repeat least disturbed by other jobs. */
#ifndef PETSCSNAPSHOT_BENCHUTIL_H
#define PETSCSNAPSHOT_BENCHUTIL_H

#include <petscsnapshot.h>
#include "hdf5_snapshot.h" /* examples/ */
#include <petsctime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  const char *bench;                  /* the program's name, first CSV column */
  char        csv[PETSC_MAX_PATH_LEN]; /* -csv <file>: rows appended; none: table only */
  PetscInt    reps;                   /* -reps <n>: repeats of each measurement */
  PetscMPIInt ranks;
} Bench;

static PetscErrorCode BenchInit(const char name[], PetscInt defaultReps, Bench *b)
{
  PetscFunctionBeginUser;
  b->bench  = name;
  b->csv[0] = 0;
  b->reps   = defaultReps;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-csv", b->csv, sizeof(b->csv), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-reps", &b->reps, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &b->ranks));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: %d rank%s, median of %" PetscInt_FMT " repeats (each the slowest rank's time)\n", name, b->ranks, b->ranks > 1 ? "s" : "", b->reps));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-22s %-26s %12s %10s %10s %8s %9s %8s %8s\n", "case", "op", "MB/rank", "base ms", "ms", "ratio", "GB/s", "cpu", "best"));
  PetscFunctionReturn(0);
}

static int BenchCompareDouble(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Median over reps of each of n operations' time on the slowest rank; the operations are interleaved (one repeat of
   each in turn), so that a change of the machine's load during the run affects them alike. setup[i] (NULL, or an
   entry NULL: none) runs before each repeat of fn[i], untimed. */
typedef PetscErrorCode (*BenchFn)(void *);

typedef struct {
  double wall, cpu, best; /* seconds: medians of wall-clock and CPU time, minimum of wall-clock time */
} BenchTime;

static double BenchCPU(void)
{
  struct timespec ts;
  return clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) ? 0 : (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double BenchMedian(double *t, PetscInt reps)
{
  qsort(t, (size_t)reps, sizeof(double), BenchCompareDouble);
  return reps % 2 ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]);
}

static PetscErrorCode BenchTimeOps(PetscInt reps, PetscInt n, const BenchFn setup[], const BenchFn fn[], void *ctx, BenchTime median[])
{
  double *t, *c;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc2(reps * n, &t, reps * n, &c));
  for (PetscInt r = 0; r < reps; r++)
    for (PetscInt i = 0; i < n; i++) {
      PetscLogDouble t0, t1;
      double         d[2], c0;

      if (setup && setup[i]) PetscCall(setup[i](ctx));
      PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
      PetscCall(PetscTime(&t0));
      c0 = BenchCPU();
      PetscCall(fn[i](ctx));
      d[1] = BenchCPU() - c0;
      PetscCall(PetscTime(&t1));
      d[0] = t1 - t0;
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, d, 2, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD));
      t[i * reps + r] = d[0];
      c[i * reps + r] = d[1];
    }
  for (PetscInt i = 0; i < n; i++) {
    median[i].wall = BenchMedian(t + i * reps, reps);
    median[i].best = t[i * reps]; /* sorted */
    median[i].cpu  = BenchMedian(c + i * reps, reps);
  }
  PetscCall(PetscFree2(t, c));
  PetscFunctionReturn(0);
}

/* One result: printed, and appended to the CSV file. baseline NULL: a row without a baseline (tBase ignored). */
static PetscErrorCode BenchRow(const Bench *b, PetscInt reps, const char kase[], const char op[], double bytesPerRank, double itemsPerRank, const char baseline[], BenchTime base, BenchTime time)
{
  const double t = time.wall, tBase = base.wall, gbs = t > 0 ? bytesPerRank * b->ranks / t / 1e9 : 0;

  PetscFunctionBeginUser;
  if (baseline) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-22s %-26s %12.3f %10.3f %10.3f %7.2fx %9.3f %7.2fx %7.2fx  (baseline %s)\n", kase, op, bytesPerRank / 1048576.0, 1e3 * tBase, 1e3 * t, t / tBase, gbs, time.cpu / base.cpu, time.best / base.best, baseline));
  else PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-22s %-26s %12.3f %10s %10.3f %8s %9.3f\n", kase, op, bytesPerRank / 1048576.0, "", 1e3 * t, "", gbs));
  if (b->csv[0]) {
    PetscMPIInt rank;

    PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
    if (!rank) {
      FILE *f = fopen(b->csv, "a");

      PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot append to %s", b->csv);
      if (ftell(f) == 0) fprintf(f, "bench,case,op,ranks,bytes_per_rank,items_per_rank,baseline,baseline_ms,ms,ratio,gb_per_s,reps,baseline_cpu_ms,cpu_ms,cpu_ratio,baseline_best_ms,best_ms\n");
      if (baseline) fprintf(f, "%s,%s,%s,%d,%.0f,%.0f,%s,%.6f,%.6f,%.4f,%.4f,%d,%.6f,%.6f,%.4f,%.6f,%.6f\n", b->bench, kase, op, b->ranks, bytesPerRank, itemsPerRank, baseline, 1e3 * tBase, 1e3 * t, t / tBase, gbs, (int)reps, 1e3 * base.cpu, 1e3 * time.cpu, time.cpu / base.cpu, 1e3 * base.best, 1e3 * time.best);
      else fprintf(f, "%s,%s,%s,%d,%.0f,%.0f,,,%.6f,,%.4f,%d,,%.6f,,,%.6f\n", b->bench, kase, op, b->ranks, bytesPerRank, itemsPerRank, 1e3 * t, gbs, (int)reps, 1e3 * time.cpu, 1e3 * time.best);
      PetscCheck(fclose(f) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write %s", b->csv);
    }
  }
  PetscFunctionReturn(0);
}

/* Bytes of memory available now (MemAvailable of /proc/meminfo) on this node, the minimum over ranks; 0 if unknown. */
static PetscErrorCode BenchMemAvailable(double *bytes)
{
  FILE *f = fopen("/proc/meminfo", "r");
  char  line[256];

  PetscFunctionBeginUser;
  *bytes = 0;
  while (f && fgets(line, sizeof(line), f)) {
    double kb;
    if (sscanf(line, "MemAvailable: %lf kB", &kb) == 1) *bytes = kb * 1024;
  }
  if (f) fclose(f);
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, bytes, 1, MPI_DOUBLE, MPI_MIN, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

#endif
