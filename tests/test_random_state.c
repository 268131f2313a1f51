static const char help[] = "A PetscRandom declared as state (issue 24): a retried step draws the same numbers.\n"
                           "-mode same (default): for the memory and hdf5 types and each readable random type (rand48, rander48),\n"
                           "capture, draw, restore, draw again: bitwise the same numbers and interval; a swarm whose new particles\n"
                           "are placed from the declared PetscRandom every step: a retried step (restore, redo) gives bitwise the\n"
                           "never-retried swarm; a PetscRandom of type rand (the C library's hidden rand() state) is refused at\n"
                           "capture naming the type; a type changed after capture is refused at restore. -mode write on N ranks\n"
                           "writes random-<type>-wN.h5 (a mesh with a per-rank seeded stream); -mode read on M ranks restores\n"
                           "random-<type>-wM.h5 into a new process (the writer's stream, bitwise) and refuses random-<type>-wN.h5,\n"
                           "N != M, naming the state.\n";

#include <petscdmda.h>
#include "swarmutil.h"
#include "hdf5_snapshot.h"

#define NDRAW 8
static const char *const readableTypes[] = {PETSCRAND48, PETSCRANDER48};

/* a stream on PETSC_COMM_WORLD seeded per rank, as a particle code seeds it */
static PetscErrorCode NewStream(const char type[], unsigned long seed, PetscRandom *r)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscRandomCreate(PETSC_COMM_WORLD, r));
  PetscCall(PetscRandomSetType(*r, type));
  PetscCall(PetscRandomSetSeed(*r, seed + 17 * (unsigned long)rank));
  PetscCall(PetscRandomSeed(*r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Draw(PetscRandom r, PetscInt n, PetscReal v[])
{
  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < n; i++) PetscCall(PetscRandomGetValueReal(r, &v[i]));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestBytesEqual(const void *a, const void *b, size_t n, const char what[])
{
  PetscFunctionBeginUser;
  PetscCall(TestCheck(PETSC_COMM_WORLD, memcmp(a, b, n) ? PETSC_FALSE : PETSC_TRUE, what));
  PetscFunctionReturn(0);
}

static PetscErrorCode NewSnapshot(PetscSnapshotType type, PetscSnapshot *snap)
{
  PetscMPIInt size;
  char        file[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  if (!strcmp(type, PETSCSNAPSHOTHDF5)) {
    PetscCall(PetscSNPrintf(file, sizeof(file), "random-same-np%d.h5", (int)size));
    PetscCall(HDF5Snapshot(file, snap));
  } else {
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
    PetscCall(PetscSnapshotSetType(*snap, type));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Grid(DM *da)
{
  PetscFunctionBeginUser;
  PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, 16, 1, 1, NULL, da));
  PetscCall(DMSetUp(*da));
  PetscCall(PetscObjectSetName((PetscObject)*da, "grid"));
  PetscFunctionReturn(0);
}

/* capture, draw, restore, draw: the same numbers, the same interval; twice from one snapshot */
static PetscErrorCode Stream(PetscSnapshotType stype, const char rtype[])
{
  DM            da;
  PetscRandom   r;
  PetscSnapshot snap;
  PetscReal     warm[3], a[NDRAW], b[NDRAW], c[NDRAW];
  PetscScalar   low, high;
  char          what[256];

  PetscFunctionBeginUser;
  PetscCall(Grid(&da));
  PetscCall(NewStream(rtype, 4242, &r));
  PetscCall(PetscRandomSetInterval(r, -1.0, 2.0));
  PetscCall(PetscSnapshotDMAddState(da, "stream", (PetscObject)r));
  PetscCall(Draw(r, 3, warm));
  PetscCall(NewSnapshot(stype, &snap));
  PetscCall(PetscSnapshotCapture(snap, da));
  PetscCall(Draw(r, NDRAW, a));
  PetscCall(PetscRandomSetInterval(r, 0.0, 1.0));
  PetscCall(PetscRandomSetSeed(r, 99));
  PetscCall(PetscRandomSeed(r)); /* a regretted step that even reseeds */
  PetscCall(PetscSnapshotRestore(snap, da));
  PetscCall(PetscRandomGetInterval(r, &low, &high));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s, %s: the interval is restored", stype, rtype));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(low == -1.0 && high == 2.0), what));
  PetscCall(Draw(r, NDRAW, b));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s, %s: after restore the stream draws bitwise the same %d numbers", stype, rtype, NDRAW));
  PetscCall(TestBytesEqual(a, b, sizeof(a), what));
  PetscCall(PetscSnapshotRestore(snap, da));
  PetscCall(Draw(r, NDRAW, c));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s, %s: a second restore from the same snapshot draws them again", stype, rtype));
  PetscCall(TestBytesEqual(a, c, sizeof(a), what));
  {
    PetscMPIInt size;
    PetscReal   first[NDRAW];
    PetscBool   differ;

    /* each rank's stream is its own: the restore did not give rank 0's to the others */
    PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
    if (size > 1) {
      PetscCall(PetscArraycpy(first, b, NDRAW));
      PetscCallMPI(MPI_Bcast(first, NDRAW, MPIU_REAL, 0, PETSC_COMM_WORLD));
      differ = memcmp(first, b, sizeof(b)) ? PETSC_TRUE : PETSC_FALSE;
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &differ, 1, EXAMPLE_MPI_BOOL, MPI_LOR, PETSC_COMM_WORLD));
      PetscCall(PetscSNPrintf(what, sizeof(what), "%s, %s: each rank draws its own stream after restore", stype, rtype));
      PetscCall(TestCheck(PETSC_COMM_WORLD, differ, what));
    }
  }
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscRandomDestroy(&r));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

/* PETSCRAND's state is the C library's, hidden: refused at capture; a type changed since capture: refused at restore */
static PetscErrorCode Refusals(PetscSnapshotType stype)
{
  DM            da;
  PetscRandom   r;
  PetscSnapshot snap;
  PetscReal     a[NDRAW], b[NDRAW];
  char          what[256];

  PetscFunctionBeginUser;
  PetscCall(Grid(&da));
  PetscCall(NewStream(PETSCRAND, 7, &r));
  PetscCall(PetscSnapshotDMAddState(da, "stream", (PetscObject)r));
  PetscCall(NewSnapshot(stype, &snap));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: a PetscRandom of type rand is refused at capture naming the state and the type", stype));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, da), "PetscRandom \"stream\" is of type rand, whose generator state cannot be read", what);
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscRandomDestroy(&r));

  PetscCall(NewStream(PETSCRANDER48, 7, &r));
  PetscCall(PetscSnapshotDMAddState(da, "stream", (PetscObject)r));
  PetscCall(NewSnapshot(stype, &snap));
  PetscCall(PetscSnapshotCapture(snap, da));
  PetscCall(PetscRandomSetType(r, PETSCRAND48));
  PetscCall(PetscRandomSeed(r));
  PetscCall(Draw(r, NDRAW, a));
  PetscCall(PetscRandomSeed(r));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: a PetscRandom whose type changed after capture is refused naming both types", stype));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, da), "PetscRandom \"stream\" was of type rander48 at capture and is of type rand48 now", what);
  PetscCall(Draw(r, NDRAW, b));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: ... and nothing written (the stream goes on as before the refused restore)", stype));
  PetscCall(TestBytesEqual(a, b, sizeof(a), what));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscRandomDestroy(&r));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

