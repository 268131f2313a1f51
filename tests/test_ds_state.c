static const char help[] = "PetscDS constants (captured by default) and a declared DMLabel, on a DMPlex with a PetscFE field.\n"
                           "-mode same (default): for the memory and hdf5 types, constants ramping per step and a label changed per\n"
                           "step are captured, changed, restored, bitwise; a restore into a DS with another number of constants is\n"
                           "refused naming the DM and the DS, nothing written; constants that differ between ranks are refused at\n"
                           "capture; a snapshot without constants leaves them as they are. -mode write on N ranks writes ds-wN.h5\n"
                           "(constants) and ds-label-wN.h5 (constants and a declared label); -mode read on M ranks restores every\n"
                           "ds-wN.h5 with N != M into a mesh loaded from it (constants bitwise), and refuses ds-label-wN.h5\n"
                           "(a label is per rank) with nothing written.\n";

#include "testutil.h"
#include "meshutil.h"
#include "hdf5_snapshot.h"

#define NCONST 3

/* the constants of step k: not round numbers, so that a bit lost shows */
static void Ramp(PetscInt k, PetscScalar c[NCONST])
{
  for (PetscInt i = 0; i < NCONST; i++) c[i] = 0.1 * (PetscReal)(k + 1) / 3.0 + 1.0 / (PetscReal)(i + 7);
}

static PetscErrorCode SetStep(DM dm, PetscInt k)
{
  PetscDS     ds;
  PetscScalar c[NCONST];

  PetscFunctionBeginUser;
  Ramp(k, c);
  PetscCall(DMGetDS(dm, &ds));
  PetscCall(PetscDSSetConstants(ds, NCONST, c));
  PetscFunctionReturn(0);
}

/* the label of step k: every local cell, value (cell + k) % 3, and every third vertex value 7 + k */
static PetscErrorCode LabelStep(DM dm, PetscInt k)
{
  DMLabel  label;
  PetscInt cStart, cEnd, vStart, vEnd;

  PetscFunctionBeginUser;
  PetscCall(DMGetLabel(dm, "material", &label));
  PetscCall(DMLabelReset(label));
  PetscCall(DMPlexGetHeightStratum(dm, 0, &cStart, &cEnd));
  PetscCall(DMPlexGetDepthStratum(dm, 0, &vStart, &vEnd));
  for (PetscInt c = cStart; c < cEnd; c++) PetscCall(DMLabelSetValue(label, c, (c + k) % 3));
  for (PetscInt v = vStart + k % 3; v < vEnd; v += 3) PetscCall(DMLabelSetValue(label, v, 7 + k));
  PetscFunctionReturn(0);
}

static PetscErrorCode Mesh(PetscBool withLabel, DM *dm)
{
  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, 4, PETSC_FALSE, "mesh", dm));
  PetscCall(AddScalarField(*dm));
  if (withLabel) {
    DMLabel label;

    PetscCall(DMCreateLabel(*dm, "material"));
    PetscCall(DMGetLabel(*dm, "material", &label));
    PetscCall(PetscSnapshotDMAddState(*dm, "material", (PetscObject)label));
  }
  PetscFunctionReturn(0);
}

