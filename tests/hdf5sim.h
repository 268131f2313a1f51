/* The simulation the hdf5 tests checkpoint: a heat solution and its TS on a DMPlex, a PIC swarm moved and migrated
   every step, and a struct of counters, all declared on the mesh. */
#ifndef PETSCSNAPSHOT_HDF5SIM_H
#define PETSCSNAPSHOT_HDF5SIM_H

#include "heatutil.h"
#include "swarmutil.h"
#include "hdf5_snapshot.h"

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

/* Everything the simulation holds, rank-local, for bitwise comparison. */
typedef struct {
  Vec        u;
  Population particles;
  Counters   counters;
  PetscReal  t;
  PetscInt   step;
} Copy;

static PetscErrorCode CopyGet(Sim *s, Copy *c)
{
  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(s->heat.u, &c->u));
  PetscCall(VecCopy(s->heat.u, c->u));
  PetscCall(PopulationGet(s->sw, &c->particles));
  c->counters = s->counters;
  PetscCall(TSGetTime(s->heat.ts, &c->t));
  PetscCall(TSGetStepNumber(s->heat.ts, &c->step));
  PetscFunctionReturn(0);
}

static PetscErrorCode CopyEqual(Sim *s, Copy *c, PetscBool *equal)
{
  Copy      now;
  PetscBool eu, ep;

  PetscFunctionBeginUser;
  PetscCall(CopyGet(s, &now));
  PetscCall(VecBitwiseEqual(now.u, c->u, &eu));
  PetscCall(PopulationEqual(&now.particles, &c->particles, &ep));
  *equal = (PetscBool)(eu && ep && !memcmp(&now.counters, &c->counters, sizeof(Counters)) && now.t == c->t && now.step == c->step);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, equal, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscCall(VecDestroy(&now.u));
  PetscCall(PopulationFree(&now.particles));
  PetscFunctionReturn(0);
}

static PetscErrorCode CopyFree(Copy *c)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&c->u));
  PetscCall(PopulationFree(&c->particles));
  PetscFunctionReturn(0);
}

/* The whole simulation: heat TS on the mesh (solution and TS declared), a PIC swarm and a struct declared on the mesh. */
static PetscErrorCode SimCreateVariant(PetscInt n, SwarmVariant variant, Sim *s)
{
  PetscFunctionBeginUser;
  PetscCall(HeatCreate(PETSC_COMM_WORLD, n, 0.01, &s->heat));
  PetscCall(PetscSnapshotDMAddState(s->heat.dm, "ts", (PetscObject)s->heat.ts));
  PetscCall(CreateSwarm(s->heat.dm, 2, variant, &s->sw));
  PetscCall(PetscSnapshotDMAddState(s->heat.dm, "particles", (PetscObject)s->sw));
  s->counters.nsolves = 0;
  s->counters.last    = 0;
  PetscCall(PetscSnapshotDMAddStateBytes(s->heat.dm, "counters", &s->counters, sizeof(s->counters), 1));
  PetscFunctionReturn(0);
}

/* Restore from file must fail on every rank with expect in the message, and leave the simulation as it was. */
static PetscErrorCode ExpectFileRefusal(Sim *s, const char file[], const char expect[], const char what[])
{
  PetscSnapshot snap;
  Copy          before;
  PetscBool     eq;
  char          line[256];

  PetscFunctionBeginUser;
  PetscCall(CopyGet(s, &before));
  PetscCall(HDF5Snapshot(file, &snap));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, s->heat.dm), expect, what);
  PetscCall(CopyEqual(s, &before, &eq));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: the simulation is untouched", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, line));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(CopyFree(&before));
  PetscFunctionReturn(0);
}

#endif
