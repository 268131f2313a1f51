/* HDF5 helpers of the hdf5 storage type: element types, attributes, checksums. */
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
} // namespace petscsnapshot::hdf5

#endif
