static const char help[] = "Steps undone by TS events: TSSolve()'s event handler locates a zero crossing inside a step by rolling the step\n"
                           "back (TSRollBack()) and taking it again shorter. PETSc rolls back the solution only (TSRK subtracts the\n"
                           "stage updates: up to round-off). With a snapshot attached, the start of the step is restored whole before it\n"
                           "is taken again: a run with events equals bitwise a replay of its accepted steps without events, state\n"
                           "changed in post-stage callbacks included.\n";

#include "fisherutil.h"

#define MAXSTEPS 256

static PetscReal logH[MAXSTEPS], lastH;
static PetscInt  nLog, replay, events;
static PetscInt  counter; /* declared: changed at every stage */

static PetscErrorCode RecordH(TS ts, PetscReal t)
{
  PetscFunctionBeginUser;
  PetscCall(TSGetTimeStep(ts, &lastH));
  PetscFunctionReturn(0);
}

static PetscErrorCode PostStage(TS ts, PetscReal t, PetscInt stage, Vec *Y)
{
  PetscFunctionBeginUser;
  counter = (31 * counter + stage + 1) % 1000003;
  PetscFunctionReturn(0);
}

static PetscErrorCode PreStep(TS ts)
{
  PetscInt k;

  PetscFunctionBeginUser;
  PetscCall(TSGetStepNumber(ts, &k));
  if (replay) PetscCall(TSSetTimeStep(ts, logH[k]));
  PetscFunctionReturn(0);
}

static PetscErrorCode PostStep(TS ts)
{
  PetscInt k;

  PetscFunctionBeginUser;
  PetscCall(TSGetStepNumber(ts, &k));
  PetscCheck(k <= MAXSTEPS, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "too many steps");
  if (!replay) {
    logH[k - 1] = lastH;
    nLog        = k;
  }
  PetscFunctionReturn(0);
}

/* the mean of u crosses 0.5 (Fisher-KPP fills the domain) */
static PetscErrorCode Indicator(TS ts, PetscReal t, Vec U, PetscReal fvalue[], void *ctx)
{
  PetscScalar sum;

  PetscFunctionBeginUser;
  PetscCall(VecSum(U, &sum));
  fvalue[0] = PetscRealPart(sum) / 48 - 0.5;
  PetscFunctionReturn(0);
}

static PetscErrorCode PostEvent(TS ts, PetscInt n, PetscInt which[], PetscReal t, Vec U, PetscBool forward, void *ctx)
{
  PetscFunctionBeginUser;
  events++;
  PetscFunctionReturn(0);
}

typedef struct {
  Vec      u;
  PetscInt counter, steps, retries, events;
} Result;

/* mode 0: with the event handler (attached or not); mode 1: the replay of mode 0's accepted steps, no events */
static PetscErrorCode Run(PetscBool attach, int mode, Result *r)
{
  Fisher        f;
  PetscSnapshot snap = NULL;
  PetscInt      direction = 0;
  PetscBool     terminate = PETSC_FALSE;

  PetscFunctionBeginUser;
  replay  = mode;
  counter = 0;
  events  = 0;
  PetscCall(FisherCreate(PETSC_COMM_WORLD, FISHER_EXPLICIT, TSRK, TSADAPTNONE, 0.02, &f));
  PetscCall(TSRKSetType(f.ts, TSRK4));
  PetscCall(TSSetPreStage(f.ts, RecordH));
  PetscCall(TSSetPostStage(f.ts, PostStage));
  PetscCall(TSSetPreStep(f.ts, PreStep));
  PetscCall(TSSetPostStep(f.ts, PostStep));
  PetscCall(TSSetMaxSteps(f.ts, mode ? nLog : 30));
  PetscCall(PetscSnapshotDMAddStateBytes(f.da, "counter", &counter, sizeof(counter), 1));
  if (!mode) PetscCall(TSSetEventHandler(f.ts, 1, &direction, &terminate, Indicator, PostEvent, NULL));
  if (attach) {
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
    PetscCall(PetscSnapshotSetTS(snap, f.ts));
  }
  PetscCall(TSSolve(f.ts, f.u));
  r->retries = 0;
  if (snap) PetscCall(PetscSnapshotGetTSCounts(snap, &r->retries, NULL, NULL));
  PetscCall(TSGetStepNumber(f.ts, &r->steps));
  r->counter = counter;
  r->events  = events;
  PetscCall(VecDuplicate(f.u, &r->u));
  PetscCall(VecCopy(f.u, r->u));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(FisherDestroy(&f));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm  comm;
  Result    att, rep, own, rep2;
  PetscBool eq;
  int       code;
  char      line[512];

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;

  PetscCall(Run(PETSC_TRUE, 0, &att));
  PetscCall(Run(PETSC_FALSE, 1, &rep));
  PetscCall(VecBitwiseEqual(att.u, rep.u, &eq));
  PetscCall(PetscSNPrintf(line, sizeof(line), "attached, event located (%" PetscInt_FMT "): %" PetscInt_FMT " steps, %" PetscInt_FMT " rolled back by TSRollBack() and restored; solution and stage counter equal the replay bitwise", att.events, att.steps, att.retries));
  PetscCall(TestCheck(comm, (PetscBool)(att.events == 1 && att.retries > 0 && att.steps == rep.steps && eq && att.counter == rep.counter), line));

  PetscCall(Run(PETSC_FALSE, 0, &own));
  PetscCall(Run(PETSC_FALSE, 1, &rep2));
  PetscCall(VecBitwiseEqual(own.u, rep2.u, &eq));
  PetscCall(PetscSNPrintf(line, sizeof(line), "PETSc alone, event located (%" PetscInt_FMT "): the stage counter of the undone attempts is kept (%s the replay), the solution %s the replay", own.events, own.counter == rep2.counter ? "equals" : "differs from", eq ? "equals" : "differs from"));
  PetscCall(TestCheck(comm, (PetscBool)(own.events == 1 && own.counter != rep2.counter), line));

  PetscCall(VecDestroy(&att.u));
  PetscCall(VecDestroy(&rep.u));
  PetscCall(VecDestroy(&own.u));
  PetscCall(VecDestroy(&rep2.u));
  PetscCall(TestFinish(comm, &code));
  PetscCall(PetscFinalize());
  return code;
}
