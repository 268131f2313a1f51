/* Differences between the PETSc versions petsc-snapshot supports (3.18 and newer), in one place. */
#ifndef PETSCSNAPSHOT_COMPAT_H
#define PETSCSNAPSHOT_COMPAT_H

#include <petscsys.h>
#include <petscversion.h>

#if PETSC_VERSION_LT(3, 18, 0)
  #error "petsc-snapshot needs PETSc 3.18 or newer"
#endif

/* PETSC_SUCCESS is an enum value from 3.19 on */
#if PETSC_VERSION_LT(3, 19, 0)
  #define PETSC_SUCCESS 0
#endif

/* PetscAssertPointer replaces PetscValidPointer in 3.20 */
#if PETSC_VERSION_LT(3, 20, 0)
  #define PetscAssertPointer(p, a) PetscValidPointer(p, a)
#endif

/* PetscOptionItems * becomes PetscOptionItems in 3.23 */
#if PETSC_VERSION_LT(3, 23, 0)
typedef PetscOptionItems *PetscSnapshotOptionItems;
#else
typedef PetscOptionItems PetscSnapshotOptionItems;
#endif

/* PetscContainerSetUserDestroy (callback gets the context, void *) is replaced in 3.23 by PetscContainerSetCtxDestroy,
   whose PetscCtxDestroyFn gets the context's address: as void ** in 3.23-3.24, as PetscCtxRt (a void *) from 3.25 */
#if PETSC_VERSION_LT(3, 23, 0)
  #define PetscSnapshotContainerCtxArg      void *
  #define PetscSnapshotContainerCtxGet(arg) (arg)
  #define PetscSnapshotContainerSetDestroy  PetscContainerSetUserDestroy
#elif PETSC_VERSION_LT(3, 25, 0)
  #define PetscSnapshotContainerCtxArg      void **
  #define PetscSnapshotContainerCtxGet(arg) (*(arg))
  #define PetscSnapshotContainerSetDestroy  PetscContainerSetCtxDestroy
#else
  #define PetscSnapshotContainerCtxArg      void *
  #define PetscSnapshotContainerCtxGet(arg) (*(void **)(arg))
  #define PetscSnapshotContainerSetDestroy  PetscContainerSetCtxDestroy
#endif

/* PetscBool is C's bool from 3.24 and MPIU_BOOL is deprecated for MPI_C_BOOL; before, PetscBool is an enum */
#if PETSC_VERSION_LT(3, 24, 0)
  #define PETSCSNAPSHOT_MPI_BOOL MPIU_BOOL
#else
  #define PETSCSNAPSHOT_MPI_BOOL MPI_C_BOOL
#endif

/* PetscErrorMessage()'s specific message is char ** up to 3.24 and const char ** from 3.25 */
#if PETSC_VERSION_LT(3, 25, 0)
typedef char *PetscSnapshotErrorText;
#else
typedef const char *PetscSnapshotErrorText;
#endif

/* PetscObjectListReverseFind() returns the name as char * up to 3.22 and as const char * from 3.23 */
#if PETSC_VERSION_LT(3, 23, 0)
typedef char *PetscSnapshotObjectListName;
#else
typedef const char *PetscSnapshotObjectListName;
#endif

/* PetscOptionsGetViewer becomes PetscOptionsCreateViewer in 3.22 */
#if PETSC_VERSION_LT(3, 22, 0)
  #define PetscSnapshotOptionsCreateViewer PetscOptionsGetViewer
#else
  #define PetscSnapshotOptionsCreateViewer PetscOptionsCreateViewer
#endif

/* DMGetRegionNumDS() gets a sixth argument (the input PetscDS, dsIn) in 3.20 */
#if PETSC_VERSION_LT(3, 20, 0)
  #define PetscSnapshotDMGetRegionNumDS(dm, s, label, fields, ds) DMGetRegionNumDS((dm), (s), (label), (fields), (ds))
#else
  #define PetscSnapshotDMGetRegionNumDS(dm, s, label, fields, ds) DMGetRegionNumDS((dm), (s), (label), (fields), (ds), NULL)
#endif

/* DMSwarm cell DMs. Up to 3.22 a swarm has one cell DM (DMSwarmGetCellDM() gives NULL when there is none), its sort
   context is DM_Swarm.sort_context and the cell-id field is DMSwarmPICField_cellid ("DMSwarm_cellid"). From 3.23 a swarm
   has named DMSwarmCellDMs, one active; DMSwarmGetCellDM() raises when there is none, each DMSwarmCellDM has its own
   sort and the cell-id field is named after the cell DM ("<cell DM name>_cellid"). C++ only (private DMSwarm header). */
