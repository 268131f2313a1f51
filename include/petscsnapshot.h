/*
   petsc-snapshot: "git stash for timesteps" for PETSc applications.

   Public C interface. Usable from C and C++; contains no C++.
*/
#ifndef PETSCSNAPSHOT_H
#define PETSCSNAPSHOT_H

#include <petscdm.h>
#include <petscts.h>
#include <petscviewer.h>

#define PETSCSNAPSHOT_VERSION_MAJOR 0
#define PETSCSNAPSHOT_VERSION_MINOR 1
#define PETSCSNAPSHOT_VERSION_PATCH 0

/*S
   PetscSnapshot - captures the mutable state of one or more `DM`s (coordinates, declared `Vec`s and user state,
   swarm particles, ...) and restores it exactly: "git stash for timesteps".

   Level: beginner

.seealso: `PetscSnapshotCreate()`, `PetscSnapshotCapture()`, `PetscSnapshotRestore()`, `PetscSnapshotType`
S*/
typedef struct _p_PetscSnapshot *PetscSnapshot;

/*J
   PetscSnapshotType - where a `PetscSnapshot` keeps what it captured

   Level: beginner

.seealso: `PetscSnapshotSetType()`, `PETSCSNAPSHOTMEMORY`
J*/
typedef const char *PetscSnapshotType;
#define PETSCSNAPSHOTMEMORY "memory"
#define PETSCSNAPSHOTHDF5   "hdf5"

/*S
   PetscSnapshotRecord - the storage-neutral view of one `DM`'s entry in a `PetscSnapshot`, handed to capture,
   check and restore hooks. Hooks put and get named arrays through it and never see where the data lives.

   Level: advanced

.seealso: `PetscSnapshotRegisterDMHook()`, `PetscSnapshotRecordPutArray()`, `PetscSnapshotRecordGetArray()`
S*/
typedef struct _n_PetscSnapshotRecord *PetscSnapshotRecord;

/*E
   PetscSnapshotRecordKind - what a named array in a `PetscSnapshotRecord` came from

   Level: advanced

.seealso: `PetscSnapshotRecordPutArray()`, `PetscSnapshotRecordPutVec()`, `PetscSnapshotRecordPutPointField()`
E*/
typedef enum {
  PETSCSNAPSHOT_RECORD_ARRAY,
  PETSCSNAPSHOT_RECORD_VEC,
  PETSCSNAPSHOT_RECORD_POINT_FIELD
} PetscSnapshotRecordKind;

/*S
   PetscSnapshotRecordInfo - description of one named array held in a `PetscSnapshotRecord`

   Fields:
+  kind - `PETSCSNAPSHOT_RECORD_ARRAY`, `PETSCSNAPSHOT_RECORD_VEC` or `PETSCSNAPSHOT_RECORD_POINT_FIELD` (one item per particle)
.  type - the `PetscDataType` of the values (`PETSC_STRUCT` for opaque bytes)
.  bs   - values per item (for `PETSC_STRUCT`, bytes per item)
.  n    - number of items on this rank
-  N    - number of items on all ranks (-1 when not known, for plain arrays)

   Level: advanced

.seealso: `PetscSnapshotRecordGetInfo()`
S*/
typedef struct {
  PetscSnapshotRecordKind kind;
  PetscDataType           type;
  PetscInt                bs;
  PetscInt                n;
  PetscInt                N;
} PetscSnapshotRecordInfo;

/*S
   PetscSnapshotHookFn - a capture, check or restore hook for one kind of `DM` state

   Calling Sequence:
$  PetscErrorCode hook(PetscSnapshotRecord rec, DM dm, void *ctx)
+  rec - the `DM`'s entry in the snapshot
.  dm  - the `DM`
-  ctx - the context given to `PetscSnapshotRegisterDMHook()`

   Notes:
   A check hook must not change anything. It reports a mismatch with `PetscSnapshotRecordRefuse()` rather than raising
   an error, so that the refusal is reduced over the communicator and raised on every rank.

   A hook may fail on some ranks only: the driver catches its error, runs the remaining hooks (so that every rank makes
   the same collective calls), and raises the first failing rank's message on every rank after the phase. A capture
   hook therefore makes no collective calls of its own; sub-`DM`s named with `PetscSnapshotRecordAddSubDM()` are
   captured by the driver afterwards.

   Level: advanced

.seealso: `PetscSnapshotRegisterDMHook()`
S*/
typedef PetscErrorCode (*PetscSnapshotHookFn)(PetscSnapshotRecord, DM, void *);

