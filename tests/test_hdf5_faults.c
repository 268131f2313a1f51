static const char help[] = "Faults of the hdf5 type: corrupted files (-mode corrupt), one-bit flips of a sealed file and behind its seal (-mode sweep:\n"
                           "-flips 200 over the file, -header_flips 3 in each object header, -data_flips 120 in dataset values sealed again),\n"
                           "DM names with '/' (-mode names), empty swarms (-mode empty), a series written by two processes\n"
                           "(-mode series -phase 1|2), what a file holds (-mode info), failures on one rank and missing\n"
                           "directories (-mode failures), a full disk (-mode diskfull -dir D), a read-only directory (-mode readonly -dir D).\n";

#include <petscviewerhdf5.h>
#include <petscdmda.h>
#include <hdf5.h>
#include <unistd.h>
#include <fcntl.h>
#include "heatutil.h"
#include "swarmutil.h"
#include "hdf5sim.h"
#include "resealutil.h"

static PetscMPIInt rank, size;

/* object information with the address of its header (H5O_info1_t from HDF5 1.12 on) */
#if H5_VERSION_GE(1, 12, 0)
typedef H5O_info1_t TestObjectInfo;
#else
typedef H5O_info_t TestObjectInfo;
#endif

static PetscErrorCode SimCreate(Sim *s)
{
  return SimCreateVariant(5, SWARM_STANDARD, s);
}

static PetscBool Exists(const char file[])
{
  return access(file, F_OK) == 0 ? PETSC_TRUE : PETSC_FALSE;
}

