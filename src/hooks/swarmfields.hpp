/* Enumerating the fields of a DMSwarm. PETSc has no public API for it in any version, so we mirror the private
   structs of src/dm/impls/swarm/data_bucket.h (not installed), whose layout is the same from PETSc 3.18 to 3.25.
   Safety: every enumeration is checked at run time against the public API (local size, DMSwarmGetField() of every
   field that is not checked out, the fields PETSc always registers) before it is used; when the check fails (another
   PETSc), the fields the application declared with PetscSnapshotSwarmSetFields() are used, or capture fails naming
   that function. */
#ifndef PETSCSNAPSHOT_SWARMFIELDS_HPP
#define PETSCSNAPSHOT_SWARMFIELDS_HPP

#include <petscdmswarm.h>
#include <vector>

namespace petscsnapshot
{

/* One registered swarm field, as the snapshot needs it. */
struct SwarmField {
  const char   *name;
  PetscDataType type;       /* PETSC_STRUCT for user structs and user datatypes */
  PetscInt      bs;         /* values per point; for PETSC_STRUCT, bytes per point */
  size_t        bytes;      /* bytes per point */
  bool          active;     /* checked out: DMSwarmGetField() or a field Vec is alive */
  const void   *data;       /* the local values, for reading (also while checked out) */
};

/* The fields of sw (registration order) and its local number of points, checked against the public API. A swarm whose
   local sizes were never set (DMSwarmSetLocalSizes()) holds no points: nlocal is 0 and unsized (may be NULL) true; its
   fields are then read from the mirror's checks alone (PETSc refuses DMSwarmGetField() before the sizes are set), so
   a restore enumerates them again once it has sized the swarm. */
PETSC_INTERN PetscErrorCode SwarmGetFields(DM sw, std::vector<SwarmField> &fields, PetscInt *nlocal, bool *unsized = nullptr);

/* After a restore at another rank count: send each particle to the rank owning its cell (swarmredistribute.cxx). */
PETSC_INTERN PetscErrorCode SwarmRedistribute(DM sw, PetscObject who); /* who: the PetscInfo object (the snapshot) */

} // namespace petscsnapshot

#endif
