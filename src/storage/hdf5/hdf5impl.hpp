/* Private declarations shared by the files of the hdf5 storage type (src/storage/hdf5/):
     h5util.cxx  HDF5 handles, attributes, element types, checksums
     series.cxx  the file a capture writes and a restore reads (single name or numbered series, keep-last-N)
     write.cxx   capture: staged slots and DMPlex data to a temporary file, renamed into place
     staging.cxx staging buffers, reused between operations; copy and checksum in one pass
     mapping.cxx restore of large datasets straight from the page cache (mapped, verified in place)
     load.cxx    restore: open, verify and stage a file; the file kept open for a restore at another rank count
     hdf5.cxx    the type: options, view, destroy, creation, public PetscSnapshotHDF5*() functions
     plexio.cxx  DMPlex data in PETSc's own HDF5 layout
     filecheck.cxx the whole-file seal (seal.h): appended at capture, verified before HDF5 parses a file */
#ifndef PETSCSNAPSHOT_HDF5IMPL_HPP
#define PETSCSNAPSHOT_HDF5IMPL_HPP

#include "../../include/snapshotimpl.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <petscviewerhdf5.h>
  #include <map>
  #include <tuple>
  #include <utility>
  #include "plexio.hpp"

namespace petscsnapshot::hdf5
{

/* 3: the whole file sealed (seal.h). 2: XXH3-64 checksums per dataset. Schema 1 (FNV-1a) files are refused: that
   checksum missed paired bit flips; schema 2 files have no seal, and are refused before HDF5 parses them. */
inline constexpr int schemaVersion = 3;
inline constexpr char formatName[] = "petsc-snapshot";

/* Bytes copied or read, then checksummed, at a time: the block is still in cache when XXH3 reads it (1 MB took the
   least CPU time for a 64 MB restore among 256 KB, 1 MB, 4 MB and one read, see docs/performance.md). */
inline constexpr size_t stageBlock = (size_t)1 << 20;

/* Datasets smaller than this are read into staging buffers even when they could be mapped: below about 32 MB the read,
   checksummed in cache, and the copy out of the cache cost as little as or less than mapping and unmapping the pages
   (bench_hdf5 from 1 to 64 MB with -snapshot_hdf5_test_map_min_bytes 1, docs/performance.md). */
inline constexpr PetscInt mapMinBytes = (PetscInt)32 << 20;

struct HDF5Data {
  std::string fileName;          /* as set; with keep > 0 the base of numbered names */
  PetscInt    keep      = 0;     /* > 0: numbered files, the last keep kept */
  PetscInt    failAfter = -1;    /* testing: fail after writing this many datasets */
  PetscInt    failRank  = -1;    /* testing: the failure happens on this rank only (as a full disk does) */
  PetscInt    killAfter = -1;    /* testing: rank 0 kills its process (SIGKILL) after writing this many datasets, or
                                    before the rename if the file has fewer */
  PetscInt    sequence  = 0;     /* number of the last numbered file written */
  PetscBool   durable   = PETSC_TRUE; /* fsync the file and its directory before a capture returns (-snapshot_hdf5_durable) */
  std::string lastFile;          /* the last file written or loaded */
  bool        verifyAgain = false; /* PetscSnapshotHDF5Verify(): verify the seal even if this process verified the file */
  /* during a capture: the inventory before it (of lastFile), put back if the capture is refused or fails */
  petscsnapshot::EntryMap previous;
  PetscViewer loading = nullptr; /* open during a restore at another rank count */
  petscsnapshot::plexio::SectionCache sections; /* loaded by a restore's checks, for its restore (plexio.hpp) */
  /* DMPlex data to write in PETSc's layout at the end of the capture (held references) */
  std::vector<DM>                                      meshes;
  std::vector<std::tuple<DM, std::string, Vec>>        meshVecs;
  /* staging buffers (staging.cxx): free ones of the last capture or restore, and the ones returned by this one */
  PetscBool                               reuse = PETSC_TRUE; /* -snapshot_hdf5_reuse_buffers */
  std::vector<std::pair<size_t, void *>> pool, returned;
  /* datasets a restore mapped from the file (mapping.cxx): the rows' address -> the mapping's address and length */
  PetscBool                                   mapReads = PETSC_TRUE;         /* -snapshot_hdf5_map_reads */
  PetscInt                                    mapMin   = mapMinBytes;  /* testing: map datasets of this many bytes or more */
  std::map<void *, std::pair<void *, size_t>> mappings;
  double                                      lastMapped[2] = {-1, 0}, lastRead[2] = {0, 0}; /* datasets, bytes of the last restore on this rank */
};


inline HDF5Data *Data(PetscSnapshot snap)
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

/* HDF5's automatic error printing off while it lives: our messages say what failed. */
class H5Quiet
{
public:
  H5Quiet();
  ~H5Quiet();
  H5Quiet(const H5Quiet &)            = delete;
  H5Quiet &operator=(const H5Quiet &) = delete;

private:
  H5E_auto2_t func_ = nullptr;
  void       *data_ = nullptr;
};

/* Objects the snapshot creates for itself get an empty options database of their own: no application option reaches
   them. OpenViewer(): PETSc's HDF5 viewer, so isolated (not PetscViewerHDF5Open(), which reads the -viewer_* options). */
PetscErrorCode IsolateOptions(PetscObject obj);
PetscErrorCode OpenViewer(MPI_Comm comm, const char file[], PetscFileMode mode, PetscViewer *viewer);
uint64_t       Checksum(const void *data, size_t bytes);
std::string    EscapeName(const std::string &name);
std::string    UnescapeName(const std::string &link);
hid_t          H5TypeOf(PetscDataType type);
PetscErrorCode WriteStringAttribute(hid_t obj, const char name[], const char value[]);
PetscErrorCode WriteNumericAttribute(hid_t obj, const char name[], hid_t type, hsize_t n, const void *values);
PetscErrorCode ReadNumericAttribute(hid_t obj, const char name[], hid_t type, size_t n, void *values, bool *found);
PetscErrorCode ReadStringAttribute(hid_t obj, const char name[], std::string *value, bool *found);

/* The /topologies tree (PETSc's DMPlex layout) has one checksum of ours, stored once the file is complete and verified
   before PETSc's loaders read it (see topologychecksum.h). Collective; rank 0 reads. */
PetscErrorCode SealTopologies(MPI_Comm comm, const std::string &file);
/* A token of the file's identity (device, inode, size, modification and status-change times), 0 if it cannot be
   stated or changed within the last changeTick (a later write might then keep the same times): equal tokens mean the
   same, unchanged file. Local. */
uint64_t StableFileToken(const std::string &file);
/* again: verify even if this process verified the same, unchanged file last (else that verification stands) */
PetscErrorCode VerifyTopologies(MPI_Comm comm, const std::string &file, const char caller[], bool again = false);

/* filecheck.cxx: the whole-file seal (seal.h). SealFile(): rank 0 appends it to the complete file. VerifySeal(): rank 0
   verifies it (unless this process verified the same, unchanged file last and not again) and tells every rank which
   file it verified; a rank then opens the file only if sealed->Is() it. Collective. */
struct SealedFile {
  int64_t id[4] = {0, 0, 0, 0};
  bool    Is(const std::string &file) const;
};
PetscErrorCode SealFile(MPI_Comm comm, const std::string &file);
PetscErrorCode VerifySeal(MPI_Comm comm, const std::string &file, const char caller[], bool again, SealedFile *sealed);

/* series.cxx */
std::string    NumberedName(const std::string &base, PetscInt seq);
PetscErrorCode NumberedFiles(MPI_Comm comm, const std::string &base, std::vector<std::pair<PetscInt, std::string>> *files);
PetscErrorCode FileToLoad(PetscSnapshot snap, const char caller[], std::string *file);
PetscErrorCode NextNumber(PetscSnapshot snap, PetscInt *seq);
PetscErrorCode RemoveFile(MPI_Comm comm, const std::string &file, PetscObject who = nullptr); /* who: the PetscInfo object */

/* write.cxx */
PetscErrorCode ReleaseMeshes(HDF5Data *d);
PetscErrorCode PetscSnapshotPutMesh_HDF5(PetscSnapshot snap, DM dm);
PetscErrorCode PetscSnapshotPutMeshVec_HDF5(PetscSnapshot snap, DM topo, const char name[], Vec vec);
PetscErrorCode PetscSnapshotBeginCapture_HDF5(PetscSnapshot snap);
PetscErrorCode PetscSnapshotEndCapture_HDF5(PetscSnapshot snap, PetscBool success);

/* staging.cxx */
/* XXH3-64 over data given in pieces: equal to Checksum() of their concatenation. */
class StreamChecksum
{
public:
  StreamChecksum();
  ~StreamChecksum();
  StreamChecksum(const StreamChecksum &)            = delete;
  StreamChecksum &operator=(const StreamChecksum &) = delete;
  PetscErrorCode  Update(const void *data, size_t bytes);
  PetscErrorCode  Digest(uint64_t *sum) const;

private:
  void *state_; /* XXH3_state_t, opaque in libxxhash's shared-library API */
};

PetscErrorCode StageTake(HDF5Data *d, size_t bytes, void **storage, size_t *capacity);
PetscErrorCode StageGive(HDF5Data *d, Slot *slot);
PetscErrorCode StageTrim(HDF5Data *d);
PetscErrorCode StageFree(HDF5Data *d);
PetscErrorCode PetscSnapshotWrite_HDF5(PetscSnapshot snap, const Entry *, const char[], Slot *slot, const void *data);
PetscErrorCode PetscSnapshotDrop_HDF5(PetscSnapshot snap, Slot *slot);

/* mapping.cxx */
PetscErrorCode MappableFile(hid_t fid, int *fd);
PetscErrorCode MapRows(HDF5Data *d, int fd, hid_t dset, hid_t memtype, int64_t first, int64_t count, size_t row, uint64_t sum, void **rows);
PetscErrorCode Unmap(HDF5Data *d, void *storage, bool *was);

/* load.cxx */
PetscErrorCode OpenLocal(PetscSnapshot snap, const char caller[], std::string *file, hid_t *fid, int *writers);
PetscErrorCode OpenForLoad(PetscSnapshot snap, const char caller[], std::string *file, PetscViewer *viewer, int *writers, bool verifyTopologies = false);
PetscErrorCode PetscSnapshotBeginRestore_HDF5(PetscSnapshot snap);
PetscErrorCode PetscSnapshotEndRestore_HDF5(PetscSnapshot snap);
PetscErrorCode Loading(PetscSnapshot snap, PetscViewer *viewer);

} // namespace petscsnapshot::hdf5

#endif
#endif
