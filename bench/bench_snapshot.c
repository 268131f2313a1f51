static const char help[] = "Speed of PetscSnapshotCapture/Restore against the copies they must make, measured in the same run:\n"
                           "a declared Vec (baseline VecCopy) and a swarm (baseline memcpy of every field). Prints GB/s.\n"
                           "Options: -n <2000000> values per rank, -particles <500000> per rank, -reps <20>\n";

#include <petscsnapshot.h>
#include <petscdmda.h>
#include <petscdmswarm.h>
#include <petscviewerhdf5.h>
#include <petsctime.h>
#include <string.h>

static PetscErrorCode Time(PetscInt reps, PetscErrorCode (*fn)(void *), void *ctx, PetscLogDouble *best)
{
  PetscFunctionBeginUser;
  *best = 1e300;
  for (PetscInt r = 0; r < reps; r++) {
    PetscLogDouble t0, t1;
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    PetscCall(PetscTime(&t0));
    PetscCall(fn(ctx));
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    PetscCall(PetscTime(&t1));
    *best = PetscMin(*best, t1 - t0);
  }
  PetscFunctionReturn(0);
}

typedef struct {
  PetscSnapshot snap;
  DM            dm, sw;
  Vec           v, copy, plain; /* plain: a VecCreateMPI Vec of the same size, for the HDF5 baseline */
  char         *buf;
  size_t        bytes;
} Ctx;

/* the baseline for the hdf5 type: PETSc's own VecView of the same Vec into an HDF5 file, and VecLoad back */
static PetscErrorCode ViewVecHDF5(void *p)
{
  PetscViewer v;

  PetscFunctionBeginUser;
  PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, "bench-baseline.h5", FILE_MODE_WRITE, &v));
  PetscCall(VecView(((Ctx *)p)->plain, v));
  PetscCall(PetscViewerDestroy(&v));
  PetscFunctionReturn(0);
}

static PetscErrorCode LoadVecHDF5(void *p)
{
  PetscViewer v;

  PetscFunctionBeginUser;
  PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, "bench-baseline.h5", FILE_MODE_READ, &v));
  PetscCall(VecLoad(((Ctx *)p)->plain, v));
  PetscCall(PetscViewerDestroy(&v));
  PetscFunctionReturn(0);
}

static PetscErrorCode CopyVec(void *p) { return VecCopy(((Ctx *)p)->v, ((Ctx *)p)->copy); }
static PetscErrorCode CaptureDA(void *p) { return PetscSnapshotCapture(((Ctx *)p)->snap, ((Ctx *)p)->dm); }
static PetscErrorCode RestoreDA(void *p) { return PetscSnapshotRestore(((Ctx *)p)->snap, ((Ctx *)p)->dm); }
static PetscErrorCode CaptureSwarm(void *p) { return PetscSnapshotCapture(((Ctx *)p)->snap, ((Ctx *)p)->sw); }
static PetscErrorCode RestoreSwarm(void *p) { return PetscSnapshotRestore(((Ctx *)p)->snap, ((Ctx *)p)->sw); }

