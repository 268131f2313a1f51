static const char help[] = "DMSwarm snapshots: every field of every particle captured and rebuilt exactly after scribbling,\n"
                           "migration, added, removed and lost particles; bit-identical PIC continuation; the cell DM comes\n"
                           "along; refusals for changed field sets, checked-out fields and a changed cell DM; a declared field list when the\n"
                           "private DMSwarm layout is not recognised.\n";

#include "swarmutil.h"

typedef struct {
  Population local;
  GlobalSet  global;
} State;

static PetscErrorCode StateGet(DM sw, State *s)
{
  PetscFunctionBeginUser;
  PetscCall(PopulationGet(sw, &s->local));
  PetscCall(GlobalSetGet(sw, &s->global));
  PetscFunctionReturn(0);
}

static PetscErrorCode StateFree(State *s)
{
  PetscFunctionBeginUser;
  PetscCall(PopulationFree(&s->local));
  PetscCall(GlobalSetFree(&s->global));
  PetscFunctionReturn(0);
}

/* Assert that the swarm now holds exactly the state s: per rank (same particles, same order, same bytes) and globally
   (same set sorted by pid). */
static PetscErrorCode ExpectState(DM sw, const State *s, const char what[])
{
  State     now;
  PetscBool eq;
  char      line[256];

  PetscFunctionBeginUser;
  PetscCall(StateGet(sw, &now));
  PetscCall(PopulationEqual(&now.local, &s->local, &eq));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: every rank holds its captured particles, same order, every field bitwise", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, line));
  PetscCall(GlobalSetEqual(&now.global, &s->global, &eq));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: global particle set (sorted by pid) bitwise equal", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, line));
  PetscCall(StateFree(&now));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestRecovery(PetscSnapshot snap, DM mesh, DM sw, Vec weights)
{
  State    s0;
  PetscInt N0, N;
  Vec      keepW, meshCoords, keepMesh;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetSize(sw, &N0));
  PetscCall(StateGet(sw, &s0));
  PetscCall(VecDuplicate(weights, &keepW));
  PetscCall(VecCopy(weights, keepW));
  PetscCall(DMGetCoordinatesLocal(mesh, &meshCoords));
  PetscCall(VecDuplicate(meshCoords, &keepMesh));
  PetscCall(VecCopy(meshCoords, keepMesh));
  PetscCall(PetscSnapshotCapture(snap, sw));

  /* scribble every field and the swarm's declared state */
  PetscCall(SwarmFill(sw, 5));
  PetscCall(ShiftParticles(sw, 0.01));
  PetscCall(Scribble(weights, 3.0));
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(ExpectState(sw, &s0, "after scribbling every field"));
  PetscCall(TestVecEqual(weights, keepW, "after scribbling: the swarm's declared Vec bitwise"));

  /* migration moves particles between ranks and loses some out of the domain */
  PetscCall(ShiftParticles(sw, 0.4));
  PetscCall(DMSwarmMigrate(sw, PETSC_TRUE));
  PetscCall(DMSwarmGetSize(sw, &N));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(N < N0), "migration after a shift lost particles out of the domain"));
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(ExpectState(sw, &s0, "after DMSwarmMigrate"));

  /* particles added */
  PetscCall(DMSwarmAddNPoints(sw, 7));
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(ExpectState(sw, &s0, "after DMSwarmAddNPoints"));

  /* particles removed (reorders the population) */
  {
    PetscInt n;
    PetscCall(DMSwarmGetLocalSize(sw, &n));
    for (PetscInt k = 0; k < 3 && k < n; k++) PetscCall(DMSwarmRemovePointAtIndex(sw, 0));
    PetscCall(DMSwarmGetLocalSize(sw, &n));
    if (n > 0) PetscCall(DMSwarmRemovePoint(sw));
  }
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(ExpectState(sw, &s0, "after removing particles"));

  /* the cell DM is part of the swarm's snapshot: a moved mesh comes back with the particles */
  PetscCall(DeformMesh(mesh, 0.05));
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(DMGetCoordinatesLocal(mesh, &meshCoords));
  PetscCall(TestVecEqual(meshCoords, keepMesh, "restoring the swarm restores its cell DM's coordinates"));
  PetscCall(ExpectState(sw, &s0, "after the cell DM moved"));

  PetscCall(VecDestroy(&keepW));
  PetscCall(VecDestroy(&keepMesh));
  PetscCall(StateFree(&s0));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestContinuation(PetscSnapshot snap, DM mesh, DM sw)
{
  Flow     fl;
  State    sA, s0;
  PetscInt K = 4, N0, Nlost;

  PetscFunctionBeginUser;
  PetscCall(FlowCreate(mesh, &fl));
  PetscCall(PetscSnapshotCapture(snap, sw));
  PetscCall(StateGet(sw, &s0));
  PetscCall(DMSwarmGetSize(sw, &N0));
  for (PetscInt k = 0; k < K; k++) PetscCall(Advect(sw, &fl, 0.05, NULL));
  PetscCall(StateGet(sw, &sA));

  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(ExpectState(sw, &s0, "PIC: restore after K advection steps"));
  for (PetscInt k = 0; k < K; k++) PetscCall(Advect(sw, &fl, 0.05, NULL));
  PetscCall(ExpectState(sw, &sA, "PIC: restore then K steps equals K steps"));

  /* a disruptive step loses particles; restored, it leaves no trace */
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(Advect(sw, &fl, 3.0, NULL));
  PetscCall(DMSwarmGetSize(sw, &Nlost));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "disruptive step: %" PetscInt_FMT " of %" PetscInt_FMT " particles left the domain\n", N0 - Nlost, N0));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(Nlost < N0), "PIC: the disruptive step lost particles"));
  PetscCall(PetscSnapshotRestore(snap, sw));
  for (PetscInt k = 0; k < K; k++) PetscCall(Advect(sw, &fl, 0.05, NULL));
  PetscCall(ExpectState(sw, &sA, "PIC: regretted step restored, K steps equal the undisturbed run"));

  PetscCall(StateFree(&sA));
  PetscCall(StateFree(&s0));
  PetscCall(FlowDestroy(&fl));
  PetscFunctionReturn(0);
}

