/* Hook for DMSWARM: every registered field of every local particle, rebuilt on restore; and the cell DM, as a sub-DM.
   Arrays are named "swarm/<field name>", one item per local particle. */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"
#include "swarmfields.hpp"

#include <petsc/private/dmswarmimpl.h>
#include <cstring>

namespace petscsnapshot
{

static const char swarmPrefix[] = "swarm/";

static std::string RecordName(const char field[])
{
  return std::string(swarmPrefix) + field;
}

static PetscErrorCode CellDM(DM sw, DM *cell)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotSwarmGetCellDM(sw, cell));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CaptureSwarm(PetscSnapshotRecord rec, DM sw, void *)
{
  std::vector<SwarmField> fields;
  PetscInt                n;
  DM                      cell;

  PetscFunctionBegin;
  PetscCall(CellDM(sw, &cell));
  if (cell) PetscCall(PetscSnapshotRecordAddSubDM(rec, cell)); /* one call stashes the mesh too */
  PetscCall(SwarmGetFields(sw, fields, &n));
  for (const SwarmField &f : fields) {
    std::string name;

    PetscCallCXX(name = RecordName(f.name));
    PetscCall(PetscSnapshotRecordPutPointField(rec, name.c_str(), f.type, f.bs, n, f.data));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckSwarm(PetscSnapshotRecord rec, DM sw, void *)
{
  std::vector<SwarmField> fields;
  PetscInt                n, ncaptured;
  const char            **captured;
  DM                      cell;

  PetscFunctionBegin;
  PetscCall(CellDM(sw, &cell));
  if (cell) PetscCall(PetscSnapshotRecordAddSubDM(rec, cell)); /* checked first by the driver: see CheckTree() */
  if (!((DM_Swarm *)sw->data)->field_registration_finalized) { /* PETSc cannot size it: DMSwarmSetLocalSizes() would fail */
    PetscCall(PetscSnapshotRecordRefuse(rec, "its field registration was not finalized: register the captured fields and call DMSwarmFinalizeFieldRegister() before the restore"));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(SwarmGetFields(sw, fields, &n));
  for (const SwarmField &f : fields) {
    std::string             name;
    PetscBool               found;
    PetscSnapshotRecordInfo info;

    PetscCallCXX(name = RecordName(f.name));
    PetscCall(PetscSnapshotRecordGetInfo(rec, name.c_str(), &found, &info));
    if (!found) PetscCall(PetscSnapshotRecordRefuse(rec, "swarm field \"%s\" is registered now but was not at capture", f.name));
    else if (info.type != f.type || info.bs != f.bs)
      PetscCall(PetscSnapshotRecordRefuse(rec, "swarm field \"%s\" changed: captured %s with block size %" PetscInt_FMT ", now %s with block size %" PetscInt_FMT, f.name, PetscDataTypes[info.type], info.bs, PetscDataTypes[f.type], f.bs));
    if (f.active) PetscCall(PetscSnapshotRecordRefuse(rec, "swarm field \"%s\" is checked out (DMSwarmGetField() or a Vec from DMSwarmCreateGlobalVectorFromField() is alive), so the population cannot be rebuilt", f.name));
  }
  PetscCall(PetscSnapshotRecordGetNames(rec, swarmPrefix, &ncaptured, &captured));
  for (PetscInt i = 0; i < ncaptured; i++) {
    const char *field = captured[i] + sizeof(swarmPrefix) - 1;
    bool        registered = false;

    for (const SwarmField &f : fields) registered = registered || !std::strcmp(f.name, field);
    if (!registered) PetscCall(PetscSnapshotRecordRefuse(rec, "swarm field \"%s\" was captured but is not registered now", field));
  }
  PetscCall(PetscFree(captured));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The number of points the snapshot holds for this rank, the same in every field of the swarm. */
static PetscErrorCode CapturedCount(PetscSnapshotRecord rec, const std::vector<SwarmField> &fields, PetscInt *ncaptured)
{
  PetscFunctionBegin;
  *ncaptured = -1;
  for (const SwarmField &f : fields) {
    PetscBool               found;
    PetscSnapshotRecordInfo info;
    std::string             name;

    PetscCallCXX(name = RecordName(f.name));
    PetscCall(PetscSnapshotRecordGetInfo(rec, name.c_str(), &found, &info));
    PetscCheck(found && (*ncaptured < 0 || info.n == *ncaptured), PETSC_COMM_SELF, PETSC_ERR_PLIB, "swarm field \"%s\": inconsistent snapshot", f.name);
    *ncaptured = info.n;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Clear and rebuild: size the local population to the captured count, then copy every field back. O(N). A swarm
   whose local sizes were never set is sized here like any other (it held no particles). */
static PetscErrorCode RestoreSwarm(PetscSnapshotRecord rec, DM sw, void *)
{
  std::vector<SwarmField> fields;
  PetscInt                n, ncaptured = -1;
  bool                    unsized;

  PetscFunctionBegin;
  PetscCall(SwarmGetFields(sw, fields, &n, &unsized));
  PetscCall(CapturedCount(rec, fields, &ncaptured));
  /* a vector field defined for the present population stays usable for the restored one (a particle TS's vectors) */
  const PetscBool vectorFieldCurrent = unsized ? PETSC_FALSE : PetscSnapshotSwarmVectorFieldCurrent(sw, n);
  PetscCall(DMSwarmSetLocalSizes(sw, ncaptured, -1)); /* keeps the allocation when it is large enough */
  if (unsized) { /* now that it has sizes, the field list is checked against DMSwarmGetField() too */
    PetscCall(SwarmGetFields(sw, fields, &n));
    PetscCall(CapturedCount(rec, fields, &ncaptured));
    PetscCheck(n == ncaptured, PETSC_COMM_SELF, PETSC_ERR_PLIB, "swarm sized to %" PetscInt_FMT " points has %" PetscInt_FMT, ncaptured, n);
  }
  for (const SwarmField &f : fields) {
    PetscInt      bs;
    PetscDataType type;
    void         *data;
    std::string   name;

    PetscCallCXX(name = RecordName(f.name));
    PetscCall(DMSwarmGetField(sw, f.name, &bs, &type, &data));
    PetscCall(PetscSnapshotRecordGetArray(rec, name.c_str(), f.type, f.bs, ncaptured, data));
    PetscCall(DMSwarmRestoreField(sw, f.name, &bs, &type, &data));
  }
  {
    PetscBool redistributed;
    PetscCall(RecordRedistributed(rec, &redistributed));
    if (redistributed) { /* each rank holds whole writer ranks' particles */
      PetscCall(PetscLogEventBegin(PETSCSNAPSHOT_PlaceParts, rec->snap, sw, 0, 0));
      PetscCall(SwarmRedistribute(sw, (PetscObject)rec->snap));
      PetscCall(PetscLogEventEnd(PETSCSNAPSHOT_PlaceParts, rec->snap, sw, 0, 0));
    }
  }
  PetscCall(PetscSnapshotSwarmInvalidateSort(sw)); /* a cell sort made before the restore describes another population */
  if (vectorFieldCurrent) {
    PetscInt nnow;
    PetscCall(DMSwarmGetLocalSize(sw, &nnow));
    if (!PetscSnapshotSwarmVectorFieldCurrent(sw, nnow)) PetscCall(PetscSnapshotSwarmRedefineVectorField(sw));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RegisterSwarmHooks(void)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotRegisterDMHook("swarm", DMSWARM, CaptureSwarm, CheckSwarm, RestoreSwarm, nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