/* Whether a file exists, as rank 0 sees it, on every rank. */
static PetscErrorCode ExistsAll(const char file[], PetscBool *exists)
{
  PetscFunctionBeginUser;
  *exists = rank == 0 ? Exists(file) : PETSC_FALSE;
  PetscCallMPI(MPI_Bcast(exists, 1, EXAMPLE_MPI_BOOL, 0, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* rank 0: copy a file */
static PetscErrorCode CopyFile(const char from[], const char to[])
{
  PetscFunctionBeginUser;
  if (rank == 0) {
    FILE  *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char   buf[65536];
    size_t len;
    PetscCheck(in && out, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot copy %s", from);
    while ((len = fread(buf, 1, sizeof(buf), in)) > 0) PetscCheck(fwrite(buf, 1, len, out) == len, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "copy");
    fclose(in);
    fclose(out);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* rank 0: file offset of a dataset's data, and its rank counts */
static PetscErrorCode DataOffset(const char file[], const char dset[], long *offset)
{
  PetscFunctionBeginUser;
  *offset = -1;
  if (rank == 0) {
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT), d = H5Dopen2(f, dset, H5P_DEFAULT);
    *offset = (long)H5Dget_offset(d);
    H5Dclose(d);
    H5Fclose(f);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadBytes(const char file[], long at, void *bytes, size_t n)
{
  FILE *io = fopen(file, "rb");
  PetscFunctionBeginUser;
  PetscCheck(io && fseek(io, at, SEEK_SET) == 0 && fread(bytes, 1, n, io) == n, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "read %s", file);
  fclose(io);
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteBytes(const char file[], long at, const void *bytes, size_t n)
{
  FILE *io = fopen(file, "r+b");
  PetscFunctionBeginUser;
  PetscCheck(io && fseek(io, at, SEEK_SET) == 0 && fwrite(bytes, 1, n, io) == n, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "write %s", file);
  fclose(io);
  PetscFunctionReturn(0);
}

/* rank 0: XOR mask into the byte at offset */
static PetscErrorCode FlipBits(const char file[], long at, unsigned char mask)
{
  unsigned char c;
  PetscFunctionBeginUser;
  PetscCall(ReadBytes(file, at, &c, 1));
  c ^= mask;
  PetscCall(WriteBytes(file, at, &c, 1));
  PetscFunctionReturn(0);
}

/* rank 0: rewrite a string attribute of an object (same length) */
static PetscErrorCode SetStringAttribute(const char file[], const char obj[], const char name[], const char value[])
{
  PetscFunctionBeginUser;
  if (rank == 0) {
    hid_t f, o, a, t;
    PetscCall(TestUnseal(file)); /* HDF5 cuts a file it opens for writing to its own data */
    f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT), o = H5Oopen(f, obj, H5P_DEFAULT), a = H5Aopen(o, name, H5P_DEFAULT), t = H5Aget_type(a);
    PetscCheck(f >= 0 && o >= 0 && a >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "attribute %s of %s", name, obj);
    H5Awrite(a, t, value);
    H5Tclose(t);
    H5Aclose(a);
    H5Oclose(o);
    H5Fclose(f);
    PetscCall(TestReseal(file)); /* damage behind the seal */
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

static PetscErrorCode SetIntAttribute(const char file[], const char obj[], const char name[], int value)
{
  PetscFunctionBeginUser;
  if (rank == 0) {
    hid_t f, o, a;
    PetscCall(TestUnseal(file));
    f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT), o = H5Oopen(f, obj, H5P_DEFAULT), a = H5Aopen(o, name, H5P_DEFAULT);
    PetscCheck(f >= 0 && o >= 0 && a >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "attribute %s of %s", name, obj);
    H5Awrite(a, H5T_NATIVE_INT, &value);
    H5Aclose(a);
    H5Oclose(o);
    H5Fclose(f);
    PetscCall(TestReseal(file));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* A simulation after 1 step captured into file, then 2 more steps: the live state differs from the file's. */
static PetscErrorCode SimWithFile(const char file[], Sim *s, Copy *atCapture)
{
  PetscSnapshot snap;
  PetscFunctionBeginUser;
  PetscCall(SimCreate(s));
  PetscCall(SimSteps(s, 1));
  PetscCall(HDF5Snapshot(file, &snap));
  PetscCall(PetscSnapshotCapture(snap, s->heat.dm));
  PetscCall(PetscSnapshotDestroy(&snap));
  if (atCapture) PetscCall(CopyGet(s, atCapture));
  PetscCall(SimSteps(s, 2));
  PetscFunctionReturn(0);
}

/* ---- -mode corrupt: damaged datasets and attributes, schema 1, files deleted or replaced after capture */
static PetscErrorCode Corrupt(void)
{
  Sim         s;
  const char *solution = "/entries/mesh/state/solution";
  long        off      = -1;

  PetscFunctionBeginUser;
  PetscCall(SimWithFile("good.h5", &s, NULL));
  PetscCall(DataOffset("good.h5", solution, &off));
  /* issue 21, item 8: one bit of the object header of a small dataset (a SEGV inside HDF5 before the seal): refused
     before HDF5 parses the file. The damaged files below (a) to (c), lastrank, ptype and schema1 are sealed again:
     damage from before the seal, refused by the checks behind it. */
  PetscCall(CopyFile("good.h5", "header.h5"));
  if (rank == 0) {
    hid_t       f = H5Fopen("header.h5", H5F_ACC_RDONLY, H5P_DEFAULT);
    TestObjectInfo info;
    PetscCheck(f >= 0 && H5Oget_info_by_name1(f, "/entries/mesh/state/counters#version", &info, H5P_DEFAULT) >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "object header");
    H5Fclose(f);
    PetscCall(FlipBits("header.h5", (long)info.addr + 5, 0x10));
  }
  PetscCall(ExpectFileRefusal(&s, "header.h5", "header.h5: whole-file checksum mismatch (its seal): the file is damaged; it is not read", "a bit flipped in the object header of a dataset is refused before HDF5 reads the file"));
  /* (a) one bit of one value */
  PetscCall(CopyFile("good.h5", "flip1.h5"));
  if (rank == 0) PetscCall(FlipBits("flip1.h5", off + 8 * 3 + 2, 0x01));
  if (rank == 0) PetscCall(TestReseal("flip1.h5"));
  PetscCall(ExpectFileRefusal(&s, "flip1.h5", "dataset /entries/mesh/state/solution: checksum mismatch", "(a) one bit flipped in a value is refused"));
  /* (b) the same bit (the sign) flipped in two words: two values negated, which FNV-1a over words did not see */
  PetscCall(CopyFile("good.h5", "flip2.h5"));
  if (rank == 0) {
    PetscCall(FlipBits("flip2.h5", off + 8 * 1 + 7, 0x80));
    PetscCall(FlipBits("flip2.h5", off + 8 * 4 + 7, 0x80));
    PetscCall(TestReseal("flip2.h5"));
  }
  PetscCall(ExpectFileRefusal(&s, "flip2.h5", "dataset /entries/mesh/state/solution: checksum mismatch", "(b) the same bit flipped in two words of a dataset is refused"));
  /* (c) two aligned 8-byte words swapped (two different values) */
  PetscCall(CopyFile("good.h5", "swap.h5"));
  if (rank == 0) {
    unsigned char a[8], b[8];
    int           j = 5;
    PetscCall(ReadBytes("swap.h5", off + 8 * 2, a, 8));
    for (; j < 30; j++) {
      PetscCall(ReadBytes("swap.h5", off + 8 * j, b, 8));
      if (memcmp(a, b, 8)) break;
    }
    PetscCheck(j < 30, PETSC_COMM_SELF, PETSC_ERR_PLIB, "no two different values to swap");
    PetscCall(WriteBytes("swap.h5", off + 8 * 2, b, 8));
    PetscCall(WriteBytes("swap.h5", off + 8 * j, a, 8));
    PetscCall(TestReseal("swap.h5"));
  }
  PetscCall(ExpectFileRefusal(&s, "swap.h5", "dataset /entries/mesh/state/solution: checksum mismatch", "(c) two aligned words of a dataset swapped is refused"));
  /* rows of the last rank only: its check fails, the others' pass, and still every rank refuses */
  PetscCall(CopyFile("good.h5", "lastrank.h5"));
  if (rank == 0) {
    hid_t   f = H5Fopen("lastrank.h5", H5F_ACC_RDONLY, H5P_DEFAULT), d = H5Dopen2(f, solution, H5P_DEFAULT), a = H5Aopen(d, "counts", H5P_DEFAULT);
    int64_t counts[16], before = 0;
    H5Aread(a, H5T_NATIVE_INT64, counts);
    for (int r = 0; r < size - 1; r++) before += counts[r];
    H5Aclose(a);
    H5Dclose(d);
    H5Fclose(f);
    PetscCall(FlipBits("lastrank.h5", off + 8 * (long)before + 3, 0x04));
    PetscCall(TestReseal("lastrank.h5"));
  }
  PetscCall(ExpectFileRefusal(&s, "lastrank.h5", "checksum mismatch", "a flipped bit in the last rank's rows only is refused on every rank"));
  /* issue 10, item 1: a one-bit change of a petsc_type attribute ("INT" -> "INU") */
  PetscCall(CopyFile("good.h5", "ptype.h5"));
  PetscCall(SetStringAttribute("ptype.h5", "/entries/mesh/state/counters#version", "petsc_type", "INU"));
  PetscCall(ExpectFileRefusal(&s, "ptype.h5", "dataset /entries/mesh/state/counters#version lacks valid attributes", "a flipped petsc_type attribute is refused collectively (no hang)"));
  /* schema 1 (FNV-1a checksums) */
  PetscCall(CopyFile("good.h5", "schema1.h5"));
  PetscCall(SetIntAttribute("schema1.h5", "/", "schema_version", 1));
  PetscCall(ExpectFileRefusal(&s, "schema1.h5", "schema1.h5 has schema version 1, written by an older petsc-snapshot whose checksums (FNV-1a over words) could not detect a bit flipped at the same position in two words; it is refused: re-create the checkpoint", "a schema-1 file is refused with the reason"));
  /* deleted, or replaced, between capture and restore (the same snapshot object) */
  {
    PetscSnapshot snap;
    Copy          before;
    PetscBool     eq;
    PetscCall(HDF5Snapshot("moved.h5", &snap));
    PetscCall(PetscSnapshotCapture(snap, s.heat.dm));
    PetscCall(SimSteps(&s, 1));
    PetscCall(CopyGet(&s, &before));
    if (rank == 0) PetscCheck(!remove("moved.h5"), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "remove");
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, s.heat.dm), "snapshot file moved.h5 does not exist", "a file deleted between capture and restore is refused");
    PetscCall(CopyFile("flip2.h5", "moved.h5"));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, s.heat.dm), "checksum mismatch", "a file replaced by a damaged one between capture and restore is refused");
    PetscCall(CopyFile(__FILE__, "moved.h5"));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, s.heat.dm), "moved.h5 is not a petsc-snapshot file: it has no petsc-snapshot seal and is not a readable HDF5 file", "a file replaced by a text file between capture and restore is refused");
    PetscCall(CopyEqual(&s, &before, &eq));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "after the three refusals the simulation is untouched"));
    PetscCall(CopyFree(&before));
    PetscCall(PetscSnapshotDestroy(&snap));
  }
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* Like CopyEqual(), without allocating (the sweep compares thousands of times under -malloc_debug). */
static PetscErrorCode SameAsCopy(Sim *s, Copy *c, PetscBool *equal)
{
  const PetscScalar *a, *b;
  PetscInt           n, m, np;
  PetscReal          t;
  PetscInt           step;
  size_t             off = 0;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(s->heat.u, &n));
  PetscCall(VecGetLocalSize(c->u, &m));
  *equal = (PetscBool)(n == m);
  if (*equal) {
    PetscCall(VecGetArrayRead(s->heat.u, &a));
    PetscCall(VecGetArrayRead(c->u, &b));
    *equal = (PetscBool)(!n || !memcmp(a, b, (size_t)n * sizeof(PetscScalar)));
    PetscCall(VecRestoreArrayRead(s->heat.u, &a));
    PetscCall(VecRestoreArrayRead(c->u, &b));
  }
  PetscCall(DMSwarmGetLocalSize(s->sw, &np));
  if (np != c->particles.n) *equal = PETSC_FALSE;
  for (int f = 0; *equal && f < NSWARMFIELDS; f++) {
    size_t fb;
    void  *data;
    PetscCall(FieldBytes(s->sw, swarmFields[f], &fb));
    PetscCall(GetField(s->sw, swarmFields[f], &data)); /* the cell-id field's name depends on the PETSc version */
    if (np && memcmp(c->particles.bytes + off, data, fb * np)) *equal = PETSC_FALSE;
    PetscCall(RestoreField(s->sw, swarmFields[f], &data));
    off += fb * np;
  }
  PetscCall(TSGetTime(s->heat.ts, &t));
  PetscCall(TSGetStepNumber(s->heat.ts, &step));
  if (memcmp(&s->counters, &c->counters, sizeof(Counters)) || t != c->t || step != c->step) *equal = PETSC_FALSE;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, equal, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* ---- -mode sweep: single bits flipped in a sealed file (a sample spread over the whole file, and a sample of every
   object header: datasets, groups, the root), each refused before HDF5 parses the file, on every rank, with the state
   untouched, by the restore and by PetscSnapshotHDF5Verify() (what petscsnapshot-info --verify runs) alike; and bits
   flipped in the values of every /entries dataset with the file sealed again (damage from before the seal): refused by
   the dataset checksums or restoring the captured state bitwise, never a silent corruption. */
#define SWEEP_MAX_RANGES 1024
typedef struct {
  long start[SWEEP_MAX_RANGES], len[SWEEP_MAX_RANGES];
  int  n, datasets;
} Ranges;

/* every object's header, and (datasets of /entries) its values' extent in the file */
static herr_t AddObject(hid_t root, const char *name, const TestObjectInfo *info, void *data)
{
  Ranges *r = (Ranges *)data;
  if (r->n >= SWEEP_MAX_RANGES) return 0;
  if (!r->datasets) {
    r->start[r->n] = (long)info->addr;
    r->len[r->n++] = info->hdr.space.total > 0 ? (long)info->hdr.space.total : 16;
  } else if (info->type == H5O_TYPE_DATASET && !strncmp(name, "entries/", 8)) {
    hid_t   d      = H5Dopen2(root, name, H5P_DEFAULT);
    haddr_t offset = d >= 0 ? H5Dget_offset(d) : HADDR_UNDEF;
    hsize_t bytes  = d >= 0 ? H5Dget_storage_size(d) : 0;
    if (offset != HADDR_UNDEF && bytes > 0) {
      r->start[r->n] = (long)offset;
      r->len[r->n++] = (long)bytes;
    }
    if (d >= 0) H5Dclose(d);
  }
  return 0;
}

/* rank 0: the object headers (datasets 0) or the /entries datasets' values (datasets 1) of file */
static PetscErrorCode FindRanges(const char file[], int datasets, Ranges *r)
{
  PetscFunctionBeginUser;
  r->n        = 0;
  r->datasets = datasets;
  if (rank == 0) {
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    PetscCheck(f >= 0 && H5Ovisit1(f, H5_INDEX_NAME, H5_ITER_INC, AddObject, r) >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "visit %s", file);
    H5Fclose(f);
  }
  PetscFunctionReturn(0);
}

typedef struct {
  PetscInt flips, refused, bySeal, identical, silent, damaged, incoherent, disagree;
} SweepCount;

/* One flip of bit mask at byte at of a copy of the good file (bytes of it), sealed again if reseal; restore and verify. */
static PetscErrorCode FlipOne(Sim *s, Copy *file, Copy *live, PetscSnapshot mem, PetscSnapshot bad, const unsigned char *good, long bytes, long at, unsigned char mask, PetscBool reseal, PetscBool verbose, SweepCount *c)
{
  PetscErrorCode ierr, vierr;
  int            failed[4];
  PetscBool      eq, seal = PETSC_FALSE;

  PetscFunctionBeginUser;
  if (rank == 0) {
    FILE *f = fopen("sweep-bad.h5", "wb");
    PetscCheck(f && fwrite(good, 1, (size_t)bytes, f) == (size_t)bytes && !fclose(f), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "write sweep-bad.h5");
    PetscCall(FlipBits("sweep-bad.h5", at, mask));
    if (reseal) PetscCall(TestReseal("sweep-bad.h5"));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr  = PetscSnapshotRestore(bad, s->heat.dm);
  vierr = PetscSnapshotHDF5Verify(bad);
  PetscCall(PetscPopErrorHandler());
  if (ierr) {
    const char      *text;
    ExampleErrorText msg = NULL;
    PetscCall(PetscErrorMessage(ierr, &text, &msg));
    seal = (PetscBool)(msg && (strstr(msg, "whole-file checksum") || strstr(msg, "seal")));
    if (verbose) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  byte %ld bit 0x%02x: %s\n", at, (unsigned)mask, msg ? msg : text));
  }
  failed[0] = ierr ? 1 : 0;
  failed[1] = -failed[0];
  failed[2] = (ierr ? 1 : 0) != (vierr ? 1 : 0);
  failed[3] = seal ? 1 : 0;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, failed, 4, MPI_INT, MPI_MAX, PETSC_COMM_WORLD));
  c->flips++;
  if (failed[0] != -failed[1]) c->incoherent++; /* refused on some ranks only */
  if (failed[2]) c->disagree++;
  if (failed[0]) {
    c->refused++;
    if (failed[3]) c->bySeal++;
    PetscCall(SameAsCopy(s, live, &eq));
    if (!eq) c->damaged++;
  } else {
    PetscCall(SameAsCopy(s, file, &eq));
    if (eq) c->identical++;
    else {
      c->silent++;
      PetscCall(PetscPrintf(PETSC_COMM_SELF, "  silent corruption: bit 0x%02x of byte %ld\n", (unsigned)mask, at));
    }
  }
  if (!failed[0] || !eq) PetscCall(PetscSnapshotRestore(mem, s->heat.dm));
  PetscFunctionReturn(0);
}

static PetscErrorCode Sweep(void)
{
  Sim            s;
  Copy           file, live;
  PetscSnapshot  mem, bad;
  PetscInt       flips = 200, headerFlips = 3, dataFlips = 120;
  SweepCount     sealed = {0}, behind = {0};
  long           bytes  = 0;
  unsigned long  seed   = 12345;
  PetscBool      verbose = PETSC_FALSE;
  unsigned char *good    = NULL;
  Ranges        *headers, *values;
  int            nh = 0, nv = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-flips", &flips, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-header_flips", &headerFlips, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-data_flips", &dataFlips, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-verbose", &verbose, NULL));
  PetscCall(SimWithFile("sweep-good.h5", &s, &file));
  PetscCall(CopyGet(&s, &live));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &mem)); /* puts the live state back after a successful restore */
  PetscCall(PetscSnapshotCapture(mem, s.heat.dm));
  PetscCall(PetscNew(&headers));
  PetscCall(PetscNew(&values));
  PetscCall(FindRanges("sweep-good.h5", 0, headers));
  PetscCall(FindRanges("sweep-good.h5", 1, values));
  nh = headers->n;
  nv = values->n;
  PetscCallMPI(MPI_Bcast(&nh, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Bcast(&nv, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  if (rank == 0) {
    FILE *f = fopen("sweep-good.h5", "rb");
    PetscCheck(f && !fseek(f, 0, SEEK_END), PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "size");
    bytes = ftell(f);
    PetscCall(PetscMalloc1(bytes, &good));
    PetscCheck(!fseek(f, 0, SEEK_SET) && fread(good, 1, (size_t)bytes, f) == (size_t)bytes, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "read");
    fclose(f);
  }
  PetscCallMPI(MPI_Bcast(&bytes, 1, MPI_LONG, 0, PETSC_COMM_WORLD));
  PetscCall(HDF5Snapshot("sweep-bad.h5", &bad));
  /* the positions are drawn on rank 0 and broadcast: every rank flips nothing, restores alike */
#define SWEEP_FLIP(range_start, range_len, i, n, reseal, count) \
  do { \
    long          at_   = 0; \
    unsigned char mask_ = 0; \
    if (rank == 0) { \
      long stride_ = (range_len) / (n) > 0 ? (range_len) / (n) : 1; \
      seed         = seed * 6364136223846793005UL + 1442695040888963407UL; \
      at_          = (range_start) + (long)((i) * (range_len) / (n)) + (long)((seed >> 33) % (unsigned long)stride_); \
      if (at_ >= (range_start) + (range_len)) at_ = (range_start) + (range_len) - 1; \
      mask_ = (unsigned char)(1u << ((seed >> 20) & 7)); \
    } \
    PetscCall(FlipOne(&s, &file, &live, mem, bad, good, bytes, at_, mask_, reseal, verbose, count)); \
  } while (0)
  for (PetscInt i = 0; i < flips; i++) SWEEP_FLIP(0L, bytes, i, flips, PETSC_FALSE, &sealed); /* the whole file, seal included */
  for (int h = 0; h < nh; h++)
    for (PetscInt i = 0; i < headerFlips; i++) SWEEP_FLIP(rank == 0 ? headers->start[h] : 0, rank == 0 ? headers->len[h] : 1, i, headerFlips, PETSC_FALSE, &sealed);
  for (PetscInt i = 0; i < dataFlips && nv > 0; i++) {
    int k = (int)(i % nv);
    SWEEP_FLIP(rank == 0 ? values->start[k] : 0, rank == 0 ? values->len[k] : 1, i / nv, (dataFlips + nv - 1) / nv, PETSC_TRUE, &behind);
  }
#undef SWEEP_FLIP
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "sweep of the sealed file: %" PetscInt_FMT " single-bit flips over a %ld-byte file on %d ranks (%" PetscInt_FMT " spread over the file, %" PetscInt_FMT " in the headers of its %d objects): %" PetscInt_FMT " refused (%" PetscInt_FMT " by the whole-file checksum), %" PetscInt_FMT " verified as intact by PetscSnapshotHDF5Verify or refused by it alone\n", sealed.flips, bytes, size, flips, sealed.flips - flips, nh, sealed.refused, sealed.bySeal, sealed.disagree));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "sweep: %" PetscInt_FMT " single-bit flips in all, %" PetscInt_FMT " of them in the values of the %d datasets of /entries with the file sealed again: %" PetscInt_FMT " refused, %" PetscInt_FMT " restored bit-identical, %" PetscInt_FMT " silent corruptions, %" PetscInt_FMT " refusals that changed the state, %" PetscInt_FMT " refused on some ranks only, %" PetscInt_FMT " verdicts of the restore and of PetscSnapshotHDF5Verify that differ, 0 crashes, 0 hangs\n", sealed.flips + behind.flips, behind.flips, nv, sealed.refused + behind.refused, behind.identical, sealed.silent + behind.silent, sealed.damaged + behind.damaged, sealed.incoherent + behind.incoherent, sealed.disagree + behind.disagree));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(nh >= 10 && sealed.flips >= flips + 3 * nh && sealed.refused == sealed.flips && sealed.bySeal == sealed.flips && sealed.damaged == 0 && sealed.incoherent == 0 && sealed.disagree == 0), "sweep: every flip of the sealed file, in every object header too, is refused by the whole-file checksum, on every rank, nothing written, and PetscSnapshotHDF5Verify refuses it too"));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(nv >= 5 && behind.refused + behind.identical == behind.flips && behind.silent == 0 && behind.damaged == 0 && behind.incoherent == 0 && behind.disagree == 0), "sweep: every flip in the values of a dataset sealed again is refused (its dataset checksum) on every rank with nothing written, or restores bit-identical values"));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(behind.refused > 0), "sweep: the flips behind the seal reached checked bytes"));
  PetscCall(PetscFree(good));
  PetscCall(PetscFree(headers));
  PetscCall(PetscFree(values));
  PetscCall(CopyFree(&file));
  PetscCall(CopyFree(&live));
  PetscCall(PetscSnapshotDestroy(&mem));
  PetscCall(PetscSnapshotDestroy(&bad));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* ---- -mode names: a DM whose name holds '/' and '%' round-trips through the file, and loads with LoadDM */
