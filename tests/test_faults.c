static const char help[] = "Faults and misuse (issue 10), in the memory and hdf5 types: names of any length either round-trip or are\n"
                           "refused when declared; a user function or hook failing on one rank gives an error on every rank with that\n"
                           "rank's message and no hang; declarations and swarm fields that differ between ranks are refused at capture.\n";

#include <petscdmda.h>
#include "swarmutil.h"

static PetscMPIInt rank, size;

/* ---- user state through callbacks, made to fail on rank 1 on demand */
typedef struct {
  PetscReal value;
  PetscBool failSize, failCapture, failRestore;
} Faulty;

static PetscErrorCode FaultySize(void *ctx, size_t *n)
{
  PetscFunctionBeginUser;
  PetscCheck(!(((Faulty *)ctx)->failSize && rank == 1), PETSC_COMM_SELF, PETSC_ERR_USER, "size function failed on purpose on rank %d", rank);
  *n = sizeof(PetscReal);
  PetscFunctionReturn(0);
}

static PetscErrorCode FaultyCapture(void *ctx, size_t n, void *bytes)
{
  PetscFunctionBeginUser;
  PetscCheck(!(((Faulty *)ctx)->failCapture && rank == 1), PETSC_COMM_SELF, PETSC_ERR_USER, "capture function failed on purpose on rank %d", rank);
  memcpy(bytes, &((Faulty *)ctx)->value, sizeof(PetscReal));
  PetscFunctionReturn(0);
}

static PetscErrorCode FaultyRestore(void *ctx, size_t n, const void *bytes)
{
  PetscFunctionBeginUser;
  PetscCheck(!(((Faulty *)ctx)->failRestore && rank == 1), PETSC_COMM_SELF, PETSC_ERR_USER, "restore function failed on purpose on rank %d", rank);
  memcpy(&((Faulty *)ctx)->value, bytes, sizeof(PetscReal));
  PetscFunctionReturn(0);
}

/* ---- a hook registered by the application, made to fail on rank 1 on demand (off: it does nothing) */
static PetscBool hookFailCapture = PETSC_FALSE, hookFailCheck = PETSC_FALSE, hookFailRestore = PETSC_FALSE;

static PetscErrorCode HookCapture(PetscSnapshotRecord rec, DM dm, void *ctx)
{
  PetscFunctionBeginUser;
  PetscCheck(!(hookFailCapture && rank == 1), PETSC_COMM_SELF, PETSC_ERR_USER, "capture hook failed on purpose on rank %d", rank);
  PetscFunctionReturn(0);
}

static PetscErrorCode HookCheck(PetscSnapshotRecord rec, DM dm, void *ctx)
{
  PetscFunctionBeginUser;
  PetscCheck(!(hookFailCheck && rank == 1), PETSC_COMM_SELF, PETSC_ERR_USER, "check hook failed on purpose on rank %d", rank);
  PetscFunctionReturn(0);
}

static PetscErrorCode HookRestore(PetscSnapshotRecord rec, DM dm, void *ctx)
{
  PetscFunctionBeginUser;
  PetscCheck(!(hookFailRestore && rank == 1), PETSC_COMM_SELF, PETSC_ERR_USER, "restore hook failed on purpose on rank %d", rank);
  PetscFunctionReturn(0);
}

