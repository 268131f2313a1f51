static const char help[] = "Undoing a mesh adaptation: capture a DMPlex (heat solver, particles) with its topology, then refine it\n"
                           "(DMRefine), transform it (DMPlexTransform), or redistribute it (another partition), take steps there,\n"
                           "regret: PetscSnapshotCreateDM() rebuilds the captured DMPlex, the restore into it and K more steps\n"
                           "equal the never-adapted run bitwise (u, coordinates, particles, TS clock).\n";

#include "swarmutil.h"
#include <petscdmplextransform.h>

typedef struct {
  DM  dm;
  TS  ts;
  Vec u;
} Heat;

static const PetscReal dt = 0.01;

/* The heat solver on a discretized mesh, its solution and TS declared as the mesh's state */
static PetscErrorCode HeatOn(DM dm, Heat *h)
{
  PetscFunctionBeginUser;
  h->dm = dm;
  PetscCall(PetscObjectReference((PetscObject)dm));
  PetscCall(HeatTSCreate(dm, dt, &h->ts, &h->u));
  PetscCall(PetscSnapshotDMAddState(dm, "solution", (PetscObject)h->u));
  PetscCall(PetscSnapshotDMAddState(dm, "ts", (PetscObject)h->ts));
  PetscFunctionReturn(0);
}

static PetscErrorCode HeatFree(Heat *h)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&h->u));
  PetscCall(TSDestroy(&h->ts));
  PetscCall(DMDestroy(&h->dm));
  PetscFunctionReturn(0);
}

/* k steps of the solver and of the particles */
static PetscErrorCode Steps(Heat *h, DM sw, PetscInt k)
{
  PetscReal moved;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < k; i++) {
    PetscCall(TSStep(h->ts));
    PetscCall(SwarmAdvect(sw, dt, &moved));
  }
  PetscFunctionReturn(0);
}

/* Bind the swarm to an adapted mesh as an application might: its particles are made again there (one per cell of the
   adapted mesh; PETSc's migration cannot start from cells of another mesh) */
static PetscErrorCode Rebind(DM sw, DM mesh)
{
  PetscInt cStart, cEnd, nc;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmSetCellDM(sw, mesh));
  PetscCall(DMPlexGetHeightStratum(mesh, 0, &cStart, &cEnd));
  nc = cEnd - cStart;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &nc, 1, MPIU_INT, MPI_SUM, PetscObjectComm((PetscObject)mesh)));
  PetscCall(SwarmSeedCells(sw, mesh, 1, 1.0 / PetscSqrtReal((PetscReal)nc)));
  PetscCall(SwarmNumber(sw));
  PetscFunctionReturn(0);
}

typedef struct {
  Vec        u, coords;
  Population pop;
  PetscReal  time;
  PetscInt   step;
} Result;

static PetscErrorCode ResultGet(Heat *h, DM sw, Result *r)
{
  Vec c;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(h->u, &r->u));
  PetscCall(VecCopy(h->u, r->u));
  PetscCall(DMGetCoordinatesLocal(h->dm, &c));
  PetscCall(VecDuplicate(c, &r->coords));
  PetscCall(VecCopy(c, r->coords));
  PetscCall(PopulationGet(sw, &r->pop));
  PetscCall(TSGetTime(h->ts, &r->time));
  PetscCall(TSGetStepNumber(h->ts, &r->step));
  PetscFunctionReturn(0);
}

static PetscErrorCode ResultFree(Result *r)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&r->u));
  PetscCall(VecDestroy(&r->coords));
  PetscCall(PopulationFree(&r->pop));
  PetscFunctionReturn(0);
}

static PetscErrorCode ResultCheck(const Result *want, Heat *h, DM sw, const char what[])
{
  Result    got;
  PetscBool eq;
  char      msg[256];

  PetscFunctionBeginUser;
  PetscCall(ResultGet(h, sw, &got));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: u equals the never-adapted run bitwise", what));
  PetscCall(TestVecEqual(want->u, got.u, msg));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: coordinates equal the never-adapted run bitwise", what));
  PetscCall(TestVecEqual(want->coords, got.coords, msg));
  PetscCall(PopulationEqual(&want->pop, &got.pop, &eq));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: particles (every field, same order per rank) equal the never-adapted run bitwise", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, msg));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: TS clock equals the never-adapted run (time and step)", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(want->time == got.time && want->step == got.step), msg));
  PetscCall(ResultFree(&got));
  PetscFunctionReturn(0);
}