static PetscErrorCode Names(void)
{
  const char   *name = "fluid/50%mesh";
  DM            dm, loaded;
  Vec           u, keep;
  PetscSnapshot snap;
  PetscBool     eq, link = PETSC_FALSE;
  PetscInt      c0, c1, n0, n1;

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 3, PETSC_FALSE, name, &dm));
  PetscCall(HeatAddField(dm));
  PetscCall(DMCreateGlobalVector(dm, &u));
  PetscCall(VecSetRandom(u, NULL));
  PetscCall(PetscSnapshotDMAddState(dm, "u", (PetscObject)u));
  PetscCall(VecDuplicate(u, &keep));
  PetscCall(VecCopy(u, keep));
  PetscCall(HDF5Snapshot("names.h5", &snap));
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(VecSet(u, 3.0));
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(VecBitwiseEqual(u, keep, &eq));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "a DM named \"fluid/50%mesh\" captures and restores bitwise"));
  if (rank == 0) {
    hid_t f = H5Fopen("names.h5", H5F_ACC_RDONLY, H5P_DEFAULT);
    link    = H5Lexists(f, "/entries/fluid%2F50%25mesh", H5P_DEFAULT) > 0 ? PETSC_TRUE : PETSC_FALSE;
    H5Fclose(f);
  }
  PetscCallMPI(MPI_Bcast(&link, 1, EXAMPLE_MPI_BOOL, 0, PETSC_COMM_WORLD));
  PetscCall(TestCheck(PETSC_COMM_WORLD, link, "its entry is one escaped link, /entries/fluid%2F50%25mesh"));
  {
    PetscSnapshot fresh;
    PetscCall(VecSet(u, 4.0));
    PetscCall(HDF5Snapshot("names.h5", &fresh));
    PetscCall(PetscSnapshotRestore(fresh, dm));
    PetscCall(VecBitwiseEqual(u, keep, &eq));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "a new snapshot object restores it from the file"));
    PetscCall(PetscSnapshotHDF5LoadDM(fresh, name, &loaded));
    PetscCall(DMPlexGetHeightStratum(dm, 0, &c0, &c1));
    n0 = c1 - c0;
    PetscCall(DMPlexGetHeightStratum(loaded, 0, &c0, &c1));
    n1 = c1 - c0;
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &n0, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &n1, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(n0 == n1 && n0 > 0), "PetscSnapshotHDF5LoadDM loads the mesh named \"fluid/50%mesh\" with all its cells"));
    PetscCall(DMDestroy(&loaded));
    PetscCall(PetscSnapshotDestroy(&fresh));
  }
  PetscCall(PetscSnapshotDMRemoveState(dm, "u"));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&u));
  PetscCall(VecDestroy(&keep));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

