static const char help[] = "Undo a mesh refinement with petsc-snapshot.\n"
                           "A heat equation (Q1 FEM, TS) and particles in a cellular flow on a coarse DMPlex. While a front\n"
                           "(x = 0.2 + t) crosses the domain the application wants a refined mesh: it captures the swarm and\n"
                           "its mesh (with the mesh's topology), refines, moves the solution and the particles there and takes\n"
                           "the step. If the particles moved more than a fraction of a fine cell, it regrets the refinement:\n"
                           "PetscSnapshotCreateDM() rebuilds the coarse mesh, PetscSnapshotRestore() puts everything back, and\n"
                           "the step is taken on the coarse mesh with half the time step. Otherwise it keeps the fine mesh.\n"
                           "A second, never-adapted run takes the same coarse steps; the regretted refinements must leave no\n"
                           "trace: the two runs are compared bitwise (solution, coordinates, particles, clock).\n\n"
                           "Options:\n"
                           "  -n <8>      coarse cells per side\n"
                           "  -dt <0.05>  first time step\n"
                           "  -cfl <0.5>  largest accepted particle displacement, in fine cells\n"
                           "  -steps <6>  steps to take\n";

#include <petscsnapshot.h>
#include "box_mesh.h"
#include "heat_problem.h"
#include "pic_problem.h"
#include <string.h>

typedef struct {
  DM  dm, sw;
  TS  ts;
  Vec u;
} Run;

/* The solver on a discretized mesh, with its solution and TS declared as the mesh's snapshot state */
static PetscErrorCode RunSolver(Run *r, DM dm, PetscReal dt)
{
  PetscFunctionBeginUser;
  r->dm = dm;
  PetscCall(PetscObjectReference((PetscObject)dm));
  PetscCall(HeatTSCreate(dm, dt, &r->ts, &r->u));
  PetscCall(PetscSnapshotDMAddState(dm, "solution", (PetscObject)r->u));
  PetscCall(PetscSnapshotDMAddState(dm, "ts", (PetscObject)r->ts));
  PetscFunctionReturn(0);
}

static PetscErrorCode RunFreeSolver(Run *r)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&r->u));
  PetscCall(TSDestroy(&r->ts));
  PetscCall(DMDestroy(&r->dm));
  PetscFunctionReturn(0);
}

static PetscErrorCode RunCreate(MPI_Comm comm, PetscInt n, PetscReal dt, const char mesh[], const char particles[], Run *r)
{
  DM dm;

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(comm, n, PETSC_FALSE, mesh, &dm));
  PetscCall(HeatDiscretize(dm));
  PetscCall(RunSolver(r, dm, dt));
  PetscCall(DMDestroy(&dm));
  PetscCall(PICSwarmCreate(r->dm, particles, &r->sw));
  PetscCall(PICSwarmPopulate(r->sw, r->dm, 2, 1.0 / n));
  PetscFunctionReturn(0);
}

/* One step of length dt; the largest particle displacement */
static PetscErrorCode RunStep(Run *r, PetscReal dt, PetscReal *moved)
{
  PetscFunctionBeginUser;
  PetscCall(TSSetTimeStep(r->ts, dt));
  PetscCall(TSStep(r->ts));
  PetscCall(SwarmAdvect(r->sw, dt, moved));
  PetscFunctionReturn(0);
}

/* Put the particles in the cells of a refinement of their mesh (each is in a local cell there too) */
static PetscErrorCode Relocate(DM sw, DM fine)
{
  PetscInt           n, dim, nfound;
  PetscReal         *x;
  PetscInt          *cell;
  const char        *cellid;
  Vec                pos;
  PetscSF            located = NULL;
  const PetscInt    *at;
  const PetscSFNode *found;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmSetCellDM(sw, fine));
  PetscCall(ExampleSwarmCellIdField(sw, &cellid));
  PetscCall(DMGetDimension(fine, &dim));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(DMSwarmGetField(sw, cellid, NULL, NULL, (void **)&cell));
  PetscCall(VecCreateSeqWithArray(PETSC_COMM_SELF, dim, n * dim, x, &pos));
  PetscCall(DMLocatePoints(fine, pos, DM_POINTLOCATION_NONE, &located));
  PetscCall(PetscSFGetGraph(located, NULL, &nfound, &at, &found));
  for (PetscInt l = 0; l < nfound; l++) cell[at ? at[l] : l] = found[l].index;
  PetscCall(PetscSFDestroy(&located));
  PetscCall(VecDestroy(&pos));
  PetscCall(DMSwarmRestoreField(sw, cellid, NULL, NULL, (void **)&cell));
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscFunctionReturn(0);
}

