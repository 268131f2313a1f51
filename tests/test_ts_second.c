static const char help[] = "A mesh TS and a second TS in the shape of PETSc's ts/tutorials/ex77.c: particles on a DMSwarm pushed by their own\n"
                           "TS, composed on the mesh TS as \"_SwarmTS\" (and their solution as \"_SwarmSol\"), advanced in the mesh TS's\n"
                           "post-step (or post-stage) with a speed taken from the mesh solution through a context struct. Undeclared, the\n"
                           "restep check reports them by name and index and does not advance them twice; declared, the check passes and a\n"
                           "run with rejections equals a replay of its accepted steps bitwise, particles included.\n";

#include <petscdmswarm.h>
#include "fisherutil.h"

#define NPART    4
#define MAXSTEPS 256

typedef struct {
  PetscReal speed; /* set from the mesh solution before every push: not state (ex77's advection context) */
} AdvCtx;

typedef enum {
  PUSH_POSTSTEP, /* as ex77 */
  PUSH_POSTSTAGE /* to every stage time, as examples/ts_advect.c */
} Push;
static const char *const pushName[] = {"post-step", "post-stage"};

typedef struct {
  Fisher f;
  DM     sw;  /* the particles */
  TS     sts; /* their TS */
  Vec    p;   /* its solution */
  AdvCtx adv;
} Problem;

static PetscReal logH[MAXSTEPS], lastH;
static PetscInt  nLog, replay;

static PetscErrorCode ParticleRHS(TS sts, PetscReal t, Vec X, Vec F, void *ptr)
{
  AdvCtx            *adv = (AdvCtx *)ptr;
  const PetscScalar *x;
  PetscScalar       *f;
  PetscInt           n;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(X, &n));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt i = 0; i < n; i++) f[i] = adv->speed * (1 + 0.1 * x[i]);
  PetscCall(VecRestoreArray(F, &f));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscFunctionReturn(0);
}

/* ex77's AdvectParticles(): the particle TS and its solution are found on the mesh TS, the speed comes from the mesh
   solution, the particles are pushed to time t and copied into the swarm. */
static PetscErrorCode Advect(TS ts, PetscReal t)
{
  TS           sts;
  Vec          p, u;
  DM           sw;
  AdvCtx      *adv;
  PetscReal   *x;
  PetscScalar  sum;
  const PetscScalar *pa;
  PetscInt     n;

  PetscFunctionBeginUser;
  PetscCall(PetscObjectQuery((PetscObject)ts, "_SwarmTS", (PetscObject *)&sts));
  PetscCall(PetscObjectQuery((PetscObject)ts, "_SwarmSol", (PetscObject *)&p));
  PetscCall(TSGetDM(sts, &sw));
  PetscCall(TSGetRHSFunction(sts, NULL, NULL, (void **)&adv));
  PetscCall(TSGetSolution(ts, &u));
  PetscCall(VecSum(u, &sum));
  adv->speed = PetscRealPart(sum) / 48;
  PetscCall(TSSetMaxTime(sts, t));
  PetscCall(TSSetTimeStep(sts, 0.004)); /* (a stage push can leave a zero step behind: MATCHSTEP to a stage time twice) */
  PetscCall(TSSolve(sts, p));
  PetscCall(VecGetLocalSize(p, &n));
  PetscCall(VecGetArrayRead(p, &pa));
  PetscCall(DMSwarmGetField(sw, "x", NULL, NULL, (void **)&x));
  for (PetscInt i = 0; i < n; i++) x[i] = PetscRealPart(pa[i]);
  PetscCall(DMSwarmRestoreField(sw, "x", NULL, NULL, (void **)&x));
  PetscCall(VecRestoreArrayRead(p, &pa));
  PetscFunctionReturn(0);
}

static PetscErrorCode PostStep(TS ts)
{
  PetscReal t;

  PetscFunctionBeginUser;
  PetscCall(TSGetTime(ts, &t));
  PetscCall(Advect(ts, t));
  PetscFunctionReturn(0);
}

static PetscErrorCode PostStage(TS ts, PetscReal t, PetscInt stage, Vec *Y)
{
  PetscFunctionBeginUser;
  PetscCall(Advect(ts, t));
  PetscFunctionReturn(0);
}

/* the step sizes of the accepted steps: logged after each, replayed before each */
static PetscErrorCode RecordH(TS ts, PetscReal t)
{
  PetscFunctionBeginUser;
  PetscCall(TSGetTimeStep(ts, &lastH));
  PetscFunctionReturn(0);
}

