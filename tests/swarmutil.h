/* Swarm helpers of the tests: a PIC swarm on a DMPlex with fields of every kind, fingerprints of its population
   (per rank, and global sorted by particle id), and advection by a velocity field defined on the mesh. */
#ifndef PETSCSNAPSHOT_SWARMUTIL_H
#define PETSCSNAPSHOT_SWARMUTIL_H

#include <petscdmswarm.h>
#include "testutil.h"
#include "meshutil.h"
#include "pic_problem.h"

typedef struct {
  double a;
  int    b;
  char   c[4];
} UserInfo;

/* The fields every test swarm has, pid first (global fingerprints sort on it). */
/* SWARM_CELLID stands for the swarm's cell-id field, whose name depends on the PETSc version (example_compat.h). */
#define SWARM_CELLID "DMSwarm_cellid"
static const char *const swarmFields[] = {DMSwarmField_pid, DMSwarmPICField_coor, DMSwarmField_rank, SWARM_CELLID, "velocity", "tag", "flags", "serial", "info"};
#define NSWARMFIELDS 9

/* The registered name of a field of swarmFields[] */
static PetscErrorCode FieldName(DM sw, const char name[], const char **real)
{
  PetscFunctionBeginUser;
  *real = name;
  if (!strcmp(name, SWARM_CELLID)) PetscCall(ExampleSwarmCellIdField(sw, real));
  PetscFunctionReturn(0);
}

static PetscErrorCode GetField(DM sw, const char name[], void *data)
{
  const char *real;

  PetscFunctionBeginUser;
  PetscCall(FieldName(sw, name, &real));
  PetscCall(DMSwarmGetField(sw, real, NULL, NULL, (void **)data));
  PetscFunctionReturn(0);
}

static PetscErrorCode RestoreField(DM sw, const char name[], void *data)
{
  const char *real;

  PetscFunctionBeginUser;
  PetscCall(FieldName(sw, name, &real));
  PetscCall(DMSwarmRestoreField(sw, real, NULL, NULL, (void **)data));
  PetscFunctionReturn(0);
}

/* Variants of the field set, for refusal tests */
typedef enum {
  SWARM_STANDARD,
  SWARM_EXTRA_FIELD,  /* one more field */
  SWARM_MISSING_FIELD, /* no "serial" */
  SWARM_TAG_AS_REAL,  /* "tag" is PETSC_REAL */
  SWARM_VELOCITY_BS3  /* "velocity" has block size 3 */
} SwarmVariant;

static PetscErrorCode FieldBytes(DM sw, const char name[], size_t *bytes)
{
  PetscInt      bs;
  PetscDataType type;
  size_t        tsize;
  void         *data;

  PetscFunctionBeginUser;
  if (!strcmp(name, "info")) {
    *bytes = sizeof(UserInfo);
    PetscFunctionReturn(0);
  }
  PetscCall(FieldName(sw, name, &name));
  PetscCall(DMSwarmGetField(sw, name, &bs, &type, &data));
  PetscCall(DMSwarmRestoreField(sw, name, &bs, &type, &data));
  PetscCall(PetscDataTypeGetSize(type, &tsize));
  *bytes = tsize * bs;
  PetscFunctionReturn(0);
}

/* Give every particle recognisable values in every user field, from its pid and a seed. */
static PetscErrorCode SwarmFill(DM sw, PetscInt seed)
{
  PetscInt   n;
  PetscInt64 *pid;
  PetscReal  *vel;
  PetscInt   *tag;
  char       *flags;
  PetscInt64 *serial;
  UserInfo   *info;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, "DMSwarm_pid", NULL, NULL, (void **)&pid));
  PetscCall(DMSwarmGetField(sw, "velocity", NULL, NULL, (void **)&vel));
  PetscCall(DMSwarmGetField(sw, "tag", NULL, NULL, (void **)&tag));
  PetscCall(DMSwarmGetField(sw, "flags", NULL, NULL, (void **)&flags));
  PetscCall(DMSwarmGetField(sw, "serial", NULL, NULL, (void **)&serial));
  PetscCall(DMSwarmGetField(sw, "info", NULL, NULL, (void **)&info));
  for (PetscInt p = 0; p < n; p++) {
    vel[2 * p]     = 0.001 * (double)pid[p] + seed;
    vel[2 * p + 1] = -0.5 * (double)pid[p] / 7.0;
    tag[p]         = (PetscInt)(pid[p] % 97) + seed;
    for (int k = 0; k < 3; k++) flags[3 * p + k] = (char)('a' + (pid[p] + k + seed) % 26);
    serial[p] = 1000000007LL * pid[p] + seed;
    PetscCall(PetscMemzero(&info[p], sizeof(UserInfo)));
    info[p].a = 1.0 / (1.0 + (double)pid[p]) + seed;
    info[p].b = (int)pid[p] * 3 + (int)seed;
    info[p].c[0] = 'x';
  }
  PetscCall(DMSwarmRestoreField(sw, "info", NULL, NULL, (void **)&info));
  PetscCall(DMSwarmRestoreField(sw, "serial", NULL, NULL, (void **)&serial));
  PetscCall(DMSwarmRestoreField(sw, "flags", NULL, NULL, (void **)&flags));
  PetscCall(DMSwarmRestoreField(sw, "tag", NULL, NULL, (void **)&tag));
  PetscCall(DMSwarmRestoreField(sw, "velocity", NULL, NULL, (void **)&vel));
  PetscCall(DMSwarmRestoreField(sw, "DMSwarm_pid", NULL, NULL, (void **)&pid));
  PetscFunctionReturn(0);
}

