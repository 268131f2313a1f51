static const char help[] = "Roundtrip exactness of PetscSnapshot: coordinates (also periodic cell coordinates), declared Vecs,\n"
                           "DMDA, several DMs in one snapshot, independence from later writes and from destroyed objects,\n"
                           "no memory growth on repeated capture (run with -malloc_debug).\n";

#include <petscdmda.h>
#include "testutil.h"
#include "meshutil.h"

/* A copy of a Vec's current values, for later bitwise comparison. */
static PetscErrorCode Keep(Vec v, Vec *copy)
{
  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(v, copy));
  PetscCall(VecCopy(v, *copy));
  PetscFunctionReturn(0);
}

/* The global coordinates must be the owned part of the local ones. */
static PetscErrorCode CheckGlobalCoordinatesConsistent(DM dm, const char what[])
{
  Vec local, global, fromLocal;

  PetscFunctionBeginUser;
  PetscCall(DMGetCoordinatesLocal(dm, &local));
  PetscCall(DMGetCoordinates(dm, &global));
  PetscCall(VecDuplicate(global, &fromLocal));
  {
    DM cdm;
    PetscCall(DMGetCoordinateDM(dm, &cdm));
    PetscCall(DMLocalToGlobal(cdm, local, INSERT_VALUES, fromLocal));
  }
  PetscCall(TestVecEqual(global, fromLocal, what));
  PetscCall(VecDestroy(&fromLocal));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestPlexRoundtrip(PetscSnapshot snap, PetscBool periodic)
{
  MPI_Comm comm = PETSC_COMM_WORLD;
  DM       dm;
  Vec      sol, hist, coords, cellCoords = NULL, keepSol, keepHist, keepCoords, keepCell = NULL;
  char     what[256];

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(comm, 6, periodic, periodic ? "periodic-mesh" : "mesh", &dm));
  PetscCall(AddScalarField(dm));
  PetscCall(DMCreateGlobalVector(dm, &sol));
  PetscCall(PetscObjectSetName((PetscObject)sol, "solution"));
  PetscCall(Scribble(sol, 1.0));
  PetscCall(VecCreateMPI(comm, 7, PETSC_DETERMINE, &hist));
  PetscCall(Scribble(hist, -3.0));
  PetscCall(PetscSnapshotDMAddState(dm, "solution", (PetscObject)sol));
  PetscCall(PetscSnapshotDMAddState(dm, "history", (PetscObject)hist));

  PetscCall(DMGetCoordinatesLocal(dm, &coords));
  PetscCall(Keep(coords, &keepCoords));
  PetscCall(DMGetCellCoordinatesLocal(dm, &cellCoords));
  if (periodic) {
    PetscCall(TestCheck(comm, cellCoords ? PETSC_TRUE : PETSC_FALSE, "periodic mesh has cell coordinates"));
    if (cellCoords) PetscCall(Keep(cellCoords, &keepCell));
  }
  PetscCall(Keep(sol, &keepSol));
  PetscCall(Keep(hist, &keepHist));

  PetscCall(PetscSnapshotCapture(snap, dm));

  /* scribble everything the snapshot holds */
  PetscCall(DeformMesh(dm, 0.05));
  if (cellCoords) {
    PetscCall(DMGetCellCoordinatesLocal(dm, &cellCoords));
    PetscCall(Scribble(cellCoords, 9.0));
  }
  PetscCall(Scribble(sol, 5.0));
  PetscCall(Scribble(hist, 6.0));
  PetscCall(DMGetCoordinatesLocal(dm, &coords));
  {
    PetscBool same;
    PetscCall(VecBitwiseEqual(coords, keepCoords, &same));
    PetscCall(TestCheck(comm, (PetscBool)!same, "writes after capture change the live coordinates (test is able to fail)"));
  }

  for (int pass = 0; pass < 2; pass++) { /* restoring does not consume the snapshot */
    PetscCall(PetscSnapshotRestore(snap, dm));
    PetscCall(DMGetCoordinatesLocal(dm, &coords));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: local coordinates bitwise after restore %d", periodic ? "periodic" : "plain", pass + 1));
    PetscCall(TestVecEqual(coords, keepCoords, what));
    if (keepCell) {
      PetscCall(DMGetCellCoordinatesLocal(dm, &cellCoords));
      PetscCall(PetscSNPrintf(what, sizeof(what), "periodic: cell coordinates bitwise after restore %d", pass + 1));
      PetscCall(TestVecEqual(cellCoords, keepCell, what));
    }
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: global coordinates consistent with local after restore %d", periodic ? "periodic" : "plain", pass + 1));
    PetscCall(CheckGlobalCoordinatesConsistent(dm, what));
    PetscCall(TestVecEqual(sol, keepSol, "declared DM Vec bitwise after restore"));
    PetscCall(TestVecEqual(hist, keepHist, "declared standalone Vec bitwise after restore"));
    PetscCall(Scribble(sol, 7.0));
  }
  PetscCall(PetscSnapshotRestore(snap, dm));

  /* destroyed while still declared: nothing may leak (the solution Vec references its DM, see -malloc_dump) */
  PetscCall(VecDestroy(&sol));
  PetscCall(VecDestroy(&hist));
  PetscCall(VecDestroy(&keepSol));
  PetscCall(VecDestroy(&keepHist));
  PetscCall(VecDestroy(&keepCoords));
  PetscCall(VecDestroy(&keepCell));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

/* Capture, destroy the DM and its Vec, then restore into freshly made objects of the same names. */
static PetscErrorCode TestDestroyedAfterCapture(PetscSnapshot snap)
{
  MPI_Comm comm = PETSC_COMM_WORLD;
  DM       dm;
  Vec      v, keepV, keepC, c;

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(comm, 4, PETSC_FALSE, "ephemeral", &dm));
  PetscCall(DeformMesh(dm, 0.02));
  PetscCall(VecCreateMPI(comm, 5, PETSC_DETERMINE, &v));
  PetscCall(Scribble(v, 2.5));
  PetscCall(PetscSnapshotDMAddState(dm, "aux", (PetscObject)v));
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(Keep(v, &keepV));
  PetscCall(DMGetCoordinatesLocal(dm, &c));
  PetscCall(Keep(c, &keepC));
  PetscCall(VecDestroy(&v));
  PetscCall(DMDestroy(&dm));

  PetscCall(CreateBoxMesh(comm, 4, PETSC_FALSE, "ephemeral", &dm));
  PetscCall(VecCreateMPI(comm, 5, PETSC_DETERMINE, &v));
  PetscCall(PetscSnapshotDMAddState(dm, "aux", (PetscObject)v));
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(DMGetCoordinatesLocal(dm, &c));
  PetscCall(TestVecEqual(c, keepC, "restore into a new DM after the captured one was destroyed: coordinates"));
  PetscCall(TestVecEqual(v, keepV, "restore into a new DM after the captured one was destroyed: declared Vec"));
  /* the entry is now bound to the new DM: capturing it again is allowed */
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(TestCheck(comm, PETSC_TRUE, "capture of the DM an entry was restored into"));
  PetscCall(VecDestroy(&v));
  PetscCall(VecDestroy(&keepV));
  PetscCall(VecDestroy(&keepC));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestDA(PetscSnapshot snap)
{
  MPI_Comm comm = PETSC_COMM_WORLD;
  DM       da;
  Vec      c, keepC, g, keepG;

  PetscFunctionBeginUser;
  PetscCall(DMDACreate2d(comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, 9, 7, PETSC_DECIDE, PETSC_DECIDE, 2, 1, NULL, NULL, &da));
  PetscCall(DMSetUp(da));
  PetscCall(PetscObjectSetName((PetscObject)da, "grid"));
  PetscCall(DMDASetUniformCoordinates(da, 0.0, 1.0, 0.0, 2.0, 0.0, 0.0));
  PetscCall(VecCreateMPI(comm, 3, PETSC_DETERMINE, &g)); /* not from the DA: no reference cycle */
  PetscCall(Scribble(g, 4.0));
  PetscCall(PetscSnapshotDMAddState(da, "field", (PetscObject)g));
  PetscCall(DMGetCoordinatesLocal(da, &c));
  PetscCall(Keep(c, &keepC));
  PetscCall(Keep(g, &keepG));
  PetscCall(PetscSnapshotCapture(snap, da));
  PetscCall(Scribble(c, 3.0));
  PetscCall(DMSetCoordinatesLocal(da, c));
  PetscCall(Scribble(g, 8.0));
  PetscCall(PetscSnapshotRestore(snap, da));
  PetscCall(DMGetCoordinatesLocal(da, &c));
  PetscCall(TestVecEqual(c, keepC, "DMDA: coordinates bitwise after restore"));
  PetscCall(TestVecEqual(g, keepG, "DMDA: declared Vec bitwise after restore"));
  PetscCall(CheckGlobalCoordinatesConsistent(da, "DMDA: global coordinates consistent after restore"));
  PetscCall(VecDestroy(&g));
  PetscCall(VecDestroy(&keepC));
  PetscCall(VecDestroy(&keepG));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

/* Repeated capture of the same DM allocates nothing once the first two captures sized the buffers (the current one
   and the one a capture writes into while the previous capture is kept, see PetscSnapshotCapture()). */
static PetscErrorCode TestNoGrowth(void)
{
  MPI_Comm       comm = PETSC_COMM_WORLD;
  PetscSnapshot  snap;
  DM             dm;
  Vec            v;
  PetscLogDouble before, after;
  PetscBool      tracing;

  PetscFunctionBeginUser;
  PetscCall(PetscMallocGetDebug(&tracing, NULL, NULL));
  PetscCall(TestCheck(comm, tracing, "memory test runs with -malloc_debug (PetscMalloc usage is tracked)"));
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(CreateBoxMesh(comm, 5, PETSC_FALSE, "steady", &dm));
  PetscCall(VecCreateMPI(comm, 100, PETSC_DETERMINE, &v));
  PetscCall(PetscSnapshotDMAddState(dm, "a-rather-long-state-key-name-that-defeats-small-strings", (PetscObject)v));
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(Scribble(v, -1));
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(PetscMallocGetCurrentUsage(&before));
  for (int i = 0; i < 25; i++) {
    PetscCall(Scribble(v, i));
    PetscCall(PetscSnapshotCapture(snap, dm));
    PetscCall(PetscSnapshotRestore(snap, dm));
  }
  PetscCall(PetscMallocGetCurrentUsage(&after));
  PetscCall(TestCheck(comm, (PetscBool)(tracing && after == before), "25 more capture/restore cycles allocate no PetscMalloc memory"));
  PetscCall(PetscSnapshotDMRemoveState(dm, "a-rather-long-state-key-name-that-defeats-small-strings"));
  PetscCall(VecDestroy(&v));
  PetscCall(DMDestroy(&dm));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestView(PetscSnapshot snap)
{
  const char *const want[] = {"DM \"mesh\"", "Vec \"state/solution\"", "DM \"grid\"", "cell_coordinates", "captures: 5", NULL};
  PetscInt          count;

  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotGetCaptureCount(snap, &count));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(count == 5), "capture count counts every successful capture"));
  PetscCall(TestViewContains(snap, "roundtrip-view.txt", want, "PetscSnapshotView lists DMs, declared Vecs, cell coordinates and the capture count"));
  PetscFunctionReturn(0);
}

