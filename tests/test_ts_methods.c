static const char help[] = "Measures, for every TS method that can reject a step, whether a run with the snapshot attached and rejections\n"
                           "equals bitwise a replay that takes only its accepted time steps (adaptor none). Each case asserts the\n"
                           "classification written in docs/ts.md: bit-exact, or exact up to PETSc's own initial guess for a retry\n"
                           "(then the difference is at the nonlinear solver's tolerance), or no rejection at all. Options: -case <i>.\n";

#include "fisherutil.h"

#define MAXSTEPS 4096

typedef enum {
  EXACT,     /* run with rejections == replay of the accepted steps, bitwise */
  GUESS,     /* may differ by the initial guess PETSc gives a retry: difference at solver tolerance (equality not promised) */
  NOREJECT,  /* the method never rejects a step */
  FAILSTEP,  /* a rejection fails the step (no retry in PETSc); the application steps again: == replay, bitwise */
  NOREPLAY   /* the method chooses every step itself (TSPSEUDO): no replay takes the same steps; retries rolled back */
} Expect;
static const char *const expectName[] = {"bit-exact", "exact up to PETSc's initial guess of a retry", "no rejection in PETSc", "a rejection fails the step; stepping again after it is bit-exact", "no replay possible (the method chooses its steps)"};

typedef struct {
  const char *name;
  FisherMode  mode;
  const char *options; /* for this case's options prefix */
  int         check;   /* 1: a stage check rejects stages that change u by more than 0.05; 2: steps longer than 0.05 (TSSSP
                          checks its updated solution, no stage); 0: the adaptor's estimate rejects */
  Expect      expect;
} Case;

static PetscReal logH[MAXSTEPS], lastH;
static PetscInt  nLog;

