static const char help[] = "The hdf5 snapshot type at another rank count: -mode write on N ranks writes a checkpoint of a heat\n"
                           "solution, its TS, a struct and a PIC swarm, with a reference of the state in a form that does not\n"
                           "depend on the distribution; -mode read on M ranks loads the mesh from the file, builds the same\n"
                           "objects, restores, and compares with the reference bitwise.\n";

#include <petscsf.h>
#include "heatutil.h"
#include "swarmutil.h"
#include "hdf5sim.h"
#include "state_fingerprint.h"

/* The fields of a particle that do not depend on where it lives (pid first); DMSwarm_rank and DMSwarm_cellid do. */
static const char *const placementFree[] = {DMSwarmField_pid, DMSwarmPICField_coor, "velocity", "tag", "flags", "serial", "info"};
#define NPLACEMENTFREE 7

static PetscErrorCode Declare(Sim *s)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotDMAddState(s->heat.dm, "solution", (PetscObject)s->heat.u));
  PetscCall(PetscSnapshotDMAddState(s->heat.dm, "ts", (PetscObject)s->heat.ts));
  PetscCall(PetscSnapshotDMAddState(s->heat.dm, "particles", (PetscObject)s->sw));
  PetscCall(PetscSnapshotDMAddStateBytes(s->heat.dm, "counters", &s->counters, sizeof(s->counters), 1));
  PetscFunctionReturn(0);
}

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

/* The reference: clock, struct, solution rows and the particles' placement-free rows (rank 0 writes, reads). */
typedef struct {
  PetscReal t;
  PetscInt  step;
  Counters  counters;
  PetscInt  nsol;
  double   *sol;
  GlobalSet particles;
} Reference;

static PetscErrorCode ReferenceGet(Sim *s, Reference *ref)
{
  PetscFunctionBeginUser;
  PetscCall(TSGetTime(s->heat.ts, &ref->t));
  PetscCall(TSGetStepNumber(s->heat.ts, &ref->step));
  ref->counters = s->counters;
  PetscCall(SolutionRows(s->heat.dm, s->heat.u, &ref->nsol, &ref->sol));
  PetscCall(GlobalSetGetFields(s->sw, placementFree, NPLACEMENTFREE, &ref->particles));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReferenceFree(Reference *ref)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(ref->sol));
  PetscCall(GlobalSetFree(&ref->particles));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReferenceSave(const Reference *ref, const char file[])
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    FILE *f = fopen(file, "wb");
    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", file);
    fwrite(ref, sizeof(*ref), 1, f);
    fwrite(ref->sol, sizeof(double), 3 * ref->nsol, f);
    fwrite(ref->particles.rows, ref->particles.row, ref->particles.N, f);
    fclose(f);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReferenceLoad(Reference *ref, const char file[])
{
  PetscMPIInt rank;
  PetscBool   ok = PETSC_TRUE;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscMemzero(ref, sizeof(*ref)));
  if (rank == 0) {
    FILE *f = fopen(file, "rb");
    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot read %s", file);
    ok = (PetscBool)(fread(ref, sizeof(*ref), 1, f) == 1);
    PetscCall(PetscMalloc1(3 * ref->nsol, &ref->sol));
    PetscCall(PetscMalloc(ref->particles.row * ref->particles.N + 1, &ref->particles.rows));
    ok = (PetscBool)(ok && fread(ref->sol, sizeof(double), 3 * ref->nsol, f) == (size_t)(3 * ref->nsol));
    ok = (PetscBool)(ok && fread(ref->particles.rows, ref->particles.row, ref->particles.N, f) == (size_t)ref->particles.N);
    fclose(f);
  }
  PetscCheck(ok, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "short reference file %s", file);
  PetscCallMPI(MPI_Bcast(ref, sizeof(*ref), MPI_BYTE, 0, PETSC_COMM_WORLD));
  if (rank != 0) {
    ref->sol            = NULL;
    ref->particles.rows = NULL;
  }
  PetscFunctionReturn(0);
}

/* Every particle is in a cell this rank owns, and its cell field says which. */
static PetscErrorCode ParticlesPlaced(DM sw, DM mesh, PetscBool *placed)
{
  PetscInt           n, dim, cStart, cEnd, nfound;
  PetscReal         *x;
  PetscInt          *cellid;
  Vec                pos;
  PetscSF            located = NULL; /* DMLocatePoints() takes a non-NULL SF as guesses */
  const PetscSFNode *cells;

  PetscFunctionBeginUser;
  *placed = PETSC_TRUE;
  PetscCall(DMGetDimension(mesh, &dim));
  PetscCall(DMPlexGetHeightStratum(mesh, 0, &cStart, &cEnd));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_cellid, NULL, NULL, (void **)&cellid));
  PetscCall(VecCreateSeqWithArray(PETSC_COMM_SELF, dim, n * dim, x, &pos));
  PetscCall(DMLocatePoints(mesh, pos, DM_POINTLOCATION_NONE, &located));
  PetscCall(PetscSFGetGraph(located, NULL, &nfound, NULL, &cells));
  for (PetscInt p = 0; p < n; p++) *placed = (PetscBool)(*placed && cells[p].index >= cStart && cells[p].index < cEnd && cellid[p] == cells[p].index);
  PetscCall(PetscSFDestroy(&located));
  PetscCall(VecDestroy(&pos));
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_cellid, NULL, NULL, (void **)&cellid));
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, placed, 1, MPIU_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* Writer on N ranks: 2 steps (particles move and migrate), then the checkpoint and the reference; a second file with
   a struct that differs from rank to rank. */
