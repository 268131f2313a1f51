static const char help[] = "Checkpoint and restart with the hdf5 snapshot type.\n"
                           "-mode run: the heat equation on a DMPlex with particles in a cellular flow; a checkpoint every few\n"
                           "steps (numbered files, the last 2 kept), a distribution-free fingerprint of each checkpoint, and the\n"
                           "final state saved as a reference.\n"
                           "-mode restart, on any number of ranks: a new process restores the newest checkpoint and checks that\n"
                           "its state matches the checkpoint's fingerprint, bitwise. On the rank count that wrote it the program\n"
                           "builds its mesh itself and also checks that the continued run ends bitwise like the uninterrupted one;\n"
                           "on another it loads the mesh from the checkpoint (PetscSnapshotHDF5LoadDM) and runs to the end.\n\n"
                           "Options: -mode run|restart, -steps <10>, -every <3>, -n <8>\n";

#include <petscsnapshot.h>
#include "box_mesh.h"
#include "heat_problem.h"
#include "pic_problem.h"
#include "state_fingerprint.h"

typedef struct {
  DM  mesh, sw;
  TS  ts;
  Vec u;
} Sim;

/* The simulation on a mesh (built by the program, or loaded from a checkpoint) */
static PetscErrorCode SimCreateOn(DM mesh, PetscInt n, Sim *s)
{
  PetscFunctionBeginUser;
  s->mesh = mesh;
  PetscCall(HeatProblemSetUp(s->mesh, 0.01, &s->ts, &s->u));
  PetscCall(PICSwarmCreate(s->mesh, "particles", &s->sw));
  PetscCall(PICSwarmPopulate(s->sw, s->mesh, 2, 1.0 / n));
  /* the checkpoint holds the mesh with the TS (clock and solution) and the particles declared on it */
  PetscCall(PetscSnapshotDMAddState(s->mesh, "ts", (PetscObject)s->ts));
  PetscCall(PetscSnapshotDMAddState(s->mesh, "particles", (PetscObject)s->sw));
  PetscFunctionReturn(0);
}

static PetscErrorCode SimCreate(PetscInt n, Sim *s)
{
  DM mesh;

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, n, PETSC_FALSE, "mesh", &mesh));
  PetscCall(SimCreateOn(mesh, n, s));
  PetscFunctionReturn(0);
}

static PetscErrorCode SimStep(Sim *s)
{
  PetscReal move;

  PetscFunctionBeginUser;
  PetscCall(TSStep(s->ts));
  PetscCall(SwarmAdvect(s->sw, 0.01, &move));
  PetscFunctionReturn(0);
}

static PetscErrorCode SimDestroy(Sim *s)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotDMRemoveState(s->mesh, "particles"));
  PetscCall(DMDestroy(&s->sw));
  PetscCall(VecDestroy(&s->u));
  PetscCall(TSDestroy(&s->ts));
  PetscCall(DMDestroy(&s->mesh));
  PetscFunctionReturn(0);
}

static PetscErrorCode OpenSnapshot(const char file[], PetscInt keep, PetscSnapshot *snap)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
  PetscCall(PetscSnapshotSetType(*snap, PETSCSNAPSHOTHDF5));
  PetscCall(PetscSnapshotHDF5SetFileName(*snap, file));
  PetscCall(PetscSnapshotHDF5SetKeep(*snap, keep));
  PetscCall(PetscSnapshotSetFromOptions(*snap));
  PetscFunctionReturn(0);
}

/* Does the simulation equal, bitwise, the state in the reference file? Compares the solution and every particle's
   position and id (the reference is restored into the same objects after a copy is taken). */
