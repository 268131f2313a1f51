static const char help[] = "Particle placement of a restart: a PIC swarm on a box mesh captured with the hdf5 type on N ranks,\n"
                           "restored on M ranks (the same or another count) into a mesh loaded from the file. Times the restore\n"
                           "of the swarm (mesh loaded and swarm created beforehand, untimed): the particles are read, located\n"
                           "in the loaded mesh and sent to the ranks owning their cells. No PETSc baseline exists (DMSwarm has no\n"
                           "load); the CSV's items_per_rank lets the time per particle be compared across sizes and rank counts.\n"
                           "-mode save: write the files; -mode load -from <N>: restore the files saved on N ranks.\n"
                           "Options: -particles <1e4,1e5,1e6> per rank (approximate: whole cells), -cells <32> per side,\n"
                           "-reps <5>, -dir <.>, -csv <file>.\n";

#include <petscsnapshot.h>
#include "box_mesh.h"
#include "pic_problem.h"
#include "benchutil.h"

typedef struct {
  PetscSnapshot snap;
  DM            mesh, sw;
} Ctx;

static PetscErrorCode Restore(void *p) { return PetscSnapshotRestore(((Ctx *)p)->snap, ((Ctx *)p)->sw); }

static PetscErrorCode SwarmOn(DM mesh, DM *sw)
{
  PetscFunctionBeginUser;
  PetscCall(PICSwarmCreate(mesh, "particles", sw));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "velocity", 2, PETSC_REAL));
  PetscCall(DMSwarmRegisterPetscDatatypeField(*sw, "weight", 1, PETSC_REAL));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Bench     b;
  Ctx       c;
  PetscReal targets[16] = {1e4, 1e5, 1e6};
  PetscInt  ntargets = 16, cells = 32, from = 0;
  PetscBool set, save;
  char      dir[PETSC_MAX_PATH_LEN] = ".", mode[16] = "save", file[PETSC_MAX_PATH_LEN];

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  save = strcmp(mode, "load") ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(BenchInit(save ? "particles-save" : "particles-restart", 5, &b));
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-particles", targets, &ntargets, &set));
  if (!set) ntargets = 3;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-cells", &cells, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-dir", dir, sizeof(dir), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-from", &from, NULL));
  PetscCheck(save || from > 0, PETSC_COMM_WORLD, PETSC_ERR_ARG_WRONG, "-mode load needs -from <ranks that saved>");
  for (PetscInt s = 0; s < ntargets; s++) {
    /* ppc x ppc particles per cell, cells*cells/N cells per writer rank */
    const PetscInt ppc = PetscMax(1, (PetscInt)(0.5 + PetscSqrtReal(targets[s] * (save ? b.ranks : from) / ((double)cells * cells))));
    PetscInt       n, N;
    char           kase[64];
    BenchTime      t;
    BenchFn        fn[1] = {Restore};

    PetscCall(PetscSNPrintf(file, sizeof(file), "%s/bench-particles-%.0f-np%d.h5", dir, (double)targets[s], save ? b.ranks : (int)from));
    PetscCall(HDF5Snapshot(file, &c.snap));
    if (save) {
      PetscCall(CreateBoxMesh(PETSC_COMM_WORLD, cells, PETSC_FALSE, "mesh", &c.mesh));
      PetscCall(SwarmOn(c.mesh, &c.sw));
      PetscCall(PICSwarmPopulate(c.sw, c.mesh, ppc, 1.0 / cells));
      PetscCall(PetscSnapshotCapture(c.snap, c.sw));
    } else {
      PetscCall(PetscSnapshotHDF5LoadDM(c.snap, "mesh", &c.mesh));
      PetscCall(SwarmOn(c.mesh, &c.sw));
      PetscCall(DMSwarmFinalizeFieldRegister(c.sw));
      PetscCall(DMSwarmSetLocalSizes(c.sw, 0, 16)); /* the restore refuses a swarm whose sizes were never set */
      PetscCall(Restore(&c)); /* warm: the file in the page cache */
      PetscCall(BenchTimeOps(b.reps, 1, NULL, fn, &c, &t));
    }
    PetscCall(DMSwarmGetSize(c.sw, &N));
    PetscCall(DMSwarmGetLocalSize(c.sw, &n));
    if (!save) { /* bytes 0: the row's size is its particle count (items_per_rank) */
      PetscCall(PetscSNPrintf(kase, sizeof(kase), "particles-from%" PetscInt_FMT, from));
      PetscCall(BenchRow(&b, b.reps, kase, "restore", 0, (double)N / b.ranks, NULL, t, t));
    } else PetscCall(PetscPrintf(PETSC_COMM_WORLD, "saved %s: %" PetscInt_FMT " particles (%" PetscInt_FMT " per cell)\n", file, N, ppc * ppc));
    PetscCall(PetscSnapshotDestroy(&c.snap));
    PetscCall(DMDestroy(&c.sw));
    PetscCall(DMDestroy(&c.mesh));
  }
  PetscCall(PetscFinalize());
  return 0;
}
