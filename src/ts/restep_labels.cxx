/* The restep check's view of the labels of the TS's DM that are not declared as state: a checksum of each (its name,
   default value, values in order and every stratum's points, on this rank), compared between the start and the end of
   a step and between steps. A label is neither captured nor restored unless declared (PetscSnapshotDMAddState() with
   the DMLabel): one that a step or a callback between steps changes is state that no retry or restore rolls back. */
#include "attach.hpp"

#include <petscdmlabel.h>
#include <cstring>

namespace petscsnapshot
{

/* FNV-1a, 64 bits: change detection, not integrity */
static void Mix(uint64_t *h, const void *data, size_t n)
{
  const unsigned char *b = static_cast<const unsigned char *>(data);

  for (size_t i = 0; i < n; i++) *h = (*h ^ b[i]) * 1099511628211ull;
}

static PetscErrorCode LabelSum(DMLabel label, uint64_t *h)
{
  IS              valueIS;
  PetscInt        nv, def;
  const PetscInt *values;

  PetscFunctionBegin;
  *h = 14695981039346656037ull;
  PetscCall(DMLabelGetDefaultValue(label, &def));
  Mix(h, &def, sizeof(def));
  PetscCall(DMLabelGetValueIS(label, &valueIS));
  PetscCall(ISGetLocalSize(valueIS, &nv));
  PetscCall(ISGetIndices(valueIS, &values));
  for (PetscInt v = 0; v < nv; v++) {
    IS              stratum;
    PetscInt        np = 0;
    const PetscInt *p;

    Mix(h, &values[v], sizeof(PetscInt));
    PetscCall(DMLabelGetStratumIS(label, values[v], &stratum));
    if (stratum) PetscCall(ISGetLocalSize(stratum, &np));
    Mix(h, &np, sizeof(np));
    if (np) {
      PetscCall(ISGetIndices(stratum, &p));
      Mix(h, p, (size_t)np * sizeof(PetscInt));
      PetscCall(ISRestoreIndices(stratum, &p));
    }
    PetscCall(ISDestroy(&stratum));
  }
  PetscCall(ISRestoreIndices(valueIS, &values));
  PetscCall(ISDestroy(&valueIS));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RestepLabelSums(DM dm, LabelSums *sums)
{
  PetscInt                 nk, nl;
  const char             **keys;
  std::vector<PetscObject> declared;

  PetscFunctionBegin;
  sums->clear();
  if (!dm) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscSnapshotDMGetStateKeys(dm, &nk, &keys));
  for (PetscInt k = 0; k < nk; k++) {
    PetscObject o;
    PetscCall(PetscSnapshotDMGetState(dm, keys[k], &o));
    if (o && o->classid == DMLABEL_CLASSID) PetscCallCXX(declared.push_back(o));
  }
  PetscCall(PetscFree(keys));
  PetscCall(DMGetNumLabels(dm, &nl));
  for (PetscInt l = 0; l < nl; l++) {
    DMLabel     label;
    const char *name;
    uint64_t    h;
    bool        isDeclared = false;

    PetscCall(DMGetLabelByNum(dm, l, &label));
    for (PetscObject o : declared) isDeclared = isDeclared || o == (PetscObject)label;
    if (isDeclared) continue;
    PetscCall(PetscObjectGetName((PetscObject)label, &name));
    PetscCall(LabelSum(label, &h));
    PetscCallCXX(sums->emplace_back(name ? name : "", h));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RestepChangedLabel(TS ts, const LabelSums &before, const LabelSums &after, std::string *changed)
{
  std::string local;
  const char *dmName = nullptr;
  bool        any;

  PetscFunctionBegin;
  if (ts->dm) PetscCall(PetscObjectGetName((PetscObject)ts->dm, &dmName));
  for (size_t i = 0; i < before.size() && i < after.size() && local.empty(); i++) {
    if (before[i].first != after[i].first) PetscCallCXX(local = "the set of labels of DM \"" + std::string(dmName ? dmName : "") + "\"");
    else if (before[i].second != after[i].second) PetscCallCXX(local = "label \"" + before[i].first + "\" of DM \"" + std::string(dmName ? dmName : "") + "\"");
  }
  if (local.empty() && before.size() != after.size()) PetscCallCXX(local = "the set of labels of DM \"" + std::string(dmName ? dmName : "") + "\"");
  PetscCall(AgreeFailure(PetscObjectComm((PetscObject)ts), !local.empty(), local, &any, changed));
  if (!any) changed->clear();
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
