/* The Capture and Restore drivers: argument and communicator checks, log events, hooks, sub-DMs, collective
   refusals. */
#include "../include/snapshotimpl.hpp"

#include <petscdmswarm.h>
#include <petsctime.h>

#include <cstdint>
#include <cstring>

namespace petscsnapshot
{

/* Run every hook registered for dm's type, in registration order, in one phase. Each hook is a local step (docs/design.md,
   "Every failure is collective"): its error is recorded in rec.failures, never raised here, and the remaining hooks
   still run, so that every rank makes the same collective calls; the driver agrees the failures after the phase. */
static PetscErrorCode RunHooks(_n_PetscSnapshotRecord &rec, Phase phase)
{
  std::vector<Hook> *hooks;
  const char        *dmName;

  PetscFunctionBegin;
  PetscCheck(rec.failures, PETSC_COMM_SELF, PETSC_ERR_PLIB, "hooks run without a LocalFailures");
  PetscCall(HookRegistryGet(&hooks));
  PetscCall(PetscObjectGetName((PetscObject)rec.dm, &dmName));
  rec.phase = phase;
  for (const Hook &h : *hooks) {
    PetscBool           match = PETSC_TRUE;
    PetscSnapshotHookFn fn    = phase == Phase::Capture ? h.capture : (phase == Phase::Check ? h.check : h.restore);
    std::string         what;

    if (!fn) continue;
    if (!h.dmType.empty()) PetscCall(PetscObjectTypeCompare((PetscObject)rec.dm, h.dmType.c_str(), &match));
    if (!match) continue;
    PetscCallCXX(what = "DM \"" + std::string(dmName) + "\", hook \"" + h.name + "\"");
    (void)rec.failures->Attempt(what, [&]() { return (*fn)(&rec, rec.dm, h.ctx); });
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* After a phase: raise, on every rank, the first failure of a hook or callback, else the refusals (refusalCode) of the
   lowest rank that refused. One reduction. */
static PetscErrorCode AgreeHooks(MPI_Comm comm, const LocalFailures &failures, bool refused, const std::string &refusal, PetscErrorCode refusalCode, const char caller[])
{
  PetscFunctionBegin;
  if (failures.Failed()) PetscCall(RaiseCollective(comm, true, failures.Message(), failures.Code() ? failures.Code() : PETSC_ERR_LIB, caller));
  else PetscCall(RaiseCollective(comm, refused, refusal, refusalCode, caller));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* What a capture of one DM wrote, as every rank must agree on it: one line per array (name, kind, type, block size;
   not the rank-local length) and one per sub-DM. */
static std::string Inventory(const Entry &entry, const std::vector<DM> &subDMs)
{
  std::string inv;

  for (const auto &[name, slot] : entry.slots) {
    if (!slot.seen) continue;
    inv += name + '\t' + std::to_string((int)slot.info.kind) + '\t' + std::to_string((int)slot.info.type) + '\t' + std::to_string((long long)slot.info.bs) + '\n';
  }
  for (DM sub : subDMs) inv += std::string("\x01sub-DM\t") + (((PetscObject)sub)->name ? ((PetscObject)sub)->name : "") + '\n';
  return inv;
}

/* Collective: is s the same on every rank? (an FNV-1a hash, its max and min reduced at once) */
static PetscErrorCode SameOnEveryRank(MPI_Comm comm, const std::string &s, bool *same)
{
  uint64_t h[2] = {14695981039346656037ULL, 0};

  PetscFunctionBegin;
  for (unsigned char c : s) h[0] = (h[0] ^ c) * 1099511628211ULL;
  h[1] = ~h[0];
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, h, 2, MPI_UINT64_T, MPI_MAX, comm));
  *same = h[0] == ~h[1]; /* max == min */
  PetscFunctionReturn(PETSC_SUCCESS);
}

static std::vector<std::string> Lines(const std::string &s)
{
  std::vector<std::string> lines;
  size_t                   at = 0, nl;

  while ((nl = s.find('\n', at)) != std::string::npos) {
    lines.push_back(s.substr(at, nl - at));
    at = nl + 1;
  }
  return lines;
}

/* "array "name" (VEC, SCALAR x bs 2)" or "sub-DM "name"", from an inventory line */
static std::string Describe(const std::string &line)
{
  static const char *const kinds[] = {"array", "Vec", "point field"};
  std::vector<std::string> f;
  size_t                   at = 0, tab;

  if (line.rfind("\x01sub-DM\t", 0) == 0) return "sub-DM \"" + line.substr(8) + "\"";
  while ((tab = line.find('\t', at)) != std::string::npos) {
    f.push_back(line.substr(at, tab - at));
    at = tab + 1;
  }
  f.push_back(line.substr(at));
  if (f.size() != 4) return "\"" + line + "\"";
  int kind = std::stoi(f[1]), type = std::stoi(f[2]);
  return "\"" + f[0] + "\" (" + (kind >= 0 && kind < 3 ? kinds[kind] : "?") + " of " + (type >= 0 && type <= PETSC_INT64 ? PetscDataTypes[type] : "?") + ", block size " + f[3] + ")";
}

/* The first difference between rank 0's inventory and this rank's, in words, or "". */
static std::string FirstDifference(const std::string &root, const std::string &mine, PetscMPIInt rank)
{
  std::vector<std::string> a = Lines(root), b = Lines(mine);
  std::string              r  = "rank " + std::to_string(rank);
  size_t                   i = 0, j = 0;

  /* arrays in name order, then sub-DMs */
  auto nameOf = [](const std::string &l) { return std::make_pair(l.rfind("\x01sub-DM\t", 0) == 0, l.substr(0, l.find('\t'))); };
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      i++, j++;
      continue;
    }
    if (i < a.size() && j < b.size() && nameOf(a[i]) == nameOf(b[j]) && !nameOf(a[i]).first) return Describe(a[i]) + " on rank 0 is " + Describe(b[j]) + " on " + r;
    if (j == b.size() || (i < a.size() && nameOf(a[i]) < nameOf(b[j]))) return "rank 0 captures " + Describe(a[i]) + " and " + r + " does not";
    return r + " captures " + Describe(b[j]) + " and rank 0 does not";
  }
  return "";
}

