static const char help[] = "The hdf5 snapshot type: restart in a new process at the same rank count (-mode write, then -mode read),\n"
                           "and bad files, mid-write failures and keep-last-N (-mode files).\n";

#include <petscviewerhdf5.h>
#include <hdf5.h>
#include <unistd.h>
#include "heatutil.h"
#include "swarmutil.h"
#include "hdf5sim.h"
#include "resealutil.h"

static PetscErrorCode SimCreate(Sim *s)
{
  return SimCreateVariant(5, SWARM_STANDARD, s); /* 36 vertices: unequal local coordinate sizes on 3 ranks */
}

/* Writer: 2 steps, checkpoint, 3 more steps, and the final state as the reference. */
static PetscErrorCode Write(void)
{
  Sim           s;
  PetscSnapshot ckpt, final;

  PetscFunctionBeginUser;
  PetscCall(SimCreate(&s));
  PetscCall(SimSteps(&s, 2));
  PetscCall(HDF5Snapshot("restart-ckpt.h5", &ckpt));
  PetscCall(PetscSnapshotCapture(ckpt, s.heat.dm));
  PetscCall(SimSteps(&s, 3));
  PetscCall(HDF5Snapshot("restart-final.h5", &final));
  PetscCall(PetscSnapshotCapture(final, s.heat.dm));
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "writer: checkpoint after 2 steps and reference after 5 steps written"));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(PetscSnapshotDestroy(&final));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* Reader, a new process: restore the checkpoint into freshly made objects, continue 3 steps, compare with the
   writer's reference bitwise. */
static PetscErrorCode Read(void)
{
  Sim           s;
  PetscSnapshot ckpt, final;
  Copy          mine;
  PetscBool     eq;
  PetscReal     t;
  PetscInt      step, N;

  PetscFunctionBeginUser;
  PetscCall(SimCreate(&s));
  PetscCall(SwarmFill(s.sw, 9)); /* a different state than the writer's */
  PetscCall(HDF5Snapshot("restart-ckpt.h5", &ckpt));
  {
    const char *const want[] = {"file: restart-ckpt.h5", "DM \"mesh\" (plex", "Vec \"state/ts#solution\"", "DM \"particles\" (swarm", "point field \"swarm/velocity\"", NULL};
    PetscCall(TestViewContains(ckpt, "ckpt-view.txt", want, "reader: viewing the snapshot before any restore shows the file's inventory"));
  }
  PetscCall(PetscSnapshotRestore(ckpt, s.heat.dm));
  PetscCall(TSGetTime(s.heat.ts, &t));
  PetscCall(TSGetStepNumber(s.heat.ts, &step));
  PetscCall(DMSwarmGetSize(s.sw, &N));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(step == 2 && t == 0.02 && s.counters.nsolves == 2), "reader: the checkpoint restores the TS clock and the user struct of the writer"));
  PetscCall(SimSteps(&s, 3));
  PetscCall(CopyGet(&s, &mine));
  PetscCall(HDF5Snapshot("restart-final.h5", &final));
  PetscCall(PetscSnapshotRestore(final, s.heat.dm));
  PetscCall(CopyEqual(&s, &mine, &eq));
  PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "reader: restart in a new process continues bitwise like the writer (solution, particles, struct, clock)"));
  PetscCall(CopyFree(&mine));
  PetscCall(PetscSnapshotDestroy(&ckpt));
  PetscCall(PetscSnapshotDestroy(&final));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

/* ---- bad files: rank 0 damages a copy of a good file in one way, then everybody tries to restore it */
typedef enum {
  DAMAGE_NONE,
  DAMAGE_TRUNCATE,
  DAMAGE_FLIP_BYTE,
  DAMAGE_DROP_GROUP,
  DAMAGE_NEWER_SCHEMA,
  DAMAGE_FLIP_SEALED, /* a flipped byte in a dataset, not sealed again: the whole-file checksum refuses it */
  DAMAGE_FLIP_SEAL,   /* a flipped bit in the seal itself */
  DAMAGE_SCHEMA2      /* a file as petsc-snapshot wrote it before schema 3: no seal, schema_version 2 */
} Damage;

