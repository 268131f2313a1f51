static const char help[] = "The cost of a snapshot attached to a TS (PetscSnapshotSetTS: a memory capture at the start of every step)\n"
                           "as a percentage of TSStep, same run: the examples' heat problem (Q1, backward Euler, CG + Jacobi) on a\n"
                           "box mesh, its solution declared as the mesh's state, stepped by two identical TSs, one attached, in\n"
                           "interleaved blocks of -steps steps; and, since the difference of the two is within the noise of a\n"
                           "loaded machine, the capture the attachment makes at each step timed by itself (a second memory\n"
                           "snapshot of the attached TS's mesh, every byte copied). Options: -cells <32,64,128> per side, -steps <5>, -reps <9>,\n"
                           "-csv <file>.\n";

#include <petscsnapshot.h>
#include "box_mesh.h"
#include "heat_problem.h"
#include "benchutil.h"

typedef struct {
  DM  dm;
  TS  ts;
  Vec u;
} Heat;

typedef struct {
  Heat          plain, attached;
  PetscInt      steps;
  PetscSnapshot probe; /* captures what the attached snapshot captures at each step */
} Ctx;

static PetscErrorCode HeatCreate(PetscInt cells, Heat *h)
{
  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, cells, PETSC_FALSE, "mesh", &h->dm));
  PetscCall(HeatProblemSetUp(h->dm, 1e-3, &h->ts, &h->u));
  PetscCall(PetscSnapshotDMAddState(h->dm, "solution", (PetscObject)h->u));
  PetscFunctionReturn(0);
}

static PetscErrorCode HeatDestroy(Heat *h)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotDMRemoveState(h->dm, "solution"));
  PetscCall(VecDestroy(&h->u));
  PetscCall(TSDestroy(&h->ts));
  PetscCall(DMDestroy(&h->dm));
  PetscFunctionReturn(0);
}

static PetscErrorCode Steps(Heat *h, PetscInt k)
{
  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < k; i++) PetscCall(TSStep(h->ts));
  PetscFunctionReturn(0);
}

static PetscErrorCode StepPlain(void *p) { return Steps(&((Ctx *)p)->plain, ((Ctx *)p)->steps); }
static PetscErrorCode StepAttached(void *p) { return Steps(&((Ctx *)p)->attached, ((Ctx *)p)->steps); }

static PetscErrorCode Captures(void *p)
{
  Ctx *c = (Ctx *)p;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < c->steps; i++) PetscCall(PetscSnapshotCapture(c->probe, c->attached.dm));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Bench    b;
  Ctx      c;
  PetscInt cells[16] = {32, 64, 128}, ncells = 16;
  PetscBool set;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(BenchInit("ts", 9, &b));
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-cells", cells, &ncells, &set));
  if (!set) ncells = 3;
  c.steps = 5;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-steps", &c.steps, NULL));
  for (PetscInt s = 0; s < ncells; s++) {
    PetscSnapshot snap;
    BenchFn       fns[3] = {StepPlain, StepAttached, Captures};
    BenchTime     t[3], step[3];
    double        bytes;
    PetscInt      n;
    char          kase[64];

    PetscCall(HeatCreate(cells[s], &c.plain));
    PetscCall(HeatCreate(cells[s], &c.attached));
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
    PetscCall(PetscSnapshotSetFromOptions(snap));
    PetscCall(PetscSnapshotSetTS(snap, c.attached.ts));
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &c.probe));
    PetscCall(PetscSnapshotSetSkipUnchanged(c.probe, PETSC_FALSE)); /* the solution changes at every step */
    PetscCall(StepPlain(&c)); /* warm up both */
    PetscCall(StepAttached(&c));
    PetscCall(Captures(&c));
    PetscCall(BenchTimeOps(b.reps, 3, NULL, fns, &c, t));
    PetscCall(VecGetLocalSize(c.attached.u, &n));
    bytes = 8.0 * n;
    PetscCall(PetscSNPrintf(kase, sizeof(kase), "heat-%" PetscInt_FMT "x%" PetscInt_FMT, cells[s], cells[s]));
    for (int i = 0; i < 3; i++) { /* per step */
      step[i].wall = t[i].wall / c.steps;
      step[i].cpu  = t[i].cpu / c.steps;
      step[i].best = t[i].best / c.steps;
    }
    PetscCall(BenchRow(&b, b.reps, kase, "TSStep", bytes, n, NULL, step[0], step[0]));
    PetscCall(BenchRow(&b, b.reps, kase, "TSStep-attached", bytes, n, "TSStep", step[0], step[1]));
    PetscCall(BenchRow(&b, b.reps, kase, "capture-per-step", bytes, n, "TSStep", step[0], step[2]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-22s attached minus plain TSStep: %.2f%% of TSStep (CPU time: %.2f%%); the capture alone: %.3f%%\n", kase, 100 * (t[1].wall - t[0].wall) / t[0].wall, 100 * (t[1].cpu - t[0].cpu) / t[0].cpu, 100 * t[2].wall / t[0].wall));
    PetscCall(PetscSnapshotDestroy(&c.probe));
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(HeatDestroy(&c.attached));
    PetscCall(HeatDestroy(&c.plain));
  }
  PetscCall(PetscFinalize());
  return 0;
}