#if defined(__cplusplus)
  #include <petscdmswarm.h>
  #include <petsc/private/dmswarmimpl.h>

/* The active cell DM of a swarm, or NULL when it has none */
static inline PetscErrorCode PetscSnapshotSwarmGetCellDM(DM sw, DM *cell)
{
  PetscFunctionBegin;
  *cell = NULL;
  #if PETSC_VERSION_LT(3, 23, 0)
  PetscCall(DMSwarmGetCellDM(sw, cell));
  #else
  if (((DM_Swarm *)sw->data)->activeCellDM) {
    DMSwarmCellDM celldm;
    PetscCall(DMSwarmGetCellDMActive(sw, &celldm));
    if (celldm) PetscCall(DMSwarmCellDMGetDM(celldm, cell));
  }
  #endif
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The name of the field holding each particle's cell in the active cell DM, or NULL when there is none */
static inline PetscErrorCode PetscSnapshotSwarmGetCellIdField(DM sw, const char **name)
{
  PetscFunctionBegin;
  #if PETSC_VERSION_LT(3, 23, 0)
  *name = DMSwarmPICField_cellid;
  #else
  *name = NULL;
  if (((DM_Swarm *)sw->data)->activeCellDM) {
    DMSwarmCellDM celldm;
    PetscCall(DMSwarmGetCellDMActive(sw, &celldm));
    if (celldm) PetscCall(DMSwarmCellDMGetCellID(celldm, name));
  }
  #endif
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Mark every cell sort of the swarm stale (its population was replaced) */
static inline PetscErrorCode PetscSnapshotSwarmInvalidateSort(DM sw)
{
  DM_Swarm *swarm = (DM_Swarm *)sw->data;

  PetscFunctionBegin;
  #if PETSC_VERSION_LT(3, 23, 0)
  if (swarm->sort_context) swarm->sort_context->isvalid = PETSC_FALSE;
  #else
  for (PetscObjectList l = swarm->cellDMs; l; l = l->next) {
    DMSwarmSort sort = NULL;
    if (l->obj) PetscCall(DMSwarmCellDMGetSort((DMSwarmCellDM)l->obj, &sort));
    if (sort) sort->isvalid = PETSC_FALSE;
  }
  #endif
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The field DMCreateGlobalVector() of the swarm gives (DMSwarmVectorDefineField()) was defined for nlocal particles:
   is it current for n? Up to 3.22 the swarm records the size and refuses a stale one ("DMSwarm sizes have changed since
   last call to VectorDefineField"); from 3.23 the field lives in the cell DM and vectors take the size they find. */
static inline PetscBool PetscSnapshotSwarmVectorFieldCurrent(DM sw, PetscInt n)
{
  #if PETSC_VERSION_LT(3, 23, 0)
  DM_Swarm *swarm = (DM_Swarm *)sw->data;
  return (swarm->vec_field_set && swarm->vec_field_nlocal == n) ? PETSC_TRUE : PETSC_FALSE;
  #else
  (void)sw;
  (void)n;
  return PETSC_FALSE;
  #endif
}

/* Define the swarm's vector field again for its present size (after a restore changed the size) */
static inline PetscErrorCode PetscSnapshotSwarmRedefineVectorField(DM sw)
{
  PetscFunctionBegin;
  #if PETSC_VERSION_LT(3, 23, 0)
  {
    DM_Swarm *swarm = (DM_Swarm *)sw->data;
    char      name[PETSC_MAX_PATH_LEN];
    PetscCall(PetscStrncpy(name, swarm->vec_field_name, sizeof(name)));
    PetscCall(DMSwarmVectorDefineField(sw, name));
  }
  #else
  (void)sw;
  #endif
  PetscFunctionReturn(PETSC_SUCCESS);
}
#endif

/* HDF5 (not PETSc) differences. HDF5 1.12 maps H5Ovisit to H5Ovisit3, which takes the info fields to fill (1.10.3's
   H5Ovisit2 too); asking for the basic ones is also faster. */
#if defined(PETSC_HAVE_HDF5)
  #include <hdf5.h>
  #if defined(H5Ovisit_vers) && H5Ovisit_vers >= 2
    #define PetscSnapshotH5Ovisit(obj, idx, order, op, data) H5Ovisit((obj), (idx), (order), (op), (data), H5O_INFO_BASIC)
  #else
    #define PetscSnapshotH5Ovisit(obj, idx, order, op, data) H5Ovisit((obj), (idx), (order), (op), (data))
  #endif
#endif

#endif