/* Bitwise: solution, local coordinates, every particle field (pid, coordinates, cell, rank), clock */
static PetscErrorCode SameState(Run *a, Run *b, PetscBool *same)
{
  const char *fields[] = {DMSwarmField_pid, DMSwarmPICField_coor, DMSwarmField_rank, NULL}, *cellidB;
  Vec         ca, cb;
  PetscInt    na, nb, pa, pb;
  PetscReal   ta, tb;
  const void *xa, *xb;

  PetscFunctionBeginUser;
  PetscCall(ExampleSwarmCellIdField(a->sw, &fields[3]));
  PetscCall(ExampleSwarmCellIdField(b->sw, &cellidB)); /* named after each swarm's cell DM from PETSc 3.23 */
  PetscCall(VecGetLocalSize(a->u, &na));
  PetscCall(VecGetLocalSize(b->u, &nb));
  *same = (PetscBool)(na == nb);
  if (*same) {
    PetscCall(VecGetArrayRead(a->u, (const PetscScalar **)&xa));
    PetscCall(VecGetArrayRead(b->u, (const PetscScalar **)&xb));
    *same = (PetscBool)!memcmp(xa, xb, na * sizeof(PetscScalar));
    PetscCall(VecRestoreArrayRead(a->u, (const PetscScalar **)&xa));
    PetscCall(VecRestoreArrayRead(b->u, (const PetscScalar **)&xb));
  }
  PetscCall(DMGetCoordinatesLocal(a->dm, &ca));
  PetscCall(DMGetCoordinatesLocal(b->dm, &cb));
  PetscCall(VecGetLocalSize(ca, &na));
  PetscCall(VecGetLocalSize(cb, &nb));
  if (*same && na == nb) {
    PetscCall(VecGetArrayRead(ca, (const PetscScalar **)&xa));
    PetscCall(VecGetArrayRead(cb, (const PetscScalar **)&xb));
    *same = (PetscBool)!memcmp(xa, xb, na * sizeof(PetscScalar));
    PetscCall(VecRestoreArrayRead(ca, (const PetscScalar **)&xa));
    PetscCall(VecRestoreArrayRead(cb, (const PetscScalar **)&xb));
  } else *same = PETSC_FALSE;
  PetscCall(DMSwarmGetLocalSize(a->sw, &pa));
  PetscCall(DMSwarmGetLocalSize(b->sw, &pb));
  *same = (PetscBool)(*same && pa == pb);
  for (int f = 0; *same && f < 4; f++) {
    PetscInt      bs;
    PetscDataType type;
    size_t        size;
    void         *da, *db;
    PetscCall(DMSwarmGetField(a->sw, fields[f], &bs, &type, &da));
    PetscCall(DMSwarmGetField(b->sw, f == 3 ? cellidB : fields[f], NULL, NULL, &db));
    PetscCall(PetscDataTypeGetSize(type, &size));
    *same = (PetscBool)!memcmp(da, db, pa * bs * size);
    PetscCall(DMSwarmRestoreField(b->sw, f == 3 ? cellidB : fields[f], NULL, NULL, &db));
    PetscCall(DMSwarmRestoreField(a->sw, fields[f], &bs, &type, &da));
  }
  PetscCall(TSGetTime(a->ts, &ta));
  PetscCall(TSGetTime(b->ts, &tb));
  *same = (PetscBool)(*same && ta == tb);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, same, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PetscObjectComm((PetscObject)a->dm)));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm      comm;
  PetscSnapshot snap;
  Run           run, never, old = {NULL, NULL, NULL, NULL}; /* the run that tries refinements; the run that never does */
  PetscInt      n = 8, steps = 6, regrets = 0, kept = 0, compared = 0, mismatched = 0;
  PetscReal     dt = 0.05, cfl = 0.5, t, moved;
  PetscBool     onFine = PETSC_FALSE, same;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-steps", &steps, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-dt", &dt, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-cfl", &cfl, NULL));
  PetscCall(RunCreate(comm, n, dt, "mesh", "particles", &run));
  PetscCall(RunCreate(comm, n, dt, "never-adapted mesh", "never-adapted particles", &never));
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetDMTopology(snap, PETSC_TRUE)); /* the refinement may be undone */
  PetscCall(PetscSnapshotSetFromOptions(snap));

  for (PetscInt step = 0; step < steps; step++) {
    PetscCall(TSGetTime(run.ts, &t));
    if (onFine || 0.2 + t >= 1.0) { /* nothing to decide: a plain step */
      PetscCall(RunStep(&run, dt, &moved));
      if (!onFine) PetscCall(RunStep(&never, dt, &moved));
      PetscCall(PetscPrintf(comm, "step %" PetscInt_FMT ": t = %.4f, dt = %.4f on the %s mesh\n", step, (double)t, (double)dt, onFine ? "fine" : "coarse"));
      continue;
    }
    PetscCall(SameState(&run, &never, &same)); /* before each attempt: no trace of earlier regrets */
    compared++;
    if (!same) mismatched++;

    PetscCall(PetscSnapshotCapture(snap, run.sw)); /* particles, mesh (and its topology), solution, clock */
    {
      Run  fine = run;
      DM   dmf;
      Mat  interp;
      PetscInt stepNumber;

      PetscCall(DMRefine(run.dm, comm, &dmf)); /* tensor cells: PETSc 3.18 refines them uniformly, not locally */
      PetscCall(PetscObjectSetName((PetscObject)dmf, "mesh"));
      PetscCall(DMPlexSetRegularRefinement(dmf, PETSC_TRUE)); /* nested cells: the interpolation needs no point location */
      PetscCall(DMSetCoarseDM(dmf, run.dm));
      PetscCall(HeatDiscretize(dmf));
      PetscCall(RunSolver(&fine, dmf, dt));
      PetscCall(DMDestroy(&dmf));
      PetscCall(DMCreateInterpolation(run.dm, fine.dm, &interp, NULL));
      PetscCall(MatInterpolate(interp, run.u, fine.u));
      PetscCall(MatDestroy(&interp));
      PetscCall(TSSetTime(fine.ts, t));
      PetscCall(TSGetStepNumber(run.ts, &stepNumber));
      PetscCall(TSSetStepNumber(fine.ts, stepNumber));
      PetscCall(Relocate(run.sw, fine.dm));
      PetscCall(RunStep(&fine, dt, &moved));
      if (moved <= cfl / (2 * n)) { /* wanted: keep the fine mesh */
        PetscCall(PetscPrintf(comm, "step %" PetscInt_FMT ": t = %.4f, dt = %.4f on a refined mesh: kept (largest move %.3f fine cells)\n", step, (double)t, (double)dt, (double)(moved * 2 * n)));
        old    = run; /* freed at the end: the fine mesh refers to it as its coarse DM */
        run    = fine;
        onFine = PETSC_TRUE;
        kept++;
        PetscCall(PetscSnapshotReset(snap)); /* the coarse mesh is gone for good */
        continue;
      }
      /* regretted: rebuild the coarse mesh, restore everything, retry there with half the step */
      PetscCall(PetscPrintf(comm, "step %" PetscInt_FMT ": t = %.4f, dt = %.4f on a refined mesh: rejected (largest move %.3f fine cells), back to the coarse mesh\n", step, (double)t, (double)dt, (double)(moved * 2 * n)));
      regrets++;
      {
        DM  coarse;
        Run back = run;

        PetscCall(PetscSnapshotCreateDM(snap, "mesh", &coarse));
        PetscCall(RunSolver(&back, coarse, dt)); /* the rebuilt mesh keeps the captured discretization */
        PetscCall(DMDestroy(&coarse));
        PetscCall(DMSwarmSetCellDM(run.sw, back.dm));
        PetscCall(RunFreeSolver(&fine));
        PetscCall(RunFreeSolver(&run));
        run = back;
        PetscCall(PetscSnapshotRestore(snap, run.sw));
      }
      dt /= 2;
      PetscCall(RunStep(&run, dt, &moved));
      PetscCall(RunStep(&never, dt, &moved));
      PetscCall(PetscPrintf(comm, "step %" PetscInt_FMT ": t = %.4f, dt = %.4f on the coarse mesh\n", step, (double)t, (double)dt));
    }
  }
  if (!onFine) {
    PetscCall(SameState(&run, &never, &same));
    compared++;
    if (!same) mismatched++;
  }
  PetscCall(PetscPrintf(comm, "%" PetscInt_FMT " refinements regretted, %" PetscInt_FMT " kept\n", regrets, kept));
  PetscCall(PetscPrintf(comm, "%s: the coarse run with its regretted refinements %s the never-adapted run bitwise (%" PetscInt_FMT " of %" PetscInt_FMT " comparisons)\n", mismatched ? "FAIL" : "ok", mismatched ? "does not match" : "matches", compared - mismatched, compared));

  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(DMDestroy(&run.sw));
  PetscCall(RunFreeSolver(&run));
  PetscCall(RunFreeSolver(&old));
  PetscCall(DMDestroy(&never.sw));
  PetscCall(RunFreeSolver(&never));
  PetscCall(PetscFinalize());
  return mismatched || !regrets ? 1 : 0;
}