static PetscErrorCode MakeSnapshot(const char type[], PetscSnapshot *snap)
{
  char file[64];

  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
  PetscCall(PetscSnapshotSetType(*snap, type));
  if (!strcmp(type, PETSCSNAPSHOTHDF5)) {
    PetscCall(PetscSNPrintf(file, sizeof(file), "faults-np%d.h5", (int)size));
    PetscCall(PetscSnapshotHDF5SetFileName(*snap, file));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode LongName(char c, size_t n, char **name)
{
  PetscFunctionBeginUser;
  PetscCall(PetscMalloc1(n + 1, name));
  memset(*name, c, n);
  (*name)[n] = 0;
  PetscFunctionReturn(0);
}

/* Item 4: keys longer than PETSc can compose under are refused when declared; the longest accepted key round-trips. */
static PetscErrorCode TestKeys(const char type[])
{
  DM            dm;
  Vec           v, keep;
  PetscSnapshot snap;
  char         *key256, *key255, line[128];
  PetscReal     data = 1.0;

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 4, PETSC_FALSE, "keys", &dm));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, 3, PETSC_DETERMINE, &v));
  PetscCall(Scribble(v, 1.0));
  PetscCall(LongName('k', 256, &key256));
  PetscCall(LongName('k', 255, &key255));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a 256-character key to PetscSnapshotDMAddState is refused, naming the limit", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotDMAddState(dm, key256, (PetscObject)v), "keys have at most 255", line);
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a 256-character key to PetscSnapshotDMAddStateBytes is refused", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotDMAddStateBytes(dm, key256, &data, sizeof(data), 1), "keys have at most 255", line);
  { /* keys the hdf5 type would store as another path are refused when declared, whatever the type */
    const char *const bad[] = {"a//b", "a/", "/a", ".", "a/./b"};
    for (int k = 0; k < 5; k++) {
      PetscCall(PetscSNPrintf(line, sizeof(line), "%s: the key \"%s\" is refused when declared, naming the rule", type, bad[k]));
      TestExpectError(PETSC_COMM_WORLD, PetscSnapshotDMAddState(dm, bad[k], (PetscObject)v), "none of them empty or \".\"", line);
    }
  }
  PetscCall(PetscSnapshotDMAddState(dm, key255, (PetscObject)v));
  PetscCall(PetscSnapshotDMAddState(dm, "a/b", (PetscObject)v));
  PetscCall(PetscSnapshotDMAddState(dm, "été ..", (PetscObject)v));
  PetscCall(MakeSnapshot(type, &snap));
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(VecDuplicate(v, &keep));
  PetscCall(VecCopy(v, keep));
  PetscCall(Scribble(v, 7.0));
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a Vec declared under a 255-character key, \"a/b\" and \"été ..\" round-trips", type));
  PetscCall(TestVecEqual(v, keep, line));
  PetscCall(PetscSnapshotDMRemoveState(dm, "a/b"));
  PetscCall(PetscSnapshotDMRemoveState(dm, "été .."));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscSnapshotDMRemoveState(dm, key255));
  PetscCall(PetscFree(key256));
  PetscCall(PetscFree(key255));
  PetscCall(VecDestroy(&keep));
  PetscCall(VecDestroy(&v));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

/* Item 5 (sub-DM names): a swarm and its mesh named with 300 characters (the mesh with 255 from PETSc 3.23, which
   refuses longer cell DM names), the swarm declared as state of the mesh (the state hook records the sub-DM's name) and
   captured through the mesh; and the swarm captured itself (its cell DM is a sub-DM). Both restore exactly. */
static PetscErrorCode TestLongSubDMNames(const char type[])
{
  DM            mesh, sw;
  PetscSnapshot snap;
  Population    before, after;
  PetscBool     eq;
  char         *meshName, *swarmName, line[160];

  PetscFunctionBeginUser;
  PetscCall(LongName('m', EXAMPLE_CELLDM_NAME_MAX < 300 ? EXAMPLE_CELLDM_NAME_MAX : 300, &meshName));
  PetscCall(LongName('s', 300, &swarmName));
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 4, PETSC_FALSE, meshName, &mesh));
  PetscCall(CreateSwarm(mesh, 2, SWARM_STANDARD, &sw));
  PetscCall(PetscObjectSetName((PetscObject)sw, swarmName));
  PetscCall(PetscSnapshotDMAddState(mesh, "particles", (PetscObject)sw));
  PetscCall(PopulationGet(sw, &before));

  PetscCall(MakeSnapshot(type, &snap));
  PetscCall(PetscSnapshotCapture(snap, mesh));
  PetscCall(SwarmFill(sw, 5));
  PetscCall(ShiftParticles(sw, 0.3));
  PetscCall(DMSwarmMigrate(sw, PETSC_TRUE));
  PetscCall(PetscSnapshotRestore(snap, mesh));
  PetscCall(PopulationGet(sw, &after));
  PetscCall(PopulationEqual(&before, &after, &eq));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a swarm named with 300 characters, declared on a mesh named with %d, round-trips through the mesh", type, (int)strlen(meshName)));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, line));
  PetscCall(PopulationFree(&after));
  PetscCall(PetscSnapshotDestroy(&snap));

  PetscCall(MakeSnapshot(type, &snap));
  PetscCall(PetscSnapshotCapture(snap, sw));
  PetscCall(SwarmFill(sw, 9));
  PetscCall(PetscSnapshotRestore(snap, sw));
  PetscCall(PopulationGet(sw, &after));
  PetscCall(PopulationEqual(&before, &after, &eq));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: the same swarm captured itself (its %d-character cell DM a sub-DM) round-trips", type, (int)strlen(meshName)));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, line));
  PetscCall(PopulationFree(&after));
  PetscCall(PetscSnapshotDestroy(&snap));

  PetscCall(PopulationFree(&before));
  PetscCall(PetscSnapshotDMRemoveState(mesh, "particles"));
  PetscCall(DMDestroy(&sw));
  PetscCall(DMDestroy(&mesh));
  PetscCall(PetscFree(meshName));
  PetscCall(PetscFree(swarmName));
  PetscFunctionReturn(0);
}