/* Same chart, cones, orientations, point SF, labels, sections and fields on this rank as ref? (collective verdict) */
static PetscErrorCode SameMesh(DM a, DM b, const char what[])
{
  PetscInt           pa0, pa1, pb0, pb1, na, nb, nra, nrb, nla, nlb, nfa, nfb;
  const PetscInt    *la, *lb;
  const PetscSFNode *ra, *rb;
  PetscSF            sfa, sfb;
  PetscBool          same = PETSC_TRUE;

  PetscFunctionBeginUser;
  PetscCall(DMPlexGetChart(a, &pa0, &pa1));
  PetscCall(DMPlexGetChart(b, &pb0, &pb1));
  same = (PetscBool)(pa0 == pb0 && pa1 == pb1);
  for (PetscInt p = pa0; same && p < pa1; p++) {
    const PetscInt *ca, *cb, *oa, *ob;
    PetscCall(DMPlexGetConeSize(a, p, &na));
    PetscCall(DMPlexGetConeSize(b, p, &nb));
    PetscCall(DMPlexGetCone(a, p, &ca));
    PetscCall(DMPlexGetCone(b, p, &cb));
    PetscCall(DMPlexGetConeOrientation(a, p, &oa));
    PetscCall(DMPlexGetConeOrientation(b, p, &ob));
    same = (PetscBool)(na == nb && !memcmp(ca, cb, na * sizeof(PetscInt)) && !memcmp(oa, ob, na * sizeof(PetscInt)));
  }
  PetscCall(DMGetPointSF(a, &sfa));
  PetscCall(DMGetPointSF(b, &sfb));
  PetscCall(PetscSFGetGraph(sfa, &nra, &nla, &la, &ra));
  PetscCall(PetscSFGetGraph(sfb, &nrb, &nlb, &lb, &rb));
  same = (PetscBool)(same && nra == nrb && nla == nlb);
  for (PetscInt l = 0; same && l < nla; l++) same = (PetscBool)((la ? la[l] : l) == (lb ? lb[l] : l) && ra[l].rank == rb[l].rank && ra[l].index == rb[l].index);
  PetscCall(DMGetNumLabels(a, &na));
  PetscCall(DMGetNumLabels(b, &nb));
  same = (PetscBool)(same && na == nb);
  for (PetscInt l = 0; same && l < na; l++) {
    DMLabel     lab, lbb;
    const char *name;
    PetscBool   eq;
    PetscCall(DMGetLabelByNum(a, l, &lab));
    PetscCall(PetscObjectGetName((PetscObject)lab, &name));
    PetscCall(DMGetLabel(b, name, &lbb));
    if (!lbb) same = PETSC_FALSE;
    else {
      PetscCall(DMLabelCompare(PETSC_COMM_SELF, lab, lbb, &eq, NULL));
      same = (PetscBool)(same && eq && lab != lbb); /* equal, and a copy */
    }
  }
  PetscCall(DMGetNumFields(a, &nfa));
  PetscCall(DMGetNumFields(b, &nfb));
  same = (PetscBool)(same && nfa == nfb);
  if (same && nfa) {
    PetscSection sa, sb;
    PetscBool    eq;
    PetscCall(DMGetLocalSection(a, &sa));
    PetscCall(DMGetLocalSection(b, &sb));
    PetscCall(PetscSectionCompare(sa, sb, &eq));
    same = (PetscBool)(same && eq);
    PetscCall(DMGetGlobalSection(a, &sa));
    PetscCall(DMGetGlobalSection(b, &sb));
    PetscCall(PetscSectionCompare(sa, sb, &eq));
    same = (PetscBool)(same && eq);
  }
  PetscCall(TestCheck(PETSC_COMM_WORLD, same, what));
  PetscFunctionReturn(0);
}

/* The point permutation that reverses the points of every depth stratum (a renumbering, as another distribution
   would give on one rank) */
static PetscErrorCode ReversedStrata(DM dm, IS *perm)
{
  PetscInt  pStart, pEnd, depth, *p;

  PetscFunctionBeginUser;
  PetscCall(DMPlexGetChart(dm, &pStart, &pEnd));
  PetscCall(DMPlexGetDepth(dm, &depth));
  PetscCall(PetscMalloc1(pEnd - pStart, &p));
  for (PetscInt d = 0; d <= depth; d++) {
    PetscInt s, e;
    PetscCall(DMPlexGetDepthStratum(dm, d, &s, &e));
    for (PetscInt q = s; q < e; q++) p[q - pStart] = s + (e - 1 - q);
  }
  PetscCall(ISCreateGeneral(PETSC_COMM_SELF, pEnd - pStart, p, PETSC_OWN_POINTER, perm));
  PetscFunctionReturn(0);
}

