static const char help[] = "The restep check with post-steps that replace the TS's objects, under TSBEULER, TSTHETA and TSARKIMEX:\n"
                           "ex5: in the shape of PETSc's dm/impls/swarm/tests/ex5.c, the TS integrates particles on a DMSwarm; its\n"
                           "post-step migrates them (sizes change), calls TSReset() and gives the TS a new solution Vec and Jacobian;\n"
                           "ex77: in the shape of PETSc's ts/tutorials/ex77.c, a mesh TS whose post-step solves a particle TS composed on\n"
                           "it as \"_SwarmTS\" with a new field Vec each time, migrates the particles and resets that TS when sizes change.\n"
                           "Checked, each run completes, ends bitwise where the unchecked run does, and reports what it could not compare.\n";

#include <petscdmswarm.h>
#include "fisherutil.h"

#define STEPS 4

typedef enum {
  SHAPE_EX5,        /* particles migrated and injected */
  SHAPE_EX5_MIGRATE, /* migrated only: at 1 rank the sizes stay (the check used to crash in the next step) */
  SHAPE_EX77
} Shape;
static const char *const shapeName[] = {"ex5", "ex5 (no injection)", "ex77"};
static PetscBool         inject      = PETSC_TRUE;

typedef struct {
  PetscReal speed; /* ex77: set from the mesh solution before every push */
} AdvCtx;

typedef struct {
  Fisher f;   /* ex77: the mesh TS */
  TS     ts;  /* the attached TS (ex5: on the swarm; ex77: the mesh TS) */
  DM     sw;  /* the particles */
  TS     sts; /* ex77: their TS */
  AdvCtx adv;
  Mat    J;   /* ex5: the Jacobian, recreated after every migration */
} Problem;

/* Particles move: rank 0 sends its last particle to rank 1 (when it has more than one), and gains a new one (inject). */
static PetscErrorCode MigrateAndInject(DM sw)
{
  PetscMPIInt rank, size;
  PetscInt    n, *ranks;
  PetscReal  *x;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)sw), &rank));
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)sw), &size));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, DMSwarmField_rank, NULL, NULL, (void **)&ranks));
  for (PetscInt i = 0; i < n; i++) ranks[i] = rank;
  if (rank == 0 && size > 1 && n > 1) ranks[n - 1] = 1;
  PetscCall(DMSwarmRestoreField(sw, DMSwarmField_rank, NULL, NULL, (void **)&ranks));
  PetscCall(DMSwarmMigrate(sw, PETSC_TRUE));
  if (rank == 0 && inject) PetscCall(DMSwarmAddPoint(sw));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, "x", NULL, NULL, (void **)&x));
  if (rank == 0 && inject) x[n - 1] = 0.25;
  PetscCall(DMSwarmRestoreField(sw, "x", NULL, NULL, (void **)&x));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateSwarm(MPI_Comm comm, DM *sw)
{
  PetscMPIInt rank;
  PetscReal  *x;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(DMCreate(comm, sw));
  PetscCall(DMSetType(*sw, DMSWARM));
  PetscCall(PetscObjectSetName((PetscObject)*sw, "particles"));
  PetscCall(DMSwarmSetType(*sw, DMSWARM_BASIC));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "x", 1, PETSC_REAL));
  PetscCall(DMSwarmFinalizeFieldRegister(*sw));
  PetscCall(DMSwarmSetLocalSizes(*sw, 3, 4));
  PetscCall(DMSwarmGetField(*sw, "x", NULL, NULL, (void **)&x));
  for (PetscInt i = 0; i < 3; i++) x[i] = rank + 0.1 * i;
  PetscCall(DMSwarmRestoreField(*sw, "x", NULL, NULL, (void **)&x));
  PetscFunctionReturn(0);
}