/* A PIC swarm named "particles" on mesh, ppc x ppc particles per cell, unique pids. */
static PetscErrorCode CreateSwarm(DM mesh, PetscInt ppc, SwarmVariant variant, DM *sw)
{
  MPI_Comm   comm = PetscObjectComm((PetscObject)mesh);
  PetscFunctionBeginUser;
  PetscCall(PICSwarmCreate(mesh, "particles", sw));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "velocity", variant == SWARM_VELOCITY_BS3 ? 3 : 2, PETSC_REAL));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "tag", 1, variant == SWARM_TAG_AS_REAL ? PETSC_REAL : PETSC_INT));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "flags", 3, PETSC_CHAR));
  if (variant != SWARM_MISSING_FIELD) PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "serial", 1, PETSC_INT64));
  PetscCall(DMSwarmRegisterUserStructField(*sw, "info", sizeof(UserInfo)));
  if (variant == SWARM_EXTRA_FIELD) PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "extra", 1, PETSC_REAL));
  {
    PetscInt cStart, cEnd, nc;
    PetscCall(DMPlexGetHeightStratum(mesh, 0, &cStart, &cEnd));
    nc = cEnd - cStart;
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &nc, 1, MPIU_INT, MPI_SUM, comm));
    PetscCall(PICSwarmPopulate(*sw, mesh, ppc, 1.0 / PetscSqrtReal((PetscReal)nc)));
  }
  if (variant == SWARM_STANDARD) PetscCall(SwarmFill(*sw, 0));
  PetscFunctionReturn(0);
}

/* A swarm like CreateSwarm()'s (same name, fields and cell DM), registration finalized or not, no local sizes. */
static PetscErrorCode CreateUnsizedSwarm(DM mesh, PetscBool finalize, DM *sw)
{
  PetscFunctionBeginUser;
  PetscCall(PICSwarmCreate(mesh, "particles", sw));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "velocity", 2, PETSC_REAL));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "tag", 1, PETSC_INT));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "flags", 3, PETSC_CHAR));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "serial", 1, PETSC_INT64));
  PetscCall(DMSwarmRegisterUserStructField(*sw, "info", sizeof(UserInfo)));
  if (finalize) PetscCall(DMSwarmFinalizeFieldRegister(*sw));
  PetscFunctionReturn(0);
}

/* Rank-local population: every field's bytes, field after field. */
typedef struct {
  PetscInt n;
  size_t   size;
  char    *bytes;
} Population;

static PetscErrorCode PopulationGet(DM sw, Population *pop)
{
  size_t off = 0;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &pop->n));
  pop->size = 0;
  for (int f = 0; f < NSWARMFIELDS; f++) {
    size_t b;
    PetscCall(FieldBytes(sw, swarmFields[f], &b));
    pop->size += b * pop->n;
  }
  PetscCall(PetscMalloc(pop->size + 1, &pop->bytes));
  for (int f = 0; f < NSWARMFIELDS; f++) {
    size_t b;
    void  *data;
    PetscCall(FieldBytes(sw, swarmFields[f], &b));
    PetscCall(GetField(sw, swarmFields[f], &data));
    if (pop->n) PetscCall(PetscMemcpy(pop->bytes + off, data, b * pop->n));
    PetscCall(RestoreField(sw, swarmFields[f], &data));
    off += b * pop->n;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode PopulationFree(Population *pop)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(pop->bytes));
  PetscFunctionReturn(0);
}

