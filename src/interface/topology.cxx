/* Undoing a mesh adaptation: a capture keeps the topology of each DMPlex it captures (when asked, see
   PetscSnapshotSetDMTopology()), and PetscSnapshotCreateDM() rebuilds the captured DMPlex from it.

   What is held, per DMPlex entry (docs/design.md, "Undoing a mesh adaptation"): a DMClone() of the captured DMPlex.
   PETSc's DMClone() of a DMPlex shares the DM_Plex (chart, cones, orientations, supports, cell types) by reference
   count, shares the point SF, duplicates the labels, clones the coordinate DM with its section and discretization;
   we add the DM's fields and PetscDS (DMCopyDisc(), references) and its local and global sections (references), and
   drop the coordinate Vecs it would share with the live DM (the snapshot's coordinate arrays are the captured ones).
   The cost is therefore the labels' copies; everything else is a reference to arrays the application's DM owned.
   A capture of a DMPlex whose topology arrays, point SF, labels, sections and discretization are the ones held
   keeps the clone and copies nothing. */
#include "../include/snapshotimpl.hpp"
#include "../hooks/builtin.hpp"

#include <petscdmplex.h>
#include <petscds.h>
#include <petscsf.h>

#include <utility>

namespace petscsnapshot
{

/* Where a DMPlex keeps what the held clone shares or copies: equal keys, nothing to take again. Object states make a
   label edited in place (DMLabelSetValue() and friends increase it) count as changed. */
struct TopologyKey {
  const void *cones = nullptr, *ornts = nullptr, *coneSection = nullptr, *sf = nullptr, *leaves = nullptr, *roots = nullptr;
  const void *local = nullptr, *global = nullptr, *ds = nullptr;
  PetscInt    pStart = 0, pEnd = -1, storage = -1, nroots = -1, nleaves = -1, nf = 0;
  std::vector<std::pair<const void *, PetscObjectState>> labels;

