/* Capture for the hdf5 type: the staged slots and the DMPlex data, to a temporary file renamed into place. */
#include "hdf5impl.hpp"
#include "plexio.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <algorithm>
  #include <cstdio>
  #include <cstring>
  #include <ctime>
  #include <dirent.h>
  #include <unistd.h>

namespace petscsnapshot::hdf5
{

/* One collective dataset: every rank's items in rank order, with counts and checksums. */
PetscErrorCode WriteSlot(MPI_Comm comm, hid_t group, const std::string &name, const Slot &slot)
{
  PetscMPIInt           size, rank;
  std::vector<int64_t>  counts;
  std::vector<uint64_t> sums;
  int64_t               n = slot.info.n, offset = 0, total = 0;
  uint64_t              sum = Checksum(slot.storage, slot.bytes);
  hid_t                 type = H5TypeOf(slot.info.type);
  hsize_t               dims[2], start[2], count[2], one[2] = {1, 1};
  PetscInt              bs = slot.info.bs;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallCXX(counts.resize(size));
  PetscCallCXX(sums.resize(size));
  PetscCallMPI(MPI_Allgather(&n, 1, MPI_INT64_T, counts.data(), 1, MPI_INT64_T, comm));
  PetscCallMPI(MPI_Allgather(&sum, 1, MPI_UINT64_T, sums.data(), 1, MPI_UINT64_T, comm));
  for (int r = 0; r < size; r++) {
    if (r < rank) offset += counts[r];
    total += counts[r];
  }
  dims[0]  = (hsize_t)total;
  dims[1]  = (hsize_t)bs;
  start[0] = (hsize_t)offset;
  start[1] = 0;
  count[0] = (hsize_t)n;
  count[1] = (hsize_t)bs;
  H5Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  PetscCallH5(H5Pset_create_intermediate_group(lcpl, 1), "link property");
  H5Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
  H5Handle dset(H5Dcreate2(group, name.c_str(), type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  PetscCheck(dset.valid(), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed to create dataset %s", name.c_str());
  H5Handle mem(H5Screate_simple(2, n > 0 ? count : one, nullptr), H5Sclose);
  if (n > 0) PetscCallH5(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr), "selection");
  else {
    PetscCallH5(H5Sselect_none(space), "selection");
    PetscCallH5(H5Sselect_none(mem), "selection");
  }
  H5Handle dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose);
  PetscCallH5(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE), "transfer property");
  PetscCallH5(H5Dwrite(dset, type, mem, space, dxpl, slot.storage), name.c_str());
  {
    int kind = (int)slot.info.kind, ibs = (int)bs;
    PetscCall(WriteNumericAttribute(dset, "kind", H5T_NATIVE_INT, 1, &kind));
    PetscCall(WriteStringAttribute(dset, "petsc_type", PetscDataTypes[slot.info.type]));
    PetscCall(WriteNumericAttribute(dset, "bs", H5T_NATIVE_INT, 1, &ibs));
    PetscCall(WriteNumericAttribute(dset, "global_items", H5T_NATIVE_INT64, 1, &total));
    PetscCall(WriteNumericAttribute(dset, "counts", H5T_NATIVE_INT64, (hsize_t)size, counts.data()));
    PetscCall(WriteNumericAttribute(dset, "checksums", H5T_NATIVE_UINT64, (hsize_t)size, sums.data()));
    if (slot.info.N >= 0) { /* a Vec's size, per rank: a local (sequential) Vec's differs from rank to rank */
      int64_t              N = slot.info.N;
      std::vector<int64_t> Ns;
      PetscCallCXX(Ns.resize(size));
      PetscCallMPI(MPI_Allgather(&N, 1, MPI_INT64_T, Ns.data(), 1, MPI_INT64_T, comm));
      PetscCall(WriteNumericAttribute(dset, "vec_global_items", H5T_NATIVE_INT64, (hsize_t)size, Ns.data()));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The TS declared in a snapshot, if any: its clock is copied into the root attributes for a person reading the file */
PetscErrorCode WriteTSAttributes(MPI_Comm comm, hid_t root, const EntryMap &entries)
{
  PetscFunctionBegin;
  for (const auto &[name, entry] : entries) {
    for (const auto &[sname, slot] : entry.slots) {
      if (sname.rfind("state/", 0) != 0 || slot.info.type != PETSC_REAL || slot.info.bs != 3 || slot.info.n != 1) continue;
      auto step = entry.slots.find(sname + "#step");
      if (step == entry.slots.end()) continue;
      double  clock[3];
      int64_t s = *static_cast<const PetscInt *>(step->second.storage);
      std::memcpy(clock, slot.storage, sizeof(clock));
      PetscCall(WriteNumericAttribute(root, "ts_time", H5T_NATIVE_DOUBLE, 1, &clock[0]));
      PetscCall(WriteNumericAttribute(root, "ts_dt", H5T_NATIVE_DOUBLE, 1, &clock[1]));
      PetscCall(WriteNumericAttribute(root, "ts_step", H5T_NATIVE_INT64, 1, &s));
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode WriteContents(PetscSnapshot snap, PetscViewer viewer, hid_t fid)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)snap);
  PetscMPIInt size;
  PetscInt    written = 0;
  HDF5Data   *d       = Data(snap);
  H5Handle    root(H5Gopen2(fid, "/", H5P_DEFAULT), H5Gclose);

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  {
    char        created[64], petscVersion[64], libVersion[64];
    std::time_t now = std::time(nullptr);
    int         schema = schemaVersion, ranks = size, captures = (int)snap->captureCount + 1;

    std::strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    PetscCallMPI(MPI_Bcast(created, sizeof(created), MPI_CHAR, 0, comm)); /* attributes must agree on every rank */
    PetscCall(PetscGetVersion(petscVersion, sizeof(petscVersion)));
    std::snprintf(libVersion, sizeof(libVersion), "%d.%d.%d", PETSCSNAPSHOT_VERSION_MAJOR, PETSCSNAPSHOT_VERSION_MINOR, PETSCSNAPSHOT_VERSION_PATCH);
    PetscCall(WriteStringAttribute(root, "format", formatName));
    PetscCall(WriteNumericAttribute(root, "schema_version", H5T_NATIVE_INT, 1, &schema));
    PetscCall(WriteStringAttribute(root, "library_version", libVersion));
    PetscCall(WriteStringAttribute(root, "petsc_version", petscVersion));
    PetscCall(WriteNumericAttribute(root, "comm_size", H5T_NATIVE_INT, 1, &ranks));
    PetscCall(WriteStringAttribute(root, "created", created));
    PetscCall(WriteNumericAttribute(root, "captures", H5T_NATIVE_INT, 1, &captures));
    PetscCall(WriteTSAttributes(comm, root, *snap->entries));
    /* before PETSc's first DMPlex write, which reads it: PETSc's default storage version does not load on another
       number of ranks */
    PetscCall(WriteStringAttribute(root, "dmplex_storage_version", petscsnapshot::plexio::storageVersion));
  }
  for (const auto &[name, entry] : *snap->entries) {
    std::string path;
    H5Handle    lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    int         ranks = entry.commSize, captures = (int)entry.captures;

    PetscCallCXX(path = "/entries/" + name);
    PetscCallH5(H5Pset_create_intermediate_group(lcpl, 1), "link property");
    H5Handle group(H5Gcreate2(fid, path.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    PetscCheck(group.valid(), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed to create group %s", path.c_str());
    PetscCall(WriteStringAttribute(group, "dm_type", entry.dmType.c_str()));
    PetscCall(WriteNumericAttribute(group, "comm_size", H5T_NATIVE_INT, 1, &ranks));
    PetscCall(WriteNumericAttribute(group, "captures", H5T_NATIVE_INT, 1, &captures));
    for (const auto &[sname, slot] : entry.slots) {
      PetscCheck(d->failAfter < 0 || written < d->failAfter, comm, PETSC_ERR_FILE_WRITE, "PetscSnapshot: failure injected after writing %" PetscInt_FMT " datasets (-snapshot_hdf5_test_fail_after)", written);
      PetscCall(WriteSlot(comm, group, sname, slot));
      written++;
    }
  }
  /* the same DMPlex data again in PETSc's own layout, which loads on any number of ranks */
  for (DM dm : d->meshes) PetscCall(petscsnapshot::plexio::WriteMesh(viewer, dm));
  for (const auto &[topo, name, vec] : d->meshVecs) PetscCall(petscsnapshot::plexio::WriteVec(viewer, topo, name.c_str(), vec));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode WriteFile(PetscSnapshot snap, const std::string &file)
{
  PetscViewer    viewer;
  hid_t          fid;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(PetscViewerHDF5Open(PetscObjectComm((PetscObject)snap), file.c_str(), FILE_MODE_WRITE, &viewer));
  PetscCall(PetscViewerHDF5GetFileId(viewer, &fid));
  ierr = WriteContents(snap, viewer, fid);
  PetscCall(PetscViewerDestroy(&viewer)); /* closed on failure too */
  PetscCall(ierr);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Drop the references to the DMPlex data of a capture. */
PetscErrorCode ReleaseMeshes(HDF5Data *d)
{
  PetscFunctionBegin;
  for (DM &dm : d->meshes) PetscCall(DMDestroy(&dm));
  for (auto &[topo, name, vec] : d->meshVecs) {
    PetscCall(DMDestroy(&topo));
    PetscCall(VecDestroy(&vec));
  }
  d->meshes.clear();
  d->meshVecs.clear();
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotPutMesh_HDF5(PetscSnapshot snap, DM dm)
{
  HDF5Data *d = Data(snap);

  PetscFunctionBegin;
  for (DM m : d->meshes)
    if (m == dm) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallCXX(d->meshes.push_back(dm));
  PetscCall(PetscObjectReference((PetscObject)dm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotPutMeshVec_HDF5(PetscSnapshot snap, DM topo, const char name[], Vec vec)
{
  HDF5Data *d = Data(snap);

  PetscFunctionBegin;
  PetscCallCXX(d->meshVecs.emplace_back(topo, name, vec));
  PetscCall(PetscObjectReference((PetscObject)topo));
  PetscCall(PetscObjectReference((PetscObject)vec));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotBeginCapture_HDF5(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscCheck(!Data(snap)->fileName.empty(), PetscObjectComm((PetscObject)snap), PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshot of type hdf5 needs a file name: PetscSnapshotHDF5SetFileName() or -snapshot_hdf5_filename");
  /* a file holds the DMs of one capture call: start from an empty inventory */
  PetscCall(ReleaseMeshes(Data(snap)));
  while (!snap->entries->empty()) PetscCall(PetscSnapshotDropEntry_Internal(snap, snap->entries->begin()));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Write to a temporary name, rename into place when complete, then prune old numbered files; free the staged data. */
PetscErrorCode PetscSnapshotEndCapture_HDF5(PetscSnapshot snap, PetscBool success)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)snap);
  HDF5Data      *d    = Data(snap);
  std::string    file, tmp;
  PetscErrorCode ierr;
  PetscMPIInt    rank;
  int            renamed = 0;

  PetscFunctionBegin;
  if (!success) PetscCall(ReleaseMeshes(d));
  if (!success) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallCXX(file = d->keep > 0 ? NumberedName(d->fileName, d->sequence + 1) : d->fileName);
  PetscCallCXX(tmp = file + ".tmp");
  PetscCall(RemoveFile(comm, tmp));
  ierr = WriteFile(snap, tmp);
  PetscCall(ReleaseMeshes(d));
  if (ierr) { /* the previous file is untouched; no temporary is left behind */
    PetscCall(RemoveFile(comm, tmp));
    while (!snap->entries->empty()) PetscCall(PetscSnapshotDropEntry_Internal(snap, snap->entries->begin()));
    PetscCall(ierr);
  }
  if (rank == 0) renamed = std::rename(tmp.c_str(), file.c_str()) == 0;
  PetscCallMPI(MPI_Bcast(&renamed, 1, MPI_INT, 0, comm));
  PetscCheck(renamed, comm, PETSC_ERR_FILE_WRITE, "PetscSnapshot: could not rename %s to %s", tmp.c_str(), file.c_str());
  PetscCallCXX(d->lastFile = file);
  if (d->keep > 0) {
    std::vector<std::pair<PetscInt, std::string>> files;

    d->sequence++;
    PetscCall(NumberedFiles(comm, d->fileName, &files));
    for (size_t i = 0; i + (size_t)d->keep < files.size(); i++) PetscCall(RemoveFile(comm, files[i].second)); /* only after the new one is complete */
  }
  /* the data are on disk now: free the staged copies, keep the inventory */
  for (auto &[name, entry] : *snap->entries)
    for (auto &[sname, slot] : entry.slots) {
      PetscCall(PetscFree(slot.storage));
      slot.capacity = 0;
    }
  PetscFunctionReturn(PETSC_SUCCESS);
}
} // namespace petscsnapshot::hdf5

#endif
