/* What the restart tests (test_hdf5_nm, test_hdf5_loaddm) declare and compare: the simulation of hdf5sim.h declared on
   its mesh, and a reference of its state that does not depend on the distribution (clock, struct, solution rows sorted
   by position, the particles' placement-free rows sorted by pid), written and read by rank 0. */
#ifndef PETSCSNAPSHOT_RESTART_REFERENCE_H
#define PETSCSNAPSHOT_RESTART_REFERENCE_H

#include "hdf5sim.h"
#include "state_fingerprint.h"

/* The fields of a particle that do not depend on where it lives (pid first); DMSwarm_rank and the cell-id field do. */
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

/* The state of s equals ref bitwise: clock, struct, solution rows (each vertex's coordinates and value, sorted by
   position), the global particle set; verdicts prefixed with what. */
static PetscErrorCode CheckRestored(const char what[], Sim *s, const Reference *ref)
{
  Reference   now;
  PetscBool   eq, unique;
  PetscMPIInt rank;
  char        msg[256];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(ReferenceGet(s, &now));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: TS clock and user struct as written", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(now.t == ref->t && now.step == ref->step && !memcmp(&now.counters, &ref->counters, sizeof(Counters))), msg));
  eq = PETSC_FALSE;
  if (rank == 0) eq = (PetscBool)(now.nsol == ref->nsol && !memcmp(now.sol, ref->sol, 3 * sizeof(double) * ref->nsol));
  PetscCallMPI(MPI_Bcast(&eq, 1, EXAMPLE_MPI_BOOL, 0, PETSC_COMM_WORLD));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: the solution at every vertex (sorted by position) equals the writer's, bitwise", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, msg));
  PetscCall(GlobalSetEqual(&now.particles, &ref->particles, &eq));
  PetscCall(GlobalSetUniqueIds(&now.particles, &unique));
  PetscCall(PetscSNPrintf(msg, sizeof(msg), "%s: the global particle set (sorted by pid, every field but rank and cell) equals the writer's, bitwise, none lost or duplicated", what));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(eq && unique && now.particles.N == ref->particles.N), msg));
  PetscCall(ReferenceFree(&now));
  PetscFunctionReturn(0);
}

#endif
