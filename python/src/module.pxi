# Module initialization: the PETSc package (classid, log events, types), the module's check hook (bearers.pxi), and
# petsc4py's type registry, so that petsc4py functions returning a PetscSnapshot as a PETSc.Object give a Snapshot.

CHKERR(PetscSnapshotInitializePackage())
_register_bearer_check()  # after the package's built-in hooks
PyPetscType_Register(PETSCSNAPSHOT_CLASSID, Snapshot)

__all__ = ["Snapshot", "SnapshotType", "addState", "removeState", "getStateKeys", "getState", "invalidateGeometry",
           "tsSetFromOptions", "PICKLE_PROTOCOL"]
