static const char help[] = "The hdf5 type against PETSc's own VecView/VecLoad of the same bytes, same run: a Vec declared on a DMDA,\n"
                           "captured to and restored from one file, against a plain MPI Vec of the same size viewed to and loaded\n"
                           "from HDF5 (file system cache warm). Options: -sizes <1,16,64,256> MB per rank (capped by free\n"
                           "memory), -reps <7>, -dir <.> for the files, -csv <file>; -profile capture|restore|restore_staged: run only that\n"
                           "operation -reps times, untimed (for perf record).\n";

#include <petscsnapshot.h>
#include <petscdmda.h>
#include <petscviewerhdf5.h>
#include "benchutil.h"

typedef struct {
  PetscSnapshot snap;
  PetscSnapshot staged; /* restores the same file into staging buffers (-snapshot_hdf5_map_reads false) */
  PetscSnapshot quick;  /* captures to a file of its own without fsync (-snapshot_hdf5_durable false) */
  DM            dm;
  Vec           v;     /* declared on dm */
  Vec           plain; /* a VecCreateMPI Vec (PETSc 3.18's VecView of a DMDA Vec to HDF5 needs GBs of memory) */
  char          base[PETSC_MAX_PATH_LEN];
} Ctx;

/* PETSc's own VecView (write) or VecLoad (read) of the plain Vec */
static PetscErrorCode PlainVec(Ctx *c, PetscFileMode mode)
{
  PetscViewer v;

  PetscFunctionBeginUser;
  PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, c->base, mode, &v));
  PetscCall(mode == FILE_MODE_WRITE ? VecView(c->plain, v) : VecLoad(c->plain, v));
  PetscCall(PetscViewerDestroy(&v));
  PetscFunctionReturn(0);
}

static PetscErrorCode ViewVec(void *p) { return PlainVec((Ctx *)p, FILE_MODE_WRITE); }
static PetscErrorCode LoadVec(void *p) { return PlainVec((Ctx *)p, FILE_MODE_READ); }
static PetscErrorCode Capture(void *p) { return PetscSnapshotCapture(((Ctx *)p)->snap, ((Ctx *)p)->dm); }
static PetscErrorCode CaptureNotDurable(void *p) { return PetscSnapshotCapture(((Ctx *)p)->quick, ((Ctx *)p)->dm); }
static PetscErrorCode Restore(void *p) { return PetscSnapshotRestore(((Ctx *)p)->snap, ((Ctx *)p)->dm); }
static PetscErrorCode RestoreStaged(void *p) { return PetscSnapshotRestore(((Ctx *)p)->staged, ((Ctx *)p)->dm); }

int main(int argc, char **argv)
{
  Bench     b;
  Ctx       c;
  PetscInt  sizes[16] = {1, 16, 64, 256}, nsizes = 16;
  PetscBool set;
  char      dir[PETSC_MAX_PATH_LEN] = ".", file[PETSC_MAX_PATH_LEN], quickFile[PETSC_MAX_PATH_LEN], profile[16] = "";
  double    avail;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(BenchInit("hdf5", 7, &b));
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-sizes", sizes, &nsizes, &set));
  if (!set) nsizes = 4;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-dir", dir, sizeof(dir), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-profile", profile, sizeof(profile), NULL));
  PetscCall(PetscSNPrintf(c.base, sizeof(c.base), "%s/bench-hdf5-baseline.h5", dir));
  PetscCall(PetscSNPrintf(file, sizeof(file), "%s/bench-hdf5-snapshot.h5", dir));
  PetscCall(PetscSNPrintf(quickFile, sizeof(quickFile), "%s/bench-hdf5-not-durable.h5", dir));
  PetscCall(BenchMemAvailable(&avail));
  for (PetscInt s = 0; s < nsizes; s++) {
    const PetscInt n     = sizes[s] * 131072; /* doubles per rank */
    const double   bytes = 8.0 * n;
    BenchFn        fns[6] = {ViewVec, Capture, LoadVec, Restore, RestoreStaged, CaptureNotDurable};
    BenchTime      t[6];

    /* the Vec, the plain Vec and one staging copy per rank, and room for the page cache to hold both files */
    if (avail > 0 && 5 * bytes * b.ranks > 0.5 * avail) {
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%" PetscInt_FMT " MB per rank skipped: not enough free memory\n", sizes[s]));
      continue;
    }
    PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, n * b.ranks, 1, 1, NULL, &c.dm));
    PetscCall(DMSetUp(c.dm));
    PetscCall(PetscObjectSetName((PetscObject)c.dm, "grid"));
    PetscCall(DMCreateGlobalVector(c.dm, &c.v));
    PetscCall(VecSetRandom(c.v, NULL));
    PetscCall(PetscSnapshotDMAddState(c.dm, "field", (PetscObject)c.v));
    PetscCall(VecCreateMPI(PETSC_COMM_WORLD, n, PETSC_DETERMINE, &c.plain));
    PetscCall(VecCopy(c.v, c.plain));
    PetscCall(PetscObjectSetName((PetscObject)c.plain, "field"));
    PetscCall(HDF5Snapshot(file, &c.snap));
    PetscCall(PetscOptionsSetValue(NULL, "-staged_snapshot_hdf5_map_reads", "false"));
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &c.staged));
    PetscCall(PetscSnapshotSetOptionsPrefix(c.staged, "staged_"));
    PetscCall(PetscSnapshotSetType(c.staged, PETSCSNAPSHOTHDF5));
    PetscCall(PetscSnapshotHDF5SetFileName(c.staged, file));
    PetscCall(PetscSnapshotSetFromOptions(c.staged));
    PetscCall(HDF5Snapshot(quickFile, &c.quick)); /* captures without fsync (-snapshot_hdf5_durable false) */
    PetscCall(PetscSnapshotHDF5SetDurable(c.quick, PETSC_FALSE));
    PetscCall(CaptureNotDurable(&c));
    PetscCall(ViewVec(&c)); /* warm up: files exist and are in the page cache */
    PetscCall(Capture(&c));
    if (profile[0]) {
      for (PetscInt r = 0; r < b.reps; r++) PetscCall(!strcmp(profile, "capture") ? Capture(&c) : !strcmp(profile, "restore_staged") ? RestoreStaged(&c) : Restore(&c));
    } else {
      PetscCall(BenchTimeOps(b.reps, 6, NULL, fns, &c, t));
      PetscCall(BenchRow(&b, b.reps, "vec", "capture", bytes, n, "VecView", t[0], t[1]));
      PetscCall(BenchRow(&b, b.reps, "vec", "capture_not_durable", bytes, n, "VecView", t[0], t[5]));
      PetscCall(BenchRow(&b, b.reps, "vec", "capture_durable", bytes, n, "not_durable", t[5], t[1]));
      PetscCall(BenchRow(&b, b.reps, "vec", "restore", bytes, n, "VecLoad", t[2], t[3]));
      PetscCall(BenchRow(&b, b.reps, "vec", "restore_staged", bytes, n, "VecLoad", t[2], t[4]));
    }
    PetscCall(PetscSnapshotDestroy(&c.snap));
    PetscCall(PetscSnapshotDestroy(&c.staged));
    PetscCall(PetscSnapshotDestroy(&c.quick));
    PetscCall(VecDestroy(&c.plain));
    PetscCall(PetscSnapshotDMRemoveState(c.dm, "field"));
    PetscCall(VecDestroy(&c.v));
    PetscCall(DMDestroy(&c.dm));
  }
  PetscCall(PetscFinalize());
  return 0;
}