/* ---- -mode empty: a swarm with no particle on any rank, or on some ranks only */
static PetscErrorCode Empty(void)
{
  Sim           s;
  PetscSnapshot snap;
  Copy          atCapture;
  PetscBool     eq;
  PetscInt      N;

  PetscFunctionBeginUser;
  for (int kind = 0; kind < 4; kind++) { /* hdf5 then memory, each with both variants */
    const char *type    = kind < 2 ? "hdf5" : "memory";
    int         variant = kind % 2;
    const char *what    = variant == 0 ? "no particle on any rank" : "particles on rank 0 only";
    char        line[256];

    if (kind < 2) PetscCall(HDF5Snapshot("empty.h5", &snap));
    else PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));

    PetscCall(SimCreate(&s));
    PetscCall(SimSteps(&s, 1));
    if (variant == 0 || rank > 0) PetscCall(DMSwarmSetLocalSizes(s.sw, 0, -1));
    PetscCall(CopyGet(&s, &atCapture));
    PetscCall(PetscSnapshotCapture(snap, s.heat.dm));
    PetscCall(SimDestroy(&s));
    PetscCall(SimCreate(&s)); /* full swarm, another state */
    PetscCall(PetscSnapshotRestore(snap, s.heat.dm));
    PetscCall(DMSwarmGetSize(s.sw, &N));
    PetscCall(CopyEqual(&s, &atCapture, &eq));
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s, %s: captured and restored bitwise (%" PetscInt_FMT " particles)", type, what, N));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(eq && (variant == 1 ? N > 0 : N == 0)), line));
    PetscCall(CopyFree(&atCapture));
    PetscCall(SimDestroy(&s));
    PetscCall(PetscSnapshotDestroy(&snap));
  }
  PetscFunctionReturn(0);
}

