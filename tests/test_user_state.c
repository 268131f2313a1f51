static const char help[] = "User state declared on a DM: plain structs (one call), callbacks for state that is not plain data,\n"
                           "an IS, another DM (with its own state), a TS (clock and solution); schema versions and sizes checked.\n";

#include <petscdmda.h>
#include "testutil.h"

typedef struct {
  PetscInt  nsolves;
  PetscReal dtHistory[3];
  char      label[8];
} SolverState;

/* State that is not plain data: a growable history */
typedef struct {
  PetscInt   n, cap;
  PetscReal *values;
} History;

static PetscErrorCode HistoryPush(History *h, PetscReal v)
{
  PetscFunctionBeginUser;
  if (h->n == h->cap) {
    PetscReal *nv;
    h->cap = 2 * h->cap + 2;
    PetscCall(PetscMalloc1(h->cap, &nv));
    if (h->n) PetscCall(PetscArraycpy(nv, h->values, h->n));
    PetscCall(PetscFree(h->values));
    h->values = nv;
  }
  h->values[h->n++] = v;
  PetscFunctionReturn(0);
}

static PetscErrorCode HistorySize(void *ctx, size_t *size)
{
  *size = sizeof(PetscInt) + ((History *)ctx)->n * sizeof(PetscReal);
  return 0;
}

static PetscErrorCode HistoryCapture(void *ctx, size_t size, void *bytes)
{
  History *h = (History *)ctx;
  memcpy(bytes, &h->n, sizeof(PetscInt));
  memcpy((char *)bytes + sizeof(PetscInt), h->values, h->n * sizeof(PetscReal));
  return 0;
}

static PetscErrorCode HistoryRestore(void *ctx, size_t size, const void *bytes)
{
  History *h = (History *)ctx;
  PetscInt n;

  PetscFunctionBeginUser;
  memcpy(&n, bytes, sizeof(PetscInt));
  PetscCheck(size == sizeof(PetscInt) + n * sizeof(PetscReal), PETSC_COMM_SELF, PETSC_ERR_ARG_CORRUPT, "history bytes do not match");
  h->n = 0;
  for (PetscInt i = 0; i < n; i++) PetscCall(HistoryPush(h, ((const PetscReal *)((const char *)bytes + sizeof(PetscInt)))[i]));
  PetscFunctionReturn(0);
}

static PetscErrorCode HistoryDestroy(void *ctx)
{
  History *h = (History *)ctx;

  PetscFunctionBeginUser;
  PetscCall(PetscFree(h->values));
  h->n = h->cap = 0;
  PetscFunctionReturn(0);
}