  bool operator==(const TopologyKey &o) const
  {
    return cones == o.cones && ornts == o.ornts && coneSection == o.coneSection && sf == o.sf && leaves == o.leaves && roots == o.roots && local == o.local && global == o.global && ds == o.ds && pStart == o.pStart && pEnd == o.pEnd && storage == o.storage && nroots == o.nroots && nleaves == o.nleaves && nf == o.nf && labels == o.labels;
  }
};

struct HeldTopology {
  DM          dm = nullptr; /* the clone (see above) */
  TopologyKey key;
  PetscInt    fp[2]   = {0, 0}; /* the captured DMPlex's points fingerprint (layout.cxx) */
  std::string prefix;           /* the captured DM's options prefix */
  PetscInt    taken   = 0;      /* captures that cloned */
  PetscInt    reused  = 0;      /* captures that found the held clone current */
  double      labelBytes = 0;   /* this rank: label values copied into the clone (counted) */
  double      meshBytes  = 0;   /* this rank: the captured mesh's own arrays (counted, see MeshBytes()) */
  double      measured   = -1;  /* this rank: bytes PETSc allocated for the clone, when PETSc tracks allocations */
};

static PetscErrorCode KeyOf(DM dm, TopologyKey *key)
{
  PetscSection    section;
  PetscInt       *cones, *ornts, nl;
  PetscSF         sf;
  const PetscInt *leaves;
  const PetscSFNode *roots;

  PetscFunctionBegin;
  PetscCall(DMPlexGetConeSection(dm, &section));
  PetscCall(DMPlexGetCones(dm, &cones));
  PetscCall(DMPlexGetConeOrientations(dm, &ornts));
  PetscCall(DMPlexGetChart(dm, &key->pStart, &key->pEnd));
  PetscCall(PetscSectionGetStorageSize(section, &key->storage));
  PetscCall(DMGetPointSF(dm, &sf));
  PetscCall(PetscSFGetGraph(sf, &key->nroots, &key->nleaves, &leaves, &roots));
  key->cones       = cones;
  key->ornts       = ornts;
  key->coneSection = section;
  key->sf          = sf;
  key->leaves      = leaves;
  key->roots       = roots;
  PetscCall(DMGetNumFields(dm, &key->nf));
  if (key->nf > 0) { /* the layout hook created both already: no side effect */
    PetscSection local, global;
    PetscDS      ds;

    PetscCall(DMGetLocalSection(dm, &local));
    PetscCall(DMGetGlobalSection(dm, &global));
    PetscCall(DMGetDS(dm, &ds));
    key->local  = local;
    key->global = global;
    key->ds     = ds;
  }
  PetscCall(DMGetNumLabels(dm, &nl));
  PetscCallCXX(key->labels.resize(nl));
  for (PetscInt l = 0; l < nl; l++) {
    DMLabel label;

    PetscCall(DMGetLabelByNum(dm, l, &label));
    key->labels[l].first = label;
    PetscCall(PetscObjectStateGet((PetscObject)label, &key->labels[l].second));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode AddStratumBytes(DMLabel label, PetscInt value, void *ctx)
{
  PetscInt size;

  PetscFunctionBegin;
  PetscCall(DMLabelGetStratumSize(label, value, &size));
  *static_cast<double *>(ctx) += (double)size * sizeof(PetscInt);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Bytes of the values of every label of dm (each labelled point once per stratum, as PetscInt) */
static PetscErrorCode LabelBytes(DM dm, double *bytes)
{
  PetscFunctionBegin;
  *bytes = 0;
  PetscCall(ForEachLabelStratum(dm, AddStratumBytes, bytes));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The mesh's own memory on this rank, counted from array sizes: cones, orientations and supports, the cone and
   support sections (offsets and sizes), the labels' values and the local coordinates. */
static PetscErrorCode MeshBytes(DM dm, double *bytes)
{
  PetscSection cones, supports;
  PetscInt     pStart, pEnd, nc, ns, ncoord = 0;
  Vec          coords;
  double       labels;

  PetscFunctionBegin;
  PetscCall(DMPlexGetChart(dm, &pStart, &pEnd));
  PetscCall(DMPlexGetConeSection(dm, &cones));
  PetscCall(DMPlexGetSupportSection(dm, &supports));
  PetscCall(PetscSectionGetStorageSize(cones, &nc));
  PetscCall(PetscSectionGetStorageSize(supports, &ns));
  PetscCall(DMGetCoordinatesLocal(dm, &coords));
  if (coords) PetscCall(VecGetLocalSize(coords, &ncoord));
  PetscCall(LabelBytes(dm, &labels));
  *bytes = (double)(2 * nc + ns + 4 * (pEnd - pStart)) * sizeof(PetscInt) + labels + (double)ncoord * sizeof(PetscScalar);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode ReleaseHeld(HeldTopology *held)
{
  PetscFunctionBegin;
  if (held) PetscCall(DMDestroy(&held->dm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode DropTopology(Entry *entry)
{
  PetscFunctionBegin;
  if (!entry->topology) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(ReleaseHeld(entry->topology));
  delete entry->topology;
  entry->topology = nullptr;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode CopyTopology(const Entry &entry, HeldTopology **copy)
{
  PetscFunctionBegin;
  *copy = nullptr;
  if (!entry.topology) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallCXX(*copy = new HeldTopology(*entry.topology));
  if ((*copy)->dm) PetscCall(PetscObjectReference((PetscObject)(*copy)->dm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode FreeTopology(HeldTopology **held)
{
  PetscFunctionBegin;
  PetscCall(ReleaseHeld(*held));
  delete *held;
  *held = nullptr;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Take a clone of dm's topology into held (collective: DMClone() reduces over the communicator). */
static PetscErrorCode TakeClone(DM dm, HeldTopology *held)
{
  DM             clone;
  PetscInt       nf;
  PetscLogDouble before = 0, after = 0;
  PetscBool      tracked = PETSC_FALSE;
  const char    *prefix;

  PetscFunctionBegin;
  PetscCall(PetscMallocGetDebug(&tracked, nullptr, nullptr));
  if (tracked) PetscCall(PetscMallocGetCurrentUsage(&before));
  PetscCall(DMClone(dm, &clone));
  PetscCall(DMCopyDisc(dm, clone));
  PetscCall(DMGetNumFields(dm, &nf));
  if (nf > 0) {
    PetscSection local, global;

    PetscCall(DMGetLocalSection(dm, &local));
    PetscCall(DMGetGlobalSection(dm, &global));
    PetscCall(DMSetLocalSection(clone, local));
    PetscCall(DMSetGlobalSection(clone, global));
  }
  /* the clone shares the live DM's coordinate Vecs: drop them (CreateDM sets the captured values) */
  PetscCall(DMSetCoordinatesLocal(clone, nullptr));
  PetscCall(DMSetCellCoordinatesLocal(clone, nullptr));
  if (tracked) PetscCall(PetscMallocGetCurrentUsage(&after));
  PetscCall(DMDestroy(&held->dm));
  held->dm       = clone;
  held->measured = tracked ? (double)(after - before) : -1;
  PetscCall(PlexPointsFingerprint(dm, held->fp));
  PetscCall(LabelBytes(clone, &held->labelBytes));
  PetscCall(MeshBytes(dm, &held->meshBytes));
  PetscCall(PetscObjectGetOptionsPrefix((PetscObject)dm, &prefix));
  PetscCallCXX(held->prefix = prefix ? prefix : "");
  held->taken++;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode CaptureTopology(PetscSnapshot snap, DM dm, Entry &entry)
{
  PetscBool   isplex, current;
  TopologyKey key;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMPLEX, &isplex));
  if (!snap->dmTopology || !isplex || snap->ops->putmesh) { /* the hdf5 type: its file holds the topology */
    PetscCall(DropTopology(&entry));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(KeyOf(dm, &key));
  current = (entry.topology && entry.topology->dm && entry.topology->key == key) ? PETSC_TRUE : PETSC_FALSE;
  /* DMClone() is collective: every rank clones if any rank's mesh changed */
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &current, 1, PETSCSNAPSHOT_MPI_BOOL, MPI_LAND, PetscObjectComm((PetscObject)dm)));
  if (!entry.topology) PetscCallCXX(entry.topology = new HeldTopology());
  if (current) { /* the clone shares the arrays: cones edited in place since are this capture's, and so is their fingerprint */
    PetscCall(PlexPointsFingerprint(dm, entry.topology->fp));
    entry.topology->reused++;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(TakeClone(dm, entry.topology));
  PetscCall(KeyOf(dm, &entry.topology->key)); /* after the clone: DMGetGlobalSection() may have created one */
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode ViewTopology(PetscSnapshot snap, const Entry &entry, PetscViewer viewer)
{
  double   v[4] = {0, 0, 0, 0}; /* label bytes, mesh bytes, measured bytes, measured on every rank (count) */
  PetscInt has  = entry.topology && entry.topology->dm ? 1 : 0, all;
  MPI_Comm comm = PetscObjectComm((PetscObject)snap);

  PetscFunctionBegin;
  PetscCall(MPIU_Allreduce(&has, &all, 1, MPIU_INT, MPI_MIN, comm));
  if (!all) PetscFunctionReturn(PETSC_SUCCESS);
  v[0] = entry.topology->labelBytes;
  v[1] = entry.topology->meshBytes;
  v[2] = entry.topology->measured >= 0 ? entry.topology->measured : 0;
  v[3] = entry.topology->measured >= 0 ? 1 : 0;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, v, 4, MPI_DOUBLE, MPI_SUM, comm));
  PetscCall(PetscViewerASCIIPrintf(viewer, "topology held for PetscSnapshotCreateDM(): %.0f bytes of label copies (the mesh itself: %.0f bytes); cones, orientations, point SF, sections and discretization shared by reference; taken by %" PetscInt_FMT " captures, unchanged at %" PetscInt_FMT "\n", v[0], v[1], entry.topology->taken, entry.topology->reused));
  if (v[3] > 0) {
    PetscMPIInt size;

    PetscCallMPI(MPI_Comm_size(comm, &size));
    if ((PetscMPIInt)v[3] == size) PetscCall(PetscViewerASCIIPrintf(viewer, "topology held, measured by PETSc's allocator at the last clone: %.0f bytes\n", v[2]));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The captured values of a coordinate array of entry into a new local Vec of cdm, set on dm. Local steps recorded in
   lf (the sizes were fixed at capture: a mismatch means the held topology was edited in place). */
static PetscErrorCode SetCapturedCoordinates(PetscSnapshot snap, const Entry &entry, DM dm, bool cell, LocalFailures &lf)
{
  const char *record = cell ? "cell_coordinates" : "coordinates";
  DM          cdm    = nullptr;
  Vec         c      = nullptr;
  auto        it     = entry.slots.find(std::string_view(record));
  PetscInt    has    = it != entry.slots.end() ? 1 : 0, all;

  PetscFunctionBegin;
  PetscCall(MPIU_Allreduce(&has, &all, 1, MPIU_INT, MPI_MAX, PetscObjectComm((PetscObject)dm)));
  if (!all) PetscFunctionReturn(PETSC_SUCCESS);
  if (cell) PetscCall(DMGetCellCoordinateDM(dm, &cdm));
  else PetscCall(DMGetCoordinateDM(dm, &cdm));
  PetscCheck(cdm, PETSC_COMM_SELF, PETSC_ERR_PLIB, "PetscSnapshotCreateDM: the held topology has no %s DM", cell ? "cell coordinate" : "coordinate");
  PetscCall(DMCreateLocalVector(cdm, &c)); /* collective in general */
  lf.Run(std::string("setting the captured ") + record, [&]() -> PetscErrorCode {
    PetscInt     n;
    PetscScalar *a;

    PetscFunctionBegin;
    PetscCall(VecGetLocalSize(c, &n));
    PetscCheck(has && it->second.info.type == PETSC_SCALAR && it->second.bytes == (size_t)n * sizeof(PetscScalar), PETSC_COMM_SELF, PETSC_ERR_ARG_INCOMP, "the captured %s do not fit the held topology's coordinate layout (%" PetscInt_FMT " values now)", record, n);
    PetscCall(VecGetArrayWrite(c, &a));
    PetscUseTypeMethod(snap, read, &entry, record, &it->second, a);
    PetscCall(VecRestoreArrayWrite(c, &a));
    PetscFunctionReturn(PETSC_SUCCESS);
  });
  {
    PetscErrorCode ierr = lf.Agree();
    if (ierr) PetscCall(VecDestroy(&c));
    PetscCall(ierr);
  }
  PetscCall(PetscObjectSetName((PetscObject)c, "coordinates"));
  if (cell) PetscCall(DMSetCellCoordinatesLocal(dm, c));
  else PetscCall(DMSetCoordinatesLocal(dm, c));
  PetscCall(VecDestroy(&c));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The memory type's PetscSnapshotCreateDM(): a DM built from the held clone. */
static PetscErrorCode CreateDMFromHeld(PetscSnapshot snap, const char name[], DM *dm)
{
  MPI_Comm      comm = PetscObjectComm((PetscObject)snap);
  auto          it   = snap->entries->find(std::string_view(name));
  PetscMPIInt   size;
  LocalFailures lf(comm, "PetscSnapshotCreateDM");
  DM            out;
  HeldTopology *held;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  {
    std::string why;
    if (it == snap->entries->end()) PetscCallCXX(why = "the snapshot holds no DM named \"" + std::string(name) + "\"");
    else if (it->second.dmType != DMPLEX) PetscCallCXX(why = "DM \"" + std::string(name) + "\" is a " + it->second.dmType + ": only a DMPlex's topology is captured");
    else if (!it->second.topology || !it->second.topology->dm)
      PetscCallCXX(why = "DMPlex \"" + std::string(name) + "\" was captured without its topology: call PetscSnapshotSetDMTopology() (or give -snapshot_dm_topology) before the capture");
    else if (it->second.commSize != size) PetscCallCXX(why = "DMPlex \"" + std::string(name) + "\" was captured on " + std::to_string(it->second.commSize) + " ranks and is rebuilt on " + std::to_string(size));
    PetscCall(RaiseCollective(comm, !why.empty(), why, PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshotCreateDM"));
  }
  held = it->second.topology;
  PetscCall(DMClone(held->dm, &out));
  PetscCall(PetscObjectSetName((PetscObject)out, name));
  if (!held->prefix.empty()) PetscCall(PetscObjectSetOptionsPrefix((PetscObject)out, held->prefix.c_str()));
  PetscCall(DMCopyDisc(held->dm, out));
  {
    PetscInt nf;

    PetscCall(DMGetNumFields(held->dm, &nf));
    if (nf > 0) {
      PetscSection local, global;

      PetscCall(DMGetLocalSection(held->dm, &local));
      PetscCall(DMGetGlobalSection(held->dm, &global));
      PetscCall(DMSetLocalSection(out, local));
      PetscCall(DMSetGlobalSection(out, global));
    }
  }
  {
    PetscErrorCode ierr = SetCapturedCoordinates(snap, it->second, out, false, lf);
    if (!ierr) ierr = SetCapturedCoordinates(snap, it->second, out, true, lf);
    if (!ierr) { /* the DM_Plex is shared with the application's DMs: refuse one edited in place since the capture */
      PetscInt fp[2];
      bool     same;

      ierr = PlexPointsFingerprint(out, fp); /* a new DM: computed afresh */
      same = !ierr && fp[0] == held->fp[0] && fp[1] == held->fp[1];
      if (!ierr)
        ierr = RaiseCollective(comm, !same, "DMPlex \"" + std::string(name) + "\": the topology held since the capture was edited in place (DMPlexSetCone() or DMPlexOrient() on a DM sharing it): it cannot be rebuilt", PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshotCreateDM");
    }
    if (ierr) PetscCall(DMDestroy(&out));
    PetscCall(ierr);
  }
  it->second.dmId = ((PetscObject)out)->id; /* the entry is now bound to the rebuilt DM */
  *dm             = out;
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot

using namespace petscsnapshot;

/*@
  PetscSnapshotSetDMTopology - Sets whether captures keep the topology of each `DMPLEX` they capture, so that
  `PetscSnapshotCreateDM()` can rebuild it after the application refined, adapted or redistributed its mesh

  Logically Collective

  Input Parameters:
+ snap - the snapshot
- flg  - `PETSC_TRUE` to keep the topology, `PETSC_FALSE` (the default) not to

  Options Database Key:
. -snapshot_dm_topology <true,false> - sets whether the topology is kept

  Notes:
  For the memory type the snapshot keeps, per `DMPLEX`, a `DMClone()` of it: the cones, orientations, supports and
  point SF are shared with the application's `DM` by reference (PETSc's `DMClone()` of a `DMPLEX` shares them), the
  labels are copied, the fields, `PetscDS` and local and global sections are held by reference; the coordinates are
  the captured ones the snapshot holds anyway. A capture of a mesh whose topology, point SF, labels, sections and
  discretization are the ones already held copies nothing. `PetscSnapshotView()` reports what is held and the mesh's
  own memory. With the option off (the default) a capture costs what it cost before, and holds no topology.

  The hdf5 type always writes the topology into its file (PETSc's DMPlex HDF5 layout); this setting does not change it.

  Level: intermediate

.seealso: `PetscSnapshotCreateDM()`, `PetscSnapshotGetDMTopology()`, `PetscSnapshotCapture()`
@*/
PetscErrorCode PetscSnapshotSetDMTopology(PetscSnapshot snap, PetscBool flg)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  snap->dmTopology = flg;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotGetDMTopology - Tells whether captures keep the topology of each `DMPLEX` they capture

  Not Collective

  Input Parameter:
. snap - the snapshot

  Output Parameter:
. flg - `PETSC_TRUE` if the topology is kept

  Level: intermediate

.seealso: `PetscSnapshotSetDMTopology()`, `PetscSnapshotCreateDM()`
@*/
PetscErrorCode PetscSnapshotGetDMTopology(PetscSnapshot snap, PetscBool *flg)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(flg, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotGetDMTopology: output argument is NULL");
  *flg = snap->dmTopology;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotCreateDM - Creates a new `DMPLEX` identical to the one the snapshot captured under a name: to undo a
  mesh refinement, adaptation or redistribution the application regrets

  Collective

  Input Parameters:
+ snap - the snapshot
- name - the name of the `DMPLEX` at capture (the name of its entry, see `PetscSnapshotView()`)

  Output Parameter:
. dm - the new `DMPLEX`, named `name`, on the snapshot's communicator

  Notes:
  Memory type: the snapshot must have captured the `DMPLEX` with `PetscSnapshotSetDMTopology()` on. The new `DM` has,
  on every rank, the captured chart, cones and orientations, labels, point SF, local and global sections, fields and
  `PetscDS`, options prefix and local numbering (it shares the topology arrays with the snapshot, as `DMClone()` does),
  and the coordinates (and cell coordinates) at capture. Solvers built on it compute what they computed on the captured
  `DM`, bit for bit. What lives outside the `DM` is the application's to build again on it: its `Vec`s, `Mat`s, `TS`/
  `SNES` and their `DMTS`/`DMSNES` callbacks (`DMTSSetIFunctionLocal()`, ...), and the declarations of its state
  (`PetscSnapshotDMAddState()`). Then `PetscSnapshotRestore()` into it restores everything as for the captured `DM`; a
  swarm whose cell `DM` was adapted is bound to the rebuilt one with `DMSwarmSetCellDM()` and restored (its particles
  get back their captured cells). The snapshot's entry is bound to the new `DM` (`PetscSnapshotCapture()` of it is
  allowed).

  hdf5 type: the same as `PetscSnapshotHDF5LoadDM()`: PETSc's DMPlex loaders build the mesh from the file, distributed
  by the partitioner of the options database, at any rank count. Its points may be numbered and partitioned otherwise
  than at capture; `PetscSnapshotRestore()` into it goes through PETSc's point SF from the file (values exact, mesh
  `Vec`s through `DMPlexGlobalVectorLoad()`, particles placed by location). The fields are not part of the file: set
  up the discretization on it.

  A restore into the adapted `DM` itself is refused (its layout differs), with a message pointing here.

  Level: intermediate

.seealso: `PetscSnapshotSetDMTopology()`, `PetscSnapshotRestore()`, `PetscSnapshotHDF5LoadDM()`, `DMClone()`
@*/
PetscErrorCode PetscSnapshotCreateDM(PetscSnapshot snap, const char name[], DM *dm)
{
  PetscErrorCode (*f)(PetscSnapshot, const char[], DM *) = nullptr;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(name && name[0], PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotCreateDM: the DM's name is required");
  PetscCheck(dm, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotCreateDM: output argument is NULL");
  *dm = nullptr;
  PetscCall(PetscSnapshotSetUp(snap));
  PetscCall(PetscObjectQueryFunction((PetscObject)snap, "PetscSnapshotCreateDM_C", &f));
  if (f) PetscCall((*f)(snap, name, dm));
  else PetscCall(CreateDMFromHeld(snap, name, dm));
  PetscFunctionReturn(PETSC_SUCCESS);
}
