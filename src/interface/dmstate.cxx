/* Declaring what else belongs to a DM's state: composed objects, listed by key. */
#include "../include/snapshotimpl.hpp"

#include <algorithm>

/* PETSc cannot enumerate composed objects (and composes its own internals on DMs), so the keys declared as snapshot
   state are kept in a list composed on the DM under this name.

   An object that itself references the DM (a Vec from DMCreateGlobalVector() composes its DM) cannot be composed on
   the DM: PETSc refuses the cycle. Such an object is held weakly instead, and a guard composed on the object removes it
   from the list when the object is destroyed; the guard references the DM, which the object keeps alive anyway. */
static const char StateKeysName[] = "PetscSnapshotStateKeys";

struct Declared {
  std::string key;
  PetscObject weak = nullptr; /* set when the object references the DM and is therefore not composed on it */
};
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

static PetscErrorCode GuardName(DM dm, const char key[], char name[], size_t len)
{
  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(name, len, "PetscSnapshotGuard_%" PetscInt64_FMT "_%s", (PetscInt64)((PetscObject)dm)->id, key));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Forget a declaration: uncompose the object, or remove the guard of a weakly held one. */
static PetscErrorCode Undeclare(DM dm, KeyList &keys, KeyList::iterator it)
{
  PetscObject weak = it->weak;
  std::string key;

  PetscFunctionBegin;
  PetscCallCXX(key = it->key);
  keys.erase(it);
  if (weak) {
    char guardName[256];

    PetscCall(GuardName(dm, key.c_str(), guardName, sizeof(guardName)));
    PetscCall(PetscObjectCompose(weak, guardName, nullptr));
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
. key - the key, used both for `PetscObjectCompose()` and as the object's name in the snapshot
- obj - the object: a `Vec` (its values are captured); or NULL to declare an object already composed under `key`

  Notes:
  Declaring the same key again replaces the object. The key must be the same on every rank.

  The `DM` holds a reference to `obj` through `PetscObjectCompose()`, except when `obj` itself references the `DM` (a
  `Vec` from `DMCreateGlobalVector()` does): PETSc refuses that cycle, so such an object is held without a reference
  and its declaration disappears when the object is destroyed. Either way nothing leaks.

  At capture, a key with no object composed, or with an object of a kind the snapshot cannot capture, is an error
  naming the key.

  Level: beginner

.seealso: `PetscSnapshotDMRemoveState()`, `PetscSnapshotDMGetStateKeys()`, `PetscSnapshotCapture()`, `PetscObjectCompose()`
@*/
PetscErrorCode PetscSnapshotDMAddState(DM dm, const char key[], PetscObject obj)
{
  KeyList  *keys;
  char     *cycle = nullptr;
  PetscBool skip;

  PetscFunctionBegin;
  PetscSnapshotValidDM(dm, 1);
  PetscCheck(key && key[0], PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotDMAddState: the state needs a key");
  PetscCheck(std::string_view(key) != StateKeysName, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotDMAddState: the key \"%s\" is reserved", key);
  PetscCheck(obj != (PetscObject)dm, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotDMAddState: a DM cannot be declared as its own state (key \"%s\")", key);
  PetscCall(GetKeyList(dm, PETSC_TRUE, &keys));
  {
    auto it = FindKey(*keys, key);
    if (it != keys->end()) PetscCall(Undeclare(dm, *keys, it));
  }
  if (obj) PetscCall(PetscObjectListReverseFind(obj->olist, (PetscObject)dm, &cycle, &skip));
  if (obj && cycle) {
    /* obj references dm: hold it weakly, guarded */
    PetscContainer container;
    Guard         *guard;
    char           guardName[256];

    PetscCallCXX(guard = new Guard{dm, key, obj});
    PetscCall(PetscObjectReference((PetscObject)dm));
    PetscCall(PetscContainerCreate(PETSC_COMM_SELF, &container));
    PetscCall(PetscContainerSetPointer(container, guard));
    PetscCall(PetscSnapshotContainerSetDestroy(container, DestroyGuard));
    PetscCall(GuardName(dm, key, guardName, sizeof(guardName)));
    PetscCallCXX(keys->push_back(Declared{key, obj}));
    PetscCall(PetscObjectCompose(obj, guardName, (PetscObject)container));
    PetscCall(PetscContainerDestroy(&container));
  } else {
    if (obj) PetscCall(PetscObjectCompose((PetscObject)dm, key, obj));
    PetscCallCXX(keys->push_back(Declared{key, nullptr}));
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
