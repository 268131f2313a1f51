static const char help[] = "A snapshot attached to a TS rolls back every rejected step before its retry: a run with rejections\n"
                           "(adaptor error estimate, user stage check) equals bitwise a replay that takes only the accepted\n"
                           "steps, for TSRK, TSARKIMEX and TSBEULER (every method: test_ts_methods.c); a swarm changed in a post-stage callback comes back too.\n";

#include <petscdmswarm.h>
#include "fisherutil.h"

#define MAXSTEPS 4096

typedef struct {
  PetscReal h[MAXSTEPS]; /* time step of each accepted step */
  PetscInt  n;
  PetscReal lastH; /* time step of the current attempt, seen by the pre-stage */
  DM        swarm; /* tracers changed by the post-stage, or NULL */
} Log;

static Log theLog;

static PetscErrorCode RecordH(TS ts, PetscReal t)
{
  PetscFunctionBeginUser;
  PetscCall(TSGetTimeStep(ts, &theLog.lastH));
  PetscFunctionReturn(0);
}

/* Every stage, including stages of rejected attempts, adds a tracer and loads every tracer with the stage time. */
static PetscErrorCode PostStage(TS ts, PetscReal t, PetscInt stage, Vec *Y)
{
  PetscInt   n;
  PetscReal *load;

  PetscFunctionBeginUser;
  if (!theLog.swarm) PetscFunctionReturn(0);
  PetscCall(DMSwarmAddNPoints(theLog.swarm, 1));
  PetscCall(DMSwarmGetLocalSize(theLog.swarm, &n));
  PetscCall(DMSwarmGetField(theLog.swarm, "load", NULL, NULL, (void **)&load));
  for (PetscInt p = 0; p < n; p++) load[p] += t * (1 + stage);
  load[n - 1] = -t;
  PetscCall(DMSwarmRestoreField(theLog.swarm, "load", NULL, NULL, (void **)&load));
  PetscFunctionReturn(0);
}

/* A user check: a stage that changes u by more than 0.05 anywhere is rejected and retried with half the step. */
static PetscErrorCode CheckStage(TSAdapt adapt, TS ts, PetscReal t, Vec Y, PetscBool *accept)
{
  PetscFunctionBeginUser;
  PetscCall(StageChangeAtMost(ts, Y, 0.05, accept));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateTracers(MPI_Comm comm, DM *sw)
{
  PetscFunctionBeginUser;
  PetscCall(DMCreate(comm, sw));
  PetscCall(PetscObjectSetName((PetscObject)*sw, "tracers"));
  PetscCall(DMSetType(*sw, DMSWARM));
  PetscCall(DMSetDimension(*sw, 1));
  PetscCall(DMSwarmSetType(*sw, DMSWARM_BASIC));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "load", 1, PETSC_REAL));
  PetscCall(DMSwarmFinalizeFieldRegister(*sw));
  PetscCall(DMSwarmSetLocalSizes(*sw, 3, 4));
  PetscFunctionReturn(0);
}

typedef struct {
  const char *name;
  TSType      type;
  FisherMode  mode;
  const char *adapt;
  PetscBool   check, swarm;
  PetscReal   dt, T;
  PetscBool   snesFail; /* Newton limited to 2 iterations: large steps fail to converge and are retried */
} Case;

typedef struct {
  Vec       u;
  PetscReal t;
  PetscInt  steps, rejections, retries;
  PetscReal *load; /* the tracers' loads, local */
  PetscInt  ntracers;
} Result;

/* mode 0: attached snapshot, adaptive (log the accepted steps); 1: replay of the log with no adaptivity; 2: PETSc's
   own retries (no snapshot), adaptive */
