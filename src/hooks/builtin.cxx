/* The built-in hooks, in the order they run: layout checks first (they decide whether a DMPlex's points are
   redistributed), then coordinates, then the constants of
   every PetscDS, then declared state, then swarm particles (which follow their cell DM, checked
   before any hook of the swarm runs). */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

namespace petscsnapshot
{

PetscErrorCode RegisterBuiltinHooks(void)
{
  PetscFunctionBegin;
  PetscCall(RegisterLayoutHooks());
  PetscCall(RegisterCoordinateHooks());
  PetscCall(RegisterDSConstantsHooks());
  PetscCall(RegisterStateHooks());
  PetscCall(RegisterSwarmHooks());
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
