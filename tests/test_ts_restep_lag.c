static const char help[] = "The restep check on a lagged Jacobian (issue 24): with -snes_lag_jacobian 2 each SNESSolve() starts its own lag\n"
                           "count, so two takes of a step agree; with -snes_lag_jacobian_persists the count and the lagged Jacobian carry\n"
                           "over from one solve to the next, neither is captured, and the check reports every step as a difference in\n"
                           "the TS's solution (docs/ts.md).\n";

#include "fisherutil.h"

static PetscErrorCode RunSolve(const char options[], PetscInt *checks, PetscInt *mismatches, char first[], size_t len)
{
  Fisher        f;
  PetscSnapshot snap;
  const char   *diff;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsInsertString(NULL, options));
  PetscCall(FisherCreate(PETSC_COMM_WORLD, FISHER_IMPLICIT, TSBEULER, TSADAPTNONE, 0.05, &f));
  PetscCall(TSSetMaxSteps(f.ts, 6));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetTestRestep(snap, PETSC_TRUE));
  PetscCall(PetscSnapshotSetTS(snap, f.ts));
  PetscCall(TSSolve(f.ts, f.u));
  PetscCall(PetscSnapshotGetTSCounts(snap, NULL, checks, mismatches));
  PetscCall(PetscSnapshotGetRestepDifference(snap, &diff));
  PetscCall(PetscStrncpy(first, diff ? diff : "", len));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(FisherDestroy(&f));
  PetscCall(PetscOptionsClearValue(NULL, "-snes_lag_jacobian"));
  PetscCall(PetscOptionsClearValue(NULL, "-snes_lag_jacobian_persists"));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscInt checks, mismatches;
  char     first[1024], line[1200];
  int      code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(RunSolve("-snes_lag_jacobian 2", &checks, &mismatches, first, sizeof(first)));
  PetscCall(PetscSNPrintf(line, sizeof(line), "-snes_lag_jacobian 2: %" PetscInt_FMT " steps checked, %" PetscInt_FMT " differ", checks, mismatches));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks == 6 && mismatches == 0), line));
  PetscCall(RunSolve("-snes_lag_jacobian 2 -snes_lag_jacobian_persists", &checks, &mismatches, first, sizeof(first)));
  PetscCall(PetscSNPrintf(line, sizeof(line), "-snes_lag_jacobian 2 -snes_lag_jacobian_persists: %" PetscInt_FMT " of %" PetscInt_FMT " steps differ, first: %s", mismatches, checks, first));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks == 6 && mismatches == 6 && strstr(first, "DM \"line\" state \"ts\" (solution)")), line));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
