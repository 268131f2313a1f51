static const char help[] = "The memory type against the copies it cannot avoid, same run: a Vec declared on a DMDA, captured and\n"
                           "restored changed (every byte copied; the skip of unchanged Vecs off) and unchanged (skipped by object\n"
                           "state), against memcpy and VecCopy of the same bytes. Options: -sizes <1,4,16,64,256,1024> MB per rank\n"
                           "(capped by free memory), -reps <9>, -csv <file>.\n";

#include <petscsnapshot.h>
#include <petscdmda.h>
#include "benchutil.h"

typedef struct {
  PetscSnapshot snap;
  DM            dm;
  Vec           v, copy;
  size_t        bytes;
} Ctx;

static PetscErrorCode Memcpy(void *p)
{
  Ctx               *c = (Ctx *)p;
  const PetscScalar *a;
  PetscScalar       *d;

  PetscFunctionBeginUser;
  PetscCall(VecGetArrayRead(c->v, &a));
  PetscCall(VecGetArrayWrite(c->copy, &d));
  memcpy(d, a, c->bytes);
  PetscCall(VecRestoreArrayWrite(c->copy, &d));
  PetscCall(VecRestoreArrayRead(c->v, &a));
  PetscFunctionReturn(0);
}

static PetscErrorCode CopyVec(void *p) { return VecCopy(((Ctx *)p)->v, ((Ctx *)p)->copy); }
static PetscErrorCode Capture(void *p) { return PetscSnapshotCapture(((Ctx *)p)->snap, ((Ctx *)p)->dm); }
static PetscErrorCode Restore(void *p) { return PetscSnapshotRestore(((Ctx *)p)->snap, ((Ctx *)p)->dm); }
static PetscErrorCode SkipOff(void *p) { return PetscSnapshotSetSkipUnchanged(((Ctx *)p)->snap, PETSC_FALSE); }
static PetscErrorCode SkipOn(void *p) { return PetscSnapshotSetSkipUnchanged(((Ctx *)p)->snap, PETSC_TRUE); }

int main(int argc, char **argv)
{
  Bench     b;
  Ctx       c;
  PetscInt  sizes[16] = {1, 4, 16, 64, 256, 1024}, nsizes = 16;
  PetscBool set;
  double    avail;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(BenchInit("memory", 9, &b));
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-sizes", sizes, &nsizes, &set));
  if (!set) nsizes = 6;
  PetscCall(BenchMemAvailable(&avail));
  for (PetscInt s = 0; s < nsizes; s++) {
    const PetscInt n     = sizes[s] * 131072; /* doubles per rank */
    const double   bytes = 8.0 * n;
    /* changed: the skip is switched off before each repeat, so every byte is copied; unchanged: on */
    BenchFn setup[6] = {NULL, NULL, SkipOff, SkipOff, SkipOn, SkipOn};
    BenchFn fns[6]   = {Memcpy, CopyVec, Capture, Restore, Capture, Restore};
    BenchTime  t[6];
    PetscInt reps = bytes >= 256.0 * 1048576 ? PetscMin(b.reps, 5) : b.reps;

    if (avail > 0 && 4 * bytes * b.ranks > 0.5 * avail) { /* the Vec, its copy, the snapshot's copy, and a margin */
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%" PetscInt_FMT " MB per rank skipped: not enough free memory\n", sizes[s]));
      continue;
    }
    c.bytes = (size_t)bytes;
    PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, n * b.ranks, 1, 1, NULL, &c.dm));
    PetscCall(DMSetUp(c.dm));
    PetscCall(PetscObjectSetName((PetscObject)c.dm, "grid"));
    PetscCall(DMCreateGlobalVector(c.dm, &c.v));
    PetscCall(VecSetRandom(c.v, NULL));
    PetscCall(VecDuplicate(c.v, &c.copy));
    PetscCall(VecSet(c.copy, 0));
    PetscCall(PetscSnapshotDMAddState(c.dm, "field", (PetscObject)c.v));
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &c.snap));
    PetscCall(PetscSnapshotSetFromOptions(c.snap));
    PetscCall(Capture(&c)); /* sizes the buffers: steady state allocates nothing */
    PetscCall(BenchTimeOps(reps, 6, setup, fns, &c, t));
    PetscCall(BenchRow(&b, reps, "vec", "memcpy", bytes, n, NULL, t[0], t[0]));
    PetscCall(BenchRow(&b, reps, "vec", "VecCopy", bytes, n, NULL, t[0], t[1]));
    PetscCall(BenchRow(&b, reps, "vec", "capture", bytes, n, "VecCopy", t[1], t[2]));
    PetscCall(BenchRow(&b, reps, "vec", "restore", bytes, n, "VecCopy", t[1], t[3]));
    PetscCall(BenchRow(&b, reps, "vec-unchanged", "capture", bytes, n, "VecCopy", t[1], t[4]));
    PetscCall(BenchRow(&b, reps, "vec-unchanged", "restore", bytes, n, "VecCopy", t[1], t[5]));
    PetscCall(PetscSnapshotDestroy(&c.snap));
    PetscCall(PetscSnapshotDMRemoveState(c.dm, "field"));
    PetscCall(VecDestroy(&c.v));
    PetscCall(VecDestroy(&c.copy));
    PetscCall(DMDestroy(&c.dm));
  }
  PetscCall(PetscFinalize());
  return 0;
}
