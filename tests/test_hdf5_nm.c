static const char help[] = "Restarts for every writer x reader rank count and partition. -mode write on N ranks (mesh partitioned\n"
                           "by -petscpartitioner_type, simple by default) writes a checkpoint of a heat solution, its TS, a struct\n"
                           "and a PIC swarm, a reference of that state in a form that does not depend on the distribution, and\n"
                           "the reference after two more steps. -mode read on M ranks, for each writer count N in 1..4: loads\n"
                           "the mesh from the file, restores, compares bitwise, checks particle placement and steps on; at N = M\n"
                           "also restores into a mesh it builds with the writer's partitioner (the continued run must equal the\n"
                           "writer's bitwise) and into one built with the other partitioner (refused, or exact). -sparse (write):\n"
                           "only the particles of one corner are kept, so that most reader ranks receive none. -writers a,b,... (read):\n"
                           "the files of these writer counts only.\n";

#include <petscsf.h>
#include "heatutil.h"
#include "swarmutil.h"
#include "restart_reference.h"

/* The writer's objects on a mesh it builds; populated particles. */
static PetscErrorCode SimCreate(Sim *s)
{
  PetscFunctionBeginUser;
  PetscCall(HeatCreate(PETSC_COMM_WORLD, 6, 0.01, &s->heat));
  PetscCall(PetscSnapshotDMRemoveState(s->heat.dm, "solution"));
  PetscCall(CreateSwarm(s->heat.dm, 2, SWARM_STANDARD, &s->sw));
  PetscCall(PetscMemzero(&s->counters, sizeof(s->counters))); /* padding too: replicated state must be alike bytewise */
  s->counters.nsolves = 0;
  s->counters.last    = 0;
  PetscCall(Declare(s));
  PetscFunctionReturn(0);
}

/* The reader's objects: the same discretization on a given mesh, an empty swarm with the same fields. */
static PetscErrorCode SimCreateOn(DM mesh, Sim *s)
{
  PetscFunctionBeginUser;
  s->heat.dm = mesh;
  PetscCall(HeatProblemSetUp(mesh, 0.01, &s->heat.ts, &s->heat.u));
  PetscCall(CreateSwarm(mesh, 1, SWARM_STANDARD, &s->sw)); /* other particles than the writer's: the restore replaces them */
  PetscCall(PetscMemzero(&s->counters, sizeof(s->counters)));
  s->counters.nsolves = -1;
  s->counters.last    = -1;
  PetscCall(Declare(s));
  PetscFunctionReturn(0);
}

/* The partitioner of this run (-petscpartitioner_type, simple by default) and the other one of the matrix. */
static PetscBool noPTScotch = PETSC_FALSE; /* -no_ptscotch: PETSc's PT-Scotch does not work here (configure's probe) */

static PetscErrorCode Partitioners(char mine[], size_t len, const char **other)
{
  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-no_ptscotch", &noPTScotch, NULL));
  PetscCall(PetscStrncpy(mine, PETSCPARTITIONERSIMPLE, len));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-petscpartitioner_type", mine, len, NULL));
  *other = strcmp(mine, PETSCPARTITIONERSIMPLE) ? PETSCPARTITIONERSIMPLE : PETSCPARTITIONERPTSCOTCH;
  PetscFunctionReturn(0);
}

/* nm-<partitioner>-w<writers>-<what> */
static void FileName(char buf[], size_t len, const char part[], PetscMPIInt writers, const char what[])
{
  snprintf(buf, len, "nm-%s-w%d-%s", part, (int)writers, what);
}

/* Every particle is where its cell is, and the cell sort works (what a PIC step needs after a restart). */
static PetscErrorCode SimStepsSorted(Sim *s, PetscInt k)
{
  PetscFunctionBeginUser;
  PetscCall(SimSteps(s, k));
  PetscCall(DMSwarmSortGetAccess(s->sw));
  PetscCall(DMSwarmSortRestoreAccess(s->sw));
  PetscFunctionReturn(0);
}