/* Same particles, same order, every byte equal, on every rank. */
static PetscErrorCode PopulationEqual(const Population *a, const Population *b, PetscBool *equal)
{
  PetscFunctionBeginUser;
  *equal = (a->n == b->n && a->size == b->size && !memcmp(a->bytes, b->bytes, a->size)) ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, equal, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* The global particle set: one row per particle (every field's bytes, pid first), gathered on rank 0, sorted by pid. */
typedef struct {
  PetscInt N;
  size_t   row;
  char    *rows; /* rank 0 only */
} GlobalSet;

static size_t globalRowSize;
static int    CompareRows(const void *a, const void *b)
{
  PetscInt64 pa, pb;
  memcpy(&pa, a, sizeof(pa));
  memcpy(&pb, b, sizeof(pb));
  if (pa != pb) return pa < pb ? -1 : 1;
  return memcmp(a, b, globalRowSize);
}

/* The global set of particles over some fields (the first must be the pid): rows sorted by pid, on rank 0. */
static PetscErrorCode GlobalSetGetFields(DM sw, const char *const names[], int nfields, GlobalSet *set);

static PetscErrorCode GlobalSetGet(DM sw, GlobalSet *set)
{
  return GlobalSetGetFields(sw, swarmFields, NSWARMFIELDS, set);
}

static PetscErrorCode GlobalSetGetFields(DM sw, const char *const names[], int nfields, GlobalSet *set)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)sw);
  PetscMPIInt size, rank, mine;
  PetscMPIInt *counts = NULL, *displs = NULL;
  size_t      fb[16], off = 0;
  PetscInt    n;
  char       *local;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  set->row = 0;
  for (int f = 0; f < nfields; f++) {
    PetscCall(FieldBytes(sw, names[f], &fb[f]));
    set->row += fb[f];
  }
  PetscCall(PetscMalloc(set->row * n + 1, &local));
  for (int f = 0; f < nfields; f++) {
    char *data;
    PetscCall(GetField(sw, names[f], &data));
    for (PetscInt p = 0; p < n; p++) PetscCall(PetscMemcpy(local + p * set->row + off, data + p * fb[f], fb[f]));
    PetscCall(RestoreField(sw, names[f], &data));
    off += fb[f];
  }
  PetscCall(DMSwarmGetSize(sw, &set->N));
  mine = (PetscMPIInt)(n * set->row);
  set->rows = NULL;
  if (rank == 0) {
    PetscCall(PetscMalloc2(size, &counts, size, &displs));
    PetscCall(PetscMalloc(set->row * set->N + 1, &set->rows));
  }
  PetscCallMPI(MPI_Gather(&mine, 1, MPI_INT, counts, 1, MPI_INT, 0, comm));
  if (rank == 0) {
    displs[0] = 0;
    for (int r = 1; r < size; r++) displs[r] = displs[r - 1] + counts[r - 1];
  }
  PetscCallMPI(MPI_Gatherv(local, mine, MPI_BYTE, set->rows, counts, displs, MPI_BYTE, 0, comm));
  if (rank == 0) {
    globalRowSize = set->row;
    qsort(set->rows, set->N, set->row, CompareRows);
    PetscCall(PetscFree2(counts, displs));
  }
  PetscCall(PetscFree(local));
  PetscFunctionReturn(0);
}

static PetscErrorCode GlobalSetFree(GlobalSet *set)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(set->rows));
  PetscFunctionReturn(0);
}