/* ---- -mode series -phase 1|2: two processes, one after the other, on the same series with keep 2 */
static PetscErrorCode Series(PetscInt phase)
{
  Sim           s;
  PetscSnapshot series;
  char          name[64];
  PetscBool     e[6];

  PetscFunctionBeginUser;
  PetscCall(SimCreate(&s));
  if (phase == 1 && rank == 0)
    for (int k = 1; k <= 12; k++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "run-%06d.h5", k));
      (void)remove(name);
    }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(HDF5Snapshot("run.h5", &series));
  PetscCall(PetscSnapshotHDF5SetKeep(series, 2));
  if (phase == 1) {
    for (int k = 0; k < 3; k++) {
      PetscCall(SimSteps(&s, 1));
      PetscCall(PetscSnapshotCapture(series, s.heat.dm));
    }
    for (int k = 1; k <= 3; k++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "run-%06d.h5", k));
      PetscCall(ExistsAll(name, &e[k]));
    }
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(!e[1] && e[2] && e[3]), "first process: 3 captures with keep 2 leave run-000002.h5 and run-000003.h5"));
  } else {
    Copy      mine;
    PetscBool eq;
    PetscSnapshot reader;

    PetscCall(SimSteps(&s, 5)); /* another state than any file's */
    PetscCall(CopyGet(&s, &mine));
    PetscCall(PetscSnapshotCapture(series, s.heat.dm)); /* a new process captures before it restores */
    for (int k = 2; k <= 5; k++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "run-%06d.h5", k));
      PetscCall(ExistsAll(name, &e[k]));
    }
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(!e[2] && e[3] && e[4] && !e[5]), "second process: its capture is numbered 4, after the newest on disk; pruning keeps 3 and 4 (the file just written)"));
    PetscCall(SimSteps(&s, 1));
    PetscCall(PetscSnapshotRestore(series, s.heat.dm));
    PetscCall(CopyEqual(&s, &mine, &eq));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "second process: the restore returns its own capture bitwise, not the first run's newest"));
    PetscCall(SimSteps(&s, 1));
    PetscCall(HDF5Snapshot("run.h5", &reader));
    PetscCall(PetscSnapshotHDF5SetKeep(reader, 2));
    PetscCall(PetscSnapshotRestore(reader, s.heat.dm));
    PetscCall(CopyEqual(&s, &mine, &eq));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "second process: a new snapshot object restores the newest file of the series, the same"));
    PetscCall(PetscSnapshotDestroy(&reader));
    PetscCall(CopyFree(&mine));
  }
  PetscCall(PetscSnapshotDestroy(&series));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* ---- -mode info: PetscSnapshotHDF5GetFileInfo() */
