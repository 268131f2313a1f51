static const char help[] = "PetscSnapshotSetTS cannot be lost silently: attached at each point of a setup sequence (before the type,\n"
                           "after it, after TSSetFromOptions, after TSSetUp) for several methods, and across TSReset/TSSetSolution,\n"
                           "adaptor and type changes, TSClone inside ARKIMEX, a second attachment, TSSetPreStage, destruction in\n"
                           "either order; a method that retries without TSPreStage is refused with an error at its first step.\n";

#include <petsc/private/tsimpl.h>
#include "fisherutil.h"

static PetscInt userPreStages = 0;

static PetscErrorCode UserPreStage(TS ts, PetscReal t)
{
  PetscFunctionBeginUser;
  userPreStages++;
  PetscFunctionReturn(0);
}

/* Rejects any stage that changes u by more than 0.02 and halves the step: every method retries. */
static PetscErrorCode CheckStage(TSAdapt adapt, TS ts, PetscReal t, Vec Y, PetscBool *accept)
{
  PetscFunctionBeginUser;
  PetscCall(StageChangeAtMost(ts, Y, 0.02, accept));
  PetscFunctionReturn(0);
}

/* TSSSP checks its updated solution, not a stage: steps longer than 0.02 are rejected (the step then fails). */
static PetscErrorCode CheckStep(TSAdapt adapt, TS ts, PetscReal t, Vec Y, PetscBool *accept)
{
  PetscFunctionBeginUser;
  PetscCall(StepAtMost(ts, 0.02, accept));
  PetscFunctionReturn(0);
}

/* A TS type of our own whose step retries a rejected attempt without calling TSPreStage(): not supported. */
static PetscErrorCode Step_NoPreStage(TS ts)
{
  Vec       f;
  PetscBool reject = PETSC_TRUE;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(ts->vec_sol, &f));
  for (;;) {
    PetscCall(TSComputeRHSFunction(ts, ts->ptime, ts->vec_sol, f));
    if (reject) { /* pretend the first attempt was rejected and retry with half the step */
      ts->reject++;
      ts->time_step /= 2;
      reject = PETSC_FALSE;
      continue;
    }
    PetscCall(VecAXPY(ts->vec_sol, ts->time_step, f));
    ts->ptime += ts->time_step;
    break;
  }
  PetscCall(VecDestroy(&f));
  PetscFunctionReturn(0);
}

static PetscErrorCode TSCreate_NoPreStage(TS ts)
{
  PetscFunctionBeginUser;
  ts->ops->step = Step_NoPreStage;
  PetscFunctionReturn(0);
}

typedef enum {
  AT_BEFORE_TYPE,
  AT_AFTER_TYPE,
  AT_AFTER_SETFROMOPTIONS,
  AT_AFTER_SETUP,
  AT_NONE
} AttachPoint;
static const char *const pointName[] = {"before TSSetType", "after TSSetType", "after TSSetFromOptions", "after TSSetUp", "never"};

typedef struct {
  DM        da;
  TS        ts;
  Vec       u;
  Mat       J;
  Vec       v; /* the velocity, for TSALPHA2 */
  FisherCtx ctx;
} Problem;

static FisherMode ModeOf(TSType type)
{
  if (!strcmp(type, TSEULER) || !strcmp(type, TSRK) || !strcmp(type, TSSSP) || !strcmp(type, TSGLEE) || !strcmp(type, "noprestage")) return FISHER_EXPLICIT;
  if (!strcmp(type, TSARKIMEX)) return FISHER_IMEX;
  return FISHER_IMPLICIT;
}

