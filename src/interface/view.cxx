/* Viewing a snapshot: ASCII summary (default, ::ascii_info) and per-rank detail (::ascii_info_detail); other viewer
   types are refused with an error naming what works. */
#include "../include/snapshotimpl.hpp"

#include <cstdio>

static const char *RecordKindName(PetscSnapshotRecordKind kind)
{
  switch (kind) {
  case PETSCSNAPSHOT_RECORD_VEC:
    return "Vec";
  case PETSCSNAPSHOT_RECORD_POINT_FIELD:
    return "point field";
  default:
    return "array";
  }
}

/* What one rank's part of an array is, in words: "32 bytes" for a struct, "21 values" (a Vec, an array), "50 points"
   (a point field). */
static std::string LocalAmount(const petscsnapshot::Slot &slot, double n)
{
  char buf[64];

  if (slot.info.kind == PETSCSNAPSHOT_RECORD_POINT_FIELD) std::snprintf(buf, sizeof(buf), "%.0f points", n);
  else if (slot.info.type == PETSC_STRUCT) std::snprintf(buf, sizeof(buf), "%.0f bytes", n * (double)slot.info.bs);
  else std::snprintf(buf, sizeof(buf), "%.0f values", n * (double)slot.info.bs);
  return buf;
}

/* One array: its type and, over the ranks, the amount held (with the range per rank) and the bytes; with detail, one
   line per rank. */