/* the baseline for a swarm: copy every field's local bytes out (what any capture must do) */
static PetscErrorCode CopyFields(void *p)
{
  Ctx        *c = (Ctx *)p;
  const char *fields[] = {"DMSwarm_pid", "DMSwarm_rank", "position", "velocity", "mass"};
  size_t      off = 0;
  PetscInt    n;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(c->sw, &n));
  for (int f = 0; f < 5; f++) {
    PetscInt      bs;
    PetscDataType type;
    size_t        ts;
    void         *data;
    PetscCall(DMSwarmGetField(c->sw, fields[f], &bs, &type, &data));
    PetscCall(PetscDataTypeGetSize(type, &ts));
    memcpy(c->buf + off, data, ts * bs * n);
    off += ts * bs * n;
    PetscCall(DMSwarmRestoreField(c->sw, fields[f], &bs, &type, &data));
  }
  c->bytes = off;
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Ctx            c;
  PetscInt       n = 2000000, np = 500000, reps = 20, N;
  PetscLogDouble tBase, tCap, tRes, tSBase, tSCap, tSRes;
  PetscMPIInt    size;
  double         gb;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-particles", &np, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-reps", &reps, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  /* a DMDA without coordinates and one declared Vec of n values per rank */
  PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, n * size, 1, 1, NULL, &c.dm));
  PetscCall(DMSetUp(c.dm));
  PetscCall(PetscObjectSetName((PetscObject)c.dm, "grid"));
  PetscCall(DMCreateGlobalVector(c.dm, &c.v));
  PetscCall(VecSetRandom(c.v, NULL));
  PetscCall(VecDuplicate(c.v, &c.copy));
  PetscCall(PetscSnapshotDMAddState(c.dm, "field", (PetscObject)c.v));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &c.snap));
  PetscCall(PetscSnapshotSetFromOptions(c.snap));
  PetscCall(PetscSnapshotCapture(c.snap, c.dm)); /* size the buffers */
  PetscCall(Time(reps, CopyVec, &c, &tBase));
  /* a Vec that changed since the last capture or restore costs a copy; the skip off makes every one count as changed */
  PetscCall(PetscSnapshotSetSkipUnchanged(c.snap, PETSC_FALSE));
  PetscCall(Time(reps, CaptureDA, &c, &tCap));
  PetscCall(Time(reps, RestoreDA, &c, &tRes));
  PetscCall(PetscSnapshotSetSkipUnchanged(c.snap, PETSC_TRUE));
  gb = 8.0 * n * size / 1e9;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Vec, %" PetscInt_FMT " values per rank, %d ranks, best of %" PetscInt_FMT ":\n", n, size, reps));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  VecCopy (baseline)   %8.3f ms  %6.2f GB/s\n", 1e3 * tBase, gb / tBase));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  PetscSnapshotCapture %8.3f ms  %6.2f GB/s  (%.2fx the baseline time)\n", 1e3 * tCap, gb / tCap, tCap / tBase));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  PetscSnapshotRestore %8.3f ms  %6.2f GB/s  (%.2fx the baseline time)\n", 1e3 * tRes, gb / tRes, tRes / tBase));
  { /* the same Vec unchanged since the last capture or restore: skipped by its object state, O(1) */
    PetscLogDouble tUCap, tURes;
    PetscCall(PetscSnapshotCapture(c.snap, c.dm));
    PetscCall(Time(reps, CaptureDA, &c, &tUCap));
    PetscCall(Time(reps, RestoreDA, &c, &tURes));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  unchanged Vec (skipped by object state): capture %8.4f ms, restore %8.4f ms (%.0fx and %.0fx faster than a copy)\n", 1e3 * tUCap, 1e3 * tURes, tCap / tUCap, tRes / tURes));
  }

  /* the hdf5 type: one file per capture (temporary name, rename), verified load before restore */
  {
    PetscSnapshot  h5;
    PetscLogDouble tView, tLoad, tH5Cap, tH5Res;
    /* not the DMDA Vec: PETSc 3.18's VecView of a DMDA Vec to HDF5 took 2.6 GB of memory at 2 ranks for 4e5 values */
    PetscCall(VecCreateMPI(PETSC_COMM_WORLD, n, PETSC_DETERMINE, &c.plain));
    PetscCall(VecCopy(c.v, c.plain));
    PetscCall(PetscObjectSetName((PetscObject)c.plain, "field"));
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &h5));
    PetscCall(PetscSnapshotSetType(h5, PETSCSNAPSHOTHDF5));
    PetscCall(PetscSnapshotHDF5SetFileName(h5, "bench-snapshot.h5"));
    PetscCall(PetscSnapshotSetFromOptions(h5));
    PetscSnapshot keep = c.snap;
    c.snap = h5;
    PetscCall(Time(reps / 4 + 1, ViewVecHDF5, &c, &tView));
    PetscCall(Time(reps / 4 + 1, LoadVecHDF5, &c, &tLoad));
    PetscCall(Time(reps / 4 + 1, CaptureDA, &c, &tH5Cap));
    PetscCall(Time(reps / 4 + 1, RestoreDA, &c, &tH5Res));
    c.snap = keep;
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "HDF5, the same Vec, best of %" PetscInt_FMT " (file system cache warm):\n", reps / 4 + 1));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  VecView to HDF5 (baseline) %8.3f ms  %6.2f GB/s\n", 1e3 * tView, gb / tView));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  PetscSnapshotCapture hdf5  %8.3f ms  %6.2f GB/s  (%.2fx the baseline time)\n", 1e3 * tH5Cap, gb / tH5Cap, tH5Cap / tView));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  VecLoad from HDF5 (baseline) %6.3f ms  %6.2f GB/s\n", 1e3 * tLoad, gb / tLoad));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  PetscSnapshotRestore hdf5  %8.3f ms  %6.2f GB/s  (%.2fx the baseline time)\n", 1e3 * tH5Res, gb / tH5Res, tH5Res / tLoad));
    PetscCall(PetscSnapshotDestroy(&h5));
    PetscCall(VecDestroy(&c.plain));
  }

  /* a basic swarm with np particles per rank and typical fields */
  PetscCall(DMCreate(PETSC_COMM_WORLD, &c.sw));
  PetscCall(PetscObjectSetName((PetscObject)c.sw, "particles"));
  PetscCall(DMSetType(c.sw, DMSWARM));
  PetscCall(DMSetDimension(c.sw, 3));
  PetscCall(DMSwarmSetType(c.sw, DMSWARM_BASIC));
  PetscCall(DMSwarmRegisterPetscDatatypeField(c.sw, "position", 3, PETSC_REAL));
  PetscCall(DMSwarmRegisterPetscDatatypeField(c.sw, "velocity", 3, PETSC_REAL));
  PetscCall(DMSwarmRegisterPetscDatatypeField(c.sw, "mass", 1, PETSC_REAL));
  PetscCall(DMSwarmFinalizeFieldRegister(c.sw));
  PetscCall(DMSwarmSetLocalSizes(c.sw, np, 0));
  PetscCall(PetscMalloc(np * 128, &c.buf));
  PetscCall(CopyFields(&c));
  PetscCall(PetscSnapshotCapture(c.snap, c.sw));
  PetscCall(Time(reps, CopyFields, &c, &tSBase));
  PetscCall(Time(reps, CaptureSwarm, &c, &tSCap));
  PetscCall(Time(reps, RestoreSwarm, &c, &tSRes));
  PetscCall(DMSwarmGetSize(c.sw, &N));
  gb = (double)c.bytes * size / 1e9;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Swarm, %" PetscInt_FMT " particles per rank (%zu bytes each), %d ranks:\n", np, c.bytes / np, size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  memcpy fields (baseline) %8.3f ms  %6.2f GB/s\n", 1e3 * tSBase, gb / tSBase));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  PetscSnapshotCapture     %8.3f ms  %6.2f GB/s  (%.2fx the baseline time)\n", 1e3 * tSCap, gb / tSCap, tSCap / tSBase));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  PetscSnapshotRestore     %8.3f ms  %6.2f GB/s  (%.2fx the baseline time)\n", 1e3 * tSRes, gb / tSRes, tSRes / tSBase));

  PetscCall(PetscFree(c.buf));
  PetscCall(PetscSnapshotDestroy(&c.snap));
  PetscCall(DMDestroy(&c.sw));
  PetscCall(PetscSnapshotDMRemoveState(c.dm, "field"));
  PetscCall(VecDestroy(&c.v));
  PetscCall(VecDestroy(&c.copy));
  PetscCall(DMDestroy(&c.dm));
  PetscCall(PetscFinalize());
  return 0;
}
