/* The simulation the hdf5 tests checkpoint: a heat solution and its TS on a DMPlex, a PIC swarm moved and migrated
   every step, and a struct of counters, all declared on the mesh. */
#ifndef PETSCSNAPSHOT_HDF5SIM_H
#define PETSCSNAPSHOT_HDF5SIM_H

#include "heatutil.h"
#include "swarmutil.h"

typedef struct {
  PetscInt  nsolves;
  PetscReal last;
} Counters;

typedef struct {
  Heat     heat;
  DM       sw;
  Counters counters;
} Sim;

static PetscErrorCode SimSteps(Sim *s, PetscInt k)
{
  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < k; i++) {
    PetscReal t;
    PetscCall(TSStep(s->heat.ts));
    PetscCall(ShiftParticles(s->sw, 0.05)); /* particles move (and some leave) */
    PetscCall(DMSwarmMigrate(s->sw, PETSC_TRUE));
    PetscCall(TSGetTime(s->heat.ts, &t));
    s->counters.nsolves++;
    s->counters.last = t;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode SimDestroy(Sim *s)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotDMRemoveState(s->heat.dm, "particles"));
  PetscCall(DMDestroy(&s->sw));
  PetscCall(HeatDestroy(&s->heat));
  PetscFunctionReturn(0);
}

static PetscErrorCode HDF5Snapshot(const char file[], PetscSnapshot *snap)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
  PetscCall(PetscSnapshotSetType(*snap, PETSCSNAPSHOTHDF5));
  PetscCall(PetscSnapshotHDF5SetFileName(*snap, file));
  PetscCall(PetscSnapshotSetFromOptions(*snap));
  PetscFunctionReturn(0);
}

#endif
