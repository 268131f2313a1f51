static const char help[] = "petscsnapshot-info: print the metadata and inventory of a petsc-snapshot HDF5 file.\n"
                           "Usage: petscsnapshot-info [--verify] <file.h5>\n"
                           "  --verify  also read every dataset and check the checksum of every writer rank's rows; list the\n"
                           "            /topologies groups (restart at another rank count); exit 1 if anything is wrong\n";

/* Reads only the file's attributes (no data, no DMs needed): what a person asks of a checkpoint before restarting. */
#include <petscsys.h>
#include <hdf5.h>
#include "../src/storage/hdf5/topologychecksum.h"
#include "compat.h" /* HDF5 version differences */
#include <string.h>
#include <xxhash.h>

static int verifyBad = 0, verifyGood = 0, writers = 0;

/* The memory type a dataset of petsc_type is read with (as the library reads it) */
static hid_t MemType(const char *type)
{
  if (!strcmp(type, "DOUBLE")) return H5T_NATIVE_DOUBLE;
  if (!strcmp(type, "FLOAT")) return H5T_NATIVE_FLOAT;
  if (!strcmp(type, "INT")) return sizeof(PetscInt) == 8 ? H5T_NATIVE_INT64 : H5T_NATIVE_INT;
  if (!strcmp(type, "INT64")) return H5T_NATIVE_INT64;
  if (!strcmp(type, "LONG")) return H5T_NATIVE_LONG;
  if (!strcmp(type, "SHORT")) return H5T_NATIVE_SHORT;
  if (!strcmp(type, "CHAR")) return H5T_NATIVE_CHAR;
  return H5T_NATIVE_UCHAR;
}

static int ReadAttr(hid_t obj, const char *name, hid_t type, size_t n, void *values)
{
  hid_t attr, space;
  int   ok = 0;

  if (H5Aexists(obj, name) <= 0) return 0;
  attr  = H5Aopen(obj, name, H5P_DEFAULT);
  space = attr >= 0 ? H5Aget_space(attr) : -1;
  if (space >= 0 && H5Sget_simple_extent_npoints(space) == (hssize_t)n) ok = H5Aread(attr, type, values) >= 0;
  if (space >= 0) H5Sclose(space);
  if (attr >= 0) H5Aclose(attr);
  return ok;
}

/* --verify: every writer rank's rows of one dataset against its checksum */
static herr_t VerifyDataset(hid_t group, const char *name, const H5O_info_t *info, void *data)
{
  const char *entry = (const char *)data;
  char        type[64] = {0}, why[256] = "";
  long long  *counts   = calloc((size_t)writers, sizeof(long long));
  unsigned long long *sums = calloc((size_t)writers, sizeof(unsigned long long));
  int         bs = 0, bad = -1;
  hid_t       dset, space, attr, mem, mtype;
  hsize_t     dims[2] = {0, 0};

  if (info->type != H5O_TYPE_DATASET) {
    free(counts);
    free(sums);
    return 0;
  }
  dset  = H5Dopen2(group, name, H5P_DEFAULT);
  space = dset >= 0 ? H5Dget_space(dset) : -1;
  if (dset < 0 || space < 0) snprintf(why, sizeof(why), "cannot be opened");
  else if (H5Aexists(dset, "petsc_type") > 0) {
    attr = H5Aopen(dset, "petsc_type", H5P_DEFAULT);
    mem  = H5Tcopy(H5T_C_S1);
    H5Tset_size(mem, sizeof(type) - 1);
    if (attr < 0 || H5Aread(attr, mem, type) < 0) type[0] = 0;
    H5Tclose(mem);
    if (attr >= 0) H5Aclose(attr);
  }
  if (!why[0] && !(type[0] && ReadAttr(dset, "bs", H5T_NATIVE_INT, 1, &bs) && bs >= 1 && ReadAttr(dset, "counts", H5T_NATIVE_LLONG, (size_t)writers, counts) && ReadAttr(dset, "checksums", H5T_NATIVE_ULLONG, (size_t)writers, sums))) snprintf(why, sizeof(why), "lacks valid attributes (petsc_type, bs, counts, checksums)");
  if (!why[0]) {
    long long total = 0;
    for (int r = 0; r < writers; r++) total += counts[r] >= 0 ? counts[r] : 0;
    if (H5Sget_simple_extent_ndims(space) != 2 || H5Sget_simple_extent_dims(space, dims, NULL) < 0 || dims[0] != (hsize_t)total || dims[1] != (hsize_t)bs) snprintf(why, sizeof(why), "does not have the shape its counts say");
  }
  if (!why[0]) {
    size_t         tsize = H5Tget_size(MemType(type)), row = tsize * (size_t)bs;
    unsigned char *buf   = malloc(dims[0] * row + 1);
    mtype                = MemType(type);
    if (!buf) snprintf(why, sizeof(why), "too large to read");
    else if (dims[0] > 0 && H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) snprintf(why, sizeof(why), "cannot be read (truncated or corrupt file)");
    else {
      size_t at = 0;
      for (int r = 0; r < writers; r++) {
        size_t bytes = row * (size_t)counts[r];
        if (XXH3_64bits(bytes ? (const void *)(buf + at) : (const void *)"", bytes) != sums[r] && bad < 0) bad = r;
        at += bytes;
      }
      if (bad >= 0) snprintf(why, sizeof(why), "checksum mismatch in the rows of writer rank %d", bad);
    }
    free(buf);
  }
  if (why[0]) verifyBad++;
  else verifyGood++;
  printf("  %-4s /entries/%s/%s%s%s\n", why[0] ? "BAD" : "ok", entry, name, why[0] ? ": " : "", why);
  if (space >= 0) H5Sclose(space);
  if (dset >= 0) H5Dclose(dset);
  free(counts);
  free(sums);
  return 0;
}

