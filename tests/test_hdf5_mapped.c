static const char help[] = "The hdf5 type's restore of large datasets mapped from the file (-snapshot_hdf5_map_reads): bitwise exact\n"
                           "against the values captured and against a restore through staging buffers, a capture after such a\n"
                           "restore, a byte flipped in a mapped dataset refused with the Vec untouched, and a file with an HDF5\n"
                           "user block (h5jam) still mapped at the right offset. -n <doubles per rank, 200000>; run with\n"
                           "-snapshot_hdf5_test_map_min_bytes 1000000 (below the 1.6 MB per rank of the Vec, above the rest).\n";

#include <petscdmda.h>
#include <hdf5.h>
#include "testutil.h"

static PetscErrorCode CreateSnapshot(const char file[], const char prefix[], PetscSnapshot *snap)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
  if (prefix) PetscCall(PetscSnapshotSetOptionsPrefix(*snap, prefix));
  PetscCall(PetscSnapshotSetType(*snap, PETSCSNAPSHOTHDF5));
  PetscCall(PetscSnapshotHDF5SetFileName(*snap, file));
  PetscCall(PetscSnapshotSetFromOptions(*snap));
  PetscFunctionReturn(0);
}

static char names[8][80];
static int  nextName = 0;
static char (*fileNames)[64];
/* fileNames[i] with the extension ext (rotating buffers, enough for the calls of one statement) */
static const char *F(int i, const char ext[])
{
  char *s = names[nextName++ % 8];
  snprintf(s, sizeof(names[0]), "%s%s", fileNames[i], ext);
  return s;
}

typedef struct {
  haddr_t offset;
  hsize_t bytes;
} Largest;

static herr_t FindLargest(hid_t obj, const char *name, const H5O_info_t *info, void *ptr)
{
  Largest *l = (Largest *)ptr;

  if (info->type == H5O_TYPE_DATASET) {
    hid_t   d = H5Dopen2(obj, name, H5P_DEFAULT);
    hsize_t s = H5Dget_storage_size(d);

    if (s > l->bytes) {
      l->bytes  = s;
      l->offset = H5Dget_offset(d);
    }
    H5Dclose(d);
  }
  return 0;
}

