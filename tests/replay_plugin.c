/* A PETSc plugin for the tests of unmodified programs (tests/tutorials.sh), loaded with -dll_append like the package:
   it lets a PETSc tutorial, as PETSc ships it, record the step sizes of its accepted steps and be replayed with them.
     -ts_adapt_record_file F  PETSc's basic adaptor, unchanged (same type name, same choices), that also writes the
                              size of every accepted step to F, one per line, exactly (C99 hex float)
     -ts_adapt_type replay -ts_adapt_replay_file F
                              an adaptor that accepts every step and gives step k the size on line k of F (the first
                              step takes -ts_dt, which the script sets from line 0)
   Not part of the package: a test tool. */
#include <petsc/private/tsimpl.h>

#if PETSC_VERSION_LT(3, 19, 0)
  #define PETSC_SUCCESS 0
#endif

PETSC_EXTERN PetscErrorCode TSAdaptCreate_Basic(TSAdapt);

typedef PetscErrorCode (*ChooseFn)(TSAdapt, TS, PetscReal, PetscInt *, PetscReal *, PetscBool *, PetscReal *, PetscReal *, PetscReal *);

static ChooseFn basicChoose = NULL;
static FILE    *recordFile  = NULL;

static PetscErrorCode ChooseAndRecord(TSAdapt adapt, TS ts, PetscReal h, PetscInt *next_sc, PetscReal *next_h, PetscBool *accept, PetscReal *wlte, PetscReal *wltea, PetscReal *wlter)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCall(basicChoose(adapt, ts, h, next_sc, next_h, accept, wlte, wltea, wlter));
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)ts), &rank));
  if (*accept && recordFile && rank == 0) {
    fprintf(recordFile, "%a\n", (double)h);
    fflush(recordFile);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CloseRecord(void)
{
  PetscFunctionBegin;
  if (recordFile) fclose(recordFile);
  recordFile = NULL;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Registered under "basic": PETSc's constructor, then the recording choose when -ts_adapt_record_file is set. */
static PetscErrorCode TSAdaptCreate_BasicRecorded(TSAdapt adapt)
{
  char      path[PETSC_MAX_PATH_LEN];
  PetscBool set;

  PetscFunctionBegin;
  PetscCall(TSAdaptCreate_Basic(adapt));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-ts_adapt_record_file", path, sizeof(path), &set));
  if (!set) PetscFunctionReturn(PETSC_SUCCESS);
  if (!recordFile) {
    recordFile = fopen(path, "w");
    PetscCheck(recordFile, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", path);
    PetscCall(PetscRegisterFinalize(CloseRecord));
  }
  basicChoose        = adapt->ops->choose;
  adapt->ops->choose = ChooseAndRecord;
  PetscFunctionReturn(PETSC_SUCCESS);
}

typedef struct {
  PetscReal *dt;
  PetscInt   n;
} Replay;

static PetscErrorCode ChooseReplay(TSAdapt adapt, TS ts, PetscReal h, PetscInt *next_sc, PetscReal *next_h, PetscBool *accept, PetscReal *wlte, PetscReal *wltea, PetscReal *wlter)
{
  Replay *r = (Replay *)adapt->data;

  PetscFunctionBegin;
  PetscCheck(ts->steps < r->n, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "replay: step %" PetscInt_FMT " is beyond the %" PetscInt_FMT " recorded", ts->steps, r->n);
  PetscCheck(h == r->dt[ts->steps], PETSC_COMM_SELF, PETSC_ERR_PLIB, "replay: step %" PetscInt_FMT " was taken with %a, recorded %a", ts->steps, (double)h, (double)r->dt[ts->steps]);
  *next_sc = 0;
  *accept  = PETSC_TRUE;
  *next_h  = ts->steps + 1 < r->n ? r->dt[ts->steps + 1] : h;
  *wlte = *wltea = *wlter = -1;
  PetscFunctionReturn(PETSC_SUCCESS);
}

#if PETSC_VERSION_LT(3, 24, 0)
static PetscErrorCode SetFromOptionsReplay(TSAdapt adapt, PetscOptionItems *PetscOptionsObject)
#else
static PetscErrorCode SetFromOptionsReplay(TSAdapt adapt, PetscOptionItems PetscOptionsObject)
#endif
{
  Replay   *r = (Replay *)adapt->data;
  char      path[PETSC_MAX_PATH_LEN];
  PetscBool set;
  FILE     *f;
  double    v;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Replay of recorded step sizes (petsc-snapshot tests)");
  PetscCall(PetscOptionsString("-ts_adapt_replay_file", "Step sizes, one per line", "", path, path, sizeof(path), &set));
  PetscOptionsHeadEnd();
  PetscCheck(set, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "replay: -ts_adapt_replay_file is required");
  f = fopen(path, "r");
  PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "replay: cannot read %s", path);
  PetscCall(PetscFree(r->dt));
  r->n = 0;
  while (fscanf(f, "%la", &v) == 1) r->n++;
  rewind(f);
  PetscCall(PetscMalloc1(r->n, &r->dt));
  for (PetscInt i = 0; i < r->n; i++) {
    PetscCheck(fscanf(f, "%la", &v) == 1, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "replay: %s changed", path);
    r->dt[i] = (PetscReal)v;
  }
  fclose(f);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode DestroyReplay(TSAdapt adapt)
{
  Replay *r = (Replay *)adapt->data;

  PetscFunctionBegin;
  PetscCall(PetscFree(r->dt));
  PetscCall(PetscFree(adapt->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSAdaptCreate_Replay(TSAdapt adapt)
{
  Replay *r;

  PetscFunctionBegin;
  PetscCall(PetscNew(&r));
  adapt->data                = r;
  adapt->ops->choose         = ChooseReplay;
  adapt->ops->setfromoptions = SetFromOptionsReplay;
  adapt->ops->destroy        = DestroyReplay;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode PetscDLLibraryRegister_snapshot_replay(void)
{
  PetscFunctionBegin;
  PetscCall(TSAdaptInitializePackage());
  PetscCall(TSAdaptRegister(TSADAPTBASIC, TSAdaptCreate_BasicRecorded));
  PetscCall(TSAdaptRegister("replay", TSAdaptCreate_Replay));
  PetscFunctionReturn(PETSC_SUCCESS);
}
