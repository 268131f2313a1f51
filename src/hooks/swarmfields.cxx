/* Mirror of PETSc's private DMSwarm data bucket (see swarmfields.hpp for why and how it is kept safe). */
#include "../include/snapshotimpl.hpp"
#include "swarmfields.hpp"

#include <petsc/private/dmswarmimpl.h>
#include <cstring>

namespace petscsnapshot
{

/* src/dm/impls/swarm/data_bucket.h, PETSc 3.18 - 3.25 */
struct MirrorDataField {
  char         *registration_function;
  PetscInt      L, bs;
  PetscBool     active;
  size_t        atomic_size;
  char         *name;
  void         *data;
  PetscDataType petsc_type;
};

struct MirrorDataBucket {
  PetscInt          L;
  PetscInt          buffer;
  PetscInt          allocated;
  PetscBool         finalised;
  PetscInt          nfields;
  MirrorDataField **field;
};

static PetscErrorCode LayoutNotRecognised(DM sw, const char what[])
{
  PetscFunctionBegin;
  SETERRQ(PetscObjectComm((PetscObject)sw), PETSC_ERR_SUP,
          "petsc-snapshot cannot enumerate the fields of DMSwarm \"%s\": the private DMSwarm data layout of this PETSc %d.%d.%d is not the one petsc-snapshot mirrors (%s). Refusing rather than reading garbage.",
          ((PetscObject)sw)->name ? ((PetscObject)sw)->name : "", PETSC_VERSION_MAJOR, PETSC_VERSION_MINOR, PETSC_VERSION_SUBMINOR, what);
}

PetscErrorCode SwarmGetFields(DM sw, std::vector<SwarmField> &fields, PetscInt *nlocal)
{
  DM_Swarm         *swarm = (DM_Swarm *)sw->data;
  MirrorDataBucket *db;
  PetscInt          n;
  bool              hasPid = false, hasRank = false, probed = false;

  PetscFunctionBegin;
  fields.clear();
  db = reinterpret_cast<MirrorDataBucket *>(swarm->db);
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  if (!db || db->L != n || db->nfields < 2 || db->nfields > 100000 || db->allocated < db->L || !db->field) PetscCall(LayoutNotRecognised(sw, "bucket sizes"));
  for (PetscInt f = 0; f < db->nfields; f++) {
    const MirrorDataField *df = db->field[f];
    SwarmField             sf;
    size_t                 tsize = 0;

    if (!df || !df->name || df->bs < 1 || df->atomic_size == 0 || df->L != db->allocated) PetscCall(LayoutNotRecognised(sw, "field sizes"));
    sf.name   = df->name;
    sf.bytes  = df->atomic_size;
    sf.active = df->active == PETSC_TRUE;
    sf.data   = df->data;
    if (df->petsc_type == PETSC_STRUCT || df->petsc_type == PETSC_DATATYPE_UNKNOWN) {
      sf.type = PETSC_STRUCT;
      sf.bs   = (PetscInt)df->atomic_size;
    } else {
      PetscCall(PetscDataTypeGetSize(df->petsc_type, &tsize));
      if (tsize * (size_t)df->bs != df->atomic_size) PetscCall(LayoutNotRecognised(sw, "field type sizes"));
      sf.type = df->petsc_type;
      sf.bs   = df->bs;
    }
    hasPid  = hasPid || !std::strcmp(sf.name, DMSwarmField_pid);
    hasRank = hasRank || !std::strcmp(sf.name, DMSwarmField_rank);
    /* cross-check one field that is not checked out against the public accessor */
    if (!probed && !sf.active) {
      PetscInt      bs;
      PetscDataType type;
      void         *data;

      PetscCall(DMSwarmGetField(sw, sf.name, &bs, &type, &data));
      if (data != df->data) PetscCall(LayoutNotRecognised(sw, "DMSwarmGetField returns another array"));
      PetscCall(DMSwarmRestoreField(sw, sf.name, &bs, &type, &data));
      if (data != nullptr || bs != df->bs || type != df->petsc_type) PetscCall(LayoutNotRecognised(sw, "DMSwarmGetField disagrees"));
      probed = true;
    }
    PetscCallCXX(fields.push_back(sf));
  }
  if (!hasPid || !hasRank) PetscCall(LayoutNotRecognised(sw, "DMSwarm_pid / DMSwarm_rank not found"));
  *nlocal = n;
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