static PetscErrorCode ViewSlot(PetscSnapshot snap, PetscViewer viewer, const std::string &name, const petscsnapshot::Slot &slot, PetscBool detail)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)snap);
  double      n    = (double)slot.info.n, mm[2] = {n, -n}, sums[2] = {n, (double)slot.bytes};
  PetscMPIInt rank;
  std::string type, range;
  char        buf[64];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, mm, 2, MPI_DOUBLE, MPI_MAX, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sums, 2, MPI_DOUBLE, MPI_SUM, comm));
  if (slot.info.type == PETSC_STRUCT && slot.info.kind == PETSCSNAPSHOT_RECORD_POINT_FIELD) {
    std::snprintf(buf, sizeof(buf), "structs of %" PetscInt_FMT " bytes", slot.info.bs);
    type = buf;
  } else if (slot.info.type == PETSC_STRUCT) type = "struct";
  else {
    std::snprintf(buf, sizeof(buf), "%s, bs %" PetscInt_FMT, PetscDataTypes[slot.info.type], slot.info.bs);
    type = buf;
  }
  range = -mm[1] == mm[0] ? LocalAmount(slot, mm[0]) + " on each rank" : LocalAmount(slot, -mm[1]) + " to " + LocalAmount(slot, mm[0]) + " per rank";
  bool bytesOnly = slot.info.type == PETSC_STRUCT && slot.info.kind != PETSCSNAPSHOT_RECORD_POINT_FIELD; /* amount = bytes */
  if (bytesOnly) PetscCall(PetscViewerASCIIPrintf(viewer, "%s \"%s\": %s, %s, %.0f bytes in all\n", RecordKindName(slot.info.kind), name.c_str(), type.c_str(), range.c_str(), sums[1]));
  else PetscCall(PetscViewerASCIIPrintf(viewer, "%s \"%s\": %s, %s (%s in all), %.0f bytes in all\n", RecordKindName(slot.info.kind), name.c_str(), type.c_str(), range.c_str(), LocalAmount(slot, sums[0]).c_str(), sums[1]));
  if (detail) {
    PetscCall(PetscViewerASCIIPushTab(viewer));
    PetscCall(PetscViewerASCIIPushSynchronized(viewer));
    if (bytesOnly) PetscCall(PetscViewerASCIISynchronizedPrintf(viewer, "[%d] %zu bytes\n", (int)rank, slot.bytes));
    else PetscCall(PetscViewerASCIISynchronizedPrintf(viewer, "[%d] %s, %zu bytes\n", (int)rank, LocalAmount(slot, n).c_str(), slot.bytes));
    PetscCall(PetscViewerFlush(viewer));
    PetscCall(PetscViewerASCIIPopSynchronized(viewer));
    PetscCall(PetscViewerASCIIPopTab(viewer));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotView - Prints what the snapshot holds: per `DM`, each captured array with its kind, type, the amount
  held (values, bytes of a struct, or points) on each rank and in all, and its bytes; the number of captures

  Collective

  Input Parameters:
+ snap   - the snapshot
- viewer - a `PETSCVIEWERASCII` viewer (NULL for stdout of the snapshot's communicator)

  Options Database Key:
. -snapshot_view [ascii[:file][:ascii_info_detail]] - view the snapshot when it is destroyed

  Notes:
  The default format (and `PETSC_VIEWER_ASCII_INFO`) is a summary: one line per `DM` and per array, with the range of
  the amount per rank and the totals. `PETSC_VIEWER_ASCII_INFO_DETAIL` adds, under each array, one line per rank with
  its amount and bytes. A declared struct (`PetscSnapshotDMAddStateBytes()`) is shown by its size in bytes on each rank;
  Vec amounts are the rank-local values, ghosts of local vectors included.

  Only ASCII viewers are supported; any other viewer type is an error (`PETSC_ERR_SUP`). In particular an HDF5 viewer
  is refused: the hdf5 type's file is already the snapshot's self-describing HDF5 form (`petscsnapshot-info` shows it).

  Level: beginner

.seealso: `PetscSnapshotViewFromOptions()`, `PetscSnapshotCreate()`, `PetscSnapshotHDF5GetFileInfo()`
@*/
PetscErrorCode PetscSnapshotView(PetscSnapshot snap, PetscViewer viewer)
{
  PetscBool         isascii, ishdf5;
  PetscViewerFormat format;
  PetscBool         detail;
  MPI_Comm          comm;
  PetscViewerType   vtype;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  comm = PetscObjectComm((PetscObject)snap);
  if (!viewer) PetscCall(PetscViewerASCIIGetStdout(comm, &viewer));
  PetscCheck(((PetscObject)viewer)->classid == PETSC_VIEWER_CLASSID, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotView: argument 2 is not a PetscViewer");
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERHDF5, &ishdf5));
  PetscCall(PetscViewerGetType(viewer, &vtype));
  PetscCheck(!ishdf5, PETSC_COMM_SELF, PETSC_ERR_SUP, "PetscSnapshotView: cannot view a PetscSnapshot into an HDF5 viewer: the hdf5 snapshot type writes its own self-describing HDF5 file (-snapshot_type hdf5; petscsnapshot-info shows it); use an ASCII viewer");
  PetscCheck(isascii, PETSC_COMM_SELF, PETSC_ERR_SUP, "PetscSnapshotView: viewer type %s is not supported, only ASCII (-snapshot_view ascii[:file][:ascii_info_detail])", vtype ? vtype : "(not set)");
  PetscCall(PetscViewerGetFormat(viewer, &format));
  detail = format == PETSC_VIEWER_ASCII_INFO_DETAIL ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)snap, viewer));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscTryTypeMethod(snap, view, viewer); /* first: a type may load the inventory it shows (hdf5) */
  PetscCall(PetscViewerASCIIPrintf(viewer, "captures: %" PetscInt_FMT ", restores: %" PetscInt_FMT ", DMs held: %zu\n", snap->captureCount, snap->restoreCount, snap->entries->size()));
  if (snap->retries || snap->restepChecks) PetscCall(PetscViewerASCIIPrintf(viewer, "TS: %" PetscInt_FMT " rejected steps rolled back; restep check: %" PetscInt_FMT " steps taken twice, %" PetscInt_FMT " differed\n", snap->retries, snap->restepChecks, snap->restepMismatches));
  if (snap->restepNotCompared) PetscCall(PetscViewerASCIIPrintf(viewer, "restep check: %" PetscInt_FMT " comparisons could not be made; the last: %s\n", snap->restepNotCompared, snap->restepWhy->c_str()));
  for (const auto &[name, entry] : *snap->entries) {
    double total = 0;
    for (const auto &[sname, slot] : entry.slots) total += (double)slot.bytes;
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &total, 1, MPI_DOUBLE, MPI_SUM, comm));
    PetscCall(PetscViewerASCIIPrintf(viewer, "DM \"%s\" (%s, captured on %d ranks): %" PetscInt_FMT " captures, %zu arrays, %.0f bytes in all\n", name.c_str(), entry.dmType.c_str(), entry.commSize, entry.captures, entry.slots.size(), total));
    PetscCall(PetscViewerASCIIPushTab(viewer));
    for (const auto &[sname, slot] : entry.slots) PetscCall(ViewSlot(snap, viewer, sname, slot, detail));
    PetscCall(petscsnapshot::ViewTopology(snap, entry, viewer));
    PetscCall(PetscViewerASCIIPopTab(viewer));
  }
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotViewFromOptions - Views the snapshot if an option asks for it

  Collective

  Input Parameters:
+ snap - the snapshot
. obj  - an object whose options prefix is used, or NULL
- name - the option, for example "-snapshot_view"

  Level: intermediate

.seealso: `PetscSnapshotView()`, `PetscObjectViewFromOptions()`
@*/
PetscErrorCode PetscSnapshotViewFromOptions(PetscSnapshot snap, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCall(PetscObjectViewFromOptions((PetscObject)snap, obj, name));
  PetscFunctionReturn(PETSC_SUCCESS);
}
