/* Declaring what else belongs to a DM's state: composed objects, listed by key. */
#include "../include/snapshotimpl.hpp"
#include "../include/userstate.hpp"

#include <petsc/private/tsimpl.h>
#include <petscdmswarm.h>

#include <algorithm>
#include <cstring>

/* PETSc cannot enumerate composed objects (and composes its own internals on DMs), so the keys declared as snapshot
   state are kept in a list composed on the DM under this name.

   An object that itself references the DM (a Vec from DMCreateGlobalVector() composes its DM) cannot be composed on
   the DM: PETSc refuses the cycle. Such an object is held weakly instead, and a guard composed on the object removes it
   from the list when the object is destroyed; the guard references the DM, which the object keeps alive anyway. */
static const char StateKeysName[] = "PetscSnapshotStateKeys";

struct Declared {
  std::string key;
  PetscObject weak = nullptr; /* set when the object references the DM and is therefore not composed on it */
  std::string guard;          /* then: the name its guard is composed under on it */
};

/* PETSc 3.18 copies a composition name into a 256-byte field without checking its length (a longer one corrupts the
   heap), so keys, which are composition names, are limited to 255 characters. */
static const size_t maxKeyLength = 255;

/* A key every storage type can hold and PETSc can compose under: checked when it is declared, so that whatever a
   capture accepts a restore can restore. */
static PetscErrorCode CheckKey(const char caller[], const char key[])
{
  size_t len;

  PetscFunctionBegin;
  PetscCheck(key && key[0], PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "%s: the state needs a key", caller);
  len = std::strlen(key);
  PetscCheck(len <= maxKeyLength, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "%s: key \"%.40s...\" has %zu characters; keys have at most %zu (PETSc composes objects under names of at most %zu characters)", caller, key, len, maxKeyLength, maxKeyLength);
  PetscCheck(!std::strchr(key, '#'), PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "%s: key \"%s\": '#' is reserved in keys", caller, key);
  PetscCall(petscsnapshot::CheckStorableName(caller, "key", key));
  PetscFunctionReturn(PETSC_SUCCESS);
}
using KeyList = std::vector<Declared>;

struct Guard {
  DM          dm;
  std::string key;
  PetscObject obj;
};

static PetscErrorCode DestroyKeyList(PetscSnapshotContainerCtxArg arg)
{
  delete static_cast<KeyList *>(PetscSnapshotContainerCtxGet(arg));
  return PETSC_SUCCESS;
}

