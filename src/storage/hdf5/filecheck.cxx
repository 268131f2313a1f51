/* The whole-file seal of the hdf5 type (seal.h), collectively: appended by rank 0 once a capture's file is complete,
   verified by rank 0 before any rank lets HDF5 parse the file; the other ranks open only the file rank 0 verified. */
#include "hdf5impl.hpp"
#include "seal.h"

#if defined(PETSC_HAVE_HDF5)
  #include <cerrno>
  #include <cstring>
  #include <fcntl.h>
  #include <unistd.h>
  #include <sys/stat.h>
  #include <petsctime.h>
  #include "../../include/collective.hpp"

namespace petscsnapshot::hdf5
{

PetscErrorCode SealFile(MPI_Comm comm, const std::string &file)
{
  PetscMPIInt   rank;
  LocalFailures lf(comm, "PetscSnapshotCapture");

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    PetscLogDouble t0, t1;

    PetscCall(PetscTime(&t0));
    if (PetscSnapshotSealFile(file.c_str()) != 0) lf.Fail("cannot seal " + file + " (append its whole-file checksum): " + std::strerror(errno), PETSC_ERR_FILE_WRITE);
    PetscCall(PetscTime(&t1));
    if (!lf.Failed()) PetscCall(PetscInfo(nullptr, "sealed %s (its whole-file checksum appended) in %.6f s\n", file.c_str(), (double)(t1 - t0)));
  }
  PetscCall(lf.Agree());
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* What identifies a file across the ranks (also on a shared file system, where the device number may differ from node
   to node): inode, size, modification time. All zero: none (rank 0 did not verify a file). */
static void Identify(int fd, int64_t id[4])
{
  struct stat st;

  id[0] = id[1] = id[2] = id[3] = 0;
  if (fstat(fd, &st) != 0) return;
  id[0] = (int64_t)st.st_ino;
  id[1] = (int64_t)st.st_size;
  id[2] = (int64_t)st.st_mtim.tv_sec;
  id[3] = (int64_t)st.st_mtim.tv_nsec;
}

/* Does the file begin with HDF5's signature (read as bytes: HDF5 does not parse an unsealed file)? A user block before
   it is not looked for: such a file without a seal is refused either way. */
static bool IsHDF5(int fd)
{
  static const unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  unsigned char              head[8];

  return pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) && std::memcmp(head, signature, sizeof(head)) == 0;
}

/* The file this process verified last, and that it had not changed since (see StableFileToken()) */
static uint64_t lastSealed = 0;

PetscErrorCode VerifySeal(MPI_Comm comm, const std::string &file, const char caller[], bool again, SealedFile *sealed)
{
  PetscMPIInt   rank;
  LocalFailures lf(comm, caller);

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  for (int64_t &v : sealed->id) v = 0;
  if (rank == 0) {
    int fd = open(file.c_str(), O_RDONLY);

    if (fd >= 0) { /* a missing or unreadable file: the caller's checks name it */
      uint64_t                token = StableFileToken(file), covered = 0;
      PetscSnapshotSealStatus st    = PETSCSNAPSHOT_SEAL_OK;
      PetscLogDouble          t0, t1;

      PetscCall(PetscTime(&t0));
      PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_H5Verify, 0, 0, 0, 0));
      if (again || !token || token != lastSealed) st = PetscSnapshotSealCheckFd(fd, &covered);
      else PetscCall(PetscInfo(nullptr, "%s: the whole-file checksum of %s was verified by this process and the file has not changed since\n", caller, file.c_str()));
      PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_H5Verify, 0, 0, 0, 0));
      PetscCall(PetscTime(&t1));
      switch (st) {
      case PETSCSNAPSHOT_SEAL_OK:
        Identify(fd, sealed->id);
        if (covered) PetscCall(PetscInfo(nullptr, "%s: the whole-file checksum of %s verified: %.0f bytes in %.6f s\n", caller, file.c_str(), (double)covered, (double)(t1 - t0)));
        lastSealed = token;
        break;
      case PETSCSNAPSHOT_SEAL_NONE:
        if (!IsHDF5(fd)) lf.Fail(file + " is not a petsc-snapshot file: it has no petsc-snapshot seal and is not a readable HDF5 file; it is not read", PETSC_ERR_FILE_UNEXPECTED);
        else
          lf.Fail(file + " is not a petsc-snapshot file of schema " + std::to_string(schemaVersion) + ": it has no petsc-snapshot seal (the whole-file checksum after its HDF5 data). It was written by an older petsc-snapshot (schema 2 or earlier: re-create the checkpoint with this version), or by another program, or it is truncated; it is not read", PETSC_ERR_FILE_UNEXPECTED);
        break;
      case PETSCSNAPSHOT_SEAL_DAMAGED:
        lf.Fail(file + ": its petsc-snapshot seal (the whole-file checksum at its end) is damaged or does not fit the file's length: the file is damaged; it is not read", PETSC_ERR_FILE_UNEXPECTED);
        break;
      case PETSCSNAPSHOT_SEAL_MISMATCH:
        lf.Fail(file + ": whole-file checksum mismatch (its seal): the file is damaged; it is not read", PETSC_ERR_FILE_UNEXPECTED);
        break;
      default:
        lf.Fail(file + " cannot be read to verify its whole-file checksum: " + std::strerror(errno), PETSC_ERR_FILE_READ);
      }
      if (st != PETSCSNAPSHOT_SEAL_OK) lastSealed = 0;
      (void)close(fd);
    }
  }
  PetscCall(lf.Agree());
  PetscCallMPI(MPI_Bcast(sealed->id, 4, MPI_INT64_T, 0, comm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

bool SealedFile::Is(const std::string &file) const
{
  int64_t now[4];
  int     fd = open(file.c_str(), O_RDONLY);

  if (fd < 0) return false;
  Identify(fd, now);
  (void)close(fd);
  return (id[0] || id[1]) && std::memcmp(now, id, sizeof(now)) == 0;
}

} // namespace petscsnapshot::hdf5

#endif
