/* HDF5 helpers of the hdf5 storage type: element types, attributes, checksums. */
#include "hdf5impl.hpp"
#include "topologychecksum.h"

#if defined(PETSC_HAVE_HDF5)
  #include <algorithm>
  #include <cstdio>
  #include <cstring>
  #include <ctime>
  #include <dirent.h>
  #include <unistd.h>
  #include <sys/stat.h>
  #include <cstdlib>
  #include "xxh3.h"

namespace petscsnapshot::hdf5
{

/* XXH3-64 (libxxhash) of the bytes: detects every single-bit flip, paired flips of one bit position and swapped
   words, which the word-wise FNV-1a of schema 1 did not (paired flips of the same bit in two words cancelled). */
uint64_t Checksum(const void *data, size_t bytes)
{
  static const unsigned char none = 0;
  return (uint64_t)XXH3_64bits(bytes ? data : &none, bytes);
}

/* Link names: a DM's name is one HDF5 link, so '/' (a path separator) and '%' (the escape) are written %2F and %25,
   and a name "." (HDF5's current group) %2E. Unescape reverses it. */
std::string EscapeName(const std::string &name)
{
  std::string out;

  if (name == ".") return "%2E";
  for (char c : name) {
    if (c == '%') out += "%25";
    else if (c == '/') out += "%2F";
    else out += c;
  }
  return out;
}

std::string UnescapeName(const std::string &link)
{
  std::string out;

  for (size_t i = 0; i < link.size(); i++) {
    if (link[i] == '%' && i + 2 < link.size()) {
      const std::string hex = link.substr(i + 1, 2);
      char             *end = nullptr;
      long              v   = std::strtol(hex.c_str(), &end, 16);
      if (end && *end == 0) {
        out += (char)v;
        i += 2;
        continue;
      }
    }
    out += link[i];
  }
  return out;
}

/* An options database of our own, empty: objects the snapshot creates for itself read no option of the application's
   (PETSc's global -viewer_*, -dm_* and -vec_* options). Created on first use, destroyed by PetscFinalize(). */
static PetscOptions isolated = nullptr;

static PetscErrorCode DestroyIsolatedOptions(void)
{
  PetscFunctionBegin;
  PetscCall(PetscOptionsDestroy(&isolated));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode IsolateOptions(PetscObject obj)
{
  PetscFunctionBegin;
  if (!isolated) {
    PetscCall(PetscOptionsCreate(&isolated));
    PetscCall(PetscRegisterFinalize(DestroyIsolatedOptions));
  }
  PetscCall(PetscObjectSetOptions(obj, isolated));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Not PetscViewerHDF5Open(): it calls PetscViewerSetFromOptions(), by which the application's -viewer_type binary made
   the snapshot's viewer a binary one and -viewer_hdf5_sp_output wrote /topologies in single precision; and PETSc's
   DMPlex routines read -dm_plex_view_hdf5_* from the viewer's options. The viewer reads none (IsolateOptions()). */
PetscErrorCode OpenViewer(MPI_Comm comm, const char file[], PetscFileMode mode, PetscViewer *viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerCreate(comm, viewer));
  PetscCall(IsolateOptions((PetscObject)*viewer));
  PetscCall(PetscViewerSetType(*viewer, PETSCVIEWERHDF5));
  PetscCall(PetscViewerFileSetMode(*viewer, mode));
  PetscCall(PetscViewerFileSetName(*viewer, file));
  PetscFunctionReturn(PETSC_SUCCESS);
}

H5Quiet::H5Quiet()
{
  (void)H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  (void)H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

H5Quiet::~H5Quiet()
{
  (void)H5Eset_auto2(H5E_DEFAULT, func_, data_);
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

/* Read a numeric attribute of n values; found = false when absent or of another size. Handles are closed on every
   return (a file with open objects stays open in HDF5 after H5Fclose). */
PetscErrorCode ReadNumericAttribute(hid_t obj, const char name[], hid_t type, size_t n, void *values, bool *found)
{
  PetscFunctionBegin;
  *found = H5Aexists(obj, name) > 0;
  if (!*found) PetscFunctionReturn(PETSC_SUCCESS);
  H5Handle attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  H5Handle space(attr.valid() ? H5Aget_space(attr) : -1, H5Sclose);
  if (!space.valid() || H5Sget_simple_extent_npoints(space) != (hssize_t)n) *found = false;
  else PetscCallH5(H5Aread(attr, type, values), name);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode ReadStringAttribute(hid_t obj, const char name[], std::string *value, bool *found)
{
  char buf[1024] = {0};

  PetscFunctionBegin;
  *found = H5Aexists(obj, name) > 0;
  if (!*found) PetscFunctionReturn(PETSC_SUCCESS);
  H5Handle attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  H5Handle type(attr.valid() ? H5Aget_type(attr) : -1, H5Tclose);
  if (!type.valid() || H5Tget_class(type) != H5T_STRING || H5Tget_size(type) >= sizeof(buf)) *found = false;
  else {
    H5Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    PetscCallH5(H5Tset_size(mem, sizeof(buf) - 1), "string type");
    PetscCallH5(H5Aread(attr, mem, buf), name);
    PetscCallCXX(*value = buf);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
/* Open a file on this rank alone, so that closing it closes every object HDF5 still holds in it. */
static hid_t OpenAlone(const std::string &file, unsigned mode)
{
  H5Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);

  if (fapl.valid()) (void)H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
  return H5Fopen(file.c_str(), mode, fapl.valid() ? (hid_t)fapl : H5P_DEFAULT);
}

/* Rank 0 opens the complete file alone, computes the checksum of its /topologies tree and stores it at the root. */
PetscErrorCode SealTopologies(MPI_Comm comm, const std::string &file)
{
  PetscMPIInt   rank;
  LocalFailures lf(comm, "PetscSnapshotCapture");

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    H5Quiet  quiet;
    hid_t    f   = OpenAlone(file, H5F_ACC_RDWR);
    uint64_t sum = 0;
    int      rc;

    if (f < 0) lf.Fail("cannot reopen " + file + " to seal its /topologies", PETSC_ERR_FILE_WRITE);
    else {
      rc = PetscSnapshotTopologiesChecksum(f, &sum);
      if (rc < 0) lf.Fail("cannot read back the /topologies of " + file, PETSC_ERR_FILE_WRITE);
      else if (rc == 0) {
        H5Handle root(H5Gopen2(f, "/", H5P_DEFAULT), H5Gclose);
        lf.Run("sealing the /topologies of " + file, [&]() { return WriteNumericAttribute(root, "topologies_checksum", H5T_NATIVE_UINT64, 1, &sum); });
      }
      if (H5Fclose(f) < 0) lf.Fail("cannot close " + file + " after sealing its /topologies", PETSC_ERR_FILE_WRITE);
    }
  }
  PetscCall(lf.Agree());
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Before PETSc's DMPlex loaders read a file: rank 0 checks the /topologies tree against its checksum. */
/* The file whose /topologies this process verified last, identified by what any write or replacement changes (device,
   inode, size, modification and status-change times): a restart verifies them in PetscSnapshotHDF5LoadDM() and again
   in PetscSnapshotRestore(), and the second time the file is the same. The kernel stamps a file with a coarse clock
   (a tick of a few ms), so a write within the same tick as an earlier one may leave the times unchanged: a file is
   remembered only if its last change is older than the verification by more than changeTick, so that any later
   write stamps a time after it. */
static constexpr double changeTick = 0.05; /* seconds */
struct FileIdentity {
  bool            valid = false;
  dev_t           dev   = 0;
  ino_t           ino   = 0;
  off_t           size  = 0;
  struct timespec mtime = {0, 0}, ctime = {0, 0};

  static FileIdentity Of(const std::string &file)
  {
    FileIdentity id;
    struct stat  st;

    if (stat(file.c_str(), &st) == 0) {
      id.valid = true;
      id.dev   = st.st_dev;
      id.ino   = st.st_ino;
      id.size  = st.st_size;
      id.mtime = st.st_mtim;
      id.ctime = st.st_ctim;
    }
    return id;
  }
  bool operator==(const FileIdentity &o) const
  {
    return valid && o.valid && dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec && mtime.tv_nsec == o.mtime.tv_nsec && ctime.tv_sec == o.ctime.tv_sec && ctime.tv_nsec == o.ctime.tv_nsec;
  }
};
static FileIdentity lastVerified;

/* Seconds from t to now (realtime, the clock of file times). */
static double SecondsSince(const struct timespec &t)
{
  struct timespec now = {0, 0};

  (void)clock_gettime(CLOCK_REALTIME, &now);
  return (double)(now.tv_sec - t.tv_sec) + 1e-9 * (double)(now.tv_nsec - t.tv_nsec);
}

uint64_t StableFileToken(const std::string &file)
{
  FileIdentity id = FileIdentity::Of(file);
  uint64_t     v[7];

  if (!id.valid || SecondsSince(id.ctime) <= changeTick) return 0;
  v[0] = (uint64_t)id.dev;
  v[1] = (uint64_t)id.ino;
  v[2] = (uint64_t)id.size;
  v[3] = (uint64_t)id.mtime.tv_sec;
  v[4] = (uint64_t)id.mtime.tv_nsec;
  v[5] = (uint64_t)id.ctime.tv_sec;
  v[6] = (uint64_t)id.ctime.tv_nsec;
  return XXH3_64bits(v, sizeof(v)) | 1; /* never 0 */
}

PetscErrorCode VerifyTopologies(MPI_Comm comm, const std::string &file, const char caller[], bool again)
{
  PetscMPIInt   rank;
  LocalFailures lf(comm, caller);

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_H5Verify, 0, 0, 0, 0));
  if (rank == 0 && !again && FileIdentity::Of(file) == lastVerified) PetscCall(PetscInfo(nullptr, "%s: the /topologies of %s were verified by this process and the file has not changed since\n", caller, file.c_str()));
  else if (rank == 0) {
    FileIdentity before = FileIdentity::Of(file);

    H5Quiet  quiet;
    hid_t    f   = OpenAlone(file, H5F_ACC_RDONLY);
    uint64_t sum = 0, stored = 0;
    int      rc;

    if (f < 0) lf.Fail(file + " cannot be opened to verify its /topologies");
    else {
      rc = PetscSnapshotTopologiesChecksum(f, &sum);
      if (rc < 0) lf.Fail(file + ": its /topologies (PETSc's DMPlex layout, used to load the mesh and to restore on another partition) cannot be read: the file is damaged");
      else if (rc == 0) {
        bool found = false;
        H5Handle root(H5Gopen2(f, "/", H5P_DEFAULT), H5Gclose);
        lf.Run("reading the /topologies checksum of " + file, [&]() { return ReadNumericAttribute(root, "topologies_checksum", H5T_NATIVE_UINT64, 1, &stored, &found); });
        if (!lf.Failed() && !found) lf.Fail(file + ": its /topologies have no checksum (topologies_checksum): the file was not completed by petsc-snapshot, or is damaged");
        else if (!lf.Failed() && stored != sum) lf.Fail(file + ": checksum mismatch in its /topologies (PETSc's DMPlex layout): the file is damaged");
      }
      (void)H5Fclose(f);
    }
    lastVerified = FileIdentity();
    if (!lf.Failed() && FileIdentity::Of(file) == before && SecondsSince(before.ctime) > changeTick) lastVerified = before; /* the file verified is the one identified, and a later change would show */
  }
  {
    PetscErrorCode ierr = lf.Agree();
    PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_H5Verify, 0, 0, 0, 0));
    PetscCall(ierr);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot::hdf5

#endif
