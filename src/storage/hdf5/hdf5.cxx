/* PETSCSNAPSHOTHDF5: one self-describing HDF5 file per capture, written through PETSc's HDF5 viewer.

   Data are staged in the memory type's slots: a capture fills them, endcapture writes the file (to a temporary name,
   renamed into place when complete) and frees them; a restore first loads and verifies the whole file into them
   (format, schema version, rank count, every checksum), so that a bad file is refused before anything is checked or
   written. Layout of a file (docs/file-format.md):

     /                       attributes: format, schema_version, library_version, petsc_version, comm_size, created,
                             captures, and ts_time/ts_step/ts_dt when a TS is part of the snapshot
     /entries/<DM name>      group, attributes dm_type, comm_size, captures
     /entries/<DM name>/<array name>   dataset [items on all ranks, bs] of the array's type (STRUCT: bytes), in rank
                             order; attributes kind, petsc_type, bs, global_items, counts[comm_size],
                             checksums[comm_size] (FNV-1a 64 of each rank's bytes, by 8-byte words)
*/
#include "../../include/snapshotimpl.hpp"
#include "plexio.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <petscviewerhdf5.h>
  #include <algorithm>
  #include <tuple>
  #include <cstdio>
  #include <cstring>
  #include <ctime>
  #include <dirent.h>
  #include <unistd.h>
#endif

#if defined(PETSC_HAVE_HDF5)

using petscsnapshot::Entry;
using petscsnapshot::EntryMap;
using petscsnapshot::Slot;

