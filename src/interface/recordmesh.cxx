/* The internal record calls for restores whose points are redistributed (another rank count or partition): what a
   record is, and the storage's DMPlex operations (PETSc's own layout, loaded through the file's point SF). */
#include "../include/snapshotimpl.hpp"

#include <petsc/private/dmimpl.h>
#include <petscdmplex.h>

namespace petscsnapshot
{

PetscErrorCode RecordRedistributed(PetscSnapshotRecord rec, PetscBool *redistributed)
{
  PetscMPIInt size;

  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)rec->dm), &size));
  *redistributed = (rec->phase != Phase::Capture && (rec->entry->commSize != size || rec->entry->redistribute)) ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RecordRankwise(PetscSnapshotRecord rec, const char name[], PetscBool *rankwise)
{
  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  auto it   = rec->entry->slots.find(std::string_view(name));
  *rankwise = (it != rec->entry->slots.end() && it->second.rankwise) ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode IsPlex(DM dm, PetscBool *isplex)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMPLEX, isplex));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Is vec laid out by the record's DMPlex or a clone of it (same topology)? */
static PetscErrorCode OnRecordMesh(PetscSnapshotRecord rec, Vec vec, PetscBool *on)
{
  DM        vdm;
  PetscBool isplex, visplex;

  PetscFunctionBegin;
  *on = PETSC_FALSE;
  PetscCall(IsPlex(rec->dm, &isplex));
  PetscCall(VecGetDM(vec, &vdm));
  if (!isplex || !vdm) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(IsPlex(vdm, &visplex));
  *on = (visplex && vdm->data == rec->dm->data) ? PETSC_TRUE : PETSC_FALSE; /* DMClone() shares DM_Plex */
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RecordPutMesh(PetscSnapshotRecord rec)
{
  PetscBool isplex;

  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscCall(IsPlex(rec->dm, &isplex));
  if (isplex && rec->snap->ops->putmesh) PetscUseTypeMethod(rec->snap, putmesh, rec->dm);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RecordPutMeshVec(PetscSnapshotRecord rec, const char name[], Vec vec)
{
  PetscBool on;

  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  if (!rec->snap->ops->putmeshvec) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(OnRecordMesh(rec, vec, &on));
  if (on) PetscUseTypeMethod(rec->snap, putmeshvec, rec->dm, name, vec);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RecordCheckMesh(PetscSnapshotRecord rec)
{
  std::string problem;

  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscCheck(rec->snap->ops->checkmesh, PETSC_COMM_SELF, PETSC_ERR_PLIB, "storage cannot redistribute");
  PetscUseTypeMethod(rec->snap, checkmesh, rec->dm, &problem);
  if (!problem.empty()) PetscCall(PetscSnapshotRecordRefuse(rec, "%s", problem.c_str()));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RecordCheckMeshVec(PetscSnapshotRecord rec, const char name[], Vec vec, const char what[])
{
  std::string problem;
  PetscBool   on;

  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscCall(OnRecordMesh(rec, vec, &on));
  if (!on) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "%s is not laid out by this DMPlex (or a DMClone() of it), so it can be restored only on the %d ranks that captured it", what, rec->entry->commSize));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscUseTypeMethod(rec->snap, checkmeshvec, rec->dm, name, vec, &problem);
  if (!problem.empty()) PetscCall(PetscSnapshotRecordRefuse(rec, "%s: %s", what, problem.c_str()));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RecordGetMeshVec(PetscSnapshotRecord rec, const char name[], Vec vec)
{
  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscUseTypeMethod(rec->snap, getmeshvec, rec->dm, name, vec);
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RecordGetMeshCoordinates(PetscSnapshotRecord rec, PetscBool *changed)
{
  PetscFunctionBegin;
  PetscSnapshotValidRecord(rec, 1);
  PetscUseTypeMethod(rec->snap, getmeshcoordinates, rec->dm, changed);
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
