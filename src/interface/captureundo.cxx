/* The undo of one PetscSnapshotCapture() call: a refused or failed capture changes nothing the snapshot held. */
#include "../include/snapshotimpl.hpp"

#include <utility>

namespace petscsnapshot
{

/* A refused or failed capture changes nothing the snapshot held (docs/design.md, "A refused capture changes
   nothing"): the first time a capture touches an entry, what it held is noted (its description and a copy of its
   held topology, by reference; a slot's bytes are kept aside by CaptureUndoSlot() when a hook rewrites it); at the
   end of the capture the notes are either dropped (CaptureUndoCommit()) or put back (CaptureUndoRollBack()). */
PetscErrorCode CaptureUndoTouch(PetscSnapshot snap, const Entry &entry, bool created)
{
  CaptureUndo::Touched t;

  PetscFunctionBegin;
  if (!snap->undo) PetscFunctionReturn(PETSC_SUCCESS);
  for (const auto &u : snap->undo->touched)
    if (u.name == entry.name) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallCXX(t.name = entry.name);
  PetscCallCXX(t.dmType = entry.dmType);
  t.created  = created;
  t.dmId     = entry.dmId;
  t.commSize = entry.commSize;
  t.captures = entry.captures;
  PetscCall(CopyTopology(entry, &t.topology));
  PetscCallCXX(snap->undo->touched.push_back(std::move(t)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode CaptureUndoSlot(PetscSnapshot snap, Slot *slot)
{
  PetscFunctionBegin;
  if (!snap->undo || slot->fresh || slot->saved) PetscFunctionReturn(PETSC_SUCCESS);
  slot->previous = {slot->info, slot->bytes, slot->srcId, slot->srcState, slot->checksum, slot->summed};
  std::swap(slot->storage, slot->spare);
  std::swap(slot->capacity, slot->spareCapacity);
  slot->saved = true;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The capture succeeded: drop the arrays no hook wrote any more, and the notes. */
PetscErrorCode CaptureUndoCommit(PetscSnapshot snap, CaptureUndo &undo)
{
  PetscFunctionBegin;
  for (auto &t : undo.touched) {
    auto it = snap->entries->find(std::string_view(t.name));

    PetscCall(FreeTopology(&t.topology));
    if (it == snap->entries->end()) continue;
    for (auto s = it->second.slots.begin(); s != it->second.slots.end();) {
      s->second.saved = s->second.fresh = false;
      if (s->second.seen) {
        ++s;
        continue;
      }
      PetscTryTypeMethod(snap, drop, &s->second);
      PetscCallCXX(s = it->second.slots.erase(s));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The capture failed (on every rank alike): every entry it touched is put back as it was, an entry it created is
   dropped. Local steps only. */
PetscErrorCode CaptureUndoRollBack(PetscSnapshot snap, CaptureUndo &undo)
{
  PetscFunctionBegin;
  for (auto &t : undo.touched) {
    auto it = snap->entries->find(std::string_view(t.name));

    if (it == snap->entries->end()) {
      PetscCall(FreeTopology(&t.topology));
      continue;
    }
    if (t.created) {
      PetscCall(FreeTopology(&t.topology));
      PetscCall(PetscSnapshotDropEntry_Internal(snap, it));
      continue;
    }
    Entry &entry = it->second;
    for (auto s = entry.slots.begin(); s != entry.slots.end();) {
      Slot &slot = s->second;

      if (slot.fresh) {
        PetscTryTypeMethod(snap, drop, &slot);
        PetscCallCXX(s = entry.slots.erase(s));
        continue;
      }
      if (slot.saved) {
        std::swap(slot.storage, slot.spare);
        std::swap(slot.capacity, slot.spareCapacity);
        slot.info     = slot.previous.info;
        slot.bytes    = slot.previous.bytes;
        slot.srcId    = slot.previous.srcId;
        slot.srcState = slot.previous.srcState;
        slot.checksum = slot.previous.checksum;
        slot.summed   = slot.previous.summed;
        slot.saved    = false;
      }
      slot.seen = false;
      ++s;
    }
    PetscCallCXX(entry.dmType = t.dmType);
    entry.dmId     = t.dmId;
    entry.commSize = t.commSize;
    entry.captures = t.captures;
    PetscCall(DropTopology(&entry));
    entry.topology = t.topology;
    t.topology     = nullptr;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
