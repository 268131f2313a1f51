static const char help[] = "Advection-diffusion on a DMPlex with particles, an adaptive additive Runge-Kutta method that rejects\n"
                           "steps, and a snapshot attached to the TS with one call.\n"
                           "The particles ride the same flow as the field and are moved in a TS post-stage callback, so a\n"
                           "rejected attempt moves them too; the attached snapshot puts the solution, the mesh and every\n"
                           "particle back before each retry. With -snapshot_test_restep every step is taken twice and compared.\n\n"
                           "Options:\n"
                           "  -n <10>            cells per side\n"
                           "  -ppc <2>           particles per cell per direction\n"
                           "  -advection <4>     strength of the advection\n"
                           "  -steps <15>        steps to take\n"
                           "  -snapshot_test_restep, -snapshot_view, and all of TS's (default -ts_type arkimex, adaptive)\n";

#include <petscsnapshot.h>
#include "box_mesh.h"
#include "heat_problem.h"
#include "pic_problem.h"

/* Each particle carries the time it has been moved to: a post-stage moves it to the stage time. A rejected attempt moves
   particles too far (and may migrate them); the snapshot brings them back before the retry. */
static PetscErrorCode MoveParticles(TS ts, PetscReal stageTime, PetscInt stage, Vec *Y)
{
  DM         sw;
  PetscInt   n;
  PetscReal *x, *tp;

  PetscFunctionBeginUser;
  PetscCall(TSGetApplicationContext(ts, &sw));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(DMSwarmGetField(sw, "time", NULL, NULL, (void **)&tp));
  for (PetscInt p = 0; p < n; p++) {
    PetscReal v[2];
    CellularFlow(&x[2 * p], v);
    x[2 * p] += (stageTime - tp[p]) * v[0];
    x[2 * p + 1] += (stageTime - tp[p]) * v[1];
    tp[p] = stageTime;
  }
  PetscCall(DMSwarmRestoreField(sw, "time", NULL, NULL, (void **)&tp));
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(DMSwarmMigrate(sw, PETSC_TRUE));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm      comm;
  DM            mesh, sw;
  TS            ts;
  TSAdapt       adapt;
  Vec           u;
  PetscDS       ds;
  PetscSnapshot snap;
  PetscInt      n = 10, ppc = 2, steps = 15, N0, N, rejected, retries, checks, mismatches;
  PetscReal     advection = 4.0, t;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscOptionsBegin(comm, NULL, "Advection-diffusion with particles and an attached snapshot", NULL);
  PetscCall(PetscOptionsInt("-n", "Cells per side", NULL, n, &n, NULL));
  PetscCall(PetscOptionsInt("-ppc", "Particles per cell per direction", NULL, ppc, &ppc, NULL));
  PetscCall(PetscOptionsReal("-advection", "Advection strength", NULL, advection, &advection, NULL));
  PetscCall(PetscOptionsInt("-steps", "Steps to take", NULL, steps, &steps, NULL));
  PetscOptionsEnd();

  /* the field: advection-diffusion, integrated by an adaptive additive Runge-Kutta method (ARKIMEX, fully implicit) */
  PetscCall(CreateBoxMesh(comm, n, PETSC_FALSE, "mesh", &mesh));
  { /* defaults that the command line overrides */
    const char *defaults[][2] = {{"-ts_type", "arkimex"}, {"-ts_adapt_type", "basic"}, {"-ts_rtol", "1e-4"}, {"-ts_atol", "1e-4"}, {"-ksp_type", "gmres"}, {"-pc_type", "bjacobi"}, {"-ts_max_snes_failures", "-1"}};
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
      PetscBool set;
      PetscCall(PetscOptionsHasName(NULL, NULL, defaults[i][0], &set));
      if (!set) PetscCall(PetscOptionsSetValue(NULL, defaults[i][0], defaults[i][1]));
    }
  }
  PetscCall(HeatProblemSetUp(mesh, 0.2, &ts, &u));
  PetscCall(DMGetDS(mesh, &ds));
  PetscCall(PetscDSSetConstants(ds, 1, &advection));

  /* the particles, moved in a post-stage callback */
  PetscCall(PICSwarmCreate(mesh, "particles", &sw));
  PetscCall(DMSwarmRegisterPetscDatatypeField(sw, "time", 1, PETSC_REAL));
  PetscCall(PICSwarmPopulate(sw, mesh, ppc, 1.0 / n));
  PetscCall(DMSwarmGetSize(sw, &N0));
  PetscCall(TSSetApplicationContext(ts, sw));
  PetscCall(TSSetPostStage(ts, MoveParticles));
  PetscCall(TSGetAdapt(ts, &adapt));

  /* one call: the swarm is declared on the mesh, the snapshot attached to the TS */
  PetscCall(PetscSnapshotDMAddState(mesh, "particles", (PetscObject)sw));
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetFromOptions(snap));
  PetscCall(PetscSnapshotSetTS(snap, ts));

  for (PetscInt k = 0; k < steps; k++) {
    PetscInt  before, after;
    PetscReal h;

    PetscCall(TSGetStepRejections(ts, &before));
    PetscCall(TSGetTime(ts, &t));
    PetscCall(TSStep(ts));
    PetscCall(TSGetStepRejections(ts, &after));
    PetscCall(TSGetTime(ts, &h));
    PetscCall(DMSwarmGetSize(sw, &N));
    PetscCall(PetscPrintf(comm, "step %3" PetscInt_FMT "  t = %.5f -> %.5f  rejected attempts %" PetscInt_FMT "  particles %" PetscInt_FMT "\n", k + 1, (double)t, (double)h, after - before, N));
  }
  PetscCall(TSGetStepRejections(ts, &rejected));
  PetscCall(PetscSnapshotGetTSCounts(snap, &retries, &checks, &mismatches));
  PetscCall(DMSwarmGetSize(sw, &N));
  PetscCall(PetscPrintf(comm, "summary: %" PetscInt_FMT " steps, %" PetscInt_FMT " rejected attempts, %" PetscInt_FMT " rolled back by the snapshot; particles %" PetscInt_FMT " of %" PetscInt_FMT "\n", steps, rejected, retries, N, N0));
  if (checks) PetscCall(PetscPrintf(comm, "completeness (restep check): %" PetscInt_FMT " steps taken twice, %s\n", checks, mismatches ? "SOME DIFFERED: undeclared state influences the steps" : "every step bitwise identical: the declared state is complete"));

  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscSnapshotDMRemoveState(mesh, "particles"));
  PetscCall(DMDestroy(&sw));
  PetscCall(VecDestroy(&u));
  PetscCall(TSDestroy(&ts));
  PetscCall(DMDestroy(&mesh));
  PetscCall(PetscFinalize());
  return (retries == rejected && (!checks || !mismatches)) ? 0 : 1;
}
