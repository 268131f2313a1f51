/* A TS test problem for every kind of method: Fisher-KPP u_t = D u_xx + u(1-u) on a periodic 1D DMDA.
   EXPLICIT: everything in the RHS (TSRK). IMEX: diffusion implicit (IFunction), reaction explicit (TSARKIMEX).
   IMPLICIT: everything in the IFunction (TSTHETA/TSBEULER, TSBDF). Jacobians by coloring.
   An optional hidden counter, incremented by every function evaluation and added to the reaction, is state the
   snapshot does not see unless it is declared: the completeness check must catch it. */
#ifndef PETSCSNAPSHOT_FISHERUTIL_H
#define PETSCSNAPSHOT_FISHERUTIL_H

#include <petscdmda.h>
#include <petscts.h>
#include "testutil.h"

typedef enum {
  FISHER_EXPLICIT,
  FISHER_IMEX,
  FISHER_IMPLICIT
} FisherMode;

typedef struct {
  FisherMode mode;
  PetscReal  D;
  PetscBool  hidden;  /* add 1e-3 * counter to the reaction */
  PetscInt   counter; /* function evaluations so far */
} FisherCtx;

typedef struct {
  DM        da;
  TS        ts;
  Vec       u;
  Mat       J;
  FisherCtx ctx;
} Fisher;

