static const char help[] = "A refused capture changes nothing the snapshot held (memory and hdf5 types): a mesh and its swarm\n"
                           "are captured; the run moves on; a capture refused in the middle of the tree (after the swarm's\n"
                           "entry was written, at its cell DM) leaves every entry restorable: the restore gives back the\n"
                           "first capture, particles and coordinates bitwise. Memory type: a capture refused because the\n"
                           "swarm was bound to another DM with the mesh's name keeps the swarm's entry, and a DM captured\n"
                           "for the first time by a refused capture is not held.\n";

#include "swarmutil.h"
#include "testutil.h"

typedef struct {
  Population pop;
  Vec        coords;
} Captured;

static PetscErrorCode CapturedGet(DM mesh, DM sw, Captured *c)
{
  Vec x;

  PetscFunctionBeginUser;
  PetscCall(PopulationGet(sw, &c->pop));
  PetscCall(DMGetCoordinatesLocal(mesh, &x));
  PetscCall(VecDuplicate(x, &c->coords));
  PetscCall(VecCopy(x, c->coords));
  PetscFunctionReturn(0);
}

static PetscErrorCode CapturedCheck(DM mesh, DM sw, const Captured *c, const char what[])
{
  Population now;
  PetscBool  eq;
  Vec        x;
  char       msg[256];

  PetscFunctionBeginUser;
  PetscCall(PopulationGet(sw, &now));
  PetscCall(PopulationEqual(&c->pop, &now, &eq));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: every particle as at the first capture, bitwise", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, msg));
  PetscCall(PopulationFree(&now));
  PetscCall(DMGetCoordinatesLocal(mesh, &x));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: the mesh coordinates as at the first capture, bitwise", what));
  PetscCall(TestVecEqual(x, c->coords, msg));
  PetscFunctionReturn(0);
}

static PetscErrorCode CapturedFree(Captured *c)
{
  PetscFunctionBeginUser;
  PetscCall(PopulationFree(&c->pop));
  PetscCall(VecDestroy(&c->coords));
  PetscFunctionReturn(0);
}

/* The run moves on: particles move and migrate, the mesh moves. */
static PetscErrorCode MoveOn(DM mesh, DM sw)
{
  Vec          x;
  PetscScalar *a;
  PetscInt     n;

  PetscFunctionBeginUser;
  PetscCall(ShiftParticles(sw, 0.1));
  PetscCall(DMSwarmMigrate(sw, PETSC_TRUE));
  PetscCall(DMGetCoordinatesLocal(mesh, &x));
  PetscCall(VecGetLocalSize(x, &n));
  PetscCall(VecGetArray(x, &a));
  for (PetscInt i = 0; i < n; i++) a[i] *= 1.0 + 1e-3;
  PetscCall(VecRestoreArray(x, &a));
  PetscCall(DMSetCoordinatesLocal(mesh, x));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(const char type[])
{
  MPI_Comm      comm = PETSC_COMM_WORLD;
  DM            mesh, sw;
  PetscSnapshot snap;
  Captured      first;
  PetscMPIInt   size;
  PetscBool     hdf5 = (PetscBool)!strcmp(type, PETSCSNAPSHOTHDF5);
  Vec           dangling;
  char          what[256];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscPrintf(comm, "-- type %s\n", type));
  PetscCall(CreateBoxMesh(comm, 4, PETSC_FALSE, "mesh", &mesh));
  PetscCall(CreateSwarm(mesh, 2, SWARM_STANDARD, &sw));
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetType(snap, type));
  if (hdf5) {
    char file[PETSC_MAX_PATH_LEN];
    PetscCall(PetscSNPrintf(file, sizeof(file), "refused-capture-np%d.h5", (int)size));
    PetscCall(PetscSnapshotHDF5SetFileName(snap, file));
  }
  PetscCall(PetscSnapshotCapture(snap, sw)); /* the swarm and its cell DM "mesh" */
  PetscCall(CapturedGet(mesh, sw, &first));

  /* refused at the cell DM, after the swarm's entry was written: a state declared on the mesh whose object is gone */
  PetscCall(MoveOn(mesh, sw));
  PetscCall(VecCreateMPI(comm, 3, PETSC_DETERMINE, &dangling));
  PetscCall(PetscSnapshotDMAddState(mesh, "dangling", (PetscObject)dangling));
  PetscCall(PetscObjectCompose((PetscObject)mesh, "dangling", NULL));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: a capture refused at the cell DM", type));
  TestExpectError(comm, PetscSnapshotCapture(snap, sw), "no object is composed", what);
  PetscCall(PetscSnapshotDMRemoveState(mesh, "dangling"));
  PetscCall(VecDestroy(&dangling));
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s, restored after the refused capture", type));
  PetscCall(CapturedCheck(mesh, sw, &first, what));

  if (!hdf5) { /* an hdf5 file holds the DMs of one capture call: another "mesh" is no conflict there */
    DM other;

    /* the swarm bound to another DM with the mesh's name: refused, and the swarm's entry (written before the
       refusal) is kept */
    PetscCall(MoveOn(mesh, sw));
    PetscCall(CreateBoxMesh(comm, 4, PETSC_FALSE, "mesh", &other));
    PetscCall(DMSwarmSetCellDM(sw, other));
    TestExpectError(comm, PetscSnapshotCapture(snap, sw), "already holds a different DM named \"mesh\"", "memory: the swarm bound to another DM named \"mesh\": the capture is refused");
    PetscCall(DMSwarmSetCellDM(sw, mesh));
    PetscCall(PetscSnapshotRestore(snap, sw));
    PetscCall(CapturedCheck(mesh, sw, &first, "memory, restored after the capture refused for the name"));

    /* a DM captured for the first time by a refused capture is not held */
    PetscCall(PetscObjectSetName((PetscObject)sw, "swarm2"));
    PetscCall(DMSwarmSetCellDM(sw, other));
    TestExpectError(comm, PetscSnapshotCapture(snap, sw), "already holds a different DM named \"mesh\"", "memory: a new swarm name, bound to the other \"mesh\": refused");
    TestExpectError(comm, PetscSnapshotRestore(snap, sw), "holds no DM named \"swarm2\"", "memory: the DM first captured by the refused capture is not held");
    PetscCall(DMSwarmSetCellDM(sw, mesh));
    PetscCall(DMDestroy(&other));
  }
  PetscCall(CapturedFree(&first));
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
#if defined(PETSC_HAVE_HDF5)
  PetscCall(Run(PETSCSNAPSHOTHDF5));
#endif
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
