static const char help[] = "A DMPlex model checkpoint (a box mesh with a Q1 field) with the hdf5 type, against PETSc's own DMPlex\n"
                           "checkpoint of the same mesh and field, same run; and the restart, at the same or another rank count,\n"
                           "against PETSc's own DMPlex loaders of the same data.\n"
                           "-mode save: times PetscSnapshotCapture against DMPlexTopologyView + LabelsView + CoordinatesView +\n"
                           "  SectionView + GlobalVectorView (storage version 2.1.0, the one that loads on any number of ranks), and\n"
                           "  leaves both files for -mode load.\n"
                           "-mode load -from <N>: reads the files saved on N ranks: PetscSnapshotHDF5LoadDM + the field's setup +\n"
                           "  PetscSnapshotRestore against DMPlexTopologyLoad + DMPlexDistribute + LabelsLoad + CoordinatesLoad +\n"
                           "  SectionLoad + GlobalVectorLoad + the same field setup.\n"
                           "Options: -cells <32,128,256> per side, -reps <5>, -dir <.>, -csv <file>.\n";

#include <petscsnapshot.h>
#include <petscviewerhdf5.h>
#include <petscsf.h>
#include <sys/stat.h>
#include "box_mesh.h"
#include "heat_problem.h"
#include "benchutil.h"

typedef struct {
  PetscInt cells;
  DM       dm;  /* save: the model's mesh */
  Vec      u;   /* save: its field, declared as state "solution" */
  PetscSnapshot snap;
  char     petscFile[PETSC_MAX_PATH_LEN], snapFile[PETSC_MAX_PATH_LEN];
} Ctx;

/* PETSc's own checkpoint of the mesh and the field */
static PetscErrorCode PetscCheckpoint(void *p)
{
  Ctx         *c = (Ctx *)p;
  PetscViewer  v;
  DM           sdm;
  PetscSection s;

  PetscFunctionBeginUser;
  PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, c->petscFile, FILE_MODE_WRITE, &v));
  PetscCall(PetscViewerPushFormat(v, PETSC_VIEWER_HDF5_PETSC));
  PetscCall(DMPlexTopologyView(c->dm, v));
  PetscCall(DMPlexLabelsView(c->dm, v));
  PetscCall(DMPlexCoordinatesView(c->dm, v));
  PetscCall(DMClone(c->dm, &sdm));
  PetscCall(PetscObjectSetName((PetscObject)sdm, "u_dm"));
  PetscCall(DMGetLocalSection(c->dm, &s));
  PetscCall(DMSetLocalSection(sdm, s));
  PetscCall(DMPlexSectionView(c->dm, v, sdm));
  PetscCall(DMPlexGlobalVectorView(c->dm, v, sdm, c->u));
  PetscCall(DMDestroy(&sdm));
  PetscCall(PetscViewerPopFormat(v));
  PetscCall(PetscViewerDestroy(&v));
  PetscFunctionReturn(0);
}

static PetscErrorCode Capture(void *p) { return PetscSnapshotCapture(((Ctx *)p)->snap, ((Ctx *)p)->dm); }

/* PETSc's own restart: the mesh distributed over this run's ranks, the field's values loaded into a Vec with the
   field set up on the mesh, as an application needs it */
static PetscErrorCode PetscRestart(void *p)
{
  Ctx        *c = (Ctx *)p;
  PetscViewer v;
  DM          dm, dist = NULL, sdm;
  PetscSF     sfXB, sfBC = NULL, sfXC, gsf;
  Vec         loaded, u;

  PetscFunctionBeginUser;
  PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, c->petscFile, FILE_MODE_READ, &v));
  PetscCall(PetscViewerPushFormat(v, PETSC_VIEWER_HDF5_PETSC));
  PetscCall(DMCreate(PETSC_COMM_WORLD, &dm));
  PetscCall(DMSetType(dm, DMPLEX));
  PetscCall(PetscObjectSetName((PetscObject)dm, "mesh"));
  PetscCall(DMPlexTopologyLoad(dm, v, &sfXB));
  PetscCall(DMPlexDistribute(dm, 0, &sfBC, &dist));
  if (dist) {
    PetscCall(DMDestroy(&dm));
    dm = dist;
    PetscCall(PetscObjectSetName((PetscObject)dm, "mesh"));
  }
  if (sfBC) {
    PetscCall(PetscSFCompose(sfXB, sfBC, &sfXC));
    PetscCall(PetscSFDestroy(&sfXB));
    PetscCall(PetscSFDestroy(&sfBC));
  } else sfXC = sfXB;
  PetscCall(DMPlexLabelsLoad(dm, v, sfXC));
  PetscCall(DMPlexCoordinatesLoad(dm, v, sfXC));
  PetscCall(DMClone(dm, &sdm));
  PetscCall(PetscObjectSetName((PetscObject)sdm, "u_dm"));
  PetscCall(DMPlexSectionLoad(dm, v, sdm, sfXC, &gsf, NULL));
  PetscCall(DMCreateGlobalVector(sdm, &loaded));
  PetscCall(PetscObjectSetName((PetscObject)loaded, "u"));
  PetscCall(DMPlexGlobalVectorLoad(dm, v, sdm, gsf, loaded));
  PetscCall(PetscViewerPopFormat(v));
  PetscCall(PetscViewerDestroy(&v));
  PetscCall(HeatAddField(dm));
  PetscCall(DMCreateGlobalVector(dm, &u));
  PetscCall(VecCopy(loaded, u));
  PetscCall(VecDestroy(&u));
  PetscCall(VecDestroy(&loaded));
  PetscCall(PetscSFDestroy(&gsf));
  PetscCall(PetscSFDestroy(&sfXC));
  PetscCall(DMDestroy(&sdm));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