/* -sparse: keep only the particles in the corner [0, 1/4]^2 of the unit square, so that most ranks of a reader hold
   none after the restore (a rank with no particle to place must still take part in every collective call). */
static PetscErrorCode KeepCorner(DM sw)
{
  PetscInt   n, bs;
  PetscReal *x;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  for (PetscInt p = n - 1; p >= 0; p--) {
    PetscBool keep;

    PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, &bs, NULL, (void **)&x));
    keep = (PetscBool)(x[p * bs] < 0.25 && x[p * bs + 1] < 0.25);
    PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, &bs, NULL, (void **)&x));
    if (!keep) PetscCall(DMSwarmRemovePointAtIndex(sw, p));
  }
  PetscFunctionReturn(0);
}

/* Writer on N ranks: 2 steps (particles move and migrate), then the checkpoint and the reference, then the reference
   after 2 more steps; a second file with a struct that differs from rank to rank. */
static PetscErrorCode Write(void)
{
  Sim           s;
  PetscSnapshot ckpt, rankwise;
  Reference     ref, cont;
  PetscMPIInt   rank, size;
  char          part[64], file[PETSC_MAX_PATH_LEN];
  const char   *other;
  PetscBool     sparse = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-sparse", &sparse, NULL));
  PetscCall(Partitioners(part, sizeof(part), &other));
  PetscCall(SimCreate(&s));
  PetscCall(SimSteps(&s, 2));
  if (sparse) PetscCall(KeepCorner(s.sw));
  FileName(file, sizeof(file), part, size, "ckpt.h5");
  PetscCall(HDF5Snapshot(file, &ckpt));
  PetscCall(PetscSnapshotCapture(ckpt, s.heat.dm));
  PetscCall(ReferenceGet(&s, &ref));
  FileName(file, sizeof(file), part, size, "reference.bin");
  PetscCall(ReferenceSave(&ref, file));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(ref.particles.N > 0 && ref.nsol > 0), "writer: checkpoint and distribution-free reference written"));
  PetscCall(PetscSnapshotDMAddStateBytes(s.heat.dm, "rank", &rank, sizeof(rank), 1));
  FileName(file, sizeof(file), part, size, "rankwise.h5");
  PetscCall(HDF5Snapshot(file, &rankwise));
  PetscCall(PetscSnapshotCapture(rankwise, s.heat.dm));
  PetscCall(PetscSnapshotDMRemoveState(s.heat.dm, "rank"));
  PetscCall(SimStepsSorted(&s, 2));
  PetscCall(ReferenceGet(&s, &cont));
  FileName(file, sizeof(file), part, size, "continued.bin");
  PetscCall(ReferenceSave(&cont, file));
  PetscCall(ReferenceFree(&cont));
  PetscCall(ReferenceFree(&ref));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(PetscSnapshotDestroy(&rankwise));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* Restore the file written with a struct that differed from rank to rank (the writer's rank) into dm, at the writer's
   rank count. Into a DM whose points are the writer's rank by rank (the checkpoint restored without redistribution),
   each rank gets its own writer rank's value. Into a mesh partitioned otherwise (PetscSnapshotHDF5LoadDM(): PETSc's
   loader partitions it), the restore goes through the file's point map like one at another rank count, and the struct
   is refused, naming it, with nothing written. */
static PetscErrorCode RestoreRankwise(const char part[], DM dm, PetscBool refused, const char what[])
{
  PetscSnapshot    rankwise;
  PetscMPIInt      rank, size, mark = -1;
  PetscErrorCode   ierr;
  char             file[PETSC_MAX_PATH_LEN], msg[256];
  const char      *text;
  ExampleErrorText specific = NULL;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSnapshotDMAddStateBytes(dm, "rank", &mark, sizeof(mark), 1));
  FileName(file, sizeof(file), part, size, "rankwise.h5");
  PetscCall(HDF5Snapshot(file, &rankwise));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = PetscSnapshotRestore(rankwise, dm);
  PetscCall(PetscPopErrorHandler());
  if (ierr) PetscCall(PetscErrorMessage(ierr, &text, &specific));
  if (refused) {
    PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: per-rank user state at the writer's rank count refused as at another rank count, left untouched", what));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(ierr && specific && strstr(specific, "\"rank\" differed between the") && strstr(specific, "(another rank count or partition)") && mark == -1), msg));
  } else {
    PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: per-rank user state restored, each rank its writer rank's value", what));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(!ierr && mark == rank), msg));
  }
  PetscCall(PetscSnapshotDMRemoveState(dm, "rank"));
  PetscCall(PetscSnapshotDestroy(&rankwise));
  PetscFunctionReturn(0);
}

