static const char help[] = "-dll_append libpetscsnapshot.so registers the package in a program that does not link it.\n";

/* This program is NOT linked with libpetscsnapshot: it finds the package only through -dll_append. */
#include <petscsys.h>

typedef PetscErrorCode (*CreateFn)(MPI_Comm, void **);
typedef PetscErrorCode (*DestroyFn)(void **);

int main(int argc, char **argv)
{
  void        *classid = NULL, *create = NULL, *destroy = NULL, *snap = NULL;
  PetscBool    registered;
  PetscInt     passed = 0, failed = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscDLLibrarySym(PETSC_COMM_WORLD, &PetscDLLibrariesLoaded, NULL, "PETSCSNAPSHOT_CLASSID", &classid));
  PetscCall(PetscDLLibrarySym(PETSC_COMM_WORLD, &PetscDLLibrariesLoaded, NULL, "PetscSnapshotCreate", &create));
  PetscCall(PetscDLLibrarySym(PETSC_COMM_WORLD, &PetscDLLibrariesLoaded, NULL, "PetscSnapshotDestroy", &destroy));
  registered = (classid && *(PetscClassId *)classid != 0) ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: the library loaded by -dll_append registered the Snapshot class at PetscInitialize\n", registered ? "ok" : "FAIL"));
  registered ? passed++ : failed++;
  if (create && destroy) {
    PetscCall(((CreateFn)create)(PETSC_COMM_WORLD, &snap));
    PetscCall(((DestroyFn)destroy)(&snap));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: a snapshot is created and destroyed through the loaded library\n", create && destroy && !snap ? "ok" : "FAIL"));
  (create && destroy && !snap) ? passed++ : failed++;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%" PetscInt_FMT " passed, %" PetscInt_FMT " failed\n", passed, failed));
  PetscCall(PetscFinalize());
  return failed ? 1 : 0;
}
