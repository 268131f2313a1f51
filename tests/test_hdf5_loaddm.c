static const char help[] = "A mesh from PetscSnapshotHDF5LoadDM() on which the application calls DMSetFromOptions(), as PETSc\n"
                           "applications do after creating a DM. -mode write on N ranks writes a checkpoint of a heat solution,\n"
                           "its TS, a struct and a PIC swarm, and a reference of that state that does not depend on the\n"
                           "distribution. -mode read on M ranks, for each writer count 1..3: loads the mesh, calls\n"
                           "DMSetFromOptions() on it, restores (into a new swarm whose local sizes were never set), compares\n"
                           "bitwise and steps on; then a mesh that DMSetFromOptions() redistributed (-dm_distribute) or refined\n"
                           "(-dm_refine) after the load is refused, with nothing written.\n";

#include "restart_reference.h"

/* The reader's objects on a given mesh: the writer's discretization, other counters, and a swarm with the writer's
   fields: with other particles, or, as a restart creates it, with no local sizes set yet. */
static PetscErrorCode SimCreateOn(DM mesh, PetscBool unsized, Sim *s)
{
  PetscFunctionBeginUser;
  s->heat.dm = mesh;
  PetscCall(HeatProblemSetUp(mesh, 0.01, &s->heat.ts, &s->heat.u));
  if (unsized) PetscCall(CreateUnsizedSwarm(mesh, PETSC_TRUE, &s->sw));
  else PetscCall(CreateSwarm(mesh, 1, SWARM_STANDARD, &s->sw));
  PetscCall(PetscMemzero(&s->counters, sizeof(s->counters)));
  s->counters.nsolves = -1;
  s->counters.last    = -1;
  PetscCall(Declare(s));
  PetscFunctionReturn(0);
}

/* Writer on N ranks: 2 steps (particles move and migrate), then the checkpoint and its reference. */
static PetscErrorCode Write(void)
{
  Sim           s;
  PetscSnapshot ckpt;
  Reference     ref;
  PetscMPIInt   size;
  char          file[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(HeatCreate(PETSC_COMM_WORLD, 8, 0.01, &s.heat));
  PetscCall(PetscSnapshotDMRemoveState(s.heat.dm, "solution"));
  PetscCall(CreateSwarm(s.heat.dm, 2, SWARM_STANDARD, &s.sw));
  PetscCall(PetscMemzero(&s.counters, sizeof(s.counters))); /* padding too: replicated state must be alike bytewise */
  PetscCall(Declare(&s));
  PetscCall(SimSteps(&s, 2));
  PetscCall(PetscSNPrintf(file, sizeof(file), "loaddm-w%d.h5", (int)size));
  PetscCall(HDF5Snapshot(file, &ckpt));
  PetscCall(PetscSnapshotCapture(ckpt, s.heat.dm));
  PetscCall(ReferenceGet(&s, &ref));
  PetscCall(PetscSNPrintf(file, sizeof(file), "loaddm-w%d.bin", (int)size));
  PetscCall(ReferenceSave(&ref, file));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(ref.particles.N > 0 && ref.nsol > 0), "writer: checkpoint and distribution-free reference written"));
  PetscCall(ReferenceFree(&ref));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* A mesh loaded from the file, then changed by DMSetFromOptions() with option (under the prefix "changed_"): the
   restore is refused on every rank, naming the replaced topology, and writes nothing. */
static PetscErrorCode ChangedAfterLoad(PetscSnapshot ckpt, PetscMPIInt writers, const char option[], const char what[])
{
  Sim       s;
  DM        mesh;
  Vec       keep;
  Counters  counters;
  PetscInt  cellsBefore, cellsAfter, cStart, cEnd;
  PetscBool changed;
  char      name[64], msg[256];

  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotHDF5LoadDM(ckpt, "mesh", &mesh));
  PetscCall(DMPlexGetHeightStratum(mesh, 0, &cStart, &cEnd));
  cellsBefore = cEnd - cStart;
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)mesh, "changed_"));
  PetscCall(PetscSNPrintf(name, sizeof(name), "-changed_%s", option));
  PetscCall(PetscOptionsSetValue(NULL, name, "1"));
  PetscCall(DMSetFromOptions(mesh));
  PetscCall(PetscOptionsClearValue(NULL, name));
  PetscCall(DMPlexGetHeightStratum(mesh, 0, &cStart, &cEnd));
  cellsAfter = cEnd - cStart;
  changed    = (PetscBool)(cellsAfter != cellsBefore);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &changed, 1, EXAMPLE_MPI_BOOL, MPI_LOR, PETSC_COMM_WORLD));
  PetscCall(SimCreateOn(mesh, PETSC_FALSE, &s));
  PetscCall(VecDuplicate(s.heat.u, &keep));
  PetscCall(VecCopy(s.heat.u, keep));
  counters = s.counters;
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "written on %d, %s after the load: refused on every rank, naming the replaced topology", (int)writers, what));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(ckpt, s.heat.dm), "topology was replaced", msg);
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "written on %d, %s after the load: nothing written (solution, struct)%s", (int)writers, what, changed ? " (the local cell counts changed)" : ""));
  PetscCall(VecBitwiseEqual(s.heat.u, keep, &changed));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(changed && !memcmp(&counters, &s.counters, sizeof(Counters))), msg));
  PetscCall(VecDestroy(&keep));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* Reader on M ranks, of the file written on N ranks. */