/* At the writer's rank count, restore into a mesh built here with partitioner `with` (the writer used `part`): either
   refused, naming the partition, with nothing written, or every value restored on its point, the particles placed,
   and the continued run equal to the writer's bitwise. The simple partitioner is deterministic: when both used it,
   the partition is the writer's and the restore must go through. PT-Scotch need not give the same partition twice.
   Restored, the mesh also restores the struct that differed from rank to rank. */
static PetscErrorCode SameCountSelfBuilt(PetscSnapshot ckpt, const char part[], const char with[], const Reference *ref, const Reference *cont)
{
  Sim            mine;
  Vec            keep;
  PetscErrorCode ierr;
  PetscBool      untouched, placed;
  PetscMPIInt    size;
  char           what[256];
  PetscBool      deterministic = (PetscBool)(!strcmp(part, PETSCPARTITIONERSIMPLE) && !strcmp(with, PETSCPARTITIONERSIMPLE));

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsSetValue(NULL, "-petscpartitioner_type", with));
  PetscCall(SimCreate(&mine));
  PetscCall(PetscOptionsSetValue(NULL, "-petscpartitioner_type", part));
  PetscCall(VecDuplicate(mine.heat.u, &keep));
  PetscCall(VecCopy(mine.heat.u, keep));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = PetscSnapshotRestore(ckpt, mine.heat.dm);
  PetscCall(PetscPopErrorHandler());
  if (ierr) {
    const char      *text;
    ExampleErrorText specific;
    PetscCall(PetscErrorMessage(ierr, &text, &specific));
    PetscCall(VecBitwiseEqual(mine.heat.u, keep, &untouched));
    PetscCall(PetscSNPrintf(what, sizeof(what), "self-built mesh, partitioner %s: refused, naming the partition, nothing written", with));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(untouched && specific && strstr(specific, "partition") && !(deterministic)), what));
  } else {
    PetscCall(PetscSNPrintf(what, sizeof(what), "self-built mesh, partitioner %s (partitioned as the writer's): restored", with));
    PetscCall(CheckRestored(what, &mine, ref));
    PetscCall(SwarmPlaced(mine.sw, mine.heat.dm, &placed));
    PetscCall(PetscSNPrintf(what, sizeof(what), "self-built mesh, partitioner %s: every particle on the rank owning its cell, with that cell in its cell field", with));
    PetscCall(TestCheck(PETSC_COMM_WORLD, placed, what));
    PetscCall(SimStepsSorted(&mine, 2));
    PetscCall(PetscSNPrintf(what, sizeof(what), "self-built mesh, partitioner %s, 2 more steps: the continued run", with));
    PetscCall(CheckRestored(what, &mine, cont));
    PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
    PetscCall(PetscSNPrintf(what, sizeof(what), "self-built mesh, partitioner %s", with));
    if (size > 1) PetscCall(RestoreRankwise(part, mine.heat.dm, PETSC_FALSE, what));
  }
  PetscCall(VecDestroy(&keep));
  PetscCall(SimDestroy(&mine));
  PetscFunctionReturn(0);
}

