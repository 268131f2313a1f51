/* PETSCSNAPSHOTMEMORY: the bytes of each slot live in a buffer of the slot's own, reused while the size fits. */
#include "../../include/snapshotimpl.hpp"

#include <cstring>

using petscsnapshot::Entry;
using petscsnapshot::Slot;

PetscErrorCode PetscSnapshotWrite_Memory(PetscSnapshot, const Entry *, const char[], Slot *slot, const void *data)
{
  PetscFunctionBegin;
  if (slot->capacity < slot->bytes) {
    PetscCall(PetscFree(slot->storage));
    PetscCall(PetscMalloc(slot->bytes, &slot->storage));
    slot->capacity = slot->bytes;
  }
  if (slot->bytes) PetscCall(PetscMemcpy(slot->storage, data, slot->bytes));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotRead_Memory(PetscSnapshot, const Entry *, const char[], const Slot *slot, void *data)
{
  PetscFunctionBegin;
  if (slot->bytes) PetscCall(PetscMemcpy(data, slot->storage, slot->bytes));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotCompare_Memory(PetscSnapshot, const Entry *, const char[], const Slot *slot, const void *data, PetscBool *equal)
{
  PetscFunctionBegin;
  *equal = (slot->bytes == 0 || memcmp(slot->storage, data, slot->bytes) == 0) ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotDrop_Memory(PetscSnapshot, Slot *slot)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(slot->storage));
  PetscCall(PetscFree(slot->spare)); /* the previous capture's buffer (see Slot::spare) */
  slot->capacity      = 0;
  slot->spareCapacity = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode PetscSnapshotView_Memory(PetscSnapshot snap, PetscViewer viewer)
{
  double held = 0;

  PetscFunctionBegin;
  for (const auto &[name, entry] : *snap->entries)
    for (const auto &[sname, slot] : entry.slots) held += (double)(slot.capacity + slot.spareCapacity);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &held, 1, MPI_DOUBLE, MPI_SUM, PetscObjectComm((PetscObject)snap)));
  PetscCall(PetscViewerASCIIPrintf(viewer, "memory held (all ranks): %.0f bytes\n", held));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*MC
   PETSCSNAPSHOTMEMORY - "memory": the snapshot keeps a copy of every captured array in memory. The default type.

   Notes:
   Capturing the same `DM` again reuses the buffers (no allocation while sizes are unchanged, from the third
   capture on). An array a capture rewrites is written into a second buffer, so that a refused or failed capture
   leaves the previous one as it was (`PetscSnapshotCapture()`): the snapshot holds up to twice the captured bytes. The memory is freed by
   `PetscSnapshotReset()` and `PetscSnapshotDestroy()`. Holds data only, never the live objects' arrays.

   Level: beginner

.seealso: `PetscSnapshotType`, `PetscSnapshotSetType()`, `PetscSnapshotCreate()`
M*/
PETSC_INTERN PetscErrorCode PetscSnapshotCreate_Memory(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotSetMemoryOps_Internal(snap));
  snap->ops->view    = PetscSnapshotView_Memory;
  snap->captureEvent = PETSCSNAPSHOT_MemCapture;
  snap->restoreEvent = PETSCSNAPSHOT_MemRestore;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The slot primitives of the memory type, for types that stage their data in memory (hdf5). */
PetscErrorCode PetscSnapshotSetMemoryOps_Internal(PetscSnapshot snap)
{
  PetscFunctionBegin;
  snap->ops->write   = PetscSnapshotWrite_Memory;
  snap->ops->read    = PetscSnapshotRead_Memory;
  snap->ops->drop    = PetscSnapshotDrop_Memory;
  snap->ops->compare = PetscSnapshotCompare_Memory;
  PetscFunctionReturn(PETSC_SUCCESS);
}