static PetscErrorCode Info(void)
{
  Sim           s;
  PetscSnapshot snap;
  PetscMPIInt   writers = -1;
  PetscBool     hasTS = PETSC_FALSE, redist = PETSC_FALSE;
  PetscReal     t = -1, tnow;
  PetscInt      step = -1, stepnow;

  PetscFunctionBeginUser;
  PetscCall(SimCreate(&s));
  PetscCall(SimSteps(&s, 3));
  PetscCall(TSGetTime(s.heat.ts, &tnow));
  PetscCall(TSGetStepNumber(s.heat.ts, &stepnow));
  PetscCall(HDF5Snapshot("info.h5", &snap));
  PetscCall(PetscSnapshotCapture(snap, s.heat.dm));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(HDF5Snapshot("info.h5", &snap)); /* as a new process would */
  PetscCall(PetscSnapshotHDF5GetFileInfo(snap, &writers, &hasTS, &t, &step, &redist));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(writers == size && hasTS && t == tnow && step == stepnow && step == 3 && redist), "file info of a mesh with a TS: writers, TS time and step at capture, restores at another rank count"));
  PetscCall(PetscSnapshotHDF5GetFileInfo(snap, &writers, NULL, NULL, NULL, NULL));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(writers == size), "file info: every output but one may be NULL"));
  PetscCall(PetscSnapshotDestroy(&snap));
  { /* a DMDA and no TS: per-rank data only */
    DM  da;
    Vec v;
    PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, 16, 1, 1, NULL, &da));
    PetscCall(DMSetUp(da));
    PetscCall(PetscObjectSetName((PetscObject)da, "line"));
    PetscCall(DMCreateGlobalVector(da, &v));
    PetscCall(PetscSnapshotDMAddState(da, "v", (PetscObject)v));
    PetscCall(HDF5Snapshot("info-da.h5", &snap));
    PetscCall(PetscSnapshotCapture(snap, da));
    PetscCall(PetscSnapshotHDF5GetFileInfo(snap, &writers, &hasTS, &t, &step, &redist));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(writers == size && !hasTS && t == 0 && step == 0 && !redist), "file info of a DMDA without TS: no TS, cannot restore at another rank count"));
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(PetscSnapshotDMRemoveState(da, "v"));
    PetscCall(VecDestroy(&v));
    PetscCall(DMDestroy(&da));
  }
  PetscCall(HDF5Snapshot("no-such-file.h5", &snap));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotHDF5GetFileInfo(snap, &writers, &hasTS, &t, &step, &redist), "snapshot file no-such-file.h5 does not exist", "file info of a missing file is a collective error");
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* The previous file restores the state it captured, and no temporary is left. */
static PetscErrorCode PreviousIntact(Sim *s, const char file[], Copy *atCapture, const char what[])
{
  PetscSnapshot snap;
  PetscBool     eq, tmp;
  char          name[PETSC_MAX_PATH_LEN], line[256];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(name, sizeof(name), "%s.tmp", file));
  PetscCall(ExistsAll(name, &tmp));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: no temporary file is left", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)!tmp, line));
  PetscCall(HDF5Snapshot(file, &snap));
  PetscCall(PetscSnapshotRestore(snap, s->heat.dm));
  PetscCall(CopyEqual(s, atCapture, &eq));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: the previous file restores its state bitwise", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, line));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscFunctionReturn(0);
}

