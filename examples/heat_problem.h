/* The physics of the examples (and of the tests' real-solver runs): the heat equation, optionally with advection,
     u_t + a b(x).grad u = div(grad u) + 1   on a DMPlex, homogeneous Dirichlet walls (label "marker"),
   where b is the cellular flow of pic_problem.h and the strength a = constants[0] of the PetscDS (0 unless set),
   Q1/P1 finite elements through PetscDS pointwise functions, integrated by TS (backward Euler unless changed with
   -ts_type). HeatProblemSetUp() turns a mesh into a time stepper and a solution vector. */
#ifndef PETSCSNAPSHOT_HEAT_PROBLEM_H
#define PETSCSNAPSHOT_HEAT_PROBLEM_H

#include <petscts.h>
#include <petscds.h>
#include <petscdmplex.h>

static void heat_f0(PetscInt dim, PetscInt Nf, PetscInt NfAux, const PetscInt uOff[], const PetscInt uOff_x[], const PetscScalar u[], const PetscScalar u_t[], const PetscScalar u_x[], const PetscInt aOff[], const PetscInt aOff_x[], const PetscScalar a[], const PetscScalar a_t[], const PetscScalar a_x[], PetscReal t, const PetscReal x[], PetscInt numConstants, const PetscScalar constants[], PetscScalar f0[])
{
  PetscReal s = numConstants > 0 ? PetscRealPart(constants[0]) : 0.0, b[2] = {0, 0};

  if (s != 0.0) {
    b[0] = PetscSinReal(PETSC_PI * x[0]) * PetscCosReal(PETSC_PI * x[1]);
    b[1] = -PetscCosReal(PETSC_PI * x[0]) * PetscSinReal(PETSC_PI * x[1]);
  }
  f0[0] = u_t[0] + s * (b[0] * u_x[0] + b[1] * u_x[1]) - 1.0; /* a uniform heat source keeps the solution from decaying */
}

static void heat_f1(PetscInt dim, PetscInt Nf, PetscInt NfAux, const PetscInt uOff[], const PetscInt uOff_x[], const PetscScalar u[], const PetscScalar u_t[], const PetscScalar u_x[], const PetscInt aOff[], const PetscInt aOff_x[], const PetscScalar a[], const PetscScalar a_t[], const PetscScalar a_x[], PetscReal t, const PetscReal x[], PetscInt numConstants, const PetscScalar constants[], PetscScalar f1[])
{
  for (PetscInt d = 0; d < dim; ++d) f1[d] = u_x[d];
}

static void heat_g0(PetscInt dim, PetscInt Nf, PetscInt NfAux, const PetscInt uOff[], const PetscInt uOff_x[], const PetscScalar u[], const PetscScalar u_t[], const PetscScalar u_x[], const PetscInt aOff[], const PetscInt aOff_x[], const PetscScalar a[], const PetscScalar a_t[], const PetscScalar a_x[], PetscReal t, PetscReal u_tShift, const PetscReal x[], PetscInt numConstants, const PetscScalar constants[], PetscScalar g0[])
{
  g0[0] = u_tShift;
}

static void heat_g1(PetscInt dim, PetscInt Nf, PetscInt NfAux, const PetscInt uOff[], const PetscInt uOff_x[], const PetscScalar u[], const PetscScalar u_t[], const PetscScalar u_x[], const PetscInt aOff[], const PetscInt aOff_x[], const PetscScalar a[], const PetscScalar a_t[], const PetscScalar a_x[], PetscReal t, PetscReal u_tShift, const PetscReal x[], PetscInt numConstants, const PetscScalar constants[], PetscScalar g1[])
{
  PetscReal s = numConstants > 0 ? PetscRealPart(constants[0]) : 0.0;

  g1[0] = s * PetscSinReal(PETSC_PI * x[0]) * PetscCosReal(PETSC_PI * x[1]);
  g1[1] = -s * PetscCosReal(PETSC_PI * x[0]) * PetscSinReal(PETSC_PI * x[1]);
}

static void heat_g3(PetscInt dim, PetscInt Nf, PetscInt NfAux, const PetscInt uOff[], const PetscInt uOff_x[], const PetscScalar u[], const PetscScalar u_t[], const PetscScalar u_x[], const PetscInt aOff[], const PetscInt aOff_x[], const PetscScalar a[], const PetscScalar a_t[], const PetscScalar a_x[], PetscReal t, PetscReal u_tShift, const PetscReal x[], PetscInt numConstants, const PetscScalar constants[], PetscScalar g3[])
{
  for (PetscInt d = 0; d < dim; ++d) g3[d * dim + d] = 1.0;
}

static PetscErrorCode heat_zero(PetscInt dim, PetscReal time, const PetscReal x[], PetscInt Nc, PetscScalar *u, void *ctx)
{
  u[0] = 0.0;
  return 0;
}

