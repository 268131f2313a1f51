/* Hook for every DM: local coordinates and, when present (periodic meshes), local cell coordinates. */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

#include <petscdmplex.h>

namespace petscsnapshot
{

struct CoordinateKind {
  const char *record; /* name in the snapshot */
  const char *what;   /* name in messages */
  PetscErrorCode (*get)(DM, Vec *);
  PetscErrorCode (*set)(DM, Vec);
};

static const CoordinateKind coordinateKinds[] = {
  {"coordinates",      "coordinates",      DMGetCoordinatesLocal,     DMSetCoordinatesLocal    },
  {"cell_coordinates", "cell coordinates", DMGetCellCoordinatesLocal, DMSetCellCoordinatesLocal},
};

/* Geometry PETSc's FVM code caches from the coordinates, composed on the DM. */
static const char *const geometryCaches[] = {"DMPlex_cellgeom_fvm", "DMPlex_facegeom_fvm", "DMPlex_dmgrad_fvm"};

/* PETSc's FEM residual and Jacobian cache the cell geometry (PetscFEGeom) composed on the point IS they integrate
   over, which for all cells is a stratum IS held by a label ("depth", "dim", ...). Replacing each stratum IS by a copy
   drops those compositions without knowing their (version-dependent) names. */
/* Calls fn(label, value, ctx) for every stratum of every label of dm */
PetscErrorCode ForEachLabelStratum(DM dm, PetscErrorCode (*fn)(DMLabel, PetscInt, void *), void *ctx)
{
  PetscInt nl;

  PetscFunctionBegin;
  PetscCall(DMGetNumLabels(dm, &nl));
  for (PetscInt l = 0; l < nl; l++) {
    DMLabel         label;
    IS              values;
    PetscInt        nv;
    const PetscInt *v;

    PetscCall(DMGetLabelByNum(dm, l, &label));
    PetscCall(DMLabelGetValueIS(label, &values));
    PetscCall(ISGetLocalSize(values, &nv));
    PetscCall(ISGetIndices(values, &v));
    for (PetscInt i = 0; i < nv; i++) PetscCall(fn(label, v[i], ctx));
    PetscCall(ISRestoreIndices(values, &v));
    PetscCall(ISDestroy(&values));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RefreshStratum(DMLabel label, PetscInt value, void *)
{
  IS stratum, fresh;

  PetscFunctionBegin;
  PetscCall(DMLabelGetStratumIS(label, value, &stratum));
  if (!stratum) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(ISDuplicate(stratum, &fresh));
  PetscCall(ISCopy(stratum, fresh));
  PetscCall(DMLabelSetStratumIS(label, value, fresh));
  PetscCall(ISDestroy(&fresh));
  PetscCall(ISDestroy(&stratum));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RefreshLabelStrata(DM dm)
{
  PetscFunctionBegin;
  PetscCall(ForEachLabelStratum(dm, RefreshStratum, nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CaptureCoordinates(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscFunctionBegin;
  /* collective: a DM with only global coordinates (DMRefine() of a DMPlex in PETSc 3.25) gets local ones */
  PetscCall(DMGetCoordinatesLocalSetUp(dm));
  PetscCall(DMGetCellCoordinatesLocalSetUp(dm));
  for (const CoordinateKind &k : coordinateKinds) {
    Vec c;

    PetscCall(k.get(dm, &c));
    if (c) PetscCall(PetscSnapshotRecordPutVec(rec, k.record, c));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckCoordinates(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscBool redistributed, isplex;

  PetscFunctionBegin;
  PetscCall(RecordRedistributed(rec, &redistributed));
  PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMPLEX, &isplex));
  if (redistributed && isplex) PetscFunctionReturn(PETSC_SUCCESS); /* the layout hook checked that the mesh comes from the file */
  for (const CoordinateKind &k : coordinateKinds) {
    PetscBool captured;

    if (!redistributed) break;
    PetscCall(PetscSnapshotRecordGetInfo(rec, k.record, &captured, nullptr));
    if (captured) PetscCall(PetscSnapshotRecordRefuse(rec, "%s of a DM of type %s are stored per rank: they can be restored only on the %d ranks that captured them", k.what, rec->entry->dmType.c_str(), rec->entry->commSize));
  }
  if (redistributed) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(DMGetCoordinatesLocalSetUp(dm)); /* collective, as in CaptureCoordinates() */
  PetscCall(DMGetCellCoordinatesLocalSetUp(dm));
  for (const CoordinateKind &k : coordinateKinds) {
    Vec       c;
    PetscBool captured;

    PetscCall(k.get(dm, &c));
    PetscCall(PetscSnapshotRecordGetInfo(rec, k.record, &captured, nullptr));
    if (c) PetscCall(PetscSnapshotRecordCheckVec(rec, k.record, c, k.what));
    else if (captured) PetscCall(PetscSnapshotRecordRefuse(rec, "%s were captured but the DM has none now", k.what));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreCoordinates(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscBool changed = PETSC_FALSE, redistributed;

  PetscFunctionBegin;
  PetscCall(RecordRedistributed(rec, &redistributed));
  if (redistributed) { /* a DMPlex's through PETSc's loader; other DMs' were refused, unless they have none */
    PetscBool isplex;

    PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMPLEX, &isplex));
    if (!isplex) PetscFunctionReturn(PETSC_SUCCESS);
    PetscCall(RecordGetMeshCoordinates(rec, &changed));
  }
  for (const CoordinateKind &k : coordinateKinds) {
    if (redistributed) break;
    Vec       c;
    PetscBool equal;

    PetscCall(k.get(dm, &c));
    if (!c) continue;
    /* unchanged coordinates need no write and keep every cache valid */
    PetscCall(PetscSnapshotRecordCompareVec(rec, k.record, c, &equal));
    if (equal) continue;
    PetscCall(PetscSnapshotRecordGetVec(rec, k.record, c));
    /* setting the local vector again drops the stale global copy */
    PetscCall(k.set(dm, c));
    changed = PETSC_TRUE;
  }
  /* the decision must be the same on every rank: invalidation is collective */
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &changed, 1, PETSCSNAPSHOT_MPI_BOOL, MPI_LOR, PetscObjectComm((PetscObject)dm)));
  if (changed) PetscCall(PetscSnapshotDMInvalidateGeometry(dm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot

/*@
  PetscSnapshotDMInvalidateGeometry - Makes PETSc forget every geometric quantity it computed from a `DM`'s old
  coordinates, after the coordinates changed (a moved mesh, or a restore)

  Collective

  Input Parameter:
. dm - the `DM` whose coordinates changed (set with `DMSetCoordinatesLocal()` or `DMSetCoordinates()`)

  Notes:
  Drops the coordinate field (`DMSetCoordinateField()`), the FVM cell and face geometry DMPlex composes on the `DM`,
  and the FEM cell geometry PETSc caches on the label strata it integrates over (without this, DMPlex FEM residuals and
  Jacobians keep using the old geometry); then rebuilds the global coordinates from the local ones.
  `PetscSnapshotRestore()` calls it whenever it changed coordinates. Applications that move a mesh call it too.

  Level: intermediate

.seealso: `PetscSnapshotRestore()`, `DMSetCoordinatesLocal()`, `DMSetCoordinateField()`
@*/
PetscErrorCode PetscSnapshotDMInvalidateGeometry(DM dm)
{
  PetscBool isplex;
  Vec       global;

  PetscFunctionBegin;
  PetscSnapshotValidDM(dm, 1);
  PetscCall(DMSetCoordinateField(dm, nullptr));
  for (const char *cache : petscsnapshot::geometryCaches) PetscCall(PetscObjectCompose((PetscObject)dm, cache, nullptr));
  PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMPLEX, &isplex));
  if (isplex) PetscCall(petscsnapshot::RefreshLabelStrata(dm));
  PetscCall(DMGetCoordinates(dm, &global)); /* rebuilt from the local coordinates if they were set */
  PetscFunctionReturn(PETSC_SUCCESS);
}

namespace petscsnapshot
{

PetscErrorCode RegisterCoordinateHooks(void)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotRegisterDMHook("coordinates", nullptr, CaptureCoordinates, CheckCoordinates, RestoreCoordinates, nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