static herr_t VerifyEntry(hid_t entries, const char *name, const H5L_info_t *info, void *data)
{
  hid_t group = H5Gopen2(entries, name, H5P_DEFAULT);

  if (group < 0 || PetscSnapshotH5Ovisit(group, H5_INDEX_NAME, H5_ITER_INC, VerifyDataset, (void *)name) < 0) {
    printf("  BAD  /entries/%s cannot be read\n", name);
    verifyBad++;
  }
  if (group >= 0) H5Gclose(group);
  return 0;
}

static herr_t PrintLink(hid_t group, const char *name, const H5L_info_t *info, void *data)
{
  printf("%s%s\n", (const char *)data, name);
  return 0;
}

/* /topologies/<DM>: PETSc's DMPlex layout, and the Vecs saved in it (dms/<name>) */
static herr_t PrintTopology(hid_t topologies, const char *name, const H5L_info_t *info, void *data)
{
  hid_t g = H5Gopen2(topologies, name, H5P_DEFAULT);

  printf("  topology \"%s\"\n", name);
  if (g >= 0 && H5Lexists(g, "dms", H5P_DEFAULT) > 0) {
    hid_t dms = H5Gopen2(g, "dms", H5P_DEFAULT);
    if (dms >= 0) {
      H5Literate(dms, H5_INDEX_NAME, H5_ITER_INC, NULL, PrintLink, (void *)"    dms/");
      H5Gclose(dms);
    }
  }
  if (g >= 0) H5Gclose(g);
  return 0;
}

/* --verify: exit status 0 only if the file is a schema-2 petsc-snapshot file whose every dataset verifies */
static int Verify(hid_t root)
{
  int schema = 0;

  printf("verify:\n");
  if (!ReadAttr(root, "schema_version", H5T_NATIVE_INT, 1, &schema) || schema != 2) {
    printf("  BAD  schema version %d: this tool verifies schema 2 (XXH3-64); %s\n", schema, schema == 1 ? "schema 1 used FNV-1a, which misses paired bit flips: re-create the checkpoint" : "");
    return 1;
  }
  if (!ReadAttr(root, "comm_size", H5T_NATIVE_INT, 1, &writers) || writers < 1 || writers > (1 << 24)) {
    printf("  BAD  no valid comm_size attribute\n");
    return 1;
  }
  if (H5Lexists(root, "entries", H5P_DEFAULT) > 0) {
    hid_t entries = H5Gopen2(root, "entries", H5P_DEFAULT);
    if (entries < 0 || H5Literate(entries, H5_INDEX_NAME, H5_ITER_INC, NULL, VerifyEntry, NULL) < 0) verifyBad++;
    if (entries >= 0) H5Gclose(entries);
  }
  {
    uint64_t sum = 0, stored = 0;
    int      rc = PetscSnapshotTopologiesChecksum(root, &sum);
    if (rc == 0) {
      if (!ReadAttr(root, "topologies_checksum", H5T_NATIVE_UINT64, 1, &stored)) {
        printf("  BAD  /topologies: no topologies_checksum attribute (not completed by petsc-snapshot, or damaged)\n");
        verifyBad++;
      } else if (stored != sum) {
        printf("  BAD  /topologies: checksum mismatch (PETSc's DMPlex layout, read to load the mesh or restore on another partition)\n");
        verifyBad++;
      } else {
        printf("  ok   /topologies (one XXH3-64 over the whole tree)\n");
        verifyGood++;
      }
    } else if (rc < 0) {
      printf("  BAD  /topologies cannot be read\n");
      verifyBad++;
    }
  }
  printf("topologies (restart at another rank count):\n");
  if (H5Lexists(root, "topologies", H5P_DEFAULT) > 0) {
    hid_t t = H5Gopen2(root, "topologies", H5P_DEFAULT);
    if (t >= 0) {
      H5Literate(t, H5_INDEX_NAME, H5_ITER_INC, NULL, PrintTopology, NULL);
      H5Gclose(t);
    }
  } else printf("  none: the file restores only on %d ranks\n", writers);
  printf("%d datasets verified, %d bad: %s\n", verifyGood, verifyBad, verifyBad ? "THE FILE IS DAMAGED" : "the file is intact");
  return verifyBad ? 1 : 0;
}