/* The same with a snapshot: load the mesh, set up the field, declare it, restore */
static PetscErrorCode SnapshotRestart(void *p)
{
  Ctx          *c = (Ctx *)p;
  PetscSnapshot snap;
  DM            dm;
  Vec           u;

  PetscFunctionBeginUser;
  PetscCall(HDF5Snapshot(c->snapFile, &snap));
  PetscCall(PetscSnapshotHDF5LoadDM(snap, "mesh", &dm));
  PetscCall(HeatAddField(dm));
  PetscCall(DMCreateGlobalVector(dm, &u));
  PetscCall(PetscSnapshotDMAddState(dm, "solution", (PetscObject)u));
  PetscCall(PetscSnapshotRestore(snap, dm));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(PetscSnapshotDMRemoveState(dm, "solution"));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

static PetscErrorCode FileBytes(const char file[], double *bytes)
{
  struct stat st;

  PetscFunctionBeginUser;
  *bytes = stat(file, &st) == 0 ? (double)st.st_size : 0;
  PetscCallMPI(MPI_Bcast(bytes, 1, MPI_DOUBLE, 0, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Bench     b;
  Ctx       c;
  PetscInt  cells[16] = {32, 128, 256}, ncells = 16, from = 0;
  PetscBool set, save = PETSC_TRUE;
  char      dir[PETSC_MAX_PATH_LEN] = ".", mode[16] = "save";

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  /* PETSc's default DMPlex storage version (1.0.0) does not load on another number of ranks; petsc-snapshot writes
     2.1.0, and so does the baseline */
  PetscCall(PetscOptionsSetValue(NULL, "-dm_plex_view_hdf5_storage_version", "2.1.0"));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  save = strcmp(mode, "load") ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(BenchInit(save ? "plex-checkpoint" : "plex-restart", 5, &b));
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-cells", cells, &ncells, &set));
  if (!set) ncells = 3;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-dir", dir, sizeof(dir), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-from", &from, NULL));
  PetscCheck(save || from > 0, PETSC_COMM_WORLD, PETSC_ERR_ARG_WRONG, "-mode load needs -from <ranks that saved>");
  for (PetscInt s = 0; s < ncells; s++) {
    BenchFn fns[2];
    BenchTime t[2];
    double    bytes, petscBytes;
    char    kase[64];

    c.cells = cells[s];
    PetscCall(PetscSNPrintf(c.petscFile, sizeof(c.petscFile), "%s/bench-plex-%" PetscInt_FMT "-np%d-petsc.h5", dir, c.cells, save ? b.ranks : (int)from));
    PetscCall(PetscSNPrintf(c.snapFile, sizeof(c.snapFile), "%s/bench-plex-%" PetscInt_FMT "-np%d-snapshot.h5", dir, c.cells, save ? b.ranks : (int)from));
    if (save) {
      PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, c.cells, PETSC_FALSE, "mesh", &c.dm));
      PetscCall(HeatAddField(c.dm));
      PetscCall(DMCreateGlobalVector(c.dm, &c.u));
      PetscCall(PetscObjectSetName((PetscObject)c.u, "u"));
      PetscCall(VecSetRandom(c.u, NULL));
      PetscCall(PetscSnapshotDMAddState(c.dm, "solution", (PetscObject)c.u));
      PetscCall(HDF5Snapshot(c.snapFile, &c.snap));
      fns[0] = PetscCheckpoint;
      fns[1] = Capture;
      PetscCall(PetscCheckpoint(&c));
      PetscCall(Capture(&c));
      PetscCall(BenchTimeOps(b.reps, 2, NULL, fns, &c, t));
      PetscCall(FileBytes(c.petscFile, &petscBytes));
      PetscCall(FileBytes(c.snapFile, &bytes));
      PetscCall(PetscSNPrintf(kase, sizeof(kase), "plex-%" PetscInt_FMT "x%" PetscInt_FMT, c.cells, c.cells));
      PetscCall(BenchRow(&b, b.reps, kase, "petsc-checkpoint", petscBytes / b.ranks, (double)c.cells * c.cells / b.ranks, NULL, t[0], t[0]));
      PetscCall(BenchRow(&b, b.reps, kase, "capture", bytes / b.ranks, (double)c.cells * c.cells / b.ranks, "petsc-checkpoint", t[0], t[1]));
      PetscCall(PetscSnapshotDestroy(&c.snap));
      PetscCall(PetscSnapshotDMRemoveState(c.dm, "solution"));
      PetscCall(VecDestroy(&c.u));
      PetscCall(DMDestroy(&c.dm));
    } else {
      fns[0] = PetscRestart;
      fns[1] = SnapshotRestart;
      PetscCall(BenchTimeOps(b.reps, 2, NULL, fns, &c, t));
      PetscCall(FileBytes(c.petscFile, &petscBytes));
      PetscCall(FileBytes(c.snapFile, &bytes));
      PetscCall(PetscSNPrintf(kase, sizeof(kase), "plex-%" PetscInt_FMT "x%" PetscInt_FMT "-from%" PetscInt_FMT, c.cells, c.cells, from));
      PetscCall(BenchRow(&b, b.reps, kase, "petsc-restart", petscBytes / b.ranks, (double)c.cells * c.cells / b.ranks, NULL, t[0], t[0]));
      PetscCall(BenchRow(&b, b.reps, kase, "restart", bytes / b.ranks, (double)c.cells * c.cells / b.ranks, "petsc-restart", t[0], t[1]));
    }
  }
  PetscCall(PetscFinalize());
  return 0;
}
