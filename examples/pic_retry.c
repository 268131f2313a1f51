static const char help[] = "Particle-in-cell stash-and-retry with petsc-snapshot.\n"
                           "Particles ride a cellular flow on a DMPlex. Before each step the swarm (and with it its mesh) is\n"
                           "captured; the step advects and migrates the particles; a CFL check on the largest displacement\n"
                           "rejects steps that moved a particle more than a fraction of a cell, and a rejected step is rolled\n"
                           "back with PetscSnapshotRestore() -- particles that changed rank or left the domain come back -- and\n"
                           "retried with half the time step. At the end it checks that no particle was lost or duplicated.\n\n"
                           "Options:\n"
                           "  -n <12>     cells per side of the unit square\n"
                           "  -ppc <3>    particles per cell per direction\n"
                           "  -dt <0.4>   first time step\n"
                           "  -cfl <0.5>  largest accepted displacement, in cells\n"
                           "  -steps <12> accepted steps to take\n"
                           "  -snapshot_view\n";

#include <petscsnapshot.h>
#include "box_mesh.h"
#include "pic_problem.h"

static PetscErrorCode CreateParticles(DM mesh, PetscInt n, PetscInt ppc, DM *sw)
{
  PetscFunctionBeginUser;
  PetscCall(PICSwarmCreate(mesh, "particles", sw));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "age", 1, PETSC_REAL)); /* a user field, rolled back too */
  PetscCall(PICSwarmPopulate(*sw, mesh, ppc, 1.0 / n));
  PetscFunctionReturn(0);
}

/* Every particle gets older by dt. */
static PetscErrorCode Age(DM sw, PetscReal dt)
{
  PetscInt   n;
  PetscReal *age;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, "age", NULL, NULL, (void **)&age));
  for (PetscInt p = 0; p < n; p++) age[p] += dt;
  PetscCall(DMSwarmRestoreField(sw, "age", NULL, NULL, (void **)&age));
  PetscFunctionReturn(0);
}

/* No particle lost or duplicated: the global ids are exactly 0..N0-1; and every particle is as old as the clock. */
static PetscErrorCode CheckParticles(DM sw, PetscInt N0, PetscReal t, PetscBool *ok)
{
  PetscInt    n, N, bad = 0;
  PetscInt64 *pid, sum = 0, expected = (PetscInt64)N0 * (N0 - 1) / 2;
  PetscReal  *age;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetSize(sw, &N));
  PetscCall(DMSwarmGetField(sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
  PetscCall(DMSwarmGetField(sw, "age", NULL, NULL, (void **)&age));
  for (PetscInt p = 0; p < n; p++) {
    sum += pid[p];
    if (PetscAbsReal(age[p] - t) > 1e-12 * (1 + t)) bad++;
  }
  PetscCall(DMSwarmRestoreField(sw, "age", NULL, NULL, (void **)&age));
  PetscCall(DMSwarmRestoreField(sw, DMSwarmField_pid, NULL, NULL, (void **)&pid));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPIU_INT64, MPI_SUM, PetscObjectComm((PetscObject)sw)));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPIU_INT, MPI_SUM, PetscObjectComm((PetscObject)sw)));
  *ok = (N == N0 && sum == expected && bad == 0) ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm      comm;
  DM            mesh, sw;
  PetscSnapshot snap;
  PetscInt      n = 12, ppc = 3, steps = 12, accepted = 0, rejected = 0, N0;
  PetscReal     dt = 0.4, cfl = 0.5, t = 0;
  PetscBool     ok;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscOptionsBegin(comm, NULL, "PIC stash-and-retry example", NULL);
  PetscCall(PetscOptionsInt("-n", "Cells per side", NULL, n, &n, NULL));
  PetscCall(PetscOptionsInt("-ppc", "Particles per cell per direction", NULL, ppc, &ppc, NULL));
  PetscCall(PetscOptionsReal("-dt", "First time step", NULL, dt, &dt, NULL));
  PetscCall(PetscOptionsReal("-cfl", "Largest accepted displacement in cells", NULL, cfl, &cfl, NULL));
  PetscCall(PetscOptionsInt("-steps", "Accepted steps to take", NULL, steps, &steps, NULL));
  PetscOptionsEnd();

  PetscCall(CreateBoxMesh(comm, n, PETSC_FALSE, "mesh", &mesh));
  PetscCall(CreateParticles(mesh, n, ppc, &sw));
  PetscCall(DMSwarmGetSize(sw, &N0));
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetFromOptions(snap));
  PetscCall(PetscPrintf(comm, "%" PetscInt_FMT " particles on %" PetscInt_FMT " x %" PetscInt_FMT " cells\n", N0, n, n));

  while (accepted < steps) {
    PetscReal move;
    PetscInt  N;

    PetscCall(PetscSnapshotCapture(snap, sw)); /* the particles, every field, and their mesh */
    PetscCall(SwarmAdvect(sw, dt, &move));
    PetscCall(Age(sw, dt));
    PetscCall(DMSwarmGetSize(sw, &N));
    if (move > cfl / n) {
      PetscCall(PetscPrintf(comm, "step %3" PetscInt_FMT "  dt = %.5f  moved %.2f cells > %.2f: rejected (%" PetscInt_FMT " particles left the domain); restore, retry with dt = %.5f\n", accepted + 1, (double)dt, (double)(move * n), (double)cfl, N0 - N, (double)(dt / 2)));
      PetscCall(PetscSnapshotRestore(snap, sw));
      rejected++;
      dt /= 2;
      continue;
    }
    accepted++;
    t += dt;
    PetscCall(PetscPrintf(comm, "step %3" PetscInt_FMT "  dt = %.5f  moved %.2f cells: accepted, t = %.5f, %" PetscInt_FMT " particles\n", accepted, (double)dt, (double)(move * n), (double)t, N));
    dt *= 1.25;
  }
  PetscCall(CheckParticles(sw, N0, t, &ok));
  PetscCall(PetscPrintf(comm, "summary: %" PetscInt_FMT " accepted, %" PetscInt_FMT " rejected steps; particles lost or duplicated: %s\n", accepted, rejected, ok ? "none (ids 0..N-1 all present once, every age equals t)" : "YES"));

  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(DMDestroy(&sw));
  PetscCall(DMDestroy(&mesh));
  PetscCall(PetscFinalize());
  return ok ? 0 : 1;
}
