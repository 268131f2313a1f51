static const char help[] = "A Vec laid out by a local section without fields (DMSetLocalSection() of a section with no field,\n"
                           "as codes that build their own layout do), on a DMPlex, in an hdf5 checkpoint. -mode write on N ranks\n"
                           "writes it; -mode read on M ranks, for each writer count 1..3: loads the mesh with\n"
                           "PetscSnapshotHDF5LoadDM(), lays the Vec out alike and restores it; the values, computed from the\n"
                           "vertex coordinates, are compared bitwise. -fields 1 gives the section one field (the control).\n";

#include "testutil.h"
#include <petscdmplex.h>

/* The Vec: 2 dofs per vertex, in a section with `fields` fields (0 or 1), the second dof of the vertices at x = 0
   constrained (left out of the global Vec), on a clone of mesh */
static PetscErrorCode CreateVec(DM mesh, PetscInt fields, Vec *u)
{
  Vec                coords;
  PetscSection       cs;
  const PetscScalar *x;
  const PetscInt     second = 1;
  DM           vdm;
  PetscSection s;
  PetscInt     pStart, pEnd, vStart, vEnd;

  PetscFunctionBeginUser;
  PetscCall(DMClone(mesh, &vdm));
  PetscCall(PetscSectionCreate(PetscObjectComm((PetscObject)mesh), &s));
  if (fields) {
    PetscCall(PetscSectionSetNumFields(s, 1));
    PetscCall(PetscSectionSetFieldComponents(s, 0, 2));
  }
  PetscCall(DMPlexGetChart(mesh, &pStart, &pEnd));
  PetscCall(DMPlexGetDepthStratum(mesh, 0, &vStart, &vEnd));
  PetscCall(PetscSectionSetChart(s, pStart, pEnd));
  PetscCall(DMGetCoordinatesLocal(mesh, &coords));
  PetscCall(DMGetCoordinateSection(mesh, &cs));
  PetscCall(VecGetArrayRead(coords, &x));
  for (PetscInt v = vStart; v < vEnd; v++) {
    PetscInt coff;
    PetscCall(PetscSectionGetOffset(cs, v, &coff));
    PetscCall(PetscSectionSetDof(s, v, 2));
    if (fields) PetscCall(PetscSectionSetFieldDof(s, v, 0, 2));
    if (x[coff] == 0.0) {
      PetscCall(PetscSectionSetConstraintDof(s, v, 1));
      if (fields) PetscCall(PetscSectionSetFieldConstraintDof(s, v, 0, 1));
    }
  }
  PetscCall(PetscSectionSetUp(s));
  for (PetscInt v = vStart; v < vEnd; v++) {
    PetscInt coff;
    PetscCall(PetscSectionGetOffset(cs, v, &coff));
    if (x[coff] != 0.0) continue;
    PetscCall(PetscSectionSetConstraintIndices(s, v, &second));
    if (fields) PetscCall(PetscSectionSetFieldConstraintIndices(s, v, 0, &second));
  }
  PetscCall(VecRestoreArrayRead(coords, &x));
  PetscCall(DMSetLocalSection(vdm, s));
  PetscCall(PetscSectionDestroy(&s));
  PetscCall(DMCreateGlobalVector(vdm, u));
  PetscCall(PetscObjectSetName((PetscObject)*u, "nodal"));
  PetscCall(DMDestroy(&vdm));
  PetscFunctionReturn(0);
}

/* The values a vertex at (x, y) has: independent of the distribution, so that a restore on M ranks can be checked */
static PetscErrorCode Expected(DM mesh, Vec u, Vec *expect)
{
  DM                 vdm;
  Vec                local, coords;
  PetscSection       s, cs;
  const PetscScalar *x;
  PetscScalar       *a;
  PetscInt           vStart, vEnd;

  PetscFunctionBeginUser;
  PetscCall(VecGetDM(u, &vdm));
  PetscCall(DMGetLocalSection(vdm, &s));
  PetscCall(DMGetCoordinatesLocal(mesh, &coords));
  PetscCall(DMGetCoordinateSection(mesh, &cs));
  PetscCall(DMGetLocalVector(vdm, &local));
  PetscCall(DMPlexGetDepthStratum(mesh, 0, &vStart, &vEnd));
  PetscCall(VecGetArrayRead(coords, &x));
  PetscCall(VecGetArray(local, &a));
  for (PetscInt v = vStart; v < vEnd; v++) {
    PetscInt off, coff;
    PetscCall(PetscSectionGetOffset(s, v, &off));
    PetscCall(PetscSectionGetOffset(cs, v, &coff));
    a[off]     = 1000.0 * x[coff] + 1.0 / 3.0 + x[coff + 1];
    a[off + 1] = PetscSinReal(7.0 * x[coff]) * PetscExpReal(x[coff + 1]);
  }
  PetscCall(VecRestoreArray(local, &a));
  PetscCall(VecRestoreArrayRead(coords, &x));
  PetscCall(VecDuplicate(u, expect));
  PetscCall(DMLocalToGlobal(vdm, local, INSERT_VALUES, *expect));
  PetscCall(DMRestoreLocalVector(vdm, &local));
  PetscFunctionReturn(0);
}