/* One step of a particle code: 3 new particles per rank, placed from the stream, in local cell 0. */
static PetscErrorCode SeedParticles(DM sw, PetscRandom r, PetscInt step)
{
  PetscInt    n0, n;
  PetscReal  *x;
  PetscInt64 *pid;
  PetscInt   *rank, *cell;
  PetscMPIInt rk;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rk));
  PetscCall(DMSwarmGetLocalSize(sw, &n0));
  PetscCall(DMSwarmAddNPoints(sw, 3));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(GetField(sw, DMSwarmPICField_coor, &x));
  PetscCall(GetField(sw, DMSwarmField_pid, &pid));
  PetscCall(GetField(sw, DMSwarmField_rank, &rank));
  PetscCall(GetField(sw, SWARM_CELLID, &cell));
  for (PetscInt p = n0; p < n; p++) {
    PetscCall(Draw(r, 2, &x[2 * p]));
    pid[p]  = 1000000 + 10000 * (PetscInt64)rk + 100 * step + (p - n0);
    rank[p] = rk;
    cell[p] = 0;
  }
  PetscCall(RestoreField(sw, SWARM_CELLID, &cell));
  PetscCall(RestoreField(sw, DMSwarmField_rank, &rank));
  PetscCall(RestoreField(sw, DMSwarmField_pid, &pid));
  PetscCall(RestoreField(sw, DMSwarmPICField_coor, &x));
  PetscCall(SwarmFill(sw, step));
  PetscFunctionReturn(0);
}

static PetscErrorCode Particles(PetscSnapshotType stype, const char rtype[])
{
  DM            mesh, sw;
  PetscRandom   r;
  PetscSnapshot snap;
  Population    never, retried;
  PetscBool     eq;
  PetscReal     waste[5];
  char          what[256];

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 4, PETSC_FALSE, "mesh", &mesh));
  PetscCall(CreateSwarm(mesh, 2, SWARM_STANDARD, &sw));
  PetscCall(NewStream(rtype, 31, &r));
  PetscCall(PetscSnapshotDMAddState(sw, "injector", (PetscObject)r));
  PetscCall(SeedParticles(sw, r, 0));
  PetscCall(NewSnapshot(stype, &snap));
  PetscCall(PetscSnapshotCapture(snap, sw));
  PetscCall(SeedParticles(sw, r, 1)); /* the step never retried */
  PetscCall(PopulationGet(sw, &never));
  PetscCall(Draw(r, 5, waste)); /* what a regretted attempt also drew */
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(SeedParticles(sw, r, 1)); /* the retry */
  PetscCall(PopulationGet(sw, &retried));
  PetscCall(PopulationEqual(&never, &retried, &eq));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s, %s: particles seeded from the declared PetscRandom: the retried step's swarm is bitwise the never-retried one", stype, rtype));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));
  PetscCall(PopulationFree(&never));
  PetscCall(PopulationFree(&retried));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscRandomDestroy(&r));
  PetscCall(DMDestroy(&sw));
  PetscCall(DMDestroy(&mesh));
  PetscFunctionReturn(0);
}

