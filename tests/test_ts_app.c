static const char help[] = "Application-level stash and retry with the TS declared as state of its DM (its clock comes back with\n"
                           "the restore), the restart rule for methods with history, and the restep completeness check.\n";

#include "fisherutil.h"

typedef struct {
  TSType     type;
  const char *rktype; /* for TSRK */
  FisherMode mode;
} Method;

/* warm up, [capture, a regretted 10x step, restore], [restart only], then K steps; the final solution */
static PetscErrorCode RunApp(const Method *m, PetscBool regret, PetscBool restartOnly, Vec *result)
{
  Fisher        f;
  PetscSnapshot snap;
  PetscReal     dt = 0.01, t0, t1;

  PetscFunctionBeginUser;
  PetscCall(FisherCreate(PETSC_COMM_WORLD, m->mode, m->type, TSADAPTNONE, dt, &f));
  if (m->rktype) PetscCall(TSRKSetType(f.ts, m->rktype));
  PetscCall(PetscSnapshotDMAddState(f.da, "ts", (PetscObject)f.ts));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  for (int k = 0; k < 5; k++) PetscCall(TSStep(f.ts));
  if (regret) {
    PetscCall(TSGetTime(f.ts, &t0));
    PetscCall(PetscSnapshotCapture(snap, f.da));
    PetscCall(TSSetTimeStep(f.ts, 10 * dt));
    PetscCall(TSStep(f.ts));
    PetscCall(PetscSnapshotRestore(snap, f.da)); /* solution, clock (time, dt, step) and DM come back */
    PetscCall(TSGetTime(f.ts, &t1));
    PetscCheck(t0 == t1, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "clock not restored");
  }
  if (restartOnly) PetscCall(TSRestartStep(f.ts));
  for (int k = 0; k < 6; k++) PetscCall(TSStep(f.ts));
  PetscCall(VecDuplicate(f.u, result));
  PetscCall(VecCopy(f.u, *result));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(FisherDestroy(&f));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestAppLoop(const char name[], const Method *m, PetscBool historyFree)
{
  Vec       plain, regretted, restarted;
  PetscBool eq;
  char      line[256];

  PetscFunctionBeginUser;
  PetscCall(RunApp(m, PETSC_FALSE, PETSC_FALSE, &plain));
  PetscCall(RunApp(m, PETSC_TRUE, PETSC_FALSE, &regretted));
  PetscCall(RunApp(m, PETSC_FALSE, PETSC_TRUE, &restarted));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: a regretted step, restored, continues bitwise like a run restarted at that point (TSRestartStep)", name));
  PetscCall(VecBitwiseEqual(regretted, restarted, &eq));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, line));
  PetscCall(VecBitwiseEqual(regretted, plain, &eq));
  if (historyFree) {
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s (no history between steps): ... and like a run that never took the regretted step", name));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, line));
  } else PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  %s: compared with a run that never restarted: %s\n", name, eq ? "equal" : "differs (the method restarted its history)"));
  PetscCall(VecDestroy(&plain));
  PetscCall(VecDestroy(&regretted));
  PetscCall(VecDestroy(&restarted));
  PetscFunctionReturn(0);
}

/* Restep completeness check on RK with, optionally, a hidden counter that influences the step. */
static PetscErrorCode RunRestep(PetscBool hidden, PetscBool declared, PetscInt *checks, PetscInt *mismatches, char first[], size_t len)
{
  Fisher        f;
  PetscSnapshot snap;
  const char   *diff;

  PetscFunctionBeginUser;
  PetscCall(FisherCreate(PETSC_COMM_WORLD, FISHER_EXPLICIT, TSRK, TSADAPTBASIC, 0.01, &f));
  f.ctx.hidden = hidden;
  if (declared) PetscCall(PetscSnapshotDMAddStateBytes(f.da, "counter", &f.ctx.counter, sizeof(f.ctx.counter), 1));
  PetscCall(PetscOptionsSetValue(NULL, "-ts_snapshot", NULL));
  PetscCall(PetscOptionsSetValue(NULL, "-ts_snapshot_test_restep", NULL));
  PetscCall(PetscSnapshotTSSetFromOptions(f.ts, &snap)); /* borrowed: the TS holds it */
  PetscCall(PetscOptionsClearValue(NULL, "-ts_snapshot"));
  PetscCall(PetscOptionsClearValue(NULL, "-ts_snapshot_test_restep"));
  PetscCheck(snap, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "-ts_snapshot did not attach a snapshot");
  for (int k = 0; k < 6; k++) PetscCall(TSStep(f.ts));
  PetscCall(PetscSnapshotGetTSCounts(snap, NULL, checks, mismatches));
  PetscCall(PetscSnapshotGetRestepDifference(snap, &diff));
  PetscCall(PetscStrncpy(first, diff, len));
  { /* the snapshot is borrowed: destroying it by mistake only clears the pointer, the TS goes on and destroys it */
    PetscSnapshot borrowed = snap;

    PetscCall(PetscSnapshotDestroy(&borrowed));
    PetscCall(TSStep(f.ts));
    PetscCall(TestCheck(PETSC_COMM_WORLD, borrowed == NULL ? PETSC_TRUE : PETSC_FALSE, "PetscSnapshotDestroy() of the borrowed snapshot of PetscSnapshotTSSetFromOptions() clears the pointer; the TS steps on and destroys it"));
  }
  PetscCall(FisherDestroy(&f));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  const Method beuler = {TSBEULER, NULL, FISHER_IMPLICIT}, rk4 = {TSRK, TSRK4, FISHER_EXPLICIT}, rk3bs = {TSRK, TSRK3BS, FISHER_EXPLICIT};
  const Method bdf = {TSBDF, NULL, FISHER_IMPLICIT}, arkimex = {TSARKIMEX, NULL, FISHER_IMEX};
  PetscInt     checks, mismatches;
  char         first[512];
  int          code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(TestAppLoop("TSBEULER", &beuler, PETSC_TRUE));
  PetscCall(TestAppLoop("TSRK 4 (classic)", &rk4, PETSC_TRUE));
  PetscCall(TestAppLoop("TSRK 3bs (first same as last)", &rk3bs, PETSC_FALSE));
  PetscCall(TestAppLoop("TSARKIMEX", &arkimex, PETSC_FALSE));
  PetscCall(TestAppLoop("TSBDF (order 2, multistep)", &bdf, PETSC_FALSE));

  PetscCall(RunRestep(PETSC_FALSE, PETSC_FALSE, &checks, &mismatches, first, sizeof(first)));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks == 6 && mismatches == 0), "restep check, complete declaration: every step taken twice, both takes bitwise equal"));
  PetscCall(RunRestep(PETSC_TRUE, PETSC_FALSE, &checks, &mismatches, first, sizeof(first)));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks == 6 && mismatches == 6), "restep check, an undeclared counter that influences the step: caught at every step"));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(strstr(first, "DM \"line\" state \"ts\" (solution)") != NULL), "restep check names the captured objects that diverged (the TS solution among them)"));
  PetscCall(RunRestep(PETSC_TRUE, PETSC_TRUE, &checks, &mismatches, first, sizeof(first)));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks == 6 && mismatches == 0), "restep check, the same counter declared with PetscSnapshotDMAddStateBytes(): passes"));

  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