static PetscErrorCode heat_initial(PetscInt dim, PetscReal time, const PetscReal x[], PetscInt Nc, PetscScalar *u, void *ctx)
{
  u[0] = PetscSinReal(PETSC_PI * x[0]) * PetscSinReal(PETSC_PI * x[1]) + 0.5 * PetscSinReal(3 * PETSC_PI * x[0]) * PetscSinReal(2 * PETSC_PI * x[1]);
  return 0;
}

/* One scalar Lagrange field named "u" on the mesh (tensor cells, degree 1). */
static PetscErrorCode HeatAddField(DM dm)
{
  PetscFE  fe;
  PetscInt dim;

  PetscFunctionBeginUser;
  PetscCall(DMGetDimension(dm, &dim));
  PetscCall(PetscFECreateLagrange(PetscObjectComm((PetscObject)dm), dim, 1, PETSC_FALSE, 1, PETSC_DETERMINE, &fe));
  PetscCall(PetscObjectSetName((PetscObject)fe, "u"));
  PetscCall(DMSetField(dm, 0, NULL, (PetscObject)fe));
  PetscCall(DMCreateDS(dm));
  PetscCall(PetscFEDestroy(&fe));
  PetscFunctionReturn(0);
}

/* Discretize the heat equation on dm: the field, its pointwise residual and Jacobian, the wall boundary condition. */
static PetscErrorCode HeatDiscretize(DM dm)
{
  PetscDS  ds;
  DMLabel  label;
  PetscInt id = 1;

  PetscFunctionBeginUser;
  PetscCall(HeatAddField(dm));
  PetscCall(DMGetDS(dm, &ds));
  PetscCall(PetscDSSetResidual(ds, 0, heat_f0, heat_f1));
  PetscCall(PetscDSSetJacobian(ds, 0, 0, heat_g0, heat_g1, NULL, heat_g3));
  PetscCall(DMGetLabel(dm, "marker", &label));
  PetscCall(DMAddBoundary(dm, DM_BC_ESSENTIAL, "wall", label, 1, &id, 0, 0, NULL, (void (*)(void))heat_zero, NULL, NULL, NULL));
  PetscFunctionReturn(0);
}

/* The time stepper and the solution (initial condition projected) of the heat equation on a DM discretized by
   HeatDiscretize() (or rebuilt with its discretization, see PetscSnapshotCreateDM()). */
static PetscErrorCode HeatTSCreate(DM dm, PetscReal dt, TS *ts, Vec *u)
{
  SNES     snes;
  KSP      ksp;
  PC       pc;
  PetscErrorCode (*initial[1])(PetscInt, PetscReal, const PetscReal[], PetscInt, PetscScalar *, void *) = {heat_initial};

  PetscFunctionBeginUser;
  PetscCall(TSCreate(PetscObjectComm((PetscObject)dm), ts));
  PetscCall(TSSetDM(*ts, dm));
  PetscCall(DMTSSetBoundaryLocal(dm, DMPlexTSComputeBoundary, NULL));
  PetscCall(DMTSSetIFunctionLocal(dm, DMPlexTSComputeIFunctionFEM, NULL));
  PetscCall(DMTSSetIJacobianLocal(dm, DMPlexTSComputeIJacobianFEM, NULL));
  PetscCall(TSSetType(*ts, TSBEULER));
  PetscCall(TSSetTimeStep(*ts, dt));
  PetscCall(TSSetMaxSteps(*ts, 1000000));
  PetscCall(TSSetMaxTime(*ts, 1e10));
  PetscCall(TSSetExactFinalTime(*ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSGetSNES(*ts, &snes));
  PetscCall(SNESSetType(snes, SNESKSPONLY));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPCG));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCJACOBI));
  PetscCall(KSPSetTolerances(ksp, 1e-12, 1e-14, PETSC_DEFAULT, 1000));
  PetscCall(TSSetFromOptions(*ts));

  PetscCall(DMCreateGlobalVector(dm, u));
  PetscCall(PetscObjectSetName((PetscObject)*u, "u"));
  PetscCall(DMProjectFunction(dm, 0.0, initial, NULL, INSERT_ALL_VALUES, *u));
  PetscCall(TSSetSolution(*ts, *u));
  PetscCall(TSSetUp(*ts));
  PetscFunctionReturn(0);
}

/* Discretize the heat equation on dm and create the time stepper and the solution (initial condition projected). */
static PetscErrorCode HeatProblemSetUp(DM dm, PetscReal dt, TS *ts, Vec *u)
{
  PetscFunctionBeginUser;
  PetscCall(HeatDiscretize(dm));
  PetscCall(HeatTSCreate(dm, dt, ts, u));
  PetscFunctionReturn(0);
}

#endif