/* ---- ex5's shape: x' = 1 - x (implicit), or x' + x = 1 - x^2 / 10 (ARKIMEX: the right side explicit) */
static PetscErrorCode ParticleIFunction(TS ts, PetscReal t, Vec X, Vec Xdot, Vec F, void *ptr)
{
  PetscBool          imex = *(PetscBool *)ptr;
  const PetscScalar *x, *xd;
  PetscScalar       *f;
  PetscInt           n;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(X, &n));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArrayRead(Xdot, &xd));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt i = 0; i < n; i++) f[i] = xd[i] + x[i] - (imex ? 0 : 1);
  PetscCall(VecRestoreArray(F, &f));
  PetscCall(VecRestoreArrayRead(Xdot, &xd));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscFunctionReturn(0);
}

static PetscErrorCode ParticleIJacobian(TS ts, PetscReal t, Vec X, Vec Xdot, PetscReal shift, Mat J, Mat P, void *ptr)
{
  PetscInt rs, re;

  PetscFunctionBeginUser;
  PetscCall(MatGetOwnershipRange(P, &rs, &re));
  for (PetscInt i = rs; i < re; i++) PetscCall(MatSetValue(P, i, i, shift + 1, INSERT_VALUES));
  PetscCall(MatAssemblyBegin(P, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(P, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

static PetscErrorCode ParticleRHSExplicit(TS ts, PetscReal t, Vec X, Vec F, void *ptr)
{
  const PetscScalar *x;
  PetscScalar       *f;
  PetscInt           n;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(X, &n));
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt i = 0; i < n; i++) f[i] = 1 - x[i] * x[i] / 10;
  PetscCall(VecRestoreArray(F, &f));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscFunctionReturn(0);
}

static PetscBool imexFlag[2] = {PETSC_FALSE, PETSC_TRUE};

/* ex5's CreateSolution() and SetProblem(): a solution Vec and a Jacobian of the swarm's sizes, the solution from it */
static PetscErrorCode SetSolutionFromSwarm(TS ts, DM sw, Mat *J)
{
  Vec          u;
  PetscInt     n;
  PetscReal   *x;
  PetscScalar *a;
  TSType       type;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(VecCreateMPI(PetscObjectComm((PetscObject)ts), n, PETSC_DETERMINE, &u));
  PetscCall(DMSwarmGetField(sw, "x", NULL, NULL, (void **)&x));
  PetscCall(VecGetArray(u, &a));
  for (PetscInt i = 0; i < n; i++) a[i] = x[i];
  PetscCall(VecRestoreArray(u, &a));
  PetscCall(DMSwarmRestoreField(sw, "x", NULL, NULL, (void **)&x));
  PetscCall(TSSetSolution(ts, u));
  PetscCall(VecDestroy(&u));
  PetscCall(MatDestroy(J));
  PetscCall(MatCreateAIJ(PetscObjectComm((PetscObject)ts), n, n, PETSC_DETERMINE, PETSC_DETERMINE, 1, NULL, 0, NULL, J));
  PetscCall(TSGetType(ts, &type));
  PetscCall(TSSetIFunction(ts, NULL, ParticleIFunction, &imexFlag[!strcmp(type, TSARKIMEX)]));
  PetscCall(TSSetIJacobian(ts, *J, *J, ParticleIJacobian, NULL));
  if (!strcmp(type, TSARKIMEX)) PetscCall(TSSetRHSFunction(ts, NULL, ParticleRHSExplicit, NULL));
  PetscFunctionReturn(0);
}

static PetscErrorCode SolverSetup(TS ts)
{
  SNES snes;
  KSP  ksp;
  PC   pc;

  PetscFunctionBeginUser;
  PetscCall(TSGetSNES(ts, &snes));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCJACOBI)); /* the Jacobian is diagonal: an exact solve */
  PetscFunctionReturn(0);
}