static PetscErrorCode Write(void)
{
  Sim           s;
  PetscSnapshot ckpt, rankwise;
  Reference     ref;
  PetscMPIInt   rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(SimCreate(&s));
  PetscCall(SimSteps(&s, 2));
  PetscCall(HDF5Snapshot("nm-ckpt.h5", &ckpt));
  PetscCall(PetscSnapshotCapture(ckpt, s.heat.dm));
  PetscCall(ReferenceGet(&s, &ref));
  PetscCall(ReferenceSave(&ref, "nm-reference.bin"));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(ref.particles.N > 0 && ref.nsol > 0), "writer: checkpoint and distribution-free reference written"));
  PetscCall(PetscSnapshotDMAddStateBytes(s.heat.dm, "rank", &rank, sizeof(rank), 1));
  PetscCall(HDF5Snapshot("nm-rankwise.h5", &rankwise));
  PetscCall(PetscSnapshotCapture(rankwise, s.heat.dm));
  PetscCall(PetscSnapshotDMRemoveState(s.heat.dm, "rank"));
  PetscCall(ReferenceFree(&ref));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(PetscSnapshotDestroy(&rankwise));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* Reader on M ranks. */
static PetscErrorCode Read(void)
{
  PetscSnapshot ckpt, rankwise;
  Sim           s;
  DM            mesh;
  Reference     ref, now;
  PetscBool     eq, unique, placed;
  PetscMPIInt   rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(ReferenceLoad(&ref, "nm-reference.bin"));
  PetscCall(HDF5Snapshot("nm-ckpt.h5", &ckpt));

  { /* a mesh the program builds itself cannot be matched to the file's at another rank count: refused, untouched */
    Sim mine;
    Vec keep;
    PetscCall(SimCreate(&mine));
    PetscCall(VecDuplicate(mine.heat.u, &keep));
    PetscCall(VecCopy(mine.heat.u, keep));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(ckpt, mine.heat.dm), "PetscSnapshotHDF5LoadDM", "reader: a self-built mesh at another rank count is refused, pointing to PetscSnapshotHDF5LoadDM()");
    PetscCall(TestVecEqual(mine.heat.u, keep, "reader: the refused restore wrote nothing"));
    PetscCall(VecDestroy(&keep));
    PetscCall(SimDestroy(&mine));
  }

  PetscCall(PetscSnapshotHDF5LoadDM(ckpt, "mesh", &mesh));
  PetscCall(SimCreateOn(mesh, &s));
  PetscCall(PetscSnapshotRestore(ckpt, s.heat.dm));
  PetscCall(ReferenceGet(&s, &now));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(now.t == ref.t && now.step == ref.step && !memcmp(&now.counters, &ref.counters, sizeof(Counters))), "reader: TS clock and user struct as written"));
  eq = PETSC_FALSE;
  if (rank == 0) eq = (PetscBool)(now.nsol == ref.nsol && !memcmp(now.sol, ref.sol, 3 * sizeof(double) * ref.nsol));
  PetscCallMPI(MPI_Bcast(&eq, 1, MPIU_BOOL, 0, PETSC_COMM_WORLD));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "reader: the solution at every vertex (sorted by position) equals the writer's, bitwise"));
  PetscCall(GlobalSetEqual(&now.particles, &ref.particles, &eq));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "reader: the global particle set (sorted by pid, every field but rank and cell) equals the writer's, bitwise"));
  PetscCall(GlobalSetUniqueIds(&now.particles, &unique));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(unique && now.particles.N == ref.particles.N), "reader: no particle lost or duplicated"));
  PetscCall(ParticlesPlaced(s.sw, mesh, &placed));
  PetscCall(TestCheck(PETSC_COMM_WORLD, placed, "reader: every particle is on the rank owning its cell, with that cell in its cell field"));
  {
    PetscInt n;
    PetscCall(DMSwarmGetLocalSize(s.sw, &n));
    PetscCall(PetscSynchronizedPrintf(PETSC_COMM_WORLD, "  rank %d holds %" PetscInt_FMT " particles\n", rank, n));
    PetscCall(PetscSynchronizedFlush(PETSC_COMM_WORLD, PETSC_STDOUT));
  }
  PetscCall(SimSteps(&s, 1));
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "reader: the restored simulation steps on"));
  PetscCall(ReferenceFree(&now));

  { /* a struct that differed between the writer's ranks has no value here: refused, naming it */
    PetscInt mark = 7;
    PetscCall(PetscSnapshotDMAddStateBytes(s.heat.dm, "rank", &mark, sizeof(mark), 1));
    PetscCall(HDF5Snapshot("nm-rankwise.h5", &rankwise));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(rankwise, s.heat.dm), "differed between the", "reader: per-rank user state at another rank count is refused");
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(mark == 7), "reader: ... and left untouched"));
    PetscCall(PetscSnapshotDMRemoveState(s.heat.dm, "rank"));
    PetscCall(PetscSnapshotDestroy(&rankwise));
  }
  PetscCall(ReferenceFree(&ref));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(SimDestroy(&s));
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
