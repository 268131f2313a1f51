/* One checksum over the /topologies tree of a snapshot file (PETSc's own DMPlex layout, written by PETSc's viewer, so
   without per-dataset checksums of ours): every link name, every attribute (name and value) and every dataset's values,
   in name order, XXH3-64. Stored as the root attribute "topologies_checksum" once the file is complete, verified before
   PETSc's loaders read the tree (a damaged tree could otherwise load wrong values, or crash PETSc's loaders).
   Plain C on HDF5 and libxxhash: the library and the petscsnapshot-info tool share it. */
#ifndef PETSCSNAPSHOT_TOPOLOGYCHECKSUM_H
#define PETSCSNAPSHOT_TOPOLOGYCHECKSUM_H

#include <hdf5.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0 and *sum set; 1 when the file has no /topologies; -1 when the tree cannot be read (damaged). Local, serial. */
int PetscSnapshotTopologiesChecksum(hid_t file, uint64_t *sum);

#ifdef __cplusplus
}
#endif

#endif