static PetscErrorCode MakeGrid(const char name[], PetscInt n, DM *da)
{
  PetscFunctionBeginUser;
  PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, n, 1, 1, NULL, da));
  PetscCall(DMSetUp(*da));
  PetscCall(PetscObjectSetName((PetscObject)*da, name));
  PetscCall(DMDASetUniformCoordinates(*da, 0, 1, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm      comm;
  DM            dm, aux;
  Vec           auxv, keepAux, sol, keepSol;
  IS            is;
  TS            ts;
  PetscSnapshot snap;
  SolverState   st = {3, {0.1, 0.2, 0.3}, "bdf2"}, keepSt;
  History       hist = {0, 0, NULL};
  PetscInt      idx[4] = {7, 3, 11, 5};
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscCall(MakeGrid("grid", 20, &dm));
  PetscCall(MakeGrid("aux-grid", 9, &aux));

  /* every kind of declared state */
  PetscCall(PetscSnapshotDMAddStateBytes(dm, "solver", &st, sizeof(st), 1));
  PetscCall(PetscSnapshotDMAddStateCallbacks(dm, "history", 1, HistorySize, HistoryCapture, HistoryRestore, &hist, HistoryDestroy));
  for (int i = 0; i < 3; i++) PetscCall(HistoryPush(&hist, 0.5 * i));
  PetscCall(ISCreateGeneral(comm, 4, idx, PETSC_COPY_VALUES, &is));
  PetscCall(PetscSnapshotDMAddState(dm, "active-set", (PetscObject)is));
  PetscCall(DMCreateGlobalVector(aux, &auxv));
  PetscCall(VecSet(auxv, 2.5));
  PetscCall(PetscSnapshotDMAddState(aux, "field", (PetscObject)auxv));
  PetscCall(PetscSnapshotDMAddState(dm, "aux", (PetscObject)aux));
  PetscCall(TSCreate(comm, &ts));
  PetscCall(TSSetDM(ts, dm));
  PetscCall(DMCreateGlobalVector(dm, &sol));
  PetscCall(VecSet(sol, 1.25));
  PetscCall(TSSetSolution(ts, sol));
  PetscCall(TSSetTime(ts, 1.5));
  PetscCall(TSSetTimeStep(ts, 0.125));
  PetscCall(TSSetStepNumber(ts, 7));
  PetscCall(PetscSnapshotDMAddState(dm, "ts", (PetscObject)ts));

  PetscCall(PetscSnapshotCreate(comm, &snap));
  PetscCall(PetscSnapshotSetFromOptions(snap));
  PetscCall(PetscSnapshotCapture(snap, dm));
  keepSt = st;
  PetscCall(VecDuplicate(auxv, &keepAux));
  PetscCall(VecCopy(auxv, keepAux));
  PetscCall(VecDuplicate(sol, &keepSol));
  PetscCall(VecCopy(sol, keepSol));

  /* change everything */
  st.nsolves = 99;
  st.dtHistory[1] = -1;
  st.label[0] = 'X';
  for (int i = 0; i < 5; i++) PetscCall(HistoryPush(&hist, 10.0 + i));
  {
    PetscInt other[2] = {1, 2};
    PetscCall(ISGeneralSetIndices(is, 2, other, PETSC_COPY_VALUES));
  }
  PetscCall(VecSet(auxv, -7));
  PetscCall(VecSet(sol, -1));
  PetscCall(TSSetTime(ts, 9.0));
  PetscCall(TSSetTimeStep(ts, 1.0));
  PetscCall(TSSetStepNumber(ts, 42));

  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(TestCheck(comm, (PetscBool)!memcmp(&st, &keepSt, sizeof(st)), "plain struct (PetscSnapshotDMAddStateBytes) restored bytewise"));
  PetscCall(TestCheck(comm, (PetscBool)(hist.n == 3 && hist.values[0] == 0.0 && hist.values[1] == 0.5 && hist.values[2] == 1.0), "callback state (a history that grew) restored to its captured length and values"));
  {
    PetscInt        n;
    const PetscInt *i;
    PetscBool       ok;
    PetscCall(ISGetLocalSize(is, &n));
    PetscCall(ISGetIndices(is, &i));
    ok = (PetscBool)(n == 4 && !memcmp(i, idx, sizeof(idx)));
    PetscCall(ISRestoreIndices(is, &i));
    PetscCall(TestCheck(comm, ok, "IS restored to its captured indices"));
  }
  PetscCall(TestVecEqual(auxv, keepAux, "a DM declared as state is restored with its own declared Vec"));
  {
    PetscReal t, dt;
    PetscInt  step;
    PetscCall(TSGetTime(ts, &t));
    PetscCall(TSGetTimeStep(ts, &dt));
    PetscCall(TSGetStepNumber(ts, &step));
    PetscCall(TestCheck(comm, (PetscBool)(t == 1.5 && dt == 0.125 && step == 7), "TS declared as state: time, time step and step number restored"));
    PetscCall(TestVecEqual(sol, keepSol, "TS declared as state: solution restored bitwise"));
  }
  {
    const char *const want[] = {"DM \"aux-grid\"", "array \"state/solver\": struct, ", "array \"state/ts\": DOUBLE, bs 3", "Vec \"state/ts#solution\"", NULL};
    PetscCall(TestViewContains(snap, "user-state-view.txt", want, "the view lists user state, the TS and the declared DM"));
  }

  /* refusals: another schema version, another size, another DM, a container that is not ours */
  {
    SolverState copy = st;
    PetscCall(PetscSnapshotDMAddStateBytes(dm, "solver", &st, sizeof(st), 2));
    st.nsolves = 1234;
    TestExpectError(comm, PetscSnapshotRestore(snap, dm), "\"solver\" has schema version 2 now but 1 in the snapshot", "a struct with another schema version is refused");
    PetscCall(TestCheck(comm, (PetscBool)(st.nsolves == 1234), "refused: the struct was not written"));
    PetscCall(PetscSnapshotDMAddStateBytes(dm, "solver", &st, sizeof(st) - 8, 1));
    TestExpectError(comm, PetscSnapshotRestore(snap, dm), "bytes now but", "a struct of another size is refused");
    PetscCall(PetscSnapshotDMAddStateBytes(dm, "solver", &st, sizeof(st), 1));
    st = copy;
  }
  PetscCall(PetscSnapshotDMAddStateCallbacks(dm, "history", 3, HistorySize, HistoryCapture, HistoryRestore, &hist, NULL));
  TestExpectError(comm, PetscSnapshotRestore(snap, dm), "\"history\" has schema version 3 now but 1 in the snapshot", "callback state with another schema version is refused");
  PetscCall(PetscSnapshotDMAddStateCallbacks(dm, "history", 1, HistorySize, HistoryCapture, HistoryRestore, &hist, NULL));
  {
    DM other;
    PetscCall(MakeGrid("other", 9, &other));
    PetscCall(PetscSnapshotDMAddState(dm, "aux", (PetscObject)other));
    TestExpectError(comm, PetscSnapshotRestore(snap, dm), "was the DM \"aux-grid\" at capture and is the DM \"other\" now", "a declared DM replaced by another is refused");
    PetscCall(PetscSnapshotDMAddState(dm, "aux", (PetscObject)aux));
    PetscCall(DMDestroy(&other));
  }
  {
    PetscContainer mine;
    PetscCall(PetscContainerCreate(comm, &mine));
    PetscCall(PetscSnapshotDMAddState(dm, "opaque", (PetscObject)mine));
    TestExpectError(comm, PetscSnapshotCapture(snap, dm), "state \"opaque\" is a PetscContainer, which the snapshot cannot capture", "a container that is not petsc-snapshot user state is a clear error");
    PetscCall(PetscSnapshotDMRemoveState(dm, "opaque"));
    PetscCall(PetscContainerDestroy(&mine));
  }
  TestExpectError(comm, PetscSnapshotDMAddState(dm, "bad#key", (PetscObject)is), "'#' is reserved", "keys may not contain '#'");

  /* the history's destroy ran when its first declaration was replaced (it empties the history) */
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&keepAux));
  PetscCall(VecDestroy(&keepSol));
  PetscCall(VecDestroy(&sol));
  PetscCall(VecDestroy(&auxv));
  PetscCall(ISDestroy(&is));
  PetscCall(TSDestroy(&ts)); /* declared on its DM without a reference: no cycle, no leak */
  PetscCall(DMDestroy(&aux));
  PetscCall(DMDestroy(&dm));
  PetscCall(PetscFree(hist.values));
  PetscCall(TestFinish(comm, &code));
  PetscCall(PetscFinalize());
  return code;
}
