/* Freeing a snapshot's data on one rank, without communication, for the Python module: petsc4py defers the destroy of
   an object whose wrapper was collected to PETSc.garbage_cleanup() (collective) or PetscFinalize, and a dropped
   snapshot would keep everything it captured until then. */
#include "../include/snapshotimpl.hpp"
#include "../include/release.h"

/* Drops the bytes every slot holds on this rank (the storage types' drop op: local) and the buffers the type keeps
   for reuse (the hdf5 type's reset: its staging pool, local), keeping the inventory and anything whose release is
   collective (held topologies, the type's files and meshes) for PetscSnapshotDestroy(). The snapshot must not be used
   again except to be destroyed. Does nothing when -snapshot_view (shown at destroy) was asked for. Not collective. */
PetscErrorCode PetscSnapshotReleaseLocalData_Internal(PetscSnapshot snap)
{
  PetscBool view = PETSC_FALSE;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCall(PetscOptionsHasName(((PetscObject)snap)->options, ((PetscObject)snap)->prefix, "-snapshot_view", &view));
  if (view) PetscFunctionReturn(PETSC_SUCCESS);
  for (auto &[name, entry] : *snap->entries)
    for (auto &[sname, slot] : entry.slots) PetscTryTypeMethod(snap, drop, &slot);
  PetscTryTypeMethod(snap, reset);
  PetscCall(PetscFree(snap->scratch));
  snap->scratchSize = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}
