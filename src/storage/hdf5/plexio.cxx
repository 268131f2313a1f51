/* DMPlex data in PETSc's own HDF5 layout, for restarts at another rank count (see plexio.hpp). Everything here goes
   through PETSc's DMPlex HDF5 routines; we only name things and keep the SF from the file's points to a loaded DM. */
#include "hdf5impl.hpp"

#include <cstring>

#if defined(PETSC_HAVE_HDF5)

namespace petscsnapshot::plexio
{

/* Composed on a DM loaded by LoadMesh(): the SF from the file's points to the DM's points, and the DM's point SF and
   cone section as they were when it was loaded. The SF stays on the DM object when PETSc replaces the DM's topology
   in place (DMPlexReplace_Static(): DMSetFromOptions() with -dm_distribute or -dm_refine, ...): the DM then holds
   other points than the SF maps to. Such a replacement gives the DM a new point SF and cone section; the references
   composed here keep the old ones' addresses from being reused, so comparing the objects is exact. */
static const char fileSFName[]            = "PetscSnapshotHDF5FileSF";
static const char loadedPointSFName[]     = "PetscSnapshotHDF5LoadedPointSF";
static const char loadedConeSectionName[] = "PetscSnapshotHDF5LoadedConeSection";

/* The SF from the file's points (NULL if dm was not loaded from a file); stale if dm's topology was replaced since. */
static PetscErrorCode FileSFState(DM dm, PetscSF *sf, bool *stale)
{
  PetscObject  heldSF, heldCones;
  PetscSF      pointSF;
  PetscSection cones;

  PetscFunctionBegin;
  *stale = false;
  PetscCall(PetscObjectQuery((PetscObject)dm, fileSFName, (PetscObject *)sf));
  if (!*sf) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectQuery((PetscObject)dm, loadedPointSFName, &heldSF));
  PetscCall(PetscObjectQuery((PetscObject)dm, loadedConeSectionName, &heldCones));
  PetscCall(DMGetPointSF(dm, &pointSF));
  PetscCall(DMPlexGetConeSection(dm, &cones));
  *stale = heldSF != (PetscObject)pointSF || heldCones != (PetscObject)cones;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The SF from the file's points to dm's, NULL unless dm holds the points it was loaded with. */
static PetscErrorCode FileSF(DM dm, PetscSF *sf)
{
  bool stale;

  PetscFunctionBegin;
  PetscCall(FileSFState(dm, sf, &stale));
  if (stale) *sf = nullptr;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TopologyGroup(DM topo, std::string *group)
{
  const char *name;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetName((PetscObject)topo, &name));
  PetscCallCXX(*group = std::string("/topologies/") + name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A Vec in its local form (one rank's points with ghosts, on PETSC_COMM_SELF), or its global form? */
static PetscErrorCode IsLocalForm(DM topo, Vec vec, bool *local)
{
  PetscMPIInt vsize, tsize;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)vec), &vsize));
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)topo), &tsize));
  *local = vsize == 1 && tsize > 1;
  if (tsize == 1) { /* both forms live on one rank: they differ by the constrained values a global Vec leaves out */
    DM           vdm;
    PetscSection global;
    PetscInt     n, gn;

    PetscCall(VecGetDM(vec, &vdm));
    PetscCall(DMGetGlobalSection(vdm, &global));
    PetscCall(PetscSectionGetConstrainedStorageSize(global, &gn));
    PetscCall(VecGetLocalSize(vec, &n));
    *local = n != gn;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The local section of vec's DM as PETSc's loaders can redistribute it: a section without fields (one an application
   built and gave to DMSetLocalSection()) is written as the same section with one field holding every dof of every
   point (constraints and permutation alike), because PETSc's DMPlexSectionLoad() builds an SF with duplicate leaves
   from a section without fields (PETSc 3.18). Both have the same offsets, so the saved values load into the Vec as
   they are. *section is a new reference. */
static PetscErrorCode LoadableSection(Vec vec, PetscSection *section)
{
  DM           vdm;
  PetscSection live;
  PetscInt     nf, pStart, pEnd;
  IS           perm;
  PetscBool    major;

  PetscFunctionBegin;
  PetscCall(VecGetDM(vec, &vdm));
  PetscCall(DMGetLocalSection(vdm, &live));
  PetscCall(PetscSectionGetNumFields(live, &nf));
  if (nf > 0) {
    PetscCall(PetscObjectReference((PetscObject)live));
    *section = live;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscSectionCreate(PetscObjectComm((PetscObject)live), section));
  PetscCall(PetscSectionSetNumFields(*section, 1));
  PetscCall(PetscSectionSetFieldComponents(*section, 0, 1));
  PetscCall(PetscSectionGetChart(live, &pStart, &pEnd));
  PetscCall(PetscSectionSetChart(*section, pStart, pEnd));
  PetscCall(PetscSectionGetPermutation(live, &perm));
  if (perm) PetscCall(PetscSectionSetPermutation(*section, perm));
  PetscCall(PetscSectionGetPointMajor(live, &major));
  PetscCall(PetscSectionSetPointMajor(*section, major));
  for (PetscInt p = pStart; p < pEnd; p++) {
    PetscInt dof, cdof;

    PetscCall(PetscSectionGetDof(live, p, &dof));
    PetscCall(PetscSectionGetConstraintDof(live, p, &cdof));
    PetscCall(PetscSectionSetDof(*section, p, dof));
    PetscCall(PetscSectionSetFieldDof(*section, p, 0, dof));
    if (cdof) {
      PetscCall(PetscSectionSetConstraintDof(*section, p, cdof));
      PetscCall(PetscSectionSetFieldConstraintDof(*section, p, 0, cdof));
    }
  }
  PetscCall(PetscSectionSetUp(*section));
  for (PetscInt p = pStart; p < pEnd; p++) {
    PetscInt        cdof;
    const PetscInt *idx;

    PetscCall(PetscSectionGetConstraintDof(live, p, &cdof));
    if (!cdof) continue;
    PetscCall(PetscSectionGetConstraintIndices(live, p, &idx));
    PetscCall(PetscSectionSetConstraintIndices(*section, p, idx));
    PetscCall(PetscSectionSetFieldConstraintIndices(*section, p, 0, idx));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A clone of topo named name, with the local section of vec's DM as written (LoadableSection()), or with none (to
   load into). */
static PetscErrorCode SectionDM(DM topo, const char name[], Vec vec, DM *sdm)
{
  PetscFunctionBegin;
  PetscCall(DMClone(topo, sdm));
  PetscCall(petscsnapshot::hdf5::IsolateOptions((PetscObject)*sdm));
  PetscCall(PetscObjectSetName((PetscObject)*sdm, name));
  if (vec) {
    PetscSection section;

    PetscCall(LoadableSection(vec, &section));
    PetscCall(DMSetLocalSection(*sdm, section));
    PetscCall(PetscSectionDestroy(&section));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode WriteMesh(PetscViewer viewer, DM dm)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerPushFormat(viewer, PETSC_VIEWER_HDF5_PETSC));
  PetscCall(DMPlexTopologyView(dm, viewer));
  PetscCall(DMPlexCoordinatesView(dm, viewer));
  PetscCall(DMPlexLabelsView(dm, viewer));
  PetscCall(PetscViewerPopFormat(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode WriteVec(PetscViewer viewer, DM topo, const char name[], Vec vec)
{
  DM                 sdm;
  Vec                alias;
  bool               local;
  PetscInt           n, N;
  const PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(IsLocalForm(topo, vec, &local));
  PetscCall(SectionDM(topo, name, vec, &sdm));
  PetscCall(VecGetLocalSize(vec, &n));
  PetscCall(VecGetSize(vec, &N));
  PetscCall(VecGetArrayRead(vec, &a));
  /* an alias of the values under a name of ours: the dataset is named after the Vec */
  if (local) PetscCall(VecCreateSeqWithArray(PETSC_COMM_SELF, 1, n, a, &alias));
  else PetscCall(VecCreateMPIWithArray(PetscObjectComm((PetscObject)topo), 1, n, N, a, &alias));
  PetscCall(PetscObjectSetName((PetscObject)alias, local ? "local" : "global"));
  PetscCall(PetscViewerPushFormat(viewer, PETSC_VIEWER_HDF5_PETSC));
  PetscCall(DMPlexSectionView(topo, viewer, sdm));
  if (local) PetscCall(DMPlexLocalVectorView(topo, viewer, sdm, alias));
  else PetscCall(DMPlexGlobalVectorView(topo, viewer, sdm, alias));
  PetscCall(PetscViewerPopFormat(viewer));
  PetscCall(VecDestroy(&alias));
  PetscCall(VecRestoreArrayRead(vec, &a));
  PetscCall(DMDestroy(&sdm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Load the section saved under name into a new clone of topo; the saved form of the values ("global" or "local"). */
static PetscErrorCode LoadSection(PetscViewer viewer, DM topo, const char name[], DM *sdm, PetscSF *gsf, PetscSF *lsf, bool *savedLocal)
{
  PetscSF     sfXC;
  std::string group;
  PetscBool   hasGlobal;

  PetscFunctionBegin;
  PetscCall(FileSF(topo, &sfXC));
  PetscCall(TopologyGroup(topo, &group));
  PetscCallCXX(group += std::string("/dms/") + name + "/vecs/global");
  PetscCall(PetscViewerHDF5HasGroup(viewer, group.c_str(), &hasGlobal));
  *savedLocal = !hasGlobal;
  PetscCall(SectionDM(topo, name, nullptr, sdm));
  PetscCall(PetscViewerPushFormat(viewer, PETSC_VIEWER_HDF5_PETSC));
  PetscCall(DMPlexSectionLoad(topo, viewer, *sdm, sfXC, gsf, lsf));
  PetscCall(PetscViewerPopFormat(viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode CheckMesh(PetscViewer viewer, DM dm, std::string *problem)
{
  PetscSF     sfXC;
  std::string group;
  PetscBool   has, replaced;
  bool        stale;
  const char *name;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetName((PetscObject)dm, &name));
  PetscCall(TopologyGroup(dm, &group));
  PetscCall(PetscViewerHDF5HasGroup(viewer, group.c_str(), &has));
  PetscCall(FileSFState(dm, &sfXC, &stale));
  /* a redistribution may leave some ranks' topology alone: every rank must decide alike */
  replaced = stale ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &replaced, 1, PETSCSNAPSHOT_MPI_BOOL, MPI_LOR, PetscObjectComm((PetscObject)dm)));
  if (!has) PetscCallCXX(*problem = "the file has no DMPlex topology \"" + std::string(name) + "\" to restore it at another rank count");
  else if (sfXC && replaced)
    PetscCallCXX(*problem = "the DMPlex was loaded from the file, but its topology was replaced since (redistributed, refined or adapted in place, for example by DMSetFromOptions() with -dm_distribute, -dm_refine or another option that changes the mesh), so its points no longer match the file's; restore into the mesh as PetscSnapshotHDF5LoadDM() loaded it (restore first, then change it), or load it again");
  else if (!sfXC)
    PetscCallCXX(*problem = "to restore into a DMPlex that does not hold the captured points rank by rank (another rank count or another partition), load it from the file with PetscSnapshotCreateDM() or PetscSnapshotHDF5LoadDM() (also after a refinement, adaptation or redistribution since the capture): a mesh the program builds itself cannot be matched point by point to the file's");
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode DestroySection(LoadedSection *l)
{
  PetscFunctionBegin;
  PetscCall(PetscSFDestroy(&l->gsf));
  PetscCall(PetscSFDestroy(&l->lsf));
  PetscCall(DMDestroy(&l->sdm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode ClearSections(SectionCache *cache)
{
  PetscFunctionBegin;
  for (LoadedSection &l : *cache) PetscCall(DestroySection(&l));
  cache->clear();
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The section CheckVec() loaded for name on topo, taken out of the cache; found false if none. */
static PetscErrorCode TakeSection(SectionCache *cache, DM topo, const char name[], LoadedSection *l, bool *found)
{
  PetscFunctionBegin;
  *found = false;
  if (!cache) PetscFunctionReturn(PETSC_SUCCESS);
  for (auto it = cache->begin(); it != cache->end(); ++it)
    if (it->topo == ((PetscObject)topo)->id && it->name == name) {
      *l     = *it;
      *found = true;
      cache->erase(it);
      break;
    }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode CheckVec(PetscViewer viewer, DM topo, const char name[], Vec vec, std::string *problem, SectionCache *cache)
{
  DM           sdm;
  PetscSF      gsf, lsf;
  PetscSection saved, live;
  PetscBool    has, congruent;
  bool         savedLocal;
  std::string  group;

  PetscFunctionBegin;
  PetscCall(FileSF(topo, &gsf));
  if (!gsf) { /* the layout hook explains why */
    PetscCallCXX(*problem = "its mesh was not loaded from the file");
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(TopologyGroup(topo, &group));
  PetscCallCXX(group += std::string("/dms/") + name);
  PetscCall(PetscViewerHDF5HasGroup(viewer, group.c_str(), &has));
  if (!has) {
    PetscCallCXX(*problem = "the file has no DMPlex section and values for it (written at capture only for Vecs laid out by a DMPlex)");
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(LoadSection(viewer, topo, name, &sdm, &gsf, &lsf, &savedLocal));
  PetscCall(DMGetLocalSection(sdm, &saved));
  PetscCall(LoadableSection(vec, &live)); /* as it was written */
  PetscCall(PetscSectionCompare(saved, live, &congruent));
  PetscCall(PetscSectionDestroy(&live));
  if (!congruent) PetscCallCXX(*problem = "its layout (the DMPlex section of its DM) differs from the one saved: set up the same discretization on the loaded mesh");
  {
    LoadedSection l{((PetscObject)topo)->id, name, sdm, gsf, lsf, savedLocal}, old;
    bool          had;

    PetscCall(TakeSection(cache, topo, name, &old, &had)); /* checked again: the newest load is kept */
    if (had) PetscCall(DestroySection(&old));
    if (congruent && cache) PetscCallCXX(cache->push_back(l));
    else PetscCall(DestroySection(&l));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode LoadVec(PetscViewer viewer, DM topo, const char name[], Vec vec, SectionCache *cache)
{
  DM            sdm;
  PetscSF       gsf, lsf;
  Vec           tmp;
  bool          savedLocal, local, found;
  LoadedSection l{};

  PetscFunctionBegin;
  PetscCall(IsLocalForm(topo, vec, &local));
  PetscCall(TakeSection(cache, topo, name, &l, &found));
  if (found) {
    sdm        = l.sdm;
    gsf        = l.gsf;
    lsf        = l.lsf;
    savedLocal = l.savedLocal;
  } else PetscCall(LoadSection(viewer, topo, name, &sdm, &gsf, &lsf, &savedLocal));
  if (savedLocal) {
    PetscCall(DMCreateLocalVector(sdm, &tmp));
    PetscCall(PetscObjectSetName((PetscObject)tmp, "local"));
    PetscCall(PetscViewerPushFormat(viewer, PETSC_VIEWER_HDF5_PETSC));
    PetscCall(DMPlexLocalVectorLoad(topo, viewer, sdm, lsf, tmp));
    PetscCall(PetscViewerPopFormat(viewer));
    if (local) PetscCall(VecCopy(tmp, vec));
    else PetscCall(DMLocalToGlobal(sdm, tmp, INSERT_VALUES, vec));
  } else {
    PetscCall(DMCreateGlobalVector(sdm, &tmp));
    PetscCall(PetscObjectSetName((PetscObject)tmp, "global"));
    PetscCall(PetscViewerPushFormat(viewer, PETSC_VIEWER_HDF5_PETSC));
    PetscCall(DMPlexGlobalVectorLoad(topo, viewer, sdm, gsf, tmp));
    PetscCall(PetscViewerPopFormat(viewer));
    if (local) PetscCall(DMGlobalToLocal(sdm, tmp, INSERT_VALUES, vec));
    else PetscCall(VecCopy(tmp, vec));
  }
  PetscCall(VecDestroy(&tmp));
  PetscCall(PetscSFDestroy(&gsf));
  PetscCall(PetscSFDestroy(&lsf));
  PetscCall(DMDestroy(&sdm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A DM's local coordinates as LoadMesh() loaded them are marked with the file's identity (hdf5::StableFileToken(), two
   PetscInt halves) in PETSc's composed data, which PETSc invalidates when the Vec's object state changes (as its
   cached norms): while the mark holds, the coordinates are the file's, and a restore from the same file need not
   load them again to compare. */
static PetscInt coordinatesFromFileId[2] = {-1, -1};

static PetscErrorCode ViewerFileToken(PetscViewer viewer, uint64_t *token)
{
  const char *file = nullptr;

  PetscFunctionBegin;
  PetscCall(PetscViewerFileGetName(viewer, &file));
  PetscCallCXX(*token = file ? hdf5::StableFileToken(file) : 0);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode MarkCoordinatesFromFile(PetscViewer viewer, DM dm)
{
  uint64_t token;
  Vec      coords;

  PetscFunctionBegin;
  PetscCall(ViewerFileToken(viewer, &token));
  PetscCall(DMGetCoordinatesLocal(dm, &coords));
  if (!token || !coords) PetscFunctionReturn(PETSC_SUCCESS);
  for (PetscInt &id : coordinatesFromFileId)
    if (id < 0) PetscCall(PetscObjectComposedDataRegister(&id));
  PetscCall(PetscObjectComposedDataSetInt((PetscObject)coords, coordinatesFromFileId[0], (PetscInt)(token & 0x7fffffff)));
  PetscCall(PetscObjectComposedDataSetInt((PetscObject)coords, coordinatesFromFileId[1], (PetscInt)((token >> 32) & 0x7fffffff)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Collective: do the DM's local coordinates still hold what LoadMesh() loaded from this viewer's file, on every rank? */
static PetscErrorCode CoordinatesFromFile(PetscViewer viewer, DM dm, PetscBool *same)
{
  uint64_t  token;
  Vec       coords;
  PetscInt  half[2] = {-1, -1};
  PetscBool has[2]  = {PETSC_FALSE, PETSC_FALSE};

  PetscFunctionBegin;
  PetscCall(ViewerFileToken(viewer, &token));
  PetscCall(DMGetCoordinatesLocal(dm, &coords));
  if (token && coords && coordinatesFromFileId[0] >= 0) {
    PetscCall(PetscObjectComposedDataGetInt((PetscObject)coords, coordinatesFromFileId[0], half[0], has[0]));
    PetscCall(PetscObjectComposedDataGetInt((PetscObject)coords, coordinatesFromFileId[1], half[1], has[1]));
  }
  *same = (has[0] && has[1] && half[0] == (PetscInt)(token & 0x7fffffff) && half[1] == (PetscInt)((token >> 32) & 0x7fffffff)) ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, same, 1, PETSCSNAPSHOT_MPI_BOOL, MPI_LAND, PetscObjectComm((PetscObject)dm)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode LoadCoordinates(PetscViewer viewer, DM dm, PetscBool *changed)
{
  DM        tmp;
  PetscSF   sfXC;
  Vec       now, saved;
  PetscInt  n, m;
  PetscBool equal = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(CoordinatesFromFile(viewer, dm, &equal));
  if (equal) { /* loaded from this file and not changed since: nothing to load or compare */
    *changed = PETSC_FALSE;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  /* load into a clone with a coordinate DM of its own, so that the live DM's coordinate section is left alone */
  PetscCall(FileSF(dm, &sfXC));
  PetscCall(DMClone(dm, &tmp));
  PetscCall(petscsnapshot::hdf5::IsolateOptions((PetscObject)tmp));
  {
    const char *name;
    PetscCall(PetscObjectGetName((PetscObject)dm, &name));
    PetscCall(PetscObjectSetName((PetscObject)tmp, name)); /* the loader finds the topology by name */
  }
  {
    DM cdm, ccdm;
    PetscCall(DMGetCoordinateDM(dm, &cdm));
    PetscCall(DMClone(cdm, &ccdm));
    PetscCall(petscsnapshot::hdf5::IsolateOptions((PetscObject)ccdm));
    PetscCall(DMSetCoordinateDM(tmp, ccdm));
    PetscCall(DMDestroy(&ccdm));
  }
  PetscCall(PetscViewerPushFormat(viewer, PETSC_VIEWER_HDF5_PETSC));
  PetscCall(DMPlexCoordinatesLoad(tmp, viewer, sfXC));
  PetscCall(PetscViewerPopFormat(viewer));
  PetscCall(DMGetCoordinatesLocal(tmp, &saved));
  PetscCall(DMGetCoordinatesLocal(dm, &now));
  PetscCall(VecGetLocalSize(saved, &n));
  PetscCall(VecGetLocalSize(now, &m));
  PetscCheck(n == m, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "the file's coordinates have %" PetscInt_FMT " values on this rank, the DM's %" PetscInt_FMT, n, m);
  {
    const PetscScalar *a, *b;
    PetscCall(VecGetArrayRead(saved, &a));
    PetscCall(VecGetArrayRead(now, &b));
    equal = (n == 0 || std::memcmp(a, b, (size_t)n * sizeof(PetscScalar)) == 0) ? PETSC_TRUE : PETSC_FALSE;
    PetscCall(VecRestoreArrayRead(now, &b));
    PetscCall(VecRestoreArrayRead(saved, &a));
  }
  if (!equal) {
    PetscCall(VecCopy(saved, now));
    PetscCall(DMSetCoordinatesLocal(dm, now));
  }
  *changed = equal ? PETSC_FALSE : PETSC_TRUE;
  PetscCall(DMDestroy(&tmp));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode LoadMesh(PetscViewer viewer, MPI_Comm comm, const char name[], DM *dm)
{
  PetscSF          sfXB, sfBC = nullptr, sfXC;
  DM               dist = nullptr;
  PetscPartitioner part;
  PetscInt         overlap = 0;
  const char      *prefix;

  PetscFunctionBegin;
  PetscCall(DMCreate(comm, dm));
  PetscCall(DMSetType(*dm, DMPLEX));
  PetscCall(PetscObjectSetName((PetscObject)*dm, name));
  PetscCall(PetscViewerPushFormat(viewer, PETSC_VIEWER_HDF5_PETSC));
  PetscCall(DMPlexTopologyLoad(*dm, viewer, &sfXB));
  PetscCall(PetscViewerPopFormat(viewer));
  PetscCall(PetscObjectGetOptionsPrefix((PetscObject)*dm, &prefix));
  PetscCall(PetscOptionsGetInt(nullptr, prefix, "-dm_distribute_overlap", &overlap, nullptr));
  PetscCall(DMPlexGetPartitioner(*dm, &part));
  PetscCall(PetscPartitionerSetFromOptions(part));
  PetscCall(DMPlexDistribute(*dm, overlap, &sfBC, &dist));
  if (dist) {
    PetscCall(DMDestroy(dm));
    *dm = dist;
    PetscCall(PetscObjectSetName((PetscObject)*dm, name));
  }
  if (sfBC) {
    PetscCall(PetscSFCompose(sfXB, sfBC, &sfXC));
    PetscCall(PetscSFDestroy(&sfXB));
    PetscCall(PetscSFDestroy(&sfBC));
  } else sfXC = sfXB;
  PetscCall(PetscViewerPushFormat(viewer, PETSC_VIEWER_HDF5_PETSC));
  PetscCall(DMPlexLabelsLoad(*dm, viewer, sfXC));
  PetscCall(DMPlexCoordinatesLoad(*dm, viewer, sfXC));
  PetscCall(PetscViewerPopFormat(viewer));
  PetscCall(MarkCoordinatesFromFile(viewer, *dm));
  PetscCall(PetscObjectCompose((PetscObject)*dm, fileSFName, (PetscObject)sfXC));
  PetscCall(PetscSFDestroy(&sfXC));
  {
    PetscSF      pointSF;
    PetscSection cones;

    PetscCall(DMGetPointSF(*dm, &pointSF));
    PetscCall(DMPlexGetConeSection(*dm, &cones));
    PetscCall(PetscObjectCompose((PetscObject)*dm, loadedPointSFName, (PetscObject)pointSF));
    PetscCall(PetscObjectCompose((PetscObject)*dm, loadedConeSectionName, (PetscObject)cones));
  }
  /* The DM is distributed already: an application's DMSetFromOptions() must not distribute it again by default
     (PETSc 3.18's does, with a new partition, and the DM no longer holds the points the file SF maps to); an explicit
     -dm_distribute still does, and the restore then refuses, naming it (CheckMesh()). */
  PetscCall(DMPlexDistributeSetDefault(*dm, PETSC_FALSE));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot::plexio

#endif
