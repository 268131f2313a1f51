/* Mirror of PETSc's private DMSwarm data bucket (see swarmfields.hpp for why and how it is kept safe). */
#include "../include/snapshotimpl.hpp"
#include "swarmfields.hpp"

#include <petsc/private/dmswarmimpl.h>
#include <cstring>
#include <string>

namespace petscsnapshot
{

/* src/dm/impls/swarm/data_bucket.h, PETSc 3.18 - 3.25 (checked at run time: see MirrorFields) */
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

/* Why the mirror cannot be trusted on this swarm, or nullptr when it can: every check reads only what the previous ones
   showed to be sane, and every field that is not checked out is compared with what DMSwarmGetField() returns. On a
   swarm whose local sizes were never set (DMSwarmGetLocalSize() gives -1) PETSc refuses DMSwarmGetField() (its
   DMSetUp() requires the sizes), so that comparison is left out and *unsized tells the caller. */
static PetscErrorCode MirrorFields(DM sw, std::vector<SwarmField> &fields, PetscInt *nlocal, bool *unsized, const char **problem)
{
  DM_Swarm         *swarm = (DM_Swarm *)sw->data;
  MirrorDataBucket *db;
  PetscInt          n;
  bool              hasPid = false, hasRank = false;

  PetscFunctionBegin;
  fields.clear();
  *problem = nullptr;
  db       = reinterpret_cast<MirrorDataBucket *>(swarm->db);
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  *unsized = n < 0;
  if (!db || db->L != n || n < -1 || db->nfields < 2 || db->nfields > 100000 || db->allocated < db->L || !db->field) {
    *problem = "bucket sizes";
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  for (PetscInt f = 0; f < db->nfields; f++) {
    const MirrorDataField *df = db->field[f];
    SwarmField             sf;
    size_t                 tsize = 0;

    if (!df || !df->name || df->bs < 1 || df->atomic_size == 0 || df->L != db->allocated) {
      *problem = "field sizes";
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    sf.name   = df->name;
    sf.bytes  = df->atomic_size;
    sf.active = df->active == PETSC_TRUE;
    sf.data   = df->data;
    if (df->petsc_type == PETSC_STRUCT || df->petsc_type == PETSC_DATATYPE_UNKNOWN) {
      sf.type = PETSC_STRUCT;
      sf.bs   = (PetscInt)df->atomic_size;
    } else {
      PetscCall(PetscDataTypeGetSize(df->petsc_type, &tsize));
      if (tsize * (size_t)df->bs != df->atomic_size) {
        *problem = "field type sizes";
        PetscFunctionReturn(PETSC_SUCCESS);
      }
      sf.type = df->petsc_type;
      sf.bs   = df->bs;
    }
    hasPid  = hasPid || !std::strcmp(sf.name, DMSwarmField_pid);
    hasRank = hasRank || !std::strcmp(sf.name, DMSwarmField_rank);
    if (!sf.active && !*unsized) { /* cross-check against the public accessor */
      PetscInt      bs;
      PetscDataType type;
      void         *data;

      PetscCall(DMSwarmGetField(sw, sf.name, &bs, &type, &data));
      PetscCall(DMSwarmRestoreField(sw, sf.name, &bs, &type, &data));
      if (data != nullptr || bs != df->bs || type != df->petsc_type) *problem = "DMSwarmGetField disagrees";
      PetscCall(DMSwarmGetField(sw, sf.name, &bs, &type, &data));
      if (data != df->data) *problem = "DMSwarmGetField returns another array";
      PetscCall(DMSwarmRestoreField(sw, sf.name, &bs, &type, &data));
      if (*problem) PetscFunctionReturn(PETSC_SUCCESS);
    }
    PetscCallCXX(fields.push_back(sf));
  }
  if (!hasPid || !hasRank) *problem = "DMSwarm_pid / DMSwarm_rank not found";
  *nlocal = *unsized ? 0 : n;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The field list an application declared with PetscSnapshotSwarmSetFields(), composed on the swarm. */
struct DeclaredFields {
  std::vector<std::string> names;
  std::vector<size_t>      bytes; /* 0: from the field's type and block size */
};

static const char declaredFieldsName[] = "PetscSnapshotSwarmFields";

static PetscErrorCode DestroyDeclaredFields(PetscSnapshotContainerCtxArg arg)
{
  delete static_cast<DeclaredFields *>(PetscSnapshotContainerCtxGet(arg));
  return PETSC_SUCCESS;
}

/* The declared fields, through the public accessor only. A field checked out cannot be read this way. */
static PetscErrorCode DeclaredSwarmFields(DM sw, const DeclaredFields &decl, std::vector<SwarmField> &fields, PetscInt *nlocal)
{
  const char *swname;

  PetscFunctionBegin;
  fields.clear();
  PetscCall(PetscObjectGetName((PetscObject)sw, &swname));
  PetscCall(DMSwarmGetLocalSize(sw, nlocal));
  for (size_t f = 0; f < decl.names.size(); f++) {
    const char    *name = decl.names[f].c_str();
    PetscInt       bs;
    PetscDataType  type;
    void          *data;
    size_t         tsize;
    SwarmField     sf;
    PetscErrorCode ierr;

    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, nullptr));
    ierr = DMSwarmGetField(sw, name, &bs, &type, &data);
    PetscCall(PetscPopErrorHandler());
    PetscCheck(!ierr, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "DMSwarm \"%s\": the field \"%s\" declared with PetscSnapshotSwarmSetFields() cannot be read: it is not registered, or it is checked out (DMSwarmGetField() or a field Vec is alive)", swname, name);
    sf.data = data; /* stays valid until the swarm is resized */
    PetscCall(DMSwarmRestoreField(sw, name, &bs, &type, &data));
    sf.name   = name;
    sf.active = false;
    if (type == PETSC_STRUCT || type == PETSC_DATATYPE_UNKNOWN) {
      PetscCheck(decl.bytes[f] > 0, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "DMSwarm \"%s\": the field \"%s\" is a user struct; give its size in bytes to PetscSnapshotSwarmSetFields()", swname, name);
      sf.type  = PETSC_STRUCT;
      sf.bytes = decl.bytes[f];
      sf.bs    = (PetscInt)decl.bytes[f];
    } else {
      PetscCall(PetscDataTypeGetSize(type, &tsize));
      sf.type  = type;
      sf.bs    = bs;
      sf.bytes = tsize * (size_t)bs;
      PetscCheck(decl.bytes[f] == 0 || decl.bytes[f] == sf.bytes, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "DMSwarm \"%s\": the field \"%s\" has %zu bytes per point, PetscSnapshotSwarmSetFields() says %zu", swname, name, sf.bytes, decl.bytes[f]);
    }
    PetscCallCXX(fields.push_back(sf));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode SwarmGetFields(DM sw, std::vector<SwarmField> &fields, PetscInt *nlocal, bool *unsized)
{
  const char     *problem = nullptr, *swname;
  PetscBool       pretend = PETSC_FALSE;
  PetscContainer  container;
  DeclaredFields *decl = nullptr;
  bool            nosizes = false;

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetBool(((PetscObject)sw)->options, ((PetscObject)sw)->prefix, "-snapshot_swarm_test_unknown_layout", &pretend, nullptr));
  if (pretend) problem = "-snapshot_swarm_test_unknown_layout";
  else PetscCall(MirrorFields(sw, fields, nlocal, &nosizes, &problem));
  if (unsized) *unsized = nosizes;
  if (!problem) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectGetName((PetscObject)sw, &swname));
  if (pretend || nosizes) { /* the public accessor needs the sizes too */
    PetscInt n;

    PetscCall(DMSwarmGetLocalSize(sw, &n));
    PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "DMSwarm \"%s\": its local sizes were never set (DMSwarmSetLocalSizes()), and on this PETSc its fields can be read only through DMSwarmGetField(), which needs them: call DMSwarmSetLocalSizes() (0 particles will do) first", swname);
  }
  PetscCall(PetscObjectQuery((PetscObject)sw, declaredFieldsName, (PetscObject *)&container));
  if (container) PetscCall(PetscContainerGetPointer(container, (void **)&decl));
  if (decl) {
    PetscCall(DeclaredSwarmFields(sw, *decl, fields, nlocal));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_SUP,
          "petsc-snapshot cannot enumerate the fields of DMSwarm \"%s\": the private DMSwarm data layout of this PETSc %d.%d.%d is not the one petsc-snapshot mirrors (%s). Declare the swarm's fields with PetscSnapshotSwarmSetFields()",
          swname, PETSC_VERSION_MAJOR, PETSC_VERSION_MINOR, PETSC_VERSION_SUBMINOR, problem);
}

} // namespace petscsnapshot

