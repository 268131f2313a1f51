# The C API of include/petscsnapshot.h, and the few PETSc declarations petsc4py's PETSc.pxd does not export in every
# version (3.18 exports the object handles only; PetscErrorCode and CHKERR appear later).

from petsc4py.PETSc cimport MPI_Comm, PetscObject, PetscViewer, PetscDM, PetscTS
from petsc4py.PETSc cimport Comm, Object, Viewer, DM, TS
from petsc4py.PETSc cimport GetComm, GetCommDefault, PyPetscType_Register

cdef extern from "petscsnapshot.h" nogil:
    # PetscErrorCode is an int up to PETSc 3.18 and an enum from 3.19: the C compiler sees PETSc's own type
    ctypedef int PetscErrorCode
    ctypedef int PetscInt
    ctypedef int PetscMPIInt
    ctypedef double PetscReal
    ctypedef enum PetscBool:
        PETSC_FALSE
        PETSC_TRUE
    ctypedef int PetscClassId
    enum: PETSC_ERR_LIB
    enum: PETSC_ERR_ARG_WRONG
    enum: PETSC_ERROR_INITIAL
    MPI_Comm PETSC_COMM_SELF
    PetscErrorCode PetscError(MPI_Comm, int, const char[], const char[], PetscErrorCode, int, const char[], ...)
    PetscErrorCode PetscFree(void *)
    PetscErrorCode PetscObjectReference(PetscObject)
    PetscErrorCode PetscObjectGetReference(PetscObject, PetscInt *)
    PetscBool PetscInitializeCalled
    PetscBool PetscFinalizeCalled
    PetscErrorCode PetscObjectGetClassId(PetscObject, PetscClassId *)
    ctypedef struct _n_PetscOptions
    ctypedef _n_PetscOptions *PetscOptions
    PetscErrorCode PetscOptionsHasName(PetscOptions, const char[], const char[], PetscBool *)
    PetscClassId DM_CLASSID
    PetscClassId VEC_CLASSID
    PetscClassId IS_CLASSID
    PetscClassId TS_CLASSID

    struct _p_PetscSnapshot
    ctypedef _p_PetscSnapshot *PetscSnapshot
    ctypedef const char *PetscSnapshotType
    const char *PETSCSNAPSHOTMEMORY
    const char *PETSCSNAPSHOTHDF5
    PetscClassId PETSCSNAPSHOT_CLASSID
    ctypedef PetscErrorCode (*PetscSnapshotStateSizeFn)(void *, size_t *)
    ctypedef PetscErrorCode (*PetscSnapshotStateCaptureFn)(void *, size_t, void *)
    ctypedef PetscErrorCode (*PetscSnapshotStateRestoreFn)(void *, size_t, const void *)

    PetscErrorCode PetscSnapshotInitializePackage()
    PetscErrorCode PetscSnapshotCreate(MPI_Comm, PetscSnapshot *)
    PetscErrorCode PetscSnapshotSetType(PetscSnapshot, PetscSnapshotType)
    PetscErrorCode PetscSnapshotGetType(PetscSnapshot, PetscSnapshotType *)
    PetscErrorCode PetscSnapshotSetOptionsPrefix(PetscSnapshot, const char[])
    PetscErrorCode PetscSnapshotAppendOptionsPrefix(PetscSnapshot, const char[])
    PetscErrorCode PetscSnapshotGetOptionsPrefix(PetscSnapshot, const char *[])
    PetscErrorCode PetscSnapshotSetFromOptions(PetscSnapshot)
    PetscErrorCode PetscSnapshotSetUp(PetscSnapshot)
    PetscErrorCode PetscSnapshotView(PetscSnapshot, PetscViewer)
    PetscErrorCode PetscSnapshotReset(PetscSnapshot)
    PetscErrorCode PetscSnapshotDestroy(PetscSnapshot *)

    PetscErrorCode PetscSnapshotCapture(PetscSnapshot, PetscDM)
    PetscErrorCode PetscSnapshotRestore(PetscSnapshot, PetscDM)
    PetscErrorCode PetscSnapshotHasDM(PetscSnapshot, PetscDM, PetscBool *)
    PetscErrorCode PetscSnapshotGetCaptureCount(PetscSnapshot, PetscInt *)

    PetscErrorCode PetscSnapshotHDF5SetFileName(PetscSnapshot, const char[])
    PetscErrorCode PetscSnapshotHDF5SetKeep(PetscSnapshot, PetscInt)
    PetscErrorCode PetscSnapshotHDF5SetDurable(PetscSnapshot, PetscBool)
    PetscErrorCode PetscSnapshotHDF5LoadDM(PetscSnapshot, const char[], PetscDM *)
    PetscErrorCode PetscSnapshotHDF5GetFileInfo(PetscSnapshot, PetscMPIInt *, PetscBool *, PetscReal *, PetscInt *, PetscBool *)

    PetscErrorCode PetscSnapshotDMAddState(PetscDM, const char[], PetscObject)
    PetscErrorCode PetscSnapshotDMRemoveState(PetscDM, const char[])
    PetscErrorCode PetscSnapshotDMGetStateKeys(PetscDM, PetscInt *, const char **[])
    PetscErrorCode PetscSnapshotDMGetState(PetscDM, const char[], PetscObject *)
    PetscErrorCode PetscSnapshotDMAddStateBytes(PetscDM, const char[], void *, size_t, PetscInt)
    PetscErrorCode PetscSnapshotDMAddStateCallbacks(PetscDM, const char[], PetscInt, PetscSnapshotStateSizeFn, PetscSnapshotStateCaptureFn, PetscSnapshotStateRestoreFn, void *, PetscErrorCode (*)(void *))

    PetscErrorCode PetscSnapshotSetTS(PetscSnapshot, PetscTS)
    PetscErrorCode PetscSnapshotTSSetFromOptions(PetscTS, PetscSnapshot *)
    PetscErrorCode PetscSnapshotSetTestRestep(PetscSnapshot, PetscBool)
    PetscErrorCode PetscSnapshotSetSkipUnchanged(PetscSnapshot, PetscBool)
    PetscErrorCode PetscSnapshotGetSkipUnchanged(PetscSnapshot, PetscBool *)
    PetscErrorCode PetscSnapshotGetTSCounts(PetscSnapshot, PetscInt *, PetscInt *, PetscInt *)
    PetscErrorCode PetscSnapshotGetRestepDifference(PetscSnapshot, const char *[])
    PetscErrorCode PetscSnapshotGetRestepNotCompared(PetscSnapshot, PetscInt *, const char *[])

    PetscErrorCode PetscSnapshotSwarmSetFields(PetscDM, PetscInt, const char *const[], const size_t[])
    PetscErrorCode PetscSnapshotDMInvalidateGeometry(PetscDM)

cdef extern from "release.h" nogil:  # src/include: internal to the library and this module
    PetscErrorCode PetscSnapshotReleaseLocalData_Internal(PetscSnapshot)

cdef extern from "string.h" nogil:
    void *memcpy(void *, const void *, size_t)