/* Same global set of particles (as rows sorted by pid), every byte equal; decided on rank 0, known everywhere. */
static PetscErrorCode GlobalSetEqual(const GlobalSet *a, const GlobalSet *b, PetscBool *equal)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  *equal = PETSC_FALSE;
  if (rank == 0) *equal = (a->N == b->N && a->row == b->row && !memcmp(a->rows, b->rows, a->row * a->N)) ? PETSC_TRUE : PETSC_FALSE;
  PetscCallMPI(MPI_Bcast(equal, 1, EXAMPLE_MPI_BOOL, 0, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* No particle id appears twice in the global set. */
static PetscErrorCode GlobalSetUniqueIds(const GlobalSet *set, PetscBool *unique)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  *unique = PETSC_TRUE;
  if (rank == 0)
    for (PetscInt i = 1; i < set->N; i++)
      if (!memcmp(set->rows + (i - 1) * set->row, set->rows + i * set->row, sizeof(PetscInt64))) *unique = PETSC_FALSE;
  PetscCallMPI(MPI_Bcast(unique, 1, EXAMPLE_MPI_BOOL, 0, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* Move every particle by dx in x (without migrating). */
static PetscErrorCode ShiftParticles(DM sw, PetscReal dx)
{
  PetscInt   n;
  PetscReal *x;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  for (PetscInt p = 0; p < n; p++) x[2 * p] += dx;
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, NULL, NULL, (void **)&x));
  PetscFunctionReturn(0);
}

/* A velocity field defined on the mesh: Q1, two components, a rotation about the centre plus a shear. */
static PetscErrorCode flow(PetscInt dim, PetscReal time, const PetscReal x[], PetscInt Nc, PetscScalar *u, void *ctx)
{
  u[0] = -(x[1] - 0.5) + 0.3 * x[1];
  u[1] = x[0] - 0.5;
  return 0;
}

typedef struct {
  DM  vdm; /* a clone of the mesh carrying the velocity field */
  Vec vloc;
} Flow;

static PetscErrorCode FlowCreate(DM mesh, Flow *fl)
{
  PetscFE fe;
  Vec     v;
  PetscErrorCode (*funcs[1])(PetscInt, PetscReal, const PetscReal[], PetscInt, PetscScalar *, void *) = {flow};

  PetscFunctionBeginUser;
  PetscCall(DMClone(mesh, &fl->vdm));
  PetscCall(PetscFECreateLagrange(PETSC_COMM_SELF, 2, 2, PETSC_FALSE, 1, PETSC_DETERMINE, &fe));
  PetscCall(DMSetField(fl->vdm, 0, NULL, (PetscObject)fe));
  PetscCall(DMCreateDS(fl->vdm));
  PetscCall(PetscFEDestroy(&fe));
  PetscCall(DMCreateGlobalVector(fl->vdm, &v));
  PetscCall(DMProjectFunction(fl->vdm, 0.0, funcs, NULL, INSERT_ALL_VALUES, v));
  PetscCall(DMCreateLocalVector(fl->vdm, &fl->vloc));
  PetscCall(DMGlobalToLocal(fl->vdm, v, INSERT_VALUES, fl->vloc));
  PetscCall(VecDestroy(&v));
  PetscFunctionReturn(0);
}

static PetscErrorCode FlowDestroy(Flow *fl)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&fl->vloc));
  PetscCall(DMDestroy(&fl->vdm));
  PetscFunctionReturn(0);
}

/* One PIC step: every particle moves with the cell average of the mesh velocity of its cell, then migrates (particles
   that leave the domain are lost). Returns the largest displacement (global). */
static PetscErrorCode Advect(DM sw, Flow *fl, PetscReal dt, PetscReal *maxMove)
{
  PetscInt   n;
  PetscReal *x;
  PetscInt  *cell;
  PetscReal  mv = 0;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(DMSwarmGetField(sw, "DMSwarmPIC_coor", NULL, NULL, (void **)&x));
  PetscCall(GetField(sw, SWARM_CELLID, &cell));
  for (PetscInt p = 0; p < n; p++) {
    PetscScalar *vals = NULL;
    PetscInt     sz;
    PetscReal    v[2] = {0, 0};

    PetscCall(DMPlexVecGetClosure(fl->vdm, NULL, fl->vloc, cell[p], &sz, &vals));
    for (PetscInt k = 0; k < sz / 2; k++) {
      v[0] += PetscRealPart(vals[2 * k]) / (sz / 2);
      v[1] += PetscRealPart(vals[2 * k + 1]) / (sz / 2);
    }
    PetscCall(DMPlexVecRestoreClosure(fl->vdm, NULL, fl->vloc, cell[p], &sz, &vals));
    x[2 * p] += dt * v[0];
    x[2 * p + 1] += dt * v[1];
    mv = PetscMax(mv, dt * PetscSqrtReal(v[0] * v[0] + v[1] * v[1]));
  }
  PetscCall(RestoreField(sw, SWARM_CELLID, &cell));
  PetscCall(DMSwarmRestoreField(sw, "DMSwarmPIC_coor", NULL, NULL, (void **)&x));
  PetscCall(DMSwarmMigrate(sw, PETSC_TRUE));
  if (maxMove) PetscCall(MPIU_Allreduce(&mv, maxMove, 1, MPIU_REAL, MPI_MAX, PetscObjectComm((PetscObject)sw)));
  PetscFunctionReturn(0);
}

#endif
