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
PetscErrorCode VerifyTopologies(MPI_Comm comm, const std::string &file, const char caller[])
{
  PetscMPIInt   rank;
  LocalFailures lf(comm, caller);

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_H5Verify, 0, 0, 0, 0));
  if (rank == 0) {
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
