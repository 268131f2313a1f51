static const char help[] = "Refuse, never corrupt: every mismatch between a snapshot and the DM it is restored into gives a clear\n"
                           "error on every rank, and nothing is written.\n";

#include "testutil.h"
#include "meshutil.h"

typedef struct {
  DM  dm;
  Vec sol, hist;
} Sim;

static PetscErrorCode SimCreate(MPI_Comm comm, Sim *s)
{
  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(comm, 4, PETSC_FALSE, "mesh", &s->dm));
  PetscCall(AddScalarField(s->dm));
  PetscCall(DMCreateGlobalVector(s->dm, &s->sol));
  PetscCall(Scribble(s->sol, 1.0));
  PetscCall(VecCreateMPI(comm, 5, PETSC_DETERMINE, &s->hist));
  PetscCall(Scribble(s->hist, 2.0));
  PetscCall(PetscSnapshotDMAddState(s->dm, "solution", (PetscObject)s->sol));
  PetscCall(PetscSnapshotDMAddState(s->dm, "history", (PetscObject)s->hist));
  PetscFunctionReturn(0);
}

static PetscErrorCode SimDestroy(Sim *s)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&s->sol));
  PetscCall(VecDestroy(&s->hist));
  PetscCall(DMDestroy(&s->dm));
  PetscFunctionReturn(0);
}

