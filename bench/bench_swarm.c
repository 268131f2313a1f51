static const char help[] = "The memory type on a DMSwarm against a memcpy of every field, same run: a basic swarm with position,\n"
                           "velocity and mass (and PETSc's pid and rank fields), captured and restored. Options: -particles\n"
                           "<1e4,1e5,1e6,1e7> per rank (capped by free memory), -reps <9>, -csv <file>.\n";

#include <petscsnapshot.h>
#include <petscdmswarm.h>
#include "benchutil.h"

static const char *const fields[] = {"DMSwarm_pid", "DMSwarm_rank", "position", "velocity", "mass"};
#define NFIELDS 5

typedef struct {
  PetscSnapshot snap;
  DM            sw;
  char         *buf;
  size_t        bytes;
} Ctx;

/* the baseline: copy every field's local bytes out, what any capture must do */
static PetscErrorCode CopyFields(void *p)
{
  Ctx     *c   = (Ctx *)p;
  size_t   off = 0;
  PetscInt n;

  PetscFunctionBeginUser;
  PetscCall(DMSwarmGetLocalSize(c->sw, &n));
  for (int f = 0; f < NFIELDS; f++) {
    PetscInt      bs;
    PetscDataType type;
    size_t        ts;
    void         *data;

    PetscCall(DMSwarmGetField(c->sw, fields[f], &bs, &type, &data));
    PetscCall(PetscDataTypeGetSize(type, &ts));
    memcpy(c->buf + off, data, ts * bs * n);
    off += ts * bs * n;
    PetscCall(DMSwarmRestoreField(c->sw, fields[f], &bs, &type, &data));
  }
  c->bytes = off;
  PetscFunctionReturn(0);
}

static PetscErrorCode Capture(void *p) { return PetscSnapshotCapture(((Ctx *)p)->snap, ((Ctx *)p)->sw); }
static PetscErrorCode Restore(void *p) { return PetscSnapshotRestore(((Ctx *)p)->snap, ((Ctx *)p)->sw); }

int main(int argc, char **argv)
{
  Bench     b;
  Ctx       c;
  PetscReal counts[16] = {1e4, 1e5, 1e6, 1e7};
  PetscInt  ncounts    = 16;
  PetscBool set;
  double    avail;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(BenchInit("swarm", 9, &b));
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-particles", counts, &ncounts, &set));
  if (!set) ncounts = 4;
  PetscCall(BenchMemAvailable(&avail));
  for (PetscInt s = 0; s < ncounts; s++) {
    const PetscInt np   = (PetscInt)counts[s];
    BenchFn        fns[3] = {CopyFields, Capture, Restore};
    BenchTime         t[3];
    PetscInt       reps = np >= 5000000 ? PetscMin(b.reps, 5) : b.reps;

    if (avail > 0 && 3 * 68.0 * np * b.ranks > 0.5 * avail) { /* the swarm, the snapshot, the baseline's buffer */
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%g particles per rank skipped: not enough free memory\n", (double)counts[s]));
      continue;
    }
    PetscCall(DMCreate(PETSC_COMM_WORLD, &c.sw));
    PetscCall(PetscObjectSetName((PetscObject)c.sw, "particles"));
    PetscCall(DMSetType(c.sw, DMSWARM));
    PetscCall(DMSetDimension(c.sw, 3));
    PetscCall(DMSwarmSetType(c.sw, DMSWARM_BASIC));
    PetscCall(DMSwarmRegisterPetscDatatypeField(c.sw, "position", 3, PETSC_REAL));
    PetscCall(DMSwarmRegisterPetscDatatypeField(c.sw, "velocity", 3, PETSC_REAL));
    PetscCall(DMSwarmRegisterPetscDatatypeField(c.sw, "mass", 1, PETSC_REAL));
    PetscCall(DMSwarmFinalizeFieldRegister(c.sw));
    PetscCall(DMSwarmSetLocalSizes(c.sw, np, 0));
    PetscCall(PetscMalloc(np * 128, &c.buf));
    PetscCall(CopyFields(&c));
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &c.snap));
    PetscCall(PetscSnapshotSetFromOptions(c.snap));
    PetscCall(Capture(&c)); /* sizes the buffers */
    PetscCall(BenchTimeOps(reps, 3, NULL, fns, &c, t));
    PetscCall(BenchRow(&b, reps, "swarm", "memcpy-fields", (double)c.bytes, np, NULL, t[0], t[0]));
    PetscCall(BenchRow(&b, reps, "swarm", "capture", (double)c.bytes, np, "memcpy-fields", t[0], t[1]));
    PetscCall(BenchRow(&b, reps, "swarm", "restore", (double)c.bytes, np, "memcpy-fields", t[0], t[2]));
    PetscCall(PetscSnapshotDestroy(&c.snap));
    PetscCall(PetscFree(c.buf));
    PetscCall(DMDestroy(&c.sw));
  }
  PetscCall(PetscFinalize());
  return 0;
}