/* The class: options prefix, type from options, unknown types, log events. */
static PetscErrorCode TestClass(void)
{
  MPI_Comm          comm = PETSC_COMM_WORLD;
  PetscSnapshot     snap;
  PetscSnapshotType type;
  const char       *prefix;
  PetscLogEvent     capture = -1, restore = -1;
  PetscBool         ok;

  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetOptionsPrefix(snap, "fluid_"));
  PetscCall(PetscSnapshotGetOptionsPrefix(snap, &prefix));
  PetscCall(PetscStrcmp(prefix, "fluid_", &ok));
  PetscCall(TestCheck(comm, ok, "options prefix is kept"));
  PetscCall(PetscOptionsSetValue(NULL, "-fluid_snapshot_type", "memory"));
  PetscCall(PetscSnapshotSetFromOptions(snap));
  PetscCall(PetscSnapshotGetType(snap, &type));
  PetscCall(PetscStrcmp(type, PETSCSNAPSHOTMEMORY, &ok));
  PetscCall(TestCheck(comm, ok, "-fluid_snapshot_type memory sets the type of the prefixed snapshot"));
  PetscCall(PetscOptionsClearValue(NULL, "-fluid_snapshot_type"));
  TestExpectError(comm, PetscSnapshotSetType(snap, "nosuchtype"), "PetscSnapshot type \"nosuchtype\" is not registered", "an unknown type is a clear error");
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscLogEventGetId("SnapshotCapture", &capture));
  PetscCall(PetscLogEventGetId("SnapshotRestore", &restore));
  PetscCall(TestCheck(comm, (PetscBool)(capture >= 0 && restore >= 0 && capture != restore), "log events SnapshotCapture and SnapshotRestore are registered for -log_view"));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscSnapshot snap;
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetFromOptions(snap));
  PetscCall(TestPlexRoundtrip(snap, PETSC_FALSE));
  PetscCall(TestPlexRoundtrip(snap, PETSC_TRUE));
  PetscCall(TestDA(snap));
  PetscCall(TestDestroyedAfterCapture(snap));
  PetscCall(TestView(snap));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(TestNoGrowth());
  PetscCall(TestClass());
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
