/* Package registration: class id, log events, the type list, built-in hooks; finalize at PetscFinalize(). */
#include "../include/snapshotimpl.hpp"

PetscClassId      PETSCSNAPSHOT_CLASSID = 0;
PetscFunctionList PetscSnapshotList     = nullptr;
/* -log_view: one capture and one restore event per storage type (a run with both types tells them apart), generic ones
   for types registered by applications, and the phases inside (docs/user-guide.md, "Watching it work") */
PetscLogEvent PETSCSNAPSHOT_Capture = 0, PETSCSNAPSHOT_Restore = 0, PETSCSNAPSHOT_MemCapture = 0, PETSCSNAPSHOT_MemRestore = 0;
PetscLogEvent PETSCSNAPSHOT_H5Capture = 0, PETSCSNAPSHOT_H5Restore = 0, PETSCSNAPSHOT_Check = 0, PETSCSNAPSHOT_H5Write = 0;
PetscLogEvent PETSCSNAPSHOT_H5Read = 0, PETSCSNAPSHOT_H5Verify = 0, PETSCSNAPSHOT_H5Redist = 0, PETSCSNAPSHOT_PlaceParts = 0;

static PetscBool PetscSnapshotPackageInitialized = PETSC_FALSE;

/*@C
  PetscSnapshotFinalizePackage - Destroys everything the `PetscSnapshot` package registered. Called from
  `PetscFinalize()`.

  Not Collective

  Level: developer

.seealso: `PetscSnapshotInitializePackage()`, `PetscFinalize()`
@*/
PetscErrorCode PetscSnapshotFinalizePackage(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&PetscSnapshotList));
  PetscCall(petscsnapshot::HookRegistryClear());
  PetscSnapshotPackageInitialized = PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotInitializePackage - Registers the `PetscSnapshot` class, its log events, its types and the built-in
  `DM` hooks. Called on first use by `PetscSnapshotCreate()`, so applications need not call it.

  Not Collective

  Level: developer

.seealso: `PetscSnapshotFinalizePackage()`, `PetscSnapshotCreate()`
@*/
PetscErrorCode PetscSnapshotInitializePackage(void)
{
  char      logList[256];
  PetscBool opt, pkg;

  PetscFunctionBegin;
  if (PetscSnapshotPackageInitialized) PetscFunctionReturn(PETSC_SUCCESS);
  PetscSnapshotPackageInitialized = PETSC_TRUE;
  PetscCall(PetscClassIdRegister("Snapshot", &PETSCSNAPSHOT_CLASSID));
  PetscCall(PetscSnapshotRegister(PETSCSNAPSHOTMEMORY, PetscSnapshotCreate_Memory));
  PetscCall(PetscSnapshotRegister(PETSCSNAPSHOTHDF5, PetscSnapshotCreate_HDF5));
  PetscCall(PetscLogEventRegister("SnapshotCapture", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_Capture));
  PetscCall(PetscLogEventRegister("SnapshotRestore", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_Restore));
  PetscCall(PetscLogEventRegister("SnapMemCapture", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_MemCapture));
  PetscCall(PetscLogEventRegister("SnapMemRestore", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_MemRestore));
  PetscCall(PetscLogEventRegister("SnapH5Capture", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_H5Capture));
  PetscCall(PetscLogEventRegister("SnapH5Restore", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_H5Restore));
  PetscCall(PetscLogEventRegister("SnapCheck", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_Check));
  PetscCall(PetscLogEventRegister("SnapH5Write", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_H5Write));
  PetscCall(PetscLogEventRegister("SnapH5Read", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_H5Read));
  PetscCall(PetscLogEventRegister("SnapH5Verify", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_H5Verify));
  PetscCall(PetscLogEventRegister("SnapH5Redist", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_H5Redist));
  PetscCall(PetscLogEventRegister("SnapPlaceParts", PETSCSNAPSHOT_CLASSID, &PETSCSNAPSHOT_PlaceParts));
  PetscCall(petscsnapshot::RegisterBuiltinHooks());
  /* -info_exclude snapshot and -log_exclude snapshot, as PETSc's own packages do */
  {
    PetscClassId classids[1] = {PETSCSNAPSHOT_CLASSID};
    PetscCall(PetscInfoProcessClass("snapshot", 1, classids));
  }
  PetscCall(PetscOptionsGetString(nullptr, nullptr, "-log_exclude", logList, sizeof(logList), &opt));
  if (opt) {
    PetscCall(PetscStrInList("snapshot", logList, ',', &pkg));
    if (pkg) PetscCall(PetscLogEventExcludeClass(PETSCSNAPSHOT_CLASSID));
  }
  PetscCall(PetscRegisterFinalize(PetscSnapshotFinalizePackage));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotRegister - Adds a storage type to the `PetscSnapshot` package

  Not Collective

  Input Parameters:
+ sname    - the name of the type
- function - the routine that fills the ops of a `PetscSnapshot` of this type

  Level: advanced

.seealso: `PetscSnapshotSetType()`, `PetscSnapshotType`, `PETSCSNAPSHOTMEMORY`
@*/
PetscErrorCode PetscSnapshotRegister(const char sname[], PetscErrorCode (*function)(PetscSnapshot))
{
  PetscFunctionBegin;
  PetscCheck(sname && function, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotRegister: name and function are required");
  PetscCall(PetscSnapshotInitializePackage());
  PetscCall(PetscFunctionListAdd(&PetscSnapshotList, sname, function));
  PetscFunctionReturn(PETSC_SUCCESS);
}

#if defined(PETSC_HAVE_DYNAMIC_LIBRARIES) && defined(PETSC_USE_SHARED_LIBRARIES)
/* Called by PETSc when the library is loaded with -dll_append /path/to/libpetscsnapshot.so: besides the package,
   every TS type's constructor is wrapped so that TSSetFromOptions() reads -ts_snapshot (src/ts/typewrap.cxx) */
PETSC_EXTERN PetscErrorCode PetscDLLibraryRegister_petscsnapshot(void)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotInitializePackage());
  PetscCall(PetscSnapshotWrapTSTypes_Internal());
  PetscFunctionReturn(PETSC_SUCCESS);
}
#endif
