/* What a capture or a restore tells the user: a PetscInfo message (-info :snapshot) and the -snapshot_monitor line. */
#include "../include/snapshotimpl.hpp"

#include <algorithm>

/* Bytes this rank holds for the DMs with these ids, and how many of the snapshot's entries they are. */
static void LocalBytes(PetscSnapshot snap, const std::vector<PetscObjectId> &ids, double *bytes, PetscInt *ndms)
{
  *bytes = 0;
  *ndms  = 0;
  for (const auto &[name, entry] : *snap->entries) {
    if (std::find(ids.begin(), ids.end(), entry.dmId) == ids.end()) continue;
    (*ndms)++;
    for (const auto &[sname, slot] : entry.slots) *bytes += (double)slot.bytes;
  }
}

PetscErrorCode PetscSnapshotReport_Internal(PetscSnapshot snap, const char what[], DM dm, const std::vector<PetscObjectId> &ids, PetscLogDouble seconds)
{
  const char *dmName, *type;
  double      bytes, sums[2];
  PetscInt    ndms, count = what[0] == 'c' ? snap->captureCount : snap->restoreCount;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetName((PetscObject)dm, &dmName));
  PetscCall(PetscSnapshotGetType(snap, &type));
  LocalBytes(snap, ids, &bytes, &ndms);
  PetscCall(PetscInfo(snap, "%s %" PetscInt_FMT " (%s) of DM \"%s\" (%" PetscInt_FMT " DM%s): %.0f bytes on this rank in %.6f s (%.3g GB/s)\n", what, count, type, dmName, ndms, ndms == 1 ? "" : "s",
                      bytes, (double)seconds, seconds > 0 ? bytes / seconds / 1e9 : 0.0));
  if (!snap->monitor) PetscFunctionReturn(PETSC_SUCCESS);
  {
    MPI_Comm    comm = PetscObjectComm((PetscObject)snap);
    PetscViewer viewer;

    sums[0] = bytes;
    sums[1] = (double)seconds;
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sums[0], 1, MPI_DOUBLE, MPI_SUM, comm));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sums[1], 1, MPI_DOUBLE, MPI_MAX, comm));
    PetscCall(PetscViewerASCIIGetStdout(comm, &viewer));
    PetscCall(PetscViewerASCIIPrintf(viewer, "Snapshot %s %" PetscInt_FMT ": type %s, DM \"%s\" (%" PetscInt_FMT " DM%s), %.0f bytes, %.4f s\n", what, count, type, dmName, ndms, ndms == 1 ? "" : "s", sums[0], sums[1]));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotSetMonitor - Prints one line for every capture and restore of the snapshot, like PETSc's monitors

  Logically Collective

  Input Parameters:
+ snap - the snapshot
- flg  - `PETSC_TRUE` to print

  Options Database Key:
. -snapshot_monitor - prints the lines

  Notes:
  Each line, printed by rank 0 of the snapshot's communicator after the operation succeeded, names the operation and
  its number since creation or `PetscSnapshotReset()`, the type, the `DM` (and how many `DM`s the operation took, sub-`DM`s
  such as a swarm's cell `DM` included), the bytes held for them summed over the ranks, and the slowest rank's time:
.vb
  Snapshot capture 3: type hdf5, DM "particles" (2 DMs), 1048576 bytes, 0.0123 s
.ve
  The monitor costs two reductions per operation. For per-rank figures and the phases (file written, loaded, removed,
  redistributed), use `-info :snapshot` and `-log_view`.

  Level: intermediate

.seealso: `PetscSnapshotCapture()`, `PetscSnapshotRestore()`, `PetscSnapshotSetFromOptions()`, `PetscSnapshotView()`
@*/
PetscErrorCode PetscSnapshotSetMonitor(PetscSnapshot snap, PetscBool flg)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  snap->monitor = flg;
  PetscFunctionReturn(PETSC_SUCCESS);
}