/* Reader on M ranks, of the file written on N ranks with the same partitioner. */
static PetscErrorCode ReadOne(PetscMPIInt writers)
{
  PetscSnapshot ckpt, rankwise;
  Sim           s;
  DM            mesh;
  Reference     ref, cont;
  PetscBool     placed;
  PetscMPIInt   rank, size;
  char          part[64], file[PETSC_MAX_PATH_LEN], what[128];
  const char   *other;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(Partitioners(part, sizeof(part), &other));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "-- written on %d ranks, read on %d, partitioner %s\n", (int)writers, (int)size, part));
  FileName(file, sizeof(file), part, writers, "reference.bin");
  PetscCall(ReferenceLoad(&ref, file));
  FileName(file, sizeof(file), part, writers, "continued.bin");
  PetscCall(ReferenceLoad(&cont, file));
  FileName(file, sizeof(file), part, writers, "ckpt.h5");
  PetscCall(HDF5Snapshot(file, &ckpt));

  if (writers != size) { /* a mesh the program builds itself cannot be matched to the file's: refused, untouched */
    Sim mine;
    Vec keep;
    PetscCall(SimCreate(&mine));
    PetscCall(VecDuplicate(mine.heat.u, &keep));
    PetscCall(VecCopy(mine.heat.u, keep));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(ckpt, mine.heat.dm), "PetscSnapshotHDF5LoadDM", "self-built mesh at another rank count: refused, pointing to PetscSnapshotHDF5LoadDM()");
    PetscCall(TestVecEqual(mine.heat.u, keep, "self-built mesh at another rank count: the refused restore wrote nothing"));
    PetscCall(VecDestroy(&keep));
    PetscCall(SimDestroy(&mine));
  } else { /* at the same count, into a mesh built here: with the writer's partitioner and with the other one */
    PetscCall(SameCountSelfBuilt(ckpt, part, part, &ref, &cont));
    if (size > 1 && !(noPTScotch && !strcmp(other, PETSCPARTITIONERPTSCOTCH))) PetscCall(SameCountSelfBuilt(ckpt, part, other, &ref, &cont));
  }

  /* the mesh from the file, partitioned by this run's partitioner: always restored, every value on its point */
  PetscCall(PetscSnapshotHDF5LoadDM(ckpt, "mesh", &mesh));
  PetscCall(SimCreateOn(mesh, &s));
  PetscCall(PetscSnapshotRestore(ckpt, s.heat.dm));
  PetscCall(CheckRestored("mesh loaded from the file", &s, &ref));
  PetscCall(SwarmPlaced(s.sw, mesh, &placed));
  PetscCall(TestCheck(PETSC_COMM_WORLD, placed, "mesh loaded from the file: every particle on the rank owning its cell, with that cell in its cell field"));
  PetscCall(SimStepsSorted(&s, 2));
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "mesh loaded from the file: the restored simulation steps on (migrate, cell sort)"));

  if (writers == size && size > 1) PetscCall(RestoreRankwise(part, s.heat.dm, PETSC_TRUE, "mesh loaded from the file at the writer's rank count"));
  if (writers != size && writers > 1) { /* a struct that differed between the writer's ranks has no value here: refused, naming it */
    PetscInt mark = 7;
    PetscCall(PetscSnapshotDMAddStateBytes(s.heat.dm, "rank", &mark, sizeof(mark), 1));
    FileName(file, sizeof(file), part, writers, "rankwise.h5");
    PetscCall(HDF5Snapshot(file, &rankwise));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(rankwise, s.heat.dm), "differed between the", "per-rank user state at another rank count is refused");
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(mark == 7), "... and left untouched"));
    PetscCall(PetscSnapshotDMRemoveState(s.heat.dm, "rank"));
    PetscCall(PetscSnapshotDestroy(&rankwise));
  }
  PetscCall(ReferenceFree(&ref));
  PetscCall(ReferenceFree(&cont));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* the files written on 1 to 4 ranks, or those of -writers a,b,... */
static PetscErrorCode Read(void)
{
  PetscInt  writers[4] = {1, 2, 3, 4}, n = 4;
  PetscBool set;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-writers", writers, &n, &set));
  if (!set) n = 4;
  for (PetscInt i = 0; i < n; i++) PetscCall(ReadOne((PetscMPIInt)writers[i]));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char mode[16] = "write";
  int  code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  if (!strcmp(mode, "write")) PetscCall(Write());
  else PetscCall(Read());
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