static PetscErrorCode GetKeyList(DM dm, PetscBool create, KeyList **keys)
{
  PetscContainer container;

  PetscFunctionBegin;
  *keys = nullptr;
  PetscCall(PetscObjectQuery((PetscObject)dm, StateKeysName, (PetscObject *)&container));
  if (container) {
    PetscCall(PetscContainerGetPointer(container, (void **)keys));
  } else if (create) {
    KeyList *list;

    PetscCallCXX(list = new KeyList());
    PetscCall(PetscContainerCreate(PETSC_COMM_SELF, &container));
    PetscCall(PetscContainerSetPointer(container, list));
    PetscCall(PetscSnapshotContainerSetDestroy(container, DestroyKeyList));
    PetscCall(PetscObjectCompose((PetscObject)dm, StateKeysName, (PetscObject)container));
    PetscCall(PetscContainerDestroy(&container));
    *keys = list;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static KeyList::iterator FindKey(KeyList &keys, std::string_view key)
{
  return std::find_if(keys.begin(), keys.end(), [&](const Declared &d) { return d.key == key; });
}

/* The guard on a weakly held object: when the object goes, its declaration goes. */
static PetscErrorCode DestroyGuard(PetscSnapshotContainerCtxArg arg)
{
  Guard   *guard = static_cast<Guard *>(PetscSnapshotContainerCtxGet(arg));
  KeyList *keys;

  PetscFunctionBegin;
  PetscCall(GetKeyList(guard->dm, PETSC_FALSE, &keys));
  if (keys) {
    auto it = FindKey(*keys, guard->key);
    if (it != keys->end() && it->weak == guard->obj) keys->erase(it);
  }
  PetscCall(DMDestroy(&guard->dm));
  delete guard;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The name of the guard of a weakly held object: unique per DM and declaration, and short whatever the key. */
static PetscErrorCode GuardName(DM dm, std::string *name)
{
  static PetscInt64 serial = 0;

  PetscFunctionBegin;
  PetscCallCXX(*name = "PetscSnapshotGuard_" + std::to_string((long long)((PetscObject)dm)->id) + "_" + std::to_string((long long)++serial));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Does obj hold a reference to dm? Then composing it on dm would make a cycle that PETSc never collects. */
static PetscErrorCode ReferencesDM(PetscObject obj, DM dm, PetscBool *refs)
{
  PetscSnapshotObjectListName name = nullptr;
  PetscBool                   skip, is;

  PetscFunctionBegin;
  PetscCall(PetscObjectListReverseFind(obj->olist, (PetscObject)dm, &name, &skip));
  *refs = name ? PETSC_TRUE : PETSC_FALSE;
  if (*refs) PetscFunctionReturn(PETSC_SUCCESS);
  if (obj->classid == TS_CLASSID) {
    *refs = ((TS)obj)->dm == dm ? PETSC_TRUE : PETSC_FALSE; /* TSGetDM() would create a DM */
  } else if (obj->classid == DM_CLASSID) {
    PetscCall(PetscObjectTypeCompare(obj, DMSWARM, &is));
    if (is) {
      DM cell;
      PetscCall(PetscSnapshotSwarmGetCellDM((DM)obj, &cell));
      *refs = cell == dm ? PETSC_TRUE : PETSC_FALSE;
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Forget a declaration: uncompose the object, or remove the guard of a weakly held one. */
static PetscErrorCode Undeclare(DM dm, KeyList &keys, KeyList::iterator it)
{
  PetscObject weak = it->weak;
  std::string key, guard;

  PetscFunctionBegin;
  PetscCallCXX(key = it->key);
  PetscCallCXX(guard = it->guard);
  keys.erase(it);
  if (weak) {
    PetscCall(PetscObjectCompose(weak, guard.c_str(), nullptr));
  } else {
    PetscCall(PetscObjectCompose((PetscObject)dm, key.c_str(), nullptr));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotDMAddState - Declares an object as part of a `DM`'s state: it is composed on the `DM` under `key` and
  captured and restored with the `DM` by `PetscSnapshotCapture()` and `PetscSnapshotRestore()`

  Logically Collective

  Input Parameters:
+ dm  - the `DM`
. key - the key, used both for `PetscObjectCompose()` and as the object's name in the snapshot (no '#')
- obj - the object, or NULL to declare an object already composed under `key`. Supported:
  `Vec` (its local values);
  `IS` (its local indices and block size; restored as an `ISGENERAL`);
  `DM` (captured as an entry of its own, with all of its state, and restored before `dm`: a swarm, an auxiliary mesh);
  `TS` (its time, time step, step number and solution; restoring restarts the method with `TSRestartStep()`);
  `DMLabel` (its default value and strata, values and points of this rank, restored exactly; at the ranks and in the
  partition that captured it only);
  `PetscRandom` of type `PETSCRANDER48` or `PETSCRAND48` (its type, seed, interval and generator state, so that the
  same numbers are drawn again; at the ranks and in the partition that captured it only; a changed type is refused, and
  any other type, `PETSCRAND` included, is refused at capture naming the type);
  user state made with `PetscSnapshotDMAddStateBytes()` or `PetscSnapshotDMAddStateCallbacks()`

  Notes:
  Declaring the same key again replaces the object. The key must be the same on every rank (a capture refuses
  declarations that differ between ranks). A key has at most 255 characters (PETSc composes objects under names of
  at most that length), no '#', and is a path of '/'-separated parts none of which is empty or "." (the hdf5 type
  stores it as an HDF5 path); any other key is refused here, naming the rule.

  The `DM` holds a reference to `obj` through `PetscObjectCompose()`, except when `obj` itself references the `DM` (a
  `Vec` from `DMCreateGlobalVector()`, a `TS` whose `DM` it is, a swarm whose cell `DM` it is): that would be a
  reference cycle, so such an object is held without a reference and its declaration disappears when the object is
  destroyed. Either way nothing leaks.

  At capture, a key with no object composed, or with an object of a kind the snapshot cannot capture, is an error
  naming the key.

  Level: beginner

.seealso: `PetscSnapshotDMRemoveState()`, `PetscSnapshotDMGetStateKeys()`, `PetscSnapshotCapture()`, `PetscObjectCompose()`,
          `PetscSnapshotDMAddStateBytes()`, `PetscSnapshotDMAddStateCallbacks()`
@*/
PetscErrorCode PetscSnapshotDMAddState(DM dm, const char key[], PetscObject obj)
{
  KeyList  *keys;
  PetscBool cycle = PETSC_FALSE;

  PetscFunctionBegin;
  PetscSnapshotValidDM(dm, 1);
  PetscCall(CheckKey("PetscSnapshotDMAddState", key));
  PetscCheck(std::string_view(key) != StateKeysName, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotDMAddState: the key \"%s\" is reserved", key);
  PetscCheck(obj != (PetscObject)dm, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotDMAddState: a DM cannot be declared as its own state (key \"%s\")", key);
  PetscCall(GetKeyList(dm, PETSC_TRUE, &keys));
  {
    auto it = FindKey(*keys, key);
    if (it != keys->end()) PetscCall(Undeclare(dm, *keys, it));
  }
  if (obj) PetscCall(ReferencesDM(obj, dm, &cycle));
  if (obj && cycle) {
    /* obj references dm: hold it weakly, guarded */
    PetscContainer container;
    Guard         *guard;
    std::string    guardName;

    PetscCallCXX(guard = new Guard{dm, key, obj});
    PetscCall(PetscObjectReference((PetscObject)dm));
    PetscCall(PetscContainerCreate(PETSC_COMM_SELF, &container));
    PetscCall(PetscContainerSetPointer(container, guard));
    PetscCall(PetscSnapshotContainerSetDestroy(container, DestroyGuard));
    PetscCall(GuardName(dm, &guardName));
    PetscCallCXX(keys->push_back(Declared{key, obj, guardName}));
    PetscCall(PetscObjectCompose(obj, guardName.c_str(), (PetscObject)container));
    PetscCall(PetscContainerDestroy(&container));
  } else {
    if (obj) PetscCall(PetscObjectCompose((PetscObject)dm, key, obj));
    PetscCallCXX(keys->push_back(Declared{key, nullptr, ""}));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotDMRemoveState - Removes a key from a `DM`'s declared state and the composed object from the `DM`

  Logically Collective

  Input Parameters:
+ dm  - the `DM`
- key - the key given to `PetscSnapshotDMAddState()`

  Notes:
  Removing a key that was never declared is not an error.

  Level: beginner

.seealso: `PetscSnapshotDMAddState()`, `PetscSnapshotDMGetStateKeys()`
@*/
PetscErrorCode PetscSnapshotDMRemoveState(DM dm, const char key[])
{
  KeyList *keys;

  PetscFunctionBegin;
  PetscSnapshotValidDM(dm, 1);
  PetscCheck(key && key[0], PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotDMRemoveState: key is NULL");
  PetscCall(GetKeyList(dm, PETSC_FALSE, &keys));
  if (!keys) PetscFunctionReturn(PETSC_SUCCESS);
  auto it = FindKey(*keys, key);
  if (it != keys->end()) PetscCall(Undeclare(dm, *keys, it));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotDMGetState - Gets the object declared as a `DM`'s state under a key

  Not Collective

  Input Parameters:
+ dm  - the `DM`
- key - the key given to `PetscSnapshotDMAddState()`

  Output Parameter:
. obj - the object, or NULL when none is declared or composed under `key`

  Level: intermediate

.seealso: `PetscSnapshotDMAddState()`, `PetscSnapshotDMGetStateKeys()`
@*/
PetscErrorCode PetscSnapshotDMGetState(DM dm, const char key[], PetscObject *obj)
{
  KeyList *keys;

  PetscFunctionBegin;
  PetscSnapshotValidDM(dm, 1);
  PetscCheck(key && obj, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotDMGetState: key and obj are required");
  *obj = nullptr;
  PetscCall(GetKeyList(dm, PETSC_FALSE, &keys));
  if (!keys) PetscFunctionReturn(PETSC_SUCCESS);
  auto it = FindKey(*keys, key);
  if (it == keys->end()) PetscFunctionReturn(PETSC_SUCCESS);
  if (it->weak) *obj = it->weak;
  else PetscCall(PetscObjectQuery((PetscObject)dm, key, obj));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotDMGetStateKeys - Lists the keys declared as a `DM`'s state, in declaration order

  Not Collective

  Input Parameter:
. dm - the `DM`

  Output Parameters:
+ n    - how many keys
- keys - the keys (may be NULL); free the array, not the strings, with `PetscFree()`. The strings stay valid until the
         declaration changes.

  Level: intermediate

.seealso: `PetscSnapshotDMAddState()`, `PetscSnapshotDMRemoveState()`
@*/
PetscErrorCode PetscSnapshotDMGetStateKeys(DM dm, PetscInt *n, const char **keys[])
{
  KeyList *list;

  PetscFunctionBegin;
  PetscSnapshotValidDM(dm, 1);
  PetscCheck(n, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotDMGetStateKeys: n is NULL");
  PetscCall(GetKeyList(dm, PETSC_FALSE, &list));
  *n = list ? (PetscInt)list->size() : 0;
  if (keys) {
    PetscCall(PetscMalloc1(*n, keys));
    for (PetscInt i = 0; i < *n; i++) (*keys)[i] = (*list)[i].key.c_str();
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

namespace petscsnapshot
{

static PetscErrorCode DestroyUserState(PetscSnapshotContainerCtxArg arg)
{
  UserState *us = static_cast<UserState *>(PetscSnapshotContainerCtxGet(arg));

  PetscFunctionBegin;
  if (us->destroy) PetscCall((*us->destroy)(us->ctx));
  PetscCall(PetscFree(us->scratch));
  delete us;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode UserStateFromContainer(PetscContainer container, UserState **us)
{
  void *ptr;

  PetscFunctionBegin;
  PetscCall(PetscContainerGetPointer(container, &ptr));
  *us = (ptr && static_cast<UserState *>(ptr)->magic == UserState::magicValue) ? static_cast<UserState *>(ptr) : nullptr;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode UserStateScratch(UserState *us, size_t size, void **buffer)
{
  PetscFunctionBegin;
  if (us->scratchSize < size) {
    PetscCall(PetscFree(us->scratch));
    PetscCall(PetscMalloc(size, &us->scratch));
    us->scratchSize = size;
  }
  *buffer = us->scratch;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode DeclareUserState(DM dm, const char key[], UserState *us)
{
  PetscContainer container;

  PetscFunctionBegin;
  PetscCall(PetscContainerCreate(PETSC_COMM_SELF, &container));
  PetscCall(PetscContainerSetPointer(container, us));
  PetscCall(PetscSnapshotContainerSetDestroy(container, DestroyUserState));
  PetscCall(PetscSnapshotDMAddState(dm, key, (PetscObject)container));
  PetscCall(PetscContainerDestroy(&container));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot

/*@C
  PetscSnapshotDMAddStateBytes - Declares plain-old-data user state (a struct) as part of a `DM`'s state: its bytes are
  captured and restored with the `DM`. The common case, in one call.

  Logically Collective

  Input Parameters:
+ dm      - the `DM`
. key     - the name of the state (no '#')
. data    - the struct; it must stay valid while declared (the snapshot copies from and to it, bytewise)
. size    - its size in bytes, `sizeof(*data)`
- version - the schema version of the struct; bump it when the struct changes

  Notes:
  Restore refuses, naming the key, when the version or the size differs from the captured ones, and writes nothing.
  The struct must hold no pointers to memory that changes (they would be restored as stale addresses): for such state
  use `PetscSnapshotDMAddStateCallbacks()`.

  Example Usage:
.vb
  typedef struct { PetscInt nsolves; PetscReal dtHistory[3]; } SolverState;
  SolverState state;
  PetscSnapshotDMAddStateBytes(dm, "solver", &state, sizeof(state), 1);
.ve

  Level: beginner

.seealso: `PetscSnapshotDMAddState()`, `PetscSnapshotDMAddStateCallbacks()`, `PetscSnapshotDMRemoveState()`
@*/
PetscErrorCode PetscSnapshotDMAddStateBytes(DM dm, const char key[], void *data, size_t size, PetscInt version)
{
  petscsnapshot::UserState *us;

  PetscFunctionBegin;
  PetscSnapshotValidDM(dm, 1);
  PetscCall(CheckKey("PetscSnapshotDMAddStateBytes", key));
  PetscCheck(data || !size, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotDMAddStateBytes: state \"%s\" has %zu bytes and no data", key ? key : "", size);
  PetscCallCXX(us = new petscsnapshot::UserState());
  us->data    = data;
  us->size    = size;
  us->version = version;
  PetscCall(petscsnapshot::DeclareUserState(dm, key, us));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotDMAddStateCallbacks - Declares user state that is not plain data as part of a `DM`'s state, through
  functions that write it into bytes and rebuild it from bytes

  Logically Collective

  Input Parameters:
+ dm      - the `DM`
. key     - the name of the state (no '#')
. version - the schema version of the byte format; bump it when the format changes
. size    - tells how many bytes `capture` will write now (the state may grow and shrink)
. capture - writes the state into bytes
. restore - rebuilds the state from the bytes `capture` wrote (their number is passed)
. ctx     - the state, passed to the three functions
- destroy - frees `ctx` when the declaration goes away, or NULL

  Notes:
  Restore refuses, naming the key, when the version differs; the restore function is trusted with the size. The bytes
  are kept in a buffer reused from capture to capture.

  The functions may fail on some ranks only (raise an error with `SETERRQ()` or `PetscCheck()` on `PETSC_COMM_SELF`):
  `PetscSnapshotCapture()` and `PetscSnapshotRestore()` then fail on every rank with that rank's message, without
  hanging. A failed capture keeps nothing of the `DM`; a failed restore function leaves its state as it left it, while
  every other object of the restore is restored.

  Level: intermediate

.seealso: `PetscSnapshotDMAddStateBytes()`, `PetscSnapshotDMAddState()`, `PetscSnapshotStateCaptureFn`, `PetscSnapshotStateRestoreFn`
@*/
PetscErrorCode PetscSnapshotDMAddStateCallbacks(DM dm, const char key[], PetscInt version, PetscSnapshotStateSizeFn size, PetscSnapshotStateCaptureFn capture, PetscSnapshotStateRestoreFn restore, void *ctx, PetscErrorCode (*destroy)(void *))
{
  petscsnapshot::UserState *us;

  PetscFunctionBegin;
  PetscSnapshotValidDM(dm, 1);
  PetscCall(CheckKey("PetscSnapshotDMAddStateCallbacks", key));
  PetscCheck(size && capture && restore, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotDMAddStateCallbacks: state \"%s\" needs size, capture and restore functions", key ? key : "");
  PetscCallCXX(us = new petscsnapshot::UserState());
  us->version   = version;
  us->sizeFn    = size;
  us->captureFn = capture;
  us->restoreFn = restore;
  us->ctx       = ctx;
  us->destroy   = destroy;
  PetscCall(petscsnapshot::DeclareUserState(dm, key, us));
  PetscFunctionReturn(PETSC_SUCCESS);
}