/*S
   PetscSnapshotStateCaptureFn - writes user state that is not plain data into bytes, for `PetscSnapshotDMAddStateCallbacks()`

   Calling Sequence:
$  PetscErrorCode capture(void *ctx, size_t size, void *bytes)
+  ctx   - the user context
.  size  - the size the size function returned
-  bytes - where to write

   Level: intermediate

.seealso: `PetscSnapshotDMAddStateCallbacks()`, `PetscSnapshotStateRestoreFn`, `PetscSnapshotStateSizeFn`
S*/
typedef PetscErrorCode (*PetscSnapshotStateCaptureFn)(void *, size_t, void *);

/*S
   PetscSnapshotStateRestoreFn - rebuilds user state from the bytes its capture function wrote

   Calling Sequence:
$  PetscErrorCode restore(void *ctx, size_t size, const void *bytes)
+  ctx   - the user context
.  size  - the number of bytes captured (may differ from the current size: the state may have grown since)
-  bytes - the captured bytes

   Level: intermediate

.seealso: `PetscSnapshotDMAddStateCallbacks()`, `PetscSnapshotStateCaptureFn`
S*/
typedef PetscErrorCode (*PetscSnapshotStateRestoreFn)(void *, size_t, const void *);

/*S
   PetscSnapshotStateSizeFn - tells how many bytes the capture function of user state will write now

   Calling Sequence:
$  PetscErrorCode size(void *ctx, size_t *size)

   Level: intermediate

.seealso: `PetscSnapshotDMAddStateCallbacks()`
S*/
typedef PetscErrorCode (*PetscSnapshotStateSizeFn)(void *, size_t *);

PETSC_EXTERN PetscClassId      PETSCSNAPSHOT_CLASSID;
PETSC_EXTERN PetscFunctionList PetscSnapshotList;

PETSC_EXTERN PetscErrorCode PetscSnapshotInitializePackage(void);
PETSC_EXTERN PetscErrorCode PetscSnapshotFinalizePackage(void);
PETSC_EXTERN PetscErrorCode PetscSnapshotRegister(const char[], PetscErrorCode (*)(PetscSnapshot));