/* Gather the mesh on rank 0 and distribute it again with the mirror of the simple partition (on one rank: renumber
   every stratum backwards) */
static PetscErrorCode Redistribute(DM dm, DM *out)
{
  PetscMPIInt size, rank;
  DM          gather;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)dm), &size));
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)dm), &rank));
  if (size == 1) {
    IS perm;
    PetscCall(ReversedStrata(dm, &perm));
    PetscCall(DMPlexPermute(dm, perm, out));
    PetscCall(ISDestroy(&perm));
    PetscFunctionReturn(0);
  }
  PetscCall(DMPlexGetGatherDM(dm, NULL, &gather));
  {
    PetscPartitioner part;
    PetscInt         cStart, cEnd, N, *sizes, *points = NULL, at = 0;

    PetscCall(DMPlexGetHeightStratum(gather, 0, &cStart, &cEnd));
    N = cEnd - cStart;
    PetscCall(PetscCalloc1(size, &sizes));
    if (rank == 0) {
      PetscCall(PetscMalloc1(N, &points));
      for (PetscMPIInt r = 0; r < size; r++) { /* part r gets the block simple gives to rank size-1-r */
        PetscInt b = size - 1 - r, start = b * (N / size) + PetscMin(b, N % size), n = N / size + (b < N % size ? 1 : 0);
        sizes[r] = n;
        for (PetscInt c = 0; c < n; c++) points[at++] = cStart + start + c;
      }
    }
    PetscCall(DMPlexGetPartitioner(gather, &part));
    PetscCall(PetscPartitionerSetType(part, PETSCPARTITIONERSHELL));
    PetscCall(PetscPartitionerShellSetPartition(part, size, sizes, points));
    PetscCall(PetscFree(sizes));
    PetscCall(PetscFree(points));
  }
  PetscCall(DMPlexDistribute(gather, 0, NULL, out));
  PetscCall(DMDestroy(&gather));
  PetscFunctionReturn(0);
}

typedef enum {
  ADAPT_REFINE,
  ADAPT_TRANSFORM,
  ADAPT_REDISTRIBUTE
} Adaptation;
static const char *const adaptNames[] = {"DMRefine", "DMPlexTransform refine_tobox", "redistribution"};

static PetscErrorCode Adapt(DM dm, Adaptation a, DM *out)
{
  PetscFunctionBeginUser;
  switch (a) {
  case ADAPT_REFINE:
    PetscCall(DMRefine(dm, PetscObjectComm((PetscObject)dm), out));
    break;
  case ADAPT_TRANSFORM: {
    DMPlexTransform tr;
    PetscCall(DMPlexTransformCreate(PetscObjectComm((PetscObject)dm), &tr));
    PetscCall(DMPlexTransformSetDM(tr, dm));
    PetscCall(DMPlexTransformSetType(tr, DMPLEXREFINETOBOX));
    PetscCall(DMPlexTransformSetUp(tr));
    PetscCall(DMPlexTransformApply(tr, dm, out));
    PetscCall(DMPlexTransformDestroy(&tr));
  } break;
  case ADAPT_REDISTRIBUTE:
    PetscCall(Redistribute(dm, out));
    break;
  }
  PetscCall(PetscObjectSetName((PetscObject)*out, "mesh")); /* the adapted mesh replaces the captured one */
  PetscFunctionReturn(0);
}

/* DMPlexCheck() (symmetry, skeleton, faces, geometry, point SF, interfaces) passes on every rank */
static PetscErrorCode TestPlexCheck(DM dm, const char what[])
{
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = DMPlexCheck(dm);
  PetscCall(PetscPopErrorHandler());
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)!ierr, what));
  PetscFunctionReturn(0);
}


/* The values of a global Vec as rows of bs values, gathered on rank 0 and sorted (a multiset: equal whatever the
   numbering and partition) */
