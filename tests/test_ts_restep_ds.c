static const char help[] = "The restep check (-snapshot_test_restep) and what a DMPlex FE step reads beside its fields: PetscDS\n"
                           "constants, captured by default, are compared like other captured state (constants set from undeclared\n"
                           "state are reported as ds/0/constants; constants that ramp with the step number pass); a label changed\n"
                           "per step is reported by name when it is not declared, and passes when declared.\n";

#include "testutil.h"
#include "heatutil.h"

typedef enum {
  CONSTANTS_FROM_COUNTER, /* undeclared counter: the takes differ */
  CONSTANTS_RAMP,         /* a function of the step number: captured, restored, passes */
  LABEL_UNDECLARED,       /* a label changed per step, not declared: reported by name */
  LABEL_DECLARED,         /* the same label declared: passes */
  LABEL_IN_STEP           /* a label changed inside the step (a post-stage callback), not declared: reported */
} Case;
static const char *const caseName[] = {"constants set from an undeclared counter", "constants ramping with the step number", "a label changed per step, not declared", "the same label declared", "a label changed inside the step, not declared"};

static Case     current;
static PetscInt counter;

static PetscErrorCode PostStep(TS ts)
{
  DM       dm;
  PetscInt step;

  PetscFunctionBeginUser;
  PetscCall(TSGetDM(ts, &dm));
  PetscCall(TSGetStepNumber(ts, &step));
  if (current == CONSTANTS_FROM_COUNTER || current == CONSTANTS_RAMP) {
    PetscDS     ds;
    PetscScalar c[2];
    PetscReal   k = current == CONSTANTS_RAMP ? (PetscReal)step : (PetscReal)counter++;

    c[0] = 1.0 + k / 3.0;
    c[1] = 2.0 - k / 7.0;
    PetscCall(DMGetDS(dm, &ds));
    PetscCall(PetscDSSetConstants(ds, 2, c));
  } else {
    DMLabel  label;
    PetscInt cStart, cEnd;

    PetscCall(DMGetLabel(dm, "material", &label));
    PetscCall(DMLabelReset(label));
    PetscCall(DMPlexGetHeightStratum(dm, 0, &cStart, &cEnd));
    for (PetscInt c = cStart; c < cEnd; c++) PetscCall(DMLabelSetValue(label, c, (c + step) % 3));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode PostStage(TS ts, PetscReal t, PetscInt stage, Vec *Y)
{
  DM       dm;
  DMLabel  label;
  PetscInt cStart;

  PetscFunctionBeginUser;
  PetscCall(TSGetDM(ts, &dm));
  PetscCall(DMGetLabel(dm, "material", &label));
  PetscCall(DMPlexGetHeightStratum(dm, 0, &cStart, NULL));
  PetscCall(DMLabelSetValue(label, cStart, (PetscInt)(1000 * t + 0.5))); /* one more value per stage */
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(Case which, PetscInt *checks, PetscInt *mismatches, char first[], size_t len)
{
  Heat          h;
  PetscSnapshot snap;
  const char   *diff;
  PetscDS       ds;
  PetscScalar   c0[2] = {1.0, 2.0};

  PetscFunctionBeginUser;
  current = which;
  counter = 0;
  PetscCall(HeatCreate(PETSC_COMM_WORLD, 4, 0.01, &h));
  PetscCall(DMGetDS(h.dm, &ds));
  PetscCall(PetscDSSetConstants(ds, 2, c0));
  if (which >= LABEL_UNDECLARED) PetscCall(DMCreateLabel(h.dm, "material"));
  if (which == LABEL_DECLARED) {
    DMLabel label;
    PetscCall(DMGetLabel(h.dm, "material", &label));
    PetscCall(PetscSnapshotDMAddState(h.dm, "material", (PetscObject)label));
  }
  PetscCall(TSSetMaxSteps(h.ts, 4));
  if (which == LABEL_IN_STEP) PetscCall(TSSetPostStage(h.ts, PostStage));
  else PetscCall(TSSetPostStep(h.ts, PostStep));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetTestRestep(snap, PETSC_TRUE));
  PetscCall(PetscSnapshotSetTS(snap, h.ts));
  PetscCall(TSSolve(h.ts, h.u));
  PetscCall(PetscSnapshotGetTSCounts(snap, NULL, checks, mismatches));
  PetscCall(PetscSnapshotGetRestepDifference(snap, &diff));
  PetscCall(PetscStrncpy(first, diff ? diff : "", len));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(HeatDestroy(&h));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  int code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  for (int w = CONSTANTS_FROM_COUNTER; w <= LABEL_IN_STEP; w++) {
    PetscInt checks, mismatches;
    char     first[1024], line[1536];

    PetscCall(Run((Case)w, &checks, &mismatches, first, sizeof(first)));
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s: %" PetscInt_FMT " checks, %" PetscInt_FMT " differ (first: %s)", caseName[w], checks, mismatches, first));
    switch ((Case)w) {
    case CONSTANTS_FROM_COUNTER:
      PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks >= 4 && mismatches >= 2 && strstr(first, "ds/0/constants")), line));
      break;
    case LABEL_IN_STEP:
      PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks >= 4 && mismatches >= 4 && strstr(first, "label \"material\" of DM \"mesh\"")), line));
      break;
    case LABEL_UNDECLARED:
      PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks >= 4 && mismatches >= 2 && strstr(first, "label \"material\" of DM \"mesh\"")), line));
      break;
    default:
      PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(checks >= 4 && mismatches == 0), line));
    }
  }
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