/* the constants of dm's DS are those of step k, bitwise, on every rank */
static PetscErrorCode ConstantsAre(DM dm, PetscInt k, PetscBool *eq)
{
  PetscDS            ds;
  PetscInt           n;
  const PetscScalar *c;
  PetscScalar        want[NCONST];

  PetscFunctionBeginUser;
  Ramp(k, want);
  PetscCall(DMGetDS(dm, &ds));
  PetscCall(PetscDSGetConstants(ds, &n, &c));
  *eq = (PetscBool)(n == NCONST && !memcmp(c, want, sizeof(want)));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, eq, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* two labels hold the same values in the same order, each with the same points, on every rank */
static PetscErrorCode LabelsEqual(DMLabel a, DMLabel b, PetscBool *eq)
{
  IS              va, vb;
  PetscInt        na, nb, da, db;
  const PetscInt *xa, *xb;

  PetscFunctionBeginUser;
  PetscCall(DMLabelGetDefaultValue(a, &da));
  PetscCall(DMLabelGetDefaultValue(b, &db));
  PetscCall(DMLabelGetValueIS(a, &va));
  PetscCall(DMLabelGetValueIS(b, &vb));
  PetscCall(ISGetLocalSize(va, &na));
  PetscCall(ISGetLocalSize(vb, &nb));
  PetscCall(ISGetIndices(va, &xa));
  PetscCall(ISGetIndices(vb, &xb));
  *eq = (PetscBool)(da == db && na == nb && (!na || !memcmp(xa, xb, (size_t)na * sizeof(PetscInt))));
  for (PetscInt v = 0; *eq && v < na; v++) {
    IS       sa, sb;
    PetscInt ma = 0, mb = 0;

    PetscCall(DMLabelGetStratumIS(a, xa[v], &sa));
    PetscCall(DMLabelGetStratumIS(b, xb[v], &sb));
    if (sa) PetscCall(ISGetLocalSize(sa, &ma));
    if (sb) PetscCall(ISGetLocalSize(sb, &mb));
    if (ma != mb) *eq = PETSC_FALSE;
    else if (ma) {
      const PetscInt *pa, *pb;
      PetscCall(ISGetIndices(sa, &pa));
      PetscCall(ISGetIndices(sb, &pb));
      PetscCall(PetscArraycmp(pa, pb, ma, eq));
      PetscCall(ISRestoreIndices(sa, &pa));
      PetscCall(ISRestoreIndices(sb, &pb));
    }
    PetscCall(ISDestroy(&sa));
    PetscCall(ISDestroy(&sb));
  }
  PetscCall(ISRestoreIndices(va, &xa));
  PetscCall(ISRestoreIndices(vb, &xb));
  PetscCall(ISDestroy(&va));
  PetscCall(ISDestroy(&vb));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, eq, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

static PetscErrorCode NewSnapshot(PetscSnapshotType type, const char file[], PetscSnapshot *snap)
{
  PetscFunctionBeginUser;
  if (file) PetscCall(HDF5Snapshot(file, snap));
  else {
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, snap));
    PetscCall(PetscSnapshotSetType(*snap, type));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Same(PetscSnapshotType type)
{
  DM            dm;
  DMLabel       label, kept;
  PetscSnapshot snap;
  PetscBool     eq;
  PetscDS       ds;
  PetscMPIInt   rank, size;
  char          what[256];
  const char   *file = NULL;
  char          name[64];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscSNPrintf(name, sizeof(name), "ds-same-np%d.h5", (int)size)); /* the rank counts may run at once */
  if (!strcmp(type, PETSCSNAPSHOTHDF5)) file = name;
  PetscCall(Mesh(PETSC_TRUE, &dm));
  PetscCall(DMGetLabel(dm, "material", &label));
  PetscCall(NewSnapshot(type, file, &snap));
  for (PetscInt k = 0; k < 3; k++) { /* a run: each step's constants and label, captured at its start */
    PetscCall(SetStep(dm, k));
    PetscCall(LabelStep(dm, k));
    PetscCall(PetscSnapshotCapture(snap, dm));
  }
  PetscCall(DMLabelDuplicate(label, &kept));
  PetscCall(SetStep(dm, 3)); /* a step taken, regretted */
  PetscCall(LabelStep(dm, 3));
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(ConstantsAre(dm, 2, &eq));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: restored constants bitwise those of the captured step", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));
  PetscCall(LabelsEqual(label, kept, &eq));
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: declared label restored exactly (values in order, points of every stratum)", type));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));

  /* another number of constants: refused naming the DM and the DS, nothing written (label, constants) */
  {
    PetscScalar two[2] = {5.0, 6.0};
    PetscInt    n;
    const PetscScalar *c;
    DMLabel     changed;

    PetscCall(LabelStep(dm, 4));
    PetscCall(DMLabelDuplicate(label, &changed));
    PetscCall(DMGetDS(dm, &ds));
    PetscCall(PetscDSSetConstants(ds, 2, two));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: a DS with 2 constants, 3 captured: refused naming DM and DS", type));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, dm), "DM \"mesh\", PetscDS 0 (the whole mesh): it has 2 constants now but 3 were captured", what);
    PetscCall(PetscDSGetConstants(ds, &n, &c));
    eq = (PetscBool)(n == 2 && c[0] == 5.0 && c[1] == 6.0);
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: ... nothing written (constants, label)", type));
    {
      PetscBool leq;
      PetscCall(LabelsEqual(label, changed, &leq));
      eq = (PetscBool)(eq && leq);
    }
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));
    PetscCall(DMLabelDestroy(&changed));
  }

  /* constants that differ between ranks are refused at capture */
  if (size > 1) {
    PetscScalar c[NCONST] = {1.0, 2.0, (PetscScalar)rank};

    PetscCall(PetscDSSetConstants(ds, NCONST, c));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: constants that differ between ranks: capture refused", type));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(snap, dm), "its constants differ between ranks", what);
    PetscCall(SetStep(dm, 5));
    PetscCall(PetscSnapshotRestore(snap, dm)); /* the refused capture changed nothing the snapshot held */
    PetscCall(ConstantsAre(dm, 2, &eq));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: ... the snapshot still restores the last captured constants", type));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));
  }
  PetscCall(DMLabelDestroy(&kept));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(DMDestroy(&dm));

  /* a snapshot without constants (as a file written before they were captured): captured while the DM had no DS
     (DMClearDS(), its section kept), restored once it has one: the constants are left as they are */
  {
    PetscSection section;

    PetscCall(Mesh(PETSC_FALSE, &dm));
    PetscCall(DMGetLocalSection(dm, &section));
    PetscCall(DMClearDS(dm));
    PetscCall(NewSnapshot(type, file, &snap));
    PetscCall(PetscSnapshotCapture(snap, dm));
    PetscCall(DMCreateDS(dm));
    PetscCall(SetStep(dm, 6));
    PetscCall(PetscSnapshotRestore(snap, dm));
    PetscCall(ConstantsAre(dm, 6, &eq));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s: a snapshot without constants leaves the DS constants untouched", type));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(DMDestroy(&dm));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Write(void)
{
  PetscMPIInt   size;
  char          file[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (int withLabel = 0; withLabel < 2; withLabel++) {
    DM            dm;
    PetscSnapshot snap;

    PetscCall(Mesh((PetscBool)withLabel, &dm));
    PetscCall(SetStep(dm, 5 + size));
    if (withLabel) PetscCall(LabelStep(dm, 1));
    PetscCall(PetscSNPrintf(file, sizeof(file), withLabel ? "ds-label-w%d.h5" : "ds-w%d.h5", (int)size));
    PetscCall(HDF5Snapshot(file, &snap));
    PetscCall(PetscSnapshotCapture(snap, dm));
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(DMDestroy(&dm));
  }
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "writer: checkpoints written"));
  PetscFunctionReturn(0);
}