static PetscErrorCode SortedRows(Vec v, PetscInt bs, PetscScalar **rows, PetscInt *N)
{
  VecScatter         scatter;
  Vec                all;
  const PetscScalar *a;
  PetscMPIInt        rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)v), &rank));
  PetscCall(VecScatterCreateToZero(v, &scatter, &all));
  PetscCall(VecScatterBegin(scatter, v, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(scatter, v, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetLocalSize(all, N));
  PetscCall(PetscMalloc1(*N + 1, rows));
  PetscCall(VecGetArrayRead(all, &a));
  if (*N) PetscCall(PetscArraycpy(*rows, a, *N));
  PetscCall(VecRestoreArrayRead(all, &a));
  *N /= bs;
  if (rank == 0) {
    globalRowSize = bs * sizeof(PetscScalar);
    qsort(*rows, *N, globalRowSize, CompareRows);
  }
  PetscCall(VecScatterDestroy(&scatter));
  PetscCall(VecDestroy(&all));
  PetscFunctionReturn(0);
}

typedef struct {
  PetscScalar *u, *x;
  PetscInt     nu, nx;
  GlobalSet    particles;
  PetscReal    time;
} GlobalState;

static const char *const particleFields[] = {DMSwarmField_pid, DMSwarmPICField_coor, "velocity", "tag", "serial", "info"};

static PetscErrorCode GlobalStateGet(Heat *h, DM sw, GlobalState *g)
{
  Vec x;

  PetscFunctionBeginUser;
  PetscCall(SortedRows(h->u, 1, &g->u, &g->nu));
  PetscCall(DMGetCoordinates(h->dm, &x));
  PetscCall(SortedRows(x, 2, &g->x, &g->nx));
  PetscCall(GlobalSetGetFields(sw, particleFields, 6, &g->particles));
  PetscCall(TSGetTime(h->ts, &g->time));
  PetscFunctionReturn(0);
}

static PetscErrorCode GlobalStateFree(GlobalState *g)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(g->u));
  PetscCall(PetscFree(g->x));
  PetscCall(GlobalSetFree(&g->particles));
  PetscFunctionReturn(0);
}

/* Equal on rank 0 (the gathered rows), the verdict everywhere: values, coordinates, particles, clock */
static PetscErrorCode GlobalStateEqual(const GlobalState *a, const GlobalState *b, PetscBool eq[4])
{
  PetscMPIInt rank;
  PetscBool   p;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  eq[0] = eq[1] = PETSC_FALSE;
  if (rank == 0) {
    eq[0] = (PetscBool)(a->nu == b->nu && !memcmp(a->u, b->u, a->nu * sizeof(PetscScalar)));
    eq[1] = (PetscBool)(a->nx == b->nx && !memcmp(a->x, b->x, 2 * a->nx * sizeof(PetscScalar)));
  }
  PetscCallMPI(MPI_Bcast(eq, 2, EXAMPLE_MPI_BOOL, 0, PETSC_COMM_WORLD));
  PetscCall(GlobalSetEqual(&a->particles, &b->particles, &p));
  eq[2] = p;
  eq[3] = (PetscBool)(a->time == b->time);
  PetscFunctionReturn(0);
}

/* The hdf5 type: PetscSnapshotCreateDM() loads the mesh from the file (PetscSnapshotHDF5LoadDM()); at the same rank
   count the restore into it is exact (values, coordinates, particles, clock as sets: PETSc's loaders may number and
   distribute the points otherwise) */