static PetscErrorCode Run(const Case *c, int mode, Result *r)
{
  MPI_Comm      comm = PETSC_COMM_WORLD;
  Fisher        f;
  PetscSnapshot snap = NULL;
  DM            sw   = NULL;
  PetscReal     t    = 0;

  PetscFunctionBeginUser;
  PetscCall(FisherCreate(comm, c->mode, c->type, mode == 1 ? TSADAPTNONE : c->adapt, c->dt, &f));
  PetscCall(TSSetTolerances(f.ts, 1e-6, NULL, 1e-6, NULL));
  PetscCall(TSSetPreStage(f.ts, RecordH));
  PetscCall(TSSetPostStage(f.ts, PostStage));
  if (c->check && mode != 1) {
    TSAdapt adapt;
    PetscCall(TSGetAdapt(f.ts, &adapt));
    PetscCall(TSAdaptSetCheckStage(adapt, CheckStage));
  }
  if (c->snesFail) {
    SNES snes;
    PetscCall(TSGetSNES(f.ts, &snes));
    PetscCall(SNESSetTolerances(snes, PETSC_DEFAULT, 1e-10, PETSC_DEFAULT, 2, PETSC_DEFAULT));
    PetscCall(TSSetMaxSNESFailures(f.ts, -1));
  }
  if (c->swarm) {
    PetscCall(CreateTracers(comm, &sw));
    PetscCall(PetscSnapshotDMAddState(f.da, "tracers", (PetscObject)sw)); /* the swarm belongs to the TS's state */
  }
  theLog.swarm = sw;
  if (mode == 0) {
    PetscCall(PetscSnapshotCreate(comm, &snap));
    PetscCall(PetscSnapshotSetTS(snap, f.ts));
    theLog.n = 0;
  }
  for (PetscInt k = 0; t < c->T; k++) {
    if (mode == 1) {
      if (k >= theLog.n) break;
      PetscCall(TSSetTimeStep(f.ts, theLog.h[k]));
    }
    PetscCall(TSStep(f.ts));
    if (mode == 0) {
      PetscCheck(theLog.n < MAXSTEPS, comm, PETSC_ERR_PLIB, "too many steps");
      theLog.h[theLog.n++] = theLog.lastH;
    }
    PetscCall(TSGetTime(f.ts, &t));
    if ((c->check || c->snesFail) && mode != 1) { /* grow the step again after success, so that rejections recur */
      PetscReal h;
      PetscCall(TSGetTimeStep(f.ts, &h));
      PetscCall(TSSetTimeStep(f.ts, 1.6 * h));
    }
  }
  PetscCall(VecDuplicate(f.u, &r->u));
  PetscCall(VecCopy(f.u, r->u));
  r->t = t;
  PetscCall(TSGetStepNumber(f.ts, &r->steps));
  PetscCall(TSGetStepRejections(f.ts, &r->rejections));
  r->retries = 0;
  if (snap) PetscCall(PetscSnapshotGetTSCounts(snap, &r->retries, NULL, NULL));
  r->load     = NULL;
  r->ntracers = 0;
  if (sw) {
    PetscReal *load;
    PetscCall(DMSwarmGetLocalSize(sw, &r->ntracers));
    PetscCall(PetscMalloc1(r->ntracers + 1, &r->load));
    PetscCall(DMSwarmGetField(sw, "load", NULL, NULL, (void **)&load));
    PetscCall(PetscArraycpy(r->load, load, r->ntracers));
    PetscCall(DMSwarmRestoreField(sw, "load", NULL, NULL, (void **)&load));
    PetscCall(PetscSnapshotDMRemoveState(f.da, "tracers"));
    PetscCall(DMDestroy(&sw));
  }
  theLog.swarm = NULL;
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(FisherDestroy(&f));
  PetscFunctionReturn(0);
}

static PetscErrorCode ResultFree(Result *r)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&r->u));
  PetscCall(PetscFree(r->load));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  const Case cases[] = {
    {"TSRK (3bs, adaptive), swarm changed in post-stage", TSRK,      FISHER_EXPLICIT, TSADAPTBASIC, PETSC_FALSE, PETSC_TRUE,  0.2,  0.6},
    {"TSARKIMEX (adaptive)",                               TSARKIMEX, FISHER_IMEX,     TSADAPTBASIC, PETSC_FALSE, PETSC_FALSE, 0.2,  0.6},
    {"TSBEULER with a user stage check",                   TSBEULER,  FISHER_IMPLICIT, TSADAPTNONE,  PETSC_TRUE,  PETSC_TRUE,  0.2,  0.6},
    {"TSBEULER with failing nonlinear solves",             TSBEULER,  FISHER_IMPLICIT, TSADAPTNONE,  PETSC_FALSE, PETSC_FALSE, 0.4,  0.6, PETSC_TRUE},
  };
  int code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const Case *c = &cases[i];
    Result      att, rep, own;
    PetscBool   eq, loadEq;
    char        line[512];

    PetscCall(Run(c, 0, &att));
    PetscCall(Run(c, 1, &rep));
    PetscCall(Run(c, 2, &own));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: %" PetscInt_FMT " accepted steps, %" PetscInt_FMT " rejected, %" PetscInt_FMT " rolled back by the snapshot\n", c->name, att.steps, att.rejections, att.retries));
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s: the run rejected steps and every rejection was rolled back by the snapshot", c->name));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(att.rejections > 0 && att.retries == att.rejections), line));
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s: with rejections equals the replay of the accepted steps, bitwise", c->name));
    PetscCall(VecBitwiseEqual(att.u, rep.u, &eq));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(eq && att.t == rep.t && att.steps == rep.steps), line));
    if (c->swarm) {
      loadEq = (PetscBool)(att.ntracers == rep.ntracers && !memcmp(att.load, rep.load, sizeof(PetscReal) * att.ntracers));
      PetscCall(PetscSNPrintf(line, sizeof(line), "%s: the swarm changed by rejected stages is rolled back (population and fields equal the replay)", c->name));
      PetscCall(TestCheck(PETSC_COMM_WORLD, loadEq, line));
    }
    PetscCall(VecBitwiseEqual(own.u, rep.u, &eq));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  (for reference, PETSc's own retries without the snapshot: %s the replay)\n", eq && own.t == rep.t ? "equal to" : "differ from"));
    PetscCall(ResultFree(&att));
    PetscCall(ResultFree(&rep));
    PetscCall(ResultFree(&own));
  }
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