/* a mesh loaded from the file, discretized as the writer's, its constants zero */
static PetscErrorCode Loaded(PetscSnapshot snap, PetscBool withLabel, DM *dm)
{
  PetscDS     ds;
  PetscScalar zero[NCONST] = {0, 0, 0};

  PetscFunctionBeginUser;
  PetscCall(PetscSnapshotHDF5LoadDM(snap, "mesh", dm));
  PetscCall(AddScalarField(*dm));
  PetscCall(DMGetDS(*dm, &ds));
  PetscCall(PetscDSSetConstants(ds, NCONST, zero));
  if (withLabel) {
    DMLabel label;

    PetscCall(DMCreateLabel(*dm, "material"));
    PetscCall(DMGetLabel(*dm, "material", &label));
    PetscCall(PetscSnapshotDMAddState(*dm, "material", (PetscObject)label));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Read(void)
{
  PetscMPIInt size;
  char        file[PETSC_MAX_PATH_LEN], what[256];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (PetscMPIInt w = 1; w <= 2; w++) {
    DM            dm;
    PetscSnapshot snap;
    PetscBool     eq;

    if (w == size) continue;
    PetscCall(PetscSNPrintf(file, sizeof(file), "ds-w%d.h5", (int)w));
    PetscCall(HDF5Snapshot(file, &snap));
    PetscCall(Loaded(snap, PETSC_FALSE, &dm));
    PetscCall(PetscSnapshotRestore(snap, dm));
    PetscCall(ConstantsAre(dm, 5 + w, &eq));
    PetscCall(PetscSNPrintf(what, sizeof(what), "written on %d, restored on %d: constants bitwise the writer's", (int)w, (int)size));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, what));
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(DMDestroy(&dm));

    PetscCall(PetscSNPrintf(file, sizeof(file), "ds-label-w%d.h5", (int)w));
    PetscCall(HDF5Snapshot(file, &snap));
    PetscCall(Loaded(snap, PETSC_TRUE, &dm));
    PetscCall(PetscSNPrintf(what, sizeof(what), "written on %d with a declared label, restored on %d: refused naming the label", (int)w, (int)size));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotRestore(snap, dm), "DMLabel \"material\" holds the points of each rank", what);
    {
      PetscDS            ds;
      PetscInt           n;
      const PetscScalar *c;

      PetscCall(DMGetDS(dm, &ds));
      PetscCall(PetscDSGetConstants(ds, &n, &c));
      eq = (PetscBool)(n == NCONST && c[0] == 0.0 && c[1] == 0.0 && c[2] == 0.0);
      PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &eq, 1, EXAMPLE_MPI_BOOL, MPI_LAND, PETSC_COMM_WORLD));
      PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "... nothing written (constants still zero)"));
    }
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(DMDestroy(&dm));
  }
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      mode[16] = "same";
  int       code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  if (!strcmp(mode, "same")) {
    PetscCall(Same(PETSCSNAPSHOTMEMORY));
    PetscCall(Same(PETSCSNAPSHOTHDF5));
  } else if (!strcmp(mode, "write")) PetscCall(Write());
  else PetscCall(Read());
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