static PetscErrorCode Damaged(const char good[], const char bad[], Damage damage)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    FILE  *in = fopen(good, "rb"), *out = fopen(bad, "wb");
    char   buf[65536];
    size_t len, total = 0;
    PetscCheck(in && out, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot copy %s", good);
    while ((len = fread(buf, 1, sizeof(buf), in)) > 0) total += fwrite(buf, 1, len, out);
    fclose(in);
    fclose(out);
    if (damage == DAMAGE_TRUNCATE) PetscCheck(!truncate(bad, (off_t)(total / 2)), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "truncate");
    if (damage == DAMAGE_FLIP_SEAL) {
      FILE *io = fopen(bad, "r+b");
      int   c;
      fseek(io, -20, SEEK_END);
      c = fgetc(io);
      fseek(io, -20, SEEK_END);
      fputc(c ^ 0x02, io);
      fclose(io);
    }
    if (damage == DAMAGE_FLIP_BYTE || damage == DAMAGE_DROP_GROUP || damage == DAMAGE_NEWER_SCHEMA || damage == DAMAGE_FLIP_SEALED || damage == DAMAGE_SCHEMA2) {
      hid_t f;
      if (damage != DAMAGE_FLIP_SEALED) PetscCall(TestUnseal(bad)); /* an edit behind the seal: sealed again below */
      f = H5Fopen(bad, damage == DAMAGE_FLIP_BYTE || damage == DAMAGE_FLIP_SEALED ? H5F_ACC_RDONLY : H5F_ACC_RDWR, H5P_DEFAULT); /* HDF5 cuts a file opened for writing to its own data: the seal with it */
      if (damage == DAMAGE_FLIP_BYTE || damage == DAMAGE_FLIP_SEALED) {
        hid_t   d      = H5Dopen2(f, "/entries/mesh/state/solution", H5P_DEFAULT);
        haddr_t offset = H5Dget_offset(d);
        H5Dclose(d);
        H5Fclose(f);
        FILE *io = fopen(bad, "r+b");
        int   c;
        fseek(io, (long)offset + 11, SEEK_SET);
        c = fgetc(io);
        fseek(io, (long)offset + 11, SEEK_SET);
        fputc(c ^ 0x10, io);
        fclose(io);
      } else if (damage == DAMAGE_DROP_GROUP) {
        H5Ldelete(f, "/entries/particles", H5P_DEFAULT);
        H5Fclose(f);
      } else {
        int   newer = damage == DAMAGE_SCHEMA2 ? 2 : 99;
        hid_t a     = H5Aopen(f, "schema_version", H5P_DEFAULT);
        H5Awrite(a, H5T_NATIVE_INT, &newer);
        H5Aclose(a);
        H5Fclose(f);
      }
      if (damage != DAMAGE_FLIP_SEALED && damage != DAMAGE_SCHEMA2) PetscCall(TestReseal(bad));
    }
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

static PetscBool Exists(const char file[])
{
  return access(file, F_OK) == 0 ? PETSC_TRUE : PETSC_FALSE;
}

static PetscErrorCode Files(void)
{
  Sim           s;
  PetscSnapshot good;
  Copy          atCapture;
  PetscBool     eq;

  PetscFunctionBeginUser;
  PetscCall(SimCreate(&s));
  PetscCall(SimSteps(&s, 1));
  PetscCall(HDF5Snapshot("good.h5", &good));
  PetscCall(PetscSnapshotCapture(good, s.heat.dm));
  PetscCall(CopyGet(&s, &atCapture));
  PetscCall(SimSteps(&s, 2)); /* the state differs from the file's from here on */

  { /* the type chosen from the options database, and a clear error without a file name */
    PetscSnapshot     bare;
    PetscSnapshotType type;
    PetscBool         same;
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &bare));
    PetscCall(PetscOptionsSetValue(NULL, "-snapshot_type", "hdf5"));
    PetscCall(PetscSnapshotSetFromOptions(bare));
    PetscCall(PetscOptionsClearValue(NULL, "-snapshot_type"));
    PetscCall(PetscSnapshotGetType(bare, &type));
    PetscCall(PetscStrcmp(type, PETSCSNAPSHOTHDF5, &same));
    PetscCall(TestCheck(PETSC_COMM_WORLD, same, "-snapshot_type hdf5 selects the hdf5 type"));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(bare, s.heat.dm), "needs a file name", "an hdf5 snapshot without a file name is a clear error");
    PetscCall(PetscSnapshotDestroy(&bare));
  }
  PetscCall(ExpectFileRefusal(&s, "missing.h5", "snapshot file missing.h5 does not exist", "a missing file"));
  PetscCall(Damaged("good.h5", "truncated.h5", DAMAGE_TRUNCATE));
  PetscCall(ExpectFileRefusal(&s, "truncated.h5", "truncated.h5 is not a petsc-snapshot file of schema 3: it has no petsc-snapshot seal", "a truncated file (its seal cut off)"));
  PetscCall(Damaged("good.h5", "sealflip.h5", DAMAGE_FLIP_SEALED));
  PetscCall(ExpectFileRefusal(&s, "sealflip.h5", "sealflip.h5: whole-file checksum mismatch (its seal): the file is damaged; it is not read", "a flipped byte in a dataset: refused by the whole-file checksum"));
  PetscCall(Damaged("good.h5", "badseal.h5", DAMAGE_FLIP_SEAL));
  PetscCall(ExpectFileRefusal(&s, "badseal.h5", "badseal.h5: its petsc-snapshot seal (the whole-file checksum at its end) is damaged", "a flipped bit in the seal itself"));
  PetscCall(Damaged("good.h5", "schema2.h5", DAMAGE_SCHEMA2));
  PetscCall(ExpectFileRefusal(&s, "schema2.h5", "it has no petsc-snapshot seal (the whole-file checksum after its HDF5 data). It was written by an older petsc-snapshot (schema 2 or earlier: re-create the checkpoint with this version)", "a schema-2 file (no seal) is refused, saying why"));
  PetscCall(Damaged("good.h5", "flipped.h5", DAMAGE_FLIP_BYTE));
  PetscCall(ExpectFileRefusal(&s, "flipped.h5", "dataset /entries/mesh/state/solution: checksum mismatch, the file is corrupt", "a flipped byte in a dataset, sealed again (damage before the seal): its dataset checksum"));
  PetscCall(Damaged("good.h5", "nogroup.h5", DAMAGE_DROP_GROUP));
  PetscCall(ExpectFileRefusal(&s, "nogroup.h5", "holds no DM named \"particles\"", "a missing group"));
  PetscCall(Damaged("good.h5", "newer.h5", DAMAGE_NEWER_SCHEMA));
  PetscCall(ExpectFileRefusal(&s, "newer.h5", "has schema version 99, newer than the 3 this petsc-snapshot reads", "a newer schema version"));
  { /* a file from another program: an HDF5 file with a Vec in it */
    PetscViewer v;
    PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, "foreign.h5", FILE_MODE_WRITE, &v));
    PetscCall(VecView(s.heat.u, v));
    PetscCall(PetscViewerDestroy(&v));
    PetscCall(ExpectFileRefusal(&s, "foreign.h5", "foreign.h5 is not a petsc-snapshot file", "a file from another program"));
  }
  { /* a file written for another mesh, or with other fields */
    Sim other;
    PetscCall(SimCreateVariant(7, SWARM_STANDARD, &other));
    PetscCall(ExpectFileRefusal(&other, "good.h5", "the DM's layout changed", "a file written for another mesh"));
    PetscCall(SimDestroy(&other));
    PetscCall(SimCreateVariant(5, SWARM_EXTRA_FIELD, &other));
    PetscCall(ExpectFileRefusal(&other, "good.h5", "swarm field \"extra\" is registered now but was not at capture", "a file written with other fields"));
    PetscCall(SimDestroy(&other));
  }

  /* a failure in the middle of writing leaves the previous file intact and no temporary behind */
  {
    PetscSnapshot failing;
    PetscCall(PetscOptionsSetValue(NULL, "-snapshot_hdf5_test_fail_after", "3"));
    PetscCall(HDF5Snapshot("good.h5", &failing));
    PetscCall(PetscOptionsClearValue(NULL, "-snapshot_hdf5_test_fail_after"));
    TestExpectError(PETSC_COMM_WORLD, PetscSnapshotCapture(failing, s.heat.dm), "failure injected after writing 3 datasets", "a failure injected in the middle of writing");
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)!Exists("good.h5.tmp"), "after the failure no temporary file is left"));
    PetscCall(PetscSnapshotRestore(good, s.heat.dm));
    PetscCall(CopyEqual(&s, &atCapture, &eq));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "after the failure the previous file still restores the captured state bitwise"));
    PetscCall(PetscSnapshotDestroy(&failing));
  }

  /* keep the last 2 of a series of numbered files; a new snapshot object restores the newest */
  {
    PetscSnapshot series, reader;
    Copy          last;
    PetscMPIInt   rank;
    PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
    if (rank == 0) /* numbering continues from the newest file on disk: start from none (an earlier run's) */
      for (int k = 1; k <= 12; k++) {
        char name[64];
        PetscCall(PetscSNPrintf(name, sizeof(name), "series-%06d.h5", k));
        (void)remove(name);
      }
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    PetscCall(HDF5Snapshot("series.h5", &series));
    PetscCall(PetscSnapshotHDF5SetKeep(series, 2));
    for (int k = 0; k < 4; k++) {
      PetscCall(SimSteps(&s, 1));
      PetscCall(PetscSnapshotCapture(series, s.heat.dm));
    }
    PetscCall(CopyGet(&s, &last));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(!Exists("series-000001.h5") && !Exists("series-000002.h5") && Exists("series-000003.h5") && Exists("series-000004.h5")), "keep 2: after 4 captures exactly the last 2 numbered files exist"));
    PetscCall(SimSteps(&s, 2));
    PetscCall(HDF5Snapshot("series.h5", &reader));
    PetscCall(PetscSnapshotHDF5SetKeep(reader, 2));
    PetscCall(PetscSnapshotRestore(reader, s.heat.dm));
    PetscCall(CopyEqual(&s, &last, &eq));
    PetscCall(TestCheck(PETSC_COMM_WORLD, eq, "keep 2: a new snapshot object restores the newest file bitwise"));
    PetscCall(CopyFree(&last));
    PetscCall(PetscSnapshotDestroy(&series));
    PetscCall(PetscSnapshotDestroy(&reader));
  }
  PetscCall(CopyFree(&atCapture));
  PetscCall(PetscSnapshotDestroy(&good));
  PetscCall(SimDestroy(&s));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char mode[32] = "write";
  int  code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mode", mode, sizeof(mode), NULL));
  if (!strcmp(mode, "write")) PetscCall(Write());
  else if (!strcmp(mode, "read")) PetscCall(Read());
  else if (!strcmp(mode, "files")) PetscCall(Files());
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
