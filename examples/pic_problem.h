/* The particles of the examples (and tests): a PIC DMSwarm on a 2D DMPlex, seeded on a regular sub-grid of every local
   cell, advected by a divergence-free cellular flow (zero normal velocity on the walls of the unit square) with
   forward Euler, then migrated to the ranks and cells that own them. */
#ifndef PETSCSNAPSHOT_PIC_PROBLEM_H
#define PETSCSNAPSHOT_PIC_PROBLEM_H

#include <petscdmplex.h>
#include <petscdmswarm.h>
#include <petscsf.h>
#include "example_compat.h"

/* Put ppc x ppc particles in every local cell, on a regular sub-grid around the centroid, cell size h (DMSwarm's own
   regular layout supports only simplices in PETSc 3.18). */
static PetscErrorCode SwarmSeedCells(DM sw, DM mesh, PetscInt ppc, PetscReal h)
{
  PetscInt   cStart, cEnd, n, p = 0;
  PetscReal *x;
  PetscInt  *cell;
  const char *cellid;

  PetscFunctionBeginUser;
  PetscCall(DMGetCoordinatesLocalSetUp(mesh)); /* a DMRefine()d mesh has only global coordinates (PETSc 3.25) */
  PetscCall(ExampleSwarmCellIdField(sw, &cellid));
  PetscCall(DMPlexGetHeightStratum(mesh, 0, &cStart, &cEnd));
  n = (cEnd - cStart) * ppc * ppc;
  PetscCall(DMSwarmSetLocalSizes(sw, n, 16));
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(DMSwarmGetField(sw, cellid, NULL, NULL, (void **)&cell));
  for (PetscInt c = cStart; c < cEnd; c++) {
    PetscReal vol, centroid[3];
    PetscCall(DMPlexComputeCellGeometryFVM(mesh, c, &vol, centroid, NULL));
    for (PetscInt i = 0; i < ppc; i++)
      for (PetscInt j = 0; j < ppc; j++, p++) {
        x[2 * p]     = centroid[0] + ((i + 0.5) / ppc - 0.5) * 0.9 * h;
        x[2 * p + 1] = centroid[1] + ((j + 0.5) / ppc - 0.5) * 0.9 * h;
        cell[p]      = c;
      }
  }
  PetscCall(DMSwarmRestoreField(sw, cellid, NULL, NULL, (void **)&cell));
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscFunctionReturn(0);
}

