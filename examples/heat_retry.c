static const char help[] = "Stash-and-retry time stepping with petsc-snapshot.\n"
                           "The heat equation on a DMPlex is integrated with TS. Before each TSStep the mesh's state is captured;\n"
                           "after it, a physical check (the largest change of u in one step) accepts the step or rejects it: a\n"
                           "rejected step is rolled back with PetscSnapshotRestore() and retried with half the time step.\n"
                           "An auxiliary field, the heat dose D = integral of u dt, is updated after every step and is part of the\n"
                           "snapshot, so a rejected step leaves no trace in it either.\n\n"
                           "Options:\n"
                           "  -n <16>            cells per side of the unit square\n"
                           "  -dt <0.05>         first time step\n"
                           "  -max_change <0.02> largest accepted change of u in one step\n"
                           "  -grow <1.5>        factor applied to dt after an accepted step\n"
                           "  -steps <20>        accepted steps to take\n"
                           "  -snapshot_view     show what the snapshot held at the end\n";

#include <petscsnapshot.h>
#include "box_mesh.h"
#include "heat_problem.h"

int main(int argc, char **argv)
{
  MPI_Comm      comm;
  DM            dm;
  TS            ts;
  Vec           u, uPrev, dose, doseAccepted;
  PetscSnapshot snap;
  PetscInt      n = 16, steps = 20, accepted = 0, rejected = 0;
  PetscReal     dt = 0.05, maxChange = 0.02, grow = 1.5;
  PetscBool     doseExact;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscOptionsBegin(comm, NULL, "Stash-and-retry heat example", NULL);
  PetscCall(PetscOptionsInt("-n", "Cells per side", NULL, n, &n, NULL));
  PetscCall(PetscOptionsReal("-dt", "First time step", NULL, dt, &dt, NULL));
  PetscCall(PetscOptionsReal("-max_change", "Largest accepted change of u in one step", NULL, maxChange, &maxChange, NULL));
  PetscCall(PetscOptionsReal("-grow", "Growth factor of dt after an accepted step", NULL, grow, &grow, NULL));
  PetscCall(PetscOptionsInt("-steps", "Accepted steps to take", NULL, steps, &steps, NULL));
  PetscOptionsEnd();

  PetscCall(CreateBoxMesh(comm, n, PETSC_FALSE, "mesh", &dm));
  PetscCall(DMSetFromOptions(dm));
  PetscCall(HeatProblemSetUp(dm, dt, &ts, &u));
  PetscCall(VecDuplicate(u, &uPrev));
  PetscCall(VecDuplicate(u, &dose));
  PetscCall(VecDuplicate(u, &doseAccepted));
  PetscCall(VecSet(dose, 0.0));
  PetscCall(VecSet(doseAccepted, 0.0));

  /* Everything a rejected step must undo belongs to the mesh's snapshot state: the solution and the dose. */
  PetscCall(PetscSnapshotDMAddState(dm, "solution", (PetscObject)u));
  PetscCall(PetscSnapshotDMAddState(dm, "dose", (PetscObject)dose));
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetFromOptions(snap));

  while (accepted < steps) {
    PetscReal t, change;
    PetscInt  stepNumber;

    PetscCall(TSGetTime(ts, &t));
    PetscCall(TSGetStepNumber(ts, &stepNumber));
    PetscCall(PetscSnapshotCapture(snap, dm)); /* stash */
    PetscCall(VecCopy(u, uPrev));

    PetscCall(TSStep(ts));
    PetscCall(VecAXPY(dose, dt, u)); /* the auxiliary state moves with the step */

    PetscCall(VecAXPY(uPrev, -1.0, u));
    PetscCall(VecNorm(uPrev, NORM_INFINITY, &change));
    if (change > maxChange) {
      /* regret: roll back the mesh's whole state and the clock, retry with half the step */
      PetscCall(PetscSnapshotRestore(snap, dm));
      PetscCall(TSSetTime(ts, t));
      PetscCall(TSSetStepNumber(ts, stepNumber));
      rejected++;
      PetscCall(PetscPrintf(comm, "step %3" PetscInt_FMT "  t = %8.5f  dt = %8.5f  max|du| = %.4f > %.4f  rejected, retry with dt = %.5f\n", stepNumber + 1, (double)t, (double)dt, (double)change, (double)maxChange, (double)(dt / 2)));
      dt /= 2;
    } else {
      accepted++;
      PetscCall(VecAXPY(doseAccepted, dt, u));
      PetscCall(PetscPrintf(comm, "step %3" PetscInt_FMT "  t = %8.5f  dt = %8.5f  max|du| = %.4f            accepted\n", stepNumber + 1, (double)t, (double)dt, (double)change));
      dt *= grow;
    }
    PetscCall(TSSetTimeStep(ts, dt));
  }

  {
    PetscReal t, unorm, dnorm;

    PetscCall(TSGetTime(ts, &t));
    PetscCall(VecNorm(u, NORM_2, &unorm));
    PetscCall(VecNorm(dose, NORM_2, &dnorm));
    /* the dose in the snapshot state, rolled back on every rejection, must be exactly the sum over accepted steps */
    PetscCall(VecEqual(dose, doseAccepted, &doseExact));
    PetscCall(PetscPrintf(comm, "summary: %" PetscInt_FMT " accepted, %" PetscInt_FMT " rejected steps, t = %.5f, |u| = %.6e, |dose| = %.6e\n", accepted, rejected, (double)t, (double)unorm, (double)dnorm));
    PetscCall(PetscPrintf(comm, "dose equals the sum over accepted steps only: %s\n", doseExact ? "yes (rejected steps left no trace)" : "NO"));
  }

  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&uPrev));
  PetscCall(VecDestroy(&dose));
  PetscCall(VecDestroy(&doseAccepted));
  PetscCall(VecDestroy(&u));
  PetscCall(TSDestroy(&ts));
  PetscCall(DMDestroy(&dm));
  PetscCall(PetscFinalize());
  return doseExact ? 0 : 1;
}
