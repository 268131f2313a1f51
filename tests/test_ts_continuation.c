static const char help[] = "Bit-identical continuation with a real PETSc solver (TS, backward Euler, Q1 FEM heat equation on a\n"
                           "DMPlex): restore then K steps equals K steps; a regretted 10x-dt step leaves no trace; a moved mesh\n"
                           "is restored exactly and the next solve uses the restored coordinates.\n";

#include "testutil.h"
#include "heatutil.h"

typedef struct {
  PetscReal time, dt;
  PetscInt  step;
} Clock;

/* The TS clock is not part of a DM; this test keeps it by hand. */
static PetscErrorCode ClockSave(TS ts, Clock *c)
{
  PetscFunctionBeginUser;
  PetscCall(TSGetTime(ts, &c->time));
  PetscCall(TSGetTimeStep(ts, &c->dt));
  PetscCall(TSGetStepNumber(ts, &c->step));
  PetscFunctionReturn(0);
}

static PetscErrorCode ClockRestore(TS ts, const Clock *c)
{
  PetscFunctionBeginUser;
  PetscCall(TSSetTime(ts, c->time));
  PetscCall(TSSetTimeStep(ts, c->dt));
  PetscCall(TSSetStepNumber(ts, c->step));
  PetscFunctionReturn(0);
}

static PetscErrorCode RestoreAll(PetscSnapshot snap, Heat *h, const Clock *c)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotRestore(snap, h->dm));
  PetscCall(ClockRestore(h->ts, c));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm      comm;
  PetscSnapshot snap;
  Heat          h;
  Clock         c0, c1;
  Vec           A, B, C, D, E;
  PetscInt      K = 4;
  PetscBool     same;
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-steps", &K, NULL));
  PetscCall(HeatCreate(comm, 8, 0.01, &h));
  PetscCall(HeatSteps(&h, 2)); /* start from a state that has history */
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetFromOptions(snap));

  PetscCall(ClockSave(h.ts, &c0));
  PetscCall(PetscSnapshotCapture(snap, h.dm));
  PetscCall(HeatSteps(&h, K));
  PetscCall(VecDuplicate(h.u, &A));
  PetscCall(VecCopy(h.u, A));

  /* S -> K steps == S -> K steps */
  PetscCall(RestoreAll(snap, &h, &c0));
  PetscCall(HeatSteps(&h, K));
  PetscCall(VecDuplicate(h.u, &B));
  PetscCall(VecCopy(h.u, B));
  PetscCall(TestVecEqual(A, B, "restore then K steps equals K steps from the capture, bitwise"));

  /* a regretted step with 10x dt, discarded, leaves no trace */
  PetscCall(RestoreAll(snap, &h, &c0));
  PetscCall(TSSetTimeStep(h.ts, 10 * c0.dt));
  PetscCall(TSStep(h.ts));
  PetscCall(VecBitwiseEqual(h.u, A, &same));
  PetscCall(RestoreAll(snap, &h, &c0));
  PetscCall(HeatSteps(&h, K));
  PetscCall(VecDuplicate(h.u, &C));
  PetscCall(VecCopy(h.u, C));
  PetscCall(TestVecEqual(A, C, "a regretted 10x-dt step, restored, leaves no trace: K steps bitwise equal"));

  /* moving mesh: a deformed mesh changes the solution; restoring the coordinates restores the solution exactly */
  PetscCall(RestoreAll(snap, &h, &c0));
  PetscCall(DeformMesh(h.dm, 0.08));
  PetscCall(HeatSteps(&h, K));
  PetscCall(VecDuplicate(h.u, &D));
  PetscCall(VecCopy(h.u, D));
  PetscCall(VecBitwiseEqual(A, D, &same));
  PetscCall(TestCheck(comm, (PetscBool)!same, "the solve on a deformed mesh differs (the solver sees coordinates)"));
  PetscCall(RestoreAll(snap, &h, &c0));
  PetscCall(HeatSteps(&h, K));
  PetscCall(TestVecEqual(A, h.u, "after restoring the undeformed mesh, K steps equal the undeformed run bitwise"));

  /* a snapshot of the deformed mesh: restore it and the next solve uses the deformed coordinates */
  PetscCall(RestoreAll(snap, &h, &c0));
  PetscCall(DeformMesh(h.dm, 0.08));
  PetscCall(ClockSave(h.ts, &c1));
  PetscCall(PetscSnapshotCapture(snap, h.dm));
  PetscCall(DeformMesh(h.dm, -0.05));
  PetscCall(HeatSteps(&h, 1));
  PetscCall(RestoreAll(snap, &h, &c1));
  PetscCall(HeatSteps(&h, K));
  PetscCall(VecDuplicate(h.u, &E));
  PetscCall(VecCopy(h.u, E));
  PetscCall(TestVecEqual(D, E, "moved mesh captured, moved again and stepped, restored: K steps equal the moved-mesh run bitwise"));

  PetscCall(VecDestroy(&A));
  PetscCall(VecDestroy(&B));
  PetscCall(VecDestroy(&C));
  PetscCall(VecDestroy(&D));
  PetscCall(VecDestroy(&E));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(HeatDestroy(&h));
  PetscCall(TestFinish(comm, &code));
  PetscCall(PetscFinalize());
  return code;
}