static PetscErrorCode MatchesReference(Sim *s, PetscBool *match)
{
  PetscSnapshot ref;
  Vec           u;
  PetscInt      n, nref;
  PetscReal    *x, *xs = NULL;
  PetscInt64   *pid, *pids = NULL;
  PetscBool     same;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(s->u, &u));
  PetscCall(VecCopy(s->u, u));
  PetscCall(DMSwarmGetLocalSize(s->sw, &n));
  PetscCall(PetscMalloc2(2 * n + 1, &xs, n + 1, &pids));
  PetscCall(DMSwarmGetField(s->sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(DMSwarmGetField(s->sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
  PetscCall(PetscArraycpy(xs, x, 2 * n));
  PetscCall(PetscArraycpy(pids, pid, n));
  PetscCall(DMSwarmRestoreField(s->sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
  PetscCall(DMSwarmRestoreField(s->sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));

  PetscCall(OpenSnapshot("reference.h5", 0, &ref));
  PetscCall(PetscSnapshotRestore(ref, s->mesh));
  PetscCall(VecEqual(u, s->u, &same));
  PetscCall(DMSwarmGetLocalSize(s->sw, &nref));
  if (nref == n) {
    PetscCall(DMSwarmGetField(s->sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
    PetscCall(DMSwarmGetField(s->sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
    same = (PetscBool)(same && !memcmp(x, xs, 2 * n * sizeof(PetscReal)) && !memcmp(pid, pids, n * sizeof(PetscInt64)));
    PetscCall(DMSwarmRestoreField(s->sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
    PetscCall(DMSwarmRestoreField(s->sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  } else same = PETSC_FALSE;
  PetscCall(MPIU_Allreduce(&same, match, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscCall(PetscSnapshotDestroy(&ref));
  PetscCall(PetscFree2(xs, pids));
  PetscCall(VecDestroy(&u));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char          mode[16] = "run";
  PetscInt      steps = 10, every = 3, n = 8, step;
  Sim           s;
  PetscSnapshot ckpt;
  PetscBool     match = PETSC_TRUE;
  PetscMPIInt   size, rank;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-steps", &steps, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-every", &every, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(SimCreate(n, &s));
  PetscCall(OpenSnapshot("checkpoint.h5", 2, &ckpt));

  if (!strcmp(mode, "run")) {
    PetscSnapshot ref;
    for (step = 1; step <= steps; step++) {
      PetscCall(SimStep(&s));
      if (step % every == 0 && step < steps) {
        unsigned long long fp;
        FILE              *f;
        PetscCall(PetscSnapshotCapture(ckpt, s.mesh));
        PetscCall(StateFingerprint(s.mesh, s.u, s.sw, &fp));
        PetscCall(PetscFOpen(PETSC_COMM_WORLD, "checkpoint-fingerprint.txt", "w", &f));
        PetscCall(PetscFPrintf(PETSC_COMM_WORLD, f, "%d %llx\n", size, fp));
        PetscCall(PetscFClose(PETSC_COMM_WORLD, f));
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "step %2" PetscInt_FMT ": checkpoint written (state fingerprint %016llx)\n", step, fp));
      }
    }
    PetscCall(OpenSnapshot("reference.h5", 0, &ref));
    PetscCall(PetscSnapshotCapture(ref, s.mesh));
    PetscCall(PetscSnapshotDestroy(&ref));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "step %2" PetscInt_FMT ": stopped; final state saved in reference.h5\n", steps));
  } else {
    PetscReal          t;
    int                writers = 0;
    unsigned long long fpWritten = 0, fp;
    PetscInt           N;
    FILE              *f;
    PetscCall(PetscFOpen(PETSC_COMM_WORLD, "checkpoint-fingerprint.txt", "r", &f));
    if (rank == 0) PetscCheck(fscanf(f, "%d %llx", &writers, &fpWritten) == 2, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "checkpoint-fingerprint.txt");
    PetscCall(PetscFClose(PETSC_COMM_WORLD, f));
    PetscCallMPI(MPI_Bcast(&writers, 1, MPI_INT, 0, PETSC_COMM_WORLD));
    PetscCallMPI(MPI_Bcast(&fpWritten, 1, MPI_UNSIGNED_LONG_LONG, 0, PETSC_COMM_WORLD));
    if (writers != size) { /* another rank count: the mesh comes from the checkpoint */
      DM mesh;
      PetscCall(SimDestroy(&s));
      PetscCall(PetscSnapshotHDF5LoadDM(ckpt, "mesh", &mesh));
      PetscCall(SimCreateOn(mesh, n, &s));
    }
    PetscCall(PetscSnapshotRestore(ckpt, s.mesh)); /* the newest checkpoint */
    PetscCall(TSGetStepNumber(s.ts, &step));
    PetscCall(TSGetTime(s.ts, &t));
    PetscCall(StateFingerprint(s.mesh, s.u, s.sw, &fp));
    match = (PetscBool)(fp == fpWritten);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "restarted on %d ranks from the newest checkpoint (written on %d): step %" PetscInt_FMT ", t = %g; the restored state %s the checkpoint (fingerprint %016llx: solution at every vertex and every particle, bitwise)\n", size, writers, step, (double)t,
                          match ? "matches" : "DOES NOT MATCH", fp));
    {
      PetscBool placed;
      PetscCall(SwarmPlaced(s.sw, s.mesh, &placed));
      match = (PetscBool)(match && placed);
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "every particle %s on the rank that owns its cell, with that cell in its cell-id field\n", placed ? "is" : "is NOT"));
    }
    for (step = step + 1; step <= steps; step++) PetscCall(SimStep(&s));
    if (writers == size) {
      PetscBool same;
      PetscCall(MatchesReference(&s, &same));
      match = (PetscBool)(match && same);
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "step %2" PetscInt_FMT ": the continued run %s the uninterrupted run (solution and every particle, bitwise)\n", steps, same ? "matches" : "DOES NOT MATCH"));
    } else {
      PetscCall(DMSwarmGetSize(s.sw, &N));
      PetscCall(TSGetTime(s.ts, &t));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "step %2" PetscInt_FMT ": t = %g, %" PetscInt_FMT " particles (another partition sums in another order: the run goes on, not bitwise like the writer's)\n", steps, (double)t, N));
    }
  }
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(SimDestroy(&s));
  PetscCall(PetscFinalize());
  return match ? 0 : 1;
}
