/* The seal of a snapshot file (schema 3): a 40-byte trailer appended after the HDF5 file once it is complete, holding
   an XXH3-64 checksum of every byte before it. A restore (and petscsnapshot-info) verifies it before HDF5 parses
   anything, so that damage anywhere (an object header, the superblock, a B-tree, PETSc's datasets) is refused instead
   of being read by HDF5, which does not check its own metadata and may crash on it. HDF5 ignores bytes after the end
   of its data. Layout (little-endian), see docs/file-format.md:
     0  8 bytes  magic "PSNPSEAL"
     8  uint32   seal version (1)
    12  uint32   trailer length (40)
    16  uint64   covered: the number of bytes sealed, those just before the trailer
    24  uint64   XXH3-64 of the covered bytes
    32  uint64   XXH3-64 of trailer bytes 0..31
   The covered bytes are the whole file before the trailer, or, after a user block was put in front of a sealed file
   (h5jam), the bytes after that user block (its length: 512 bytes or a larger power of two, as HDF5 requires).
   Plain C on POSIX and libxxhash: the library, the petscsnapshot-info tool and the tests share it. Local, serial. */
#ifndef PETSCSNAPSHOT_SEAL_H
#define PETSCSNAPSHOT_SEAL_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PETSCSNAPSHOT_SEAL_BYTES 40

typedef enum {
  PETSCSNAPSHOT_SEAL_OK = 0,
  PETSCSNAPSHOT_SEAL_NONE,     /* no trailer (written before schema 3, by another program, or truncated) */
  PETSCSNAPSHOT_SEAL_DAMAGED,  /* a trailer that is itself damaged, or that does not fit the file */
  PETSCSNAPSHOT_SEAL_MISMATCH, /* the covered bytes do not have the sealed checksum */
  PETSCSNAPSHOT_SEAL_IOERROR   /* the file cannot be opened or read (errno set) */
} PetscSnapshotSealStatus;

/* Append the seal over every byte the file has now. 0 on success, -1 with errno set. */
int PetscSnapshotSealFile(const char *path);
/* Verify the seal of the file open as fd (read-only is enough); *covered: the bytes it covers (0 if none). */
PetscSnapshotSealStatus PetscSnapshotSealCheckFd(int fd, uint64_t *covered);
PetscSnapshotSealStatus PetscSnapshotSealCheck(const char *path, uint64_t *covered);
/* Remove the seal (truncate the trailer) if the file ends with one whose own checksum is right: 0 removed, 1 none,
   -1 error. For tools and tests that change a sealed file on purpose and seal it again. */
int PetscSnapshotUnsealFile(const char *path);

#ifdef __cplusplus
}
#endif

#endif
