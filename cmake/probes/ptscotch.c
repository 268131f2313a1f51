/* Configure-time probe (cmake/PetscSnapshotTesting.cmake): does this PETSc's PT-Scotch partition a small DMPlex on 2
   ranks? Debian's PETSc with 64-bit indices crashes or spins here, in PETSc's own DMPlexDistribute. Prints "ptscotch ok". */
#include <petscdmplex.h>

int main(int argc, char **argv)
{
  DM               dm, dist;
  PetscPartitioner part;
  PetscInt         faces[2] = {4, 4};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
#if PETSC_VERSION_LT(3, 22, 0)
  PetscCall(DMPlexCreateBoxMesh(PETSC_COMM_WORLD, 2, PETSC_FALSE, faces, NULL, NULL, NULL, PETSC_TRUE, &dm));
#else
  PetscCall(DMPlexCreateBoxMesh(PETSC_COMM_WORLD, 2, PETSC_FALSE, faces, NULL, NULL, NULL, PETSC_TRUE, 0, PETSC_FALSE, &dm));
#endif
  PetscCall(DMPlexGetPartitioner(dm, &part));
  PetscCall(PetscPartitionerSetType(part, PETSCPARTITIONERPTSCOTCH));
  PetscCall(DMPlexDistribute(dm, 0, NULL, &dist));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ptscotch ok\n"));
  PetscCall(DMDestroy(&dist));
  PetscCall(DMDestroy(&dm));
  PetscCall(PetscFinalize());
  return 0;
}
