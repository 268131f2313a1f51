/* The built-in hooks, in the order they run: layout checks first (they decide whether a DMPlex's points are
   redistributed), then coordinates, then swarm particles (which follow their cell DM), then declared state. */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

namespace petscsnapshot
{

PetscErrorCode RegisterBuiltinHooks(void)
{
  PetscFunctionBegin;
  PetscCall(RegisterLayoutHooks());
  PetscCall(RegisterCoordinateHooks());
  PetscCall(RegisterSwarmHooks()); /* before the state hooks: it decides whether a swarm's particles are redistributed */
  PetscCall(RegisterStateHooks());
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
