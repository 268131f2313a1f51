static const char help[] = "Option values the setters refuse are refused through the options database with the setter's error:\n"
                           "-snapshot_type of no registered type, -snapshot_hdf5_keep below 0, -snapshot_hdf5_filename without a\n"
                           "name; a good value of each is taken.\n";

#include "testutil.h"

/* A snapshot with its own options prefix (so that each case reads only its own option), of type, set from options. */
static PetscErrorCode FromOptions(const char prefix[], const char type[], PetscSnapshot *snap)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
  PetscCall(PetscSnapshotSetOptionsPrefix(*snap, prefix));
  if (type) PetscCall(PetscSnapshotSetType(*snap, type));
  PetscCall(PetscSnapshotSetFromOptions(*snap));
  PetscFunctionReturn(0);
}

/* Create a snapshot with prefix set from options, which must fail with expect; then the setter, called directly on a
   new snapshot, must fail with the same text. */
#define ExpectBoth(prefix, type, setterCall, expect, what) \
  do { \
    PetscSnapshot s_ = NULL; \
    char          w_[256]; \
    PetscCall(PetscSNPrintf(w_, sizeof(w_), "%s: refused through the options", what)); \
    TestExpectError(PETSC_COMM_WORLD, FromOptions(prefix, type, &s_), expect, w_); \
    PetscCall(PetscSnapshotDestroy(&s_)); \
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &s_)); \
    if (type) PetscCall(PetscSnapshotSetType(s_, type)); \
    PetscCall(PetscSNPrintf(w_, sizeof(w_), "%s: the setter's error is the same", what)); \
    TestExpectError(PETSC_COMM_WORLD, (setterCall), expect, w_); \
    PetscCall(PetscSnapshotDestroy(&s_)); \
  } while (0)

int main(int argc, char **argv)
{
  int           code;
  PetscSnapshot snap;
  PetscBool     flg;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsSetValue(NULL, "-badtype_snapshot_type", "nosuch"));
  ExpectBoth("badtype_", NULL, PetscSnapshotSetType(s_, "nosuch"), "nosuch", "-snapshot_type nosuch");
#if defined(PETSC_HAVE_HDF5)
  PetscCall(PetscOptionsSetValue(NULL, "-badkeep_snapshot_hdf5_keep", "-3"));
  ExpectBoth("badkeep_", PETSCSNAPSHOTHDF5, PetscSnapshotHDF5SetKeep(s_, -3), "keep must be >= 0", "-snapshot_hdf5_keep -3");
  PetscCall(PetscOptionsSetValue(NULL, "-nofile_snapshot_hdf5_filename", NULL));
  ExpectBoth("nofile_", PETSCSNAPSHOTHDF5, PetscSnapshotHDF5SetFileName(s_, ""), "a file name is required", "-snapshot_hdf5_filename without a name");

  /* good values are taken */
  PetscCall(PetscOptionsSetValue(NULL, "-good_snapshot_hdf5_keep", "2"));
  PetscCall(PetscOptionsSetValue(NULL, "-good_snapshot_hdf5_filename", "option-values.h5"));
  PetscCall(PetscOptionsSetValue(NULL, "-good_snapshot_skip_unchanged", "true"));
  PetscCall(FromOptions("good_", PETSCSNAPSHOTHDF5, &snap));
  PetscCall(PetscSnapshotGetSkipUnchanged(snap, &flg));
  PetscCall(TestCheck(PETSC_COMM_WORLD, flg, "good values: -snapshot_skip_unchanged true is taken (through its setter)"));
  {
    const char *want[] = {"option-values.h5", "keeps the last 2", NULL};
    PetscCall(TestViewContains(snap, "test_option_values_view.txt", want, "good values: the file name and -snapshot_hdf5_keep 2 are taken"));
  }
  PetscCall(PetscSnapshotDestroy(&snap));
#endif
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