static PetscErrorCode Snapshot(const char file[], PetscSnapshot *snap)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
  PetscCall(PetscSnapshotSetType(*snap, PETSCSNAPSHOTHDF5));
  PetscCall(PetscSnapshotHDF5SetFileName(*snap, file));
  PetscFunctionReturn(0);
}

static PetscErrorCode Write(PetscInt fields)
{
  DM            mesh, dist = NULL;
  Vec           u;
  PetscSnapshot snap;
  PetscInt      faces[2] = {4, 3};
  PetscMPIInt   size;
  char          file[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(ExampleCreateBoxMesh(PETSC_COMM_WORLD, 2, faces, NULL, NULL, NULL, &mesh));
  { /* the simple partitioner: deterministic, and PETSc's default PT-Scotch crashes with 64-bit PetscInt on Debian */
    PetscPartitioner part;

    PetscCall(DMPlexGetPartitioner(mesh, &part));
    PetscCall(PetscPartitionerSetType(part, PETSCPARTITIONERSIMPLE));
  }
  PetscCall(DMPlexDistribute(mesh, 0, NULL, &dist));
  if (dist) {
    PetscCall(DMDestroy(&mesh));
    mesh = dist;
  }
  PetscCall(PetscObjectSetName((PetscObject)mesh, "mesh"));
  PetscCall(CreateVec(mesh, fields, &u));
  {
    Vec e;
    PetscCall(Expected(mesh, u, &e));
    PetscCall(VecCopy(e, u));
    PetscCall(VecDestroy(&e));
  }
  PetscCall(PetscSnapshotDMAddState(mesh, "nodal", (PetscObject)u));
  PetscCall(PetscSNPrintf(file, sizeof(file), "fieldless%d-w%d.h5", (int)fields, (int)size));
  PetscCall(Snapshot(file, &snap));
  PetscCall(PetscSnapshotCapture(snap, mesh));
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "writer: a Vec on a section with no fields captured"));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&mesh));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadOne(PetscInt fields, PetscMPIInt writers)
{
  DM            mesh;
  Vec           u, e;
  PetscSnapshot snap;
  PetscMPIInt   size;
  PetscBool     eq;
  char          file[PETSC_MAX_PATH_LEN], what[256];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(file, sizeof(file), "fieldless%d-w%d.h5", (int)fields, (int)writers));
  PetscCall(Snapshot(file, &snap));
  PetscCall(PetscSnapshotHDF5LoadDM(snap, "mesh", &mesh));
  PetscCall(CreateVec(mesh, fields, &u));
  PetscCall(Expected(mesh, u, &e));
  PetscCall(VecSet(u, -1.0));
  PetscCall(PetscSnapshotDMAddState(mesh, "nodal", (PetscObject)u));
  PetscCall(PetscSnapshotRestore(snap, mesh));
  PetscCall(VecBitwiseEqual(u, e, &eq));
  {
    PetscInt n, N;
    PetscCall(VecGetSize(u, &N));
    PetscCall(VecGetLocalSize(u, &n));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(N == 2 * 20 - 4), "the constrained dofs are left out of the global Vec (36 of 40 values)"));
  }
  PetscCall(PetscSNPrintf(what, sizeof(what), "a Vec on a section with %d fields and constraints, written on %d ranks, restored on %d: bitwise the values of its vertices", (int)fields, (int)writers, (int)size));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));
  PetscCall(VecDestroy(&e));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&mesh));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char     mode[16] = "write";
  PetscInt fields   = 0;
  int      code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-fields", &fields, NULL));
  if (!strcmp(mode, "write")) PetscCall(Write(fields));
  else
    for (PetscMPIInt writers = 1; writers <= 3; writers++) PetscCall(ReadOne(fields, writers));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