/* Collective: the ranks must have captured the same arrays (names, kinds, types, block sizes) and the same sub-DMs,
   or a storage that writes collectively (hdf5) would wait forever; refuse on every rank, naming the first array that
   differs on the lowest rank that differs from rank 0. */
static PetscErrorCode AgreeInventory(MPI_Comm comm, const Entry &entry, const std::vector<DM> &subDMs)
{
  std::string inv, root, diff;
  PetscMPIInt rank;
  bool        same;

  PetscFunctionBegin;
  PetscCallCXX(inv = Inventory(entry, subDMs));
  PetscCall(SameOnEveryRank(comm, inv, &same));
  if (same) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) PetscCallCXX(root = inv);
  PetscCall(BcastString(comm, 0, &root));
  if (rank) PetscCallCXX(diff = FirstDifference(root, inv, rank));
  if (!diff.empty()) PetscCallCXX(diff = "DM \"" + entry.name + "\": the ranks do not capture the same state (declarations, swarm fields and hook arrays must be the same on every rank): " + diff);
  PetscCall(RaiseCollective(comm, !diff.empty(), diff, PETSC_ERR_ARG_INCOMP, "PetscSnapshotCapture"));
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

/* Run the capture hooks of dm into entry; agree on every rank that they succeeded and wrote the same inventory (before
   anything is written collectively); drop arrays no hook wrote any more; then capture the sub-DMs the hooks named. */