/* Restore into sw must fail on every rank with expect in the message, and leave the population untouched. */
static PetscErrorCode ExpectSwarmRefusal(PetscSnapshot snap, DM sw, const char expect[], const char what[])
{
  PetscInt  n0, n1;
  PetscBool same;
  char      line[256];

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n0));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, sw), expect, what);
  PetscCall(DMSwarmGetLocalSize(sw, &n1));
  same = (PetscBool)(n0 == n1);
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: population size untouched", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, same, line));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestRefusals(PetscSnapshot snap, DM mesh, DM sw)
{
  struct {
    SwarmVariant variant;
    const char  *expect, *what;
  } cases[] = {
    {SWARM_EXTRA_FIELD,   "swarm field \"extra\" is registered now but was not at capture", "a field registered after capture"},
    {SWARM_MISSING_FIELD, "swarm field \"serial\" was captured but is not registered now",  "a field missing since capture"    },
    {SWARM_TAG_AS_REAL,   "swarm field \"tag\" changed: captured INT",                       "a field whose type changed"       },
    {SWARM_VELOCITY_BS3,  "swarm field \"velocity\" changed: captured DOUBLE with block size 2, now DOUBLE with block size 3", "a field whose block size changed"},
  };

  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCapture(snap, sw));
  for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    DM other;
    PetscCall(CreateSwarm(mesh, 1, cases[c].variant, &other));
    PetscCall(ExpectSwarmRefusal(snap, other, cases[c].expect, cases[c].what));
    PetscCall(DMDestroy(&other));
  }
  { /* a field checked out through a field Vec */
    Vec   v;
    State s0;
    PetscCall(StateGet(sw, &s0));
    PetscCall(DMSwarmCreateGlobalVectorFromField(sw, "velocity", &v));
    PetscCall(ExpectSwarmRefusal(snap, sw, "swarm field \"velocity\" is checked out", "a live field Vec"));
    PetscCall(DMSwarmDestroyGlobalVectorFromField(sw, "velocity", &v));
    PetscCall(ExpectState(sw, &s0, "refused with a live field Vec: nothing written"));
    PetscCall(StateFree(&s0));
  }
  { /* the cell DM changed layout */
    DM fine, other;
    PetscCall(DMRefine(mesh, PETSC_COMM_WORLD, &fine));
    PetscCall(PetscObjectSetName((PetscObject)fine, "mesh"));
    PetscCall(CreateSwarm(fine, 1, SWARM_STANDARD, &other));
    PetscCall(ExpectSwarmRefusal(snap, other, "its sub-DM \"mesh\": the DM's layout changed", "a cell DM whose layout changed"));
    PetscCall(DMDestroy(&other));
    PetscCall(DMDestroy(&fine));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode TestView(PetscSnapshot snap)
{
  const char *const want[] = {"DM \"particles\" (swarm", "points in all)", "point field \"swarm/velocity\": DOUBLE, bs 2", "point field \"swarm/info\": structs of 16 bytes", "DM \"mesh\" (plex", NULL};

  PetscFunctionBeginUser;
  PetscCall(TestViewContains(snap, "swarm-view.txt", want, "PetscSnapshotView shows the swarm's point counts, its fields with type and block size, and its cell DM"));
  PetscFunctionReturn(0);
}

/* A PETSc whose private DMSwarm layout petsc-snapshot does not recognise (pretended with
   -snapshot_swarm_test_unknown_layout): capture refuses, naming PetscSnapshotSwarmSetFields(); with the fields declared
   there, swarms are captured and rebuilt exactly through the public API alone. */
static PetscErrorCode TestDeclaredFields(DM mesh)
{
  DM            sw;
  PetscSnapshot snap;
  State         s0;
  const char   *names[NSWARMFIELDS];
  size_t        bytes[NSWARMFIELDS];

  PetscFunctionBeginUser;
  PetscCall(CreateSwarm(mesh, 2, SWARM_STANDARD, &sw));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetType(snap, PETSCSNAPSHOTMEMORY));
  PetscCall(PetscOptionsSetValue(NULL, "-snapshot_swarm_test_unknown_layout", "1"));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, sw), "Declare the swarm's fields with PetscSnapshotSwarmSetFields()", "layout not recognised, fields not declared: capture refused naming PetscSnapshotSwarmSetFields()");
  for (int f = 0; f < NSWARMFIELDS; f++) {
    PetscCall(FieldName(sw, swarmFields[f], &names[f]));
    bytes[f] = strcmp(names[f], "info") ? 0 : sizeof(UserInfo);
  }
  PetscCall(PetscSnapshotSwarmSetFields(sw, NSWARMFIELDS, names, NULL));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, sw), "\"info\" is a user struct; give its size in bytes", "declared fields: a user struct without its size refused");
  PetscCall(PetscSnapshotSwarmSetFields(sw, NSWARMFIELDS, names, bytes));
  PetscCall(StateGet(sw, &s0));
  PetscCall(PetscSnapshotCapture(snap, sw));
  PetscCall(SwarmFill(sw, 11));
  PetscCall(ShiftParticles(sw, 0.4));
  PetscCall(DMSwarmMigrate(sw, PETSC_TRUE));
  PetscCall(DMSwarmAddNPoints(sw, 5));
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(ExpectState(sw, &s0, "declared fields (layout not recognised): after scribbling, migration and added particles"));
  PetscCall(PetscOptionsClearValue(NULL, "-snapshot_swarm_test_unknown_layout"));
  PetscCall(StateFree(&s0));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(DMDestroy(&sw));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  DM            mesh, sw;
  Vec           weights;
  PetscSnapshot snap;
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 6, PETSC_FALSE, "mesh", &mesh));
  PetscCall(CreateSwarm(mesh, 2, SWARM_STANDARD, &sw));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, 4, PETSC_DETERMINE, &weights));
  PetscCall(Scribble(weights, 1.0));
  PetscCall(PetscSnapshotDMAddState(sw, "weights", (PetscObject)weights));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetFromOptions(snap));

  PetscCall(TestRecovery(snap, mesh, sw, weights));
  PetscCall(TestContinuation(snap, mesh, sw));
  PetscCall(TestRefusals(snap, mesh, sw));
  PetscCall(TestView(snap));
  PetscCall(TestDeclaredFields(mesh));

  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&weights));
  PetscCall(DMDestroy(&sw));
  PetscCall(DMDestroy(&mesh));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
