/* Registration of the built-in DM hooks (one function per hooks file). */
#ifndef PETSCSNAPSHOT_BUILTIN_HPP
#define PETSCSNAPSHOT_BUILTIN_HPP

namespace petscsnapshot
{
PETSC_INTERN PetscErrorCode RegisterLayoutHooks(void);
PETSC_INTERN PetscErrorCode RegisterCoordinateHooks(void);
PETSC_INTERN PetscErrorCode RegisterDSConstantsHooks(void);
PETSC_INTERN PetscErrorCode RegisterStateHooks(void);
/* A DMLabel declared as state (src/hooks/labelstate.cxx): a row of the state hook's kinds */
PETSC_INTERN PetscErrorCode CaptureLabelState(PetscSnapshotRecord, const char[], PetscObject);
PETSC_INTERN PetscErrorCode CheckLabelState(PetscSnapshotRecord, const char[], PetscObject, const char[]);
PETSC_INTERN PetscErrorCode RestoreLabelState(PetscSnapshotRecord, const char[], PetscObject);
/* A PetscRandom declared as state (src/hooks/randomstate.cxx): a row of the state hook's kinds */
PETSC_INTERN PetscErrorCode CaptureRandomState(PetscSnapshotRecord, const char[], PetscObject);
PETSC_INTERN PetscErrorCode CheckRandomState(PetscSnapshotRecord, const char[], PetscObject, const char[]);
PETSC_INTERN PetscErrorCode RestoreRandomState(PetscSnapshotRecord, const char[], PetscObject);
PETSC_INTERN PetscErrorCode RegisterSwarmHooks(void);
/* Which points each rank of a DMPlex holds: a fingerprint of its local topology and point SF (src/hooks/layout.cxx) */
PETSC_INTERN PetscErrorCode PlexPointsFingerprint(DM, PetscInt[2]);
} // namespace petscsnapshot

#endif
