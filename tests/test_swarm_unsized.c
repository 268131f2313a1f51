static const char help[] = "Restores into a DMSwarm whose local sizes were never set (fields registered and finalized, no\n"
                           "DMSwarmSetLocalSizes()), with the memory and the hdf5 type: the restore sizes it and rebuilds the\n"
                           "captured population bitwise; a swarm whose field registration is not finalized is refused with\n"
                           "nothing written, as is an unsized swarm whose fields only DMSwarmGetField() could read (an\n"
                           "unrecognised private layout, pretended); a swarm captured unsized restores as no particles.\n";

#include "swarmutil.h"

static PetscErrorCode CreateSnapshot(const char type[], const char name[], PetscSnapshot *snap)
{
  PetscMPIInt size;
  char        file[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
  PetscCall(PetscSnapshotSetType(*snap, type));
  if (!strcmp(type, PETSCSNAPSHOTHDF5)) {
    PetscCall(PetscSNPrintf(file, sizeof(file), "swarm-unsized-np%d-%s.h5", (int)size, name));
    PetscCall(PetscSnapshotHDF5SetFileName(*snap, file));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode LocalSizeIs(DM sw, PetscInt expect, PetscBool *is)
{
  PetscInt n;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  *is = (PetscBool)(n == expect);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, is, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(const char type[])
{
  DM            mesh, sw, fresh;
  PetscSnapshot snap, empty;
  Population    captured, now;
  PetscBool     eq, sized;
  PetscInt      n;
  char          what[256];

  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "-- type %s\n", type));
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 4, PETSC_FALSE, "mesh", &mesh));
  PetscCall(CreateSwarm(mesh, 2, SWARM_STANDARD, &sw));
  PetscCall(ShiftParticles(sw, 0.1)); /* some particles change rank, some leave */
  PetscCall(DMSwarmMigrate(sw, PETSC_TRUE));
  PetscCall(CreateSnapshot(type, "populated", &snap));
  PetscCall(PetscSnapshotCapture(snap, sw));
  PetscCall(PopulationGet(sw, &captured));

  /* fields registered and finalized, no local sizes: the restore sizes the swarm and rebuilds every particle */
  PetscCall(CreateUnsizedSwarm(mesh, PETSC_TRUE, &fresh));
  PetscCall(LocalSizeIs(fresh, -1, &sized));
  PetscCall(TestCheck(PETSC_COMM_WORLD, sized, "a new swarm with finalized fields and no DMSwarmSetLocalSizes() has local size -1"));
  PetscCall(PetscSnapshotRestore(snap, fresh));
  PetscCall(PopulationGet(fresh, &now));
  PetscCall(PopulationEqual(&now, &captured, &eq));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: restored into the unsized swarm: every rank's particles, every field, bitwise", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(eq && captured.n > 0), what));
  PetscCall(PopulationFree(&now));
  PetscCall(ShiftParticles(fresh, 0.05));
  PetscCall(DMSwarmMigrate(fresh, PETSC_TRUE));
  PetscCall(DMSwarmGetLocalSize(fresh, &n));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: ... and the restored swarm moves and migrates", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(n >= 0), what));
  PetscCall(DMDestroy(&fresh));

  /* field registration not finalized: PETSc cannot size it; refused on every rank before anything is written */
  PetscCall(CreateUnsizedSwarm(mesh, PETSC_FALSE, &fresh));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: a swarm whose field registration is not finalized is refused on every rank, naming DMSwarmFinalizeFieldRegister()", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, fresh), "DMSwarmFinalizeFieldRegister()", what);
  PetscCall(LocalSizeIs(fresh, -1, &sized));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: ... and left as it was (no local sizes)", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, sized, what));
  PetscCall(DMDestroy(&fresh));

  /* where the fields can be read only through DMSwarmGetField() (an unrecognised private layout, pretended here), an
     unsized swarm cannot be enumerated: a clear refusal asking for its sizes */
  PetscCall(CreateUnsizedSwarm(mesh, PETSC_TRUE, &fresh));
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)fresh, "unknown_"));
  PetscCall(PetscOptionsSetValue(NULL, "-unknown_snapshot_swarm_test_unknown_layout", "1"));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: unrecognised swarm layout (pretended): the unsized swarm is refused on every rank, asking for DMSwarmSetLocalSizes()", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, fresh), "call DMSwarmSetLocalSizes()", what);
  PetscCall(PetscOptionsClearValue(NULL, "-unknown_snapshot_swarm_test_unknown_layout"));
  PetscCall(LocalSizeIs(fresh, -1, &sized));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: ... and left as it was (no local sizes)", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, sized, what));
  PetscCall(DMDestroy(&fresh));

  /* captured before its sizes were set: an empty population, restored as one into a populated swarm */
  PetscCall(CreateUnsizedSwarm(mesh, PETSC_TRUE, &fresh));
  PetscCall(CreateSnapshot(type, "empty", &empty));
  PetscCall(PetscSnapshotCapture(empty, fresh));
  PetscCall(DMDestroy(&fresh));
  PetscCall(PetscSnapshotRestore(empty, sw));
  PetscCall(LocalSizeIs(sw, 0, &sized));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: a swarm captured before its local sizes were set restores as no particles on every rank", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, sized, what));
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(PopulationGet(sw, &now));
  PetscCall(PopulationEqual(&now, &captured, &eq));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: ... and the populated snapshot restores into it again, bitwise", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));
  PetscCall(PopulationFree(&now));

  PetscCall(PopulationFree(&captured));
  PetscCall(PetscSnapshotDestroy(&empty));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(DMDestroy(&sw));
  PetscCall(DMDestroy(&mesh));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  int code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(Run(PETSCSNAPSHOTMEMORY));
  PetscCall(Run(PETSCSNAPSHOTHDF5));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