/* ex5's MigrateParticles(): the solution into the swarm, migrate, TSReset(), the clock back, a new solution Vec */
static PetscErrorCode MigrateParticles(TS ts)
{
  Problem           *P;
  const PetscScalar *a;
  PetscReal         *x, t, dt;
  PetscInt           n, steps;
  Vec                u;

  PetscFunctionBeginUser;
  PetscCall(TSGetApplicationContext(ts, &P));
  PetscCall(TSGetSolution(ts, &u));
  PetscCall(VecGetLocalSize(u, &n));
  PetscCall(VecGetArrayRead(u, &a));
  PetscCall(DMSwarmGetField(P->sw, "x", NULL, NULL, (void **)&x));
  for (PetscInt i = 0; i < n; i++) x[i] = PetscRealPart(a[i]);
  PetscCall(DMSwarmRestoreField(P->sw, "x", NULL, NULL, (void **)&x));
  PetscCall(VecRestoreArrayRead(u, &a));
  PetscCall(MigrateAndInject(P->sw));
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSGetTimeStep(ts, &dt));
  PetscCall(TSGetStepNumber(ts, &steps));
  PetscCall(TSReset(ts));
  PetscCall(TSSetDM(ts, P->sw));
  PetscCall(TSSetTime(ts, t));
  PetscCall(TSSetTimeStep(ts, dt));
  PetscCall(TSSetStepNumber(ts, steps));
  PetscCall(SetSolutionFromSwarm(ts, P->sw, &P->J));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateEx5(TSType type, Problem *P)
{
  MPI_Comm comm = PETSC_COMM_WORLD;

  PetscFunctionBeginUser;
  PetscCall(CreateSwarm(comm, &P->sw));
  PetscCall(TSCreate(comm, &P->ts));
  PetscCall(TSSetDM(P->ts, P->sw));
  PetscCall(TSSetType(P->ts, type));
  PetscCall(TSSetApplicationContext(P->ts, P));
  PetscCall(TSSetTimeStep(P->ts, 0.05));
  PetscCall(TSSetMaxSteps(P->ts, STEPS));
  PetscCall(TSSetMaxTime(P->ts, 1e10));
  PetscCall(TSSetExactFinalTime(P->ts, TS_EXACTFINALTIME_MATCHSTEP));
  {
    TSAdapt a;
    PetscCall(TSGetAdapt(P->ts, &a));
    PetscCall(TSAdaptSetType(a, TSADAPTNONE));
  }
  PetscCall(SolverSetup(P->ts));
  PetscCall(SetSolutionFromSwarm(P->ts, P->sw, &P->J));
  PetscCall(TSSetPostStep(P->ts, MigrateParticles));
  PetscFunctionReturn(0);
}

/* ---- ex77's shape: the particle TS pushes x' = speed (1 + x/10), the speed from the mesh solution */
static PetscErrorCode PushRHS(TS sts, PetscReal t, Vec X, Vec F, void *ptr)
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

/* ex77's AdvectParticles(): solve the composed TS on a field Vec of the swarm, migrate, TSReset() it when sizes change.
   The particles move and are injected after every other step, and only when the particle TS advanced (as in ex77,
   where they migrate when they have moved): a retake of the post-step, whose particle TS is at that time already,
   resets nothing and leaves the TS a solution Vec where the run's has none. */
