/* Restore for the hdf5 type: open and verify a file, stage its arrays (dealt to the readers at another rank count). */
#include "hdf5impl.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <algorithm>
  #include <cstdio>
  #include <cstring>
  #include <ctime>
  #include <dirent.h>
  #include <unistd.h>

namespace petscsnapshot::hdf5
{

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
  for (int r = 1; r < lc.writers; r++) alike = alike && counts[r] == counts[0] && sums[r] == sums[0];
  if (lc.writers == lc.size) { /* kept; marked for a restore into another partition, which refuses it */
    segments->push_back(lc.rank);
    *rankwise = kind != PETSCSNAPSHOT_RECORD_POINT_FIELD && !alike;
    return;
  }
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
      PetscCallH5(PetscSnapshotH5Ovisit(group, H5_INDEX_NAME, H5_ITER_INC, VisitDataset, &lc), "reading datasets");
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
  d->loading = viewer; /* the DMPlex data are read during the restore if the points are redistributed */
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
} // namespace petscsnapshot::hdf5

#endif
