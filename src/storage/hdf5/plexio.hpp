/* DMPlex data in PETSc's own HDF5 layout (DMPlex storage version 2.1.0), written into a snapshot file beside its
   per-rank datasets so that the file also restores at another rank count: the topology, coordinates and labels of
   each captured DMPlex, and the section and values of each Vec laid out on one. Read back with PETSc's loaders through
   the SF from the file's points to a DM that PetscSnapshotHDF5LoadDM() loaded from the file. */
#ifndef PETSCSNAPSHOT_PLEXIO_HPP
#define PETSCSNAPSHOT_PLEXIO_HPP

#include "../../include/snapshotimpl.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <petscviewerhdf5.h>
  #include <petscdmplex.h>
  #include <petscsf.h>

namespace petscsnapshot::plexio
{

/* Written as the root attribute "dmplex_storage_version" before PETSc's first DMPlex write: 1.0.0, PETSc's default,
   does not load at another rank count. */
constexpr char storageVersion[] = "2.1.0";

/* Topology, coordinates and labels of dm, under /topologies/<dm name>. */
PETSC_INTERN PetscErrorCode WriteMesh(PetscViewer, DM);
/* The section and values of vec (laid out by a DMPlex sharing topo's topology) as /topologies/<topo>/dms/<name>. */
PETSC_INTERN PetscErrorCode WriteVec(PetscViewer, DM topo, const char name[], Vec vec);
/* Sections a restore's check loaded (CheckVec()), kept for its LoadVec() of the same Vec: DMPlexSectionLoad() reads
   and redistributes the section, and loading it twice cost about a fifth of a restart at another rank count
   (docs/performance.md). Emptied by ClearSections() when the restore ends. */
struct LoadedSection {
  PetscObjectId topo;
  std::string   name;
  DM            sdm;
  PetscSF       gsf, lsf;
  bool          savedLocal;
};
using SectionCache = std::vector<LoadedSection>;
PETSC_INTERN PetscErrorCode ClearSections(SectionCache *);
/* Does vec (laid out on a clone of topo) have a saved counterpart that loads into it on this DM? Fills problem; the
   section loaded to find out goes to cache (may be NULL) for LoadVec(). */
PETSC_INTERN PetscErrorCode CheckVec(PetscViewer, DM topo, const char name[], Vec vec, std::string *problem, SectionCache *cache);
PETSC_INTERN PetscErrorCode LoadVec(PetscViewer, DM topo, const char name[], Vec vec, SectionCache *cache);
/* Is dm loaded from a file with the topology named like it (PetscSnapshotHDF5LoadDM())? Fills problem if not. */
PETSC_INTERN PetscErrorCode CheckMesh(PetscViewer, DM dm, std::string *problem);
/* Restore dm's coordinates from the file; changed tells whether they differed. */
PETSC_INTERN PetscErrorCode LoadCoordinates(PetscViewer, DM dm, PetscBool *changed);
/* Create a DMPlex from the topology, coordinates and labels of the file, distributed over comm. */
PETSC_INTERN PetscErrorCode LoadMesh(PetscViewer, MPI_Comm, const char name[], DM *dm);

} // namespace petscsnapshot::plexio

#endif
#endif