/* Give the particles global ids 0..N-1 (DMSwarm_pid). */
static PetscErrorCode SwarmNumber(DM sw)
{
  PetscInt    n, offset = 0;
  PetscInt64 *pid;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCallMPI(MPI_Exscan(&n, &offset, 1, MPIU_INT, MPI_SUM, PetscObjectComm((PetscObject)sw)));
  PetscCall(DMSwarmGetField(sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
  for (PetscInt p = 0; p < n; p++) pid[p] = offset + p;
  PetscCall(DMSwarmRestoreField(sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
  PetscFunctionReturn(0);
}

/* A PIC swarm named name on mesh, fields not yet registered (register yours, then PICSwarmPopulate()). */
static PetscErrorCode PICSwarmCreate(DM mesh, const char name[], DM *sw)
{
  PetscInt dim;

  PetscFunctionBeginUser;
  PetscCall(DMGetDimension(mesh, &dim));
  PetscCall(DMCreate(PetscObjectComm((PetscObject)mesh), sw));
  PetscCall(PetscObjectSetName((PetscObject)*sw, name));
  PetscCall(DMSetType(*sw, DMSWARM));
  PetscCall(DMSetDimension(*sw, dim));
  PetscCall(DMSwarmSetType(*sw, DMSWARM_PIC));
  PetscCall(DMSwarmSetCellDM(*sw, mesh));
  PetscFunctionReturn(0);
}

/* Finish field registration, put ppc x ppc particles in every local cell (cell size h) and number them. */
static PetscErrorCode PICSwarmPopulate(DM sw, DM mesh, PetscInt ppc, PetscReal h)
{
  PetscFunctionBeginUser;
  PetscCall(DMSwarmFinalizeFieldRegister(sw));
  PetscCall(SwarmSeedCells(sw, mesh, ppc, h));
  PetscCall(SwarmNumber(sw));
  PetscFunctionReturn(0);
}

/* A cellular flow: u = (sin(pi x) cos(pi y), -cos(pi x) sin(pi y)) */
static void CellularFlow(const PetscReal x[], PetscReal v[])
{
  v[0] = PetscSinReal(PETSC_PI * x[0]) * PetscCosReal(PETSC_PI * x[1]);
  v[1] = -PetscCosReal(PETSC_PI * x[0]) * PetscSinReal(PETSC_PI * x[1]);
}

/* One forward Euler step of every particle, then migration; returns the largest displacement on any rank. */
static PetscErrorCode SwarmAdvect(DM sw, PetscReal dt, PetscReal *maxMove)
{
  PetscInt   n;
  PetscReal *x, mv = 0;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  for (PetscInt p = 0; p < n; p++) {
    PetscReal v[2];
    CellularFlow(&x[2 * p], v);
    x[2 * p] += dt * v[0];
    x[2 * p + 1] += dt * v[1];
    mv = PetscMax(mv, dt * PetscSqrtReal(v[0] * v[0] + v[1] * v[1]));
  }
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(DMSwarmMigrate(sw, PETSC_TRUE)); /* particles outside the domain are dropped */
  PetscCall(MPIU_Allreduce(&mv, maxMove, 1, MPIU_REAL, MPI_MAX, PetscObjectComm((PetscObject)sw)));
  PetscFunctionReturn(0);
}

/* Is every particle on the rank that owns its cell, with that cell in its cell-id field? (After a restart on another
   number of ranks this is what DMSwarmMigrate() and the cell sort need.) Collective. */
static PetscErrorCode SwarmPlaced(DM sw, DM mesh, PetscBool *placed)
{
  PetscInt           n, dim, cStart, cEnd, nfound;
  PetscReal         *x;
  PetscInt          *cellid, *located;
  const char        *cellidName;
  const PetscInt    *foundAt;
  Vec                pos;
  PetscSF            sf = NULL; /* DMLocatePoints() takes a non-NULL SF as guesses */
  const PetscSFNode *cells;

  PetscFunctionBeginUser;
  *placed = PETSC_TRUE;
  PetscCall(DMGetDimension(mesh, &dim));
  PetscCall(DMPlexGetHeightStratum(mesh, 0, &cStart, &cEnd));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(PetscMalloc1(n + 1, &located));
  for (PetscInt p = 0; p < n; p++) located[p] = -1;
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(VecCreateSeqWithArray(PETSC_COMM_SELF, dim, n * dim, x, &pos));
  PetscCall(DMLocatePoints(mesh, pos, DM_POINTLOCATION_REMOVE, &sf)); /* leaves: the points found, by index */
  PetscCall(PetscSFGetGraph(sf, NULL, &nfound, &foundAt, &cells));
  for (PetscInt l = 0; l < nfound; l++) located[foundAt ? foundAt[l] : l] = cells[l].index;
  PetscCall(PetscSFDestroy(&sf));
  PetscCall(VecDestroy(&pos));
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(ExampleSwarmCellIdField(sw, &cellidName));
  PetscCall(DMSwarmGetField(sw, cellidName, NULL, NULL, (void **)&cellid));
  for (PetscInt p = 0; p < n; p++) *placed = (PetscBool)(*placed && located[p] >= cStart && located[p] < cEnd && cellid[p] == located[p]);
  PetscCall(DMSwarmRestoreField(sw, cellidName, NULL, NULL, (void **)&cellid));
  PetscCall(PetscFree(located));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, placed, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PetscObjectComm((PetscObject)sw)));
  PetscFunctionReturn(0);
}

#endif