/* A typical setup sequence; the snapshot is attached at point 'at'. */
static PetscErrorCode Setup(TSType type, AttachPoint at, PetscSnapshot snap, Problem *p)
{
  MPI_Comm     comm = PETSC_COMM_WORLD;
  PetscInt     xs, xm;
  PetscScalar *u;
  TSAdapt      adapt;
  FisherMode   mode = ModeOf(type);

  PetscFunctionBeginUser;
  p->ctx.mode    = mode;
  p->ctx.D       = 0.01;
  p->ctx.hidden  = PETSC_FALSE;
  p->ctx.counter = 0;
  PetscCall(DMDACreate1d(comm, DM_BOUNDARY_PERIODIC, 48, 1, 1, NULL, &p->da));
  PetscCall(DMSetUp(p->da));
  PetscCall(PetscObjectSetName((PetscObject)p->da, "line"));
  PetscCall(DMCreateGlobalVector(p->da, &p->u));
  PetscCall(DMDAGetCorners(p->da, &xs, NULL, NULL, &xm, NULL, NULL));
  PetscCall(DMDAVecGetArray(p->da, p->u, &u));
  for (PetscInt i = xs; i < xs + xm; i++) {
    PetscReal x = (i + 0.5) / 48.0;
    u[i]        = 0.1 + 0.8 * PetscExpReal(-100 * (x - 0.5) * (x - 0.5));
  }
  PetscCall(DMDAVecRestoreArray(p->da, p->u, &u));
  PetscCall(DMCreateMatrix(p->da, &p->J));

  PetscCall(TSCreate(comm, &p->ts));
  PetscCall(TSSetDM(p->ts, p->da));
  if (at == AT_BEFORE_TYPE) PetscCall(PetscSnapshotSetTS(snap, p->ts));
  PetscCall(TSSetType(p->ts, type));
  if (at == AT_AFTER_TYPE) PetscCall(PetscSnapshotSetTS(snap, p->ts));
  if (mode != FISHER_IMPLICIT) PetscCall(TSSetRHSFunction(p->ts, NULL, FisherRHS, &p->ctx));
  if (mode != FISHER_EXPLICIT) {
    PetscCall(TSSetIFunction(p->ts, NULL, FisherIFunction, &p->ctx));
    PetscCall(TSSetIJacobian(p->ts, p->J, p->J, TSComputeIJacobianDefaultColor, NULL));
  }
  /* TSROSW and TSALPHA need the exact Jacobian (see test_ts_methods.c); TSALPHA2 a second-order problem */
  if (!strcmp(type, TSROSW) || !strcmp(type, TSALPHA) || !strcmp(type, TSALPHA2)) PetscCall(TSSetIJacobian(p->ts, p->J, p->J, FisherIJacobianExact, &p->ctx));
  p->v = NULL;
  if (!strcmp(type, TSALPHA2)) {
    PetscCall(TSSetI2Function(p->ts, NULL, FisherI2Function, &p->ctx));
    PetscCall(TSSetI2Jacobian(p->ts, p->J, p->J, FisherI2Jacobian, &p->ctx));
    PetscCall(VecDuplicate(p->u, &p->v));
    PetscCall(VecZeroEntries(p->v));
  }
  PetscCall(TSSetTimeStep(p->ts, 0.05));
  PetscCall(TSSetMaxTime(p->ts, 0.3));
  PetscCall(TSSetMaxSteps(p->ts, 100000));
  PetscCall(TSSetExactFinalTime(p->ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSSetMaxStepRejections(p->ts, 100));
  PetscCall(TSSetErrorIfStepFails(p->ts, PETSC_FALSE)); /* a failed step (TSSSP) is taken again (Run()) */
  PetscCall(TSGetAdapt(p->ts, &adapt));
  if (!strcmp(type, TSROSW) || !strcmp(type, TSALPHA) || !strcmp(type, TSALPHA2)) { /* a stage check rejects every attempt of rosw and alpha (docs/ts.md); alpha2 changes too little */
    PetscCall(TSAdaptSetType(adapt, TSADAPTBASIC));
    PetscCall(TSSetTolerances(p->ts, 1e-4, NULL, 1e-4, NULL));
  } else {
    PetscCall(TSAdaptSetType(adapt, TSADAPTNONE));
    PetscCall(TSAdaptSetCheckStage(adapt, !strcmp(type, TSSSP) ? CheckStep : CheckStage));
  }
  {
    SNES snes;
    KSP  ksp;
    PC   pc;
    PetscCall(TSGetSNES(p->ts, &snes));
    PetscCall(SNESGetKSP(snes, &ksp));
    PetscCall(KSPSetType(ksp, KSPPREONLY));
    PetscCall(KSPGetPC(ksp, &pc));
    PetscCall(PCSetType(pc, PCREDUNDANT));
    if (!strcmp(type, TSIRK)) { /* its KAIJ matrix has no LU in PETSc */
      PetscCall(KSPSetType(ksp, KSPGMRES));
      PetscCall(PCSetType(pc, PCNONE));
      PetscCall(KSPSetTolerances(ksp, 1e-12, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT));
    }
  }
  PetscCall(TSSetFromOptions(p->ts));
  if (at == AT_AFTER_SETFROMOPTIONS) PetscCall(PetscSnapshotSetTS(snap, p->ts));
  if (p->v) PetscCall(TS2SetSolution(p->ts, p->u, p->v));
  else PetscCall(TSSetSolution(p->ts, p->u));
  PetscCall(TSSetUp(p->ts));
  if (at == AT_AFTER_SETUP) PetscCall(PetscSnapshotSetTS(snap, p->ts));
  PetscFunctionReturn(0);
}

static PetscErrorCode Destroy(Problem *p)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&p->u));
  PetscCall(VecDestroy(&p->v));
  PetscCall(MatDestroy(&p->J));
  PetscCall(TSDestroy(&p->ts));
  PetscCall(DMDestroy(&p->da));
  PetscFunctionReturn(0);
}

