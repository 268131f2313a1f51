/* A snapshot of type hdf5 on a file, on PETSC_COMM_WORLD, with the options database applied: shared by the tests and
   the benchmarks that checkpoint. */
#ifndef PETSCSNAPSHOT_EXAMPLES_HDF5_SNAPSHOT_H
#define PETSCSNAPSHOT_EXAMPLES_HDF5_SNAPSHOT_H

#include <petscsnapshot.h>

static PetscErrorCode HDF5Snapshot(const char file[], PetscSnapshot *snap)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
  PetscCall(PetscSnapshotSetType(*snap, PETSCSNAPSHOTHDF5));
  PetscCall(PetscSnapshotHDF5SetFileName(*snap, file));
  PetscCall(PetscSnapshotSetFromOptions(*snap));
  PetscFunctionReturn(0);
}

#endif
