/* For tests that damage a snapshot file on purpose behind its whole-file seal (src/storage/hdf5/seal.h): the damage
   then looks like damage done before the file was sealed (in memory, or by a faulty write path), and the checks
   behind the seal (per-dataset checksums, attributes, schema, /topologies) are what refuses it. Local (call on the rank
   that damages the file). */
#ifndef PETSCSNAPSHOT_TEST_RESEALUTIL_H
#define PETSCSNAPSHOT_TEST_RESEALUTIL_H

#include <petscsys.h>
#include "../src/storage/hdf5/seal.h"

/* Remove the seal (before an edit through HDF5, which may write where the seal is) */
static inline PetscErrorCode TestUnseal(const char file[])
{
  PetscFunctionBeginUser;
  PetscCheck(PetscSnapshotUnsealFile(file) >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot unseal %s", file);
  PetscFunctionReturn(0);
}

/* Seal the file as it is now (its old seal removed first, if it still has one) */
static inline PetscErrorCode TestReseal(const char file[])
{
  PetscFunctionBeginUser;
  PetscCall(TestUnseal(file));
  PetscCheck(PetscSnapshotSealFile(file) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot seal %s", file);
  PetscFunctionReturn(0);
}

#endif
