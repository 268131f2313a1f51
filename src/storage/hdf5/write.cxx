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
  #include <fcntl.h>
  #include <csignal>
  #include <sys/stat.h>
  #include <cerrno>
  #include <petsctime.h>
  #include "../../include/collective.hpp"

namespace petscsnapshot::hdf5
{

/* Testing: a local failure injected on one rank (-snapshot_hdf5_test_fail_rank), as a full disk gives one. */
static bool InjectedHere(MPI_Comm comm, const HDF5Data *d, PetscInt written)
{
  PetscMPIInt rank;

  if (d->failRank < 0 || MPI_Comm_rank(comm, &rank) != MPI_SUCCESS) return false;
  return rank == d->failRank && written >= std::max<PetscInt>(d->failAfter, 0);
}

/* Testing: a process killed in the middle of a capture (-snapshot_hdf5_test_kill_after). */
static void KillHere(MPI_Comm comm, const HDF5Data *d, PetscInt written)
{
  PetscMPIInt rank;

  if (d->killAfter < 0 || written < d->killAfter || MPI_Comm_rank(comm, &rank) != MPI_SUCCESS || rank != 0) return;
  (void)std::raise(SIGKILL);
}

/* One collective dataset: every rank's items in rank order, with counts and checksums. Its local steps report to lf,
   agreed before each collective HDF5 call (dataset creation, the collective write) and at the end. bytes: the
   dataset's bytes in all, alike on every rank (from the counts every rank gathers anyway). */
PetscErrorCode WriteSlot(MPI_Comm comm, hid_t group, const std::string &name, const Slot &slot, bool inject, LocalFailures &lf, double *bytes)
{
  static const char     empty = 0; /* HDF5 wants a buffer even for an empty selection */
  PetscMPIInt           size, rank;
  std::vector<int64_t>  counts, Ns;
  std::vector<uint64_t> sums;
  int64_t               n = slot.info.n, offset = 0, total = 0, N = slot.info.N;
  uint64_t              sum = slot.summed ? slot.checksum : Checksum(slot.storage, slot.bytes); /* summed while staged */
  hid_t                 type = H5TypeOf(slot.info.type);
  hsize_t               dims[2], start[2], count[2], one[2] = {1, 1};
  PetscInt              bs = slot.info.bs;
  hid_t                 dsetId = -1;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallCXX(counts.resize(size));
  PetscCallCXX(sums.resize(size));
  PetscCallCXX(Ns.resize(size));
  PetscCallMPI(MPI_Allgather(&n, 1, MPI_INT64_T, counts.data(), 1, MPI_INT64_T, comm));
  PetscCallMPI(MPI_Allgather(&sum, 1, MPI_UINT64_T, sums.data(), 1, MPI_UINT64_T, comm));
  PetscCallMPI(MPI_Allgather(&N, 1, MPI_INT64_T, Ns.data(), 1, MPI_INT64_T, comm));
  for (int r = 0; r < size; r++) {
    if (r < rank) offset += counts[r];
    total += counts[r];
  }
  {
    size_t tsize;

    PetscCall(PetscSnapshotDataTypeSize_Internal(slot.info.type, &tsize));
    *bytes = (double)total * (double)bs * (double)tsize;
  }
  dims[0]  = (hsize_t)total;
  dims[1]  = (hsize_t)bs;
  start[0] = (hsize_t)offset;
  start[1] = 0;
  count[0] = (hsize_t)n;
  count[1] = (hsize_t)bs;
  H5Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
  lf.Run("creating dataset " + name, [&]() -> PetscErrorCode {
    PetscFunctionBegin;
    H5Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    PetscCallH5(H5Pset_create_intermediate_group(lcpl, 1), "link property");
    dsetId = H5Dcreate2(group, name.c_str(), type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    PetscCheck(dsetId >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed to create the dataset");
    PetscFunctionReturn(PETSC_SUCCESS);
  });
  H5Handle dset(dsetId, H5Dclose);
  PetscCall(lf.Agree());
  lf.Run("writing dataset " + name, [&]() -> PetscErrorCode {
    PetscFunctionBegin;
    H5Handle mem(H5Screate_simple(2, n > 0 ? count : one, nullptr), H5Sclose);
    if (n > 0) PetscCallH5(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr), "selection");
    else {
      PetscCallH5(H5Sselect_none(space), "selection");
      PetscCallH5(H5Sselect_none(mem), "selection");
    }
    H5Handle dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose);
    PetscCallH5(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE), "transfer property");
    if (total > 0) PetscCallH5(H5Dwrite(dset, type, mem, space, dxpl, slot.storage && n > 0 ? slot.storage : &empty), "H5Dwrite"); /* HDF5 refuses to write an empty dataset */
    PetscFunctionReturn(PETSC_SUCCESS);
  });
  if (inject) lf.Fail("writing dataset " + name + ": failure injected on this rank (-snapshot_hdf5_test_fail_rank)", PETSC_ERR_FILE_WRITE);
  PetscCall(lf.Agree());
  lf.Run("writing the attributes of dataset " + name, [&]() -> PetscErrorCode {
    int kind = (int)slot.info.kind, ibs = (int)bs;

    PetscFunctionBegin;
    PetscCall(WriteNumericAttribute(dset, "kind", H5T_NATIVE_INT, 1, &kind));
    PetscCall(WriteStringAttribute(dset, "petsc_type", PetscDataTypes[slot.info.type]));
    PetscCall(WriteNumericAttribute(dset, "bs", H5T_NATIVE_INT, 1, &ibs));
    PetscCall(WriteNumericAttribute(dset, "global_items", H5T_NATIVE_INT64, 1, &total));
    PetscCall(WriteNumericAttribute(dset, "counts", H5T_NATIVE_INT64, (hsize_t)size, counts.data()));
    PetscCall(WriteNumericAttribute(dset, "checksums", H5T_NATIVE_UINT64, (hsize_t)size, sums.data()));
    /* a Vec's size, per rank: a local (sequential) Vec's differs from rank to rank */
    if (slot.info.N >= 0) PetscCall(WriteNumericAttribute(dset, "vec_global_items", H5T_NATIVE_INT64, (hsize_t)size, Ns.data()));
    PetscFunctionReturn(PETSC_SUCCESS);
  });
  PetscCall(lf.Agree());
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

PetscErrorCode WriteContents(PetscSnapshot snap, PetscViewer viewer, hid_t fid, const std::string &file)
{
  double        done = 0; /* bytes of the arrays written, alike on every rank (progress lines) */
  MPI_Comm      comm = PetscObjectComm((PetscObject)snap);
  PetscMPIInt   size;
  PetscInt      written = 0;
  HDF5Data     *d       = Data(snap);
  LocalFailures lf(comm, "PetscSnapshotCapture");
  char          created[64];
  std::time_t   now = std::time(nullptr);

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  std::strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  PetscCallMPI(MPI_Bcast(created, sizeof(created), MPI_CHAR, 0, comm)); /* attributes must agree on every rank */
  lf.Run(file + ": writing the root attributes", [&]() -> PetscErrorCode {
    char     petscVersion[64], libVersion[64];
    int      schema = schemaVersion, ranks = size, captures = (int)snap->captureCount + 1, intBytes = (int)sizeof(PetscInt);
    H5Handle root(H5Gopen2(fid, "/", H5P_DEFAULT), H5Gclose);

    PetscFunctionBegin;
    PetscCall(PetscGetVersion(petscVersion, sizeof(petscVersion)));
    std::snprintf(libVersion, sizeof(libVersion), "%d.%d.%d", PETSCSNAPSHOT_VERSION_MAJOR, PETSCSNAPSHOT_VERSION_MINOR, PETSCSNAPSHOT_VERSION_PATCH);
    PetscCall(WriteStringAttribute(root, "format", formatName));
    PetscCall(WriteNumericAttribute(root, "schema_version", H5T_NATIVE_INT, 1, &schema));
    PetscCall(WriteStringAttribute(root, "library_version", libVersion));
    PetscCall(WriteStringAttribute(root, "petsc_version", petscVersion));
    PetscCall(WriteNumericAttribute(root, "comm_size", H5T_NATIVE_INT, 1, &ranks));
    PetscCall(WriteNumericAttribute(root, "petsc_int_bytes", H5T_NATIVE_INT, 1, &intBytes));
    PetscCall(WriteStringAttribute(root, "created", created));
    PetscCall(WriteNumericAttribute(root, "captures", H5T_NATIVE_INT, 1, &captures));
    PetscCall(WriteTSAttributes(comm, root, *snap->entries));
    /* before PETSc's first DMPlex write, which reads it: PETSc's default storage version does not load on another
       number of ranks */
    PetscCall(WriteStringAttribute(root, "dmplex_storage_version", petscsnapshot::plexio::storageVersion));
    PetscFunctionReturn(PETSC_SUCCESS);
  });
  PetscCall(lf.Agree());
  for (const auto &[name, entry] : *snap->entries) {
    std::string path;
    hid_t       groupId = -1;

    PetscCallCXX(path = "/entries/" + EscapeName(name)); /* a '/' in a DM's name would make subgroups */
    lf.Run(file + ": writing group " + path, [&, &entry = entry]() -> PetscErrorCode {
      int ranks = entry.commSize, captures = (int)entry.captures;

      PetscFunctionBegin;
      H5Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
      PetscCallH5(H5Pset_create_intermediate_group(lcpl, 1), "link property");
      groupId = H5Gcreate2(fid, path.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT);
      PetscCheck(groupId >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed to create the group");
      PetscCall(WriteStringAttribute(groupId, "dm_type", entry.dmType.c_str()));
      PetscCall(WriteNumericAttribute(groupId, "comm_size", H5T_NATIVE_INT, 1, &ranks));
      PetscCall(WriteNumericAttribute(groupId, "captures", H5T_NATIVE_INT, 1, &captures));
      PetscFunctionReturn(PETSC_SUCCESS);
    });
    H5Handle group(groupId, H5Gclose);
    PetscCall(lf.Agree());
    for (const auto &[sname, slot] : entry.slots) {
      if (d->failAfter >= 0 && d->failRank < 0 && written >= d->failAfter) {
        char msg[256];
        PetscCall(PetscSNPrintf(msg, sizeof(msg), "failure injected after writing %" PetscInt_FMT " datasets (-snapshot_hdf5_test_fail_after)", written));
        lf.Fail(msg, PETSC_ERR_FILE_WRITE);
      }
      PetscCall(lf.Agree());
      KillHere(comm, d, written);
      double bytes;

      PetscCall(WriteSlot(comm, group, path + "/" + sname, slot, InjectedHere(comm, d, written), lf, &bytes));
      written++;
      done += bytes;
      PetscCall(PetscSnapshotProgress_Internal(snap, done, PETSC_FALSE, "wrote DM \"%s\" array \"%s\"", name.c_str(), sname.c_str()));
    }
  }
  PetscCall(PetscSnapshotProgress_Internal(snap, done, PETSC_TRUE, "wrote the arrays of %zu DM%s", snap->entries->size(), snap->entries->size() == 1 ? "" : "s"));
  /* the same DMPlex data again in PETSc's own layout, which loads on any number of ranks (PETSc's collective calls:
     each one's failure is agreed before the next) */
  for (DM dm : d->meshes) {
    lf.Run(file + ": writing the DMPlex topology", [&]() { return petscsnapshot::plexio::WriteMesh(viewer, dm); });
    PetscCall(lf.Agree());
  }
  for (const auto &[topo, name, vec] : d->meshVecs) {
    lf.Run(file + ": writing " + name + " in PETSc's DMPlex layout", [&, &topo = topo, &name = name, &vec = vec]() { return petscsnapshot::plexio::WriteVec(viewer, topo, name.c_str(), vec); });
    PetscCall(lf.Agree());
  }
  if (!d->meshes.empty() || !d->meshVecs.empty()) PetscCall(PetscSnapshotProgress_Internal(snap, -1, PETSC_TRUE, "wrote %zu DMPlex and %zu Vec%s in PETSc's DMPlex layout", d->meshes.size(), d->meshVecs.size(), d->meshVecs.size() == 1 ? "" : "s"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Room kept free for HDF5's metadata while the data are written. */
static constexpr off_t metadataReserve = 262144;

/* Collective: about how many bytes the file will take (every rank's staged data, and the DMPlex data in PETSc's
   layout: the topology's points and cones, every Vec's values and section), for the check that the disk has room; and
   exactly the bytes of the arrays (every rank's staged data), alike on every rank. */
static PetscErrorCode EstimateFileBytes(PetscSnapshot snap, double *bytes, double *arrays)
{
  HDF5Data *d = Data(snap);
  double    local[2] = {0, 0}, sums[2];
  size_t    sets     = 0;

  PetscFunctionBegin;
  for (const auto &[name, entry] : *snap->entries)
    for (const auto &[sname, slot] : entry.slots) {
      local[1] += (double)slot.bytes;
      sets++;
    }
  local[0] = local[1];
  for (DM dm : d->meshes) {
    PetscInt     pStart, pEnd, cones;
    PetscSection coneSection;

    PetscCall(DMPlexGetChart(dm, &pStart, &pEnd));
    PetscCall(DMPlexGetConeSection(dm, &coneSection));
    PetscCall(PetscSectionGetStorageSize(coneSection, &cones));
    local[0] += (double)(pEnd - pStart) * 4 * sizeof(PetscInt) + 2.0 * (double)cones * sizeof(PetscInt); /* order, sizes, labels; cones, orientations */
    sets += 8;
  }
  for (const auto &[topo, name, vec] : d->meshVecs) {
    PetscInt n, pStart, pEnd;

    PetscCall(VecGetLocalSize(vec, &n));
    PetscCall(DMPlexGetChart(topo, &pStart, &pEnd));
    local[0] += (double)n * sizeof(PetscScalar) + (double)(pEnd - pStart) * 3 * sizeof(PetscInt);
    sets += 4;
  }
  local[0] += (double)sets * 1024; /* object headers and attributes, per dataset and rank */
  PetscCall(MPIU_Allreduce(local, sums, 2, MPI_DOUBLE, MPI_SUM, PetscObjectComm((PetscObject)snap)));
  *bytes  = sums[0];
  *arrays = sums[1];
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Create the file (rank 0 first tries it alone, so that a missing or read-only directory is a clear message naming
   the file), write it through PETSc's viewer, close it; every failure agreed on every rank.

   HDF5 writes most metadata when it closes the file, collectively: a write failing there on one rank (a full disk)
   leaves the others waiting inside HDF5 (seen: one rank in a barrier of the metadata cache, the other in the
   truncation's broadcast). So rank 0 reserves room beside the file (<file>.reserve, 256 KB) before writing, and frees
   it just before the close; after a failure it also empties the file, so that the close has the room it needs.
   A disk without room for the data is refused before anything is written: at 3 ranks the collective write of MPI-IO
   (OpenMPI's two-phase aggregation) reported no error when its writes failed for a full disk, and HDF5 then waited
   in a metadata flush on some ranks and in a truncation on others. Rank 0 first reserves the room the whole file will
   take (EstimateFileBytes()), then shrinks the reservation to the metadata's share. */
PetscErrorCode WriteFile(PetscSnapshot snap, const std::string &file, const std::string &target)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)snap);
  PetscViewer    viewer = nullptr;
  hid_t          fid;
  PetscErrorCode ierr;
  PetscMPIInt    rank;
  LocalFailures  lf(comm, "PetscSnapshotCapture");
  std::string    reserve;
  double         needed = 0, arrays = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallCXX(reserve = file + ".reserve");
  PetscCall(EstimateFileBytes(snap, &needed, &arrays));
  snap->progressTotal = arrays;
  PetscCall(PetscSnapshotProgress_Internal(snap, -1, PETSC_TRUE, "copied and checksummed the arrays of %zu DM%s, writing %s", snap->entries->size(), snap->entries->size() == 1 ? "" : "s", target.c_str()));
  if (rank == 0) {
    FILE *probe = std::fopen(file.c_str(), "wb");
    if (!probe) lf.Fail("cannot create " + file + ", the temporary of snapshot file " + target + ": " + std::strerror(errno), PETSC_ERR_FILE_OPEN);
    else if (std::fclose(probe) != 0) lf.Fail("cannot write " + file + ", the temporary of snapshot file " + target + ": " + std::strerror(errno), PETSC_ERR_FILE_WRITE);
    else {
      int fd = open(reserve.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int rc = fd < 0 ? errno : posix_fallocate(fd, 0, metadataReserve + (off_t)needed);

      if (!rc && ftruncate(fd, metadataReserve) != 0) rc = errno; /* the data's share is free again, for the data */
      if (fd >= 0) (void)close(fd);
      if (rc && rc != EOPNOTSUPP && rc != EINVAL) {
        char size[64];

        std::snprintf(size, sizeof(size), "%.0f", needed + (double)metadataReserve);
        lf.Fail("writing " + target + ": the disk has no room for it (about " + size + " bytes: " + std::strerror(rc) + "); nothing was written, the previous file is untouched", PETSC_ERR_FILE_WRITE);
      }
    }
  }
  ierr = lf.Agree();
  if (!ierr) {
    H5Quiet quiet;
    lf.Run("opening " + file + " for writing with PETSc's HDF5 viewer", [&]() { return OpenViewer(comm, file.c_str(), FILE_MODE_WRITE, &viewer); });
    ierr = lf.Agree();
    if (ierr) PetscCall(PetscViewerDestroy(&viewer));
  }
  if (!ierr) {
    H5Quiet quiet;
    PetscCall(PetscViewerHDF5GetFileId(viewer, &fid));
    ierr = WriteContents(snap, viewer, fid, file); /* raised on every rank alike, or on none */
  }
  if (rank == 0) {
    (void)std::remove(reserve.c_str());
    if (ierr) (void)truncate(file.c_str(), 0); /* removed after the close */
  }
  if (viewer) {
    LocalFailures closing(comm, "PetscSnapshotCapture");
    H5Quiet       quiet;
    closing.Run("closing " + file + " (flushing it to disk)", [&]() { return PetscViewerDestroy(&viewer); }); /* closed on failure too */
    PetscCall(ierr);
    PetscCall(closing.Agree());
  }
  PetscCall(ierr);
  /* PETSc's datasets carry no checksum of ours: one over the whole tree (rank 0 reopens the file: only when there is one) */
  if (!Data(snap)->meshes.empty() || !Data(snap)->meshVecs.empty()) PetscCall(SealTopologies(comm, file));
  PetscCall(SealFile(comm, file)); /* last: every byte of the file (filecheck.cxx) */
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

static PetscErrorCode DropInventory(PetscSnapshot snap)
{
  PetscFunctionBegin;
  while (!snap->entries->empty()) PetscCall(PetscSnapshotDropEntry_Internal(snap, snap->entries->begin()));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Durable captures (-snapshot_hdf5_durable): before the rename, every rank flushes the temporary's data from the
   kernel to the disk (fsync(2); on one node the first does the work, on a parallel file system each client flushes
   what it wrote); after it, rank 0 flushes the directory, so that the rename itself survives a power loss. */
static PetscErrorCode SyncFile(MPI_Comm comm, const std::string &file, const std::string &target)
{
  LocalFailures lf(comm, "PetscSnapshotCapture");
  int           fd = open(file.c_str(), O_RDONLY);

  PetscFunctionBegin;
  if (fd < 0 || fsync(fd) != 0) lf.Fail("writing " + target + ": cannot flush its temporary " + file + " to disk (fsync: " + std::strerror(errno) + ")", PETSC_ERR_FILE_WRITE);
  if (fd >= 0) (void)close(fd);
  PetscCall(lf.Agree());
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode SyncDirectory(MPI_Comm comm, const std::string &file)
{
  LocalFailures lf(comm, "PetscSnapshotCapture");
  PetscMPIInt   rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    std::string dir = file.find('/') == std::string::npos ? std::string(".") : file.substr(0, file.rfind('/') + 1);
    int         fd  = open(dir.c_str(), O_RDONLY | O_DIRECTORY);

    if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL)) lf.Fail("wrote " + file + " but cannot flush its directory " + dir + " to disk (fsync: " + std::strerror(errno) + "): the new file may not survive a power loss", PETSC_ERR_FILE_WRITE);
    if (fd >= 0) (void)close(fd);
  }
  PetscCall(lf.Agree());
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The capture is over: drop the inventory kept aside (success), or put it back in place of the capture's (failure:
   the previous file is untouched, and so is what restores it). */
static PetscErrorCode EndPrevious(PetscSnapshot snap, HDF5Data *d, bool success)
{
  PetscFunctionBegin;
  if (success) std::swap(*snap->entries, d->previous);
  PetscCall(DropInventory(snap));
  std::swap(*snap->entries, d->previous);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotBeginCapture_HDF5(PetscSnapshot snap)
{
  HDF5Data *d = Data(snap);

  PetscFunctionBegin;
  PetscCheck(!d->fileName.empty(), PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshot of type hdf5 needs a file name: PetscSnapshotHDF5SetFileName() or -snapshot_hdf5_filename");
  /* a file holds the DMs of one capture call: start from an empty inventory, the previous one kept aside (its
     slots hold no data: they are in the file) until the capture is over */
  PetscCall(ReleaseMeshes(d));
  std::swap(*snap->entries, d->previous);
  PetscCall(DropInventory(snap)); /* normally empty */
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Write to a temporary name, rename into place when complete, then prune old numbered files; free the staged data.
   After a failure the process survives, the temporary is removed and the previous file is untouched. */
PetscErrorCode PetscSnapshotEndCapture_HDF5(PetscSnapshot snap, PetscBool success)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)snap);
  HDF5Data      *d    = Data(snap);
  std::string    file, tmp;
  PetscErrorCode ierr;
  PetscMPIInt    rank;
  PetscInt       seq = 0;
  LocalFailures  lf(comm, "PetscSnapshotCapture");
  PetscLogDouble t0 = 0, t1 = 0;

  PetscFunctionBegin;
  if (!success) {
    PetscCall(ReleaseMeshes(d));
    PetscCall(EndPrevious(snap, d, false));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  ierr = d->keep > 0 ? NextNumber(snap, &seq) : PETSC_SUCCESS; /* after the newest file on disk, whoever wrote it */
  if (!ierr) {
    PetscCallCXX(file = d->keep > 0 ? NumberedName(d->fileName, seq) : d->fileName);
    PetscCallCXX(tmp = file + ".tmp");
    ierr = RemoveFile(comm, tmp, (PetscObject)snap); /* a temporary left by a killed process */
  }
  if (!ierr) {
    PetscCall(PetscTime(&t0));
    PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_H5Write, snap, 0, 0, 0));
    ierr = WriteFile(snap, tmp, file);
    PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_H5Write, snap, 0, 0, 0));
    PetscCall(PetscTime(&t1));
  }
  PetscCall(ReleaseMeshes(d));
  if (!ierr && d->durable) ierr = SyncFile(comm, tmp, file);
  if (!ierr) KillHere(comm, d, PETSC_MAX_INT); /* testing: killed with the temporary complete, before the rename */
  if (!ierr) {
    if (rank == 0 && std::rename(tmp.c_str(), file.c_str()) != 0) lf.Fail("could not rename " + tmp + " to " + file + ": " + std::strerror(errno), PETSC_ERR_FILE_WRITE);
    ierr = lf.Agree();
  }
  if (ierr) { /* the previous file is untouched; no temporary is left behind */
    if (!tmp.empty()) PetscCall(RemoveFile(comm, tmp, (PetscObject)snap));
    PetscCall(EndPrevious(snap, d, false));
    PetscCall(ierr);
  }
  PetscCall(EndPrevious(snap, d, true));
  PetscCallCXX(d->lastFile = file);
  if (d->durable) PetscCall(SyncDirectory(comm, file)); /* the new file is in place (and what restores it): a failure here says only that the rename may not survive a power loss */
  PetscCall(PetscSnapshotProgress_Internal(snap, -1, PETSC_TRUE, "%s closed, sealed%s and in place", file.c_str(), d->durable ? ", flushed to disk" : ""));
  if (rank == 0) {
    struct stat st;
    double      bytes = stat(file.c_str(), &st) == 0 ? (double)st.st_size : 0.0;
    PetscMPIInt size;

    PetscCallMPI(MPI_Comm_size(comm, &size));
    PetscCall(PetscInfo(snap, "wrote %s: %.0f bytes in %.6f s (%.3g GB/s), %zu DMs, by %d ranks\n", file.c_str(), bytes, (double)(t1 - t0), t1 > t0 ? bytes / (t1 - t0) / 1e9 : 0.0, snap->entries->size(), (int)size));
  }
  if (d->keep > 0) { /* the newest keep numbers stay; the file just written is the newest this object knows, and kept */
    std::vector<std::pair<PetscInt, std::string>> files;

    d->sequence = seq;
    PetscCall(NumberedFiles(comm, d->fileName, &files));
    for (size_t i = 0; i + (size_t)d->keep < files.size(); i++)
      if (files[i].first < seq && files[i].second != file) PetscCall(RemoveFile(comm, files[i].second, (PetscObject)snap));
  }
  /* the data are on disk now: the staged copies go back to the pool for the next capture or restore; the inventory
     stays */
  for (auto &[name, entry] : *snap->entries)
    for (auto &[sname, slot] : entry.slots) PetscCall(StageGive(d, &slot));
  PetscCall(StageTrim(d));
  PetscFunctionReturn(PETSC_SUCCESS);
}
} // namespace petscsnapshot::hdf5

#endif
