/* PETSCSNAPSHOTHDF5: one self-describing HDF5 file per capture, written through PETSc's HDF5 viewer.

   Data are staged in the memory type's slots: a capture fills them, endcapture writes the file (to a temporary name,
   renamed into place when complete) and frees them; a restore first loads and verifies the whole file into them
   (its seal first, then format, schema version, rank count, every checksum), so that a bad file is refused before
   anything is checked or written. Layout of a file (docs/file-format.md):

     /                       attributes: format, schema_version, library_version, petsc_version, comm_size, created,
                             captures, and ts_time/ts_step/ts_dt when a TS is part of the snapshot
     /entries/<DM name>      group, attributes dm_type, comm_size, captures
     /entries/<DM name>/<array name>   dataset [items on all ranks, bs] of the array's type (STRUCT: bytes), in rank
                             order; attributes kind, petsc_type, bs, global_items, counts[comm_size],
                             checksums[comm_size] (XXH3-64 of each rank's bytes)
     the last 40 bytes       the seal (schema 3): XXH3-64 of every byte before it (seal.h)
*/
#include "hdf5impl.hpp"
#include "plexio.hpp"
#include "../../include/collective.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <unistd.h>

using namespace petscsnapshot::hdf5;
using petscsnapshot::Entry;
using petscsnapshot::EntryMap;
using petscsnapshot::Slot;
using petscsnapshot::LocalFailures;