/* Restore must fail on every rank with a message containing expect, and leave coordinates and every Vec unchanged. */
static PetscErrorCode ExpectRefusal(PetscSnapshot snap, DM dm, Vec a, Vec b, const char expect[], const char what[])
{
  Vec  coords, keepC, keepA = NULL, keepB = NULL;
  char line[256];

  PetscFunctionBeginUser;
  PetscCall(DMGetCoordinatesLocal(dm, &coords));
  PetscCall(VecDuplicate(coords, &keepC));
  PetscCall(VecCopy(coords, keepC));
  if (a) {
    PetscCall(VecDuplicate(a, &keepA));
    PetscCall(VecCopy(a, keepA));
  }
  if (b) {
    PetscCall(VecDuplicate(b, &keepB));
    PetscCall(VecCopy(b, keepB));
  }
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, dm), expect, what);
  PetscCall(DMGetCoordinatesLocal(dm, &coords));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: coordinates untouched", what));
  PetscCall(TestVecEqual(coords, keepC, line));
  if (a) {
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s: first Vec untouched", what));
    PetscCall(TestVecEqual(a, keepA, line));
  }
  if (b) {
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s: second Vec untouched", what));
    PetscCall(TestVecEqual(b, keepB, line));
  }
  PetscCall(VecDestroy(&keepC));
  PetscCall(VecDestroy(&keepA));
  PetscCall(VecDestroy(&keepB));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm      comm;
  PetscMPIInt   size, rank;
  PetscSnapshot snap;
  Sim           s;
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(SimCreate(comm, &s));
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetFromOptions(snap));

  /* nothing captured yet */
  PetscCall(ExpectRefusal(snap, s.dm, s.sol, s.hist, "nothing was captured", "restore before any capture"));

  PetscCall(PetscSnapshotCapture(snap, s.dm));
  PetscCall(DeformMesh(s.dm, 0.03));
  PetscCall(Scribble(s.sol, 3.0));
  PetscCall(Scribble(s.hist, 4.0));

  /* a refined mesh of the same name */
  {
    DM fine;
    PetscCall(DMRefine(s.dm, comm, &fine));
    PetscCall(PetscObjectSetName((PetscObject)fine, "mesh"));
    PetscCall(ExpectRefusal(snap, fine, NULL, NULL, "layout changed", "restore into a refined DM"));
    PetscCall(DMDestroy(&fine));
  }

  /* the same mesh distributed otherwise (as by DMPlexDistribute into a new DM with the same name): each rank gets the
     cells the simple partitioner gives the mirror rank. On 2 ranks the sizes are all equal (a 4x4 mesh cut in two
     halves), so only which points a rank holds tells them apart. */
  if (size > 1) {
    DM               serial, mirrored = NULL;
    PetscPartitioner part;
    PetscInt         cStart, cEnd, *sizes, *points;
    PetscInt         faces[2] = {4, 4};

    PetscCall(ExampleCreateBoxMesh(comm, 2, faces, NULL, NULL, NULL, &serial));
    PetscCall(DMPlexGetHeightStratum(serial, 0, &cStart, &cEnd));
    PetscCall(PetscMalloc2(size, &sizes, cEnd - cStart + 1, &points));
    for (PetscMPIInt r = 0; r < size; r++) { /* simple: the first (ncells % size) ranks get one more */
      PetscInt n = cEnd - cStart, mirror = size - 1 - r;
      sizes[r]   = n / size + (mirror < n % size ? 1 : 0);
    }
    { /* the cells of rank r are those simple gives rank size-1-r, in order */
      PetscInt k = 0, n = cEnd - cStart;
      for (PetscMPIInt r = 0; r < size; r++) {
        PetscInt mirror = size - 1 - r, start = 0;
        for (PetscMPIInt q = 0; q < mirror; q++) start += n / size + (q < n % size ? 1 : 0);
        for (PetscInt c = 0; c < sizes[r]; c++) points[k++] = cStart + start + c;
      }
    }
    PetscCall(DMPlexGetPartitioner(serial, &part));
    PetscCall(PetscPartitionerSetType(part, PETSCPARTITIONERSHELL));
    if (cEnd - cStart > 0) PetscCall(PetscPartitionerShellSetPartition(part, size, sizes, points));
    else {
      for (PetscMPIInt r = 0; r < size; r++) sizes[r] = 0;
      PetscCall(PetscPartitionerShellSetPartition(part, size, sizes, NULL));
    }
    PetscCall(DMPlexDistribute(serial, 0, NULL, &mirrored));
    PetscCall(PetscObjectSetName((PetscObject)mirrored, "mesh"));
    { /* the same field and declared state as the captured mesh */
      Vec sol, hist;
      PetscCall(AddScalarField(mirrored));
      PetscCall(DMCreateGlobalVector(mirrored, &sol));
      PetscCall(VecCreateMPI(comm, 5, PETSC_DETERMINE, &hist));
      PetscCall(PetscSnapshotDMAddState(mirrored, "solution", (PetscObject)sol));
      PetscCall(PetscSnapshotDMAddState(mirrored, "history", (PetscObject)hist));
      PetscCall(ExpectRefusal(snap, mirrored, sol, hist, size == 2 ? "partition differs" : "the DM's", "restore into the same mesh distributed otherwise (sizes alone do not tell)"));
      { /* a Vec laid out by another DMPlex and declared on the mesh: that DMPlex distributed otherwise is refused too */
        PetscSnapshot other;
        DM            aux;
        Vec           a;
        PetscCall(CreateBoxMesh(comm, 4, PETSC_FALSE, "aux", &aux));
        PetscCall(AddScalarField(aux));
        PetscCall(DMCreateGlobalVector(aux, &a));
        PetscCall(PetscSnapshotCreate(comm, &other));
        PetscCall(PetscSnapshotDMAddState(s.dm, "auxfield", (PetscObject)a));
        PetscCall(PetscSnapshotCapture(other, s.dm));
        PetscCall(PetscSnapshotDMAddState(s.dm, "auxfield", (PetscObject)sol)); /* laid out by the mirrored mesh */
        PetscCall(ExpectRefusal(other, s.dm, s.sol, sol, size == 2 ? "distributed otherwise" : "auxfield", "Vec laid out by another DMPlex, now distributed otherwise"));
        PetscCall(PetscSnapshotDMAddState(s.dm, "auxfield", (PetscObject)a));
        PetscCall(PetscSnapshotRestore(other, s.dm));
        PetscCall(TestCheck(comm, PETSC_TRUE, "Vec laid out by another DMPlex, distributed as at capture: restored"));
        PetscCall(PetscSnapshotDMRemoveState(s.dm, "auxfield"));
        PetscCall(PetscSnapshotDestroy(&other));
        PetscCall(VecDestroy(&a));
        PetscCall(DMDestroy(&aux));
      }
      PetscCall(VecDestroy(&sol));
      PetscCall(VecDestroy(&hist));
    }
    PetscCall(DMDestroy(&mirrored));
    PetscCall(DMDestroy(&serial));
    PetscCall(PetscFree2(sizes, points));
  }

  /* a declared Vec of another size */
  {
    Vec other;
    PetscCall(VecCreateMPI(comm, 6, PETSC_DETERMINE, &other));
    PetscCall(PetscSnapshotDMAddState(s.dm, "history", (PetscObject)other));
    PetscCall(ExpectRefusal(snap, s.dm, s.sol, other, "Vec \"history\" changed size", "declared Vec of another size"));
    /* another size on one rank only: still refused on every rank, no hang */
    PetscCall(VecDestroy(&other));
    PetscCall(VecCreateMPI(comm, rank == size - 1 ? 4 : 5, PETSC_DETERMINE, &other));
    PetscCall(PetscSnapshotDMAddState(s.dm, "history", (PetscObject)other));
    PetscCall(ExpectRefusal(snap, s.dm, s.sol, other, "changed size", "declared Vec of another size on the last rank only"));
    PetscCall(PetscSnapshotDMAddState(s.dm, "history", (PetscObject)s.hist));
    PetscCall(VecDestroy(&other));
  }

  /* a Vec declared after the capture */
  {
    Vec extra;
    PetscCall(VecCreateMPI(comm, 3, PETSC_DETERMINE, &extra));
    PetscCall(PetscSnapshotDMAddState(s.dm, "extra", (PetscObject)extra));
    PetscCall(ExpectRefusal(snap, s.dm, s.sol, s.hist, "Vec \"extra\" is declared now but was not declared at capture", "Vec declared after capture"));
    PetscCall(PetscSnapshotDMRemoveState(s.dm, "extra"));
    PetscCall(VecDestroy(&extra));
  }

  /* a Vec removed after the capture */
  PetscCall(PetscSnapshotDMRemoveState(s.dm, "history"));
  PetscCall(ExpectRefusal(snap, s.dm, s.sol, s.hist, "state \"history\" was captured but is no longer declared", "Vec removed after capture"));
  PetscCall(PetscSnapshotDMAddState(s.dm, "history", (PetscObject)s.hist));

  /* after all refusals the snapshot still restores exactly what it captured */
  {
    Vec coords;
    PetscCall(PetscSnapshotRestore(snap, s.dm));
    PetscCall(DMGetCoordinatesLocal(s.dm, &coords));
    PetscCall(TestCheck(comm, PETSC_TRUE, "a valid restore after the refusals succeeds"));
  }

  /* a snapshot on another communicator (size 1) */
  if (size > 1) {
    PetscSnapshot self;
    PetscCall(PetscSnapshotCreate(PETSC_COMM_SELF, &self));
    PetscCall(ExpectRefusal(self, s.dm, s.sol, s.hist, "does not live on the snapshot's communicator", "restore with a snapshot made on another communicator size"));
    TestExpectError(comm, PetscSnapshotCapture(self, s.dm), "does not live on the snapshot's communicator", "capture into a snapshot on another communicator size");
    PetscCall(PetscSnapshotDestroy(&self));
  }

  /* two different DMs under one name */
  {
    Sim twin;
    PetscCall(SimCreate(comm, &twin));
    TestExpectError(comm, PetscSnapshotCapture(snap, twin.dm), "already holds a different DM named \"mesh\"", "capture of a second DM under a name already held");
    PetscCall(SimDestroy(&twin));
  }

  /* an object of a kind the snapshot cannot capture: clear error naming the key, and the snapshot unchanged (the
     previous capture's entry is kept, see test_refused_capture.c): a restore while the Mat is declared refuses it */
  {
    Mat A;
    PetscCall(MatCreate(comm, &A));
    PetscCall(PetscSnapshotDMAddState(s.dm, "matrix", (PetscObject)A));
    TestExpectError(comm, PetscSnapshotCapture(snap, s.dm), "state \"matrix\" is a Mat, which the snapshot cannot capture", "capture of an unsupported kind of state");
    PetscCall(ExpectRefusal(snap, s.dm, s.sol, s.hist, "state \"matrix\" is a Mat, which the snapshot cannot capture", "restore after a failed capture, the Mat still declared"));
    PetscCall(PetscSnapshotDMRemoveState(s.dm, "matrix"));
    PetscCall(MatDestroy(&A));
  }

  /* arguments that are not what they claim */
  TestExpectError(comm, PetscSnapshotCapture(NULL, s.dm), "Null PetscSnapshot", "capture with a NULL snapshot");
  TestExpectError(comm, PetscSnapshotRestore(snap, (DM)s.sol), "is not a DM", "restore into a Vec passed as DM");

  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(SimDestroy(&s));
  PetscCall(TestFinish(comm, &code));
  PetscCall(PetscFinalize());
  return code;
}