static PetscErrorCode CaptureEntry(PetscSnapshot snap, DM dm, Entry &entry, int depth, std::vector<PetscObjectId> *visited)
{
  _n_PetscSnapshotRecord rec;
  MPI_Comm               comm = PetscObjectComm((PetscObject)dm);
  LocalFailures          failures(comm, "PetscSnapshotCapture");
  DMType                 type;

  PetscFunctionBegin;
  PetscCall(DMGetType(dm, &type));
  PetscCallCXX(entry.dmType = type ? type : "");
  PetscCallMPI(MPI_Comm_size(comm, &entry.commSize));
  entry.dmId = ((PetscObject)dm)->id;
  for (auto &[sname, slot] : entry.slots) slot.seen = false;
  rec.snap     = snap;
  rec.entry    = &entry;
  rec.dm       = dm;
  rec.depth    = depth;
  rec.visited  = visited;
  rec.failures = &failures;
  PetscCall(RunHooks(rec, Phase::Capture));
  PetscCall(AgreeHooks(comm, failures, rec.refused, rec.refusal, PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshotCapture"));
  PetscCall(AgreeInventory(comm, entry, rec.subDMs));
  /* arrays no hook wrote any more are dropped when the whole capture succeeded (CaptureUndoCommit()) */
  PetscCall(CaptureTopology(snap, dm, entry)); /* collective, after the ranks agreed; nothing unless asked */
  entry.captures++;
  for (DM sub : rec.subDMs) PetscCall(CaptureTree(snap, sub, depth + 1, visited));
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
  { /* entries are found by name: a name that differs between the ranks would send them down different paths */
    const char *name;
    bool        same;

    PetscCall(PetscObjectGetName((PetscObject)dm, &name));
    PetscCall(SameOnEveryRank(PetscObjectComm((PetscObject)dm), name, &same));
    PetscCall(RaiseCollective(PetscObjectComm((PetscObject)dm), !same, std::string("DM \"") + name + "\" has another name on some rank (PetscObjectSetName() must give a DM the same name on every rank); nothing was " + (strcmp(caller, "PetscSnapshotCapture") ? "restored" : "captured"), PETSC_ERR_ARG_INCOMP, caller));
  }
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
    bool      created = it == snap->entries->end();

    /* ids differ only if rank-local objects differ, so reduce */
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &foreign, 1, PETSCSNAPSHOT_MPI_BOOL, MPI_LOR, PetscObjectComm((PetscObject)snap)));
    PetscCall(RaiseCollective(PetscObjectComm((PetscObject)snap), foreign,
                              "the snapshot already holds a different DM named \"" + std::string(name) + "\"; give each DM its own name with PetscObjectSetName() or call PetscSnapshotReset()", PETSC_ERR_ARG_WRONG, "PetscSnapshotCapture"));
    if (created) PetscCallCXX(it = snap->entries->emplace(name, Entry{}).first);
    entry = &it->second;
    PetscCallCXX(entry->name = name);
    PetscCall(CaptureUndoTouch(snap, *entry, created)); /* a failed capture puts it back (never half a capture) */
  }
  PetscCall(CaptureEntry(snap, dm, *entry, depth, visited));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Check dm against its entry. Refusals are recorded in rec (the caller's record for a sub-DM); dm is appended to the
   plan after its sub-DMs. */
/* A swarm's particles live in the cells of its cell DM: the cell DM is checked before the swarm's hooks run, and if
   its points are redistributed (another rank count or partition), so are the particles, by location; every hook of
   the swarm (its declared state too) then sees it. */
static PetscErrorCode CheckCellDMFirst(PetscSnapshot snap, DM dm, Entry &entry, RestorePlan *plan, std::vector<PetscObjectId> *visited, _n_PetscSnapshotRecord &rec)
{
  PetscBool   isswarm;
  DM          cell = nullptr;
  const char *cellName;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMSWARM, &isswarm));
  if (!isswarm) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscSnapshotSwarmGetCellDM(dm, &cell));
  if (!cell) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(CheckTree(snap, cell, rec.depth + 1, plan, visited, &rec)); /* the swarm hook names it again: seen */
  PetscCall(PetscObjectGetName((PetscObject)cell, &cellName));
  auto it = snap->entries->find(std::string_view(cellName));
  if (it != snap->entries->end() && it->second.redistribute) entry.redistribute = true;
  PetscFunctionReturn(PETSC_SUCCESS);
}

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
  it->second.redistribute = false; /* at the same rank count the layout hook of a DMPlex (or a swarm's cell DM) may decide otherwise */
  rec.snap     = snap;
  rec.entry    = &it->second;
  rec.dm       = dm;
  rec.depth    = depth;
  rec.plan     = plan;
  rec.visited  = visited;
  rec.failures = parent->failures; /* one LocalFailures for the whole tree, agreed by PetscSnapshotRestore() */
  PetscCall(CheckCellDMFirst(snap, dm, it->second, plan, visited, rec));
  PetscCall(RunHooks(rec, Phase::Check));
  { /* the sub-DMs the hooks named, checked now (before dm joins the plan) if every rank named the same */
    std::string subs;
    bool        same;

    for (DM sub : rec.subDMs) PetscCallCXX(subs += std::string(((PetscObject)sub)->name ? ((PetscObject)sub)->name : "") + '\n');
    PetscCall(SameOnEveryRank(PetscObjectComm((PetscObject)dm), subs, &same));
    if (!same) PetscCall(PetscSnapshotRecordRefuse(&rec, "the ranks name different sub-DMs (declared DMs or a swarm's cell DM)"));
    else
      for (DM sub : rec.subDMs) PetscCall(CheckTree(snap, sub, depth + 1, plan, visited, &rec));
  }
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
  capture is safe. A capture that is refused or fails changes nothing the snapshot held: every `DM`'s entry is as it
  was before the call, restorable as before, and a `DM` captured for the first time by it is not held. (The memory
  type therefore writes an array that a capture rewrites into a second buffer, kept for the next capture.)

  Every rank must capture the same state: the same declarations (`PetscSnapshotDMAddState()`), the same swarm fields,
  the same arrays from every hook (names, kinds, types and block sizes; lengths may differ). Otherwise the capture fails
  on every rank, naming the first array that differs, before any storage writes. A hook or user function
  (`PetscSnapshotDMAddStateCallbacks()`) that fails on some ranks only fails the capture on every rank with the failing
  rank's message.

  Level: beginner