/* D u_xx (diffusion) and/or u(1-u) (+ hidden forcing) at the owned points */
static PetscErrorCode FisherTerms(TS ts, Vec U, Vec F, PetscBool diffusion, PetscBool reaction, FisherCtx *ctx)
{
  DM           da;
  Vec          Ul;
  PetscInt     xs, xm, M;
  PetscScalar *f;
  const PetscScalar *u;
  PetscReal    h;

  PetscFunctionBeginUser;
  PetscCall(TSGetDM(ts, &da));
  PetscCall(DMDAGetInfo(da, NULL, &M, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  h = 1.0 / M;
  PetscCall(DMGetLocalVector(da, &Ul));
  PetscCall(DMGlobalToLocal(da, U, INSERT_VALUES, Ul));
  PetscCall(DMDAGetCorners(da, &xs, NULL, NULL, &xm, NULL, NULL));
  PetscCall(DMDAVecGetArrayRead(da, Ul, &u));
  PetscCall(DMDAVecGetArray(da, F, &f));
  for (PetscInt i = xs; i < xs + xm; i++) {
    PetscScalar v = 0;
    if (diffusion) v += ctx->D * (u[i - 1] - 2 * u[i] + u[i + 1]) / (h * h);
    if (reaction) v += 5.0 * u[i] * (1 - u[i]) + (ctx->hidden ? 1e-3 * ctx->counter : 0);
    f[i] = v;
  }
  PetscCall(DMDAVecRestoreArray(da, F, &f));
  PetscCall(DMDAVecRestoreArrayRead(da, Ul, &u));
  PetscCall(DMRestoreLocalVector(da, &Ul));
  if (reaction) ctx->counter++;
  PetscFunctionReturn(0);
}

static PetscErrorCode FisherRHS(TS ts, PetscReal t, Vec U, Vec F, void *ptr)
{
  FisherCtx *ctx = (FisherCtx *)ptr;
  PetscFunctionBeginUser;
  PetscCall(FisherTerms(ts, U, F, (PetscBool)(ctx->mode == FISHER_EXPLICIT), PETSC_TRUE, ctx));
  PetscFunctionReturn(0);
}

/* F = udot - (implicit terms) */
static PetscErrorCode FisherIFunction(TS ts, PetscReal t, Vec U, Vec Udot, Vec F, void *ptr)
{
  FisherCtx *ctx = (FisherCtx *)ptr;
  PetscFunctionBeginUser;
  PetscCall(FisherTerms(ts, U, F, PETSC_TRUE, (PetscBool)(ctx->mode == FISHER_IMPLICIT), ctx));
  PetscCall(VecAYPX(F, -1.0, Udot));
  PetscFunctionReturn(0);
}

/* The exact Jacobian of the implicit form (TSROSW and TSALPHA fail with finite-difference coloring in PETSc 3.18:
   VecWAXPY with aliased arguments in their SNES function) */
static PetscErrorCode FisherIJacobianExact(TS ts, PetscReal t, Vec U, Vec Udot, PetscReal shift, Mat J, Mat P, void *ptr)
{
  FisherCtx         *ctx = (FisherCtx *)ptr;
  DM                 da;
  PetscInt           xs, xm, M;
  const PetscScalar *u;
  PetscReal          h, d;

  PetscFunctionBeginUser;
  PetscCall(TSGetDM(ts, &da));
  PetscCall(DMDAGetInfo(da, NULL, &M, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  h = 1.0 / M;
  d = ctx->D / (h * h);
  PetscCall(DMDAGetCorners(da, &xs, NULL, NULL, &xm, NULL, NULL));
  PetscCall(DMDAVecGetArrayRead(da, U, &u));
  for (PetscInt i = xs; i < xs + xm; i++) {
    MatStencil  row = {0}, col[3] = {{0}};
    PetscScalar v[3];
    row.i    = i;
    col[0].i = i - 1;
    col[1].i = i;
    col[2].i = i + 1;
    v[0]     = -d;
    v[1]     = shift + 2 * d - 5.0 * (1 - 2 * u[i]);
    v[2]     = -d;
    PetscCall(MatSetValuesStencil(P, 1, &row, 3, col, v, INSERT_VALUES));
  }
  PetscCall(DMDAVecRestoreArrayRead(da, U, &u));
  PetscCall(MatAssemblyBegin(P, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(P, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

/* A damped second-order form for TSALPHA2: u_tt + u_t = D u_xx + 5 u (1 - u), F = A + V - (D u_xx + reaction) */
static PetscErrorCode FisherI2Function(TS ts, PetscReal t, Vec U, Vec V, Vec A, Vec F, void *ptr)
{
  FisherCtx *ctx = (FisherCtx *)ptr;

  PetscFunctionBeginUser;
  PetscCall(FisherTerms(ts, U, F, PETSC_TRUE, PETSC_TRUE, ctx));
  PetscCall(VecAYPX(F, -1.0, A));
  PetscCall(VecAXPY(F, 1.0, V));
  PetscFunctionReturn(0);
}

static PetscErrorCode FisherI2Jacobian(TS ts, PetscReal t, Vec U, Vec V, Vec A, PetscReal shiftV, PetscReal shiftA, Mat J, Mat P, void *ptr)
{
  PetscFunctionBeginUser;
  PetscCall(FisherIJacobianExact(ts, t, U, V, shiftV + shiftA, J, P, ptr));
  PetscFunctionReturn(0);
}

/* type: TSRK, TSARKIMEX, TSBEULER, TSBDF ...; adapt: NULL keeps the method's default adaptor */
static PetscErrorCode FisherCreate(MPI_Comm comm, FisherMode mode, TSType type, const char adapt[], PetscReal dt, Fisher *f)
{
  PetscInt     xs, xm;
  PetscScalar *u;

  PetscFunctionBeginUser;
  f->ctx.mode    = mode;
  f->ctx.D       = 0.01;
  f->ctx.hidden  = PETSC_FALSE;
  f->ctx.counter = 0;
  PetscCall(DMDACreate1d(comm, DM_BOUNDARY_PERIODIC, 48, 1, 1, NULL, &f->da));
  PetscCall(DMSetUp(f->da));
  PetscCall(PetscObjectSetName((PetscObject)f->da, "line"));
  PetscCall(DMDASetUniformCoordinates(f->da, 0, 1, 0, 0, 0, 0));
  PetscCall(DMCreateGlobalVector(f->da, &f->u));
  PetscCall(DMDAGetCorners(f->da, &xs, NULL, NULL, &xm, NULL, NULL));
  PetscCall(DMDAVecGetArray(f->da, f->u, &u));
  for (PetscInt i = xs; i < xs + xm; i++) {
    PetscReal x = (i + 0.5) / 48.0;
    u[i]        = 0.1 + 0.8 * PetscExpReal(-100 * (x - 0.5) * (x - 0.5));
  }
  PetscCall(DMDAVecRestoreArray(f->da, f->u, &u));
  PetscCall(DMCreateMatrix(f->da, &f->J));

  PetscCall(TSCreate(comm, &f->ts));
  PetscCall(TSSetDM(f->ts, f->da));
  PetscCall(TSSetType(f->ts, type));
  if (mode != FISHER_IMPLICIT) PetscCall(TSSetRHSFunction(f->ts, NULL, FisherRHS, &f->ctx));
  if (mode != FISHER_EXPLICIT) {
    PetscCall(TSSetIFunction(f->ts, NULL, FisherIFunction, &f->ctx));
    PetscCall(TSSetIJacobian(f->ts, f->J, f->J, TSComputeIJacobianDefaultColor, NULL));
  }
  PetscCall(TSSetTimeStep(f->ts, dt));
  PetscCall(TSSetMaxTime(f->ts, 1e10));
  PetscCall(TSSetMaxSteps(f->ts, 1000000));
  PetscCall(TSSetExactFinalTime(f->ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSSetMaxStepRejections(f->ts, 100));
  if (adapt) {
    TSAdapt a;
    PetscCall(TSGetAdapt(f->ts, &a));
    PetscCall(TSAdaptSetType(a, adapt));
  }
  {
    SNES snes;
    KSP  ksp;
    PC   pc;
    PetscCall(TSGetSNES(f->ts, &snes));
    PetscCall(SNESGetKSP(snes, &ksp));
    PetscCall(KSPSetType(ksp, KSPPREONLY));
    PetscCall(KSPGetPC(ksp, &pc));
    PetscCall(PCSetType(pc, PCREDUNDANT)); /* a direct solve, the same on every rank count */
  }
  PetscCall(TSSetFromOptions(f->ts));
  PetscCall(TSSetSolution(f->ts, f->u));
  PetscFunctionReturn(0);
}

static PetscErrorCode FisherDestroy(Fisher *f)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&f->u));
  PetscCall(MatDestroy(&f->J));
  PetscCall(TSDestroy(&f->ts));
  PetscCall(DMDestroy(&f->da));
  PetscFunctionReturn(0);
}

/* The tests' stage check: a stage that changes u by more than limit anywhere is rejected, and the step halved. */
static PetscErrorCode StageChangeAtMost(TS ts, Vec Y, PetscReal limit, PetscBool *accept)
{
  Vec       u, d;
  PetscReal change, h;

  PetscFunctionBeginUser;
  PetscCall(TSGetSolution(ts, &u));
  PetscCall(VecDuplicate(u, &d));
  PetscCall(VecWAXPY(d, -1.0, u, Y));
  PetscCall(VecNorm(d, NORM_INFINITY, &change));
  PetscCall(VecDestroy(&d));
  *accept = change <= limit ? PETSC_TRUE : PETSC_FALSE;
  if (!*accept) {
    PetscCall(TSGetTimeStep(ts, &h));
    PetscCall(TSSetTimeStep(ts, h / 2));
  }
  PetscFunctionReturn(0);
}


/* A check for methods that check their updated solution rather than a stage (TSSSP): a step longer than limit is
   rejected, and halved. */
static PetscErrorCode StepAtMost(TS ts, PetscReal limit, PetscBool *accept)
{
  PetscReal h;

  PetscFunctionBeginUser;
  PetscCall(TSGetTimeStep(ts, &h));
  *accept = h <= limit ? PETSC_TRUE : PETSC_FALSE;
  if (!*accept) PetscCall(TSSetTimeStep(ts, h / 2));
  PetscFunctionReturn(0);
}

#endif