/* Item 7: user functions and hooks failing on rank 1 only. */
static PetscErrorCode TestCallbacks(const char type[])
{
  DM            dm;
  Vec           v, keep;
  PetscSnapshot snap;
  Faulty        f = {1.5, PETSC_FALSE, PETSC_FALSE, PETSC_FALSE};
  char          line[160];

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 4, PETSC_FALSE, "callbacks", &dm));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, 4, PETSC_DETERMINE, &v));
  PetscCall(Scribble(v, 1.0));
  PetscCall(VecDuplicate(v, &keep));
  PetscCall(VecCopy(v, keep));
  PetscCall(PetscSnapshotDMAddState(dm, "field", (PetscObject)v));
  PetscCall(PetscSnapshotDMAddStateCallbacks(dm, "faulty", 1, FaultySize, FaultyCapture, FaultyRestore, &f, NULL));
  PetscCall(MakeSnapshot(type, &snap));

  /* capture: the size function, then the capture function, on rank 1 only */
  f.failSize = PETSC_TRUE;
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a size function failing on rank 1 fails the capture on every rank with its message", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, dm), "size function failed on purpose on rank 1", line);
  f.failSize    = PETSC_FALSE;
  f.failCapture = PETSC_TRUE;
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a capture function failing on rank 1 fails the capture on every rank with its message", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, dm), "capture function failed on purpose on rank 1", line);
  f.failCapture = PETSC_FALSE;
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: after the failed captures the snapshot holds nothing to restore", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, dm), "holds no DM named \"callbacks\"", line);

  /* restore: the restore function fails on rank 1; everything else is restored, the error is everywhere */
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(Scribble(v, 9.0));
  f.value       = -1;
  f.failRestore = PETSC_TRUE;
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a restore function failing on rank 1 fails the restore on every rank with its message", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, dm), "restore function failed on purpose on rank 1", line);
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: ... and the other state was restored (as documented)", type));
  PetscCall(TestVecEqual(v, keep, line));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: ... and the failed state is restored on the ranks whose function succeeded", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(rank == 1 ? f.value == -1 : f.value == 1.5), line));
  f.failRestore = PETSC_FALSE;
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: the same restore, retried, succeeds everywhere", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(f.value == 1.5), line));

  /* an application's hook (PetscSnapshotRegisterDMHook) failing on rank 1 in each phase */
  PetscCall(Scribble(v, 7.0));
  hookFailCapture = PETSC_TRUE;
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a capture hook failing on rank 1 fails the capture on every rank with its message", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, dm), "capture hook failed on purpose on rank 1", line);
  hookFailCapture = PETSC_FALSE;
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: ... and changed nothing the snapshot held: the restore gives back the earlier capture", type));
  PetscCall(TestVecEqual(v, keep, line));
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(Scribble(v, 5.0));
  hookFailCheck = PETSC_TRUE;
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a check hook failing on rank 1 fails the restore on every rank with its message", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, dm), "check hook failed on purpose on rank 1", line);
  hookFailCheck = PETSC_FALSE;
  {
    PetscBool eq;
    PetscCall(VecBitwiseEqual(v, keep, &eq));
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s: ... and nothing was written", type));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)!eq, line));
  }
  hookFailRestore = PETSC_TRUE;
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a restore hook failing on rank 1 fails the restore on every rank with its message", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, dm), "restore hook failed on purpose on rank 1", line);
  hookFailRestore = PETSC_FALSE;
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: after the hook failures a restore succeeds", type));
  PetscCall(TestVecEqual(v, keep, line));

  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscSnapshotDMRemoveState(dm, "faulty"));
  PetscCall(PetscSnapshotDMRemoveState(dm, "field"));
  PetscCall(VecDestroy(&keep));
  PetscCall(VecDestroy(&v));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