namespace
{

/* -info: what PETSc's DMPlex loader redistributed, and how many mesh points this rank now has */
PetscErrorCode InfoRedistributed(PetscSnapshot snap, DM dm, const char what[])
{
  const char *name;
  PetscInt    pStart, pEnd;
  PetscMPIInt size;

  PetscFunctionBegin;
  if (!PetscLogPrintInfo) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectGetName((PetscObject)dm, &name));
  PetscCall(DMPlexGetChart(dm, &pStart, &pEnd));
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)dm), &size));
  PetscCall(PetscInfo(snap, "DM \"%s\": %s redistributed from %s by PETSc's DMPlex loader onto %d ranks, %" PetscInt_FMT " mesh points on this rank\n", name, what, Data(snap)->lastFile.c_str(), (int)size, pEnd - pStart));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotCheckMesh_HDF5(PetscSnapshot snap, DM dm, std::string *problem)
{
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(Loading(snap, &viewer));
  PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_H5Redist, snap, dm, 0, 0));
  PetscCall(petscsnapshot::plexio::CheckMesh(viewer, dm, problem));
  PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_H5Redist, snap, dm, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotCheckMeshVec_HDF5(PetscSnapshot snap, DM topo, const char name[], Vec vec, std::string *problem)
{
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(Loading(snap, &viewer));
  PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_H5Redist, snap, topo, 0, 0));
  PetscCall(petscsnapshot::plexio::CheckVec(viewer, topo, name, vec, problem, &Data(snap)->sections));
  PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_H5Redist, snap, topo, 0, 0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotGetMeshVec_HDF5(PetscSnapshot snap, DM topo, const char name[], Vec vec)
{
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(Loading(snap, &viewer));
  PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_H5Redist, snap, topo, 0, 0));
  PetscCall(petscsnapshot::plexio::LoadVec(viewer, topo, name, vec, &Data(snap)->sections));
  PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_H5Redist, snap, topo, 0, 0));
  PetscCall(InfoRedistributed(snap, topo, name));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotGetMeshCoordinates_HDF5(PetscSnapshot snap, DM dm, PetscBool *changed)
{
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(Loading(snap, &viewer));
  PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_H5Redist, snap, dm, 0, 0));
  PetscCall(petscsnapshot::plexio::LoadCoordinates(viewer, dm, changed));
  PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_H5Redist, snap, dm, 0, 0));
  PetscCall(InfoRedistributed(snap, dm, "coordinates"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotHDF5LoadDM_HDF5(PetscSnapshot snap, const char name[], DM *dm)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)snap);
  std::string file, group;
  PetscViewer viewer;
  int         writers;
  PetscBool   has;

  PetscFunctionBegin;
  /* the tree PETSc's loaders read must be intact: verified before PETSc's viewer opens the file */
  PetscCall(OpenForLoad(snap, "PetscSnapshotHDF5LoadDM", &file, &viewer, &writers, true));
  PetscCallCXX(group = std::string("/topologies/") + name);
  PetscCall(PetscViewerHDF5HasGroup(viewer, group.c_str(), &has));
  if (!has) PetscCall(PetscViewerDestroy(&viewer));
  PetscCheck(has, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "PetscSnapshotHDF5LoadDM: %s holds no DMPlex named \"%s\" (only DMPlex DMs a capture held are saved in PETSc's layout)", file.c_str(), name);
  {
    PetscErrorCode ierr = petscsnapshot::plexio::LoadMesh(viewer, comm, name, dm);
    PetscCall(PetscViewerDestroy(&viewer));
    PetscCall(ierr);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* What the file holds, read on every rank alone (OpenLocal()) and taken from rank 0 so that every rank returns the same */
PetscErrorCode PetscSnapshotHDF5GetFileInfo_HDF5(PetscSnapshot snap, PetscMPIInt *writers, PetscBool *hasTS, PetscReal *time, PetscInt *step, PetscBool *canRedistribute)
{
  MPI_Comm      comm = PetscObjectComm((PetscObject)snap);
  std::string   file;
  hid_t         fid;
  int           w = 0;
  double        info[5] = {0, 0, 0, 0, 0}; /* writers, has TS, time, step, has topologies */
  LocalFailures lf(comm, "PetscSnapshotHDF5GetFileInfo");

  PetscFunctionBegin;
  PetscCall(OpenLocal(snap, "PetscSnapshotHDF5GetFileInfo", &file, &fid, &w));
  lf.Run("reading " + file, [&]() -> PetscErrorCode {
    H5Quiet  quiet;
    H5Handle root(H5Gopen2(fid, "/", H5P_DEFAULT), H5Gclose);
    double   t  = 0;
    int64_t  st = 0;
    bool     foundT = false, foundS = false;

    PetscFunctionBegin;
    PetscCheck(root.valid(), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "its root group cannot be opened");
    PetscCall(ReadNumericAttribute(root, "ts_time", H5T_NATIVE_DOUBLE, 1, &t, &foundT));
    PetscCall(ReadNumericAttribute(root, "ts_step", H5T_NATIVE_INT64, 1, &st, &foundS));
    info[0] = w;
    info[1] = foundT && foundS;
    info[2] = foundT && foundS ? t : 0;
    info[3] = foundT && foundS ? (double)st : 0;
    if (H5Lexists(root, "topologies", H5P_DEFAULT) > 0) {
      H5Handle   topo(H5Gopen2(root, "topologies", H5P_DEFAULT), H5Gclose);
      H5G_info_t ginfo;
      info[4] = topo.valid() && H5Gget_info(topo, &ginfo) >= 0 && ginfo.nlinks > 0;
    }
    PetscFunctionReturn(PETSC_SUCCESS);
  });
  (void)H5Fclose(fid);
  PetscCall(lf.Agree());
  PetscCallMPI(MPI_Bcast(info, 5, MPI_DOUBLE, 0, comm));
  if (writers) *writers = (PetscMPIInt)info[0];
  if (hasTS) *hasTS = info[1] != 0 ? PETSC_TRUE : PETSC_FALSE;
  if (time) *time = (PetscReal)info[2];
  if (step) *step = (PetscInt)info[3];
  if (canRedistribute) *canRedistribute = info[4] != 0 ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Load (verifying every row of every writer rank), drop the data, verify /topologies. */
PetscErrorCode PetscSnapshotHDF5Verify_HDF5(PetscSnapshot snap)
{
  PetscFunctionBegin;
  Data(snap)->verifyAgain = true; /* the whole-file checksum too, even if this process verified the file before */
  {
    PetscErrorCode ierr = PetscSnapshotBeginRestore_HDF5(snap);
    Data(snap)->verifyAgain = false;
    PetscCall(ierr);
  }
  PetscCall(PetscSnapshotEndRestore_HDF5(snap));
  PetscCall(VerifyTopologies(PetscObjectComm((PetscObject)snap), Data(snap)->lastFile, "PetscSnapshotHDF5Verify", true));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotSetFromOptions_HDF5(PetscSnapshot snap, PetscSnapshotOptionItems PetscOptionsObject)
{
  HDF5Data *d = Data(snap);
  char      name[PETSC_MAX_PATH_LEN];
  PetscBool set, developer = PETSC_FALSE;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "PetscSnapshot HDF5 options");
  PetscCall(PetscOptionsString("-snapshot_hdf5_filename", "The snapshot file", "PetscSnapshotHDF5SetFileName", d->fileName.c_str(), name, sizeof(name), &set));
  if (set) PetscCall(PetscSnapshotHDF5SetFileName(snap, name));
  { /* through the setter: a value it refuses is refused alike */
    PetscInt keep;

    PetscCall(PetscOptionsInt("-snapshot_hdf5_keep", "Write numbered files and keep the last N", "PetscSnapshotHDF5SetKeep", d->keep, &keep, &set));
    if (set) PetscCall(PetscSnapshotHDF5SetKeep(snap, keep));
  }
  PetscCall(PetscOptionsBool("-snapshot_hdf5_durable", "Flush each file and its directory to disk (fsync) before the capture returns", "PetscSnapshotHDF5SetDurable", d->durable, &d->durable, nullptr));
  PetscCall(PetscOptionsBool("-snapshot_hdf5_map_reads", "Restore datasets of 32 MB or more by mapping them from the file (verified in the page cache, copied once) instead of reading them into staging buffers", "PETSCSNAPSHOTHDF5", d->mapReads, &d->mapReads, nullptr));
  PetscCall(PetscOptionsBool("-snapshot_hdf5_reuse_buffers", "Keep the staging buffers of the last capture or restore for the next one (no page faults), at the cost of holding that memory", "PETSCSNAPSHOTHDF5", d->reuse, &d->reuse, nullptr));
  /* fault injection for the tests: read always, listed by -help only for developers (-snapshot_developer) */
  PetscCall(PetscOptionsHasName(((PetscObject)snap)->options, ((PetscObject)snap)->prefix, "-snapshot_developer", &developer));
  if (developer) {
    PetscCall(PetscOptionsInt("-snapshot_hdf5_test_fail_after", "Testing: fail after writing this many datasets", "PETSCSNAPSHOTHDF5", d->failAfter, &d->failAfter, nullptr));
    PetscCall(PetscOptionsInt("-snapshot_hdf5_test_kill_after", "Testing: rank 0 kills its process after writing this many datasets (or before the rename)", "PETSCSNAPSHOTHDF5", d->killAfter, &d->killAfter, nullptr));
    PetscCall(PetscOptionsInt("-snapshot_hdf5_test_fail_rank", "Testing: the injected failure happens in a dataset write on this rank only", "PETSCSNAPSHOTHDF5", d->failRank, &d->failRank, nullptr));
    PetscCall(PetscOptionsInt("-snapshot_hdf5_test_map_min_bytes", "Testing: map datasets of this many bytes or more (-snapshot_hdf5_map_reads)", "PETSCSNAPSHOTHDF5", d->mapMin, &d->mapMin, nullptr));
  } else {
    PetscCall(PetscOptionsGetInt(((PetscObject)snap)->options, ((PetscObject)snap)->prefix, "-snapshot_hdf5_test_fail_after", &d->failAfter, nullptr));
    PetscCall(PetscOptionsGetInt(((PetscObject)snap)->options, ((PetscObject)snap)->prefix, "-snapshot_hdf5_test_kill_after", &d->killAfter, nullptr));
    PetscCall(PetscOptionsGetInt(((PetscObject)snap)->options, ((PetscObject)snap)->prefix, "-snapshot_hdf5_test_fail_rank", &d->failRank, nullptr));
    PetscCall(PetscOptionsGetInt(((PetscObject)snap)->options, ((PetscObject)snap)->prefix, "-snapshot_hdf5_test_map_min_bytes", &d->mapMin, nullptr));
  }
  PetscOptionsHeadEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}


PetscErrorCode PetscSnapshotView_HDF5(PetscSnapshot snap, PetscViewer viewer)
{
  HDF5Data *d = Data(snap);

  PetscFunctionBegin;
  if (snap->entries->empty() && !d->fileName.empty()) { /* nothing captured or restored here yet: show the file's inventory */
    std::string file;
    PetscMPIInt rank;
    int         exists = 0;

    PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)snap), &rank));
    if (d->keep <= 0) {
      if (rank == 0) exists = access(d->fileName.c_str(), R_OK) == 0;
    } else {
      std::vector<std::pair<PetscInt, std::string>> files;
      PetscCall(NumberedFiles(PetscObjectComm((PetscObject)snap), d->fileName, &files));
      exists = !files.empty();
    }
    PetscCallMPI(MPI_Bcast(&exists, 1, MPI_INT, 0, PetscObjectComm((PetscObject)snap)));
    if (exists) {
      PetscCall(PetscSnapshotBeginRestore_HDF5(snap)); /* loads and verifies; the inventory stays, the data go */
      PetscCall(PetscSnapshotEndRestore_HDF5(snap));
    }
  }
  PetscCall(PetscViewerASCIIPrintf(viewer, "file: %s%s\n", d->fileName.empty() ? "(not set)" : d->fileName.c_str(), d->keep > 0 ? " (numbered)" : ""));
  if (d->keep > 0) PetscCall(PetscViewerASCIIPrintf(viewer, "keeps the last %" PetscInt_FMT " files\n", d->keep));
  if (!d->lastFile.empty()) PetscCall(PetscViewerASCIIPrintf(viewer, "last file written or read: %s\n", d->lastFile.c_str()));
  {
    double last[4] = {d->lastMapped[0], d->lastMapped[1], d->lastRead[0], d->lastRead[1]};

    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, last, 4, MPI_DOUBLE, MPI_SUM, PetscObjectComm((PetscObject)snap)));
    if (last[0] >= 0) PetscCall(PetscViewerASCIIPrintf(viewer, "last restore, all ranks: %.0f datasets (%.0f bytes) mapped from the file, %.0f datasets (%.0f bytes) read into staging buffers\n", last[0], last[1], last[2], last[3]));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotReset_HDF5(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscCall(StageFree(Data(snap)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotDestroy_HDF5(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscCall(StageFree(Data(snap)));
  PetscCall(petscsnapshot::plexio::ClearSections(&Data(snap)->sections));
  PetscCall(ReleaseMeshes(Data(snap)));
  PetscCall(PetscViewerDestroy(&Data(snap)->loading));
  delete Data(snap);
  snap->data = nullptr;
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5SetFileName_C", nullptr));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5SetKeep_C", nullptr));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5SetDurable_C", nullptr));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5LoadDM_C", nullptr));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotCreateDM_C", nullptr));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5GetFileInfo_C", nullptr));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5Verify_C", nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotHDF5SetFileName_HDF5(PetscSnapshot snap, const char name[])
{
  PetscFunctionBegin;
  PetscCallCXX(Data(snap)->fileName = name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotHDF5SetKeep_HDF5(PetscSnapshot snap, PetscInt keep)
{
  PetscFunctionBegin;
  Data(snap)->keep = keep;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotHDF5SetDurable_HDF5(PetscSnapshot snap, PetscBool durable)
{
  PetscFunctionBegin;
  Data(snap)->durable = durable;
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace

#endif

/*MC
   PETSCSNAPSHOTHDF5 - "hdf5": each capture writes one self-describing HDF5 file through PETSc's HDF5 viewer; a restore,
   in the same or a new process, reads it back

   Options Database Keys:
+  -snapshot_hdf5_filename <name> - the file (`PetscSnapshotHDF5SetFileName()`)
.  -snapshot_hdf5_keep <n>        - write numbered files name-000001.h5, ... and keep the last n (`PetscSnapshotHDF5SetKeep()`)
.  -snapshot_hdf5_durable <true>  - flush each file and its directory to disk before the capture returns (`PetscSnapshotHDF5SetDurable()`)
.  -snapshot_hdf5_reuse_buffers <true> - keep the staging buffers of the last capture or restore for the next one (see Notes)
-  -snapshot_hdf5_map_reads <true> - restore large datasets by mapping them from the file rather than reading them into staging buffers (see Notes)

   Notes:
   A file holds the `DM`s of one `PetscSnapshotCapture()` call (the `DM`, its sub-`DM`s and everything declared on it);
   to checkpoint several `DM`s together, declare them on one with `PetscSnapshotDMAddState()`. The file is written to a
   temporary name and renamed into place when complete, so a failure never destroys the previous file. The complete
   file is sealed with a checksum of all its bytes, which rank 0 verifies before HDF5 reads anything of it (a damaged
   file is refused, whatever part of it is damaged); every dataset also carries a checksum per rank, verified before
   anything is restored, as are the format, the schema version and the number of ranks. The snapshot's own HDF5
   viewers read no option of the application (`-viewer_type`, `-viewer_hdf5_sp_output`, ... change nothing). A file restores on another number of ranks too: each `DMPLEX` is also written in PETSc's own
   DMPlex HDF5 layout; load it with `PetscSnapshotHDF5LoadDM()`, build the rest on it, and restore (particles are sent
   to the ranks owning their cells). See docs/file-format.md.

   A capture copies the arrays into staging buffers (computing their checksums during the copy) and writes the file
   from them; a restore reads the file into staging buffers and verifies every checksum before anything is written
   into the application's objects. A dataset of 32 MB or more that a rank reads in one piece is instead mapped read-only
   from the file (`mmap()`: the pages of the kernel's file cache, not a copy) and verified there, and the restore copies
   it once, from there into the application's objects (`-snapshot_hdf5_map_reads false`: read it into a staging buffer
   like the others). A mapped dataset whose checksum differs is read again the ordinary way, which decides. Do not
   truncate or rewrite a snapshot file in place while a restore reads it (the library itself replaces files by renaming
   new ones into place, which does not disturb a reader). The buffers of the last capture or restore are kept for the next one, which then
   allocates nothing (a fresh buffer is zero-filled by the kernel on first touch): between operations the snapshot
   holds about one copy of the last file's data of each rank. `-snapshot_hdf5_reuse_buffers false` frees them after
   every operation.

   Developer Notes:
   Fault injection for the test suite, listed by -help only with -snapshot_developer:
.vb
   -snapshot_hdf5_test_fail_after <n>  fail after writing n datasets
   -snapshot_hdf5_test_fail_rank <r>   ... on rank r only (as a full disk does)
   -snapshot_hdf5_test_kill_after <n>  rank 0 kills its process after n datasets, or before the rename
   -snapshot_hdf5_test_map_min_bytes <b> map datasets of b bytes or more (default 32 MB), so small test files take that path
.ve

   Level: beginner

.seealso: `PetscSnapshotType`, `PetscSnapshotSetType()`, `PetscSnapshotHDF5SetFileName()`, `PETSCSNAPSHOTMEMORY`
M*/
PETSC_INTERN PetscErrorCode PetscSnapshotCreate_HDF5(PetscSnapshot snap)
{
  PetscFunctionBegin;
#if defined(PETSC_HAVE_HDF5)
  PetscCallCXX(snap->data = new HDF5Data());
  PetscCall(PetscSnapshotSetMemoryOps_Internal(snap)); /* staging */
  snap->captureEvent        = PETSCSNAPSHOT_H5Capture;
  snap->restoreEvent        = PETSCSNAPSHOT_H5Restore;
  snap->ops->write          = PetscSnapshotWrite_HDF5;  /* copy and checksum in one pass, into reused buffers */
  snap->ops->drop           = PetscSnapshotDrop_HDF5;
  snap->ops->reset          = PetscSnapshotReset_HDF5;
  snap->ops->begincapture   = PetscSnapshotBeginCapture_HDF5;
  snap->ops->endcapture     = PetscSnapshotEndCapture_HDF5;
  snap->ops->beginrestore   = PetscSnapshotBeginRestore_HDF5;
  snap->ops->endrestore     = PetscSnapshotEndRestore_HDF5;
  snap->ops->setfromoptions = PetscSnapshotSetFromOptions_HDF5;
  snap->ops->view           = PetscSnapshotView_HDF5;
  snap->ops->destroy        = PetscSnapshotDestroy_HDF5;
  snap->ops->putmesh            = PetscSnapshotPutMesh_HDF5;
  snap->ops->putmeshvec         = PetscSnapshotPutMeshVec_HDF5;
  snap->ops->checkmesh          = PetscSnapshotCheckMesh_HDF5;
  snap->ops->checkmeshvec       = PetscSnapshotCheckMeshVec_HDF5;
  snap->ops->getmeshvec         = PetscSnapshotGetMeshVec_HDF5;
  snap->ops->getmeshcoordinates = PetscSnapshotGetMeshCoordinates_HDF5;
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5SetFileName_C", PetscSnapshotHDF5SetFileName_HDF5));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5SetKeep_C", PetscSnapshotHDF5SetKeep_HDF5));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5SetDurable_C", PetscSnapshotHDF5SetDurable_HDF5));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5LoadDM_C", PetscSnapshotHDF5LoadDM_HDF5));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotCreateDM_C", PetscSnapshotHDF5LoadDM_HDF5)); /* the file is the topology */
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5GetFileInfo_C", PetscSnapshotHDF5GetFileInfo_HDF5));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5Verify_C", PetscSnapshotHDF5Verify_HDF5));
#else
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_SUP_SYS, "PetscSnapshot type \"hdf5\" needs PETSc built with HDF5 (configure PETSc with --download-hdf5 or --with-hdf5)");
#endif
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotHDF5SetFileName - Sets the file an HDF5 snapshot writes at capture and reads at restore

  Logically Collective

  Input Parameters:
+ snap - the snapshot, of type `PETSCSNAPSHOTHDF5` (other types ignore the call)
- name - the file name; with `PetscSnapshotHDF5SetKeep()` the base of numbered names

  Options Database Key:
. -snapshot_hdf5_filename <name> - sets the file name

  Level: beginner

.seealso: `PETSCSNAPSHOTHDF5`, `PetscSnapshotHDF5SetKeep()`
@*/
PetscErrorCode PetscSnapshotHDF5SetFileName(PetscSnapshot snap, const char name[])
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(name && name[0], PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotHDF5SetFileName: a file name is required");
  PetscTryMethod(snap, "PetscSnapshotHDF5SetFileName_C", (PetscSnapshot, const char[]), (snap, name));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotHDF5SetKeep - Makes an HDF5 snapshot write a series of numbered files and keep the last ones

  Logically Collective

  Input Parameters:
+ snap - the snapshot, of type `PETSCSNAPSHOTHDF5` (other types ignore the call)
- keep - how many files to keep; 0 (the default) writes the file name itself, every time

  Options Database Key:
. -snapshot_hdf5_keep <n> - sets the number of files kept

  Notes:
  Each capture writes `<stem>-<k, 6 digits>.<ext>`, k one more than the newest numbered file on disk (whoever wrote it:
  another snapshot object or an earlier process) and than the last this object wrote, and, only once it is complete,
  removes older numbered files beyond the last `keep`; the file just written is never removed. A restore reads the
  newest numbered file, also in a new process.

  Level: intermediate

.seealso: `PETSCSNAPSHOTHDF5`, `PetscSnapshotHDF5SetFileName()`
@*/
PetscErrorCode PetscSnapshotHDF5SetKeep(PetscSnapshot snap, PetscInt keep)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(keep >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "PetscSnapshotHDF5SetKeep (-snapshot_hdf5_keep): keep must be >= 0, not %" PetscInt_FMT, keep);
  PetscTryMethod(snap, "PetscSnapshotHDF5SetKeep_C", (PetscSnapshot, PetscInt), (snap, keep));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotHDF5SetDurable - Sets whether a capture of an HDF5 snapshot flushes its file and the file's directory to
  disk before it returns

  Logically Collective

  Input Parameters:
+ snap    - the snapshot, of type `PETSCSNAPSHOTHDF5` (other types ignore the call)
- durable - `PETSC_TRUE` (the default) to flush, `PETSC_FALSE` not to

  Options Database Key:
. -snapshot_hdf5_durable <true> - sets whether captures are flushed

  Notes:
  A capture writes a temporary file and renames it into place. Durable, every rank calls fsync(2) on the temporary
  before the rename and rank 0 on the directory after it, so that the new file, or else the previous one, survives a
  crash of the node or a power loss, not only a killed process. Without it, a crash of the node shortly after a
  capture may leave neither the new file complete nor the previous one in place (the rename can reach the disk before
  the data). What the flush costs is in docs/performance.md.

  Level: intermediate

.seealso: `PETSCSNAPSHOTHDF5`, `PetscSnapshotHDF5SetFileName()`, `PetscSnapshotHDF5SetKeep()`
@*/
PetscErrorCode PetscSnapshotHDF5SetDurable(PetscSnapshot snap, PetscBool durable)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscTryMethod(snap, "PetscSnapshotHDF5SetDurable_C", (PetscSnapshot, PetscBool), (snap, durable));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotHDF5LoadDM - Creates a `DMPLEX` from an HDF5 snapshot file: its topology, coordinates and labels,
  distributed over the snapshot's communicator, whatever number of ranks wrote the file

  Collective

  Input Parameters:
+ snap - the snapshot, of type `PETSCSNAPSHOTHDF5`, with its file name set
- name - the name of the `DMPLEX` at capture (the name of its entry, see `PetscSnapshotView()`)

  Output Parameter:
. dm - the new `DMPLEX`, named `name`

  Options Database Keys (with the prefix of the new `DM`, none):
+ -petscpartitioner_type <type> - how to distribute it
- -dm_distribute_overlap <n>    - overlap of the distribution (default 0)

  Notes:
  This is how a restart at another rank count gets its mesh: load the `DM`, set up the same discretization on it
  (clones, sections, `PetscFE`), create the same `Vec`s, swarm and state, declare them as at capture, then call
  `PetscSnapshotRestore()`. The restore finds each `Vec` laid out by the mesh through PETSc's own DMPlex HDF5 loaders
  (`DMPlexSectionLoad()`, `DMPlexGlobalVectorLoad()`), which need the map from the file's points to this `DM`'s that
  this function keeps on the `DM`; a mesh the program builds by itself cannot be restored at another rank count.
  The `DM` is marked as distributed (`DMPlexDistributeSetDefault()` false), so that `DMSetFromOptions()` with default
  options leaves it as loaded; a `DM` redistributed or refined after the load (for example by `DMSetFromOptions()` with
  `-dm_distribute` or `-dm_refine`) no longer matches the file's points, and its restore is
  refused. At the rank count that wrote the file the program may build its mesh itself, or load it with this function.

  Level: intermediate

.seealso: `PETSCSNAPSHOTHDF5`, `PetscSnapshotRestore()`, `DMPlexTopologyLoad()`, `PetscSnapshotHDF5SetFileName()`
@*/
PetscErrorCode PetscSnapshotHDF5LoadDM(PetscSnapshot snap, const char name[], DM *dm)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(name && name[0], PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotHDF5LoadDM: the DM's name is required");
  PetscCheck(dm, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotHDF5LoadDM: output argument is NULL");
  *dm = nullptr;
  PetscCall(PetscSnapshotSetUp(snap));
  PetscUseMethod(snap, "PetscSnapshotHDF5LoadDM_C", (PetscSnapshot, const char[], DM *), (snap, name, dm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotHDF5GetFileInfo - Tells what an HDF5 snapshot file holds, before the application builds the objects to
  restore it into: the number of ranks that wrote it, the `TS` clock, and whether it restores at another rank count

  Collective

  Input Parameter:
. snap - the snapshot, of type `PETSCSNAPSHOTHDF5`, with its file name set (with `PetscSnapshotHDF5SetKeep()`, the
         newest numbered file is read)

  Output Parameters (each may be `NULL`):
+ writers         - the number of MPI ranks that wrote the file
. hasTS           - whether a `TS` was part of the snapshot
. time            - its time at capture (0 without a `TS`)
. step            - its step number at capture (0 without a `TS`)
- canRedistribute - whether the file holds `DMPLEX` data in PETSc's own layout (the group `/topologies`), so that it
                    restores on another number of ranks through `PetscSnapshotHDF5LoadDM()`

  Notes:
  The file's seal (a checksum of all its bytes) is verified on rank 0, then only its metadata are read; its datasets'
  own checksums are not verified (`PetscSnapshotRestore()` does that, as does `petscsnapshot-info --verify`). A
  missing or damaged file, a file that is not a petsc-snapshot file, or one with another schema version is refused on
  every rank, as by `PetscSnapshotRestore()`. A typical restart decides from `writers` and
  `canRedistribute` whether to build its mesh itself (same rank count) or to load it with `PetscSnapshotHDF5LoadDM()`.

  Level: intermediate

.seealso: `PETSCSNAPSHOTHDF5`, `PetscSnapshotHDF5LoadDM()`, `PetscSnapshotRestore()`, `PetscSnapshotHDF5SetFileName()`
@*/
PetscErrorCode PetscSnapshotHDF5GetFileInfo(PetscSnapshot snap, PetscMPIInt *writers, PetscBool *hasTS, PetscReal *time, PetscInt *step, PetscBool *canRedistribute)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCall(PetscSnapshotSetUp(snap));
  PetscUseMethod(snap, "PetscSnapshotHDF5GetFileInfo_C", (PetscSnapshot, PetscMPIInt *, PetscBool *, PetscReal *, PetscInt *, PetscBool *), (snap, writers, hasTS, time, step, canRedistribute));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotHDF5Verify - Reads the whole snapshot file as a restore does and checks everything a restore checks,
  without restoring anything: the seal (a checksum of all its bytes), format, schema version, every dataset's
  attributes, shape and the checksum of every writer rank's rows, and the checksum of its `/topologies` (PETSc's DMPlex
  layout)

  Collective

  Input Parameter:
. snap - the snapshot, of type `PETSCSNAPSHOTHDF5`, with its file name set (with `PetscSnapshotHDF5SetKeep()`, the
         newest numbered file is read)

  Notes:
  Works at any number of ranks, whatever the number that wrote the file: the writer ranks' rows are dealt to the
  readers, every row is read and verified once. A damaged, truncated or foreign file raises `PETSC_ERR_FILE_UNEXPECTED`
  (or the error of `PetscSnapshotRestore()` for a missing file or another schema version) on every rank, naming the
  first problem found. Afterwards the snapshot's inventory is the file's (as after `PetscSnapshotView()`), its data are
  freed. `petscsnapshot-info --verify` calls it.

  Level: intermediate

.seealso: `PETSCSNAPSHOTHDF5`, `PetscSnapshotHDF5GetFileInfo()`, `PetscSnapshotRestore()`
@*/
PetscErrorCode PetscSnapshotHDF5Verify(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCall(PetscSnapshotSetUp(snap));
  PetscUseMethod(snap, "PetscSnapshotHDF5Verify_C", (PetscSnapshot), (snap));
  PetscFunctionReturn(PETSC_SUCCESS);
}
