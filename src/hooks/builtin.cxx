/* The built-in hooks, in the order they run: layout checks first, then coordinates, then declared state, then
   swarm particles. */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

namespace petscsnapshot
{

PetscErrorCode RegisterBuiltinHooks(void)
{
  PetscFunctionBegin;
  PetscCall(RegisterLayoutHooks());
  PetscCall(RegisterCoordinateHooks());
  PetscCall(RegisterStateHooks());
  PetscCall(RegisterSwarmHooks());
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
