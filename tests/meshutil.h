/* Mesh helpers of the tests: a distributed tensor-product DMPlex box, optionally periodic, and a P1/Q1 field. */
#ifndef PETSCSNAPSHOT_MESHUTIL_H
#define PETSCSNAPSHOT_MESHUTIL_H

#include <petscdmplex.h>
#include <petscfe.h>
#include <petscsnapshot.h>
#include "heat_problem.h"

static PetscErrorCode CreateBoxMesh(MPI_Comm comm, PetscInt n, PetscBool periodic, const char name[], DM *dm)
{
  PetscInt       faces[2] = {n, n};
  PetscReal      lower[2] = {0.0, 0.0}, upper[2] = {1.0, 1.0};
  DMBoundaryType bd[2]    = {periodic ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE, periodic ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE};
  DM             dist;

  PetscFunctionBeginUser;
#if PETSC_VERSION_LT(3, 22, 0)
  PetscCall(DMPlexCreateBoxMesh(comm, 2, PETSC_FALSE, faces, lower, upper, bd, PETSC_TRUE, dm));
#else
  PetscCall(DMPlexCreateBoxMesh(comm, 2, PETSC_FALSE, faces, lower, upper, bd, PETSC_TRUE, 0, PETSC_FALSE, dm));
#endif
  { /* a deterministic partition, so that a mesh made again is laid out the same */
    PetscPartitioner part;
    PetscCall(DMPlexGetPartitioner(*dm, &part));
    PetscCall(PetscPartitionerSetType(part, PETSCPARTITIONERSIMPLE));
  }
  PetscCall(DMPlexDistribute(*dm, 0, NULL, &dist));
  if (dist) {
    PetscCall(DMDestroy(dm));
    *dm = dist;
  }
  PetscCall(PetscObjectSetName((PetscObject)*dm, name));
  PetscFunctionReturn(0);
}

/* One scalar Q1 field named "u" on the mesh. */
#define AddScalarField HeatAddField

/* Overwrite every local value of a Vec with a recognisable pattern. */
static PetscErrorCode Scribble(Vec v, PetscScalar value)
{
  PetscInt     n;
  PetscScalar *a;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(v, &n));
  PetscCall(VecGetArrayWrite(v, &a));
  for (PetscInt i = 0; i < n; i++) a[i] = value + 0.001 * i;
  PetscCall(VecRestoreArrayWrite(v, &a));
  PetscFunctionReturn(0);
}

/* Move the mesh as an application would: change the local coordinates, hand them back to the DM (which drops the
   global copy), and make PETSc forget the geometry it computed from the old ones. */
static PetscErrorCode DeformMesh(DM dm, PetscReal amplitude)
{
  Vec          c;
  PetscInt     n;
  PetscScalar *a;

  PetscFunctionBeginUser;
  PetscCall(DMGetCoordinatesLocal(dm, &c));
  PetscCall(VecGetLocalSize(c, &n));
  PetscCall(VecGetArray(c, &a));
  for (PetscInt i = 0; i + 1 < n; i += 2) {
    PetscReal x = PetscRealPart(a[i]), y = PetscRealPart(a[i + 1]);
    a[i] += amplitude * PetscSinReal(PETSC_PI * x) * PetscSinReal(PETSC_PI * y);
    a[i + 1] += 0.5 * amplitude * PetscSinReal(2 * PETSC_PI * x) * PetscSinReal(PETSC_PI * y);
  }
  PetscCall(VecRestoreArray(c, &a));
  PetscCall(DMSetCoordinatesLocal(dm, c));
  PetscCall(PetscSnapshotDMInvalidateGeometry(dm));
  PetscFunctionReturn(0);
}

#endif
