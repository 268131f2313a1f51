/* Restore without a staging copy: a large dataset that HDF5 stores as plain bytes is mapped read-only from the file
   (its pages are the kernel's page cache, shared, not copied) and its checksum verified there; the hooks then copy it
   straight into the application's objects. The contract is unchanged: every byte is verified before any is written,
   and a dataset that cannot be mapped, or whose mapped bytes do not verify, is read into a staging buffer as before
   (which then decides). */
#include "hdf5impl.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <sys/mman.h>
  #include <sys/stat.h>
  #include <unistd.h>
  #include "xxh3.h"

namespace petscsnapshot::hdf5
{

/* The file's descriptor as HDF5's default (sec2) driver holds it, for MapRows(); fd < 0 when the file is not open
   through that driver. */
PetscErrorCode MappableFile(hid_t fid, int *fd)
{
  void *handle = nullptr;

  PetscFunctionBegin;
  *fd = -1;
  H5Handle fapl(H5Fget_access_plist(fid), H5Pclose);
  if (!fapl.valid() || H5Pget_driver(fapl) != H5FD_SEC2) PetscFunctionReturn(PETSC_SUCCESS);
  if (H5Fget_vfd_handle(fid, fapl, &handle) < 0 || !handle) PetscFunctionReturn(PETSC_SUCCESS);
  *fd = *static_cast<int *>(handle);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Rows [first, first+count) of rows bytes each, mapped from the file and verified against sum: *rows points to them, or
   is null when the dataset is not stored as the memory type's bytes in one contiguous, unfiltered extent, or when the
   mapped bytes do not have the checksum (the caller reads them instead). The mapping is recorded in d->mappings and
   released by StageGive(). Local. */
PetscErrorCode MapRows(HDF5Data *d, int fd, hid_t dset, hid_t memtype, int64_t first, int64_t count, size_t row, uint64_t sum, void **rows)
{
  const size_t page  = (size_t)sysconf(_SC_PAGESIZE);
  const size_t bytes = (size_t)count * row;
  haddr_t      offset;
  size_t       start, skip, length;
  void        *map;

  PetscFunctionBegin;
  *rows = nullptr;
  if (!d->mapReads || fd < 0 || bytes == 0 || bytes < (size_t)d->mapMin) PetscFunctionReturn(PETSC_SUCCESS);
  {
    H5Handle dcpl(H5Dget_create_plist(dset), H5Pclose);
    H5Handle ftype(H5Dget_type(dset), H5Tclose);
    if (!dcpl.valid() || !ftype.valid() || H5Pget_layout(dcpl) != H5D_CONTIGUOUS || H5Pget_nfilters(dcpl) != 0 || H5Pget_external_count(dcpl) != 0 || H5Tequal(ftype, memtype) <= 0) PetscFunctionReturn(PETSC_SUCCESS);
  }
  offset = H5Dget_offset(dset);
  if (offset == HADDR_UNDEF) PetscFunctionReturn(PETSC_SUCCESS); /* not allocated, or not one extent */
  start  = (size_t)offset + (size_t)first * row; /* H5Dget_offset(): from the file's first byte, a user block included */
  skip   = start % page;
  length = skip + bytes;
  { /* a page past the end of the file cannot be read through a mapping (SIGBUS): a damaged or truncated file's
       dataset may claim bytes the file does not have; the read path reports it */
    struct stat st;
    if (fstat(fd, &st) != 0 || start + bytes < start || start + bytes > (size_t)st.st_size) PetscFunctionReturn(PETSC_SUCCESS);
  }
  map    = mmap(nullptr, length, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, (off_t)(start - skip));
  if (map == MAP_FAILED) PetscFunctionReturn(PETSC_SUCCESS);
  if (XXH3_64bits(static_cast<char *>(map) + skip, bytes) != sum) { /* read it instead: that read decides */
    (void)munmap(map, length);
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  *rows = static_cast<char *>(map) + skip;
  PetscCallCXX(d->mappings.emplace(*rows, std::make_pair(map, length)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* If storage is mapped rows, unmap them; *was: it was. */
PetscErrorCode Unmap(HDF5Data *d, void *storage, bool *was)
{
  auto it = d->mappings.find(storage);

  PetscFunctionBegin;
  *was = it != d->mappings.end();
  if (*was) {
    PetscCheck(munmap(it->second.first, it->second.second) == 0, PETSC_COMM_SELF, PETSC_ERR_SYS, "munmap of a restored dataset failed");
    d->mappings.erase(it);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot::hdf5

#endif
