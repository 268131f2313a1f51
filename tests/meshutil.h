/* Mesh helpers of the tests: the examples' box mesh and heat field, scribbling, moving the mesh. */
#ifndef PETSCSNAPSHOT_MESHUTIL_H
#define PETSCSNAPSHOT_MESHUTIL_H

#include <petscdmplex.h>
#include <petscfe.h>
#include <petscsnapshot.h>
#include "heat_problem.h"
#include "box_mesh.h"

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