/*@C
  PetscSnapshotSwarmSetFields - Declares the fields of a `DMSWARM` that a snapshot captures, for PETSc versions whose
  private `DMSwarm` layout petsc-snapshot does not recognise

  Not Collective

  Input Parameters:
+ sw    - the `DMSWARM`
. n     - the number of fields
. names - their names, every registered field (`DMSwarmField_pid`, `DMSwarmPICField_coor`, `DMSwarmField_rank` and the
          cell-id field included)
- bytes - the bytes per point of each field, or NULL; needed (non-zero) for fields registered with
          `DMSwarmRegisterUserStructField()` or `DMSwarmRegisterUserDatatypeField()`, 0 for the others

  Options Database Key:
. -snapshot_swarm_test_unknown_layout - testing: behave as if the private layout were not recognised

  Notes:
  PETSc has no public API that lists the fields of a `DMSwarm`, so petsc-snapshot reads PETSc's private data bucket,
  whose layout it knows for PETSc 3.18 to 3.25, and checks it against `DMSwarmGetField()` for every field each time.
  When that check fails (a newer PETSc changed the layout) the snapshot uses the fields declared here; without them
  `PetscSnapshotCapture()` fails with an error naming this function. With declared fields, a field that is checked out
  (`DMSwarmGetField()` or a field `Vec` alive) cannot be captured. A second call replaces the list; n = 0 removes it.

  Level: advanced

.seealso: `PetscSnapshotCapture()`, `DMSwarmRegisterPetscDatatypeField()`
@*/
PetscErrorCode PetscSnapshotSwarmSetFields(DM sw, PetscInt n, const char *const names[], const size_t bytes[])
{
  PetscBool                      isswarm;
  petscsnapshot::DeclaredFields *decl;
  PetscContainer                 container;

  PetscFunctionBegin;
  PetscSnapshotValidDM(sw, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)sw, DMSWARM, &isswarm));
  PetscCheck(isswarm, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotSwarmSetFields: the DM is not a DMSWARM");
  PetscCheck(n >= 0 && (n == 0 || names), PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotSwarmSetFields: %" PetscInt_FMT " fields and no names", n);
  if (n == 0) {
    PetscCall(PetscObjectCompose((PetscObject)sw, petscsnapshot::declaredFieldsName, nullptr));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCallCXX(decl = new petscsnapshot::DeclaredFields());
  for (PetscInt f = 0; f < n; f++) {
    PetscCheck(names[f] && names[f][0], PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotSwarmSetFields: field %" PetscInt_FMT " has no name", f);
    PetscCallCXX(decl->names.emplace_back(names[f]));
    PetscCallCXX(decl->bytes.push_back(bytes ? bytes[f] : 0));
  }
  PetscCall(PetscContainerCreate(PETSC_COMM_SELF, &container));
  PetscCall(PetscContainerSetPointer(container, decl));
  PetscCall(PetscSnapshotContainerSetDestroy(container, petscsnapshot::DestroyDeclaredFields));
  PetscCall(PetscObjectCompose((PetscObject)sw, petscsnapshot::declaredFieldsName, (PetscObject)container));
  PetscCall(PetscContainerDestroy(&container));
  PetscFunctionReturn(PETSC_SUCCESS);
}
