/* What a capture or a restore tells the user: a PetscInfo message (-info :snapshot), the -snapshot_monitor line, and
   the progress lines of a long operation (-snapshot_monitor_progress). */
#include "../include/snapshotimpl.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>

/* Bytes this rank counts for the DMs with these ids, and how many of the snapshot's entries they are: the bytes held
   for them, or for an entry a restore loaded from a file, this rank's share of the file's arrays of the entry (so that
   a restore at another rank count counts what the writer ranks wrote). */
static void LocalBytes(PetscSnapshot snap, const std::vector<PetscObjectId> &ids, double *bytes, PetscInt *ndms)
{
  *bytes = 0;
  *ndms  = 0;
  for (const auto &[name, entry] : *snap->entries) {
    if (std::find(ids.begin(), ids.end(), entry.dmId) == ids.end()) continue;
    (*ndms)++;
    if (entry.fileShare >= 0) *bytes += entry.fileShare;
    else
      for (const auto &[sname, slot] : entry.slots) *bytes += (double)slot.bytes;
  }
}

/* The viewer the lines go to, and its format pushed (popped by PopMonitor()). */
static PetscErrorCode PushMonitor(PetscSnapshot snap, PetscViewer *viewer)
{
  PetscFunctionBegin;
  *viewer = snap->monitor->viewer;
  PetscCall(PetscViewerPushFormat(*viewer, snap->monitor->format));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode PopMonitor(PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerPopFormat(viewer));
  PetscCall(PetscViewerFlush(viewer)); /* a line a person watching the file sees when the operation ends */
  PetscFunctionReturn(PETSC_SUCCESS);
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
    double      rate;

    sums[0] = bytes;
    sums[1] = (double)seconds;
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sums[0], 1, MPI_DOUBLE, MPI_SUM, comm));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sums[1], 1, MPI_DOUBLE, MPI_MAX, comm));
    rate = sums[1] > 0 ? sums[0] / sums[1] : 0.0;
    PetscCall(PushMonitor(snap, &viewer));
    PetscCall(PetscViewerASCIIPrintf(viewer, "Snapshot %s %" PetscInt_FMT ": type %s, DM \"%s\" (%" PetscInt_FMT " DM%s), %.0f bytes, %.4f s, %.3g GB/s", what, count, type, dmName, ndms, ndms == 1 ? "" : "s", sums[0], sums[1], rate / 1e9));
    if (rate < 1e8) PetscCall(PetscViewerASCIIPrintf(viewer, " (%.3g MB/s)", rate / 1e6));
    PetscCall(PetscViewerASCIIPrintf(viewer, "\n"));
    PetscCall(PopMonitor(viewer));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotProgressBegin_Internal(PetscSnapshot snap, const char what[])
{
  PetscFunctionBegin;
  PetscCall(PetscTime(&snap->opStart));
  snap->progressWhat  = what;
  snap->progressTotal = -1;
  snap->progressNext  = snap->monitorProgress;
  PetscFunctionReturn(PETSC_SUCCESS);
}

void PetscSnapshotProgressEnd_Internal(PetscSnapshot snap)
{
  snap->progressWhat  = nullptr;
  snap->progressTotal = -1;
}

