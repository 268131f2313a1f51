/* The Capture and Restore drivers: argument and communicator checks, log events, hooks, sub-DMs, collective
   refusals. */
#include "../include/snapshotimpl.hpp"

#include <cstring>

namespace petscsnapshot
{

/* Run every hook registered for dm's type, in registration order, in one phase. */
static PetscErrorCode RunHooks(_n_PetscSnapshotRecord &rec, Phase phase)
{
  std::vector<Hook> *hooks;

  PetscFunctionBegin;
  PetscCall(HookRegistryGet(&hooks));
  rec.phase = phase;
  for (const Hook &h : *hooks) {
    PetscBool           match = PETSC_TRUE;
    PetscSnapshotHookFn fn    = phase == Phase::Capture ? h.capture : (phase == Phase::Check ? h.check : h.restore);

    if (!fn) continue;
    if (!h.dmType.empty()) PetscCall(PetscObjectTypeCompare((PetscObject)rec.dm, h.dmType.c_str(), &match));
    if (match) PetscCall((*fn)(&rec, rec.dm, h.ctx));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckCommunicator(PetscSnapshot snap, DM dm, const char caller[])
{
  PetscMPIInt result;
  const char *name;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_compare(PetscObjectComm((PetscObject)snap), PetscObjectComm((PetscObject)dm), &result));
  PetscCall(PetscObjectGetName((PetscObject)dm, &name));
  PetscCheck(result == MPI_IDENT || result == MPI_CONGRUENT, PETSC_COMM_SELF, PETSC_ERR_ARG_NOTSAMECOMM, "%s: DM \"%s\" does not live on the snapshot's communicator (or a congruent one)", caller, name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Run the capture hooks of dm into entry; refusals raised collectively; arrays no hook wrote any more are dropped. */
static PetscErrorCode CaptureEntry(PetscSnapshot snap, DM dm, Entry &entry, int depth, std::vector<PetscObjectId> *visited)
{
  _n_PetscSnapshotRecord rec;
  MPI_Comm               comm = PetscObjectComm((PetscObject)dm);
  DMType                 type;

  PetscFunctionBegin;
  PetscCall(DMGetType(dm, &type));
  PetscCallCXX(entry.dmType = type ? type : "");
  PetscCallMPI(MPI_Comm_size(comm, &entry.commSize));
  entry.dmId = ((PetscObject)dm)->id;
  for (auto &[sname, slot] : entry.slots) slot.seen = false;
  rec.snap  = snap;
  rec.entry = &entry;
  rec.dm      = dm;
  rec.depth   = depth;
  rec.visited = visited;
  PetscCall(RunHooks(rec, Phase::Capture));
  PetscCall(RaiseCollective(comm, rec.refused, rec.refusal, PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshotCapture"));
  for (auto it = entry.slots.begin(); it != entry.slots.end();) {
    if (it->second.seen) {
      ++it;
      continue;
    }
    PetscTryTypeMethod(snap, drop, &it->second);
    PetscCallCXX(it = entry.slots.erase(it));
  }
  entry.captures++;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The start of capturing or checking one DM of a tree: each DM is visited once per call (sub-DM relations may form
   cycles, a swarm declared on its own cell DM), and must live on the snapshot's communicator. */
static PetscErrorCode EnterTree(PetscSnapshot snap, DM dm, std::vector<PetscObjectId> *visited, const char caller[], bool *seen)
{
  PetscFunctionBegin;
  *seen = false;
  for (PetscObjectId id : *visited) *seen = *seen || id == ((PetscObject)dm)->id;
  if (*seen) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallCXX(visited->push_back(((PetscObject)dm)->id));
  PetscCall(CheckCommunicator(snap, dm, caller));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode CaptureTree(PetscSnapshot snap, DM dm, int depth, std::vector<PetscObjectId> *visited)
{
  const char *name;
  Entry      *entry;
  bool        seen;

  PetscFunctionBegin;
  PetscCall(EnterTree(snap, dm, visited, "PetscSnapshotCapture", &seen));
  if (seen) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectGetName((PetscObject)dm, &name));
  {
    auto      it      = snap->entries->find(std::string_view(name));
    PetscBool foreign = (it != snap->entries->end() && it->second.dmId != ((PetscObject)dm)->id) ? PETSC_TRUE : PETSC_FALSE;

    /* ids differ only if rank-local objects differ, so reduce */
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &foreign, 1, MPIU_BOOL, MPI_LOR, PetscObjectComm((PetscObject)snap)));
    PetscCheck(!foreign, PetscObjectComm((PetscObject)snap), PETSC_ERR_ARG_WRONG,
               "PetscSnapshotCapture: the snapshot already holds a different DM named \"%s\"; give each DM its own name with PetscObjectSetName() or call PetscSnapshotReset()", name);
    if (it == snap->entries->end()) PetscCallCXX(it = snap->entries->emplace(name, Entry{}).first);
    entry = &it->second;
    PetscCallCXX(entry->name = name);
  }
  {
    PetscErrorCode ierr = CaptureEntry(snap, dm, *entry, depth, visited);

    if (ierr) {
      /* never keep half a capture */
      PetscCall(PetscSnapshotDropEntry_Internal(snap, snap->entries->find(std::string_view(name))));
      PetscCall(ierr);
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Check dm against its entry. Refusals are recorded in rec (the caller's record for a sub-DM); dm is appended to the
   plan after its sub-DMs. */
PetscErrorCode CheckTree(PetscSnapshot snap, DM dm, int depth, RestorePlan *plan, std::vector<PetscObjectId> *visited, _n_PetscSnapshotRecord *parent)
{
  const char            *name;
  PetscMPIInt            size;
  _n_PetscSnapshotRecord rec;
  bool                   seen;

  PetscFunctionBegin;
  PetscCall(EnterTree(snap, dm, visited, "PetscSnapshotRestore", &seen));
  if (seen) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)dm), &size));
  PetscCall(PetscObjectGetName((PetscObject)dm, &name));
  auto it = snap->entries->find(std::string_view(name));
  if (it == snap->entries->end()) {
    std::string held;

    for (const auto &[n, e] : *snap->entries) PetscCallCXX(held += (held.empty() ? "\"" : ", \"") + n + "\"");
    PetscCall(PetscSnapshotRecordRefuse(parent, "the snapshot holds no DM named \"%s\" (%s%s)", name, held.empty() ? "it is empty: nothing was captured" : "it holds ", held.c_str()));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (it->second.commSize != size && !snap->ops->getmeshvec) { /* a storage type that cannot redistribute */
    PetscCall(PetscSnapshotRecordRefuse(parent, "DM \"%s\" was captured on %d ranks and is restored on %d", name, it->second.commSize, size));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  it->second.redistribute = false; /* at the same rank count the layout hook of a DMPlex (or a swarm's) may decide otherwise */
  rec.snap  = snap;
  rec.entry = &it->second;
  rec.dm    = dm;
  rec.depth   = depth;
  rec.plan    = plan;
  rec.visited = visited;
  PetscCall(RunHooks(rec, Phase::Check));
  if (rec.refused) {
    if (depth == 0) PetscCall(PetscSnapshotRecordRefuse(parent, "refusing to restore DM \"%s\", nothing was written: %s", name, rec.refusal.c_str()));
    else PetscCall(PetscSnapshotRecordRefuse(parent, "its sub-DM \"%s\": %s", name, rec.refusal.c_str()));
  }
  PetscCallCXX(plan->emplace_back(dm, &it->second));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot

using namespace petscsnapshot;

/*@
  PetscSnapshotCapture - Captures the mutable state of a `DM` into the snapshot

  Collective

  Input Parameters:
+ snap - the snapshot
- dm   - the `DM`, on the snapshot's communicator

  Notes:
  What is captured is decided by the hooks registered for the `DM`'s type (`PetscSnapshotRegisterDMHook()`). Built in:
  the local coordinates and, when present, the local cell coordinates of any `DM`; the layout of a `DMPLEX` or `DMDA`
  (checked at restore); every object declared with `PetscSnapshotDMAddState()`; for a `DMSWARM`, every field of every
  local particle, and its cell `DM` (captured as an entry of its own).

  The snapshot keys its entries by the `DM`'s name (`PetscObjectSetName()`), never by pointer, so several `DM`s can be
  captured into one snapshot and the state can be restored into another `DM` with the same name. Capturing the same
  `DM` again replaces its entry and reuses its buffers. Capturing a different `DM` under a name the snapshot already
  holds is an error unless the entry was bound to it by a restore; name your `DM`s or call `PetscSnapshotReset()`.

  The snapshot holds copies of the data, never the live objects' arrays: destroying the `DM` or its `Vec`s after a
  capture is safe. If a capture fails, the `DM`'s entry is dropped (a later restore refuses rather than restoring half
  of it).

  Level: beginner

.seealso: `PetscSnapshotRestore()`, `PetscSnapshotDMAddState()`, `PetscSnapshotCreate()`, `PetscSnapshotRegisterDMHook()`
@*/
PetscErrorCode PetscSnapshotCapture(PetscSnapshot snap, DM dm)
{
  PetscErrorCode             ierr;
  std::vector<PetscObjectId> visited;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscSnapshotValidDM(dm, 2);
  PetscCall(CheckCommunicator(snap, dm, "PetscSnapshotCapture"));
  PetscCall(PetscSnapshotSetUp(snap));
  PetscTryTypeMethod(snap, begincapture); /* may refuse (no file name): before the event begins */
  PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_Capture, snap, dm, 0, 0));
  ierr = CaptureTree(snap, dm, 0, &visited);
  if (snap->ops->endcapture) {
    PetscErrorCode ierrEnd = (*snap->ops->endcapture)(snap, ierr ? PETSC_FALSE : PETSC_TRUE); /* e.g. write the file */
    if (!ierr) ierr = ierrEnd;
  }
  PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_Capture, snap, dm, 0, 0));
  PetscCall(ierr);
  snap->captureCount++;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotRestore - Restores the state of a `DM` from the snapshot, exactly

  Collective

  Input Parameters:
+ snap - the snapshot
- dm   - the `DM`; its entry is found by name

  Notes:
  Restore checks everything before it writes anything: that the snapshot holds an entry for the `DM` (and for its
  sub-`DM`s, such as a swarm's cell `DM`), made on the same number of ranks; the `DM`'s layout (chart, section and vector
  sizes); that the same state is declared with the same sizes; for a swarm, the same fields with the same types and
  block sizes, none checked out. A mismatch on any rank raises `PETSC_ERR_ARG_INCOMP` on every rank, naming the object,
  with nothing written. Sub-`DM`s are restored before the `DM`s that use them.

  After a restore the `DM` is consistent: the global coordinate vector is rebuilt from the restored local one, and the
  coordinate caches PETSc keeps (coordinate field, FVM and FEM geometry) are dropped. Restoring does not consume the
  snapshot: the same state can be restored any number of times.

  Level: beginner

.seealso: `PetscSnapshotCapture()`, `PetscSnapshotDMAddState()`, `PetscSnapshotCreate()`
@*/
PetscErrorCode PetscSnapshotRestore(PetscSnapshot snap, DM dm)
{
  MPI_Comm               comm;
  _n_PetscSnapshotRecord top; /* collects the refusals of the whole tree */
  RestorePlan                plan;
  std::vector<PetscObjectId> visited;
  PetscErrorCode             ierr;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscSnapshotValidDM(dm, 2);
  PetscCall(CheckCommunicator(snap, dm, "PetscSnapshotRestore"));
  PetscCall(PetscSnapshotSetUp(snap));
  comm = PetscObjectComm((PetscObject)dm);
  top.snap  = snap;
  top.entry = nullptr;
  PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_Restore, snap, dm, 0, 0));
  ierr = snap->ops->beginrestore ? (*snap->ops->beginrestore)(snap) : PETSC_SUCCESS; /* e.g. load and verify the file */
  if (!ierr) ierr = CheckTree(snap, dm, 0, &plan, &visited, &top);
  if (!ierr) ierr = RaiseCollective(comm, top.refused, top.refusal, PETSC_ERR_ARG_INCOMP, "PetscSnapshotRestore");
  if (ierr) {
    PetscTryTypeMethod(snap, endrestore);
    PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_Restore, snap, dm, 0, 0));
    PetscCall(ierr);
  }
  for (auto &[d, entry] : plan) {
    _n_PetscSnapshotRecord rec;

    rec.snap  = snap;
    rec.entry = entry;
    rec.dm    = d;
    PetscCall(RunHooks(rec, Phase::Restore));
    entry->dmId = ((PetscObject)d)->id; /* the entry is now bound to this DM */
  }
  PetscTryTypeMethod(snap, endrestore);
  PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_Restore, snap, dm, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordAddSubDM - From a hook, makes another `DM` part of the record's `DM`: captured with it (as an
  entry of its own, keyed by its name), checked with it, and restored before it

  Collective

  Input Parameters:
+ rec - the record of the `DM` that uses `sub`
- sub - the sub-`DM`, for example a swarm's cell `DM`

  Notes:
  Call it from the capture hook and from the check hook; it does nothing in the restore phase (the driver restores
  sub-`DM`s first). A sub-`DM` that was not captured, or whose check refuses, makes the restore of the `DM` refuse.

  Level: advanced

.seealso: `PetscSnapshotRegisterDMHook()`, `PetscSnapshotCapture()`, `PetscSnapshotRestore()`
@*/
PetscErrorCode PetscSnapshotRecordAddSubDM(PetscSnapshotRecord rec, DM sub)
{
  PetscFunctionBegin;
  PetscCheck(rec && rec->snap && rec->entry, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "Null or invalid PetscSnapshotRecord (argument 1)");
  PetscSnapshotValidDM(sub, 2);
  switch (rec->phase) {
  case Phase::Capture:
    PetscCall(CaptureTree(rec->snap, sub, rec->depth + 1, rec->visited));
    break;
  case Phase::Check:
    PetscCall(CheckTree(rec->snap, sub, rec->depth + 1, rec->plan, rec->visited, rec));
    break;
  case Phase::Restore:
    break;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