static PetscErrorCode RecordH(TS ts, PetscReal t)
{
  PetscFunctionBeginUser;
  PetscCall(TSGetTimeStep(ts, &lastH));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckStage(TSAdapt adapt, TS ts, PetscReal t, Vec Y, PetscBool *accept)
{
  PetscFunctionBeginUser;
  PetscCall(StageChangeAtMost(ts, Y, 0.05, accept));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckStepSize(TSAdapt adapt, TS ts, PetscReal t, Vec Y, PetscBool *accept)
{
  PetscFunctionBeginUser;
  PetscCall(StepAtMost(ts, 0.05, accept));
  PetscFunctionReturn(0);
}

/* mode 0: attached, with rejections (logs the accepted steps); 1: replay of the log, adaptor none; 2: PETSc alone */
static PetscErrorCode Run(const Case *c, PetscInt idx, int mode, Vec *u, PetscInt *steps, PetscInt *rejections, PetscInt *retries, PetscInt *failed)
{
  MPI_Comm      comm = PETSC_COMM_WORLD;
  Fisher        f;
  PetscSnapshot snap = NULL;
  TSAdapt       adapt;
  PetscReal     t    = 0, T = 0.6;
  PetscOptions  options;
  Vec           v = NULL; /* the velocity of a second-order problem */

  PetscFunctionBeginUser;
  /* the case's options in a database of their own, for the TSSetFromOptions() inside FisherCreate() */
  PetscCall(PetscOptionsCreate(&options));
  PetscCall(PetscOptionsInsertString(options, c->options));
  PetscCall(PetscOptionsPush(options));
  PetscCall(FisherCreate(comm, c->mode, TSEULER, NULL, 0.2, &f));
  PetscCall(PetscOptionsPop());
  PetscCall(PetscOptionsDestroy(&options));
  PetscCall(TSSetTolerances(f.ts, 1e-6, NULL, 1e-6, NULL));
  /* exact Jacobian: with the colored one, 3.22's fully implicit ARKIMEX fails its first solve (PETSc alone too) */
  if (strstr(c->options, "rosw") || strstr(c->options, "alpha") || strstr(c->options, "fully_implicit")) PetscCall(TSSetIJacobian(f.ts, f.J, f.J, FisherIJacobianExact, &f.ctx));
  if (strstr(c->options, "alpha2")) {
    PetscCall(TSSetI2Function(f.ts, NULL, FisherI2Function, &f.ctx));
    PetscCall(TSSetI2Jacobian(f.ts, f.J, f.J, FisherI2Jacobian, &f.ctx));
    PetscCall(VecDuplicate(f.u, &v));
    PetscCall(VecZeroEntries(v));
    PetscCall(TS2SetSolution(f.ts, f.u, v));
  }
  PetscCall(TSSetPreStage(f.ts, RecordH));
  PetscCall(TSGetAdapt(f.ts, &adapt));
  if (mode == 1) PetscCall(TSAdaptSetType(adapt, TSADAPTNONE));
  else if (c->check) {
    PetscCall(TSAdaptSetType(adapt, TSADAPTNONE));
    PetscCall(TSAdaptSetCheckStage(adapt, c->check == 2 ? CheckStepSize : CheckStage));
  }
  if (mode == 0) {
    PetscCall(PetscSnapshotCreate(comm, &snap));
    PetscCall(PetscSnapshotSetTS(snap, f.ts));
    nLog = 0;
  }
  PetscCall(TSSetErrorIfStepFails(f.ts, PETSC_FALSE)); /* a failed step (FAILSTEP) is taken again, with a smaller step */
  *failed = 0;
  for (PetscInt k = 0, attempts = 0; t < T && k < 80 && attempts < 1000; attempts++) { /* at most 80 accepted steps: the 2-rank runs stay short */
    TSConvergedReason reason;

    if (mode == 1) {
      if (k >= nLog) break;
      PetscCall(TSSetTimeStep(f.ts, logH[k]));
    }
    PetscCall(TSGetTimeStep(f.ts, &lastH)); /* the pre-stage records the step of the last attempt, where it is called */
    PetscCall(TSStep(f.ts));
    PetscCall(TSGetConvergedReason(f.ts, &reason));
    if (reason < 0) (*failed)++;
    else {
      k++;
      if (mode == 0) {
        PetscCheck(nLog < MAXSTEPS, comm, PETSC_ERR_PLIB, "too many steps");
        logH[nLog++] = lastH;
      }
    }
    PetscCall(TSGetTime(f.ts, &t));
    if (c->check && mode != 1) { /* grow the step after each success, so that rejections recur */
      PetscReal h;
      PetscCall(TSGetTimeStep(f.ts, &h));
      PetscCall(TSSetTimeStep(f.ts, 1.6 * h));
    }
  }
  PetscCall(VecDuplicate(f.u, u));
  PetscCall(VecCopy(f.u, *u));
  PetscCall(TSGetStepNumber(f.ts, steps));
  PetscCall(TSGetStepRejections(f.ts, rejections));
  *retries = 0;
  if (snap) PetscCall(PetscSnapshotGetTSCounts(snap, retries, NULL, NULL));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&v));
  PetscCall(FisherDestroy(&f));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  /* -ksp_type preonly -pc_type redundant (fisherutil.h): LU of the whole system on every rank, at any rank count */
  const Case cases[] = {
    {"euler",                                     FISHER_EXPLICIT, "-ts_type euler",                                                    PETSC_TRUE,  NOREJECT},
    {"beuler, stage check",                       FISHER_IMPLICIT, "-ts_type beuler",                                                   PETSC_TRUE,  EXACT},
    {"cn, stage check",                           FISHER_IMPLICIT, "-ts_type cn",                                                       PETSC_TRUE,  EXACT},
    {"theta 0.6, stage check",                    FISHER_IMPLICIT, "-ts_type theta -ts_theta_theta 0.6",                                PETSC_TRUE,  EXACT},
    {"theta 0.6 extrapolated guess, stage check", FISHER_IMPLICIT, "-ts_type theta -ts_theta_theta 0.6 -ts_theta_initial_guess_extrapolate", PETSC_TRUE, GUESS},
    {"theta 0.5 endpoint, adaptive",              FISHER_IMPLICIT, "-ts_type theta -ts_theta_theta 0.5 -ts_theta_endpoint -ts_adapt_type basic", PETSC_FALSE, EXACT},
    {"rk 3bs, adaptive",                          FISHER_EXPLICIT, "-ts_type rk -ts_rk_type 3bs -ts_adapt_type basic",                  PETSC_FALSE, EXACT},
    {"rk 5dp, adaptive",                          FISHER_EXPLICIT, "-ts_type rk -ts_rk_type 5dp -ts_adapt_type basic",                  PETSC_FALSE, EXACT},
    {"rk 2a, adaptive",                           FISHER_EXPLICIT, "-ts_type rk -ts_rk_type 2a -ts_adapt_type basic",                   PETSC_FALSE, EXACT},
    {"rk 4, stage check",                         FISHER_EXPLICIT, "-ts_type rk -ts_rk_type 4",                                         PETSC_TRUE,  EXACT},
    {"arkimex 3 (IMEX), adaptive",                FISHER_IMEX,     "-ts_type arkimex -ts_arkimex_type 3 -ts_adapt_type basic",          PETSC_FALSE, EXACT},
    {"arkimex 4 (IMEX), adaptive",                FISHER_IMEX,     "-ts_type arkimex -ts_arkimex_type 4 -ts_adapt_type basic",          PETSC_FALSE, EXACT},
    {"arkimex l2 (IMEX), stage check",            FISHER_IMEX,     "-ts_type arkimex -ts_arkimex_type l2",                              PETSC_TRUE,  EXACT},
    {"arkimex 3 (IMEX) extrapolated guess, stage check", FISHER_IMEX, "-ts_type arkimex -ts_arkimex_type 3 -ts_arkimex_initial_guess_extrapolate", PETSC_TRUE, GUESS},
    {"arkimex 3 (IMEX) extrapolated guess, adaptive", FISHER_IMEX, "-ts_type arkimex -ts_arkimex_type 3 -ts_arkimex_initial_guess_extrapolate -ts_adapt_type basic", PETSC_FALSE, EXACT},
    {"arkimex 3 fully implicit, adaptive",        FISHER_IMPLICIT, "-ts_type arkimex -ts_arkimex_type 3 -ts_arkimex_fully_implicit -ts_adapt_type basic", PETSC_FALSE, EXACT},
    {"rosw (default ra34pw2), adaptive",          FISHER_IMPLICIT, "-ts_type rosw -ts_adapt_type basic",                                PETSC_FALSE, EXACT},
    {"rosw ra3pw, adaptive",                      FISHER_IMPLICIT, "-ts_type rosw -ts_rosw_type ra3pw -ts_adapt_type basic",            PETSC_FALSE, EXACT},
    {"bdf 1, stage check",                        FISHER_IMPLICIT, "-ts_type bdf -ts_bdf_order 1",                                      PETSC_TRUE,  GUESS},
    {"bdf 2, adaptive",                           FISHER_IMPLICIT, "-ts_type bdf -ts_bdf_order 2 -ts_adapt_type basic",                 PETSC_FALSE, GUESS},
    {"bdf 2, stage check",                        FISHER_IMPLICIT, "-ts_type bdf -ts_bdf_order 2",                                      PETSC_TRUE,  GUESS},
    {"bdf 3, stage check",                        FISHER_IMPLICIT, "-ts_type bdf -ts_bdf_order 3",                                      PETSC_TRUE,  GUESS},
    {"bdf 4, stage check",                        FISHER_IMPLICIT, "-ts_type bdf -ts_bdf_order 4",                                      PETSC_TRUE,  GUESS},
    {"glee (default 35), adaptive",               FISHER_EXPLICIT, "-ts_type glee -ts_adapt_type glee",                                 PETSC_FALSE, EXACT},
    {"glee (default 35), stage check",            FISHER_EXPLICIT, "-ts_type glee",                                                     PETSC_TRUE,  EXACT},
    {"alpha, adaptive",                           FISHER_IMPLICIT, "-ts_type alpha -ts_adapt_type basic",                               PETSC_FALSE, EXACT},
    {"ssp (default rks2), step size check",       FISHER_EXPLICIT, "-ts_type ssp",                                                      2,           FAILSTEP},
    {"ssp rk104, step size check",                FISHER_EXPLICIT, "-ts_type ssp -ts_ssp_type rk104",                                   2,           FAILSTEP},
    {"pseudo, stage check",                       FISHER_IMPLICIT, "-ts_type pseudo",                                                   PETSC_TRUE,  NOREPLAY},
    {"alpha2 (second order), adaptive",           FISHER_IMPLICIT, "-ts_type alpha2 -ts_adapt_type basic",                              PETSC_FALSE, EXACT},
    {"alpha2 (second order), stage check",        FISHER_IMPLICIT, "-ts_type alpha2",                                                   PETSC_TRUE,  EXACT},
    {"irk (default gauss), stage check",          FISHER_IMPLICIT, "-ts_type irk -ksp_type gmres -pc_type none -ksp_rtol 1e-12",        PETSC_TRUE,  NOREJECT},
  };
  PetscInt only = -1;
  int      code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-case", &only, NULL));
  for (PetscInt i = 0; i < (PetscInt)(sizeof(cases) / sizeof(cases[0])); i++) {
    const Case *c = &cases[i];
    Vec         att, rep, own;
    PetscInt    sa, sr, so, ra, rr, ro, xa, xr, xo, fa, fr, fo;
    PetscBool   eq, eqOwn;
    PetscReal   diff, norm;
    char        line[512];

    if (only >= 0 && i != only) continue;
    PetscCall(Run(c, i, 0, &att, &sa, &ra, &xa, &fa));
    PetscCall(Run(c, i, 1, &rep, &sr, &rr, &xr, &fr));
    PetscCall(Run(c, i, 2, &own, &so, &ro, &xo, &fo));
    PetscCall(VecBitwiseEqual(att, rep, &eq));
    PetscCall(VecBitwiseEqual(own, rep, &eqOwn));
    PetscCall(VecNorm(rep, NORM_INFINITY, &norm));
    PetscCall(VecAXPY(att, -1.0, rep));
    PetscCall(VecNorm(att, NORM_INFINITY, &diff));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: %" PetscInt_FMT " accepted steps, %" PetscInt_FMT " rejected, %" PetscInt_FMT " failed, %" PetscInt_FMT " rolled back; attached run %s the replay (max difference %.3g relative); PETSc alone %s the replay\n", c->name, sa, ra, fa, xa,
                          eq ? "EQUALS" : "DIFFERS FROM", (double)(diff / norm), eqOwn ? "equals" : "differs from"));
    if (c->expect == FAILSTEP) {
      PetscCall(PetscSNPrintf(line, sizeof(line), "%s: %s (steps failed, none retried inside TSStep, every failed attempt rolled back, equals the replay)", c->name, expectName[c->expect]));
      PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(ra == 0 && fa > 0 && xa == fa && eq && sa == sr), line));
    } else if (c->expect == NOREPLAY) {
      PetscCall(PetscSNPrintf(line, sizeof(line), "%s: steps were rejected and every rejection rolled back (%s)", c->name, expectName[c->expect]));
      PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(ra > 0 && xa == ra), line));
    } else if (c->expect == NOREJECT) {
      PetscCall(PetscSNPrintf(line, sizeof(line), "%s: %s (no step rejected, nothing rolled back, equals the replay)", c->name, expectName[c->expect]));
      PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(ra == 0 && xa == 0 && eq), line));
    } else {
      PetscCall(PetscSNPrintf(line, sizeof(line), "%s: steps were rejected and every rejection rolled back", c->name));
      PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(ra > 0 && xa == ra), line));
      PetscCall(PetscSNPrintf(line, sizeof(line), "%s: %s", c->name, expectName[c->expect]));
      if (c->expect == EXACT) PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(eq && sa == sr), line));
      else PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(sa == sr && diff <= 1e-6 * norm), line)); /* may happen to be equal */
    }
    PetscCall(VecDestroy(&att));
    PetscCall(VecDestroy(&rep));
    PetscCall(VecDestroy(&own));
  }
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