static PetscErrorCode ReadOne(PetscMPIInt writers)
{
  PetscSnapshot ckpt;
  Sim           s;
  DM            mesh;
  Reference     ref;
  PetscBool     placed, dist;
  PetscMPIInt   size;
  char          file[PETSC_MAX_PATH_LEN], what[128];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "-- written on %d ranks, read on %d\n", (int)writers, (int)size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "loaddm-w%d.bin", (int)writers));
  PetscCall(ReferenceLoad(&ref, file));
  PetscCall(PetscSNPrintf(file, sizeof(file), "loaddm-w%d.h5", (int)writers));
  PetscCall(HDF5Snapshot(file, &ckpt));

  /* what applications do: load, DMSetFromOptions(), discretize; the mesh is the one loaded, the restore exact */
  PetscCall(PetscSnapshotHDF5LoadDM(ckpt, "mesh", &mesh));
  PetscCall(DMSetFromOptions(mesh));
  PetscCall(DMPlexDistributeGetDefault(mesh, &dist));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)!dist, "a loaded mesh is not distributed again by default (DMPlexDistributeGetDefault() is false)"));
  PetscCall(SimCreateOn(mesh, PETSC_TRUE, &s)); /* a new swarm, its local sizes not set */
  PetscCall(PetscSnapshotRestore(ckpt, s.heat.dm));
  PetscCall(PetscSNPrintf(what, sizeof(what), "written on %d, loaded and DMSetFromOptions() on %d, swarm without local sizes", (int)writers, (int)size));
  PetscCall(CheckRestored(what, &s, &ref));
  PetscCall(SwarmPlaced(s.sw, mesh, &placed));
  PetscCall(TestCheck(PETSC_COMM_WORLD, placed, "... every particle on the rank owning its cell, with that cell in its cell field"));
  PetscCall(SimSteps(&s, 2));
  PetscCall(DMSwarmSortGetAccess(s.sw));
  PetscCall(DMSwarmSortRestoreAccess(s.sw));
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "... the restored simulation steps on (migrate, cell sort)"));
  PetscCall(SimDestroy(&s));

  /* coordinates moved after the load (through VecGetArray()/VecRestoreArray() on the local coordinates): the restore
     must not take them for the file's (it skips loading coordinates it knows came from the same file, unchanged) */
  PetscCall(PetscSnapshotHDF5LoadDM(ckpt, "mesh", &mesh));
  PetscCall(SimCreateOn(mesh, PETSC_FALSE, &s));
  {
    Vec          coords;
    PetscScalar *x;
    PetscInt     n;

    PetscCall(DMGetCoordinatesLocal(mesh, &coords));
    PetscCall(VecGetLocalSize(coords, &n));
    PetscCall(VecGetArray(coords, &x));
    for (PetscInt i = 0; i < n; i++) x[i] += 0.125;
    PetscCall(VecRestoreArray(coords, &x));
  }
  PetscCall(PetscSnapshotRestore(ckpt, s.heat.dm));
  PetscCall(PetscSNPrintf(what, sizeof(what), "written on %d, loaded on %d, coordinates moved before the restore", (int)writers, (int)size));
  PetscCall(CheckRestored(what, &s, &ref));
  PetscCall(SimDestroy(&s));

  /* a mesh changed by DMSetFromOptions() after the load holds other points: refused */
  if (size > 1) PetscCall(ChangedAfterLoad(ckpt, writers, "dm_distribute", "redistributed by DMSetFromOptions() -dm_distribute"));
  PetscCall(ChangedAfterLoad(ckpt, writers, "dm_refine", "refined by DMSetFromOptions() -dm_refine 1"));

  PetscCall(ReferenceFree(&ref));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char mode[16] = "write";
  int  code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  if (!strcmp(mode, "write")) PetscCall(Write());
  else
    for (PetscMPIInt writers = 1; writers <= 3; writers++) PetscCall(ReadOne(writers));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
