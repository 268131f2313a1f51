/* A fingerprint of a simulation's state that does not depend on how it is distributed: the P1 solution as rows
   (x, y, value) of the vertices sorted by position, and the particles as rows (pid, x, y) sorted by pid, gathered on
   rank 0 and hashed (FNV-1a). Equal on any number of ranks exactly when every value is bitwise equal. */
#ifndef PETSCSNAPSHOT_STATE_FINGERPRINT_H
#define PETSCSNAPSHOT_STATE_FINGERPRINT_H

#include <petscdmplex.h>
#include <petscdmswarm.h>
#include <petscsf.h>

static int FingerprintCompareRows(const void *a, const void *b)
{
  const double *p = (const double *)a, *q = (const double *)b;
  if (p[0] != q[0]) return p[0] < q[0] ? -1 : 1;
  if (p[1] != q[1]) return p[1] < q[1] ? -1 : 1;
  return 0;
}

/* Gather rows of 3 doubles on rank 0 and sort them by their first two values; N is known everywhere. */
static PetscErrorCode GatherSortedRows(MPI_Comm comm, PetscInt n, const double mine[], PetscInt *N, double **rows)
{
  PetscMPIInt size, rank, cnt = (PetscMPIInt)(3 * n), *counts = NULL, *displs = NULL;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(MPIU_Allreduce(&n, N, 1, MPIU_INT, MPI_SUM, comm));
  *rows = NULL;
  if (rank == 0) {
    PetscCall(PetscMalloc2(size, &counts, size, &displs));
    PetscCall(PetscMalloc1(3 * (*N) + 1, rows));
  }
  PetscCallMPI(MPI_Gather(&cnt, 1, MPI_INT, counts, 1, MPI_INT, 0, comm));
  if (rank == 0) {
    displs[0] = 0;
    for (int r = 1; r < size; r++) displs[r] = displs[r - 1] + counts[r - 1];
  }
  PetscCallMPI(MPI_Gatherv(mine, cnt, MPI_DOUBLE, *rows, counts, displs, MPI_DOUBLE, 0, comm));
  if (rank == 0) qsort(*rows, *N, 3 * sizeof(double), FingerprintCompareRows);
  PetscCall(PetscFree2(counts, displs));
  PetscFunctionReturn(0);
}

/* The P1 solution u on dm as rows (x, y, value) of the vertices this rank owns, sorted by position on rank 0.
   Constrained (boundary) values, which a global Vec leaves out, are zero. */
static PetscErrorCode SolutionRows(DM dm, Vec u, PetscInt *N, double **rows)
{
  Vec                loc, coords;
  PetscSection       section, csection;
  PetscSF            sf;
  const PetscInt    *leaves;
  PetscInt           nleaves, vStart, vEnd, n = 0;
  const PetscScalar *a, *c;
  double            *mine;
  PetscBool         *ghost;

  PetscFunctionBeginUser;
  PetscCall(DMGetLocalVector(dm, &loc));
  PetscCall(VecZeroEntries(loc));
  PetscCall(DMGlobalToLocal(dm, u, INSERT_VALUES, loc));
  PetscCall(DMGetLocalSection(dm, &section));
  PetscCall(DMGetCoordinateSection(dm, &csection));
  PetscCall(DMGetCoordinatesLocal(dm, &coords));
  PetscCall(DMPlexGetDepthStratum(dm, 0, &vStart, &vEnd));
  PetscCall(PetscCalloc1(vEnd - vStart + 1, &ghost));
  PetscCall(DMGetPointSF(dm, &sf));
  PetscCall(PetscSFGetGraph(sf, NULL, &nleaves, &leaves, NULL));
  for (PetscInt l = 0; l < nleaves; l++) {
    PetscInt p = leaves ? leaves[l] : l;
    if (p >= vStart && p < vEnd) ghost[p - vStart] = PETSC_TRUE;
  }
  PetscCall(PetscMalloc1(3 * (vEnd - vStart) + 1, &mine));
  PetscCall(VecGetArrayRead(loc, &a));
  PetscCall(VecGetArrayRead(coords, &c));
  for (PetscInt v = vStart; v < vEnd; v++) {
    PetscInt off, coff, dof;
    if (ghost[v - vStart]) continue;
    PetscCall(PetscSectionGetDof(section, v, &dof));
    PetscCheck(dof == 1, PETSC_COMM_SELF, PETSC_ERR_SUP, "a P1 field is expected");
    PetscCall(PetscSectionGetOffset(section, v, &off));
    PetscCall(PetscSectionGetOffset(csection, v, &coff));
    mine[3 * n]     = c[coff];
    mine[3 * n + 1] = c[coff + 1];
    mine[3 * n + 2] = a[off];
    n++;
  }
  PetscCall(VecRestoreArrayRead(coords, &c));
  PetscCall(VecRestoreArrayRead(loc, &a));
  PetscCall(DMRestoreLocalVector(dm, &loc));
  PetscCall(GatherSortedRows(PetscObjectComm((PetscObject)dm), n, mine, N, rows));
  PetscCall(PetscFree(mine));
  PetscCall(PetscFree(ghost));
  PetscFunctionReturn(0);
}

/* The particles as rows (pid, x, y) sorted by pid on rank 0 (2D). */
static PetscErrorCode ParticleRows(DM sw, PetscInt *N, double **rows)
{
  PetscInt    n;
  PetscReal  *x;
  PetscInt64 *pid;
  double     *mine;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(PetscMalloc1(3 * n + 1, &mine));
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(DMSwarmGetField(sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
  for (PetscInt p = 0; p < n; p++) {
    mine[3 * p]     = (double)pid[p];
    mine[3 * p + 1] = x[2 * p];
    mine[3 * p + 2] = x[2 * p + 1];
  }
  PetscCall(DMSwarmRestoreField(sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(GatherSortedRows(PetscObjectComm((PetscObject)sw), n, mine, N, rows));
  PetscCall(PetscFree(mine));
  PetscFunctionReturn(0);
}

static unsigned long long FingerprintHash(unsigned long long h, const void *data, size_t bytes)
{
  const unsigned char *p = (const unsigned char *)data;
  for (size_t i = 0; i < bytes; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

/* The fingerprint of the solution u on dm and the particles of sw, the same on every rank. */
static PetscErrorCode StateFingerprint(DM dm, Vec u, DM sw, unsigned long long *fp)
{
  PetscInt nu, np;
  double  *ru, *rp;

  PetscFunctionBeginUser;
  PetscCall(SolutionRows(dm, u, &nu, &ru));
  PetscCall(ParticleRows(sw, &np, &rp));
  *fp = 1469598103934665603ULL;
  if (ru) *fp = FingerprintHash(*fp, ru, 3 * sizeof(double) * nu);
  if (rp) *fp = FingerprintHash(*fp, rp, 3 * sizeof(double) * np);
  PetscCallMPI(MPI_Bcast(fp, 1, MPI_UNSIGNED_LONG_LONG, 0, PetscObjectComm((PetscObject)dm)));
  PetscCall(PetscFree(ru));
  PetscCall(PetscFree(rp));
  PetscFunctionReturn(0);
}

#endif