/* Item 8: a declaration on rank 1 only, and a swarm field registered on rank 1 only, are refused collectively at capture. */
static PetscErrorCode TestAsymmetric(const char type[])
{
  DM            dm, sw;
  Vec           extra = NULL;
  PetscSnapshot snap;
  char          line[160];

  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 4, PETSC_FALSE, "lopsided", &dm));
  if (rank == 1) {
    PetscCall(VecCreateSeq(PETSC_COMM_SELF, 3, &extra));
    PetscCall(VecSet(extra, 1.0));
    PetscCall(PetscSnapshotDMAddState(dm, "only-on-rank-1", (PetscObject)extra));
  }
  PetscCall(MakeSnapshot(type, &snap));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a declaration on rank 1 only is refused at capture on every rank, naming it", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, dm), "rank 1 captures \"state/only-on-rank-1\"", line);
  if (rank == 1) PetscCall(PetscSnapshotDMRemoveState(dm, "only-on-rank-1"));
  PetscCall(VecDestroy(&extra));
  { /* a DM declared on rank 1 only (it would be a sub-DM captured by one rank) */
    DM self;
    PetscCall(DMDACreate1d(PETSC_COMM_SELF, DM_BOUNDARY_NONE, 8, 1, 1, NULL, &self));
    PetscCall(DMSetUp(self));
    PetscCall(PetscObjectSetName((PetscObject)self, "rank-local-grid"));
    if (rank == 1) PetscCall(PetscSnapshotDMAddState(dm, "self-dm", (PetscObject)self));
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a DM declared on rank 1 only is refused at capture on every rank, naming it", type));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, dm), "rank 1 captures \"state/self-dm\"", line);
    if (rank == 1) PetscCall(PetscSnapshotDMRemoveState(dm, "self-dm"));
    PetscCall(DMDestroy(&self));
  }
  { /* one key, another kind of object on rank 1 */
    Vec      a;
    IS       b;
    PetscInt idx[2] = {0, 1};
    PetscCall(VecCreateSeq(PETSC_COMM_SELF, 2, &a));
    PetscCall(ISCreateGeneral(PETSC_COMM_SELF, 2, idx, PETSC_COPY_VALUES, &b));
    PetscCall(PetscSnapshotDMAddState(dm, "mixed", rank == 1 ? (PetscObject)b : (PetscObject)a));
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a key holding a Vec on rank 0 and an IS on rank 1 is refused at capture, naming it", type));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, dm), "\"state/mixed\" (Vec of", line);
    PetscCall(PetscSnapshotDMRemoveState(dm, "mixed"));
    PetscCall(VecDestroy(&a));
    PetscCall(ISDestroy(&b));
  }
  PetscCall(PetscSnapshotCapture(snap, dm));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: once the declarations agree the capture succeeds", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, line));
  PetscCall(PetscSnapshotDestroy(&snap));

  PetscCall(PICSwarmCreate(dm, "lopsided-particles", &sw));
  PetscCall(DMSwarmRegisterPetscDatatypeField(sw, "velocity", 2, PETSC_REAL));
  if (rank == 1) PetscCall(DMSwarmRegisterPetscDatatypeField(sw, "extra", 1, PETSC_INT));
  PetscCall(PICSwarmPopulate(sw, dm, 2, 0.25));
  PetscCall(MakeSnapshot(type, &snap));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a swarm field registered on rank 1 only is refused at capture on every rank, naming it", type));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, sw), "rank 1 captures \"swarm/extra\"", line);
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(DMDestroy(&sw));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  const char *const types[] = {PETSCSNAPSHOTMEMORY, PETSCSNAPSHOTHDF5};
  int               code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCheck(size >= 2, PETSC_COMM_WORLD, PETSC_ERR_ARG_SIZ, "run on 2 or more ranks: the faults happen on rank 1");
  PetscCall(PetscSnapshotRegisterDMHook("faulty", DMPLEX, HookCapture, HookCheck, HookRestore, NULL));
  for (int t = 0; t < 2; t++) {
    PetscCall(TestKeys(types[t]));
    PetscCall(TestLongSubDMNames(types[t]));
    PetscCall(TestCallbacks(types[t]));
    PetscCall(TestAsymmetric(types[t]));
  }
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