PetscErrorCode PetscSnapshotProgress_Internal(PetscSnapshot snap, double done, PetscBool phase, const char format[], ...)
{
  const double   step = (double)snap->monitorProgress, total = snap->progressTotal;
  PetscLogDouble now;
  PetscViewer    viewer;
  char           text[512];
  size_t         len;
  va_list        args;

  PetscFunctionBegin;
  if (!snap->monitor || !snap->progressWhat || step <= 0 || total < step) PetscFunctionReturn(PETSC_SUCCESS);
  if (!phase && (done < 0 || done < snap->progressNext)) PetscFunctionReturn(PETSC_SUCCESS);
  if (done >= snap->progressNext) snap->progressNext = (std::floor(done / step) + 1) * step;
  va_start(args, format);
  PetscCall(PetscVSNPrintf(text, sizeof(text), format, &len, args));
  va_end(args);
  PetscCall(PetscTime(&now));
  PetscCall(PushMonitor(snap, &viewer));
  PetscCall(PetscViewerASCIIPrintf(viewer, "Snapshot %s %" PetscInt_FMT " progress: %s", snap->progressWhat, (snap->progressWhat[0] == 'c' ? snap->captureCount : snap->restoreCount) + 1, text));
  if (done >= 0) PetscCall(PetscViewerASCIIPrintf(viewer, ", %.0f of %.0f bytes (%.0f%%)", done, total, total > 0 ? 100.0 * done / total : 100.0));
  PetscCall(PetscViewerASCIIPrintf(viewer, ", %.4f s\n", (double)(now - snap->opStart)));
  PetscCall(PopMonitor(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotSetMonitor - Prints one line for every capture and restore of the snapshot to the standard output of
  its communicator, like PETSc's monitors

  Logically Collective

  Input Parameters:
+ snap - the snapshot
- flg  - `PETSC_TRUE` to print, `PETSC_FALSE` to stop printing (to any viewer)

  Options Database Key:
. -snapshot_monitor - prints the lines to stdout (`PetscSnapshotSetMonitorViewer()` for a file)

  Notes:
  The same as `PetscSnapshotSetMonitorViewer()` with `PETSC_VIEWER_STDOUT_()` of the snapshot's communicator; see there
  for what the lines contain.

  Level: intermediate

.seealso: `PetscSnapshotSetMonitorViewer()`, `PetscSnapshotSetMonitorProgress()`, `PetscSnapshotCapture()`, `PetscSnapshotRestore()`
@*/
PetscErrorCode PetscSnapshotSetMonitor(PetscSnapshot snap, PetscBool flg)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCall(PetscSnapshotSetMonitorViewer(snap, flg ? PETSC_VIEWER_STDOUT_(PetscObjectComm((PetscObject)snap)) : nullptr, PETSC_VIEWER_DEFAULT));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotSetMonitorViewer - Prints one line for every capture and restore of the snapshot to a viewer, like
  PETSc's monitors

  Logically Collective

  Input Parameters:
+ snap   - the snapshot
. viewer - a `PETSCVIEWERASCII` viewer on the snapshot's communicator, or `NULL` to stop printing
- format - the format pushed on the viewer while a line is printed (`PETSC_VIEWER_DEFAULT`)

  Options Database Keys:
+ -snapshot_monitor [ascii[:file[:format[:append]]]] - the lines to stdout, or to a file (`::append` adds to it)
- -snapshot_monitor_progress <1e9>                   - progress lines, see `PetscSnapshotSetMonitorProgress()`

  Notes:
  The snapshot takes a reference to the viewer and releases it when it is destroyed or the monitor is set again. Only
  ASCII viewers are supported: any other viewer type is an error (`PETSC_ERR_SUP`), from the options database too.
  From the options database each snapshot opens its own viewer: several snapshots monitoring into one file need
  `::append`, or they overwrite each other's lines. The lines are flushed when written.

  Each line, printed by rank 0 of the snapshot's communicator after the operation succeeded, names the operation and
  its number since creation or `PetscSnapshotReset()`, the type, the `DM` (and how many `DM`s the operation took,
  sub-`DM`s such as a swarm's cell `DM` included), the bytes summed over the ranks, the slowest rank's time and the
  throughput in GB/s (these bytes over that time), and in MB/s too below 0.1 GB/s:
.vb
  Snapshot capture 3: type hdf5, DM "particles" (2 DMs), 1048576 bytes, 0.0123 s, 0.0853 GB/s (85.3 MB/s)
.ve
  The bytes are those of the arrays the snapshot holds for the `DM`s (`PetscSnapshotView()` lists them): for a
  declared `Vec`, its local values on each rank (a global `Vec` of N values: N times `sizeof(PetscScalar)` in all),
  plus what the hooks record (the layout of a `DMDA`: 12 `PetscInt` per rank; the
  local coordinates). A restore counts the same arrays; a restore of a hdf5 file at another number of ranks counts the
  file's arrays as the writer ranks wrote them, so that its figure is that of the capture which wrote the file (the
  copies of the mesh data in PETSc's DMPlex layout, which PETSc's loaders read then, are not counted).

  The monitor costs two reductions per operation. For per-rank figures and the phases (file written, loaded, removed,
  redistributed), use `-info :snapshot` and `-log_view`.

  Level: intermediate

.seealso: `PetscSnapshotSetMonitor()`, `PetscSnapshotSetMonitorProgress()`, `PetscSnapshotCapture()`, `PetscSnapshotRestore()`,
          `PetscSnapshotSetFromOptions()`, `PetscSnapshotView()`
@*/
PetscErrorCode PetscSnapshotSetMonitorViewer(PetscSnapshot snap, PetscViewer viewer, PetscViewerFormat format)
{
  PetscBool   isascii;
  const char *vtype;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  if (viewer) {
    PetscCheck(((PetscObject)viewer)->classid == PETSC_VIEWER_CLASSID, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotSetMonitorViewer: argument 2 is not a PetscViewer");
    PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
    PetscCall(PetscViewerGetType(viewer, &vtype));
    /* the viewer's type is the same on every rank: every rank refuses alike */
    PetscCheck(isascii, PETSC_COMM_SELF, PETSC_ERR_SUP, "PetscSnapshotSetMonitorViewer: viewer type %s is not supported, only ASCII (-snapshot_monitor [ascii[:file[:format[:append]]]])", vtype ? vtype : "(not set)");
  }
  if (snap->monitor) PetscCall(PetscViewerAndFormatDestroy(&snap->monitor)); /* 3.18 does not take a NULL one */
  if (viewer) PetscCall(PetscViewerAndFormatCreate(viewer, format, &snap->monitor)); /* takes a reference */
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotSetMonitorProgress - Makes the monitor print progress lines during a long capture or restore of the
  hdf5 type

  Logically Collective

  Input Parameters:
+ snap  - the snapshot
- bytes - the step: an operation on at least this many bytes (summed over the ranks) prints progress lines; 0 for none

  Options Database Key:
. -snapshot_monitor_progress <1e9> - the step in bytes

  Notes:
  Only with the monitor on (`PetscSnapshotSetMonitorViewer()`), for an operation whose bytes every rank knows without
  communicating: a capture or restore of the hdf5 type (its arrays in the file, as counted by the monitor line). A
  capture then prints a line when it starts writing the file (the arrays are copied and checksummed), each time
  another `bytes` of arrays have been written (naming the `DM` and the array just written), when the arrays are
  written, when PETSc's DMPlex layout of the meshes is written, and when the file is in place; a restore when the file
  is read and verified, when every `DM` is checked, and when each `DM` is restored. Each line gives the bytes done of
  the total where they are known, and rank 0's time since the operation began:
.vb
  Snapshot capture 2 progress: wrote DM "mesh" array "state/u", 1000000000 of 2000000000 bytes (50%), 3.0812 s
.ve
  Progress lines cost no communication: rank 0 prints them with its own clock. The final line of the operation is the
  monitor's usual one.

  Level: intermediate

.seealso: `PetscSnapshotSetMonitorViewer()`, `PetscSnapshotSetMonitor()`, `PETSCSNAPSHOTHDF5`
@*/
PetscErrorCode PetscSnapshotSetMonitorProgress(PetscSnapshot snap, PetscReal bytes)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(bytes >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "PetscSnapshotSetMonitorProgress: the step must be 0 (no progress lines) or a number of bytes, not %g (-snapshot_monitor_progress)", (double)bytes);
  snap->monitorProgress = bytes;
  PetscFunctionReturn(PETSC_SUCCESS);
}