/* Steps to the end with a TSStep loop that grows the step after each success, so that rejections recur; a failed step
   (TSSSP: a rejection fails the step) is taken again and counted with the rejections. */
static PetscErrorCode Run(Problem *p, PetscInt *rejections)
{
  PetscReal         t = 0, h;
  PetscInt          failed = 0;
  TSConvergedReason reason;

  PetscFunctionBeginUser;
  while (t < 0.3 - 1e-12) {
    PetscCall(TSStep(p->ts));
    PetscCall(TSGetConvergedReason(p->ts, &reason));
    if (reason < 0) failed++;
    PetscCall(TSGetTime(p->ts, &t));
    PetscCall(TSGetTimeStep(p->ts, &h));
    PetscCall(TSSetTimeStep(p->ts, PetscMin(1.6 * h, 0.3 - t > 1e-12 ? 0.3 - t : 1.6 * h)));
  }
  PetscCall(TSGetStepRejections(p->ts, rejections));
  *rejections += failed;
  PetscFunctionReturn(0);
}

static PetscErrorCode ExpectRolledBack(PetscSnapshot snap, PetscInt rejections, const char what[])
{
  PetscInt retries;
  char     line[512];

  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotGetTSCounts(snap, &retries, NULL, NULL));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: %" PetscInt_FMT " rejected, %" PetscInt_FMT " rolled back (> 0 and all)", what, rejections, retries));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(retries > 0 && retries == rejections), line));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm comm;
  /* every method of the table in docs/ts.md */
  TSType   methods[] = {TSEULER, TSBEULER, TSCN, TSTHETA, TSRK, TSARKIMEX, TSROSW, TSBDF, TSGLEE, TSALPHA, TSALPHA2, TSSSP, TSPSEUDO, TSIRK};
  int      code;
  char     what[256];

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscCall(TSRegister("noprestage", TSCreate_NoPreStage));

  /* every method, every attach point */
  for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
    for (int at = AT_BEFORE_TYPE; at <= AT_AFTER_SETUP; at++) {
      PetscSnapshot snap;
      Problem       p;
      PetscInt      rejections;

      PetscCall(PetscSnapshotCreate(comm, &snap));
      PetscCall(Setup(methods[m], (AttachPoint)at, snap, &p));
      PetscSnapshot held = snap; /* borrowed: alive as long as the TS holds it */
      PetscCall(PetscSnapshotDestroy(&snap)); /* the snapshot before the TS: the TS holds it */
      PetscCall(Run(&p, &rejections));
      PetscCall(PetscSNPrintf(what, sizeof(what), "%s, attached %s, snapshot destroyed before the TS", methods[m], pointName[at]));
      if (!strcmp(methods[m], TSEULER) || !strcmp(methods[m], TSIRK)) { /* PETSc's TSEULER and TSIRK never reject a step: every step captured, nothing to roll back */
        PetscInt captures, steps, retries;
        /* TSIRK calls neither TSPreStage() nor a stage check: attached before its type is set, no anchor sees a step */
        PetscBool unseen = (PetscBool)(!strcmp(methods[m], TSIRK) && at == AT_BEFORE_TYPE);
        PetscCall(PetscSnapshotGetCaptureCount(held, &captures));
        PetscCall(PetscSnapshotGetTSCounts(held, &retries, NULL, NULL));
        PetscCall(TSGetStepNumber(p.ts, &steps));
        PetscCall(PetscStrlcat(what, unseen ? ": no rejection, and no step captured (no anchor is called)" : ": every step captured, no rejection", sizeof(what)));
        PetscCall(TestCheck(comm, (PetscBool)(steps > 0 && captures == (unseen ? 0 : steps) && rejections == 0 && retries == 0), what));
      } else PetscCall(ExpectRolledBack(held, rejections, what));
      PetscCall(Destroy(&p));
    }
  }

  /* TSReset + TSSetSolution, an adaptor type change and a type change after attaching */
  {
    PetscSnapshot snap;
    Problem       p;
    PetscInt      rejections;
    TSAdapt       adapt;
    Vec           v;

    PetscCall(PetscSnapshotCreate(comm, &snap));
    PetscCall(Setup(TSBEULER, AT_AFTER_SETUP, snap, &p));
    PetscCall(TSReset(p.ts));
    PetscCall(VecDuplicate(p.u, &v));
    PetscCall(VecCopy(p.u, v));
    PetscCall(TSSetSolution(p.ts, v));
    PetscCall(VecDestroy(&v));
    PetscCall(TSGetAdapt(p.ts, &adapt));
    PetscCall(TSAdaptSetType(adapt, TSADAPTBASIC));
    PetscCall(TSAdaptSetType(adapt, TSADAPTNONE));
    PetscCall(TSSetType(p.ts, TSTHETA)); /* replaces ts->ops: the pre-stage takes over and wraps the new step */
    PetscCall(Run(&p, &rejections));
    PetscCall(ExpectRolledBack(snap, rejections, "BEULER attached after TSSetUp, then TSReset, TSSetSolution, TSAdaptSetType, TSSetType(THETA)"));
    PetscCall(Destroy(&p)); /* the TS before the snapshot */
    {
      PetscInt retries;
      PetscCall(PetscSnapshotGetTSCounts(snap, &retries, NULL, NULL));
      PetscCall(TestCheck(comm, (PetscBool)(retries > 0), "the snapshot outlives its TS and keeps its counts"));
    }
    PetscCall(PetscSnapshotDestroy(&snap));
  }

  /* TSSetPreStage after attaching: the step wrapper chains the user's pre-stage */
  {
    PetscSnapshot snap;
    Problem       p;
    PetscInt      rejections;

    PetscCall(PetscSnapshotCreate(comm, &snap));
    PetscCall(Setup(TSRK, AT_AFTER_TYPE, snap, &p));
    PetscCall(TSSetPreStage(p.ts, UserPreStage));
    userPreStages = 0;
    PetscCall(Run(&p, &rejections));
    PetscCall(ExpectRolledBack(snap, rejections, "RK, TSSetPreStage after attaching"));
    PetscCall(TestCheck(comm, (PetscBool)(userPreStages > 0), "the user's pre-stage set after attaching is still called"));
    PetscCall(Destroy(&p));
    PetscCall(PetscSnapshotDestroy(&snap));
  }

  /* TSSetType and TSSetPreStage after attaching replace both the step and the pre-stage: the adaptor's check-stage
     finds the step unwatched, and its first retry is an error (not a silent non-rollback); attaching again works */
  {
    PetscSnapshot snap;
    Problem       p;
    PetscInt      rejections;

    PetscCall(PetscSnapshotCreate(comm, &snap));
    PetscCall(Setup(TSBEULER, AT_AFTER_SETUP, snap, &p));
    PetscCall(TSSetType(p.ts, TSTHETA));
    PetscCall(TSSetPreStage(p.ts, UserPreStage));
    TestExpectError(comm, Run(&p, &rejections), "cannot be rolled back", "TSSetType and TSSetPreStage after attaching: the first retry is refused with an error");
    PetscCall(Destroy(&p));
    PetscCall(Setup(TSBEULER, AT_AFTER_SETUP, snap, &p));
    PetscCall(TSSetType(p.ts, TSTHETA));
    PetscCall(TSSetPreStage(p.ts, UserPreStage));
    PetscCall(PetscSnapshotSetTS(snap, p.ts)); /* again, after them */
    PetscCall(Run(&p, &rejections));
    PetscCall(ExpectRolledBack(snap, rejections - 0, "... and after attaching again, every retry is rolled back"));
    PetscCall(Destroy(&p));
    PetscCall(PetscSnapshotDestroy(&snap));
  }

  /* a second PetscSnapshotSetTS: the new snapshot takes over */
  {
    PetscSnapshot first, second;
    Problem       p;
    PetscInt      rejections, r1, r2;

    PetscCall(PetscSnapshotCreate(comm, &first));
    PetscCall(PetscSnapshotCreate(comm, &second));
    PetscCall(Setup(TSRK, AT_AFTER_TYPE, first, &p));
    PetscCall(PetscSnapshotSetTS(first, p.ts)); /* the same snapshot again: nothing changes */
    PetscCall(PetscSnapshotSetTS(second, p.ts));
    PetscCall(Run(&p, &rejections));
    PetscCall(PetscSnapshotGetTSCounts(first, &r1, NULL, NULL));
    PetscCall(PetscSnapshotGetTSCounts(second, &r2, NULL, NULL));
    PetscCall(TestCheck(comm, (PetscBool)(r1 == 0 && r2 > 0 && r2 == rejections), "a second PetscSnapshotSetTS: the second snapshot rolls back every retry, the first none"));
    PetscCall(PetscSnapshotDestroy(&first));
    PetscCall(Destroy(&p));
    {
      PetscInt retries;
      PetscCall(PetscSnapshotGetTSCounts(second, &retries, NULL, NULL));
      PetscCall(TestCheck(comm, (PetscBool)(retries == r2), "the TS destroyed before the snapshot: the snapshot still answers"));
    }
    PetscCall(PetscSnapshotDestroy(&second));
  }

  /* ARKIMEX, default tableau, TS_EQ_IMPLICIT: PETSc clones the TS to start the method */
  {
    PetscSnapshot snap;
    Problem       p;
    PetscInt      rejections;

    PetscCall(PetscSnapshotCreate(comm, &snap));
    PetscCall(Setup(TSARKIMEX, AT_AFTER_SETFROMOPTIONS, snap, &p));
    PetscCall(TSSetEquationType(p.ts, TS_EQ_IMPLICIT));
    PetscCall(Run(&p, &rejections));
    PetscCall(ExpectRolledBack(snap, rejections, "ARKIMEX (default tableau) on TS_EQ_IMPLICIT, whose start-up clones the TS"));
    PetscCall(Destroy(&p));
    PetscCall(PetscSnapshotDestroy(&snap));
  }

  /* TSGLLE has no step function (its own TSSolve() loop): refused when attached */
  {
    PetscSnapshot snap;
    TS            ts;
    DM            da;

    PetscCall(PetscSnapshotCreate(comm, &snap));
    PetscCall(DMDACreate1d(comm, DM_BOUNDARY_PERIODIC, 48, 1, 1, NULL, &da));
    PetscCall(DMSetUp(da));
    PetscCall(TSCreate(comm, &ts));
    PetscCall(TSSetDM(ts, da));
    PetscCall(TSSetType(ts, TSGLLE));
    TestExpectError(comm, PetscSnapshotSetTS(snap, ts), "has no step function", "TSGLLE (no step function, its own TSSolve() loop) is refused when attached");
    PetscCall(TSDestroy(&ts));
    PetscCall(DMDestroy(&da));
    PetscCall(PetscSnapshotDestroy(&snap));
  }

  /* a method that retries without TSPreStage(): an error at its first step, never silence */
  {
    PetscSnapshot snap;
    Problem       p;

    PetscCall(PetscSnapshotCreate(comm, &snap));
    PetscCall(Setup("noprestage", AT_AFTER_SETUP, snap, &p));
    TestExpectError(comm, TSStep(p.ts), "without TSPreStage()", "a TS type that retries without TSPreStage() is refused at its first step");
    PetscCall(Destroy(&p));
    PetscCall(PetscSnapshotDestroy(&snap));
  }

  PetscCall(TestFinish(comm, &code));
  PetscCall(PetscFinalize());
  return code;
}
