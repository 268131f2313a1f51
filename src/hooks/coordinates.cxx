/* Hook for every DM: local coordinates and, when present (periodic meshes), local cell coordinates. */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

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

/* Geometry PETSc caches from the coordinates: composed by DMPlex's FVM code, and the coordinate field. */
static const char *const geometryCaches[] = {"DMPlex_cellgeom_fvm", "DMPlex_facegeom_fvm", "DMPlex_dmgrad_fvm"};

static PetscErrorCode CaptureCoordinates(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscFunctionBegin;
  for (const CoordinateKind &k : coordinateKinds) {
    Vec c;

    PetscCall(k.get(dm, &c));
    if (c) PetscCall(PetscSnapshotRecordPutVec(rec, k.record, c));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckCoordinates(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscFunctionBegin;
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
  PetscBool restored = PETSC_FALSE;

  PetscFunctionBegin;
  for (const CoordinateKind &k : coordinateKinds) {
    Vec c;

    PetscCall(k.get(dm, &c));
    if (!c) continue;
    PetscCall(PetscSnapshotRecordGetVec(rec, k.record, c));
    /* setting the local vector again drops the stale global copy; the next DMGetCoordinates() rebuilds it */
    PetscCall(k.set(dm, c));
    restored = PETSC_TRUE;
  }
  if (!restored) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(DMSetCoordinateField(dm, nullptr));
  for (const char *cache : geometryCaches) PetscCall(PetscObjectCompose((PetscObject)dm, cache, nullptr));
  {
    Vec global;

    PetscCall(DMGetCoordinates(dm, &global)); /* rebuild the global coordinates now, collectively */
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RegisterCoordinateHooks(void)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotRegisterDMHook("coordinates", nullptr, CaptureCoordinates, CheckCoordinates, RestoreCoordinates, nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
