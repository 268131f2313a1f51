/* The registry of DM hooks: what is captured for each DM type. Applications add to it. */
#include "../include/snapshotimpl.hpp"

namespace petscsnapshot
{

static std::vector<Hook> *registry = nullptr;

PetscErrorCode HookRegistryGet(std::vector<Hook> **hooks)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotInitializePackage());
  if (!registry) PetscCallCXX(registry = new std::vector<Hook>());
  *hooks = registry;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode HookRegistryClear(void)
{
  PetscFunctionBegin;
  delete registry;
  registry = nullptr;
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot

/*@C
  PetscSnapshotRegisterDMHook - Adds a hook that captures, checks and restores one part of the state of `DM`s of one
  type, so that applications can make `PetscSnapshotCapture()` cover state of their own

  Not Collective

  Input Parameters:
+ name    - the hook's name; registering a name again replaces that hook
. type    - the `DMType` the hook applies to, or NULL for every `DM`
. capture - puts arrays into the record with `PetscSnapshotRecordPutArray()` / `PetscSnapshotRecordPutVec()`
. check   - runs before any restore hook, changes nothing, and reports mismatches with `PetscSnapshotRecordRefuse()`
- restore - gets the arrays back with `PetscSnapshotRecordGetArray()` / `PetscSnapshotRecordGetVec()`
. ctx     - passed to the three functions

  Notes:
  Hooks run in registration order; the built-in ones (layout, coordinates, declared state) come first. Name the arrays
  of your hook with a prefix of its own, for example "myapp/".

  Level: advanced

.seealso: `PetscSnapshotHookFn`, `PetscSnapshotRecord`, `PetscSnapshotCapture()`, `PetscSnapshotRestore()`
@*/
PetscErrorCode PetscSnapshotRegisterDMHook(const char name[], DMType type, PetscSnapshotHookFn capture, PetscSnapshotHookFn check, PetscSnapshotHookFn restore, void *ctx)
{
  std::vector<petscsnapshot::Hook> *hooks;

  PetscFunctionBegin;
  PetscCheck(name && name[0], PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRegisterDMHook: a hook needs a name");
  PetscCheck(capture && check && restore, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRegisterDMHook: hook \"%s\" needs capture, check and restore functions", name);
  PetscCall(petscsnapshot::HookRegistryGet(&hooks));
  auto &list = *hooks;
  for (auto &h : list) {
    if (h.name == name) {
      PetscCallCXX(h = petscsnapshot::Hook{name, type ? type : "", capture, check, restore, ctx});
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  PetscCallCXX(list.push_back(petscsnapshot::Hook{name, type ? type : "", capture, check, restore, ctx}));
  PetscFunctionReturn(PETSC_SUCCESS);
}
