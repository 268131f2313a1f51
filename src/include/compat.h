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

/* PetscContainerSetUserDestroy (callback gets void *) is replaced by PetscContainerSetCtxDestroy (void **) in 3.23 */
#if PETSC_VERSION_LT(3, 23, 0)
  #define PetscSnapshotContainerCtxArg      void *
  #define PetscSnapshotContainerCtxGet(arg) (arg)
  #define PetscSnapshotContainerSetDestroy  PetscContainerSetUserDestroy
#else
  #define PetscSnapshotContainerCtxArg      void **
  #define PetscSnapshotContainerCtxGet(arg) (*(arg))
  #define PetscSnapshotContainerSetDestroy  PetscContainerSetCtxDestroy
#endif

/* PetscOptionsGetViewer becomes PetscOptionsCreateViewer in 3.22 */
#if PETSC_VERSION_LT(3, 22, 0)
  #define PetscSnapshotOptionsCreateViewer PetscOptionsGetViewer
#else
  #define PetscSnapshotOptionsCreateViewer PetscOptionsCreateViewer
#endif

/* The swarm field holding each particle's cell: DMSwarm_cellid up to 3.22; from 3.23 it is named after the cell DM
   (not set by a restore at another rank count there yet) */
#if PETSC_VERSION_LT(3, 23, 0)
  #define PETSCSNAPSHOT_SWARM_CELLID DMSwarmPICField_cellid
#endif

#endif