static PetscErrorCode AdvectParticles(TS ts)
{
  TS          sts;
  DM          sw;
  Vec         coordinates, u;
  AdvCtx     *adv;
  PetscReal   t, t0, t1;
  PetscScalar sum;
  PetscInt    n, N, newn, newN, step;
  PetscBool   lreset, reset;

  PetscFunctionBeginUser;
  PetscCall(PetscObjectQuery((PetscObject)ts, "_SwarmTS", (PetscObject *)&sts));
  PetscCall(TSGetDM(sts, &sw));
  PetscCall(TSGetRHSFunction(sts, NULL, NULL, (void **)&adv));
  PetscCall(DMSwarmGetSize(sw, &N));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(TSGetSolution(ts, &u));
  PetscCall(VecSum(u, &sum));
  adv->speed = PetscRealPart(sum) / 48;
  PetscCall(DMSwarmCreateGlobalVectorFromField(sw, "x", &coordinates));
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSSetMaxTime(sts, t));
  PetscCall(TSGetTime(sts, &t0));
  PetscCall(TSSolve(sts, coordinates));
  PetscCall(TSGetTime(sts, &t1));
  PetscCall(DMSwarmDestroyGlobalVectorFromField(sw, "x", &coordinates));
  PetscCall(TSGetStepNumber(ts, &step));
  if (t1 > t0 && step % 2) PetscCall(MigrateAndInject(sw));
  PetscCall(DMSwarmGetSize(sw, &newN));
  PetscCall(DMSwarmGetLocalSize(sw, &newn));
  lreset = (n != newn || N != newN) ? PETSC_TRUE : PETSC_FALSE;
  PetscCallMPI(MPI_Allreduce(&lreset, &reset, 1, MPIU_BOOL, MPI_LOR, PetscObjectComm((PetscObject)sts)));
  if (reset) PetscCall(TSReset(sts));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateEx77(TSType type, Problem *P)
{
  MPI_Comm comm = PETSC_COMM_WORLD;

  PetscFunctionBeginUser;
  PetscCall(FisherCreate(comm, strcmp(type, TSARKIMEX) ? FISHER_IMPLICIT : FISHER_IMEX, type, TSADAPTNONE, 0.01, &P->f));
  P->ts = P->f.ts;
  PetscCall(TSSetMaxSteps(P->ts, STEPS));
  PetscCall(TSSetPostStep(P->ts, AdvectParticles));
  PetscCall(CreateSwarm(comm, &P->sw));
  PetscCall(TSCreate(comm, &P->sts));
  PetscCall(PetscObjectSetName((PetscObject)P->sts, "particle TS"));
  PetscCall(TSSetDM(P->sts, P->sw));
  PetscCall(TSSetType(P->sts, TSRK));
  PetscCall(TSRKSetType(P->sts, TSRK4));
  PetscCall(TSSetRHSFunction(P->sts, NULL, PushRHS, &P->adv));
  PetscCall(TSSetExactFinalTime(P->sts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSSetTimeStep(P->sts, 0.004));
  PetscCall(TSSetMaxSteps(P->sts, 1000000));
  {
    TSAdapt a;
    PetscCall(TSGetAdapt(P->sts, &a));
    PetscCall(TSAdaptSetType(a, TSADAPTNONE));
  }
  PetscCall(PetscObjectCompose((PetscObject)P->ts, "_SwarmTS", (PetscObject)P->sts)); /* not declared, as in ex77 */
  PetscFunctionReturn(0);
}

typedef struct {
  PetscInt   checks, mismatches, notCompared, steps, n;
  char       why[2048];
  Vec        u;   /* the attached TS's final solution (a copy) */
  PetscReal *x;   /* the swarm's final field */
} Result;

typedef enum {
  PLAIN,    /* no snapshot */
  ATTACHED, /* attached, check off */
  CHECKED   /* attached, -snapshot_test_restep */
} Mode;

static PetscErrorCode Run(Shape shape, TSType type, Mode mode, Result *r)
{
  Problem       P;
  PetscSnapshot snap = NULL;
  const char   *why;
  PetscReal    *x;
  Vec           u;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&P, sizeof(P)));
  PetscCall(PetscMemzero(r, sizeof(*r)));
  inject = (PetscBool)(shape != SHAPE_EX5_MIGRATE);
  if (shape == SHAPE_EX77) PetscCall(CreateEx77(type, &P));
  else PetscCall(CreateEx5(type, &P));
  if (mode != PLAIN) {
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
    PetscCall(PetscSnapshotSetTestRestep(snap, (PetscBool)(mode == CHECKED)));
    PetscCall(PetscSnapshotSetTS(snap, P.ts));
  }
  PetscCall(TSSolve(P.ts, shape == SHAPE_EX77 ? P.f.u : NULL));
  if (snap) {
    PetscCall(PetscSnapshotGetTSCounts(snap, NULL, &r->checks, &r->mismatches));
    PetscCall(PetscSnapshotGetRestepNotCompared(snap, &r->notCompared, &why));
    PetscCall(PetscStrncpy(r->why, why, sizeof(r->why)));
  }
  PetscCall(TSGetStepNumber(P.ts, &r->steps));
  PetscCall(TSGetSolution(P.ts, &u));
  PetscCall(VecDuplicate(u, &r->u));
  PetscCall(VecCopy(u, r->u));
  PetscCall(DMSwarmGetLocalSize(P.sw, &r->n));
  PetscCall(PetscMalloc1(r->n + 1, &r->x));
  PetscCall(DMSwarmGetField(P.sw, "x", NULL, NULL, (void **)&x));
  for (PetscInt i = 0; i < r->n; i++) r->x[i] = x[i];
  PetscCall(DMSwarmRestoreField(P.sw, "x", NULL, NULL, (void **)&x));
  PetscCall(PetscSnapshotDestroy(&snap));
  if (shape == SHAPE_EX77) PetscCall(FisherDestroy(&P.f));
  else PetscCall(TSDestroy(&P.ts));
  PetscCall(TSDestroy(&P.sts));
  PetscCall(MatDestroy(&P.J));
  PetscCall(DMDestroy(&P.sw));
  PetscFunctionReturn(0);
}