PETSC_EXTERN PetscErrorCode PetscSnapshotCreate(MPI_Comm, PetscSnapshot *);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetType(PetscSnapshot, PetscSnapshotType);
PETSC_EXTERN PetscErrorCode PetscSnapshotGetType(PetscSnapshot, PetscSnapshotType *);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetOptionsPrefix(PetscSnapshot, const char[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotAppendOptionsPrefix(PetscSnapshot, const char[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotGetOptionsPrefix(PetscSnapshot, const char *[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetFromOptions(PetscSnapshot);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetUp(PetscSnapshot);
PETSC_EXTERN PetscErrorCode PetscSnapshotView(PetscSnapshot, PetscViewer);
PETSC_EXTERN PetscErrorCode PetscSnapshotViewFromOptions(PetscSnapshot, PetscObject, const char[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotReset(PetscSnapshot);
PETSC_EXTERN PetscErrorCode PetscSnapshotDestroy(PetscSnapshot *);

PETSC_EXTERN PetscErrorCode PetscSnapshotCapture(PetscSnapshot, DM);
PETSC_EXTERN PetscErrorCode PetscSnapshotRestore(PetscSnapshot, DM);
PETSC_EXTERN PetscErrorCode PetscSnapshotHasDM(PetscSnapshot, DM, PetscBool *);
PETSC_EXTERN PetscErrorCode PetscSnapshotGetCaptureCount(PetscSnapshot, PetscInt *);

/* Undoing a mesh adaptation: keep each captured DMPlex's topology, rebuild the captured DMPlex */
PETSC_EXTERN PetscErrorCode PetscSnapshotSetDMTopology(PetscSnapshot, PetscBool);
PETSC_EXTERN PetscErrorCode PetscSnapshotGetDMTopology(PetscSnapshot, PetscBool *);
PETSC_EXTERN PetscErrorCode PetscSnapshotCreateDM(PetscSnapshot, const char[], DM *);

/* The hdf5 type */
PETSC_EXTERN PetscErrorCode PetscSnapshotHDF5SetFileName(PetscSnapshot, const char[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotHDF5SetKeep(PetscSnapshot, PetscInt);
PETSC_EXTERN PetscErrorCode PetscSnapshotHDF5SetDurable(PetscSnapshot, PetscBool);
PETSC_EXTERN PetscErrorCode PetscSnapshotHDF5LoadDM(PetscSnapshot, const char[], DM *);
PETSC_EXTERN PetscErrorCode PetscSnapshotHDF5GetFileInfo(PetscSnapshot, PetscMPIInt *, PetscBool *, PetscReal *, PetscInt *, PetscBool *);
PETSC_EXTERN PetscErrorCode PetscSnapshotHDF5Verify(PetscSnapshot);

/* What else belongs to a DM's state */
PETSC_EXTERN PetscErrorCode PetscSnapshotDMAddState(DM, const char[], PetscObject);
PETSC_EXTERN PetscErrorCode PetscSnapshotDMRemoveState(DM, const char[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotDMGetStateKeys(DM, PetscInt *, const char **[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotDMGetState(DM, const char[], PetscObject *);
PETSC_EXTERN PetscErrorCode PetscSnapshotDMAddStateBytes(DM, const char[], void *, size_t, PetscInt);
PETSC_EXTERN PetscErrorCode PetscSnapshotDMAddStateCallbacks(DM, const char[], PetscInt, PetscSnapshotStateSizeFn, PetscSnapshotStateCaptureFn, PetscSnapshotStateRestoreFn, void *, PetscErrorCode (*)(void *));

/* TS integration: capture at every step, restore before every retry of a rejected step */
PETSC_EXTERN PetscErrorCode PetscSnapshotSetTS(PetscSnapshot, TS);
PETSC_EXTERN PetscErrorCode PetscSnapshotTSSetFromOptions(TS, PetscSnapshot *);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetTestRestep(PetscSnapshot, PetscBool);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetTSComposed(PetscSnapshot, PetscBool);
PETSC_EXTERN PetscErrorCode PetscSnapshotGetTSComposed(PetscSnapshot, PetscBool *);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetSkipUnchanged(PetscSnapshot, PetscBool);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetMonitor(PetscSnapshot, PetscBool);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetMonitorViewer(PetscSnapshot, PetscViewer, PetscViewerFormat);
PETSC_EXTERN PetscErrorCode PetscSnapshotSetMonitorProgress(PetscSnapshot, PetscReal);
PETSC_EXTERN PetscErrorCode PetscSnapshotGetSkipUnchanged(PetscSnapshot, PetscBool *);
PETSC_EXTERN PetscErrorCode PetscSnapshotGetTSCounts(PetscSnapshot, PetscInt *, PetscInt *, PetscInt *);
PETSC_EXTERN PetscErrorCode PetscSnapshotGetRestepDifference(PetscSnapshot, const char *[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotGetRestepNotCompared(PetscSnapshot, PetscInt *, const char *[]);

/* DMSwarm fields, declared for a PETSc whose private DMSwarm layout petsc-snapshot does not recognise */
PETSC_EXTERN PetscErrorCode PetscSnapshotSwarmSetFields(DM, PetscInt, const char *const[], const size_t[]);

/* Moving meshes: make PETSc forget geometry computed from old coordinates */
PETSC_EXTERN PetscErrorCode PetscSnapshotDMInvalidateGeometry(DM);

/* Extending: hooks per DM type and the storage-neutral record they write to */
PETSC_EXTERN PetscErrorCode PetscSnapshotRegisterDMHook(const char[], DMType, PetscSnapshotHookFn, PetscSnapshotHookFn, PetscSnapshotHookFn, void *);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordGetDMName(PetscSnapshotRecord, const char *[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordAddSubDM(PetscSnapshotRecord, DM);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordPutArray(PetscSnapshotRecord, const char[], PetscDataType, PetscInt, PetscInt, const void *);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordPutPointField(PetscSnapshotRecord, const char[], PetscDataType, PetscInt, PetscInt, const void *);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordPutVec(PetscSnapshotRecord, const char[], Vec);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordGetInfo(PetscSnapshotRecord, const char[], PetscBool *, PetscSnapshotRecordInfo *);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordGetArray(PetscSnapshotRecord, const char[], PetscDataType, PetscInt, PetscInt, void *);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordGetVec(PetscSnapshotRecord, const char[], Vec);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordCompareVec(PetscSnapshotRecord, const char[], Vec, PetscBool *);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordCheckVec(PetscSnapshotRecord, const char[], Vec, const char[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordGetNames(PetscSnapshotRecord, const char[], PetscInt *, const char **[]);
PETSC_EXTERN PetscErrorCode PetscSnapshotRecordRefuse(PetscSnapshotRecord, const char[], ...) PETSC_ATTRIBUTE_FORMAT(2, 3);

#endif
