/* A real PETSc solver for the tests: the heat equation u_t = div(grad u) + f on a DMPlex, Q1 finite elements,
   homogeneous Dirichlet walls, integrated by TS (backward Euler by default). */
#ifndef PETSCSNAPSHOT_HEATUTIL_H
#define PETSCSNAPSHOT_HEATUTIL_H

#include <petscts.h>
#include <petscds.h>
#include "meshutil.h"

static void heat_f0(PetscInt dim, PetscInt Nf, PetscInt NfAux, const PetscInt uOff[], const PetscInt uOff_x[], const PetscScalar u[], const PetscScalar u_t[], const PetscScalar u_x[], const PetscInt aOff[], const PetscInt aOff_x[], const PetscScalar a[], const PetscScalar a_t[], const PetscScalar a_x[], PetscReal t, const PetscReal x[], PetscInt numConstants, const PetscScalar constants[], PetscScalar f0[])
{
  f0[0] = u_t[0] - 1.0; /* a uniform heat source keeps the solution from decaying to nothing */
}

static void heat_f1(PetscInt dim, PetscInt Nf, PetscInt NfAux, const PetscInt uOff[], const PetscInt uOff_x[], const PetscScalar u[], const PetscScalar u_t[], const PetscScalar u_x[], const PetscInt aOff[], const PetscInt aOff_x[], const PetscScalar a[], const PetscScalar a_t[], const PetscScalar a_x[], PetscReal t, const PetscReal x[], PetscInt numConstants, const PetscScalar constants[], PetscScalar f1[])
{
  for (PetscInt d = 0; d < dim; ++d) f1[d] = u_x[d];
}

static void heat_g0(PetscInt dim, PetscInt Nf, PetscInt NfAux, const PetscInt uOff[], const PetscInt uOff_x[], const PetscScalar u[], const PetscScalar u_t[], const PetscScalar u_x[], const PetscInt aOff[], const PetscInt aOff_x[], const PetscScalar a[], const PetscScalar a_t[], const PetscScalar a_x[], PetscReal t, PetscReal u_tShift, const PetscReal x[], PetscInt numConstants, const PetscScalar constants[], PetscScalar g0[])
{
  g0[0] = u_tShift;
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

typedef struct {
  DM  dm;
  TS  ts;
  Vec u; /* the TS solution, declared as the mesh's state "solution" */
} Heat;

static PetscErrorCode HeatCreate(MPI_Comm comm, PetscInt n, PetscReal dt, Heat *h)
{
  PetscDS  ds;
  DMLabel  label;
  PetscInt id = 1;
  SNES     snes;
  KSP      ksp;
  PC       pc;
  PetscErrorCode (*initial[1])(PetscInt, PetscReal, const PetscReal[], PetscInt, PetscScalar *, void *) = {heat_initial};

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(comm, n, PETSC_FALSE, "mesh", &h->dm));
  PetscCall(AddScalarField(h->dm));
  PetscCall(DMGetDS(h->dm, &ds));
  PetscCall(PetscDSSetResidual(ds, 0, heat_f0, heat_f1));
  PetscCall(PetscDSSetJacobian(ds, 0, 0, heat_g0, NULL, NULL, heat_g3));
  PetscCall(DMGetLabel(h->dm, "marker", &label));
  PetscCall(DMAddBoundary(h->dm, DM_BC_ESSENTIAL, "wall", label, 1, &id, 0, 0, NULL, (void (*)(void))heat_zero, NULL, NULL, NULL));

  PetscCall(TSCreate(comm, &h->ts));
  PetscCall(TSSetDM(h->ts, h->dm));
  PetscCall(DMTSSetBoundaryLocal(h->dm, DMPlexTSComputeBoundary, NULL));
  PetscCall(DMTSSetIFunctionLocal(h->dm, DMPlexTSComputeIFunctionFEM, NULL));
  PetscCall(DMTSSetIJacobianLocal(h->dm, DMPlexTSComputeIJacobianFEM, NULL));
  PetscCall(TSSetType(h->ts, TSBEULER));
  PetscCall(TSSetTimeStep(h->ts, dt));
  PetscCall(TSSetMaxSteps(h->ts, 1000000));
  PetscCall(TSSetMaxTime(h->ts, 1e10));
  PetscCall(TSSetExactFinalTime(h->ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSGetSNES(h->ts, &snes));
  PetscCall(SNESSetType(snes, SNESKSPONLY));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPCG));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCJACOBI));
  PetscCall(KSPSetTolerances(ksp, 1e-12, 1e-14, PETSC_DEFAULT, 1000));
  PetscCall(TSSetFromOptions(h->ts));

  PetscCall(DMCreateGlobalVector(h->dm, &h->u));
  PetscCall(PetscObjectSetName((PetscObject)h->u, "u"));
  PetscCall(DMProjectFunction(h->dm, 0.0, initial, NULL, INSERT_ALL_VALUES, h->u));
  PetscCall(TSSetSolution(h->ts, h->u));
  PetscCall(TSSetUp(h->ts));
  PetscCall(PetscSnapshotDMAddState(h->dm, "solution", (PetscObject)h->u));
  PetscFunctionReturn(0);
}

static PetscErrorCode HeatSteps(Heat *h, PetscInt k)
{
  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < k; i++) PetscCall(TSStep(h->ts));
  PetscFunctionReturn(0);
}

static PetscErrorCode HeatDestroy(Heat *h)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&h->u));
  PetscCall(TSDestroy(&h->ts));
  PetscCall(DMDestroy(&h->dm));
  PetscFunctionReturn(0);
}

#endif
