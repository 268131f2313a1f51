/* The mesh of the examples (and tests): a distributed tensor-product DMPlex on the unit square, optionally periodic,
   named, partitioned deterministically (so that a mesh made again is laid out the same): by default with the simple
   partitioner, or the one -petscpartitioner_type names. */
#ifndef PETSCSNAPSHOT_BOX_MESH_H
#define PETSCSNAPSHOT_BOX_MESH_H

#include <petscdmplex.h>
#include "example_compat.h"

static PetscErrorCode CreateBoxMesh(MPI_Comm comm, PetscInt n, PetscBool periodic, const char name[], DM *dm)
{
  PetscInt       faces[2] = {n, n};
  PetscReal      lower[2] = {0.0, 0.0}, upper[2] = {1.0, 1.0};
  DMBoundaryType bd[2]    = {periodic ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE, periodic ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE};
  DM             dist;

  PetscFunctionBeginUser;
  PetscCall(ExampleCreateBoxMesh(comm, 2, faces, lower, upper, bd, dm));
  { /* a deterministic partition, so that a mesh made again is laid out the same: simple, unless
       -petscpartitioner_type asks for another */
    PetscPartitioner part;
    PetscCall(DMPlexGetPartitioner(*dm, &part));
    PetscCall(PetscPartitionerSetType(part, PETSCPARTITIONERSIMPLE));
    PetscCall(PetscPartitionerSetFromOptions(part));
  }
  PetscCall(DMPlexDistribute(*dm, 0, NULL, &dist));
  if (dist) {
    PetscCall(DMDestroy(dm));
    *dm = dist;
  }
  PetscCall(PetscObjectSetName((PetscObject)*dm, name));
  PetscFunctionReturn(0);
}

#endif
