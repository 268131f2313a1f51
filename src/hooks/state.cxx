/* Hook for every DM: the objects declared with PetscSnapshotDMAddState(), found by key with PetscSnapshotDMGetState().
   Each supported kind of object is one row of stateKinds; the arrays are named "state/<key>". */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

namespace petscsnapshot
{

static const char statePrefix[] = "state/";

struct StateKind {
  const char *className;
  PetscErrorCode (*capture)(PetscSnapshotRecord, const char[], PetscObject);
  PetscErrorCode (*check)(PetscSnapshotRecord, const char[], PetscObject, const char[]);
  PetscErrorCode (*restore)(PetscSnapshotRecord, const char[], PetscObject);
};

static PetscErrorCode CaptureVec(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  return PetscSnapshotRecordPutVec(rec, name, (Vec)obj);
}

static PetscErrorCode CheckVec(PetscSnapshotRecord rec, const char name[], PetscObject obj, const char what[])
{
  return PetscSnapshotRecordCheckVec(rec, name, (Vec)obj, what);
}

static PetscErrorCode RestoreVec(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  return PetscSnapshotRecordGetVec(rec, name, (Vec)obj);
}

static const StateKind stateKinds[] = {
  {"Vec", CaptureVec, CheckVec, RestoreVec},
};

/* The declared object under key and its kind; a refusal (and kind NULL) when there is none or it is not supported. */
static PetscErrorCode FindState(PetscSnapshotRecord rec, DM dm, const char key[], PetscObject *obj, const StateKind **kind)
{
  PetscFunctionBegin;
  *kind = nullptr;
  PetscCall(PetscSnapshotDMGetState(dm, key, obj));
  if (!*obj) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "state \"%s\" is declared but no object is composed under that key", key));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  for (const StateKind &k : stateKinds) {
    PetscBool same;

    PetscCall(PetscStrcmp((*obj)->class_name, k.className, &same));
    if (same) {
      *kind = &k;
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  PetscCall(PetscSnapshotRecordRefuse(rec, "state \"%s\" is a %s, which the snapshot cannot capture", key, (*obj)->class_name));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Visit each declared key with its record name "state/<key>". */
template <class Visit>
static PetscErrorCode ForEachDeclared(DM dm, Visit visit)
{
  PetscInt     n;
  const char **keys;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotDMGetStateKeys(dm, &n, &keys));
  for (PetscInt i = 0; i < n; i++) {
    std::string name;

    PetscCallCXX(name = std::string(statePrefix) + keys[i]);
    PetscCall(visit(keys[i], name.c_str()));
  }
  PetscCall(PetscFree(keys));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CaptureState(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscFunctionBegin;
  PetscCall(ForEachDeclared(dm, [&](const char key[], const char name[]) -> PetscErrorCode {
    PetscObject      obj;
    const StateKind *kind;

    PetscFunctionBegin;
    PetscCall(FindState(rec, dm, key, &obj, &kind));
    if (kind) PetscCall(kind->capture(rec, name, obj));
    PetscFunctionReturn(PETSC_SUCCESS);
  }));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckState(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscInt     n;
  const char **captured;

  PetscFunctionBegin;
  PetscCall(ForEachDeclared(dm, [&](const char key[], const char name[]) -> PetscErrorCode {
    PetscObject      obj;
    const StateKind *kind;
    PetscBool        found;
    std::string      what;

    PetscFunctionBegin;
    PetscCall(FindState(rec, dm, key, &obj, &kind));
    if (!kind) PetscFunctionReturn(PETSC_SUCCESS);
    PetscCall(PetscSnapshotRecordGetInfo(rec, name, &found, nullptr));
    if (!found) {
      PetscCall(PetscSnapshotRecordRefuse(rec, "%s \"%s\" is declared now but was not declared at capture", kind->className, key));
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    PetscCallCXX(what = std::string(kind->className) + " \"" + key + "\"");
    PetscCall(kind->check(rec, name, obj, what.c_str()));
    PetscFunctionReturn(PETSC_SUCCESS);
  }));
  /* everything captured must still be declared */
  PetscCall(PetscSnapshotRecordGetNames(rec, statePrefix, &n, &captured));
  for (PetscInt i = 0; i < n; i++) {
    const char *key = captured[i] + sizeof(statePrefix) - 1;
    PetscInt    nk;
    const char **keys;
    PetscBool   declared = PETSC_FALSE;

    PetscCall(PetscSnapshotDMGetStateKeys(dm, &nk, &keys));
    for (PetscInt k = 0; k < nk && !declared; k++) PetscCall(PetscStrcmp(keys[k], key, &declared));
    PetscCall(PetscFree(keys));
    if (!declared) PetscCall(PetscSnapshotRecordRefuse(rec, "state \"%s\" was captured but is no longer declared", key));
  }
  PetscCall(PetscFree(captured));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreState(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscFunctionBegin;
  PetscCall(ForEachDeclared(dm, [&](const char key[], const char name[]) -> PetscErrorCode {
    PetscObject      obj;
    const StateKind *kind;

    PetscFunctionBegin;
    PetscCall(FindState(rec, dm, key, &obj, &kind));
    PetscCheck(kind, PETSC_COMM_SELF, PETSC_ERR_PLIB, "state \"%s\" changed between check and restore", key);
    PetscCall(kind->restore(rec, name, obj));
    PetscFunctionReturn(PETSC_SUCCESS);
  }));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RegisterStateHooks(void)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotRegisterDMHook("state", nullptr, CaptureState, CheckState, RestoreState, nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
