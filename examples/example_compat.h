/* Differences between PETSc versions for the examples and tests, in one place (the library's are in
   src/include/compat.h). Public PETSc API only. */
#ifndef PETSCSNAPSHOT_EXAMPLE_COMPAT_H
#define PETSCSNAPSHOT_EXAMPLE_COMPAT_H

#include <petscdmplex.h>
#include <petscdmswarm.h>

/* PetscBool is C's bool from 3.24 and MPIU_BOOL is deprecated for MPI_C_BOOL; before, PetscBool is an enum */
#if PETSC_VERSION_LT(3, 24, 0)
  #define EXAMPLE_MPI_BOOL MPIU_BOOL
#else
  #define EXAMPLE_MPI_BOOL MPI_C_BOOL
#endif

/* PetscErrorMessage()'s specific message is char * up to 3.24 and const char * from 3.25 */
#if PETSC_VERSION_LT(3, 25, 0)
typedef char *ExampleErrorText;
#else
typedef const char *ExampleErrorText;
#endif

/* DMPlexCreateBoxMesh() takes a localization height and a sparse-localization flag from 3.22 */
static inline PetscErrorCode ExampleCreateBoxMesh(MPI_Comm comm, PetscInt dim, const PetscInt faces[], const PetscReal lower[], const PetscReal upper[], const DMBoundaryType bd[], DM *dm)
{
  PetscFunctionBeginUser;
#if PETSC_VERSION_LT(3, 22, 0)
  PetscCall(DMPlexCreateBoxMesh(comm, dim, PETSC_FALSE, faces, lower, upper, bd, PETSC_TRUE, dm));
#else
  PetscCall(DMPlexCreateBoxMesh(comm, dim, PETSC_FALSE, faces, lower, upper, bd, PETSC_TRUE, 0, PETSC_FALSE, dm));
#endif
  PetscFunctionReturn(0);
}

/* From 3.23 a swarm keeps its cell DMs in a PetscObjectList under the DM's name, which holds 255 characters: a
   longer name makes DMSwarmSetCellDM() fail */
#if PETSC_VERSION_LT(3, 23, 0)
  #define EXAMPLE_CELLDM_NAME_MAX 100000
#else
  #define EXAMPLE_CELLDM_NAME_MAX 255
#endif

/* The swarm field holding each particle's cell: DMSwarmPICField_cellid ("DMSwarm_cellid") up to 3.22; from 3.23 it
   belongs to the swarm's active cell DM and is named after it ("<cell DM name>_cellid") */
static inline PetscErrorCode ExampleSwarmCellIdField(DM sw, const char **name)
{
  PetscFunctionBeginUser;
#if PETSC_VERSION_LT(3, 23, 0)
  (void)sw;
  *name = DMSwarmPICField_cellid;
#else
  DMSwarmCellDM celldm;
  PetscCall(DMSwarmGetCellDMActive(sw, &celldm));
  PetscCall(DMSwarmCellDMGetCellID(celldm, name));
#endif
  PetscFunctionReturn(0);
}

#endif