namespace
{

constexpr int  schemaVersion = 1;
const char     formatName[]  = "petsc-snapshot";

struct HDF5Data {
  std::string fileName;          /* as set; with keep > 0 the base of numbered names */
  PetscInt    keep      = 0;     /* > 0: numbered files, the last keep kept */
  PetscInt    failAfter = -1;    /* testing: fail after writing this many datasets */
  PetscInt    sequence  = 0;     /* number of the last numbered file written */
  std::string lastFile;          /* the last file written or loaded */
  PetscViewer loading = nullptr; /* open during a restore at another rank count */
  /* DMPlex data to write in PETSc's layout at the end of the capture (held references) */
  std::vector<DM>                                      meshes;
  std::vector<std::tuple<DM, std::string, Vec>>        meshVecs;
};

HDF5Data *Data(PetscSnapshot snap)
{
  return static_cast<HDF5Data *>(snap->data);
}

/* H5 calls return negative on failure */
#define PetscCallH5(call, what) \
  do { \
    if ((call) < 0) SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed: %s", what); \
  } while (0)

/* An HDF5 identifier closed when it goes out of scope, also on an early error return. */
class H5Handle
{
public:
  H5Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) { }
  ~H5Handle()
  {
    if (id_ >= 0) (void)close_(id_);
  }
  H5Handle(const H5Handle &)            = delete;
  H5Handle &operator=(const H5Handle &) = delete;
  operator hid_t() const { return id_; }
  bool valid() const { return id_ >= 0; }

private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

/* FNV-1a 64 over 8-byte words (memcpy'd, native byte order), then over the remaining bytes one at a time: a byte-wise
   FNV-1a runs at about 1 GB/s, the word-wise one near memory bandwidth. */
uint64_t Checksum(const void *data, size_t bytes)
{
  const unsigned char *p = static_cast<const unsigned char *>(data);
  uint64_t             h = 1469598103934665603ULL, w;
  size_t               i = 0;

  for (; i + 8 <= bytes; i += 8) {
    std::memcpy(&w, p + i, 8);
    h ^= w;
    h *= 1099511628211ULL;
  }
  for (; i < bytes; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

hid_t H5TypeOf(PetscDataType type)
{
  switch (type) {
  case PETSC_DOUBLE:
    return H5T_NATIVE_DOUBLE;
  case PETSC_FLOAT:
    return H5T_NATIVE_FLOAT;
  case PETSC_INT:
    return sizeof(PetscInt) == 8 ? H5T_NATIVE_INT64 : H5T_NATIVE_INT;
  case PETSC_INT64:
    return H5T_NATIVE_INT64;
  case PETSC_LONG:
    return H5T_NATIVE_LONG;
  case PETSC_SHORT:
    return H5T_NATIVE_SHORT;
  case PETSC_CHAR:
    return H5T_NATIVE_CHAR;
  default:
    return H5T_NATIVE_UCHAR; /* PETSC_STRUCT and anything else: bytes (bs counts them) */
  }
}

/* The file a capture writes: the name, or with keep > 0 "<stem>-<sequence>.<ext>" */
std::string NumberedName(const std::string &base, PetscInt seq)
{
  size_t      dot  = base.rfind('.');
  std::string stem = dot == std::string::npos ? base : base.substr(0, dot);
  std::string ext  = dot == std::string::npos ? std::string() : base.substr(dot);
  char        num[32];
  std::snprintf(num, sizeof(num), "-%06d", (int)seq);
  return stem + num + ext;
}

/* The numbered files of a base name that exist, sorted by number (rank 0 looks, everybody gets the answer). */
PetscErrorCode NumberedFiles(MPI_Comm comm, const std::string &base, std::vector<std::pair<PetscInt, std::string>> *files)
{
  PetscMPIInt rank;
  char        list[8192] = {0};

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  files->clear();
  if (rank == 0) {
    std::string probe = NumberedName(base, 0); /* <dir>/<head>000000<tail> */
    size_t      slash = probe.rfind('/');
    std::string dir   = slash == std::string::npos ? "." : probe.substr(0, slash);
    std::string name  = slash == std::string::npos ? probe : probe.substr(slash + 1);
    size_t      digits = name.rfind("000000");
    std::string head = name.substr(0, digits), tail = name.substr(digits + 6), out;
    DIR        *d = opendir(dir.c_str());

    for (struct dirent *e = d ? readdir(d) : nullptr; e; e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() == head.size() + 6 + tail.size() && n.compare(0, head.size(), head) == 0 && n.compare(n.size() - tail.size(), tail.size(), tail) == 0) out += n.substr(head.size(), 6) + ";";
    }
    if (d) closedir(d);
    PetscCall(PetscStrncpy(list, out.c_str(), sizeof(list)));
  }
  PetscCallMPI(MPI_Bcast(list, sizeof(list), MPI_CHAR, 0, comm));
  for (char *p = list; *p;) {
    char    *semi = std::strchr(p, ';');
    PetscInt seq  = (PetscInt)std::atoi(p);
    PetscCallCXX(files->emplace_back(seq, NumberedName(base, seq)));
    p = semi + 1;
  }
  std::sort(files->begin(), files->end());
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode WriteStringAttribute(hid_t obj, const char name[], const char value[])
{
  hid_t type, space, attr;

  PetscFunctionBegin;
  type = H5Tcopy(H5T_C_S1);
  PetscCallH5(H5Tset_size(type, std::strlen(value) + 1), "string type");
  space = H5Screate(H5S_SCALAR);
  attr  = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  PetscCheck(attr >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed to create attribute %s", name);
  PetscCallH5(H5Awrite(attr, type, value), name);
  PetscCallH5(H5Aclose(attr), name);
  PetscCallH5(H5Sclose(space), name);
  PetscCallH5(H5Tclose(type), name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode WriteNumericAttribute(hid_t obj, const char name[], hid_t type, hsize_t n, const void *values)
{
  hid_t space, attr;

  PetscFunctionBegin;
  space = n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr);
  attr  = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  PetscCheck(attr >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed to create attribute %s", name);
  PetscCallH5(H5Awrite(attr, type, values), name);
  PetscCallH5(H5Aclose(attr), name);
  PetscCallH5(H5Sclose(space), name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Read a numeric attribute of n values; found = false when absent. */
PetscErrorCode ReadNumericAttribute(hid_t obj, const char name[], hid_t type, size_t n, void *values, bool *found)
{
  hid_t attr, space;

  PetscFunctionBegin;
  *found = H5Aexists(obj, name) > 0;
  if (!*found) PetscFunctionReturn(PETSC_SUCCESS);
  attr  = H5Aopen(obj, name, H5P_DEFAULT);
  space = H5Aget_space(attr);
  if (H5Sget_simple_extent_npoints(space) != (hssize_t)n) *found = false;
  else PetscCallH5(H5Aread(attr, type, values), name);
  PetscCallH5(H5Sclose(space), name);
  PetscCallH5(H5Aclose(attr), name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode ReadStringAttribute(hid_t obj, const char name[], std::string *value, bool *found)
{
  hid_t attr, type, mem;
  char  buf[1024] = {0};

  PetscFunctionBegin;
  *found = H5Aexists(obj, name) > 0;
  if (!*found) PetscFunctionReturn(PETSC_SUCCESS);
  attr = H5Aopen(obj, name, H5P_DEFAULT);
  type = H5Aget_type(attr);
  if (H5Tget_class(type) != H5T_STRING || H5Tget_size(type) >= sizeof(buf)) *found = false;
  else {
    mem = H5Tcopy(H5T_C_S1);
    PetscCallH5(H5Tset_size(mem, sizeof(buf) - 1), "string type");
    PetscCallH5(H5Aread(attr, mem, buf), name);
    PetscCallH5(H5Tclose(mem), name);
    PetscCallCXX(*value = buf);
  }
  PetscCallH5(H5Tclose(type), name);
  PetscCallH5(H5Aclose(attr), name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

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

/* Rank 0 removes a file if it exists; everybody waits. */
PetscErrorCode RemoveFile(MPI_Comm comm, const std::string &file)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) (void)std::remove(file.c_str());
  PetscCallMPI(MPI_Barrier(comm));
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

struct LoadContext {
  EntryMap   *entries;
  MPI_Comm    comm;
  PetscMPIInt rank, size; /* the readers */
  PetscMPIInt writers;    /* the number of ranks that wrote the file */
  std::string entry;
  std::string problem; /* the first local problem: reduced and raised collectively */
  std::string fileName;
};

herr_t VisitDataset(hid_t group, const char *name, const H5O_info_t *info, void *ptr);

herr_t CollectName(hid_t, const char *name, const H5L_info_t *, void *ptr)
{
  try {
    static_cast<std::vector<std::string> *>(ptr)->push_back(name);
  } catch (...) {
    return -1;
  }
  return 0;
}

/* Which writer ranks' rows this reader reads, and whether it keeps them (else it only verifies them). At the same
   rank count, its own. At another: point fields, whole writer ranks dealt round robin; an array every writer wrote
   alike, writer 0's on every reader; any other array is rankwise: dealt round robin to be verified, not kept. */
void PlanSegments(const LoadContext &lc, int kind, const std::vector<int64_t> &counts, const std::vector<uint64_t> &sums, std::vector<int> *segments, bool *keep, bool *rankwise)
{
  bool alike = true;

  *keep     = true;
  *rankwise = false;
  segments->clear();
  if (lc.writers == lc.size) {
    segments->push_back(lc.rank);
    return;
  }
  for (int r = 1; r < lc.writers; r++) alike = alike && counts[r] == counts[0] && sums[r] == sums[0];
  if (kind != PETSCSNAPSHOT_RECORD_POINT_FIELD && alike) {
    segments->push_back(0);
    return;
  }
  for (int r = lc.rank; r < lc.writers; r += lc.size) segments->push_back(r);
  if (kind != PETSCSNAPSHOT_RECORD_POINT_FIELD) {
    *keep     = false;
    *rankwise = true;
  }
}

/* Read one dataset of an entry into a staged slot, verifying its counts and the checksums of the rows read. */
PetscErrorCode LoadSlot(LoadContext &lc, hid_t group, const char name[])
{
  const int             W = lc.writers;
  std::vector<int64_t>  counts(W), Ns(W, -1), offsets(W + 1, 0);
  std::vector<uint64_t> sums(W);
  std::vector<int>      segments;
  int                   kind = 0, bs = 0;
  int64_t               items = 0;
  std::string           tname, where;
  bool                  ok1, ok2, ok3, ok4, ok5, hasN, keep, rankwise;
  PetscDataType         type  = PETSC_DATATYPE_UNKNOWN;
  PetscBool             found = PETSC_FALSE;
  Slot                  slot;
  size_t                tsize;

  PetscFunctionBegin;
  PetscCallCXX(where = "dataset /entries/" + lc.entry + "/" + name);
  H5Handle dset(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose);
  PetscCheck(dset.valid(), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed to open %s", where.c_str());
  PetscCall(ReadNumericAttribute(dset, "kind", H5T_NATIVE_INT, 1, &kind, &ok1));
  PetscCall(ReadNumericAttribute(dset, "bs", H5T_NATIVE_INT, 1, &bs, &ok2));
  PetscCall(ReadNumericAttribute(dset, "counts", H5T_NATIVE_INT64, W, counts.data(), &ok3));
  PetscCall(ReadNumericAttribute(dset, "checksums", H5T_NATIVE_UINT64, W, sums.data(), &ok4));
  PetscCall(ReadStringAttribute(dset, "petsc_type", &tname, &ok5));
  PetscCall(ReadNumericAttribute(dset, "vec_global_items", H5T_NATIVE_INT64, W, Ns.data(), &hasN));
  if (ok5) PetscCall(PetscEnumFind(PetscDataTypes, tname.c_str(), (PetscEnum *)&type, &found));
  if (!(ok1 && ok2 && ok3 && ok4 && ok5 && found && bs >= 1)) {
    if (lc.problem.empty()) PetscCallCXX(lc.problem = where + " lacks its attributes (kind, bs, petsc_type, counts, checksums)");
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  for (int r = 0; r < W; r++) offsets[r + 1] = offsets[r] + counts[r];
  H5Handle space(H5Dget_space(dset), H5Sclose);
  {
    hsize_t dims[2] = {0, 0};
    if (H5Sget_simple_extent_ndims(space) != 2 || H5Sget_simple_extent_dims(space, dims, nullptr) < 0 || dims[0] != (hsize_t)offsets[W] || dims[1] != (hsize_t)bs) {
      if (lc.problem.empty()) PetscCallCXX(lc.problem = where + " does not have the shape its counts say");
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  PlanSegments(lc, kind, counts, sums, &segments, &keep, &rankwise);
  for (int r : segments) items += counts[r];
  PetscCall(PetscSnapshotDataTypeSize_Internal(type, &tsize));
  slot.info     = {(PetscSnapshotRecordKind)kind, type, (PetscInt)bs, keep ? (PetscInt)items : 0, hasN ? (PetscInt)Ns[segments.empty() ? 0 : segments[0]] : -1};
  slot.bytes    = tsize * (size_t)bs * (size_t)items;
  slot.seen     = true;
  slot.rankwise = rankwise;
  PetscCall(PetscMalloc(slot.bytes + 1, &slot.storage));
  slot.capacity = slot.bytes + 1;
  PetscCallCXX((*lc.entries)[lc.entry].slots.emplace(name, slot)); /* owned by the loaded inventory from here on */
  Slot &staged = (*lc.entries)[lc.entry].slots[name];
  {
    /* at the same rank count one collective read of this rank's rows; at another, independent reads per segment */
    const bool collective = W == lc.size;
    size_t     at         = 0;
    H5Handle   dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose);

    if (collective) PetscCallH5(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE), "transfer property");
    for (int r : segments) {
      hsize_t  start[2] = {(hsize_t)offsets[r], 0}, count[2] = {(hsize_t)counts[r], (hsize_t)bs}, one[2] = {1, 1};
      size_t   bytes = tsize * (size_t)bs * (size_t)counts[r];
      H5Handle mem(H5Screate_simple(2, count[0] > 0 ? count : one, nullptr), H5Sclose);
      char    *dst = static_cast<char *>(staged.storage) + at;

      if (count[0] > 0) PetscCallH5(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr), "selection");
      else {
        PetscCallH5(H5Sselect_none(space), "selection");
        PetscCallH5(H5Sselect_none(mem), "selection");
      }
      if (H5Dread(dset, H5TypeOf(type), mem, space, dxpl, dst) < 0) {
        if (lc.problem.empty()) PetscCallCXX(lc.problem = where + " cannot be read (truncated or corrupt file)");
        PetscFunctionReturn(PETSC_SUCCESS);
      }
      if (lc.problem.empty() && Checksum(dst, bytes) != sums[r]) PetscCallCXX(lc.problem = where + ": checksum mismatch, the file is corrupt");
      at += bytes;
    }
  }
  if (!keep) { /* verified, not kept */
    PetscCall(PetscFree(staged.storage));
    PetscCall(PetscMalloc(1, &staged.storage));
    staged.capacity = 1;
    staged.bytes    = 0;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

herr_t VisitDataset(hid_t group, const char *name, const H5O_info_t *info, void *ptr)
{
  LoadContext *lc = static_cast<LoadContext *>(ptr);

  if (info->type != H5O_TYPE_DATASET) return 0;
  return LoadSlot(*lc, group, name) ? -1 : 0;
}

/* Find the file to load: the name, or the newest numbered one. */
PetscErrorCode FileToLoad(PetscSnapshot snap, std::string *file)
{
  HDF5Data *d = Data(snap);

  PetscFunctionBegin;
  PetscCheck(!d->fileName.empty(), PetscObjectComm((PetscObject)snap), PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshot of type hdf5 needs a file name: PetscSnapshotHDF5SetFileName() or -snapshot_hdf5_filename");
  if (d->keep <= 0) PetscCallCXX(*file = d->fileName);
  else {
    std::vector<std::pair<PetscInt, std::string>> files;

    PetscCall(NumberedFiles(PetscObjectComm((PetscObject)snap), d->fileName, &files));
    PetscCheck(!files.empty(), PetscObjectComm((PetscObject)snap), PETSC_ERR_FILE_OPEN, "PetscSnapshotRestore: no snapshot file %s exists", NumberedName(d->fileName, 0).c_str());
    PetscCallCXX(*file = files.back().second);
    d->sequence = std::max(d->sequence, files.back().first);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Open the snapshot file to load (the name, or the newest numbered file) after checking, collectively, that it exists,
   is HDF5, is a petsc-snapshot file and has a schema version this library reads; the number of ranks that wrote it. */
PetscErrorCode OpenForLoad(PetscSnapshot snap, const char caller[], std::string *file, PetscViewer *viewer, int *writers)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)snap);
  PetscMPIInt rank;
  int         status = 0; /* 0 ok, 1 missing, 2 not readable HDF5 */
  std::string format;
  bool        found;
  int         schema = 0;
  hid_t       fid;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(FileToLoad(snap, file));
  if (rank == 0) { /* is it there, and is it an HDF5 file HDF5 can open? */
    if (access(file->c_str(), R_OK) != 0) status = 1;
    else {
      H5E_auto2_t func;
      void       *data;
      H5Eget_auto2(H5E_DEFAULT, &func, &data);
      H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
      hid_t f = H5Fis_hdf5(file->c_str()) > 0 ? H5Fopen(file->c_str(), H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
      if (f < 0) status = 2;
      else H5Fclose(f);
      H5Eset_auto2(H5E_DEFAULT, func, data);
    }
  }
  PetscCallMPI(MPI_Bcast(&status, 1, MPI_INT, 0, comm));
  PetscCheck(status != 1, comm, PETSC_ERR_FILE_OPEN, "%s: snapshot file %s does not exist", caller, file->c_str());
  PetscCheck(status != 2, comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s is not a readable HDF5 file (truncated, corrupt, or not HDF5)", caller, file->c_str());
  PetscCall(PetscViewerHDF5Open(comm, file->c_str(), FILE_MODE_READ, viewer));
  PetscCall(PetscViewerHDF5GetFileId(*viewer, &fid));
  {
    H5Handle root(H5Gopen2(fid, "/", H5P_DEFAULT), H5Gclose);
    PetscCall(ReadStringAttribute(root, "format", &format, &found));
    if (found && format == formatName) {
      PetscCall(ReadNumericAttribute(root, "schema_version", H5T_NATIVE_INT, 1, &schema, &found));
      PetscCall(ReadNumericAttribute(root, "comm_size", H5T_NATIVE_INT, 1, writers, &found));
      if (!found) *writers = 0;
    } else schema = -1;
  }
  if (schema < 1 || schema > schemaVersion || *writers < 1) {
    PetscCall(PetscViewerDestroy(viewer));
    PetscCheck(schema != -1, comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s is not a petsc-snapshot file (no format attribute \"%s\" at its root)", caller, file->c_str(), formatName);
    PetscCheck(schema <= schemaVersion, comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s has schema version %d, newer than the %d this petsc-snapshot reads: upgrade petsc-snapshot", caller, file->c_str(), schema, schemaVersion);
    PetscCheck(schema >= 1, comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s has no valid schema version", caller, file->c_str());
    SETERRQ(comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s has no valid comm_size attribute", caller, file->c_str());
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Load and verify the whole file into staged slots; everything wrong is raised collectively before any check. At
   another rank count the file stays open until the restore ends, for PETSc's DMPlex loaders. */
PetscErrorCode PetscSnapshotBeginRestore_HDF5(PetscSnapshot snap)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)snap);
  HDF5Data   *d    = Data(snap);
  std::string file, problem;
  PetscMPIInt rank, size;
  int         writers = 0;
  PetscViewer viewer;
  hid_t       fid;
  EntryMap   *loaded;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(OpenForLoad(snap, "PetscSnapshotRestore", &file, &viewer, &writers));
  PetscCall(PetscViewerHDF5GetFileId(viewer, &fid));
  PetscCallCXX(loaded = new EntryMap());
  {
    LoadContext lc;
    H5Handle    root(H5Gopen2(fid, "/", H5P_DEFAULT), H5Gclose);
    hid_t       entries = H5Lexists(root, "entries", H5P_DEFAULT) > 0 ? H5Gopen2(root, "entries", H5P_DEFAULT) : -1;

    lc.entries = loaded;
    lc.comm    = comm;
    lc.rank    = rank;
    lc.size    = size;
    lc.writers = writers;
    std::vector<std::string> names;
    if (entries >= 0) PetscCallH5(H5Literate(entries, H5_INDEX_NAME, H5_ITER_INC, nullptr, CollectName, &names), "listing entries");
    for (const std::string &name : names) {
      hid_t group;
      int   ranks = 0, captures = 0;
      bool  found;

      group = H5Gopen2(entries, name.c_str(), H5P_DEFAULT);
      PetscCheck(group >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed to open /entries/%s", name.c_str());
      PetscCallCXX(lc.entry = name);
      Entry &e = (*loaded)[name];
      PetscCallCXX(e.name = name);
      PetscCall(ReadStringAttribute(group, "dm_type", &e.dmType, &found));
      PetscCall(ReadNumericAttribute(group, "comm_size", H5T_NATIVE_INT, 1, &ranks, &found));
      PetscCall(ReadNumericAttribute(group, "captures", H5T_NATIVE_INT, 1, &captures, &found));
      e.commSize = ranks;
      e.captures = captures;
      PetscCallH5(H5Ovisit(group, H5_INDEX_NAME, H5_ITER_INC, VisitDataset, &lc), "reading datasets");
      PetscCallH5(H5Gclose(group), "close");
    }
    if (entries >= 0) PetscCallH5(H5Gclose(entries), "close");
    PetscCallCXX(problem = lc.problem.empty() ? std::string() : file + ": " + lc.problem);
  }
  {
    PetscErrorCode ierr = petscsnapshot::RaiseCollective(comm, !problem.empty(), problem, PETSC_ERR_FILE_UNEXPECTED, "PetscSnapshotRestore");
    if (ierr) {
      for (auto &[name, e] : *loaded)
        for (auto &[sname, slot] : e.slots) PetscCall(PetscFree(slot.storage));
      delete loaded;
      PetscCall(PetscViewerDestroy(&viewer));
      PetscCall(ierr);
    }
  }
  /* replace the inventory by the file's */
  while (!snap->entries->empty()) PetscCall(PetscSnapshotDropEntry_Internal(snap, snap->entries->begin()));
  std::swap(*snap->entries, *loaded);
  delete loaded;
  PetscCallCXX(d->lastFile = file);
  PetscCall(PetscViewerDestroy(&d->loading));
  if (writers != size) d->loading = viewer; /* the DMPlex data are read during the restore */
  else PetscCall(PetscViewerDestroy(&viewer));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* After a restore the staged data are not needed any more. */
PetscErrorCode PetscSnapshotEndRestore_HDF5(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerDestroy(&Data(snap)->loading));
  for (auto &[name, entry] : *snap->entries)
    for (auto &[sname, slot] : entry.slots) {
      PetscCall(PetscFree(slot.storage));
      slot.capacity = 0;
    }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The file a restore at another rank count keeps open for PETSc's DMPlex loaders. */
PetscErrorCode Loading(PetscSnapshot snap, PetscViewer *viewer)
{
  PetscFunctionBegin;
  *viewer = Data(snap)->loading;
  PetscCheck(*viewer, PETSC_COMM_SELF, PETSC_ERR_PLIB, "no file open for a restore at another rank count");
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotCheckMesh_HDF5(PetscSnapshot snap, DM dm, std::string *problem)
{
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(Loading(snap, &viewer));
  PetscCall(petscsnapshot::plexio::CheckMesh(viewer, dm, problem));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotCheckMeshVec_HDF5(PetscSnapshot snap, DM topo, const char name[], Vec vec, std::string *problem)
{
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(Loading(snap, &viewer));
  PetscCall(petscsnapshot::plexio::CheckVec(viewer, topo, name, vec, problem));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotGetMeshVec_HDF5(PetscSnapshot snap, DM topo, const char name[], Vec vec)
{
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(Loading(snap, &viewer));
  PetscCall(petscsnapshot::plexio::LoadVec(viewer, topo, name, vec));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotGetMeshCoordinates_HDF5(PetscSnapshot snap, DM dm, PetscBool *changed)
{
  PetscViewer viewer;

  PetscFunctionBegin;
  PetscCall(Loading(snap, &viewer));
  PetscCall(petscsnapshot::plexio::LoadCoordinates(viewer, dm, changed));
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
  PetscCall(OpenForLoad(snap, "PetscSnapshotHDF5LoadDM", &file, &viewer, &writers));
  PetscCallCXX(group = std::string("/topologies/") + name);
  PetscCall(PetscViewerHDF5HasGroup(viewer, group.c_str(), &has));
  if (!has) PetscCall(PetscViewerDestroy(&viewer));
  PetscCheck(has, comm, PETSC_ERR_FILE_UNEXPECTED, "PetscSnapshotHDF5LoadDM: %s holds no DMPlex named \"%s\" (only DMPlex DMs a capture held are saved in PETSc's layout)", file.c_str(), name);
  {
    PetscErrorCode ierr = petscsnapshot::plexio::LoadMesh(viewer, comm, name, dm);
    PetscCall(PetscViewerDestroy(&viewer));
    PetscCall(ierr);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotSetFromOptions_HDF5(PetscSnapshot snap, PetscSnapshotOptionItems PetscOptionsObject)
{
  HDF5Data *d = Data(snap);
  char      name[PETSC_MAX_PATH_LEN];
  PetscBool set;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "PetscSnapshot HDF5 options");
  PetscCall(PetscOptionsString("-snapshot_hdf5_filename", "The snapshot file", "PetscSnapshotHDF5SetFileName", d->fileName.c_str(), name, sizeof(name), &set));
  if (set) PetscCall(PetscSnapshotHDF5SetFileName(snap, name));
  PetscCall(PetscOptionsInt("-snapshot_hdf5_keep", "Write numbered files and keep the last N", "PetscSnapshotHDF5SetKeep", d->keep, &d->keep, nullptr));
  PetscCall(PetscOptionsInt("-snapshot_hdf5_test_fail_after", "Testing: fail after writing this many datasets", "", d->failAfter, &d->failAfter, nullptr));
  PetscOptionsHeadEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotBeginRestore_HDF5(PetscSnapshot);
PetscErrorCode PetscSnapshotEndRestore_HDF5(PetscSnapshot);

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
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PetscSnapshotDestroy_HDF5(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscCall(ReleaseMeshes(Data(snap)));
  PetscCall(PetscViewerDestroy(&Data(snap)->loading));
  delete Data(snap);
  snap->data = nullptr;
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5SetFileName_C", nullptr));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5SetKeep_C", nullptr));
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5LoadDM_C", nullptr));
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

} // namespace

#endif

/*MC
   PETSCSNAPSHOTHDF5 - "hdf5": each capture writes one self-describing HDF5 file through PETSc's HDF5 viewer; a restore,
   in the same or a new process, reads it back

   Options Database Keys:
+  -snapshot_hdf5_filename <name> - the file (`PetscSnapshotHDF5SetFileName()`)
-  -snapshot_hdf5_keep <n>        - write numbered files name-000001.h5, ... and keep the last n (`PetscSnapshotHDF5SetKeep()`)

   Notes:
   A file holds the `DM`s of one `PetscSnapshotCapture()` call (the `DM`, its sub-`DM`s and everything declared on it);
   to checkpoint several `DM`s together, declare them on one with `PetscSnapshotDMAddState()`. The file is written to a
   temporary name and renamed into place when complete, so a failure never destroys the previous file; every dataset
   carries a checksum per rank, verified before anything is restored, as are the format, the schema version and the
   number of ranks. A file restores on another number of ranks too: each `DMPLEX` is also written in PETSc's own
   DMPlex HDF5 layout; load it with `PetscSnapshotHDF5LoadDM()`, build the rest on it, and restore (particles are sent
   to the ranks owning their cells). See docs/file-format.md.

   Level: beginner

.seealso: `PetscSnapshotType`, `PetscSnapshotSetType()`, `PetscSnapshotHDF5SetFileName()`, `PETSCSNAPSHOTMEMORY`
M*/
PETSC_INTERN PetscErrorCode PetscSnapshotCreate_HDF5(PetscSnapshot snap)
{
  PetscFunctionBegin;
#if defined(PETSC_HAVE_HDF5)
  PetscCallCXX(snap->data = new HDF5Data());
  PetscCall(PetscSnapshotSetMemoryOps_Internal(snap)); /* staging */
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
  PetscCall(PetscObjectComposeFunction((PetscObject)snap, "PetscSnapshotHDF5LoadDM_C", PetscSnapshotHDF5LoadDM_HDF5));
#else
  SETERRQ(PetscObjectComm((PetscObject)snap), PETSC_ERR_SUP_SYS, "PetscSnapshot type \"hdf5\" needs PETSc built with HDF5 (configure PETSc with --download-hdf5 or --with-hdf5)");
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
  Capture k writes `<stem>-<k, 6 digits>.<ext>` and, only once it is complete, removes older numbered files beyond the
  last `keep`. A restore reads the newest numbered file, also in a new process.

  Level: intermediate

.seealso: `PETSCSNAPSHOTHDF5`, `PetscSnapshotHDF5SetFileName()`
@*/
PetscErrorCode PetscSnapshotHDF5SetKeep(PetscSnapshot snap, PetscInt keep)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(keep >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "PetscSnapshotHDF5SetKeep: keep must be >= 0");
  PetscTryMethod(snap, "PetscSnapshotHDF5SetKeep_C", (PetscSnapshot, PetscInt), (snap, keep));
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
  Do not redistribute the `DM` before the restore. At the rank count that wrote the file the program may build its
  mesh itself, or load it with this function.

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
