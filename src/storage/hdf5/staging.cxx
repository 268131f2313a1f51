/* Staging buffers of the hdf5 type: a capture copies the hooks' arrays into them (checksumming each block while it is
   in cache) before writing the file; a restore reads the file into them (checksumming each block as it arrives) and
   verifies everything before the hooks copy anything out. Buffers are reused from one capture or restore to the next,
   so that steady state allocates nothing (a fresh buffer is mapped and zero-filled by the kernel on first touch). */
#include "hdf5impl.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <algorithm>
  #include <cstring>
  #include "xxh3.h"

namespace petscsnapshot::hdf5
{

StreamChecksum::StreamChecksum() : state_(XXH3_createState())
{
  if (state_ && XXH3_64bits_reset(static_cast<XXH3_state_t *>(state_)) != XXH_OK) {
    XXH3_freeState(static_cast<XXH3_state_t *>(state_));
    state_ = nullptr;
  }
}

StreamChecksum::~StreamChecksum()
{
  if (state_) XXH3_freeState(static_cast<XXH3_state_t *>(state_));
}

PetscErrorCode StreamChecksum::Update(const void *data, size_t bytes)
{
  PetscFunctionBegin;
  PetscCheck(state_, PETSC_COMM_SELF, PETSC_ERR_MEM, "cannot allocate an XXH3 state");
  PetscCheck(XXH3_64bits_update(static_cast<XXH3_state_t *>(state_), data, bytes) == XXH_OK, PETSC_COMM_SELF, PETSC_ERR_LIB, "XXH3_64bits_update failed");
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode StreamChecksum::Digest(uint64_t *sum) const
{
  PetscFunctionBegin;
  PetscCheck(state_, PETSC_COMM_SELF, PETSC_ERR_MEM, "cannot allocate an XXH3 state");
  *sum = (uint64_t)XXH3_64bits_digest(static_cast<const XXH3_state_t *>(state_));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A buffer of at least bytes (+1: never a null pointer for an empty array) for a slot: the smallest free buffer of the
   pool that fits, else a new one. */
PetscErrorCode StageTake(HDF5Data *d, size_t bytes, void **storage, size_t *capacity)
{
  auto best = d->pool.end();

  PetscFunctionBegin;
  bytes += 1;
  for (auto it = d->pool.begin(); it != d->pool.end(); ++it)
    if (it->first >= bytes && (best == d->pool.end() || it->first < best->first)) best = it;
  if (best != d->pool.end()) {
    *capacity = best->first;
    *storage  = best->second;
    d->pool.erase(best);
  } else {
    PetscCall(PetscMalloc(bytes, storage));
    *capacity = bytes;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A slot's buffer back to the pool (kept for the next operation only; see StageTrim()). */
PetscErrorCode StageGive(HDF5Data *d, Slot *slot)
{
  bool mapped = false;

  PetscFunctionBegin;
  if (slot->storage) PetscCall(Unmap(d, slot->storage, &mapped));
  if (slot->storage && !mapped) {
    if (d->reuse) PetscCallCXX(d->returned.emplace_back(slot->capacity, slot->storage));
    else PetscCall(PetscFree(slot->storage));
  }
  slot->storage  = nullptr;
  slot->capacity = 0;
  slot->summed   = false;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* At the end of a capture or restore: free the buffers this operation did not use; the ones it returned become the
   pool of the next. The pool thus never holds more than the last operation staged. */
PetscErrorCode StageTrim(HDF5Data *d)
{
  PetscFunctionBegin;
  for (auto &[capacity, storage] : d->pool) PetscCall(PetscFree(storage));
  d->pool.clear();
  std::swap(d->pool, d->returned);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode StageFree(HDF5Data *d)
{
  PetscFunctionBegin;
  PetscCall(StageTrim(d));
  PetscCall(StageTrim(d));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The storage's write op: copy a hook's array into the slot's staging buffer, block by block, computing the XXH3-64
   checksum of each block just copied (still in cache) instead of reading the whole buffer again before the write. */
PetscErrorCode PetscSnapshotWrite_HDF5(PetscSnapshot snap, const Entry *, const char[], Slot *slot, const void *data)
{
  HDF5Data      *d = Data(snap);
  StreamChecksum sum;

  PetscFunctionBegin;
  if (slot->capacity < slot->bytes + 1) {
    PetscCall(StageGive(d, slot));
    PetscCall(StageTake(d, slot->bytes, &slot->storage, &slot->capacity));
  }
  for (size_t at = 0; at < slot->bytes; at += stageBlock) {
    const size_t len = std::min(stageBlock, slot->bytes - at);
    char        *dst = static_cast<char *>(slot->storage) + at;

    std::memcpy(dst, static_cast<const char *>(data) + at, len);
    PetscCall(sum.Update(dst, len));
  }
  PetscCall(sum.Digest(&slot->checksum)); /* equal to Checksum() of the same bytes */
  slot->summed   = true;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotDrop_HDF5(PetscSnapshot snap, Slot *slot)
{
  PetscFunctionBegin;
  PetscCall(StageGive(Data(snap), slot));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot::hdf5

#endif