/* Rank 0: copy src to dst with one byte flipped at 3/4 of the largest dataset (the last writer rank's rows). */
static PetscErrorCode FlipInLargest(const char src[], const char dst[])
{
  PetscMPIInt rank;
  PetscBool   ok = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    Largest l   = {HADDR_UNDEF, 0};
    hid_t   fid = H5Fopen(src, H5F_ACC_RDONLY, H5P_DEFAULT);
    char    cmd[4 * PETSC_MAX_PATH_LEN];

    if (fid >= 0) {
#if H5_VERSION_GE(1, 12, 0)
      H5Ovisit3(fid, H5_INDEX_NAME, H5_ITER_INC, FindLargest, &l, H5O_INFO_BASIC);
#else
      H5Ovisit(fid, H5_INDEX_NAME, H5_ITER_INC, FindLargest, &l);
#endif
      H5Fclose(fid);
    }
    PetscCall(PetscSNPrintf(cmd, sizeof(cmd), "cp %s %s", src, dst));
    if (l.offset != HADDR_UNDEF && system(cmd) == 0) {
      FILE *f   = fopen(dst, "r+b");
      long  at  = (long)(l.offset + 3 * l.bytes / 4);
      int   c   = EOF;

      if (f && fseek(f, at, SEEK_SET) == 0 && (c = fgetc(f)) != EOF && fseek(f, at, SEEK_SET) == 0 && fputc(c ^ 0x10, f) != EOF) ok = PETSC_TRUE;
      if (f) fclose(f);
    }
  } else ok = PETSC_TRUE;
  PetscCall(TestCheck(PETSC_COMM_WORLD, ok, "a byte of the largest dataset flipped in a copy of the file"));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  DM            dm;
  Vec           u, ref;
  PetscSnapshot snap, staged, bad, jammed;
  PetscInt      n = 200000, counter = 41, counterRef;
  PetscMPIInt   size, rank;
  PetscRandom   rnd;
  char          mapped[128], none[128], jammedLine[128], f[6][64], cmd[256];
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  { /* per rank count: the tests at 1, 2 and 3 ranks share a directory */
    const char *what[6] = {"mapped", "mapped-bad", "mapped-jammed", "mapped-ub", "mapped-view", "unused"};
    for (int i = 0; i < 6; i++) PetscCall(PetscSNPrintf(f[i], sizeof(f[i]), "%s-np%d", what[i], (int)size));
    fileNames = f;
  }
  PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, n * size, 1, 1, NULL, &dm));
  PetscCall(DMSetUp(dm));
  PetscCall(PetscObjectSetName((PetscObject)dm, "grid"));
  PetscCall(DMCreateGlobalVector(dm, &u));
  PetscCall(PetscRandomCreate(PETSC_COMM_WORLD, &rnd));
  PetscCall(PetscRandomSetSeed(rnd, 7 + (unsigned long)rank));
  PetscCall(PetscRandomSeed(rnd));
  PetscCall(VecSetRandom(u, rnd));
  PetscCall(PetscRandomDestroy(&rnd));
  PetscCall(VecDuplicate(u, &ref));
  PetscCall(PetscSnapshotDMAddState(dm, "field", (PetscObject)u));
  PetscCall(PetscSnapshotDMAddStateBytes(dm, "counter", &counter, sizeof(counter), 1)); /* small: read, not mapped */
  /* the view line of a restore in which exactly the Vec's rows were mapped, one dataset per rank */
  PetscCall(PetscSNPrintf(mapped, sizeof(mapped), "last restore, all ranks: %d datasets (%.0f bytes) mapped from the file", (int)size, 8.0 * (double)n * size));
  PetscCall(PetscSNPrintf(none, sizeof(none), "last restore, all ranks: 0 datasets (0 bytes) mapped from the file"));

  /* 1. capture; restore through the mapping */
  PetscCall(CreateSnapshot(F(0, ".h5"), NULL, &snap));
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(VecCopy(u, ref));
  counterRef = counter;
  PetscCall(VecSet(u, -1.0));
  counter = 0;
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(TestVecEqual(u, ref, "restore of a mapped dataset is bitwise exact"));
  PetscCall(TestCheck(PETSC_COMM_WORLD, counter == counterRef ? PETSC_TRUE : PETSC_FALSE, "the small state beside it is restored"));
  {
    const char *want[] = {mapped, NULL};
    PetscCall(TestViewContains(snap, F(4, "1.txt"), want, "the Vec's rows were mapped on every rank, nothing else"));
  }

  /* 2. the same file through staging buffers */
  PetscCall(PetscOptionsSetValue(NULL, "-staged_snapshot_hdf5_map_reads", "false"));
  PetscCall(CreateSnapshot(F(0, ".h5"), "staged_", &staged));
  PetscCall(VecSet(u, -2.0));
  PetscCall(PetscSnapshotRestore(staged, dm));
  PetscCall(TestVecEqual(u, ref, "restore through staging buffers (-snapshot_hdf5_map_reads false) gives the same bits"));
  {
    const char *want[] = {none, NULL};
    PetscCall(TestViewContains(staged, F(4, "2.txt"), want, "-snapshot_hdf5_map_reads false maps nothing"));
  }

  /* 3. a capture after a mapped restore writes new staging buffers (the mapping is read-only), then restores */
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(VecShift(u, 1.0));
  PetscCall(VecCopy(u, ref));
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(VecSet(u, 0.0));
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(TestVecEqual(u, ref, "capture after a mapped restore, then restore: bitwise exact"));

  /* 4. a byte flipped in the mapped dataset: refused on every rank, the Vec untouched */
  PetscCall(FlipInLargest(F(0, ".h5"), F(1, ".h5")));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(CreateSnapshot(F(1, ".h5"), NULL, &bad));
  PetscCall(VecSet(u, 7.0));
  PetscCall(VecCopy(u, ref));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(bad, dm), "checksum mismatch", "a flipped byte in a mapped dataset is refused on every rank");
  PetscCall(TestVecEqual(u, ref, "the refused restore wrote nothing"));

  /* 5. a user block before the HDF5 data (h5jam): the datasets' addresses are relative to its end */
  if (rank == 0) {
    FILE *ub = fopen(F(3, ".txt"), "w");
    int   rc;

    if (ub) {
      fputs("a user block written by test_hdf5_mapped\n", ub);
      fclose(ub);
    }
    (void)remove(F(2, ".h5"));
    PetscCall(PetscSNPrintf(cmd, sizeof(cmd), "h5jam -i %s.h5 -u %s.txt -o %s.h5 > /dev/null", f[0], f[3], f[2]));
    rc = system(cmd);
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "h5jam exit status %d\n", rc));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(CreateSnapshot(F(2, ".h5"), NULL, &jammed));
  PetscCall(VecSet(u, 3.0));
  PetscCall(PetscSnapshotRestore(snap, dm)); /* the reference: the file's values */
  PetscCall(VecCopy(u, ref));
  PetscCall(VecSet(u, 3.0));
  PetscCall(PetscSnapshotRestore(jammed, dm));
  PetscCall(TestVecEqual(u, ref, "a file with a user block restores bitwise exact"));
  PetscCall(PetscStrncpy(jammedLine, mapped, sizeof(jammedLine)));
  {
    const char *want[] = {jammedLine, NULL};
    PetscCall(TestViewContains(jammed, F(4, "3.txt"), want, "... and its datasets were mapped at the right offsets (HDF5 addresses include the user block)"));
  }

  PetscCall(PetscSnapshotDestroy(&jammed));
  PetscCall(PetscSnapshotDestroy(&bad));
  PetscCall(PetscSnapshotDestroy(&staged));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscSnapshotDMRemoveState(dm, "field"));
  PetscCall(PetscSnapshotDMRemoveState(dm, "counter"));
  PetscCall(VecDestroy(&ref));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&dm));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
