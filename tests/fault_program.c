static const char help[] = "A user's program meeting one fault of the memory or hdf5 type (-case C), run the way PETSc programs run:\n"
                           "PETSc's default error handler, every call through PetscCall(), main returning the error. With -catch it\n"
                           "catches the error instead (PetscReturnErrorHandler), prints it, cleans up and exits 1. tests/faults_as_run.sh\n"
                           "runs every case both ways and checks that the error is printed, that every process exits at once, that no\n"
                           "temporary is left and that the previous file is intact (-stage good writes it, -stage verify restores it).\n";

#include <petscviewerhdf5.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include "meshutil.h"
#include "testutil.h"

static PetscMPIInt rank, size;
static char        dir[PETSC_MAX_PATH_LEN] = ".", mark[PETSC_MAX_PATH_LEN] = "";

/* ---- the application's state: a mesh, a Vec declared on it, optionally user state through callbacks */
typedef struct {
  PetscReal value;
  PetscBool failCapture, failRestore; /* on rank 1 */
} Counter;

static PetscErrorCode CounterSize(void *ctx, size_t *n)
{
  PetscFunctionBeginUser;
  *n = sizeof(PetscReal);
  PetscFunctionReturn(0);
}

static PetscErrorCode CounterCapture(void *ctx, size_t n, void *bytes)
{
  PetscFunctionBeginUser;
  PetscCheck(!(((Counter *)ctx)->failCapture && rank == 1), PETSC_COMM_SELF, PETSC_ERR_USER, "the application's capture function failed on rank %d", rank);
  memcpy(bytes, &((Counter *)ctx)->value, sizeof(PetscReal));
  PetscFunctionReturn(0);
}

static PetscErrorCode CounterRestore(void *ctx, size_t n, const void *bytes)
{
  PetscFunctionBeginUser;
  PetscCheck(!(((Counter *)ctx)->failRestore && rank == 1), PETSC_COMM_SELF, PETSC_ERR_USER, "the application's restore function failed on rank %d", rank);
  memcpy(&((Counter *)ctx)->value, bytes, sizeof(PetscReal));
  PetscFunctionReturn(0);
}

typedef struct App {
  DM          dm;
  Vec         u, big;
  struct App *other; /* another mesh of the same name, for the cases that restore into it */
  Counter   counter;
  PetscBool callbacks; /* counter declared */
} App;

/* The values of version v (0: the file's, 1: after it) */
static PetscErrorCode AppFill(App *app, PetscInt v)
{
  PetscScalar *x;
  PetscInt     n, lo;

  PetscFunctionBeginUser;
  PetscCall(VecGetOwnershipRange(app->u, &lo, NULL));
  PetscCall(VecGetLocalSize(app->u, &n));
  PetscCall(VecGetArray(app->u, &x));
  for (PetscInt i = 0; i < n; i++) x[i] = 1.0 / (3.0 + (PetscReal)(lo + i)) + (PetscReal)v;
  PetscCall(VecRestoreArray(app->u, &x));
  app->counter.value = 7.0 + (PetscReal)v;
  PetscFunctionReturn(0);
}

static PetscErrorCode AppCreate(PetscInt n, PetscBool callbacks, App *app)
{
  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(app, sizeof(*app)));
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, n, PETSC_FALSE, "mesh", &app->dm));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, 40 + 3 * rank, PETSC_DETERMINE, &app->u));
  PetscCall(PetscSnapshotDMAddState(app->dm, "u", (PetscObject)app->u));
  app->callbacks = callbacks;
  if (callbacks) PetscCall(PetscSnapshotDMAddStateCallbacks(app->dm, "counter", 1, CounterSize, CounterCapture, CounterRestore, &app->counter, NULL));
  PetscCall(AppFill(app, 0));
  PetscFunctionReturn(0);
}

static PetscErrorCode AppDestroy(App *app)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&app->u));
  PetscCall(VecDestroy(&app->big));
  PetscCall(DMDestroy(&app->dm));
  if (app->other) {
    PetscCall(AppDestroy(app->other));
    PetscCall(PetscFree(app->other));
  }
  PetscFunctionReturn(0);
}

/* Whether the state is version v, bitwise, on every rank */
static PetscErrorCode AppIs(App *app, PetscInt v, PetscBool *is)
{
  Vec       ref;
  App       tmp;
  PetscBool eq;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(app->u, &ref));
  tmp.u = ref;
  PetscCall(AppFill(&tmp, v));
  PetscCall(VecBitwiseEqual(app->u, ref, &eq));
  PetscCall(VecDestroy(&ref));
  *is = eq && (!app->callbacks || app->counter.value == tmp.counter.value) ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, is, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

