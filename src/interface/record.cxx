/* The storage-neutral record interface that hooks write to and read from. */
#include "../include/snapshotimpl.hpp"

#include <petsc/private/dmimpl.h>
#include <petscdmplex.h>

#include <cstdarg>
#include <cstring>

using namespace petscsnapshot;

PetscErrorCode PetscSnapshotDataTypeSize_Internal(PetscDataType type, size_t *size)
{
  PetscFunctionBegin;
  if (type == PETSC_STRUCT) *size = 1;
  else PetscCall(PetscDataTypeGetSize(type, size));
  PetscFunctionReturn(PETSC_SUCCESS);
}

namespace petscsnapshot
{

PetscErrorCode CheckStorableName(const char caller[], const char what[], const char name[])
{
  std::string_view n(name);
  size_t           at = 0;

  PetscFunctionBegin;
  for (;;) { /* every '/'-separated part non-empty and not "." */
    size_t           slash = n.find('/', at);
    std::string_view part  = n.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at);

    PetscCheck(!part.empty() && part != ".", PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG,
               "%s: %s \"%s\" cannot be stored: names are '/'-separated parts, none of them empty or \".\" (the hdf5 type stores them as HDF5 paths)", caller, what, name);
    if (slash == std::string_view::npos) break;
    at = slash + 1;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot

/*@C
  PetscSnapshotRecordGetDMName - Gets the name under which the record's `DM` is held in the snapshot

  Not Collective

  Input Parameter:
. rec - the record

  Output Parameter:
. name - the name (owned by the snapshot)

  Level: advanced

.seealso: `PetscSnapshotRegisterDMHook()`, `PetscSnapshotRecord`
@*/
PetscErrorCode PetscSnapshotRecordGetDMName(PetscSnapshotRecord rec, const char *name[])
{
  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscCheck(name, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRecordGetDMName: output argument is NULL");
  *name = rec->entry->name.c_str();
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode PutArray(PetscSnapshotRecord rec, const char name[], PetscSnapshotRecordKind kind, PetscDataType type, PetscInt bs, PetscInt n, PetscInt N, const void *data)
{
  size_t tsize;
  Slot  *slot;

  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscCheck(rec->phase == Phase::Capture, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshotRecordPut: \"%s\" may be put only by a capture hook", name);
  PetscCheck(name && name[0], PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRecordPut: an array needs a name");
  PetscCall(CheckStorableName("PetscSnapshotRecordPut", "array", name));
  PetscCheck(bs >= 1 && n >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "PetscSnapshotRecordPut: \"%s\" has block size %" PetscInt_FMT " and %" PetscInt_FMT " items", name, bs, n);
  PetscCheck(data || n == 0, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRecordPut: \"%s\" has %" PetscInt_FMT " items and no data", name, n);
  PetscCall(PetscSnapshotDataTypeSize_Internal(type, &tsize));
  {
    auto it = rec->entry->slots.find(std::string_view(name));
    if (it == rec->entry->slots.end()) {
      PetscCallCXX(it = rec->entry->slots.emplace(name, Slot{}).first);
      it->second.fresh = rec->snap->undo != nullptr; /* a failed capture removes it */
    }
    slot = &it->second;
  }
  PetscCheck(!slot->seen, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotCapture: two hooks of DM \"%s\" write an array named \"%s\"", rec->entry->name.c_str(), name);
  PetscCall(CaptureUndoSlot(rec->snap, slot)); /* before anything of the slot changes */
  slot->info   = {kind, type, bs, n, N};
  slot->bytes  = (size_t)n * (size_t)bs * tsize;
  slot->seen   = true;
  slot->srcId  = 0; /* a Vec put sets it after the copy */
  PetscUseTypeMethod(rec->snap, write, rec->entry, name, slot, data);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Does the slot already hold exactly the values of vec, by vec's identity and object state (and its bytes are held)? */
static PetscErrorCode VecUnchanged(PetscSnapshot snap, const Slot &slot, Vec vec, bool *unchanged)
{
  PetscObjectState state;

  PetscFunctionBegin;
  *unchanged = false;
  if (!snap->skipUnchanged || !slot.srcId || slot.srcId != ((PetscObject)vec)->id || (slot.bytes && (!slot.storage || slot.capacity < slot.bytes))) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectStateGet((PetscObject)vec, &state));
  *unchanged = state == slot.srcState;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* After a Vec was put into or got from a slot: they hold the same values at the Vec's current state. */
static PetscErrorCode VecNoteSame(const Slot &slot, Vec vec)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectStateGet((PetscObject)vec, &slot.srcState));
  slot.srcId = ((PetscObject)vec)->id;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordPutArray - Puts a named rank-local array into the record (capture hooks only)

  Not Collective

  Input Parameters:
+ rec  - the record
. name - the array's name, unique within the `DM`'s entry
. type - the `PetscDataType` of the values; `PETSC_STRUCT` for opaque bytes
. bs   - values per item (for `PETSC_STRUCT`, bytes per item)
. n    - number of items on this rank
- data - `n*bs` values

  Notes:
  The data are copied; a name written again by the next capture reuses its buffer when the size is unchanged.
  A name is a path of '/'-separated parts, none of them empty or "."; every rank must put the same names with the same
  type and block size (the capture refuses otherwise).

  Level: advanced

.seealso: `PetscSnapshotRecordGetArray()`, `PetscSnapshotRecordPutVec()`, `PetscSnapshotRegisterDMHook()`
@*/
PetscErrorCode PetscSnapshotRecordPutArray(PetscSnapshotRecord rec, const char name[], PetscDataType type, PetscInt bs, PetscInt n, const void *data)
{
  PetscFunctionBegin;
  PetscCall(PutArray(rec, name, PETSCSNAPSHOT_RECORD_ARRAY, type, bs, n, -1, data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordPutPointField - Puts a per-point array (one item per local particle of a swarm) into the record
  (capture hooks only)

  Not Collective

  Input Parameters:
+ rec  - the record
. name - the array's name, unique within the `DM`'s entry
. type - the `PetscDataType` of the values; `PETSC_STRUCT` for opaque bytes
. bs   - values per point (for `PETSC_STRUCT`, bytes per point)
. n    - number of local points
- data - `n*bs` values

  Notes:
  Like `PetscSnapshotRecordPutArray()`; the kind lets `PetscSnapshotView()` report point counts.

  Level: advanced

.seealso: `PetscSnapshotRecordPutArray()`, `PetscSnapshotRecordGetArray()`
@*/
PetscErrorCode PetscSnapshotRecordPutPointField(PetscSnapshotRecord rec, const char name[], PetscDataType type, PetscInt bs, PetscInt n, const void *data)
{
  PetscFunctionBegin;
  PetscCall(PutArray(rec, name, PETSCSNAPSHOT_RECORD_POINT_FIELD, type, bs, n, -1, data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordPutVec - Puts the local values of a `Vec` into the record (capture hooks only)

  Collective

  Input Parameters:
+ rec  - the record
. name - the name, unique within the `DM`'s entry
- vec  - the vector

  Level: advanced

.seealso: `PetscSnapshotRecordGetVec()`, `PetscSnapshotRecordCheckVec()`, `PetscSnapshotRecordPutArray()`
@*/
PetscErrorCode PetscSnapshotRecordPutVec(PetscSnapshotRecord rec, const char name[], Vec vec)
{
  PetscInt           n, N, bs;
  const PetscScalar *a;

  PetscFunctionBegin;
  PetscCheck(vec && ((PetscObject)vec)->classid == VEC_CLASSID, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotRecordPutVec: \"%s\" is not a Vec", name ? name : "(null)");
  PetscCall(VecGetLocalSize(vec, &n));
  PetscCall(VecGetSize(vec, &N));
  PetscCall(VecGetBlockSize(vec, &bs));
  if (rec && rec->entry && name) { /* unchanged since it was put or got: the held copy is exact */
    auto it = rec->entry->slots.find(std::string_view(name));
    bool unchanged = false;

    if (it != rec->entry->slots.end() && !it->second.seen && rec->phase == Phase::Capture) PetscCall(VecUnchanged(rec->snap, it->second, vec, &unchanged));
    if (unchanged && it->second.info.kind == PETSCSNAPSHOT_RECORD_VEC && it->second.info.bs == bs && it->second.info.n * bs == n && it->second.info.N * bs == N) {
      it->second.seen = true;
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  PetscCall(VecGetArrayRead(vec, &a));
  PetscCall(PutArray(rec, name, PETSCSNAPSHOT_RECORD_VEC, PETSC_SCALAR, bs, n / bs, N / bs, a));
  PetscCall(VecRestoreArrayRead(vec, &a));
  PetscCall(VecNoteSame(rec->entry->slots.find(std::string_view(name))->second, vec));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordGetInfo - Tells whether the record holds a named array and describes it

  Not Collective

  Input Parameters:
+ rec  - the record
- name - the array's name

  Output Parameters:
+ found - whether the record holds it
- info  - its description (may be NULL)

  Level: advanced

.seealso: `PetscSnapshotRecordGetArray()`, `PetscSnapshotRecordInfo`
@*/
PetscErrorCode PetscSnapshotRecordGetInfo(PetscSnapshotRecord rec, const char name[], PetscBool *found, PetscSnapshotRecordInfo *info)
{
  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscCheck(name && found, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRecordGetInfo: name and found are required");
  auto it = rec->entry->slots.find(std::string_view(name));
  *found  = it != rec->entry->slots.end() ? PETSC_TRUE : PETSC_FALSE;
  if (info && *found) *info = it->second.info;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode GetSlot(PetscSnapshotRecord rec, const char name[], PetscDataType type, PetscInt bs, PetscInt n, const Slot **slot)
{
  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscCheck(rec->phase != Phase::Capture, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshotRecordGet: \"%s\" may be read only by a check or restore hook", name);
  auto it = rec->entry->slots.find(std::string_view(name));
  PetscCheck(it != rec->entry->slots.end(), PETSC_COMM_SELF, PETSC_ERR_PLIB, "DM \"%s\" has no array \"%s\" in the snapshot; its check hook should have refused", rec->entry->name.c_str(), name);
  {
    PetscBool redistributed;

    PetscCall(RecordRedistributed(rec, &redistributed));
    PetscCheck(!(it->second.rankwise && redistributed), PETSC_COMM_SELF, PETSC_ERR_PLIB, "DM \"%s\", array \"%s\": written differently by each of the %d ranks that captured it, it has no value where the points are redistributed; its check hook should have refused", rec->entry->name.c_str(), name, rec->entry->commSize);
  }
  const PetscSnapshotRecordInfo &i = it->second.info;
  PetscCheck(i.type == type && i.bs == bs && i.n == n, PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "DM \"%s\", array \"%s\": snapshot has %s x %" PetscInt_FMT " x %" PetscInt_FMT ", asked for %s x %" PetscInt_FMT " x %" PetscInt_FMT "; its check hook should have refused", rec->entry->name.c_str(), name,
             PetscDataTypes[i.type], i.bs, i.n, PetscDataTypes[type], bs, n);
  *slot = &it->second;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordGetArray - Copies a named array out of the record (check and restore hooks only)

  Not Collective

  Input Parameters:
+ rec  - the record
. name - the array's name
. type - the expected `PetscDataType`
. bs   - the expected block size
- n    - the expected number of items on this rank

  Output Parameter:
. data - room for `n*bs` values

  Notes:
  A mismatch of type or sizes is an error: check hooks are expected to have refused before any restore hook runs.

  Level: advanced

.seealso: `PetscSnapshotRecordPutArray()`, `PetscSnapshotRecordGetInfo()`
@*/
PetscErrorCode PetscSnapshotRecordGetArray(PetscSnapshotRecord rec, const char name[], PetscDataType type, PetscInt bs, PetscInt n, void *data)
{
  const Slot *slot;

  PetscFunctionBegin;
  PetscCall(GetSlot(rec, name, type, bs, n, &slot));
  PetscUseTypeMethod(rec->snap, read, rec->entry, name, slot, data);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordCompareVec - Tells whether the local values of a `Vec` are bitwise equal to a named array of the
  record (check and restore hooks), so that a restore can skip writing, and invalidating caches, when nothing changed

  Not Collective

  Input Parameters:
+ rec  - the record
. name - the array's name
- vec  - the vector, with the local size and block size it had at capture

  Output Parameter:
. equal - `PETSC_TRUE` when every byte is the same

  Level: advanced

.seealso: `PetscSnapshotRecordGetVec()`, `PetscSnapshotRecordPutVec()`
@*/
PetscErrorCode PetscSnapshotRecordCompareVec(PetscSnapshotRecord rec, const char name[], Vec vec, PetscBool *equal)
{
  PetscInt           n, bs;
  const PetscScalar *a;
  const Slot        *slot;
  PetscSnapshot      snap;

  PetscFunctionBegin;
  PetscCheck(equal, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRecordCompareVec: output argument is NULL");
  PetscCall(VecGetLocalSize(vec, &n));
  PetscCall(VecGetBlockSize(vec, &bs));
  PetscCall(GetSlot(rec, name, PETSC_SCALAR, bs, n / bs, &slot));
  snap = rec->snap;
  {
    bool unchanged;

    PetscCall(VecUnchanged(snap, *slot, vec, &unchanged));
    if (unchanged) {
      *equal = PETSC_TRUE;
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  PetscCall(VecGetArrayRead(vec, &a));
  if (snap->ops->compare) PetscUseTypeMethod(snap, compare, rec->entry, name, slot, a, equal);
  else {
    if (snap->scratchSize < slot->bytes) {
      PetscCall(PetscFree(snap->scratch));
      PetscCall(PetscMalloc(slot->bytes, &snap->scratch));
      snap->scratchSize = slot->bytes;
    }
    PetscUseTypeMethod(snap, read, rec->entry, name, slot, snap->scratch);
    *equal = (slot->bytes == 0 || memcmp(snap->scratch, a, slot->bytes) == 0) ? PETSC_TRUE : PETSC_FALSE;
  }
  PetscCall(VecRestoreArrayRead(vec, &a));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordGetVec - Writes the values of a named array back into a `Vec` (restore hooks only)

  Collective

  Input Parameters:
+ rec  - the record
. name - the array's name
- vec  - the vector, with the local size and block size it had at capture

  Level: advanced

.seealso: `PetscSnapshotRecordPutVec()`, `PetscSnapshotRecordCheckVec()`
@*/
PetscErrorCode PetscSnapshotRecordGetVec(PetscSnapshotRecord rec, const char name[], Vec vec)
{
  PetscInt     n, bs;
  PetscScalar *a;
  const Slot  *slot;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(vec, &n));
  PetscCall(VecGetBlockSize(vec, &bs));
  PetscCall(GetSlot(rec, name, PETSC_SCALAR, bs, n / bs, &slot));
  {
    bool unchanged;

    PetscCall(VecUnchanged(rec->snap, *slot, vec, &unchanged));
    if (unchanged) PetscFunctionReturn(PETSC_SUCCESS); /* it holds the captured values */
  }
  PetscCall(VecGetArrayWrite(vec, &a));
  PetscUseTypeMethod(rec->snap, read, rec->entry, name, slot, a);
  PetscCall(VecRestoreArrayWrite(vec, &a));
  PetscCall(VecNoteSame(*slot, vec));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordCheckVec - In a check hook, refuses the restore unless the record holds a named `Vec` of the
  same local, global and block sizes as `vec`

  Not Collective

  Input Parameters:
+ rec  - the record
. name - the array's name
. vec  - the vector that would receive the values
- what - how to call the object in the refusal message, for example "coordinates"

  Level: advanced

.seealso: `PetscSnapshotRecordRefuse()`, `PetscSnapshotRecordGetVec()`
@*/
PetscErrorCode PetscSnapshotRecordCheckVec(PetscSnapshotRecord rec, const char name[], Vec vec, const char what[])
{
  PetscBool               found;
  PetscSnapshotRecordInfo info;
  PetscInt                n, N, bs;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotRecordGetInfo(rec, name, &found, &info));
  if (!found) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "%s was not captured", what));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(VecGetLocalSize(vec, &n));
  PetscCall(VecGetSize(vec, &N));
  PetscCall(VecGetBlockSize(vec, &bs));
  if (info.kind != PETSCSNAPSHOT_RECORD_VEC || info.type != PETSC_SCALAR) PetscCall(PetscSnapshotRecordRefuse(rec, "%s was captured as another kind of object", what));
  else if (info.bs != bs || info.n * info.bs != n || info.N * info.bs != N)
    PetscCall(PetscSnapshotRecordRefuse(rec, "%s changed size: captured local %" PetscInt_FMT " global %" PetscInt_FMT " block size %" PetscInt_FMT ", now local %" PetscInt_FMT " global %" PetscInt_FMT " block size %" PetscInt_FMT, what,
                                        info.n * info.bs, info.N * info.bs, info.bs, n, N, bs));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordGetNames - Lists the names of the record's arrays that begin with a prefix, in sorted order

  Not Collective

  Input Parameters:
+ rec    - the record
- prefix - the prefix ("" for all)

  Output Parameters:
+ n     - how many
- names - the names; free the array (not the strings) with `PetscFree()`. The strings stay valid until the snapshot
          changes.

  Level: advanced

.seealso: `PetscSnapshotRecordGetInfo()`
@*/
PetscErrorCode PetscSnapshotRecordGetNames(PetscSnapshotRecord rec, const char prefix[], PetscInt *n, const char **names[])
{
  std::string_view pre(prefix ? prefix : "");
  PetscInt         cnt = 0;

  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscCheck(n && names, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRecordGetNames: output arguments are NULL");
  for (const auto &[name, slot] : rec->entry->slots)
    if (std::string_view(name).substr(0, pre.size()) == pre) cnt++;
  PetscCall(PetscMalloc1(cnt, names));
  cnt = 0;
  for (const auto &[name, slot] : rec->entry->slots)
    if (std::string_view(name).substr(0, pre.size()) == pre) (*names)[cnt++] = name.c_str();
  *n = cnt;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordRefuse - Reports, from a check (or capture) hook, why the state cannot be restored (or captured)

  Not Collective

  Input Parameters:
+ rec    - the record
- format - a printf-style message naming the object, for example "Vec \"history\" changed size"

  Notes:
  The hook keeps going; after all hooks ran, the driver reduces the refusals over the communicator and raises those of
  the lowest rank that refused on every rank, so that no rank hangs and nothing is written. A rank's refusals are joined
  with "; ", so that the error lists everything that is wrong.

  Level: advanced

.seealso: `PetscSnapshotRegisterDMHook()`, `PetscSnapshotRecordCheckVec()`
@*/
PetscErrorCode PetscSnapshotRecordRefuse(PetscSnapshotRecord rec, const char format[], ...)
{
  std::string text;
  va_list     args;
  int         len;

  PetscFunctionBegin;
  PetscCheck(rec && rec->snap, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "Null or invalid PetscSnapshotRecord (argument 1)");
  PetscCheck(format, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRecordRefuse: format is NULL");
  va_start(args, format);
  len = vsnprintf(nullptr, 0, format, args); /* the whole message, however long the names in it */
  va_end(args);
  PetscCheck(len >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotRecordRefuse: cannot format \"%s\"", format);
  PetscCallCXX(text.assign((size_t)len + 1, '\0'));
  va_start(args, format);
  (void)vsnprintf(text.data(), text.size(), format, args);
  va_end(args);
  text.resize((size_t)len);
  PetscCallCXX(rec->refusal += (rec->refused ? "; " : "") + text);
  rec->refused = true;
  PetscFunctionReturn(PETSC_SUCCESS);
}
