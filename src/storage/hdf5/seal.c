/* See seal.h. */
#include "seal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "xxh3.h"

static const unsigned char sealMagic[8] = {'P', 'S', 'N', 'P', 'S', 'E', 'A', 'L'};
enum { sealVersion = 1 };
/* bytes read and hashed at a time: still in cache when XXH3 reads them */
static const size_t sealBlock = (size_t)1 << 20;

static void Put32(unsigned char *p, uint32_t v)
{
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static void Put64(unsigned char *p, uint64_t v)
{
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t Get32(const unsigned char *p)
{
  uint32_t v = 0;
  for (int i = 3; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}
static uint64_t Get64(const unsigned char *p)
{
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

/* every byte of [at, at + n), or -1 (errno set; EIO for a short file) */
static int ReadAll(int fd, void *buf, size_t n, uint64_t at)
{
  char *p = (char *)buf;
  while (n > 0) {
    ssize_t got = pread(fd, p, n, (off_t)at);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      if (got == 0) errno = EIO;
      return -1;
    }
    p += got;
    n -= (size_t)got;
    at += (uint64_t)got;
  }
  return 0;
}

/* XXH3-64 of bytes [begin, begin + n) of fd: hashed where they are, in the page cache, through a read-only mapping
   (no copy: about 3 times faster than reading them, for a 64 MB file); read in blocks of sealBlock if the file cannot
   be mapped. -1 on a read error. */
static int HashRange(int fd, uint64_t begin, uint64_t n, uint64_t *sum)
{
  const uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
  const uint64_t skip = begin % page;
  XXH3_state_t  *state;
  char          *buf;
  int            rc = 0;
  void          *map;

  if (n == 0) {
    *sum = (uint64_t)XXH3_64bits("", 0);
    return 0;
  }
  map = (size_t)(n + skip) == n + skip ? mmap(NULL, (size_t)(n + skip), PROT_READ, MAP_SHARED | MAP_POPULATE, fd, (off_t)(begin - skip)) : MAP_FAILED;
  if (map != MAP_FAILED) {
    *sum = (uint64_t)XXH3_64bits((const char *)map + skip, (size_t)n);
    (void)munmap(map, (size_t)(n + skip));
    return 0;
  }
  state = XXH3_createState();
  buf   = (char *)malloc(sealBlock);
  if (!state || !buf || XXH3_64bits_reset(state) != XXH_OK) rc = -1;
  for (uint64_t at = 0; !rc && at < n; at += sealBlock) {
    size_t len = (size_t)(n - at < sealBlock ? n - at : sealBlock);
    if (ReadAll(fd, buf, len, begin + at) || XXH3_64bits_update(state, buf, len) != XXH_OK) rc = -1;
  }
  if (!rc) *sum = (uint64_t)XXH3_64bits_digest(state);
  free(buf);
  if (state) XXH3_freeState(state);
  return rc;
}

int PetscSnapshotSealFile(const char *path)
{
  unsigned char t[PETSCSNAPSHOT_SEAL_BYTES];
  struct stat   st;
  uint64_t      sum = 0;
  int           fd  = open(path, O_RDWR), rc = 0, saved;
  ssize_t       put;

  if (fd < 0) return -1;
  if (fstat(fd, &st) != 0 || HashRange(fd, 0, (uint64_t)st.st_size, &sum)) rc = -1;
  if (!rc) {
    memcpy(t, sealMagic, sizeof(sealMagic));
    Put32(t + 8, sealVersion);
    Put32(t + 12, PETSCSNAPSHOT_SEAL_BYTES);
    Put64(t + 16, (uint64_t)st.st_size);
    Put64(t + 24, sum);
    Put64(t + 32, (uint64_t)XXH3_64bits(t, 32));
    do put = pwrite(fd, t, sizeof(t), st.st_size);
    while (put < 0 && errno == EINTR);
    if (put != (ssize_t)sizeof(t)) {
      if (put >= 0) errno = ENOSPC;
      rc = -1;
    }
  }
  saved = errno;
  if (close(fd) != 0 && !rc) return -1;
  errno = saved;
  return rc;
}

/* The trailer at the end of fd, checked in itself: NONE, DAMAGED or OK with *covered and *sum; *size the file's */
static PetscSnapshotSealStatus ReadTrailer(int fd, uint64_t *size, uint64_t *covered, uint64_t *sum)
{
  unsigned char t[PETSCSNAPSHOT_SEAL_BYTES];
  struct stat   st;
  uint64_t      prefix;

  if (fstat(fd, &st) != 0) return PETSCSNAPSHOT_SEAL_IOERROR;
  *size = (uint64_t)st.st_size;
  if (*size < PETSCSNAPSHOT_SEAL_BYTES) return PETSCSNAPSHOT_SEAL_NONE;
  if (ReadAll(fd, t, sizeof(t), *size - PETSCSNAPSHOT_SEAL_BYTES)) return PETSCSNAPSHOT_SEAL_IOERROR;
  if (memcmp(t, sealMagic, sizeof(sealMagic)) != 0) return PETSCSNAPSHOT_SEAL_NONE;
  if (Get64(t + 32) != (uint64_t)XXH3_64bits(t, 32) || Get32(t + 8) != sealVersion || Get32(t + 12) != PETSCSNAPSHOT_SEAL_BYTES) return PETSCSNAPSHOT_SEAL_DAMAGED;
  *covered = Get64(t + 16);
  *sum     = Get64(t + 24);
  if (*covered > *size - PETSCSNAPSHOT_SEAL_BYTES) return PETSCSNAPSHOT_SEAL_DAMAGED;
  prefix = *size - PETSCSNAPSHOT_SEAL_BYTES - *covered; /* a user block put in front (h5jam): 512 bytes or a larger power of 2 */
  if (prefix != 0 && (prefix < 512 || (prefix & (prefix - 1)) != 0)) return PETSCSNAPSHOT_SEAL_DAMAGED;
  return PETSCSNAPSHOT_SEAL_OK;
}

PetscSnapshotSealStatus PetscSnapshotSealCheckFd(int fd, uint64_t *covered)
{
  uint64_t                size = 0, sum = 0, got = 0;
  PetscSnapshotSealStatus rc;

  *covered = 0;
  rc       = ReadTrailer(fd, &size, covered, &sum);
  if (rc != PETSCSNAPSHOT_SEAL_OK) return rc;
  if (HashRange(fd, size - PETSCSNAPSHOT_SEAL_BYTES - *covered, *covered, &got)) return PETSCSNAPSHOT_SEAL_IOERROR;
  return got == sum ? PETSCSNAPSHOT_SEAL_OK : PETSCSNAPSHOT_SEAL_MISMATCH;
}

PetscSnapshotSealStatus PetscSnapshotSealCheck(const char *path, uint64_t *covered)
{
  int                     fd = open(path, O_RDONLY), saved;
  PetscSnapshotSealStatus rc;

  *covered = 0;
  if (fd < 0) return PETSCSNAPSHOT_SEAL_IOERROR;
  rc    = PetscSnapshotSealCheckFd(fd, covered);
  saved = errno;
  (void)close(fd);
  errno = saved;
  return rc;
}

int PetscSnapshotUnsealFile(const char *path)
{
  uint64_t                size = 0, covered = 0, sum = 0;
  int                     fd   = open(path, O_RDWR), rc;
  PetscSnapshotSealStatus st;

  if (fd < 0) return -1;
  st = ReadTrailer(fd, &size, &covered, &sum);
  if (st == PETSCSNAPSHOT_SEAL_IOERROR) rc = -1;
  else if (st != PETSCSNAPSHOT_SEAL_OK) rc = 1;
  else rc = ftruncate(fd, (off_t)(size - PETSCSNAPSHOT_SEAL_BYTES)) == 0 ? 0 : -1;
  (void)close(fd);
  return rc;
}