.seealso: `PetscSnapshotRestore()`, `PetscSnapshotDMAddState()`, `PetscSnapshotCreate()`, `PetscSnapshotRegisterDMHook()`
@*/
PetscErrorCode PetscSnapshotCapture(PetscSnapshot snap, DM dm)
{
  PetscErrorCode             ierr;
  std::vector<PetscObjectId> visited;
  PetscLogDouble             t0, t1;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscSnapshotValidDM(dm, 2);
  PetscCall(CheckCommunicator(snap, dm, "PetscSnapshotCapture"));
  PetscCall(PetscSnapshotSetUp(snap));
  PetscTryTypeMethod(snap, begincapture); /* may refuse (no file name): before the event begins */
  PetscCall(PetscTime(&t0));
  PetscCall(PetscSnapshotProgressBegin_Internal(snap, "capture"));
  PetscCall(PetscLogEventBegin(snap->captureEvent, snap, dm, 0, 0));
  {
    CaptureUndo undo;

    snap->undo = &undo;
    ierr       = CaptureTree(snap, dm, 0, &visited);
    snap->undo = nullptr;
    if (ierr) PetscCall(CaptureUndoRollBack(snap, undo)); /* every rank alike: the failure was agreed */
    else PetscCall(CaptureUndoCommit(snap, undo));
  }
  if (snap->ops->endcapture) {
    PetscErrorCode ierrEnd = (*snap->ops->endcapture)(snap, ierr ? PETSC_FALSE : PETSC_TRUE); /* e.g. write the file */
    if (!ierr) ierr = ierrEnd;
  }
  PetscCall(PetscLogEventEnd(snap->captureEvent, snap, dm, 0, 0));
  PetscSnapshotProgressEnd_Internal(snap);
  PetscCall(ierr);
  PetscCall(PetscTime(&t1));
  snap->captureCount++;
  PetscCall(PetscSnapshotReport_Internal(snap, "capture", dm, visited, t1 - t0));
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

  A restore hook or a user state's restore function (`PetscSnapshotDMAddStateCallbacks()`) that fails on some ranks
  only does not stop the restore: every other object is still restored, on every rank, and then the first failing
  rank's message is raised on every rank. What the failed function wrote is up to it; the snapshot is not consumed, so
  the restore can be retried. A check hook that fails anywhere fails the restore on every rank with nothing written.

  After a restore the `DM` is consistent: the global coordinate vector is rebuilt from the restored local one, and the
  coordinate caches PETSc keeps (coordinate field, FVM and FEM geometry) are dropped. Restoring does not consume the
  snapshot: the same state can be restored any number of times.

  Level: beginner

.seealso: `PetscSnapshotCapture()`, `PetscSnapshotDMAddState()`, `PetscSnapshotCreate()`
@*/
PetscErrorCode PetscSnapshotRestore(PetscSnapshot snap, DM dm)
{
  MPI_Comm                   comm;
  _n_PetscSnapshotRecord     top; /* collects the refusals of the whole tree */
  RestorePlan                plan;
  std::vector<PetscObjectId> visited;
  PetscErrorCode             ierr;
  PetscLogDouble             t0, t1;
  double                     restored = 0; /* bytes of the file's arrays of the DMs restored so far (progress lines) */

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscSnapshotValidDM(dm, 2);
  PetscCall(CheckCommunicator(snap, dm, "PetscSnapshotRestore"));
  PetscCall(PetscSnapshotSetUp(snap));
  comm = PetscObjectComm((PetscObject)dm);
  LocalFailures checkFailures(comm, "PetscSnapshotRestore"), restoreFailures(comm, "PetscSnapshotRestore");
  top.snap     = snap;
  top.entry    = nullptr;
  top.failures = &checkFailures;
  PetscCall(PetscTime(&t0));
  PetscCall(PetscSnapshotProgressBegin_Internal(snap, "restore"));
  PetscCall(PetscLogEventBegin(snap->restoreEvent, snap, dm, 0, 0));
  ierr = snap->ops->beginrestore ? (*snap->ops->beginrestore)(snap) : PETSC_SUCCESS; /* e.g. load and verify the file */
  if (!ierr) {
    PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_Check, snap, dm, 0, 0));
    ierr = CheckTree(snap, dm, 0, &plan, &visited, &top);
    if (!ierr) ierr = AgreeHooks(comm, checkFailures, top.refused, top.refusal, PETSC_ERR_ARG_INCOMP, "PetscSnapshotRestore");
    PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_Check, snap, dm, 0, 0));
  }
  if (ierr) {
    PetscTryTypeMethod(snap, endrestore);
    PetscCall(PetscLogEventEnd(snap->restoreEvent, snap, dm, 0, 0));
    PetscSnapshotProgressEnd_Internal(snap);
    PetscCall(ierr);
  }
  PetscCall(PetscSnapshotProgress_Internal(snap, -1, PETSC_TRUE, "checked %zu DM%s", plan.size(), plan.size() == 1 ? "" : "s"));
  /* every DM of the plan is restored even when a hook (a user's restore function) failed on some rank: the others'
     collective calls must be matched, and a restore that wrote most of the state should write all it can */
  for (auto &[d, entry] : plan) {
    _n_PetscSnapshotRecord rec;

    rec.snap     = snap;
    rec.entry    = entry;
    rec.dm       = d;
    rec.failures = &restoreFailures;
    PetscCall(RunHooks(rec, Phase::Restore));
    entry->dmId = ((PetscObject)d)->id; /* the entry is now bound to this DM */
    if (entry->fileTotal >= 0) restored += entry->fileTotal;
    PetscCall(PetscSnapshotProgress_Internal(snap, entry->fileTotal >= 0 ? restored : -1, PETSC_TRUE, "restored DM \"%s\"", entry->name.c_str()));
  }
  ierr = AgreeHooks(comm, restoreFailures, false, "", PETSC_ERR_ARG_INCOMP, "PetscSnapshotRestore");
  PetscTryTypeMethod(snap, endrestore);
  PetscCall(PetscLogEventEnd(snap->restoreEvent, snap, dm, 0, 0));
  PetscSnapshotProgressEnd_Internal(snap);
  PetscCall(ierr);
  PetscCall(PetscTime(&t1));
  snap->restoreCount++;
  visited.clear();
  for (auto &[d, entry] : plan) PetscCallCXX(visited.push_back(((PetscObject)d)->id));
  PetscCall(PetscSnapshotReport_Internal(snap, "restore", dm, visited, t1 - t0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRecordAddSubDM - From a hook, makes another `DM` part of the record's `DM`: captured with it (as an
  entry of its own, keyed by its name), checked with it, and restored before it

  Not Collective

  Input Parameters:
+ rec - the record of the `DM` that uses `sub`
- sub - the sub-`DM`, for example a swarm's cell `DM`

  Notes:
  Call it from the capture hook and from the check hook; it does nothing in the restore phase (the driver restores
  sub-`DM`s first). The driver captures (checks) the sub-`DM` after the hooks of the record's `DM` ran and every rank
  named the same sub-`DM`s; hooks themselves make no collective calls for it. A sub-`DM` that was not captured, or
  whose check refuses, makes the restore of the `DM` refuse.

  Level: advanced

.seealso: `PetscSnapshotRegisterDMHook()`, `PetscSnapshotCapture()`, `PetscSnapshotRestore()`
@*/
PetscErrorCode PetscSnapshotRecordAddSubDM(PetscSnapshotRecord rec, DM sub)
{
  PetscFunctionBegin;
  PetscCheck(rec && rec->snap && rec->entry, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "Null or invalid PetscSnapshotRecord (argument 1)");
  PetscSnapshotValidDM(sub, 2);
  switch (rec->phase) {
  case Phase::Capture: /* captured (checked) by the driver after this DM's hooks, when every rank agreed on them */
  case Phase::Check:
    for (DM d : rec->subDMs)
      if (d == sub) PetscFunctionReturn(PETSC_SUCCESS);
    PetscCallCXX(rec->subDMs.push_back(sub));
    break;
  case Phase::Restore:
    break;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
