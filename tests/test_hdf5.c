static const char help[] = "The hdf5 snapshot type: restart in a new process at the same rank count (-mode write, then -mode read),\n"
                           "and bad files, mid-write failures and keep-last-N (-mode files).\n";

#include <petscviewerhdf5.h>
#include <hdf5.h>
#include <unistd.h>
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

/* The whole simulation: heat TS on the mesh (solution and TS declared), a PIC swarm and a struct declared on the mesh. */
static PetscErrorCode SimCreate(Sim *s)
{
  PetscFunctionBeginUser;
  PetscCall(HeatCreate(PETSC_COMM_WORLD, 6, 0.01, &s->heat));
  PetscCall(PetscSnapshotDMAddState(s->heat.dm, "ts", (PetscObject)s->heat.ts));
  PetscCall(CreateSwarm(s->heat.dm, 2, SWARM_STANDARD, &s->sw));
  PetscCall(PetscSnapshotDMAddState(s->heat.dm, "particles", (PetscObject)s->sw));
  s->counters.nsolves = 0;
  s->counters.last    = 0;
  PetscCall(PetscSnapshotDMAddStateBytes(s->heat.dm, "counters", &s->counters, sizeof(s->counters), 1));
  PetscFunctionReturn(0);
}

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
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, equal, 1, MPIU_BOOL, MPI_LAND, PETSC_COMM_WORLD));
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

/* Writer: 2 steps, checkpoint, 3 more steps, and the final state as the reference. */
static PetscErrorCode Write(void)
{
  Sim           s;
  PetscSnapshot ckpt, final;

  PetscFunctionBeginUser;
  PetscCall(SimCreate(&s));
  PetscCall(SimSteps(&s, 2));
  PetscCall(HDF5Snapshot("restart-ckpt.h5", &ckpt));
  PetscCall(PetscSnapshotCapture(ckpt, s.heat.dm));
  PetscCall(SimSteps(&s, 3));
  PetscCall(HDF5Snapshot("restart-final.h5", &final));
  PetscCall(PetscSnapshotCapture(final, s.heat.dm));
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "writer: checkpoint after 2 steps and reference after 5 steps written"));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(PetscSnapshotDestroy(&final));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* Reader, a new process: restore the checkpoint into freshly made objects, continue 3 steps, compare with the
   writer's reference bitwise. */
static PetscErrorCode Read(void)
{
  Sim           s;
  PetscSnapshot ckpt, final;
  Copy          mine;
  PetscBool     eq;
  PetscReal     t;
  PetscInt      step, N;

  PetscFunctionBeginUser;
  PetscCall(SimCreate(&s));
  PetscCall(SwarmFill(s.sw, 9)); /* a different state than the writer's */
  PetscCall(HDF5Snapshot("restart-ckpt.h5", &ckpt));
  PetscCall(PetscSnapshotRestore(ckpt, s.heat.dm));
  PetscCall(TSGetTime(s.heat.ts, &t));
  PetscCall(TSGetStepNumber(s.heat.ts, &step));
  PetscCall(DMSwarmGetSize(s.sw, &N));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(step == 2 && t == 0.02 && s.counters.nsolves == 2), "reader: the checkpoint restores the TS clock and the user struct of the writer"));
  PetscCall(SimSteps(&s, 3));
  PetscCall(CopyGet(&s, &mine));
  PetscCall(HDF5Snapshot("restart-final.h5", &final));
  PetscCall(PetscSnapshotRestore(final, s.heat.dm));
  PetscCall(CopyEqual(&s, &mine, &eq));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "reader: restart in a new process continues bitwise like the writer (solution, particles, struct, clock)"));
  PetscCall(CopyFree(&mine));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(PetscSnapshotDestroy(&final));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char mode[32] = "write";
  int  code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  if (!strcmp(mode, "write")) PetscCall(Write());
  else if (!strcmp(mode, "read")) PetscCall(Read());
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