static PetscErrorCode SnapCreate(const char type[], const char file[], PetscSnapshot *snap)
{
  char path[2 * PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
  PetscCall(PetscSnapshotSetType(*snap, type));
  if (file) {
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/%s", dir, file));
    PetscCall(PetscSnapshotHDF5SetFileName(*snap, path));
  }
  PetscCall(PetscSnapshotSetFromOptions(*snap)); /* the injected faults: -snapshot_hdf5_test_fail_after, ... */
  PetscFunctionReturn(0);
}

/* rank 0: a copy of dir/ckpt.h5, damaged: one byte flipped in its middle, or cut to half its length */
static PetscErrorCode DamagedCopy(const char name[], PetscBool truncate)
{
  char  from[2 * PETSC_MAX_PATH_LEN], to[2 * PETSC_MAX_PATH_LEN];
  FILE *in, *out;
  long  len;
  char *bytes;

  PetscFunctionBeginUser;
  if (rank == 0) {
    PetscCall(PetscSNPrintf(from, sizeof(from), "%s/ckpt.h5", dir));
    PetscCall(PetscSNPrintf(to, sizeof(to), "%s/%s", dir, name));
    in = fopen(from, "rb");
    PetscCheck(in, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "test: no %s", from);
    fseek(in, 0, SEEK_END);
    len = ftell(in);
    fseek(in, 0, SEEK_SET);
    PetscCall(PetscMalloc1(len, &bytes));
    PetscCheck(fread(bytes, 1, (size_t)len, in) == (size_t)len, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "test: reading %s", from);
    fclose(in);
    if (!truncate) bytes[len / 2] ^= 0x10;
    out = fopen(to, "wb");
    PetscCheck(out, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "test: cannot write %s", to);
    PetscCheck(fwrite(bytes, 1, (size_t)(truncate ? len / 2 : len), out) == (size_t)(truncate ? len / 2 : len), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "test: writing %s", to);
    fclose(out);
    PetscCall(PetscFree(bytes));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* rank 0: the time now (seconds since the epoch) in <-mark>.<what>, for the runner's exit-time check: "started" just
   before the faulting call, "returned" when its error has returned on every rank (-catch) */
static PetscErrorCode Mark(const char what[])
{
  struct timespec t;
  char            path[2 * PETSC_MAX_PATH_LEN];
  FILE           *f;

  PetscFunctionBeginUser;
  if (!mark[0]) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  if (rank == 0) {
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s.%s", mark, what));
    clock_gettime(CLOCK_REALTIME, &t);
    f = fopen(path, "w");
    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "test: cannot write %s", path);
    fprintf(f, "%lld.%09ld\n", (long long)t.tv_sec, t.tv_nsec);
    fclose(f);
  }
  PetscFunctionReturn(0);
}

static PetscBool IsCase(const char c[], const char name[])
{
  return strcmp(c, name) ? PETSC_FALSE : PETSC_TRUE;
}

/* The faulting part of each case: what a user's program would call. Everything it calls goes through PetscCall. */
static PetscErrorCode Fault(const char c[], App *app, PetscSnapshot snap)
{
  PetscFunctionBeginUser;
  /* hdf5 captures that fail: the previous file (stage good) must stay intact */
  if (IsCase(c, "h5_write_one") || IsCase(c, "h5_write_all") || IsCase(c, "h5_readonly")) {
    PetscCall(AppFill(app, 1));
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotCapture(snap, app->dm));
  } else if (IsCase(c, "h5_diskfull")) { /* dir is a small tmpfs: the new state does not fit beside the previous file */
    PetscCall(VecCreateMPI(PETSC_COMM_WORLD, (8 << 20) / (PetscInt)sizeof(PetscScalar) / size, PETSC_DETERMINE, &app->big));
    PetscCall(VecSet(app->big, 1.0));
    PetscCall(PetscSnapshotDMAddState(app->dm, "big", (PetscObject)app->big));
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotCapture(snap, app->dm));
  } else if (IsCase(c, "h5_callback_one") || IsCase(c, "mem_callback_one")) {
    app->counter.failCapture = PETSC_TRUE;
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotCapture(snap, app->dm));
  } else if (IsCase(c, "h5_names_differ") || IsCase(c, "mem_names_differ")) { /* a name made from the rank, by mistake */
    if (rank == 1) PetscCall(PetscObjectSetName((PetscObject)app->dm, "mesh1"));
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotCapture(snap, app->dm));
  } else if (IsCase(c, "h5_decl_differ") || IsCase(c, "mem_decl_differ")) {
    if (rank == 1) PetscCall(PetscSnapshotDMAddState(app->dm, "u again", (PetscObject)app->u));
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotCapture(snap, app->dm));
  }
  /* restores that are refused or fail (the hdf5 ones from the previous file, the memory ones after a capture) */
  else if (IsCase(c, "h5_restore_damaged") || IsCase(c, "h5_restore_truncated")) {
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotRestore(snap, app->dm));
  } else if (IsCase(c, "h5_restore_missing") || IsCase(c, "mem_restore_empty")) {
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotRestore(snap, app->dm));
  } else if (IsCase(c, "h5_restore_layout") || IsCase(c, "mem_restore_layout")) { /* another mesh, the same name */
    if (IsCase(c, "mem_restore_layout")) PetscCall(PetscSnapshotCapture(snap, app->dm));
    PetscCall(PetscNew(&app->other));
    PetscCall(AppCreate(5, PETSC_FALSE, app->other));
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotRestore(snap, app->other->dm));
  } else if (IsCase(c, "h5_restore_names_differ") || IsCase(c, "mem_restore_names_differ")) {
    if (IsCase(c, "mem_restore_names_differ")) PetscCall(PetscSnapshotCapture(snap, app->dm));
    PetscCall(AppFill(app, 1));
    if (rank == 1) PetscCall(PetscObjectSetName((PetscObject)app->dm, "mesh1"));
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotRestore(snap, app->dm));
  } else if (IsCase(c, "h5_restore_callback_one") || IsCase(c, "mem_restore_callback_one")) {
    if (IsCase(c, "mem_restore_callback_one")) PetscCall(PetscSnapshotCapture(snap, app->dm));
    PetscCall(AppFill(app, 1));
    app->counter.failRestore = PETSC_TRUE;
    PetscCall(Mark("started"));
    PetscCall(PetscSnapshotRestore(snap, app->dm));
  } else SETERRQ(PETSC_COMM_SELF, PETSC_ERR_ARG_UNKNOWN_TYPE, "test: unknown case %s", c);
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char           c[64] = "", stage[16] = "fault", type[16];
  const char    *file = "ckpt.h5";
  PetscBool      catching = PETSC_FALSE, callbacks, is;
  PetscErrorCode ierr = 0;
  App            app;
  PetscSnapshot  snap;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-case", c, sizeof(c), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-stage", stage, sizeof(stage), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-dir", dir, sizeof(dir), NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-catch", &catching, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mark", mark, sizeof(mark), NULL));
  PetscCall(PetscStrcpy(type, strncmp(c, "h5_", 3) ? PETSCSNAPSHOTMEMORY : PETSCSNAPSHOTHDF5));
  callbacks = strstr(c, "callback") ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(AppCreate(6, callbacks, &app));

  if (!strcmp(stage, "good")) { /* the previous file: version 0 */
    PetscCall(SnapCreate(PETSCSNAPSHOTHDF5, file, &snap));
    PetscCall(PetscSnapshotCapture(snap, app.dm));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "wrote the previous file\n"));
  } else if (!strcmp(stage, "verify")) { /* the previous file restores version 0 exactly */
    PetscCall(SnapCreate(PETSCSNAPSHOTHDF5, file, &snap));
    PetscCall(AppFill(&app, 1));
    PetscCall(PetscSnapshotRestore(snap, app.dm));
    PetscCall(AppIs(&app, 0, &is));
    PetscCheck(is, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "test: the previous file did not restore its state exactly");
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "the previous file restores exactly\n"));
  } else {
    if (IsCase(c, "h5_restore_damaged")) {
      PetscCall(DamagedCopy("damaged.h5", PETSC_FALSE));
      file = "damaged.h5";
    } else if (IsCase(c, "h5_restore_truncated")) {
      PetscCall(DamagedCopy("truncated.h5", PETSC_TRUE));
      file = "truncated.h5";
    } else if (IsCase(c, "h5_restore_missing")) file = "missing.h5";
    PetscCall(SnapCreate(type, strcmp(type, PETSCSNAPSHOTHDF5) ? NULL : file, &snap));
    if (catching) {
      PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
      ierr = Fault(c, &app, snap);
      PetscCall(PetscPopErrorHandler());
      {
        PetscBool   all = ierr ? PETSC_TRUE : PETSC_FALSE, any = all;
        ExampleErrorText text = NULL;

        PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &all, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
        PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &any, 1, EXAMPLE_MPI_BOOL, MPI_LOR, PETSC_COMM_WORLD));
        PetscCall(Mark("returned"));
        if (ierr) PetscCall(PetscErrorMessage(ierr, NULL, &text));
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "caught on %s: %s\n", all ? "every rank" : (any ? "SOME RANKS ONLY" : "no rank"), text ? text : "(nothing)"));
        /* a refused restore writes nothing; after a refused capture the application's state is untouched too */
        if (strstr(c, "restore") && !strstr(c, "callback")) {
          PetscCall(AppIs(&app, IsCase(c, "h5_restore_names_differ") || IsCase(c, "mem_restore_names_differ") ? 1 : 0, &is));
          PetscCall(PetscPrintf(PETSC_COMM_WORLD, "state after the refusal: %s\n", is ? "unchanged" : "CHANGED"));
        }
      }
    } else PetscCall(Fault(c, &app, snap)); /* as PETSc's examples do: the error returns from main */
  }
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(AppDestroy(&app));
  PetscCall(PetscFinalize());
  return ierr ? 1 : 0;
}