static PetscErrorCode HDF5Part(MPI_Comm comm)
{
  PetscSnapshot snap;
  Heat          cur, fine, back;
  DM            sw, adapted, loaded;
  GlobalState   atCapture, restored, refAfter, after;
  PetscBool     eq[4];
  PetscMPIInt   size;
  char          file[64];
  PetscInt      K = 3;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  {
    DM mesh;
    PetscCall(CreateBoxMesh(comm, 8, PETSC_FALSE, "mesh", &mesh));
    PetscCall(HeatDiscretize(mesh));
    PetscCall(HeatOn(mesh, &cur));
    PetscCall(DMDestroy(&mesh));
  }
  PetscCall(CreateSwarm(cur.dm, 2, SWARM_STANDARD, &sw));
  PetscCall(Steps(&cur, sw, 2));
  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetType(snap, PETSCSNAPSHOTHDF5));
  PetscCall(PetscSNPrintf(file, sizeof(file), "test_adapt_np%d.h5", (int)size));
  PetscCall(PetscSnapshotHDF5SetFileName(snap, file));
  PetscCall(PetscSnapshotCapture(snap, sw));
  PetscCall(GlobalStateGet(&cur, sw, &atCapture));
  PetscCall(Steps(&cur, sw, K));
  PetscCall(GlobalStateGet(&cur, sw, &refAfter)); /* the never-adapted run */

  PetscCall(Adapt(cur.dm, ADAPT_REFINE, &adapted));
  PetscCall(HeatDiscretize(adapted));
  PetscCall(HeatOn(adapted, &fine));
  PetscCall(DMDestroy(&adapted));
  PetscCall(Rebind(sw, fine.dm));
  PetscCall(Steps(&fine, sw, 2));
  TestExpectError(comm, PetscSnapshotRestore(snap, sw), "PetscSnapshotCreateDM", "hdf5: a restore into the refined mesh is refused, pointing to PetscSnapshotCreateDM()");

  PetscCall(PetscSnapshotCreateDM(snap, "mesh", &loaded));
  PetscCall(TestPlexCheck(loaded, "hdf5: the mesh PetscSnapshotCreateDM() loads passes DMPlexCheck()"));
  PetscCall(HeatDiscretize(loaded)); /* the file holds no discretization */
  PetscCall(HeatOn(loaded, &back));
  PetscCall(DMDestroy(&loaded));
  PetscCall(DMSwarmSetCellDM(sw, back.dm));
  PetscCall(HeatFree(&fine));
  PetscCall(HeatFree(&cur));
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(GlobalStateGet(&back, sw, &restored));
  PetscCall(GlobalStateEqual(&atCapture, &restored, eq));
  PetscCall(TestCheck(comm, eq[0], "hdf5: after the restore into the loaded mesh, u holds the captured values (as a set, bitwise)"));
  PetscCall(TestCheck(comm, eq[1], "hdf5: the loaded mesh has the captured coordinates (as a set of points, bitwise)"));
  PetscCall(TestCheck(comm, eq[2], "hdf5: the particles are the captured ones (sorted by id, every field but cell and rank, bitwise)"));
  PetscCall(TestCheck(comm, eq[3], "hdf5: the TS clock is the captured one"));
  {
    PetscBool placed;
    PetscCall(SwarmPlaced(sw, back.dm, &placed));
    PetscCall(TestCheck(comm, placed, "hdf5: every particle is on the rank owning its cell of the loaded mesh, with that cell"));
  }
  PetscCall(Steps(&back, sw, K));
  PetscCall(GlobalStateGet(&back, sw, &after));
  PetscCall(GlobalStateEqual(&refAfter, &after, eq));
  PetscCall(PetscPrintf(comm, "info: hdf5, %d ranks: %" PetscInt_FMT " steps after the restore, u %s, coordinates %s, particles %s the never-adapted run bitwise (as sets)\n", (int)size, K, eq[0] ? "equals" : "differs from", eq[1] ? "equal" : "differ from", eq[2] ? "equal" : "differ from"));

  PetscCall(GlobalStateFree(&atCapture));
  PetscCall(GlobalStateFree(&restored));
  PetscCall(GlobalStateFree(&refAfter));
  PetscCall(GlobalStateFree(&after));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(DMDestroy(&sw));
  PetscCall(HeatFree(&back));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm      comm;
  PetscSnapshot snap;
  Heat          cur; /* the mesh the run is on (the captured one, later its rebuilds) */
  DM            sw;
  Result        ref;
  PetscInt      K = 3;
  char          msg[256];
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  {
    PetscBool hdf5 = PETSC_FALSE;
    PetscCall(PetscOptionsGetBool(NULL, NULL, "-hdf5", &hdf5, NULL));
    if (hdf5) {
      PetscCall(HDF5Part(comm));
      PetscCall(TestFinish(comm, &code));
      PetscCall(PetscFinalize());
      return code;
    }
  }
  {
    DM mesh;
    PetscCall(CreateBoxMesh(comm, 8, PETSC_FALSE, "mesh", &mesh));
    PetscCall(HeatDiscretize(mesh));
    PetscCall(HeatOn(mesh, &cur));
    PetscCall(DMDestroy(&mesh));
  }
  PetscCall(CreateSwarm(cur.dm, 2, SWARM_STANDARD, &sw));
  PetscCall(Steps(&cur, sw, 2)); /* a state with history */

  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetDMTopology(snap, PETSC_TRUE));
  PetscCall(PetscSnapshotSetFromOptions(snap));
  PetscCall(PetscSnapshotCapture(snap, sw)); /* the particles and, as a sub-DM, the mesh with its state */
  PetscCall(PetscSnapshotCapture(snap, sw)); /* again, unchanged: the held topology is kept */
  {
    const char *want[] = {"topology held for PetscSnapshotCreateDM()", "taken by 1 captures, unchanged at 1", NULL};
    PetscCall(TestViewContains(snap, "test_adapt_view.txt", want, "-snapshot_view reports the held topology; a capture of the unchanged mesh took nothing new"));
  }

  /* the never-adapted run */
  PetscCall(Steps(&cur, sw, K));
  PetscCall(ResultGet(&cur, sw, &ref));

  for (int a = ADAPT_REFINE; a <= ADAPT_REDISTRIBUTE; a++) {
    Heat   fine, back;
    DM     adapted, rebuilt;
    PetscMPIInt size;

    PetscCallMPI(MPI_Comm_size(comm, &size));
    PetscCall(PetscSnapshotRestore(snap, sw)); /* back at the capture, on the current mesh */
    PetscCall(Adapt(cur.dm, (Adaptation)a, &adapted));
    /* discretized afresh: a copied PetscDS may still name the labels of the mesh it came from (DMPlexPermute()) */
    PetscCall(DMClearDS(adapted));
    PetscCall(DMClearFields(adapted));
    PetscCall(DMSetLocalSection(adapted, NULL));
    PetscCall(HeatDiscretize(adapted));
    PetscCall(HeatOn(adapted, &fine));
    PetscCall(DMDestroy(&adapted));
    PetscCall(Rebind(sw, fine.dm));
    PetscCall(Steps(&fine, sw, 2)); /* steps on the adapted mesh, then regret */
    PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: a restore into the adapted mesh is refused, pointing to PetscSnapshotCreateDM()", adaptNames[a]));
    TestExpectError(comm, PetscSnapshotRestore(snap, sw), "PetscSnapshotCreateDM", msg);

    PetscCall(PetscSnapshotCreateDM(snap, "mesh", &rebuilt));
    PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: the rebuilt mesh passes DMPlexCheck()", adaptNames[a]));
    PetscCall(TestPlexCheck(rebuilt, msg));
    PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: the rebuilt mesh has the captured chart, cones, orientations, point SF, labels (copies), sections and fields", adaptNames[a]));
    PetscCall(SameMesh(cur.dm, rebuilt, msg)); /* the captured mesh (first), or its rebuild (later): the first is destroyed after its rebuild */
    PetscCall(HeatOn(rebuilt, &back)); /* the rebuilt mesh's own discretization: the solver only */
    PetscCall(DMDestroy(&rebuilt));
    PetscCall(DMSwarmSetCellDM(sw, back.dm));
    PetscCall(HeatFree(&fine));
    PetscCall(HeatFree(&cur));
    cur = back;
    PetscCall(PetscSnapshotRestore(snap, sw));
    PetscCall(Steps(&cur, sw, K));
    PetscCall(ResultCheck(&ref, &cur, sw, adaptNames[a]));
  }

  { /* the topology is held only when asked */
    PetscSnapshot plain;
    PetscCall(PetscSnapshotCreate(comm, &plain));
    PetscCall(PetscSnapshotCapture(plain, cur.dm));
    DM none = NULL;
    TestExpectError(comm, PetscSnapshotCreateDM(plain, "mesh", &none), "captured without its topology", "without PetscSnapshotSetDMTopology() nothing is held and PetscSnapshotCreateDM() refuses");
    PetscCall(PetscSnapshotDestroy(&plain));
  }
  { /* a label changed in place makes the next capture take the topology again */
    PetscSnapshot again;
    DMLabel       marker;
    PetscInt      vStart, vEnd;
    const char   *want[] = {"taken by 2 captures, unchanged at 1", NULL};

    PetscCall(PetscSnapshotCreate(comm, &again));
    PetscCall(PetscSnapshotSetDMTopology(again, PETSC_TRUE));
    PetscCall(PetscSnapshotCapture(again, cur.dm));
    PetscCall(PetscSnapshotCapture(again, cur.dm));
    PetscCall(DMGetLabel(cur.dm, "marker", &marker));
    PetscCall(DMPlexGetDepthStratum(cur.dm, 0, &vStart, &vEnd));
    if (vEnd > vStart) PetscCall(DMLabelSetValue(marker, vStart, 7));
    PetscCall(PetscSnapshotCapture(again, cur.dm));
    PetscCall(TestViewContains(again, "test_adapt_view2.txt", want, "a label edited in place (DMLabelSetValue) is seen: the next capture takes the topology again"));
    PetscCall(PetscSnapshotDestroy(&again));
  }

  PetscCall(ResultFree(&ref));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(DMDestroy(&sw));
  PetscCall(HeatFree(&cur));
  PetscCall(TestFinish(comm, &code));
  PetscCall(PetscFinalize());
  return code;
}
