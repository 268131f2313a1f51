static const char help[] = "A restore into a DMPlex whose cones were edited in place after the capture (DMPlexSetCone(),\n"
                           "sizes unchanged; PETSc counts this in no object state) is refused, on every rank, with nothing\n"
                           "written (the declared Vec and the coordinates bitwise unchanged), with the edit on one rank and\n"
                           "on all, memory and hdf5 types; PetscSnapshotCreateDM() refuses the same DM; with the cones put\n"
                           "back the restore is accepted and exact.\n";

#include "meshutil.h"
#include "testutil.h"

/* Copies of a Vec and of the local coordinates, to compare bitwise later. */
typedef struct {
  Vec u, coords;
} Values;

static PetscErrorCode ValuesGet(DM dm, Vec u, Values *v)
{
  Vec c;

  PetscFunctionBeginUser;
  PetscCall(DMGetCoordinatesLocal(dm, &c));
  PetscCall(VecDuplicate(u, &v->u));
  PetscCall(VecCopy(u, v->u));
  PetscCall(VecDuplicate(c, &v->coords));
  PetscCall(VecCopy(c, v->coords));
  PetscFunctionReturn(0);
}

static PetscErrorCode ValuesCheck(DM dm, Vec u, const Values *v, const char what[])
{
  Vec  c;
  char msg[256];

  PetscFunctionBeginUser;
  PetscCall(DMGetCoordinatesLocal(dm, &c));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: the declared Vec is bitwise as expected", what));
  PetscCall(TestVecEqual(u, v->u, msg));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: the coordinates are bitwise as expected", what));
  PetscCall(TestVecEqual(c, v->coords, msg));
  PetscFunctionReturn(0);
}

static PetscErrorCode ValuesFree(Values *v)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&v->u));
  PetscCall(VecDestroy(&v->coords));
  PetscFunctionReturn(0);
}

/* Rotate the cone of the first cell by one place (on this rank, if edit), or rotate it back. */
static PetscErrorCode RotateFirstCone(DM dm, PetscBool edit, PetscBool back)
{
  PetscInt        cStart, cEnd, size, rotated[8];
  const PetscInt *cone;

  PetscFunctionBeginUser;
  PetscCall(DMPlexGetHeightStratum(dm, 0, &cStart, &cEnd));
  if (!edit || cEnd <= cStart) PetscFunctionReturn(0);
  PetscCall(DMPlexGetConeSize(dm, cStart, &size));
  PetscCall(DMPlexGetCone(dm, cStart, &cone));
  for (PetscInt i = 0; i < size && size <= 8; i++) rotated[i] = back ? cone[(i + size - 1) % size] : cone[(i + 1) % size];
  PetscCall(DMPlexSetCone(dm, cStart, rotated));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(const char type[], PetscBool allRanks)
{
  MPI_Comm      comm = PETSC_COMM_WORLD;
  DM            dm;
  Vec           u;
  PetscSnapshot snap;
  Values        captured, moved;
  PetscMPIInt   rank, size;
  PetscBool     edit, hdf5 = (PetscBool)!strcmp(type, PETSCSNAPSHOTHDF5);
  char          what[256];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  edit = (PetscBool)(allRanks || rank == size - 1);
  PetscCall(PetscPrintf(comm, "-- type %s, cones edited on %s\n", type, allRanks ? "every rank" : "the last rank only"));
  PetscCall(CreateBoxMesh(comm, 4, PETSC_FALSE, "mesh", &dm));
  PetscCall(AddScalarField(dm));
  PetscCall(DMCreateGlobalVector(dm, &u));
  PetscCall(PetscObjectSetName((PetscObject)u, "u"));
  PetscCall(Scribble(u, 1.0));
  PetscCall(PetscSnapshotDMAddState(dm, "u", (PetscObject)u));
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetType(snap, type));
  PetscCall(PetscSnapshotSetDMTopology(snap, PETSC_TRUE));
  if (hdf5) {
    char file[PETSC_MAX_PATH_LEN];
    PetscCall(PetscSNPrintf(file, sizeof(file), "inplace-np%d-%s.h5", (int)size, allRanks ? "all" : "one"));
    PetscCall(PetscSnapshotHDF5SetFileName(snap, file));
  }
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(ValuesGet(dm, u, &captured));

  /* the application moves on, then edits a cone in place */
  PetscCall(Scribble(u, 5.0));
  PetscCall(DeformMesh(dm, 0.01));
  PetscCall(ValuesGet(dm, u, &moved));
  PetscCall(RotateFirstCone(dm, edit, PETSC_FALSE));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s, cones edited on %s: the restore is refused", type, allRanks ? "every rank" : "one rank"));
  TestExpectError(comm, PetscSnapshotRestore(snap, dm), "its cones were edited in place since the capture", what);
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s, refused restore", type));
  PetscCall(ValuesCheck(dm, u, &moved, what));
  if (!hdf5) { /* the memory type's held topology shares the edited arrays: CreateDM refuses alike */
    DM rebuilt = NULL;
    TestExpectError(comm, PetscSnapshotCreateDM(snap, "mesh", &rebuilt), "edited in place", "memory: PetscSnapshotCreateDM() refuses the same DM");
    PetscCall(DMDestroy(&rebuilt));
  }
  /* the cones put back: the same points again, the restore is accepted and exact */
  PetscCall(RotateFirstCone(dm, edit, PETSC_TRUE));
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s, cones put back, restored", type));
  PetscCall(ValuesCheck(dm, u, &captured, what));
  if (!hdf5) { /* captured again after the edit: that capture's topology is the edited one, CreateDM rebuilds it */
    DM rebuilt = NULL;

    PetscCall(RotateFirstCone(dm, edit, PETSC_FALSE));
    PetscCall(PetscSnapshotCapture(snap, dm));
    PetscCall(PetscSnapshotCreateDM(snap, "mesh", &rebuilt));
    PetscCall(TestCheck(comm, (PetscBool)(rebuilt != NULL), "memory: captured after the edit, PetscSnapshotCreateDM() rebuilds the edited mesh"));
    PetscCall(DMDestroy(&rebuilt));
    PetscCall(RotateFirstCone(dm, edit, PETSC_TRUE));
  }

  PetscCall(ValuesFree(&captured));
  PetscCall(ValuesFree(&moved));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscSnapshotDMRemoveState(dm, "u"));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  int code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(Run(PETSCSNAPSHOTMEMORY, PETSC_FALSE));
  PetscCall(Run(PETSCSNAPSHOTMEMORY, PETSC_TRUE));
#if defined(PETSC_HAVE_HDF5)
  PetscCall(Run(PETSCSNAPSHOTHDF5, PETSC_FALSE));
  PetscCall(Run(PETSCSNAPSHOTHDF5, PETSC_TRUE));
#endif
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