/* ---- restart in a new process: the writer draws 3 numbers, then captures */
static PetscErrorCode Write(void)
{
  PetscMPIInt size;
  char        file[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (int t = 0; t < 2; t++) {
    DM            mesh;
    PetscRandom   r;
    PetscSnapshot snap;
    PetscReal     warm[3];

    PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 4, PETSC_FALSE, "mesh", &mesh));
    PetscCall(NewStream(readableTypes[t], 555, &r));
    PetscCall(PetscSnapshotDMAddState(mesh, "stream", (PetscObject)r));
    PetscCall(Draw(r, 3, warm));
    PetscCall(PetscSNPrintf(file, sizeof(file), "random-%s-w%d.h5", readableTypes[t], (int)size));
    PetscCall(HDF5Snapshot(file, &snap));
    PetscCall(PetscSnapshotCapture(snap, mesh));
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(PetscRandomDestroy(&r));
    PetscCall(DMDestroy(&mesh));
  }
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "writer: checkpoints written"));
  PetscFunctionReturn(0);
}

static PetscErrorCode Read(void)
{
  PetscMPIInt size;
  char        file[PETSC_MAX_PATH_LEN], what[256];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (int t = 0; t < 2; t++) {
    for (PetscMPIInt w = 1; w <= 2; w++) {
      DM            mesh;
      PetscRandom   r;
      PetscSnapshot snap;
      PetscReal     expected[3 + NDRAW], got[NDRAW];

      PetscCall(NewStream(readableTypes[t], 555, &r)); /* the writer's stream, made again: what it draws next */
      PetscCall(Draw(r, 3 + NDRAW, expected));
      PetscCall(PetscRandomDestroy(&r));
      PetscCall(PetscSNPrintf(file, sizeof(file), "random-%s-w%d.h5", readableTypes[t], (int)w));
      PetscCall(HDF5Snapshot(file, &snap));
      if (w == size) PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 4, PETSC_FALSE, "mesh", &mesh));
      else PetscCall(PetscSnapshotHDF5LoadDM(snap, "mesh", &mesh));
      PetscCall(NewStream(readableTypes[t], 1, &r));
      PetscCall(PetscSnapshotDMAddState(mesh, "stream", (PetscObject)r));
      if (w == size) {
        PetscCall(PetscSnapshotRestore(snap, mesh));
        PetscCall(Draw(r, NDRAW, got));
        PetscCall(PetscSNPrintf(what, sizeof(what), "%s: written on %d, restored on %d in a new process: the writer's stream, bitwise", readableTypes[t], (int)w, (int)size));
        PetscCall(TestBytesEqual(expected + 3, got, sizeof(got), what));
      } else {
        PetscReal before[NDRAW];

        PetscCall(PetscSNPrintf(what, sizeof(what), "%s: written on %d, restored on %d: refused naming the state", readableTypes[t], (int)w, (int)size));
        TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, mesh), "PetscRandom \"stream\" is the random stream of each rank", what);
        PetscCall(Draw(r, NDRAW, got));
        PetscCall(PetscRandomSeed(r)); /* back to seed 1, unrestored: what it drew must be that */
        PetscCall(Draw(r, NDRAW, before));
        PetscCall(PetscSNPrintf(what, sizeof(what), "%s: ... nothing written (the stream is still its own)", readableTypes[t]));
        PetscCall(TestBytesEqual(before, got, sizeof(got), what));
      }
      PetscCall(PetscSnapshotDestroy(&snap));
      PetscCall(PetscRandomDestroy(&r));
      PetscCall(DMDestroy(&mesh));
    }
  }
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char mode[16] = "same";
  int  code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  if (!strcmp(mode, "same")) {
    const PetscSnapshotType stypes[] = {PETSCSNAPSHOTMEMORY, PETSCSNAPSHOTHDF5};
    for (int s = 0; s < 2; s++) {
      for (int t = 0; t < 2; t++) PetscCall(Stream(stypes[s], readableTypes[t]));
      for (int t = 0; t < 2; t++) PetscCall(Particles(stypes[s], readableTypes[t]));
      PetscCall(Refusals(stypes[s]));
    }
  } else if (!strcmp(mode, "write")) PetscCall(Write());
  else PetscCall(Read());
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
