static const char help[] = "PetscSnapshotSetTSComposed(): a Vec composed on the TS and never declared (a tally that every stage adds\n"
                           "to, as an unmodified program's state would be) is rolled back with each rejected attempt, so that\n"
                           "after an adaptive RK run with rejections it equals, bitwise, the tally of a replay of the accepted\n"
                           "steps; without it the rejected attempts' stages stay in the tally. Also: the composed objects are\n"
                           "not left declared, and -snapshot_ts_composed reaches the setter.\n";

#include "fisherutil.h"

#define MAXSTEPS 64

typedef struct {
  PetscReal dt[MAXSTEPS]; /* the accepted steps' sizes */
  PetscInt  n;
  PetscReal attempt; /* the size of the attempt under way */
} Steps;

/* Every stage adds itself to the tally composed on the TS under "tally" */
static PetscErrorCode AddStage(TS ts, PetscReal t, PetscInt stage, Vec *Y)
{
  Vec    tally;
  Steps *steps;

  PetscFunctionBeginUser;
  PetscCall(PetscObjectQuery((PetscObject)ts, "tally", (PetscObject *)&tally));
  PetscCall(VecAXPY(tally, 1.0, Y[stage]));
  PetscCall(TSGetApplicationContext(ts, &steps));
  if (steps && stage == 0) PetscCall(TSGetTimeStep(ts, &steps->attempt));
  PetscFunctionReturn(0);
}

static PetscErrorCode RecordStep(TS ts)
{
  Steps *steps;

  PetscFunctionBeginUser;
  PetscCall(TSGetApplicationContext(ts, &steps));
  if (steps && steps->n < MAXSTEPS) steps->dt[steps->n++] = steps->attempt;
  PetscFunctionReturn(0);
}

static PetscErrorCode ReplayStep(TS ts)
{
  Steps   *steps;
  PetscInt k;

  PetscFunctionBeginUser;
  PetscCall(TSGetApplicationContext(ts, &steps));
  PetscCall(TSGetStepNumber(ts, &k));
  PetscCall(TSSetTimeStep(ts, steps->dt[k]));
  PetscFunctionReturn(0);
}

/* RK 3bs with a large first step: the adaptor rejects attempts. mode 0: composed rolled back, 1: not, 2: replay */
static PetscErrorCode Run(MPI_Comm comm, PetscInt mode, Steps *steps, PetscInt nsteps, Vec *u, Vec *tally, PetscInt *rolled)
{
  Fisher        f;
  Vec           t;
  PetscSnapshot snap = NULL;
  PetscInt      nkeys;
  const char  **keys;

  PetscFunctionBeginUser;
  PetscCall(FisherCreate(comm, FISHER_EXPLICIT, TSRK, mode == 2 ? TSADAPTNONE : TSADAPTBASIC, 0.5, &f));
  PetscCall(TSRKSetType(f.ts, TSRK3BS));
  PetscCall(TSSetMaxSteps(f.ts, nsteps));
  PetscCall(VecDuplicate(f.u, &t));
  PetscCall(VecSet(t, 0));
  PetscCall(PetscObjectCompose((PetscObject)f.ts, "tally", (PetscObject)t));
  PetscCall(TSSetApplicationContext(f.ts, steps));
  PetscCall(TSSetPostStage(f.ts, AddStage));
  if (mode == 2) PetscCall(TSSetPreStep(f.ts, ReplayStep));
  else PetscCall(TSSetPostStep(f.ts, RecordStep));
  if (mode != 2) {
    PetscCall(PetscSnapshotCreate(comm, &snap));
    PetscCall(PetscSnapshotSetTSComposed(snap, mode == 0 ? PETSC_TRUE : PETSC_FALSE));
    PetscCall(PetscSnapshotSetFromOptions(snap));
    PetscCall(PetscSnapshotSetTS(snap, f.ts));
  }
  PetscCall(TSSolve(f.ts, f.u));
  PetscCall(PetscSnapshotDMGetStateKeys(f.da, &nkeys, &keys));
  for (PetscInt i = 0; i < nkeys; i++) PetscCall(TestCheck(comm, (PetscBool)!strstr(keys[i], "tally"), "the composed Vec is not left declared on the DM"));
  PetscCall(PetscFree(keys));
  *rolled = 0;
  if (snap) PetscCall(PetscSnapshotGetTSCounts(snap, rolled, NULL, NULL));
  PetscCall(VecDuplicate(f.u, u));
  PetscCall(VecCopy(f.u, *u));
  *tally = t;
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(FisherDestroy(&f));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  MPI_Comm      comm;
  Steps         rec = {{0}, 0, 0}, none = {{0}, 0, 0};
  Vec           u[3], tally[3];
  PetscInt      rolled[3];
  PetscBool     equal, flg;
  PetscSnapshot s;
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  comm = PETSC_COMM_WORLD;
  PetscCall(Run(comm, 0, &rec, 12, &u[0], &tally[0], &rolled[0]));
  PetscCall(TestCheck(comm, (PetscBool)(rolled[0] > 0 && rec.n == 12), "the adaptor rejected attempts, rolled back"));
  PetscCall(Run(comm, 2, &rec, rec.n, &u[2], &tally[2], &rolled[2]));
  PetscCall(VecBitwiseEqual(u[0], u[2], &equal));
  PetscCall(TestCheck(comm, equal, "the solution equals the replay's bitwise"));
  PetscCall(VecBitwiseEqual(tally[0], tally[2], &equal));
  PetscCall(TestCheck(comm, equal, "with PetscSnapshotSetTSComposed(): the composed tally equals the replay's bitwise"));
  PetscCall(Run(comm, 1, &none, 12, &u[1], &tally[1], &rolled[1]));
  PetscCall(VecBitwiseEqual(tally[1], tally[2], &equal));
  PetscCall(TestCheck(comm, (PetscBool)(rolled[1] > 0 && !equal), "without it: the rejected attempts' stages stay in the tally"));
  for (int i = 0; i < 3; i++) {
    PetscCall(VecDestroy(&u[i]));
    PetscCall(VecDestroy(&tally[i]));
  }
  PetscCall(PetscSnapshotCreate(comm, &s));
  PetscCall(PetscOptionsSetValue(NULL, "-snapshot_ts_composed", "1"));
  PetscCall(PetscSnapshotSetFromOptions(s));
  PetscCall(PetscSnapshotGetTSComposed(s, &flg));
  PetscCall(TestCheck(comm, flg, "-snapshot_ts_composed sets it"));
  PetscCall(PetscOptionsClearValue(NULL, "-snapshot_ts_composed"));
  PetscCall(PetscSnapshotDestroy(&s));
  PetscCall(TestFinish(comm, &code));
  PetscCall(PetscFinalize());
  return code;
}
