/* User state that is not a PETSc object: plain bytes or callbacks, held in a PetscContainer composed on the DM. */
#ifndef PETSCSNAPSHOT_USERSTATE_HPP
#define PETSCSNAPSHOT_USERSTATE_HPP

#include "snapshotimpl.hpp"

namespace petscsnapshot
{

struct UserState {
  static constexpr unsigned magicValue = 0x5eed5a7eu;
  unsigned                    magic = magicValue;
  PetscInt                    version = 0;
  void                       *data    = nullptr; /* bytes: the user's struct */
  size_t                      size    = 0;       /* bytes: its size */
  PetscSnapshotStateSizeFn    sizeFn    = nullptr; /* callbacks */
  PetscSnapshotStateCaptureFn captureFn = nullptr;
  PetscSnapshotStateRestoreFn restoreFn = nullptr;
  void                       *ctx       = nullptr;
  PetscErrorCode (*destroy)(void *)     = nullptr;
  void                       *scratch     = nullptr; /* PetscMalloc'd, reused by captures and restores */
  size_t                      scratchSize = 0;
};

/* The user state held by a container of ours, or NULL for any other container. */
PETSC_INTERN PetscErrorCode UserStateFromContainer(PetscContainer, UserState **);
/* A scratch buffer of at least size bytes, reused. */
PETSC_INTERN PetscErrorCode UserStateScratch(UserState *, size_t, void **);

} // namespace petscsnapshot

#endif