static PetscErrorCode LogOrReplay(TS ts)
{
  PetscInt k;

  PetscFunctionBeginUser;
  PetscCall(TSGetStepNumber(ts, &k));
  if (replay) {
    PetscCheck(k < nLog, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "replay longer than its log");
    PetscCall(TSSetTimeStep(ts, logH[k]));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode LogStep(TS ts)
{
  PetscInt k;

  PetscFunctionBeginUser;
  PetscCall(TSGetStepNumber(ts, &k));
  PetscCheck(k <= MAXSTEPS, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "too many steps");
  if (!replay) logH[k - 1] = lastH;
  nLog = PetscMax(nLog, k);
  PetscFunctionReturn(0);
}

static PetscErrorCode PostStepLog(TS ts)
{
  PetscFunctionBeginUser;
  PetscCall(PostStep(ts));
  PetscCall(LogStep(ts));
  PetscFunctionReturn(0);
}

static PetscErrorCode Create(Push push, const char adapt[], Problem *P)
{
  MPI_Comm     comm = PETSC_COMM_WORLD;
  PetscMPIInt  rank;
  PetscReal   *x;
  PetscScalar *pa;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(FisherCreate(comm, FISHER_EXPLICIT, TSRK, adapt, adapt && !strcmp(adapt, TSADAPTBASIC) ? 0.2 : 0.01, &P->f));
  PetscCall(TSRKSetType(P->f.ts, adapt && !strcmp(adapt, TSADAPTBASIC) ? TSRK3BS : TSRK4));
  PetscCall(TSSetTolerances(P->f.ts, 1e-6, NULL, 1e-6, NULL));
  PetscCall(TSSetPreStage(P->f.ts, RecordH));
  PetscCall(TSSetPreStep(P->f.ts, LogOrReplay));
  if (push == PUSH_POSTSTEP) PetscCall(TSSetPostStep(P->f.ts, PostStepLog));
  else {
    PetscCall(TSSetPostStep(P->f.ts, LogStep));
    PetscCall(TSSetPostStage(P->f.ts, PostStage));
  }

  PetscCall(DMCreate(comm, &P->sw));
  PetscCall(DMSetType(P->sw, DMSWARM));
  PetscCall(PetscObjectSetName((PetscObject)P->sw, "particles"));
  PetscCall(DMSwarmSetType(P->sw, DMSWARM_BASIC));
  PetscCall(DMSwarmRegisterPetscDatatypeField(P->sw, "x", 1, PETSC_REAL));
  PetscCall(DMSwarmFinalizeFieldRegister(P->sw));
  PetscCall(DMSwarmSetLocalSizes(P->sw, NPART, 0));
  PetscCall(VecCreateMPI(comm, NPART, PETSC_DETERMINE, &P->p));
  PetscCall(DMSwarmGetField(P->sw, "x", NULL, NULL, (void **)&x));
  PetscCall(VecGetArray(P->p, &pa));
  for (PetscInt i = 0; i < NPART; i++) pa[i] = x[i] = rank + 0.1 * i;
  PetscCall(VecRestoreArray(P->p, &pa));
  PetscCall(DMSwarmRestoreField(P->sw, "x", NULL, NULL, (void **)&x));

  PetscCall(TSCreate(comm, &P->sts));
  PetscCall(PetscObjectSetName((PetscObject)P->sts, "particle TS"));
  PetscCall(TSSetDM(P->sts, P->sw));
  PetscCall(TSSetType(P->sts, TSRK));
  PetscCall(TSRKSetType(P->sts, TSRK4));
  PetscCall(TSSetRHSFunction(P->sts, NULL, ParticleRHS, &P->adv));
  PetscCall(TSSetExactFinalTime(P->sts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSSetMaxSteps(P->sts, 1000000));
  PetscCall(TSSetSolution(P->sts, P->p));
  {
    TSAdapt a;
    PetscCall(TSGetAdapt(P->sts, &a));
    PetscCall(TSAdaptSetType(a, TSADAPTNONE));
  }
  /* ex77: the particle TS and its solution composed on the mesh TS */
  PetscCall(PetscObjectCompose((PetscObject)P->f.ts, "_SwarmTS", (PetscObject)P->sts));
  PetscCall(PetscObjectCompose((PetscObject)P->f.ts, "_SwarmSol", (PetscObject)P->p));
  PetscFunctionReturn(0);
}

static PetscErrorCode Destroy(Problem *P)
{
  PetscFunctionBeginUser;
  PetscCall(FisherDestroy(&P->f)); /* the mesh TS holds the particle TS and its solution */
  PetscCall(TSDestroy(&P->sts));
  PetscCall(VecDestroy(&P->p));
  PetscCall(DMDestroy(&P->sw));
  PetscFunctionReturn(0);
}

typedef struct {
  PetscInt  checks, mismatches, retries, rejections, steps;
  char      first[1024];
  Vec       u, p; /* final mesh solution and particles (copies) */
  PetscReal x[NPART]; /* final swarm field */
} Result;

typedef enum {
  FIXED,    /* RK4, time step 0.01 */
  ADAPTIVE, /* RK 3bs, adaptor basic: rejections (logs its accepted steps) */
  REPLAY    /* RK 3bs, adaptor none: the logged steps */
} Mode;

/* check: run the restep check; declare: the particle TS declared on the mesh; attach: a snapshot at all */
static PetscErrorCode Run(Push push, PetscBool check, PetscBool declare, PetscBool attach, Mode mode, PetscInt steps, Result *r)
{
  Problem       P;
  PetscSnapshot snap = NULL;
  const char   *adapt = mode == ADAPTIVE ? TSADAPTBASIC : TSADAPTNONE;
  PetscReal    *x;
  const char   *diff;

  PetscFunctionBeginUser;
  replay = mode == REPLAY;
  if (mode == ADAPTIVE) nLog = 0;
  PetscCall(Create(push, adapt, &P));
  if (mode == REPLAY) PetscCall(TSRKSetType(P.f.ts, TSRK3BS));
  PetscCall(TSSetMaxSteps(P.f.ts, mode == REPLAY ? nLog : steps));
  if (declare) PetscCall(PetscSnapshotDMAddState(P.f.da, "particles", (PetscObject)P.sts));
  if (attach) {
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
    PetscCall(PetscSnapshotSetTestRestep(snap, check));
    PetscCall(PetscSnapshotSetTS(snap, P.f.ts));
  }
  PetscCall(TSSolve(P.f.ts, P.f.u));
  PetscCall(PetscMemzero(r, sizeof(*r)));
  if (snap) {
    PetscCall(PetscSnapshotGetTSCounts(snap, &r->retries, &r->checks, &r->mismatches));
    PetscCall(PetscSnapshotGetRestepDifference(snap, &diff));
    PetscCall(PetscStrncpy(r->first, diff, sizeof(r->first)));
  }
  PetscCall(TSGetStepRejections(P.f.ts, &r->rejections));
  PetscCall(TSGetStepNumber(P.f.ts, &r->steps));
  PetscCall(VecDuplicate(P.f.u, &r->u));
  PetscCall(VecCopy(P.f.u, r->u));
  PetscCall(VecDuplicate(P.p, &r->p));
  PetscCall(VecCopy(P.p, r->p));
  PetscCall(DMSwarmGetField(P.sw, "x", NULL, NULL, (void **)&x));
  for (PetscInt i = 0; i < NPART; i++) r->x[i] = x[i];
  PetscCall(DMSwarmRestoreField(P.sw, "x", NULL, NULL, (void **)&x));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(Destroy(&P));
  PetscFunctionReturn(0);
}

static PetscErrorCode Free(Result *r)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&r->u));
  PetscCall(VecDestroy(&r->p));
  PetscFunctionReturn(0);
}

