static const char help[] = "The restep check (-snapshot_test_restep) covers what TSSolve() runs between steps: state changed only in a\n"
                           "post-step callback, a post-evaluate callback, a monitor or a pre-step callback, from state that is not declared, is reported by\n"
                           "name; declared, it passes.\n";

#include "fisherutil.h"

typedef struct {
  PetscInt counter; /* declared: changed between steps */
  PetscInt hidden;  /* declared or not: feeds the counter */
} Ctx;

static Ctx ctx;

static PetscErrorCode Advance(void)
{
  PetscFunctionBeginUser;
  ctx.hidden++;
  ctx.counter += ctx.hidden;
  PetscFunctionReturn(0);
}

static PetscErrorCode PostStep(TS ts)
{
  PetscFunctionBeginUser;
  PetscCall(Advance());
  PetscFunctionReturn(0);
}

static PetscErrorCode PreStep(TS ts)
{
  PetscFunctionBeginUser;
  PetscCall(Advance());
  PetscFunctionReturn(0);
}

static PetscErrorCode PostEvaluate(TS ts)
{
  PetscFunctionBeginUser;
  PetscCall(Advance());
  PetscFunctionReturn(0);
}

static PetscErrorCode Monitor(TS ts, PetscInt step, PetscReal t, Vec u, void *unused)
{
  PetscFunctionBeginUser;
  PetscCall(Advance());
  PetscFunctionReturn(0);
}

typedef enum {
  IN_NOTHING,
  IN_POSTSTEP,
  IN_MONITOR,
  IN_PRESTEP,
  IN_POSTEVALUATE
} Where;
static const char *const whereName[] = {"no callback", "a post-step callback", "a monitor", "a pre-step callback", "a post-evaluate callback"};

static PetscErrorCode RunSolve(Where where, PetscBool declareHidden, PetscInt *checks, PetscInt *mismatches, char first[], size_t len)
{
  Fisher        f;
  PetscSnapshot snap;
  const char   *diff;

  PetscFunctionBeginUser;
  ctx.counter = 0;
  ctx.hidden  = 0;
  PetscCall(FisherCreate(PETSC_COMM_WORLD, FISHER_EXPLICIT, TSRK, TSADAPTNONE, 0.01, &f));
  PetscCall(TSSetMaxSteps(f.ts, 6));
  PetscCall(PetscSnapshotDMAddStateBytes(f.da, "counter", &ctx.counter, sizeof(ctx.counter), 1));
  if (declareHidden) PetscCall(PetscSnapshotDMAddStateBytes(f.da, "hidden", &ctx.hidden, sizeof(ctx.hidden), 1));
  if (where == IN_POSTSTEP) PetscCall(TSSetPostStep(f.ts, PostStep));
  if (where == IN_PRESTEP) PetscCall(TSSetPreStep(f.ts, PreStep));
  if (where == IN_MONITOR) PetscCall(TSMonitorSet(f.ts, Monitor, NULL, NULL));
  if (where == IN_POSTEVALUATE) PetscCall(TSSetPostEvaluate(f.ts, PostEvaluate));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetTestRestep(snap, PETSC_TRUE));
  PetscCall(PetscSnapshotSetTS(snap, f.ts));
  PetscCall(TSSolve(f.ts, f.u));
  PetscCall(PetscSnapshotGetTSCounts(snap, NULL, checks, mismatches));
  PetscCall(PetscSnapshotGetRestepDifference(snap, &diff));
  PetscCall(PetscStrncpy(first, diff, len));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(FisherDestroy(&f));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  int code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  for (int w = IN_NOTHING; w <= IN_POSTEVALUATE; w++) {
    PetscInt checks, mismatches;
    char     first[1024], line[512];

    PetscCall(RunSolve((Where)w, PETSC_FALSE, &checks, &mismatches, first, sizeof(first)));
    if (w == IN_NOTHING) {
      PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks == 6 && mismatches == 0), "TSSolve, no callback: 6 steps checked, none differs"));
      continue;
    }
    PetscCall(PetscSNPrintf(line, sizeof(line), "undeclared state read and changed only in %s: caught (%" PetscInt_FMT " of %" PetscInt_FMT " checks)", whereName[w], mismatches, checks));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks == 6 && mismatches >= 4), line));
    PetscCall(PetscSNPrintf(line, sizeof(line), "... reported by name: %s", first));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(strstr(first, "DM \"line\" state \"counter\"") != NULL), line));
    PetscCall(RunSolve((Where)w, PETSC_TRUE, &checks, &mismatches, first, sizeof(first)));
    PetscCall(PetscSNPrintf(line, sizeof(line), "the same state declared, changed in %s: passes", whereName[w]));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks == 6 && mismatches == 0), line));
  }
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