/* ---- -mode failures: a write failing on one rank only, missing directories */
static PetscErrorCode Failures(void)
{
  Sim           s;
  Copy          atCapture;
  PetscSnapshot snap;

  PetscFunctionBeginUser;
  PetscCall(SimWithFile("kept.h5", &s, &atCapture));
  for (int after = 0; after < 4; after += 3) { /* the first dataset, and a later one */
    char num[16];
    PetscCall(PetscSNPrintf(num, sizeof(num), "%d", after));
    PetscCall(PetscOptionsSetValue(NULL, "-snapshot_hdf5_test_fail_rank", size > 1 ? "1" : "0"));
    PetscCall(PetscOptionsSetValue(NULL, "-snapshot_hdf5_test_fail_after", num));
    PetscCall(HDF5Snapshot("kept.h5", &snap));
    PetscCall(PetscOptionsClearValue(NULL, "-snapshot_hdf5_test_fail_rank"));
    PetscCall(PetscOptionsClearValue(NULL, "-snapshot_hdf5_test_fail_after"));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, s.heat.dm), "failure injected on this rank", "a dataset write failing on the last rank only is an error on every rank (no hang)");
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(PreviousIntact(&s, "kept.h5", &atCapture, "after a failure on one rank"));
    PetscCall(SimSteps(&s, 1));
  }
  PetscCall(HDF5Snapshot("no-such-dir/ckpt.h5", &snap));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, s.heat.dm), "cannot create no-such-dir/ckpt.h5.tmp, the temporary of snapshot file no-such-dir/ckpt.h5: No such file or directory", "capture into a missing directory: a clear error naming the file");
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, s.heat.dm), "snapshot file no-such-dir/ckpt.h5 does not exist", "restore from a missing directory: a clear error naming the file");
  PetscCall(PetscSnapshotHDF5SetKeep(snap, 2));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, s.heat.dm), "cannot list directory no-such-dir of the series no-such-dir/ckpt.h5", "a series in a missing directory: a clear error naming it");
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(CopyFree(&atCapture));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* ---- -mode diskfull -dir D (a small tmpfs): a capture that does not fit */
static PetscErrorCode DiskFull(const char dir[])
{
  Sim           s;
  Copy          atCapture;
  PetscSnapshot snap;
  char          file[PETSC_MAX_PATH_LEN];
  Vec           big;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s/ckpt.h5", dir));
  PetscCall(SimWithFile(file, &s, &atCapture));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, 100000, PETSC_DETERMINE, &big)); /* 0.8 MB per rank: does not fit beside */
  PetscCall(VecSet(big, 1.0));
  PetscCall(PetscSnapshotDMAddState(s.heat.dm, "big", (PetscObject)big));
  PetscCall(HDF5Snapshot(file, &snap));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, s.heat.dm), "PetscSnapshotCapture", "a capture that does not fit on the disk is an error on every rank (no hang)");
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscSnapshotDMRemoveState(s.heat.dm, "big"));
  PetscCall(VecDestroy(&big));
  PetscCall(PreviousIntact(&s, file, &atCapture, "disk full"));
  PetscCall(CopyFree(&atCapture));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* ---- -mode readonly -dir D (a read-only mount holding D/ckpt.h5 from -mode diskfull) */