static void PrintAttribute(hid_t obj, const char *name, const char *indent)
{
  hid_t   attr = H5Aopen(obj, name, H5P_DEFAULT), type = H5Aget_type(attr), space = H5Aget_space(attr);
  hssize_t n   = H5Sget_simple_extent_npoints(space);

  printf("%s%s = ", indent, name);
  if (H5Tget_class(type) == H5T_STRING) {
    char  buf[1024] = {0};
    hid_t mem       = H5Tcopy(H5T_C_S1);
    H5Tset_size(mem, sizeof(buf) - 1);
    H5Aread(attr, mem, buf);
    H5Tclose(mem);
    printf("\"%s\"", buf);
  } else if (H5Tget_class(type) == H5T_FLOAT) {
    double v[64];
    if (n <= 64) H5Aread(attr, H5T_NATIVE_DOUBLE, v);
    for (hssize_t i = 0; i < n && i < 64; i++) printf("%s%.17g", i ? ", " : "", v[i]);
  } else {
    long long v[64];
    if (n <= 64) H5Aread(attr, H5T_NATIVE_LLONG, v);
    for (hssize_t i = 0; i < n && i < 64; i++) printf("%s%lld", i ? ", " : "", v[i]);
  }
  printf("\n");
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attr);
}

static herr_t PrintRootAttribute(hid_t obj, const char *name, const H5A_info_t *info, void *data)
{
  PrintAttribute(obj, name, "  ");
  return 0;
}

static herr_t PrintDataset(hid_t group, const char *name, const H5O_info_t *info, void *data)
{
  hid_t   dset, space;
  hsize_t dims[2] = {0, 0};
  char    type[64] = {0};
  hid_t   attr, mem;

  if (info->type != H5O_TYPE_DATASET) return 0;
  dset  = H5Dopen2(group, name, H5P_DEFAULT);
  space = H5Dget_space(dset);
  H5Sget_simple_extent_dims(space, dims, NULL);
  if (H5Aexists(dset, "petsc_type") > 0) {
    attr = H5Aopen(dset, "petsc_type", H5P_DEFAULT);
    mem  = H5Tcopy(H5T_C_S1);
    H5Tset_size(mem, sizeof(type) - 1);
    H5Aread(attr, mem, type);
    H5Tclose(mem);
    H5Aclose(attr);
  }
  printf("    %-40s %-7s %10llu items x bs %llu, %llu bytes\n", name, type, (unsigned long long)dims[0], (unsigned long long)dims[1], (unsigned long long)H5Dget_storage_size(dset));
  H5Sclose(space);
  H5Dclose(dset);
  return 0;
}

static herr_t PrintEntry(hid_t entries, const char *name, const H5L_info_t *info, void *data)
{
  hid_t group = H5Gopen2(entries, name, H5P_DEFAULT);

  printf("DM \"%s\"\n", name);
  if (H5Aexists(group, "dm_type") > 0) PrintAttribute(group, "dm_type", "    ");
  if (H5Aexists(group, "comm_size") > 0) PrintAttribute(group, "comm_size", "    ");
  if (H5Aexists(group, "captures") > 0) PrintAttribute(group, "captures", "    ");
  PetscSnapshotH5Ovisit(group, H5_INDEX_NAME, H5_ITER_INC, PrintDataset, NULL);
  H5Gclose(group);
  return 0;
}

int main(int argc, char **argv)
{
  hid_t       file;
  const char *path = NULL;
  PetscBool   verify = PETSC_FALSE;
  char        format[64] = {0};
  int         status = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--verify")) verify = PETSC_TRUE;
    else if (argv[i][0] != '-') path = argv[i];
  }
  if (!path) {
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "%s", help));
    PetscCall(PetscFinalize());
    return 2;
  }
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  file = H5Fis_hdf5(path) > 0 ? H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
  if (file < 0) {
    fprintf(stderr, "petscsnapshot-info: %s is not a readable HDF5 file\n", path);
    status = 1;
  } else {
    hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    if (H5Aexists(root, "format") > 0) {
      hid_t attr = H5Aopen(root, "format", H5P_DEFAULT), mem = H5Tcopy(H5T_C_S1);
      H5Tset_size(mem, sizeof(format) - 1);
      H5Aread(attr, mem, format);
      H5Tclose(mem);
      H5Aclose(attr);
    }
    if (strcmp(format, "petsc-snapshot")) {
      fprintf(stderr, "petscsnapshot-info: %s is not a petsc-snapshot file\n", path);
      status = 1;
    } else {
      printf("petsc-snapshot file %s\n", path);
      H5Aiterate2(root, H5_INDEX_NAME, H5_ITER_INC, NULL, PrintRootAttribute, NULL);
      if (H5Lexists(root, "entries", H5P_DEFAULT) > 0) {
        hid_t entries = H5Gopen2(root, "entries", H5P_DEFAULT);
        H5Literate(entries, H5_INDEX_NAME, H5_ITER_INC, NULL, PrintEntry, NULL);
        H5Gclose(entries);
      }
      if (verify) status = Verify(root);
    }
    H5Gclose(root);
    H5Fclose(file);
  }
  PetscCall(PetscFinalize());
  return status;
}