static PetscErrorCode Free(Result *r)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&r->u));
  PetscCall(PetscFree(r->x));
  PetscFunctionReturn(0);
}

/* the TS's solution and the particles bitwise equal on every rank */
static PetscErrorCode Same(Result *a, Result *b, PetscBool *same)
{
  PetscBool eu;
  int       ex;

  PetscFunctionBeginUser;
  PetscCall(VecBitwiseEqual(a->u, b->u, &eu));
  ex = a->n == b->n && memcmp(a->x, b->x, sizeof(PetscReal) * (size_t)a->n) == 0;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &ex, 1, MPI_INT, MPI_LAND, PETSC_COMM_WORLD));
  *same = (PetscBool)(eu && ex);
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  const TSType types[] = {TSBEULER, TSTHETA, TSARKIMEX};
  MPI_Comm     comm;
  int          code;
  char         line[2600];

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  for (int shape = SHAPE_EX5; shape <= SHAPE_EX77; shape++) {
    for (int k = 0; k < 3; k++) {
      Result    plain, attached, checked;
      PetscBool same;

      PetscCall(Run((Shape)shape, types[k], PLAIN, &plain));
      if (k == 0) { /* the check off changes nothing (one method per shape, to keep the test short) */
        PetscCall(Run((Shape)shape, types[k], ATTACHED, &attached));
        PetscCall(Same(&plain, &attached, &same));
        PetscCall(PetscSNPrintf(line, sizeof(line), "%s, %s: attached without the check, %" PetscInt_FMT " steps, bitwise the plain run", shapeName[shape], types[k], attached.steps));
        PetscCall(TestCheck(comm, (PetscBool)(same && attached.steps == STEPS && plain.steps == STEPS && attached.checks == 0 && attached.notCompared == 0), line));
        PetscCall(Free(&attached));
      }
      PetscCall(Run((Shape)shape, types[k], CHECKED, &checked));
      PetscCall(Same(&plain, &checked, &same));
      PetscCall(PetscSNPrintf(line, sizeof(line), "%s, %s: checked, completes (%" PetscInt_FMT " steps) bitwise where the plain run ends, %" PetscInt_FMT " steps compared", shapeName[shape], types[k], checked.steps, checked.checks));
      PetscCall(TestCheck(comm, (PetscBool)(same && checked.steps == STEPS && checked.checks == STEPS), line));
      PetscCall(PetscSNPrintf(line, sizeof(line), "%s, %s: ... %" PetscInt_FMT " comparisons not made, the last: %s", shapeName[shape], types[k], checked.notCompared, checked.why));
      if (shape != SHAPE_EX77) PetscCall(TestCheck(comm, (PetscBool)(checked.notCompared == STEPS - 1 && strstr(checked.why, "could not compare: they replaced the solution Vec of the TS (") != NULL), line));
      else PetscCall(TestCheck(comm, (PetscBool)(checked.notCompared == STEPS - 1 && strstr(checked.why, "replaced the solution Vec of the TS composed on the TS as \"_SwarmTS\"") != NULL), line));
      PetscCall(Free(&plain));
      PetscCall(Free(&checked));
    }
  }
  PetscCall(TestFinish(comm, &code));
  PetscCall(PetscFinalize());
  return code;
}
