/* Internal to petsc-snapshot and its Python module (src/interface/release.cxx); not part of the C API. */
#ifndef PETSCSNAPSHOT_RELEASE_H
#define PETSCSNAPSHOT_RELEASE_H

#include <petscsnapshot.h>

PETSC_EXTERN PetscErrorCode PetscSnapshotReleaseLocalData_Internal(PetscSnapshot);

#endif
