/* Restore for the hdf5 type: open and verify a file, stage its arrays (dealt to the readers at another rank count). */
#include "hdf5impl.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <algorithm>
  #include <cstdio>
  #include <cstring>
  #include <ctime>
  #include <dirent.h>
  #include <unistd.h>
  #include <cerrno>
  #include "xxh3.h"
  #include <petsctime.h>
  #include "../../include/collective.hpp"

namespace petscsnapshot::hdf5
{

struct LoadContext {
  EntryMap   *entries;
  HDF5Data   *data; /* staging buffers */
  MPI_Comm    comm;
  PetscMPIInt rank, size; /* the readers */
  PetscMPIInt writers;    /* the number of ranks that wrote the file */
  std::string entry;       /* the DM's name */
  std::string linkName;    /* its escaped HDF5 link name */
  std::string problem;     /* the first local problem: agreed and raised collectively */
  uint64_t    fingerprint = 0;
  int         fd          = -1; /* the file's descriptor, to map datasets (mapping.cxx) */
  double      total       = 0;  /* bytes of the file's arrays, as written (alike on every rank) */
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

/* Read rows [first, first+count) of a dataset into dst in blocks of about stageBlock bytes, each checksummed (XXH3
   streaming) right after it was read, while it is in cache; read: HDF5 read every block; same: the checksum is sum.
   Local. */
static PetscErrorCode ReadRows(hid_t dset, hid_t space, hid_t type, int64_t first, int64_t count, int bs, size_t tsize, char *dst, uint64_t sum, bool *read, bool *same)
{
  const size_t row  = tsize * (size_t)bs;
  const hsize_t rows = (hsize_t)std::max<size_t>(1, stageBlock / std::max<size_t>(row, 1));
  StreamChecksum check;
  uint64_t       got;

  PetscFunctionBegin;
  *read = *same = false;
  for (hsize_t at = 0; at < (hsize_t)count; at += rows) {
    hsize_t start[2] = {(hsize_t)first + at, 0}, n[2] = {std::min(rows, (hsize_t)count - at), (hsize_t)bs};
    H5Handle mem(H5Screate_simple(2, n, nullptr), H5Sclose);

    PetscCallH5(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, n, nullptr), "selection");
    if (!mem.valid() || H5Dread(dset, type, mem, space, H5P_DEFAULT, dst + at * row) < 0) PetscFunctionReturn(PETSC_SUCCESS);
    PetscCall(check.Update(dst + at * row, n[0] * row));
  }
  *read = true;
  PetscCall(check.Digest(&got));
  *same = got == sum;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Read one dataset of an entry into a staged slot, verifying its attributes, shape, and the checksums of the rows read.
   A local step (the file is open on this rank only, see OpenLocal()): a problem found in the file is recorded in
   lc.problem and ends the load; the caller agrees it over the communicator. */
PetscErrorCode LoadSlot(LoadContext &lc, hid_t group, const char name[])
{
  const int             W = lc.writers;
  std::vector<int64_t>  counts(W), Ns(W, -1), offsets(W + 1, 0);
  std::vector<uint64_t> sums(W);
  std::vector<int>      segments;
  int                   kind = 0, bs = 0;
  int64_t               items = 0;
  std::string           tname, where;
  bool                  ok1, ok2, ok3, ok4, ok5, hasN, keep, rankwise, valid, mapped = false;
  PetscDataType         type  = PETSC_DATATYPE_UNKNOWN;
  PetscBool             found = PETSC_FALSE;
  Slot                  slot;
  size_t                tsize;

  PetscFunctionBegin;
  PetscCallCXX(where = "dataset /entries/" + lc.linkName + "/" + name);
  H5Handle dset(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose);
  if (!dset.valid()) {
    PetscCallCXX(lc.problem = where + " cannot be opened (corrupt file)");
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(ReadNumericAttribute(dset, "kind", H5T_NATIVE_INT, 1, &kind, &ok1));
  PetscCall(ReadNumericAttribute(dset, "bs", H5T_NATIVE_INT, 1, &bs, &ok2));
  PetscCall(ReadNumericAttribute(dset, "counts", H5T_NATIVE_INT64, W, counts.data(), &ok3));
  PetscCall(ReadNumericAttribute(dset, "checksums", H5T_NATIVE_UINT64, W, sums.data(), &ok4));
  PetscCall(ReadStringAttribute(dset, "petsc_type", &tname, &ok5));
  PetscCall(ReadNumericAttribute(dset, "vec_global_items", H5T_NATIVE_INT64, W, Ns.data(), &hasN));
  if (ok5) PetscCall(PetscEnumFind(PetscDataTypes, tname.c_str(), (PetscEnum *)&type, &found));
  valid = ok1 && ok2 && ok3 && ok4 && ok5 && found && bs >= 1 && kind >= PETSCSNAPSHOT_RECORD_ARRAY && kind <= PETSCSNAPSHOT_RECORD_POINT_FIELD;
  for (int r = 0; valid && r < W; r++) valid = counts[r] >= 0 && counts[r] <= (int64_t)1 << 48 && (!hasN || Ns[r] >= 0);
  if (!valid) {
    PetscCallCXX(lc.problem = where + " lacks valid attributes (kind, bs, petsc_type, counts, checksums)");
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  for (int r = 0; r < W; r++) offsets[r + 1] = offsets[r] + counts[r];
  H5Handle space(H5Dget_space(dset), H5Sclose);
  {
    hsize_t dims[2] = {0, 0};
    if (!space.valid() || H5Sget_simple_extent_ndims(space) != 2 || H5Sget_simple_extent_dims(space, dims, nullptr) < 0 || dims[0] != (hsize_t)offsets[W] || dims[1] != (hsize_t)bs) {
      PetscCallCXX(lc.problem = where + " does not have the shape its counts say");
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  /* what the ranks read must be one file: a fingerprint of every dataset's name, counts and checksums */
  lc.fingerprint = XXH3_64bits_withSeed(name, std::strlen(name), lc.fingerprint);
  lc.fingerprint = XXH3_64bits_withSeed(counts.data(), counts.size() * sizeof(int64_t), lc.fingerprint);
  lc.fingerprint = XXH3_64bits_withSeed(sums.data(), sums.size() * sizeof(uint64_t), lc.fingerprint);
  PlanSegments(lc, kind, counts, sums, &segments, &keep, &rankwise);
  for (int r : segments) items += counts[r];
  PetscCall(PetscSnapshotDataTypeSize_Internal(type, &tsize));
  { /* what the monitor counts: the arrays as the writer ranks wrote them, writer w's rows by reader w mod readers */
    Entry &e = (*lc.entries)[lc.entry];
    double row = (double)tsize * (double)bs;

    for (int r = lc.rank; r < W; r += lc.size) e.fileShare += row * (double)counts[r];
    e.fileTotal += row * (double)offsets[W];
    lc.total += row * (double)offsets[W];
  }
  slot.info     = {(PetscSnapshotRecordKind)kind, type, (PetscInt)bs, keep ? (PetscInt)items : 0, hasN ? (PetscInt)Ns[segments.empty() ? 0 : segments[0]] : -1};
  slot.bytes    = tsize * (size_t)bs * (size_t)items;
  slot.seen     = true;
  slot.rankwise = rankwise;
  if (keep && segments.size() == 1) { /* one extent of the file: verified where it is, in the page cache */
    PetscCall(MapRows(lc.data, lc.fd, dset, H5TypeOf(type), offsets[segments[0]], counts[segments[0]], tsize * (size_t)bs, sums[segments[0]], &slot.storage));
    slot.capacity = slot.storage ? slot.bytes : 0; /* never written into: a capture replaces it (see PetscSnapshotWrite_HDF5()) */
    mapped        = slot.storage != nullptr;
  }
  if (!slot.storage) PetscCall(StageTake(lc.data, slot.bytes, &slot.storage, &slot.capacity));
  PetscCallCXX((*lc.entries)[lc.entry].slots.emplace(name, slot)); /* owned by the loaded inventory from here on */
  Slot &staged = (*lc.entries)[lc.entry].slots[name];
  if (mapped) {
    lc.data->lastMapped[0] += 1;
    lc.data->lastMapped[1] += (double)staged.bytes;
  } else {
    size_t at = 0;

    lc.data->lastRead[0] += 1;
    for (int r : segments) { /* independent reads of this rank's rows (or the writer ranks dealt to it) */
      bool read, same;

      PetscCall(ReadRows(dset, space, H5TypeOf(type), offsets[r], counts[r], bs, tsize, static_cast<char *>(staged.storage) + at, sums[r], &read, &same));
      if (!read) {
        PetscCallCXX(lc.problem = where + " cannot be read (truncated or corrupt file)");
        PetscFunctionReturn(PETSC_SUCCESS);
      }
      if (!same) {
        PetscCallCXX(lc.problem = where + ": checksum mismatch, the file is corrupt");
        PetscFunctionReturn(PETSC_SUCCESS);
      }
      at += tsize * (size_t)bs * (size_t)counts[r];
    }
    lc.data->lastRead[1] += (double)at;
  }
  if (!keep) { /* verified, not kept */
    PetscCall(StageGive(lc.data, &staged));
    PetscCall(StageTake(lc.data, 0, &staged.storage, &staged.capacity));
    staged.bytes = 0;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

herr_t VisitDataset(hid_t group, const char *name, const H5O_info_t *info, void *ptr)
{
  LoadContext *lc = static_cast<LoadContext *>(ptr);

  if (info->type != H5O_TYPE_DATASET) return 0;
  if (LoadSlot(*lc, group, name)) return -1;
  return lc->problem.empty() ? 0 : 1; /* a problem ends the visit */
}

/* Local: every entry of the open file into lc.entries; the first problem in lc.problem. */
PetscErrorCode LoadEntries(LoadContext &lc, hid_t fid)
{
  std::vector<std::string> names;

  PetscFunctionBegin;
  if (H5Lexists(fid, "/entries", H5P_DEFAULT) > 0) {
    H5Handle entries(H5Gopen2(fid, "/entries", H5P_DEFAULT), H5Gclose);
    if (!entries.valid() || H5Literate(entries, H5_INDEX_NAME, H5_ITER_INC, nullptr, CollectName, &names) < 0) {
      PetscCallCXX(lc.problem = "group /entries cannot be listed (corrupt file)");
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    for (const std::string &link : names) {
      int  ranks = 0, captures = 0;
      bool found1, found2, found3;

      H5Handle group(H5Gopen2(entries, link.c_str(), H5P_DEFAULT), H5Gclose);
      if (!group.valid()) {
        PetscCallCXX(lc.problem = "group /entries/" + link + " cannot be opened (corrupt file)");
        PetscFunctionReturn(PETSC_SUCCESS);
      }
      PetscCallCXX(lc.linkName = link);
      PetscCallCXX(lc.entry = UnescapeName(link));
      Entry &e = (*lc.entries)[lc.entry];
      PetscCallCXX(e.name = lc.entry);
      PetscCall(ReadStringAttribute(group, "dm_type", &e.dmType, &found1));
      PetscCall(ReadNumericAttribute(group, "comm_size", H5T_NATIVE_INT, 1, &ranks, &found2));
      PetscCall(ReadNumericAttribute(group, "captures", H5T_NATIVE_INT, 1, &captures, &found3));
      if (!(found1 && found2 && found3) || ranks < 1) {
        PetscCallCXX(lc.problem = "group /entries/" + link + " lacks valid attributes (dm_type, comm_size, captures)");
        PetscFunctionReturn(PETSC_SUCCESS);
      }
      e.commSize  = ranks;
      e.captures  = captures;
      e.fileShare = 0;
      e.fileTotal = 0;
      lc.fingerprint = XXH3_64bits_withSeed(link.data(), link.size(), lc.fingerprint);
      if (PetscSnapshotH5Ovisit(group, H5_INDEX_NAME, H5_ITER_INC, VisitDataset, &lc) < 0 && lc.problem.empty()) PetscCallCXX(lc.problem = "group /entries/" + link + " cannot be read (corrupt file)");
      if (!lc.problem.empty()) PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Open, on this rank alone (HDF5's POSIX driver: no MPI inside, so a damaged file cannot leave a rank waiting for
   another), the snapshot file to load, after checking that it exists, is HDF5, is a petsc-snapshot file and has the
   schema version this library reads; the number of ranks that wrote it. Every check is agreed over the communicator
   and raised on every rank, naming the file. The caller closes fid. */
PetscErrorCode OpenLocal(PetscSnapshot snap, const char caller[], std::string *file, hid_t *fid, int *writers)
{
  MPI_Comm      comm = PetscObjectComm((PetscObject)snap);
  LocalFailures lf(comm, caller);
  H5Quiet       quiet;
  SealedFile    sealed;

  PetscFunctionBegin;
  *fid     = -1;
  *writers = 0;
  PetscCall(FileToLoad(snap, caller, file));
  PetscCall(VerifySeal(comm, *file, caller, Data(snap)->verifyAgain, &sealed)); /* before HDF5 reads a byte of it */
  lf.Run("opening " + *file, [&]() -> PetscErrorCode {
    std::string format;
    bool        found;
    int         schema = 0;

    PetscFunctionBegin;
    if (access(file->c_str(), F_OK) != 0) {
      lf.Fail("snapshot file " + *file + " does not exist", PETSC_ERR_FILE_OPEN);
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    if (access(file->c_str(), R_OK) != 0) {
      lf.Fail("snapshot file " + *file + " is not readable: " + std::strerror(errno), PETSC_ERR_FILE_OPEN);
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    if (!sealed.Is(*file)) {
      lf.Fail(*file + " is not the file whose whole-file checksum rank 0 verified (replaced or changed since, or not readable on rank 0)", PETSC_ERR_FILE_UNEXPECTED);
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    H5Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    PetscCallH5(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "file access property"); /* closing closes everything */
    *fid = H5Fopen(file->c_str(), H5F_ACC_RDONLY, fapl); /* fails on a file that is not HDF5: no separate H5Fis_hdf5() open */
    if (*fid < 0) {
      lf.Fail(*file + " is not a readable HDF5 file (truncated, corrupt, or not HDF5)");
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    H5Handle root(H5Gopen2(*fid, "/", H5P_DEFAULT), H5Gclose);
    if (!root.valid()) {
      lf.Fail(*file + " is not a readable HDF5 file (its root group cannot be opened)");
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    PetscCall(ReadStringAttribute(root, "format", &format, &found));
    if (!found || format != formatName) {
      lf.Fail(*file + " is not a petsc-snapshot file (no format attribute \"" + formatName + "\" at its root)");
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    PetscCall(ReadNumericAttribute(root, "schema_version", H5T_NATIVE_INT, 1, &schema, &found));
    if (!found || schema < 1) lf.Fail(*file + " has no valid schema version");
    else if (schema == 1)
      lf.Fail(*file + " has schema version 1, written by an older petsc-snapshot whose checksums (FNV-1a over words) could not detect a bit flipped at the same position in two words; it is refused: re-create the checkpoint with this version (schema " + std::to_string(schemaVersion) + ", XXH3-64 checksums)");
    else if (schema < schemaVersion) lf.Fail(*file + " has schema version " + std::to_string(schema) + ", older than the " + std::to_string(schemaVersion) + " this petsc-snapshot reads: re-create the checkpoint with this version");
    else if (schema > schemaVersion) lf.Fail(*file + " has schema version " + std::to_string(schema) + ", newer than the " + std::to_string(schemaVersion) + " this petsc-snapshot reads: upgrade petsc-snapshot");
    else {
      int intBytes = 0;

      PetscCall(ReadNumericAttribute(root, "comm_size", H5T_NATIVE_INT, 1, writers, &found));
      if (!found || *writers < 1 || *writers > (1 << 24)) lf.Fail(*file + " has no valid comm_size attribute");
      /* PetscInt data (layouts, swarm cell ids, integer state) are stored as this build's PetscInt: another size
         would be read converted and fail its checksums as if the file were damaged */
      PetscCall(ReadNumericAttribute(root, "petsc_int_bytes", H5T_NATIVE_INT, 1, &intBytes, &found));
      if (found && intBytes != (int)sizeof(PetscInt))
        lf.Fail(*file + " was written by a PETSc with " + std::to_string(8 * intBytes) + "-bit PetscInt and this PETSc has " + std::to_string(8 * sizeof(PetscInt)) + "-bit PetscInt (--with-64-bit-indices differs): its integer data (DMPlex layouts, swarm cell ids, PetscInt state) cannot be restored here; restore it with a PETSc of " + std::to_string(8 * intBytes) + "-bit PetscInt");
    }
    PetscFunctionReturn(PETSC_SUCCESS);
  });
  if (lf.Failed() && *fid >= 0) {
    (void)H5Fclose(*fid);
    *fid = -1;
  }
  {
    PetscErrorCode ierr = lf.Agree();
    if (ierr && *fid >= 0) {
      (void)H5Fclose(*fid);
      *fid = -1;
    }
    PetscCall(ierr);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Open the file to load through PETSc's (collective) HDF5 viewer, after checking it on every rank with OpenLocal() and,
   if asked, verifying its /topologies. */
PetscErrorCode OpenForLoad(PetscSnapshot snap, const char caller[], std::string *file, PetscViewer *viewer, int *writers, bool verifyTopologies)
{
  MPI_Comm      comm = PetscObjectComm((PetscObject)snap);
  hid_t         fid;
  LocalFailures lf(comm, caller);

  PetscFunctionBegin;
  *viewer = nullptr;
  PetscCall(OpenLocal(snap, caller, file, &fid, writers));
  (void)H5Fclose(fid); /* HDF5 shares one open file per process: close before the viewer opens it */
  if (verifyTopologies) PetscCall(VerifyTopologies(comm, *file, caller));
  lf.Run("opening " + *file + " with PETSc's HDF5 viewer", [&]() { return OpenViewer(comm, file->c_str(), FILE_MODE_READ, viewer); });
  {
    PetscErrorCode ierr = lf.Agree();
    if (ierr) PetscCall(PetscViewerDestroy(viewer));
    PetscCall(ierr);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Load and verify the whole file into staged slots; everything wrong is raised collectively before any check. Every
   rank reads the file on its own (OpenLocal()); the only collective steps are the agreements. At another rank count
   PETSc's viewer then opens the file until the restore ends, for PETSc's DMPlex loaders. */
PetscErrorCode PetscSnapshotBeginRestore_HDF5(PetscSnapshot snap)
{
  MPI_Comm      comm = PetscObjectComm((PetscObject)snap);
  HDF5Data     *d    = Data(snap);
  std::string   file;
  PetscMPIInt   rank, size;
  int           writers = 0;
  hid_t         fid;
  EntryMap     *loaded;
  LocalFailures lf(comm, "PetscSnapshotRestore");
  LoadContext   lc;
  PetscLogDouble t0, t1;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscTime(&t0));
  PetscCall(OpenLocal(snap, "PetscSnapshotRestore", &file, &fid, &writers));
  PetscCall(MappableFile(fid, &lc.fd));
  d->lastMapped[0] = d->lastMapped[1] = d->lastRead[0] = d->lastRead[1] = 0;
  PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_H5Read, snap, 0, 0, 0));
  PetscCallCXX(loaded = new EntryMap());
  lc.entries = loaded;
  lc.data    = d;
  lc.comm    = comm;
  lc.rank    = rank;
  lc.size    = size;
  lc.writers = writers;
  {
    H5Quiet quiet;
    lf.Run("reading " + file, [&]() { return LoadEntries(lc, fid); });
  }
  (void)H5Fclose(fid);
  if (!lc.problem.empty()) lf.Fail(file + ": " + lc.problem);
  {
    PetscErrorCode ierr = lf.Agree(PETSC_ERR_FILE_UNEXPECTED);
    if (!ierr) { /* every rank read the same file (not one replaced between the ranks' opens)? */
      uint64_t fp[2] = {lc.fingerprint, ~lc.fingerprint};
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, fp, 2, MPI_UINT64_T, MPI_MAX, comm));
      LocalFailures same(comm, "PetscSnapshotRestore");
      if (fp[0] != lc.fingerprint || fp[1] != ~lc.fingerprint) same.Fail(file + " changed while the ranks were reading it (replaced or rewritten during the restore)");
      ierr = same.Agree();
    }
    PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_H5Read, snap, 0, 0, 0));
    if (!ierr && writers != size) ierr = VerifyTopologies(comm, file, "PetscSnapshotRestore");
    if (!ierr && writers != size) { /* the DMPlex data are read during the restore */
      LocalFailures open(comm, "PetscSnapshotRestore");
      PetscViewer   viewer = nullptr;
      PetscCall(PetscViewerDestroy(&d->loading));
      open.Run("opening " + file + " with PETSc's HDF5 viewer", [&]() { return OpenViewer(comm, file.c_str(), FILE_MODE_READ, &viewer); });
      ierr = open.Agree();
      if (ierr) PetscCall(PetscViewerDestroy(&viewer));
      else d->loading = viewer;
    }
    if (ierr) {
      for (auto &[name, e] : *loaded)
        for (auto &[sname, slot] : e.slots) PetscCall(StageGive(d, &slot));
      delete loaded;
      PetscCall(StageTrim(d));
      PetscCall(ierr);
    }
  }
  /* replace the inventory by the file's */
  while (!snap->entries->empty()) PetscCall(PetscSnapshotDropEntry_Internal(snap, snap->entries->begin()));
  std::swap(*snap->entries, *loaded);
  delete loaded;
  PetscCallCXX(d->lastFile = file);
  if (writers == size) PetscCall(PetscViewerDestroy(&d->loading));
  snap->progressTotal = lc.total;
  PetscCall(PetscSnapshotProgress_Internal(snap, lc.total, PETSC_TRUE, "read and verified %s (written by %d rank%s, read by %d)", file.c_str(), writers, writers == 1 ? "" : "s", (int)size));
  if (PetscLogPrintInfo) {
    double bytes = 0;
    for (const auto &[name, e] : *snap->entries)
      for (const auto &[sname, slot] : e.slots) bytes += (double)slot.bytes;
    PetscCall(PetscTime(&t1));
    PetscCall(PetscInfo(snap, "loaded %s (written by %d ranks, read by %d): %.0f bytes on this rank in %.6f s (%.3g GB/s), dataset checksums verified\n", file.c_str(), writers, (int)size, bytes, (double)(t1 - t0), t1 > t0 ? bytes / (t1 - t0) / 1e9 : 0.0));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* After a restore the staged data are not needed any more. */
PetscErrorCode PetscSnapshotEndRestore_HDF5(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscCall(petscsnapshot::plexio::ClearSections(&Data(snap)->sections));
  PetscCall(PetscViewerDestroy(&Data(snap)->loading));
  for (auto &[name, entry] : *snap->entries)
    for (auto &[sname, slot] : entry.slots) PetscCall(StageGive(Data(snap), &slot));
  PetscCall(StageTrim(Data(snap)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The file a restore at another rank count keeps open for PETSc's DMPlex loaders. */
/* The file PETSc's DMPlex loaders read during a restore whose points are redistributed: opened by the restore at
   another rank count, or here, on first use, at the same rank count (a mesh loaded from the file and partitioned
   otherwise; the layout hooks call this on every rank alike). Collective on first use. */
PetscErrorCode Loading(PetscSnapshot snap, PetscViewer *viewer)
{
  HDF5Data *d = Data(snap);

  PetscFunctionBegin;
  if (!d->loading) {
    MPI_Comm       comm = PetscObjectComm((PetscObject)snap);
    LocalFailures  open(comm, "PetscSnapshotRestore");
    PetscViewer    v = nullptr;
    PetscErrorCode ierr;

    PetscCheck(!d->lastFile.empty(), PETSC_COMM_SELF, PETSC_ERR_PLIB, "no snapshot file was loaded for this restore");
    PetscCall(VerifyTopologies(comm, d->lastFile, "PetscSnapshotRestore"));
    open.Run("opening " + d->lastFile + " with PETSc's HDF5 viewer", [&]() { return OpenViewer(comm, d->lastFile.c_str(), FILE_MODE_READ, &v); });
    ierr = open.Agree();
    if (ierr) PetscCall(PetscViewerDestroy(&v));
    PetscCall(ierr);
    d->loading = v;
  }
  *viewer = d->loading;
  PetscFunctionReturn(PETSC_SUCCESS);
}
} // namespace petscsnapshot::hdf5

#endif