/* mesh solution, particle solution and swarm field bitwise equal on every rank */
static PetscErrorCode Same(Result *a, Result *b, PetscBool *same)
{
  PetscBool eu, ep;
  int       ex;

  PetscFunctionBeginUser;
  PetscCall(VecBitwiseEqual(a->u, b->u, &eu));
  PetscCall(VecBitwiseEqual(a->p, b->p, &ep));
  ex = memcmp(a->x, b->x, sizeof(a->x)) == 0;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &ex, 1, MPI_INT, MPI_LAND, PETSC_COMM_WORLD));
  *same = (PetscBool)(eu && ep && ex);
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm comm;
  int      code;
  char     line[1500];

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  for (int push = PUSH_POSTSTEP; push <= PUSH_POSTSTAGE; push++) {
    Result    plain, undeclared, declared, run, rep, lost;
    PetscBool same;

    /* the restep check, 6 RK4 steps of TSSolve() */
    PetscCall(Run((Push)push, PETSC_FALSE, PETSC_FALSE, PETSC_FALSE, FIXED, 6, &plain));
    PetscCall(Run((Push)push, PETSC_TRUE, PETSC_FALSE, PETSC_TRUE, FIXED, 6, &undeclared));
    PetscCall(PetscSNPrintf(line, sizeof(line), "pushed in the %s, particle TS not declared: caught in %" PetscInt_FMT " of %" PetscInt_FMT " checks", pushName[push], undeclared.mismatches, undeclared.checks));
    PetscCall(TestCheck(comm, (PetscBool)(undeclared.checks == 6 && undeclared.mismatches >= 5), line));
    PetscCall(PetscSNPrintf(line, sizeof(line), "... reported by name and index: %s", undeclared.first));
    PetscCall(TestCheck(comm, (PetscBool)(strstr(undeclared.first, "DM \"line\" state \"_SwarmTS (composed on the TS, not declared)\"") && strstr(undeclared.first, " from index ") != NULL), line));
    PetscCall(PetscSNPrintf(line, sizeof(line), "... its solution and the composed solution reported where they first differ: %s", undeclared.first));
    PetscCall(TestCheck(comm, (PetscBool)(strstr(undeclared.first, "DM \"line\" state \"_SwarmTS (composed on the TS, not declared)\" (solution) from index 0 on rank 0") && strstr(undeclared.first, "DM \"line\" state \"_SwarmSol (composed on the TS, not declared)\" from index 0 on rank 0") != NULL), line));
    PetscCall(Same(&plain, &undeclared, &same));
    PetscCall(PetscSNPrintf(line, sizeof(line), "... and the checked run ends bitwise where the unchecked one does, particles included (the check does not push them twice)"));
    PetscCall(TestCheck(comm, same, line));

    PetscCall(Run((Push)push, PETSC_TRUE, PETSC_TRUE, PETSC_TRUE, FIXED, 6, &declared));
    PetscCall(PetscSNPrintf(line, sizeof(line), "pushed in the %s, particle TS declared: %" PetscInt_FMT " checks, %" PetscInt_FMT " differ%s%s", pushName[push], declared.checks, declared.mismatches, declared.first[0] ? ": " : "", declared.first));
    PetscCall(TestCheck(comm, (PetscBool)(declared.checks == 6 && declared.mismatches == 0), line));
    PetscCall(Same(&plain, &declared, &same));
    PetscCall(TestCheck(comm, same, "... and ends bitwise where the unchecked run does"));

    /* rejections: adaptive RK 3bs, attached, particle TS declared, against a replay of the accepted steps */
    PetscCall(Run((Push)push, PETSC_FALSE, PETSC_TRUE, PETSC_TRUE, ADAPTIVE, 12, &run));
    PetscCall(Run((Push)push, PETSC_FALSE, PETSC_FALSE, PETSC_FALSE, REPLAY, 12, &rep));
    PetscCall(Same(&run, &rep, &same));
    PetscCall(PetscSNPrintf(line, sizeof(line), "pushed in the %s, declared, adaptive: %" PetscInt_FMT " steps, %" PetscInt_FMT " rejected, %" PetscInt_FMT " rolled back; mesh and particles equal the replay bitwise", pushName[push], run.steps, run.rejections, run.retries));
    PetscCall(TestCheck(comm, (PetscBool)(run.rejections > 0 && run.retries == run.rejections && run.steps == rep.steps && same), line));
    PetscCall(Free(&rep));
    if (push == PUSH_POSTSTAGE) { /* the rejected attempts pushed the particles: without the declaration they stay pushed */
      PetscCall(Run((Push)push, PETSC_FALSE, PETSC_FALSE, PETSC_TRUE, ADAPTIVE, 12, &lost));
      PetscCall(Run((Push)push, PETSC_FALSE, PETSC_FALSE, PETSC_FALSE, REPLAY, 12, &rep));
      PetscCall(Same(&lost, &rep, &same));
      PetscCall(PetscSNPrintf(line, sizeof(line), "pushed in the post-stage, NOT declared, adaptive: %" PetscInt_FMT " rejected; differs from the replay (what the declaration fixes)", lost.rejections));
      PetscCall(TestCheck(comm, (PetscBool)(lost.rejections > 0 && !same), line));
      PetscCall(Free(&lost));
      PetscCall(Free(&rep));
    }
    PetscCall(Free(&plain));
    PetscCall(Free(&undeclared));
    PetscCall(Free(&declared));
    PetscCall(Free(&run));
  }
  PetscCall(TestFinish(comm, &code));
  PetscCall(PetscFinalize());
  return code;
}