static PetscErrorCode ReadOnly(const char dir[])
{
  Sim           s;
  PetscSnapshot snap;
  char          file[PETSC_MAX_PATH_LEN], expect[PETSC_MAX_PATH_LEN + 64];

  PetscFunctionBeginUser;
  PetscCall(SimCreate(&s));
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s/ckpt.h5", dir));
  PetscCall(PetscSNPrintf(expect, sizeof(expect), "cannot create %s.tmp", file));
  PetscCall(HDF5Snapshot(file, &snap));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, s.heat.dm), expect, "capture into a read-only directory: a clear error naming the file");
  PetscCall(PetscSnapshotRestore(snap, s.heat.dm));
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "the file already there still restores"));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* ---- -mode kill -phase 1|2: a process killed in the middle of a capture (-snapshot_hdf5_test_kill_after), then a
   new process restarts from the previous file and captures again */
static PetscErrorCode Kill(PetscInt phase)
{
  Sim           s;
  PetscSnapshot snap;
  PetscBool     eq, tmp, reserve;
  Copy          expected;

  PetscFunctionBeginUser;
  if (phase == 1) {
    PetscCall(SimWithFile("ckpt.h5", &s, NULL)); /* the previous complete snapshot: the state after 1 step */
    char at[32] = "0";
    PetscCall(PetscOptionsGetString(NULL, NULL, "-kill_after", at, sizeof(at), NULL));
    PetscCall(PetscOptionsSetValue(NULL, "-snapshot_hdf5_test_kill_after", at));
    PetscCall(HDF5Snapshot("ckpt.h5", &snap));
    PetscCall(PetscSnapshotCapture(snap, s.heat.dm)); /* killed in here */
    PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_FALSE, "the capture was to be killed"));
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(SimDestroy(&s));
    PetscFunctionReturn(0);
  }
  PetscCall(SimCreate(&s)); /* the same deterministic run: its state after 1 step is the file's */
  PetscCall(SimSteps(&s, 1));
  PetscCall(CopyGet(&s, &expected));
  PetscCall(SimSteps(&s, 2));
  PetscCall(HDF5Snapshot("ckpt.h5", &snap));
  PetscCall(PetscSnapshotRestore(snap, s.heat.dm));
  PetscCall(CopyEqual(&s, &expected, &eq));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "after a process was killed during a capture, the previous file restores bitwise in a new process"));
  PetscCall(SimSteps(&s, 1));
  PetscCall(PetscSnapshotCapture(snap, s.heat.dm));
  PetscCall(CopyFree(&expected));
  PetscCall(CopyGet(&s, &expected));
  PetscCall(SimSteps(&s, 1));
  PetscCall(PetscSnapshotRestore(snap, s.heat.dm));
  PetscCall(CopyEqual(&s, &expected, &eq));
  PetscCall(ExistsAll("ckpt.h5.tmp", &tmp));
  PetscCall(ExistsAll("ckpt.h5.tmp.reserve", &reserve));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(eq && !tmp && !reserve), "the next capture replaces the killed one's leftovers (no .tmp, no .reserve) and restores bitwise"));
  PetscCall(CopyFree(&expected));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char     mode[32] = "corrupt", dir[PETSC_MAX_PATH_LEN] = ".";
  PetscInt phase    = 1;
  int      code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-dir", dir, sizeof(dir), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-phase", &phase, NULL));
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  if (!strcmp(mode, "corrupt")) PetscCall(Corrupt());
  else if (!strcmp(mode, "sweep")) PetscCall(Sweep());
  else if (!strcmp(mode, "names")) PetscCall(Names());
  else if (!strcmp(mode, "empty")) PetscCall(Empty());
  else if (!strcmp(mode, "series")) PetscCall(Series(phase));
  else if (!strcmp(mode, "info")) PetscCall(Info());
  else if (!strcmp(mode, "failures")) PetscCall(Failures());
  else if (!strcmp(mode, "diskfull")) PetscCall(DiskFull(dir));
  else if (!strcmp(mode, "readonly")) PetscCall(ReadOnly(dir));
  else if (!strcmp(mode, "kill")) PetscCall(Kill(phase));
  else SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_ARG_WRONG, "unknown -mode %s", mode);
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
