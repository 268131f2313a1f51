/* Hook for every DM: the constants of each of its PetscDS (PetscDSSetConstants()), captured by default. Pointwise FE
   functions read them (a viscosity, a time-dependent coefficient), so a retried step must see the values of its start.
   One array per PetscDS, "ds/<n>/constants" (SCALAR, one value per constant), n the region number of
   DMGetRegionNumDS(). Constants are global: every rank holds the same values; a capture checks that collectively and
   refuses when they differ, so that a file restores them at any rank count (an array every writer rank wrote alike).
   A snapshot without the array (written before constants were captured, or a PetscDS added since) leaves the constants
   of that PetscDS as they are. */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

#include <petscds.h>
#include <cstring>
#include <vector>

namespace petscsnapshot
{

static const char dsPrefix[] = "ds/";

static std::string ConstantsName(PetscInt s)
{
  return std::string(dsPrefix) + std::to_string((long long)s) + "/constants";
}

/* "PetscDS <s> (the whole mesh)" or "PetscDS <s> (region of label "<name>")", for messages */
static PetscErrorCode DSWhat(DM dm, PetscInt s, std::string *what)
{
  DMLabel     label = nullptr;
  const char *lname = nullptr;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotDMGetRegionNumDS(dm, s, &label, nullptr, nullptr));
  if (label) PetscCall(PetscObjectGetName((PetscObject)label, &lname));
  PetscCallCXX(*what = "PetscDS " + std::to_string((long long)s) + (label ? std::string(" (region of label \"") + (lname ? lname : "") + "\")" : std::string(" (the whole mesh)")));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Collective: whether the ranks agree on the number of PetscDS and, for each, on the constants bit for bit (byte-wise
   maximum and minimum in one reduction). */
static PetscErrorCode ConstantsAlike(MPI_Comm comm, const std::vector<PetscInt> &n, const std::vector<const PetscScalar *> &c, bool *sameNds, std::vector<char> *alike)
{
  PetscInt                   nds = (PetscInt)n.size(), range[2] = {-nds, nds};
  std::vector<PetscInt>      counts;
  std::vector<unsigned char> bytes;
  size_t                     total = 0;

  PetscFunctionBegin;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, range, 2, MPIU_INT, MPI_MAX, comm));
  *sameNds = -range[0] == range[1];
  if (!*sameNds) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallCXX(counts.resize(2 * (size_t)nds));
  for (PetscInt s = 0; s < nds; s++) {
    counts[2 * s]     = -n[s];
    counts[2 * s + 1] = n[s];
  }
  if (nds) PetscCall(MPIU_Allreduce(MPI_IN_PLACE, counts.data(), (PetscMPIInt)counts.size(), MPIU_INT, MPI_MAX, comm));
  PetscCallCXX(alike->assign((size_t)nds, 1));
  for (PetscInt s = 0; s < nds; s++) {
    if (-counts[2 * s] != counts[2 * s + 1]) (*alike)[s] = 0;
    else total += (size_t)n[s] * sizeof(PetscScalar);
  }
  PetscCallCXX(bytes.resize(2 * total));
  for (PetscInt s = 0, at = 0; s < nds; s++) {
    if (!(*alike)[s]) continue;
    const unsigned char *b = reinterpret_cast<const unsigned char *>(c[s]);
    for (size_t i = 0; i < (size_t)n[s] * sizeof(PetscScalar); i++, at++) {
      bytes[at]         = b[i];
      bytes[total + at] = (unsigned char)~b[i]; /* max of the complement: the complement of the min */
    }
  }
  if (total) PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, bytes.data(), (PetscMPIInt)bytes.size(), MPI_UNSIGNED_CHAR, MPI_MAX, comm));
  for (PetscInt s = 0, at = 0; s < nds; s++) {
    if (!(*alike)[s]) continue;
    for (size_t i = 0; i < (size_t)n[s] * sizeof(PetscScalar); i++, at++)
      if (bytes[at] != (unsigned char)~bytes[total + at]) (*alike)[s] = 0;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Collective (every rank runs it, whatever an earlier hook did): one reduction of the counts, one of the values. */
static PetscErrorCode CaptureConstants(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscInt                         nds;
  std::vector<PetscInt>            n;
  std::vector<const PetscScalar *> c;
  std::vector<char>                alike;
  bool                             sameNds;
  const char                      *dmName;

  PetscFunctionBegin;
  PetscCall(DMGetNumDS(dm, &nds));
  PetscCallCXX(n.assign((size_t)nds, 0));
  PetscCallCXX(c.assign((size_t)nds, nullptr));
  for (PetscInt s = 0; s < nds; s++) {
    PetscDS ds = nullptr;

    PetscCall(PetscSnapshotDMGetRegionNumDS(dm, s, nullptr, nullptr, &ds));
    if (ds) PetscCall(PetscDSGetConstants(ds, &n[s], &c[s]));
  }
  PetscCall(ConstantsAlike(PetscObjectComm((PetscObject)dm), n, c, &sameNds, &alike));
  PetscCall(PetscSnapshotRecordGetDMName(rec, &dmName));
  if (!sameNds) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "DM \"%s\" has another number of PetscDS on each rank", dmName));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  for (PetscInt s = 0; s < nds; s++) {
    std::string what;

    if (!alike[s]) {
      PetscCall(DSWhat(dm, s, &what));
      PetscCall(PetscSnapshotRecordRefuse(rec, "DM \"%s\", %s: its constants differ between ranks (PetscDSSetConstants() must give every rank the same values: they are global)", dmName, what.c_str()));
      continue;
    }
    PetscCall(PetscSnapshotRecordPutArray(rec, ConstantsName(s).c_str(), PETSC_SCALAR, 1, n[s], c[s]));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckConstants(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscInt     nds, ncaptured;
  const char **captured;
  const char  *dmName;

  PetscFunctionBegin;
  PetscCall(DMGetNumDS(dm, &nds));
  PetscCall(PetscSnapshotRecordGetDMName(rec, &dmName));
  for (PetscInt s = 0; s < nds; s++) {
    PetscDS                 ds = nullptr;
    PetscInt                n  = 0;
    const PetscScalar      *c;
    PetscSnapshotRecordInfo info;
    PetscBool               found, rankwise;
    std::string             name, what;

    PetscCallCXX(name = ConstantsName(s));
    PetscCall(PetscSnapshotRecordGetInfo(rec, name.c_str(), &found, &info));
    if (!found) continue; /* captured before constants were, or a PetscDS added since: left as it is */
    PetscCall(DSWhat(dm, s, &what));
    PetscCall(PetscSnapshotDMGetRegionNumDS(dm, s, nullptr, nullptr, &ds));
    if (ds) PetscCall(PetscDSGetConstants(ds, &n, &c));
    PetscCall(RecordRankwise(rec, name.c_str(), &rankwise));
    if (info.type != PETSC_SCALAR || info.bs != 1 || rankwise) PetscCall(PetscSnapshotRecordRefuse(rec, "DM \"%s\", %s: its constants were captured as another kind of array", dmName, what.c_str()));
    else if (!ds) PetscCall(PetscSnapshotRecordRefuse(rec, "DM \"%s\", %s: it had constants at capture and has no PetscDS now", dmName, what.c_str()));
    else if (info.n != n)
      PetscCall(PetscSnapshotRecordRefuse(rec, "DM \"%s\", %s: it has %" PetscInt_FMT " constants now but %" PetscInt_FMT " were captured (PetscDSSetConstants() with the captured number first)", dmName, what.c_str(), n, info.n));
  }
  /* every PetscDS captured must still exist */
  PetscCall(PetscSnapshotRecordGetNames(rec, dsPrefix, &ncaptured, &captured));
  for (PetscInt i = 0; i < ncaptured; i++) {
    long long s = std::atoll(captured[i] + sizeof(dsPrefix) - 1);

    if (s >= nds) PetscCall(PetscSnapshotRecordRefuse(rec, "DM \"%s\": PetscDS %lld had constants at capture, but the DM has %" PetscInt_FMT " PetscDS now", dmName, s, nds));
  }
  PetscCall(PetscFree(captured));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreConstants(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscInt nds;

  PetscFunctionBegin;
  PetscCall(DMGetNumDS(dm, &nds));
  for (PetscInt s = 0; s < nds; s++) {
    PetscDS                  ds = nullptr;
    PetscSnapshotRecordInfo  info;
    PetscBool                found;
    std::string              name;
    std::vector<PetscScalar> values;

    PetscCallCXX(name = ConstantsName(s));
    PetscCall(PetscSnapshotRecordGetInfo(rec, name.c_str(), &found, &info));
    PetscCall(PetscSnapshotDMGetRegionNumDS(dm, s, nullptr, nullptr, &ds));
    if (!found || !ds || !info.n) continue;
    PetscCallCXX(values.resize((size_t)info.n));
    PetscCall(PetscSnapshotRecordGetArray(rec, name.c_str(), PETSC_SCALAR, 1, info.n, values.data()));
    PetscCall(PetscDSSetConstants(ds, info.n, values.data()));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RegisterDSConstantsHooks(void)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotRegisterDMHook("ds_constants", nullptr, CaptureConstants, CheckConstants, RestoreConstants, nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
