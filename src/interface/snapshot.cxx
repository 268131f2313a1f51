/* The PetscSnapshot object: create, type, options, view, reset, destroy. */
#include "../include/snapshotimpl.hpp"

#include <climits>
#include <cstring>

/*@
  PetscSnapshotCreate - Creates an empty snapshot, of type `PETSCSNAPSHOTMEMORY` unless changed with
  `PetscSnapshotSetType()` or `-snapshot_type`

  Collective

  Input Parameter:
. comm - the communicator; every `DM` captured into the snapshot must live on a congruent communicator

  Output Parameter:
. snap - the new snapshot

  Level: beginner

.seealso: `PetscSnapshotCapture()`, `PetscSnapshotRestore()`, `PetscSnapshotSetType()`, `PetscSnapshotSetFromOptions()`,
          `PetscSnapshotDestroy()`
@*/
PetscErrorCode PetscSnapshotCreate(MPI_Comm comm, PetscSnapshot *snap)
{
  PetscSnapshot s;

  PetscFunctionBegin;
  PetscCheck(snap, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotCreate: output argument snap is NULL");
  *snap = nullptr;
  PetscCall(PetscSnapshotInitializePackage());
  PetscCall(PetscHeaderCreate(s, PETSCSNAPSHOT_CLASSID, "PetscSnapshot", "Snapshot of DM state", "Snapshot", comm, PetscSnapshotDestroy, PetscSnapshotView));
  PetscCallCXX(s->entries = new petscsnapshot::EntryMap());
  PetscCallCXX(s->restepFirst = new std::string());
  PetscCallCXX(s->restepWhy = new std::string());
  s->skipUnchanged   = PETSC_TRUE;
  s->monitorProgress = 1e9;
  s->progressTotal   = -1;
  *snap = s;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotSetType - Chooses where the snapshot keeps what it captures

  Collective

  Input Parameters:
+ snap  - the snapshot
- stype - `PETSCSNAPSHOTMEMORY`, or a type added with `PetscSnapshotRegister()`

  Options Database Key:
. -snapshot_type <type> - sets the type

  Notes:
  Changing the type drops everything the snapshot holds.

  Level: beginner

.seealso: `PetscSnapshotGetType()`, `PetscSnapshotRegister()`, `PetscSnapshotType`
@*/
PetscErrorCode PetscSnapshotSetType(PetscSnapshot snap, PetscSnapshotType stype)
{
  PetscErrorCode (*create)(PetscSnapshot) = nullptr;
  PetscBool same;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(stype, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotSetType: type is NULL");
  PetscCall(PetscObjectTypeCompare((PetscObject)snap, stype, &same));
  if (same) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscFunctionListFind(PetscSnapshotList, stype, &create));
  PetscCheck(create, PETSC_COMM_SELF, PETSC_ERR_ARG_UNKNOWN_TYPE, "PetscSnapshot type \"%s\" is not registered (see -help for the types this build has)", stype);
  if (((PetscObject)snap)->type_name) {
    PetscCall(PetscSnapshotReset(snap));
    PetscTryTypeMethod(snap, destroy);
    snap->data = nullptr;
  }
  PetscCall(PetscMemzero(snap->ops, sizeof(struct _PetscSnapshotOps)));
  snap->captureEvent = PETSCSNAPSHOT_Capture; /* a type registered by an application logs the generic events */
  snap->restoreEvent = PETSCSNAPSHOT_Restore;
  snap->setupcalled = PETSC_FALSE;
  PetscCall(PetscObjectChangeTypeName((PetscObject)snap, stype));
  PetscCall((*create)(snap));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotGetType - Gets the type of the snapshot

  Not Collective

  Input Parameter:
. snap - the snapshot

  Output Parameter:
. stype - the type (NULL before `PetscSnapshotSetType()` or the first capture)

  Level: beginner

.seealso: `PetscSnapshotSetType()`
@*/
PetscErrorCode PetscSnapshotGetType(PetscSnapshot snap, PetscSnapshotType *stype)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(stype, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotGetType: output argument is NULL");
  *stype = ((PetscObject)snap)->type_name;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotSetOptionsPrefix - Sets the prefix of all of the snapshot's options

  Logically Collective

  Input Parameters:
+ snap   - the snapshot
- prefix - the prefix, for example "fluid_" for -fluid_snapshot_type

  Level: intermediate

.seealso: `PetscSnapshotAppendOptionsPrefix()`, `PetscSnapshotGetOptionsPrefix()`, `PetscSnapshotSetFromOptions()`
@*/
PetscErrorCode PetscSnapshotSetOptionsPrefix(PetscSnapshot snap, const char prefix[])
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)snap, prefix));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotAppendOptionsPrefix - Appends to the prefix of all of the snapshot's options

  Logically Collective

  Input Parameters:
+ snap   - the snapshot
- prefix - the text to append

  Level: intermediate

.seealso: `PetscSnapshotSetOptionsPrefix()`, `PetscSnapshotGetOptionsPrefix()`
@*/
PetscErrorCode PetscSnapshotAppendOptionsPrefix(PetscSnapshot snap, const char prefix[])
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCall(PetscObjectAppendOptionsPrefix((PetscObject)snap, prefix));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotGetOptionsPrefix - Gets the prefix of the snapshot's options

  Not Collective

  Input Parameter:
. snap - the snapshot

  Output Parameter:
. prefix - the prefix (NULL when none)

  Level: intermediate

.seealso: `PetscSnapshotSetOptionsPrefix()`
@*/
PetscErrorCode PetscSnapshotGetOptionsPrefix(PetscSnapshot snap, const char *prefix[])
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCall(PetscObjectGetOptionsPrefix((PetscObject)snap, prefix));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotSetFromOptions - Sets the snapshot's type and parameters from the options database

  Collective

  Input Parameter:
. snap - the snapshot

  Options Database Keys:
+ -snapshot_type <memory>     - where captured state is kept (`PetscSnapshotSetType()`)
. -snapshot_view [viewer]     - view the snapshot when it is destroyed (`PetscSnapshotViewFromOptions()`)
. -snapshot_monitor [viewer]  - print one line per capture and restore, to stdout or an ASCII file (`PetscSnapshotSetMonitorViewer()`)
. -snapshot_monitor_progress <1e9> - progress lines of a capture or restore of this many bytes or more (`PetscSnapshotSetMonitorProgress()`)
. -snapshot_test_restep       - completeness check of the attached TS (`PetscSnapshotSetTestRestep()`); offered only
                                once attached (`PetscSnapshotSetTS()`)
. -snapshot_dm_topology       - keep each captured `DMPLEX`'s topology to rebuild it (`PetscSnapshotSetDMTopology()`)
. -snapshot_skip_unchanged <true> - neither copy nor write back a `Vec` whose object state shows it unchanged (`PetscSnapshotSetSkipUnchanged()`)
- -snapshot_ts_composed        - capture and roll back the objects composed on an attached `TS` (`PetscSnapshotSetTSComposed()`)

  Level: beginner

.seealso: `PetscSnapshotCreate()`, `PetscSnapshotSetType()`, `PetscSnapshotView()`
@*/
PetscErrorCode PetscSnapshotSetFromOptions(PetscSnapshot snap)
{
  char           typeName[256];
  PetscBool      set, view, flg;
  PetscErrorCode ierr = PETSC_SUCCESS; /* a setter's refusal, raised after PetscOptionsEnd() (which frees the block) */

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscObjectOptionsBegin((PetscObject)snap);
  PetscCall(PetscOptionsFList("-snapshot_type", "Where the snapshot keeps captured state", "PetscSnapshotSetType", PetscSnapshotList,
                              ((PetscObject)snap)->type_name ? ((PetscObject)snap)->type_name : PETSCSNAPSHOTMEMORY, typeName, sizeof(typeName), &set));
  if (set) ierr = PetscSnapshotSetType(snap, typeName);
  else if (!((PetscObject)snap)->type_name) ierr = PetscSnapshotSetType(snap, PETSCSNAPSHOTMEMORY);
  PetscCall(PetscOptionsName("-snapshot_view", "View the snapshot when it is destroyed", "PetscSnapshotViewFromOptions", &view)); /* a debug PETSc (3.20+) refuses a NULL flag */
  /* every option through its setter, so that a value the setter refuses is refused alike */
  if (snap->attachedToTS) {
    PetscCall(PetscOptionsBool("-snapshot_test_restep", "Take every step of the attached TS twice and compare the results bitwise", "PetscSnapshotSetTestRestep", snap->testRestep, &flg, &set));
    if (set && !ierr) ierr = PetscSnapshotSetTestRestep(snap, flg);
  }
  {
    PetscViewer       viewer = nullptr;
    PetscViewerFormat format = PETSC_VIEWER_DEFAULT;
    PetscReal         step   = snap->monitorProgress;

    /* PETSc's parsing of a viewer option (PetscOptionsGetViewer(), PetscOptionsCreateViewer() from 3.22), as -ksp_monitor */
    PetscCall(PetscOptionsViewer("-snapshot_monitor", "Print one line per capture and restore (ascii[:file[:format[:append]]])", "PetscSnapshotSetMonitorViewer", &viewer, &format, &set));
    if (set && !ierr) ierr = PetscSnapshotSetMonitorViewer(snap, viewer, format);
    PetscCall(PetscViewerDestroy(&viewer)); /* the snapshot holds its own reference */
    PetscCall(PetscOptionsReal("-snapshot_monitor_progress", "Progress lines of a capture or restore of this many bytes or more, each time as many are done (0: none)", "PetscSnapshotSetMonitorProgress", step, &step, &set));
    if (set && !ierr) ierr = PetscSnapshotSetMonitorProgress(snap, step);
  }
  PetscCall(PetscOptionsBool("-snapshot_dm_topology", "Keep the topology of each captured DMPlex, to rebuild it with PetscSnapshotCreateDM()", "PetscSnapshotSetDMTopology", snap->dmTopology, &flg, &set));
  if (set && !ierr) ierr = PetscSnapshotSetDMTopology(snap, flg);
  PetscCall(PetscOptionsBool("-snapshot_skip_unchanged", "Skip Vecs whose object state shows them unchanged since the last capture or restore", "PetscSnapshotSetSkipUnchanged", snap->skipUnchanged, &flg, &set));
  if (set && !ierr) ierr = PetscSnapshotSetSkipUnchanged(snap, flg);
  PetscCall(PetscOptionsBool("-snapshot_ts_composed", "Capture and roll back the undeclared TS, Vec and DM objects composed on an attached TS", "PetscSnapshotSetTSComposed", snap->tsComposed, &flg, &set));
  if (set && !ierr) ierr = PetscSnapshotSetTSComposed(snap, flg);
  if (!ierr && snap->ops->setfromoptions) ierr = (*snap->ops->setfromoptions)(snap, PetscOptionsObject); /* its setters' refusals too */
  if (!ierr) PetscCall(PetscObjectProcessOptionsHandlers((PetscObject)snap, PetscOptionsObject));
  PetscOptionsEnd();
  PetscCall(ierr);
  snap->fromOptions = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotSetUp - Prepares the snapshot for capturing; called by `PetscSnapshotCapture()` and
  `PetscSnapshotRestore()`, so applications rarely need it

  Collective

  Input Parameter:
. snap - the snapshot

  Level: advanced

.seealso: `PetscSnapshotSetFromOptions()`, `PetscSnapshotCapture()`
@*/
PetscErrorCode PetscSnapshotSetUp(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  if (snap->setupcalled) PetscFunctionReturn(PETSC_SUCCESS);
  if (!((PetscObject)snap)->type_name) PetscCall(PetscSnapshotSetType(snap, PETSCSNAPSHOTMEMORY));
  PetscTryTypeMethod(snap, setup);
  snap->setupcalled = PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotDropEntry_Internal(PetscSnapshot snap, petscsnapshot::EntryMap::iterator it)
{
  PetscFunctionBegin;
  for (auto &[sname, slot] : it->second.slots) PetscTryTypeMethod(snap, drop, &slot);
  PetscCall(petscsnapshot::DropTopology(&it->second));
  PetscCallCXX(snap->entries->erase(it));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotReset - Drops everything the snapshot holds and frees its storage; the type is kept

  Collective

  Input Parameter:
. snap - the snapshot

  Level: intermediate

.seealso: `PetscSnapshotDestroy()`, `PetscSnapshotCapture()`
@*/
PetscErrorCode PetscSnapshotReset(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  while (!snap->entries->empty()) PetscCall(PetscSnapshotDropEntry_Internal(snap, snap->entries->begin()));
  PetscTryTypeMethod(snap, reset);
  PetscCall(PetscFree(snap->scratch));
  snap->scratchSize  = 0;
  snap->captureCount = 0;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotDestroy - Destroys a snapshot and frees everything it holds

  Collective

  Input Parameter:
. snap - the snapshot

  Options Database Key:
. -snapshot_view - view the snapshot before it is destroyed

  Level: beginner

.seealso: `PetscSnapshotCreate()`, `PetscSnapshotReset()`
@*/
PetscErrorCode PetscSnapshotDestroy(PetscSnapshot *snap)
{
  PetscFunctionBegin;
  if (!snap || !*snap) PetscFunctionReturn(PETSC_SUCCESS);
  PetscSnapshotValid(*snap, 1);
  if (((PetscObject)(*snap))->refct <= (*snap)->tsHolds) { /* only its TSs hold it: the caller's reference was borrowed */
    PetscCall(PetscInfo(*snap, "PetscSnapshotDestroy() of a snapshot that only its TS holds (borrowed, as the one PetscSnapshotTSSetFromOptions() returns): the TS releases it\n"));
    *snap = nullptr;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (--((PetscObject)(*snap))->refct > 0) {
    *snap = nullptr;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscSnapshotViewFromOptions(*snap, nullptr, "-snapshot_view"));
  PetscCall(PetscSnapshotReset(*snap));
  PetscTryTypeMethod(*snap, destroy);
  if ((*snap)->monitor) PetscCall(PetscViewerAndFormatDestroy(&(*snap)->monitor));
  delete (*snap)->entries;
  delete (*snap)->restepFirst;
  delete (*snap)->restepWhy;
  PetscCall(PetscHeaderDestroy(snap));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotHasDM - Tells whether the snapshot holds an entry for a `DM` (matched by the `DM`'s name)

  Not Collective

  Input Parameters:
+ snap - the snapshot
- dm   - the `DM`

  Output Parameter:
. has - `PETSC_TRUE` when `PetscSnapshotRestore()` would find an entry for `dm`

  Level: intermediate

.seealso: `PetscSnapshotCapture()`, `PetscSnapshotRestore()`
@*/
PetscErrorCode PetscSnapshotHasDM(PetscSnapshot snap, DM dm, PetscBool *has)
{
  const char *name;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscSnapshotValidDM(dm, 2);
  PetscCheck(has, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotHasDM: output argument is NULL");
  PetscCall(PetscObjectGetName((PetscObject)dm, &name));
  *has = snap->entries->find(std::string_view(name)) != snap->entries->end() ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotGetCaptureCount - Gets the number of successful `PetscSnapshotCapture()` calls since creation or the
  last `PetscSnapshotReset()`

  Not Collective

  Input Parameter:
. snap - the snapshot

  Output Parameter:
. count - the number of captures

  Level: intermediate

.seealso: `PetscSnapshotCapture()`, `PetscSnapshotView()`
@*/
PetscErrorCode PetscSnapshotGetCaptureCount(PetscSnapshot snap, PetscInt *count)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(count, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotGetCaptureCount: output argument is NULL");
  *count = snap->captureCount;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A person's name for an array of an entry: state "key" (part), swarm field "f", coordinates, ... */
static std::string DescribeArray(const std::string &slot)
{
  if (slot.rfind("state/", 0) == 0) {
    std::string rest = slot.substr(6);
    size_t      hash = rest.find('#');
    if (hash == std::string::npos) return "state \"" + rest + "\"";
    return "state \"" + rest.substr(0, hash) + "\" (" + rest.substr(hash + 1) + ")";
  }
  if (slot.rfind("swarm/", 0) == 0) return "swarm field \"" + slot.substr(6) + "\"";
  if (slot == "cell_coordinates") return "cell coordinates";
  return slot;
}

/* Which arrays of a differ from b's, with where the first difference is: "DM "line" state "ts" (solution) from index
   3 on rank 1" (the lowest rank that differs, the index of the first differing value in its array; "size" when b
   lacks the array or holds another size). */
PetscErrorCode PetscSnapshotCompare_Internal(PetscSnapshot a, PetscSnapshot b, std::string *description)
{
  const long long          none = LLONG_MAX, sizeDiffers = (1LL << 40) - 1; /* rank << 40 | index */
  std::vector<long long>   first;
  std::vector<std::string> names;
  void                    *bufA = nullptr, *bufB = nullptr;
  size_t                   cap  = 0;
  PetscMPIInt              rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)a), &rank));
  /* walk a's arrays in order: does b lack it, size it differently or hold other bytes? */
  for (auto &[name, ea] : *a->entries) {
    auto eb = b->entries->find(std::string_view(name));
    for (auto &[sname, sa] : ea.slots) {
      long long at = none;
      auto      sb = eb == b->entries->end() ? ea.slots.end() : eb->second.slots.find(std::string_view(sname));
      if (eb == b->entries->end() || sb == eb->second.slots.end() || sb->second.bytes != sa.bytes) at = sizeDiffers;
      else if (sa.bytes) {
        size_t tsize;
        if (cap < sa.bytes) {
          PetscCall(PetscFree2(bufA, bufB));
          PetscCall(PetscMalloc2(sa.bytes, (char **)&bufA, sa.bytes, (char **)&bufB));
          cap = sa.bytes;
        }
        PetscUseTypeMethod(a, read, &ea, sname.c_str(), &sa, bufA);
        PetscUseTypeMethod(b, read, &eb->second, sname.c_str(), &sb->second, bufB);
        PetscCall(PetscSnapshotDataTypeSize_Internal(sa.info.type, &tsize));
        for (size_t i = 0; i < sa.bytes; i++) {
          if (((const char *)bufA)[i] != ((const char *)bufB)[i]) {
            at = (long long)(i / tsize);
            break;
          }
        }
      }
      if (at != none) at |= (long long)rank << 40;
      PetscCallCXX(first.push_back(at));
      PetscCallCXX(names.push_back("DM \"" + name + "\" " + DescribeArray(sname)));
    }
  }
  PetscCall(PetscFree2(bufA, bufB));
  /* the same arrays exist on every rank: a difference anywhere counts, the lowest rank's is shown */
  if (!first.empty()) PetscCall(MPIU_Allreduce(MPI_IN_PLACE, first.data(), (PetscMPIInt)first.size(), MPI_LONG_LONG, MPI_MIN, PetscObjectComm((PetscObject)a)));
  description->clear();
  size_t shown = 0, total = 0;
  for (size_t i = 0; i < first.size(); i++) {
    if (first[i] == none) continue;
    total++;
    if (shown < 4) {
      long long   index = first[i] & sizeDiffers, r = first[i] >> 40;
      std::string where = index == sizeDiffers ? " (size) on rank " + std::to_string(r) : " from index " + std::to_string(index) + " on rank " + std::to_string(r);
      PetscCallCXX(*description += (shown ? ", " : "") + names[i] + where);
      shown++;
    }
  }
  if (total > shown) PetscCallCXX(*description += " and " + std::to_string(total - shown) + " more");
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotSetSkipUnchanged - Sets whether a capture or restore skips a `Vec` that PETSc's object state shows
  unchanged since the snapshot last captured or restored it

  Logically Collective

  Input Parameters:
+ snap - the snapshot
- skip - `PETSC_TRUE` (the default) to skip, `PETSC_FALSE` to copy every declared `Vec` every time

  Options Database Key:
. -snapshot_skip_unchanged <true,false> - sets whether unchanged `Vec`s are skipped

  Notes:
  When a `Vec` is put into the snapshot, or written back by a restore, the snapshot notes the `Vec`'s identity
  (`PetscObjectGetId()`) and object state (`PetscObjectStateGet()`). PETSc increases the object state on every write it
  knows of: `VecRestoreArray()`, `VecRestoreArrayWrite()`, `VecPlaceArray()`/`VecResetArray()`, `VecAssemblyEnd()`, and
  every `Vec` operation and scatter that writes (`DMGlobalToLocal()`, `VecCopy()`, ...). If both are unchanged at the
  next capture, the held copy is already exact and is not copied again; if both are unchanged at a restore, the `Vec`
  already holds the captured values and is not written (nor are the geometry caches of unchanged coordinates dropped).
  The cost of an unchanged `Vec` is then O(1), whatever its size. PETSc's cached norms rely on the same object state.

  What it cannot see: writes through an array pointer obtained before the capture and still held after it (write
  through `VecGetArray()` and call `VecRestoreArray()` before the next capture or restore), through a const pointer
  cast to non-const, or through another `Vec` sharing the memory (one created with `VecCreateMPIWithArray()` over the
  same array has its own object state). Turn the skip off if your code does any of these. Only the memory type can
  skip a capture (a file is written whole); restores of the hdf5 type write every `Vec`. Swarm fields have no object
  state: they are always copied.

  Snapshots created by the Python module start with the skip off: a NumPy view of a `Vec` (petsc4py's `v.array`) held
  across a capture or restore is a pointer of the first kind.

  Level: intermediate

.seealso: `PetscSnapshotCapture()`, `PetscSnapshotRestore()`, `PetscObjectStateGet()`
@*/
PetscErrorCode PetscSnapshotSetSkipUnchanged(PetscSnapshot snap, PetscBool skip)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  snap->skipUnchanged = skip;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotGetSkipUnchanged - Tells whether a capture or restore skips `Vec`s that are unchanged

  Not Collective

  Input Parameter:
. snap - the snapshot

  Output Parameter:
. skip - `PETSC_TRUE` if unchanged `Vec`s are skipped

  Level: intermediate

.seealso: `PetscSnapshotSetSkipUnchanged()`
@*/
PetscErrorCode PetscSnapshotGetSkipUnchanged(PetscSnapshot snap, PetscBool *skip)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(skip, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotGetSkipUnchanged: output argument is NULL");
  *skip = snap->skipUnchanged;
  PetscFunctionReturn(PETSC_SUCCESS);
}
