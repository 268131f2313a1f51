static const char help[] = "The /topologies part of an hdf5 snapshot (PETSc's own DMPlex layout, read by PetscSnapshotHDF5LoadDM and by\n"
                           "restores on another partition) is verified before PETSc's loaders read it: a flipped bit in any of its\n"
                           "datasets is refused, naming the file; the intact file loads; a same-count restore into a mesh built by\n"
                           "the program, which does not read that part, still restores.\n";

#include "testutil.h"
#include "hdf5sim.h"
#include <hdf5.h>
#include "resealutil.h"

typedef struct {
  char          name[PETSC_MAX_PATH_LEN];
  hsize_t       best;
  unsigned char probe[16]; /* 16 bytes from the middle of the largest dataset's values */
} Target;

/* The largest dataset under /topologies (PETSc writes them chunked: found in the file by a run of its bytes). */
static herr_t Pick(hid_t group, const char *name, const H5L_info_t *info, void *data)
{
  Target *t = (Target *)data;
  hid_t   d;
  (void)info;
  H5E_BEGIN_TRY { d = H5Dopen2(group, name, H5P_DEFAULT); }
  H5E_END_TRY;
  if (d >= 0) {
    hid_t    ftype = H5Dget_type(d), mtype = H5Tget_native_type(ftype, H5T_DIR_ASCEND), space = H5Dget_space(d);
    hssize_t n     = H5Sget_simple_extent_npoints(space);
    size_t   bytes = (size_t)n * H5Tget_size(mtype);
    if (n > 0 && bytes >= 64 && bytes > t->best && H5Tequal(ftype, mtype) > 0) {
      unsigned char *buf = (unsigned char *)malloc(bytes);
      if (buf && H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
        t->best = bytes;
        memcpy(t->probe, buf + bytes / 2, sizeof(t->probe));
        snprintf(t->name, sizeof(t->name), "/topologies/%s", name);
      }
      free(buf);
    }
    H5Sclose(space);
    H5Tclose(mtype);
    H5Tclose(ftype);
    H5Dclose(d);
  }
  return 0;
}

/* Copy src to dst with one bit flipped in the middle of the largest /topologies dataset (rank 0), sealed again: the
   whole-file seal would refuse it first (test_hdf5, test_hdf5_faults); here the /topologies checksum behind it must. */
static PetscErrorCode Damage(const char src[], const char dst[], char which[], size_t len)
{
  PetscMPIInt rank;
  int         ok = 1;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    Target         t;
    hid_t          f, top;
    unsigned char *bytes = NULL;
    long           size = 0, at = -1, hits = 0;
    FILE          *in, *out;

    memset(&t, 0, sizeof(t));
    f   = H5Fopen(src, H5F_ACC_RDONLY, H5P_DEFAULT);
    top = f >= 0 ? H5Gopen2(f, "topologies", H5P_DEFAULT) : -1;
    if (top >= 0) H5Lvisit(top, H5_INDEX_NAME, H5_ITER_INC, Pick, &t);
    if (top >= 0) H5Gclose(top);
    if (f >= 0) H5Fclose(f);
    in = fopen(src, "rb");
    if (in && !fseek(in, 0, SEEK_END) && (size = ftell(in)) > 0 && !fseek(in, 0, SEEK_SET) && (bytes = (unsigned char *)malloc((size_t)size)) && fread(bytes, 1, (size_t)size, in) == (size_t)size) {
      for (long i = 0; t.best && i + (long)sizeof(t.probe) <= size; i++)
        if (!memcmp(bytes + i, t.probe, sizeof(t.probe))) {
          hits++;
          at = i;
        }
    }
    if (in) fclose(in);
    ok = hits == 1; /* the run is the dataset's, nowhere else */
    if (ok) {
      bytes[at + 3] ^= 0x10;
      out = fopen(dst, "wb");
      ok  = out && fwrite(bytes, 1, (size_t)size, out) == (size_t)size;
      if (out) fclose(out);
      ok = ok && PetscSnapshotUnsealFile(dst) >= 0 && PetscSnapshotSealFile(dst) == 0; /* damage behind the whole-file seal */
      snprintf(which, len, "%s", t.name);
    }
    free(bytes);
  }
  PetscCallMPI(MPI_Bcast(&ok, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  PetscCheck(ok, PETSC_COMM_WORLD, PETSC_ERR_FILE_UNEXPECTED, "could not damage %s", src);
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Sim           s;
  PetscSnapshot snap;
  DM            mesh;
  char          which[PETSC_MAX_PATH_LEN] = "", what[PETSC_MAX_PATH_LEN + 128];
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(SimCreateVariant(6, SWARM_STANDARD, &s));
  PetscCall(SimSteps(&s, 2));
  PetscCall(HDF5Snapshot("topo.h5", &snap));
  PetscCall(PetscSnapshotCapture(snap, s.heat.dm));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(Damage("topo.h5", "topo-bad.h5", which, sizeof(which)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "damaged: one bit in %s\n", which));

  PetscCall(HDF5Snapshot("topo.h5", &snap)); /* the intact file loads */
  PetscCall(PetscSnapshotHDF5LoadDM(snap, "mesh", &mesh));
  PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(mesh != NULL), "the intact file's mesh loads"));
  PetscCall(DMDestroy(&mesh));
  PetscCall(PetscSnapshotDestroy(&snap));

  PetscCall(HDF5Snapshot("topo-bad.h5", &snap));
  PetscCall(PetscSNPrintf(what, sizeof(what), "a bit flipped in %s: PetscSnapshotHDF5LoadDM refused on every rank", which));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotHDF5LoadDM(snap, "mesh", &mesh), "checksum mismatch in its /topologies", what);
  PetscCall(PetscSnapshotRestore(snap, s.heat.dm)); /* the same partition: /entries only, which are intact */
  PetscCall(TestCheck(PETSC_COMM_WORLD, PETSC_TRUE, "the same file restores into the mesh the program built (it does not read /topologies)"));
  PetscCall(PetscSnapshotDestroy(&snap));

  PetscCall(SimDestroy(&s));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
