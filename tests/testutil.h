/* Shared helpers of the petsc-snapshot tests: collective assertions, expected-error checks, bitwise comparisons.
   Every assertion is reduced over the communicator, so all ranks agree on the verdict and nobody hangs. Each test
   program ends with TestFinish(), which prints "N passed, M failed" and makes the exit code non-zero on failure. */
#ifndef PETSCSNAPSHOT_TESTUTIL_H
#define PETSCSNAPSHOT_TESTUTIL_H

#include <petscsnapshot.h>
#include "example_compat.h"
#include <string.h>

static PetscInt testPassed = 0, testFailed = 0;

/* Record one collective verdict: passes only if cond holds on every rank. */
static PetscErrorCode TestCheck(MPI_Comm comm, PetscBool cond, const char what[])
{
  PetscBool all = cond;

  PetscFunctionBeginUser;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &all, 1, EXAMPLE_MPI_BOOL, MPI_LAND, comm));
  if (all) testPassed++;
  else testFailed++;
  PetscCall(PetscPrintf(comm, "%s: %s\n", all ? "ok" : "FAIL", what));
  PetscFunctionReturn(0);
}

/* Bitwise equality of the local parts of two Vecs on every rank of PETSC_COMM_WORLD (local Vecs live on
   PETSC_COMM_SELF, so the verdict is always reduced over the world). */
static PetscErrorCode VecBitwiseEqual(Vec a, Vec b, PetscBool *equal)
{
  PetscInt           na, nb;
  const PetscScalar *xa, *xb;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(a, &na));
  PetscCall(VecGetLocalSize(b, &nb));
  *equal = PETSC_FALSE;
  if (na == nb) {
    PetscCall(VecGetArrayRead(a, &xa));
    PetscCall(VecGetArrayRead(b, &xb));
    *equal = (na == 0 || memcmp(xa, xb, (size_t)na * sizeof(PetscScalar)) == 0) ? PETSC_TRUE : PETSC_FALSE;
    PetscCall(VecRestoreArrayRead(a, &xa));
    PetscCall(VecRestoreArrayRead(b, &xb));
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, equal, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestVecEqual(Vec a, Vec b, const char what[])
{
  PetscBool eq;

  PetscFunctionBeginUser;
  PetscCall(VecBitwiseEqual(a, b, &eq));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));
  PetscFunctionReturn(0);
}

/* Run a call that must fail, on every rank, with an error message containing expect. Errors are not printed. */
#define TestExpectError(comm, call, expect, what) \
  do { \
    PetscErrorCode ierr_t_; \
    const char    *text_t_; \
    ExampleErrorText msg_t_ = NULL; \
    PetscBool      ok_t_; \
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL)); \
    ierr_t_ = (call); \
    PetscCall(PetscPopErrorHandler()); \
    if (ierr_t_) PetscCall(PetscErrorMessage(ierr_t_, &text_t_, &msg_t_)); \
    ok_t_ = (ierr_t_ != 0 && msg_t_ && strstr(msg_t_, (expect))) ? PETSC_TRUE : PETSC_FALSE; \
    if (!ok_t_) PetscCall(PetscPrintf(PETSC_COMM_SELF, "  [%s] error %d, message: %s\n", what, (int)ierr_t_, msg_t_ ? msg_t_ : "(none)")); \
    PetscCall(TestCheck((comm), ok_t_, what)); \
  } while (0)

/* View the snapshot into a file and check, on rank 0, that the text contains every string of want[] (NULL-ended). */
static PetscErrorCode TestViewContains(PetscSnapshot snap, const char file[], const char *const want[], const char what[])
{
  PetscViewer viewer;
  PetscMPIInt rank;
  PetscBool   ok = PETSC_TRUE;

  PetscFunctionBeginUser;
  PetscCall(PetscViewerASCIIOpen(PETSC_COMM_WORLD, file, &viewer));
  PetscCall(PetscSnapshotView(snap, viewer));
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    static char text[65536];
    FILE       *f = fopen(file, "r");
    size_t      len = 0;

    if (f) {
      len = fread(text, 1, sizeof(text) - 1, f);
      fclose(f);
    }
    text[len] = 0;
    for (int i = 0; want[i]; i++)
      if (!strstr(text, want[i])) {
        ok = PETSC_FALSE;
        PetscCall(PetscPrintf(PETSC_COMM_SELF, "  view lacks \"%s\"\n", want[i]));
      }
    if (!ok) PetscCall(PetscPrintf(PETSC_COMM_SELF, "%s\n", text));
  }
  PetscCallMPI(MPI_Bcast(&ok, 1, EXAMPLE_MPI_BOOL, 0, PETSC_COMM_WORLD));
  PetscCall(TestCheck(PETSC_COMM_WORLD, ok, what));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestFinish(MPI_Comm comm, int *code)
{
  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(comm, "%" PetscInt_FMT " passed, %" PetscInt_FMT " failed\n", testPassed, testFailed));
  *code = testFailed ? 1 : 0;
  PetscFunctionReturn(0);
}

#endif
