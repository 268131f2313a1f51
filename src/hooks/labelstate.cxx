/* A DMLabel declared as state (PetscSnapshotDMAddState()): its default value and its strata, values in the label's
   order and each stratum's points, per rank. Arrays: "state/<key>" the values, "state/<key>#sizes" the points of each
   stratum, "state/<key>#points" their points one stratum after another, "state/<key>#default" the default value.
   Restored exactly (DMLabelReset(), then the strata in their captured order) on the ranks that captured it; where the
   points are redistributed (another rank count or partition) the label is refused: its points are this rank's. */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

#include <petscdmlabel.h>
#include <vector>

namespace petscsnapshot
{

static std::string LabelPart(const char name[], const char part[])
{
  return std::string(name) + '#' + part;
}

PetscErrorCode CaptureLabelState(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  DMLabel               label = (DMLabel)obj;
  IS                    valueIS;
  PetscInt              nv, def;
  const PetscInt       *values;
  std::vector<PetscInt> sizes, points;

  PetscFunctionBegin;
  PetscCall(DMLabelGetDefaultValue(label, &def));
  PetscCall(DMLabelGetValueIS(label, &valueIS));
  PetscCall(ISGetLocalSize(valueIS, &nv));
  PetscCall(ISGetIndices(valueIS, &values));
  PetscCallCXX(sizes.assign((size_t)nv, 0));
  for (PetscInt v = 0; v < nv; v++) {
    IS              stratum;
    PetscInt        np = 0;
    const PetscInt *p;

    PetscCall(DMLabelGetStratumIS(label, values[v], &stratum));
    if (!stratum) continue;
    PetscCall(ISGetLocalSize(stratum, &np));
    PetscCall(ISGetIndices(stratum, &p));
    PetscCallCXX(points.insert(points.end(), p, p + np));
    PetscCall(ISRestoreIndices(stratum, &p));
    PetscCall(ISDestroy(&stratum));
    sizes[v] = np;
  }
  PetscCall(PetscSnapshotRecordPutArray(rec, name, PETSC_INT, 1, nv, values));
  PetscCall(ISRestoreIndices(valueIS, &values));
  PetscCall(ISDestroy(&valueIS));
  PetscCall(PetscSnapshotRecordPutArray(rec, LabelPart(name, "sizes").c_str(), PETSC_INT, 1, nv, sizes.data()));
  PetscCall(PetscSnapshotRecordPutArray(rec, LabelPart(name, "points").c_str(), PETSC_INT, 1, (PetscInt)points.size(), points.data()));
  PetscCall(PetscSnapshotRecordPutArray(rec, LabelPart(name, "default").c_str(), PETSC_INT, 1, 1, &def));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode CheckLabelState(PetscSnapshotRecord rec, const char name[], PetscObject, const char what[])
{
  PetscBool               redistributed, ok = PETSC_TRUE;
  PetscSnapshotRecordInfo values{}, sizes{}, points{};

  PetscFunctionBegin;
  PetscCall(RecordRedistributed(rec, &redistributed));
  if (redistributed) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "%s holds the points of each rank: it can be restored only on the %d ranks that captured it, into the same partition (a label is not redistributed with the mesh)", what, rec->entry->commSize));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  for (auto [part, info] : {std::pair<const char *, PetscSnapshotRecordInfo *>{nullptr, &values}, {"sizes", &sizes}, {"points", &points}, {"default", nullptr}}) {
    PetscSnapshotRecordInfo any{};
    PetscBool               found;
    PetscSnapshotRecordInfo *i = info ? info : &any;

    PetscCall(PetscSnapshotRecordGetInfo(rec, part ? LabelPart(name, part).c_str() : name, &found, i));
    if (!found || i->type != PETSC_INT || i->bs != 1 || (!info && i->n != 1)) ok = PETSC_FALSE;
  }
  if (ok && values.n != sizes.n) ok = PETSC_FALSE;
  if (ok) { /* the strata's sizes add up to the points held */
    std::vector<PetscInt> n;
    PetscInt              total = 0;

    PetscCallCXX(n.resize((size_t)sizes.n));
    PetscCall(PetscSnapshotRecordGetArray(rec, LabelPart(name, "sizes").c_str(), PETSC_INT, 1, sizes.n, n.data()));
    for (PetscInt v = 0; v < sizes.n && ok; v++) {
      if (n[v] < 0) ok = PETSC_FALSE;
      total += n[v];
    }
    if (total != points.n) ok = PETSC_FALSE;
  }
  if (!ok) PetscCall(PetscSnapshotRecordRefuse(rec, "%s was captured as another kind of object", what));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RestoreLabelState(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  DMLabel                 label = (DMLabel)obj;
  PetscSnapshotRecordInfo vinfo, pinfo;
  PetscBool               found;
  PetscInt                def, at = 0; /* the check hook verified that the sizes add up to the points */
  std::vector<PetscInt>   values, sizes, points;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotRecordGetInfo(rec, name, &found, &vinfo));
  PetscCall(PetscSnapshotRecordGetInfo(rec, LabelPart(name, "points").c_str(), &found, &pinfo));
  PetscCallCXX(values.resize((size_t)vinfo.n));
  PetscCallCXX(sizes.resize((size_t)vinfo.n));
  PetscCallCXX(points.resize((size_t)pinfo.n));
  PetscCall(PetscSnapshotRecordGetArray(rec, name, PETSC_INT, 1, vinfo.n, values.data()));
  PetscCall(PetscSnapshotRecordGetArray(rec, LabelPart(name, "sizes").c_str(), PETSC_INT, 1, vinfo.n, sizes.data()));
  PetscCall(PetscSnapshotRecordGetArray(rec, LabelPart(name, "points").c_str(), PETSC_INT, 1, pinfo.n, points.data()));
  PetscCall(PetscSnapshotRecordGetArray(rec, LabelPart(name, "default").c_str(), PETSC_INT, 1, 1, &def));
  PetscCall(DMLabelReset(label));
  PetscCall(DMLabelSetDefaultValue(label, def));
  at = 0;
  for (PetscInt v = 0; v < vinfo.n; v++) {
    IS stratum;

    PetscCall(ISCreateGeneral(PETSC_COMM_SELF, sizes[v], points.data() + at, PETSC_COPY_VALUES, &stratum));
    PetscCall(DMLabelSetStratumIS(label, values[v], stratum));
    PetscCall(ISDestroy(&stratum));
    at += sizes[v];
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
