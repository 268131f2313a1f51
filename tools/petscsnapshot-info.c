static const char help[] = "petscsnapshot-info: what a petsc-snapshot HDF5 file holds, and whether it is intact.\n"
                           "Usage: petscsnapshot-info [--verify] [--json] <file.h5>\n"
                           "  --verify  check the whole file against its seal, read every dataset and check the checksum of every\n"
                           "            writer rank's rows, and the checksum of /topologies, both here and through the library as a\n"
                           "            restore does (PetscSnapshotHDF5Verify);\n"
                           "            exit 1 if anything is wrong\n"
                           "  --json    the same as one JSON object (for scripts)\n"
                           "Exit status: 0 a petsc-snapshot file (intact, with --verify); 1 damaged, foreign or unreadable; 2 usage.\n";

/* The library identifies the file (PetscSnapshotHDF5GetFileInfo: a foreign or damaged file is refused as a restart
   would refuse it) and verifies it (PetscSnapshotHDF5Verify); the inventory, and the per-dataset report of --verify
   that names the writer rank whose rows are damaged, read the file's HDF5 layout (docs/file-format.md). */
#include <petscsnapshot.h>
#include <hdf5.h>
#include "../src/storage/hdf5/topologychecksum.h"
#include "../src/storage/hdf5/seal.h"
#include "compat.h" /* HDF5 version differences */
#include <string.h>
#include <xxhash.h>

static int  verifyBad = 0, verifyGood = 0, writers = 0, json = 0;
static char problems[65536]; /* --json: the JSON strings of the problems found, comma-separated */

/* s as a JSON string (quotes, backslashes and control characters escaped) */
static void JsonString(FILE *out, const char *s)
{
  fputc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
    else if (c < 0x20) fprintf(out, "\\u%04x", c);
    else fputc(c, out);
  }
  fputc('"', out);
}

/* Record a verification problem: a line of the report, or a string of the JSON list */
static void Problem(const char *text)
{
  verifyBad++;
  if (!json) printf("  BAD  %s\n", text);
  else {
    size_t at  = strlen(problems);
    FILE  *mem = fmemopen(problems + at, sizeof(problems) - at - 1, "w");
    if (mem) {
      if (at) fputc(',', mem);
      JsonString(mem, text);
      fclose(mem);
    }
  }
}

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
  if (why[0]) {
    char text[1024];
    snprintf(text, sizeof(text), "/entries/%s/%s: %s", entry, name, why);
    Problem(text);
  } else {
    verifyGood++;
    if (!json) printf("  ok   /entries/%s/%s\n", entry, name);
  }
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
    char text[512];
    snprintf(text, sizeof(text), "/entries/%s cannot be read", name);
    Problem(text);
  }
  if (group >= 0) H5Gclose(group);
  return 0;
}

/* The names of the groups under /topologies (the DMPlex meshes saved in PETSc's layout), as text or JSON */
static herr_t ListTopology(hid_t topologies, const char *name, const H5L_info_t *info, void *data)
{
  int *count = (int *)data;

  if (json) {
    if ((*count)++) printf(", ");
    JsonString(stdout, name);
  } else printf("%s\"%s\"", (*count)++ ? ", " : "", name);
  return 0;
}

static int Topologies(hid_t root)
{
  int count = 0;

  if (H5Lexists(root, "topologies", H5P_DEFAULT) > 0) {
    hid_t t = H5Gopen2(root, "topologies", H5P_DEFAULT);
    if (t >= 0) {
      H5Literate(t, H5_INDEX_NAME, H5_ITER_INC, NULL, ListTopology, &count);
      H5Gclose(t);
    }
  }
  return count;
}

/* --verify, here: the whole file against its seal, every dataset's rows of every writer rank, and /topologies, against
   their checksums */
static void VerifyHere(hid_t root, const char *path)
{
  int      schema = 0;
  uint64_t covered = 0;

  switch (PetscSnapshotSealCheck(path, &covered)) {
  case PETSCSNAPSHOT_SEAL_OK:
    verifyGood++;
    if (!json) printf("  ok   the whole file (its seal: one XXH3-64 over %llu bytes)\n", (unsigned long long)covered);
    break;
  case PETSCSNAPSHOT_SEAL_NONE:
    Problem("no seal (whole-file checksum) at the end of the file");
    break;
  case PETSCSNAPSHOT_SEAL_DAMAGED:
    Problem("the seal (whole-file checksum) at the end of the file is damaged");
    break;
  case PETSCSNAPSHOT_SEAL_MISMATCH:
    Problem("whole-file checksum mismatch (its seal)");
    break;
  default:
    Problem("the file cannot be read to verify its seal");
  }
  if (!ReadAttr(root, "schema_version", H5T_NATIVE_INT, 1, &schema) || schema != 3) {
    Problem(schema == 1 ? "schema version 1 (FNV-1a checksums miss paired bit flips): re-create the checkpoint" : "no schema version 3");
    return;
  }
  if (!ReadAttr(root, "comm_size", H5T_NATIVE_INT, 1, &writers) || writers < 1 || writers > (1 << 24)) {
    Problem("no valid comm_size attribute");
    return;
  }
  if (H5Lexists(root, "entries", H5P_DEFAULT) > 0) {
    hid_t entries = H5Gopen2(root, "entries", H5P_DEFAULT);
    if (entries < 0 || H5Literate(entries, H5_INDEX_NAME, H5_ITER_INC, NULL, VerifyEntry, NULL) < 0) Problem("/entries cannot be read");
    if (entries >= 0) H5Gclose(entries);
  }
  {
    uint64_t sum = 0, stored = 0;
    int      rc = PetscSnapshotTopologiesChecksum(root, &sum);
    if (rc == 0) {
      if (!ReadAttr(root, "topologies_checksum", H5T_NATIVE_UINT64, 1, &stored)) Problem("/topologies: no topologies_checksum attribute (not completed by petsc-snapshot, or damaged)");
      else if (stored != sum) Problem("/topologies: checksum mismatch (PETSc's DMPlex layout, read to load the mesh or restore on another partition)");
      else {
        verifyGood++;
        if (!json) printf("  ok   /topologies (one XXH3-64 over the whole tree)\n");
      }
    } else if (rc < 0) Problem("/topologies cannot be read");
  }
}

/* What each attribute of the file means (docs/file-format.md) */
static const char *Explain(const char *name, int entry)
{
  static const char *const root[][2] = {
    {"captures", "the writing snapshot's PetscSnapshotCapture() calls up to this file (this file is that capture)"},
    {"comm_size", "MPI ranks that wrote the file"},
    {"created", "when the file was written (UTC)"},
    {"dmplex_storage_version", "version of PETSc's DMPlex HDF5 layout in /topologies (2.x loads on any rank count)"},
    {"format", "always \"petsc-snapshot\""},
    {"library_version", "petsc-snapshot version that wrote the file"},
    {"petsc_int_bytes", "bytes of the writer's PetscInt (4, or 8 with 64-bit indices): restored only by a PETSc with the same"},
    {"petsc_version", "PETSc that wrote the file"},
    {"petsc_version_git", "PETSc that wrote the file (git tag)"},
    {"schema_version", "layout version of the file (3: sealed by a whole-file XXH3-64 after the HDF5 data; XXH3-64 per dataset)"},
    {"topologies_checksum", "XXH3-64 over the whole /topologies tree (hexadecimal)"},
    {"ts_dt", "the TS's time step at capture"},
    {"ts_step", "the TS's step number at capture"},
    {"ts_time", "the TS's time at capture"}};
  static const char *const dm[][2] = {{"dm_type", "the DM's type"}, {"comm_size", "MPI ranks the DM lived on"}, {"captures", "captures of this DM in this file (a file holds one capture)"}};

  if (!entry) {
    for (size_t i = 0; i < sizeof(root) / sizeof(root[0]); i++)
      if (!strcmp(name, root[i][0])) return root[i][1];
  } else
    for (size_t i = 0; i < sizeof(dm) / sizeof(dm[0]); i++)
      if (!strcmp(name, dm[i][0])) return dm[i][1];
  return "";
}

/* One attribute: text "name = value   meaning", or JSON "name": value (a checksum as a hexadecimal string) */
static void PrintAttribute(hid_t obj, const char *name, int entry, int *count)
{
  hid_t    attr = H5Aopen(obj, name, H5P_DEFAULT), type = H5Aget_type(attr), space = H5Aget_space(attr);
  hssize_t n    = H5Sget_simple_extent_npoints(space);
  char     value[1100] = {0};

  if (H5Tget_class(type) == H5T_STRING) {
    char  buf[1024] = {0};
    hid_t mem       = H5Tcopy(H5T_C_S1);
    H5Tset_size(mem, sizeof(buf) - 1);
    H5Aread(attr, mem, buf);
    H5Tclose(mem);
    snprintf(value, sizeof(value), "%s", buf);
  } else if (n == 1 && H5Tget_class(type) == H5T_FLOAT) {
    double v = 0;
    H5Aread(attr, H5T_NATIVE_DOUBLE, &v);
    snprintf(value, sizeof(value), "%.17g", v);
  } else if (n == 1 && H5Tget_class(type) == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_NONE) {
    unsigned long long v = 0;
    H5Aread(attr, H5T_NATIVE_ULLONG, &v);
    snprintf(value, sizeof(value), "%016llx", v);
  } else if (n == 1 && H5Tget_class(type) == H5T_INTEGER) {
    long long v = 0;
    H5Aread(attr, H5T_NATIVE_LLONG, &v);
    snprintf(value, sizeof(value), "%lld", v);
  } else snprintf(value, sizeof(value), "(%lld values)", (long long)n);
  if (json) {
    printf("%s", (*count)++ ? ", " : "");
    JsonString(stdout, name);
    printf(": ");
    if (H5Tget_class(type) == H5T_STRING || (H5Tget_class(type) == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_NONE) || n != 1) JsonString(stdout, value);
    else printf("%s", value);
  } else {
    char lhs[1200];
    snprintf(lhs, sizeof(lhs), H5Tget_class(type) == H5T_STRING ? "%s = \"%s\"" : "%s = %s", name, value);
    printf("%s%-44s %s\n", entry ? "    " : "  ", lhs, Explain(name, entry));
  }
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attr);
}

static herr_t PrintRootAttribute(hid_t obj, const char *name, const H5A_info_t *info, void *data)
{
  PrintAttribute(obj, name, 0, (int *)data);
  return 0;
}

static herr_t PrintDataset(hid_t group, const char *name, const H5O_info_t *info, void *data)
{
  int               *count = (int *)data;
  hid_t              dset, space, attr, mem;
  hsize_t            dims[2] = {0, 0};
  char               type[64] = {0};
  unsigned long long bytes;

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
  bytes = (unsigned long long)H5Dget_storage_size(dset);
  if (json) {
    printf("%s{\"name\": ", (*count)++ ? ", " : "");
    JsonString(stdout, name);
    printf(", \"type\": ");
    JsonString(stdout, type);
    printf(", \"rows\": %llu, \"bs\": %llu, \"bytes_stored\": %llu}", (unsigned long long)dims[0], (unsigned long long)dims[1], bytes);
  } else printf("    %-40s %-7s %10llu rows x %llu, %llu bytes\n", name, type, (unsigned long long)dims[0], (unsigned long long)dims[1], bytes);
  H5Sclose(space);
  H5Dclose(dset);
  return 0;
}

static herr_t PrintEntry(hid_t entries, const char *name, const H5L_info_t *info, void *data)
{
  int  *count = (int *)data, attrs = 0, arrays = 0;
  hid_t group = H5Gopen2(entries, name, H5P_DEFAULT);

  if (json) {
    printf("%s{\"name\": ", (*count)++ ? ", " : "");
    JsonString(stdout, name);
    printf(", \"attributes\": {");
  } else printf("DM \"%s\"\n", name);
  if (H5Aexists(group, "dm_type") > 0) PrintAttribute(group, "dm_type", 1, &attrs);
  if (H5Aexists(group, "comm_size") > 0) PrintAttribute(group, "comm_size", 1, &attrs);
  if (H5Aexists(group, "captures") > 0) PrintAttribute(group, "captures", 1, &attrs);
  if (json) printf("}, \"arrays\": [");
  PetscSnapshotH5Ovisit(group, H5_INDEX_NAME, H5_ITER_INC, PrintDataset, &arrays);
  if (json) printf("]}");
  H5Gclose(group);
  return 0;
}

int main(int argc, char **argv)
{
  const char      *path = NULL;
  PetscBool        verify = PETSC_FALSE, hasTS = PETSC_FALSE, other = PETSC_FALSE;
  PetscMPIInt      nwriters = 0;
  PetscReal        time = 0;
  PetscInt         step = 0;
  PetscSnapshot    snap;
  PetscErrorCode   ierr;
  const char      *text;
  PetscSnapshotErrorText message = NULL;
  char             libraryVerdict[4096] = "ok";
  int              status = 0, count = 0;
  hid_t            file, root;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--verify")) verify = PETSC_TRUE;
    else if (!strcmp(argv[i], "--json")) json = 1;
    else if (argv[i][0] != '-') path = argv[i];
  }
  /* ours, not PETSc's: PETSc 3.25 would list them as unused options at PetscFinalize() (on stdout, after the JSON) */
  PetscCall(PetscOptionsClearValue(NULL, "--verify"));
  PetscCall(PetscOptionsClearValue(NULL, "--json"));
  if (!path) {
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "%s", help));
    PetscCall(PetscFinalize());
    return 2;
  }
  /* the library identifies the file: a missing, foreign or other-schema file is refused as a restart refuses it */
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetType(snap, PETSCSNAPSHOTHDF5));
  PetscCall(PetscSnapshotHDF5SetFileName(snap, path));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = PetscSnapshotHDF5GetFileInfo(snap, &nwriters, &hasTS, &time, &step, &other);
  PetscCall(PetscPopErrorHandler());
  if (ierr) {
    PetscCall(PetscErrorMessage(ierr, &text, &message));
    fprintf(stderr, "petscsnapshot-info: %s\n", message ? message : text);
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(PetscFinalize());
    return 1;
  }
  if (verify) { /* what a restore checks, through the library, at this tool's rank count */
    PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
    ierr = PetscSnapshotHDF5Verify(snap);
    PetscCall(PetscPopErrorHandler());
    if (ierr) {
      PetscCall(PetscErrorMessage(ierr, &text, &message));
      snprintf(libraryVerdict, sizeof(libraryVerdict), "%s", message ? message : text);
    }
  }
  PetscCall(PetscSnapshotDestroy(&snap));

  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  root = file >= 0 ? H5Gopen2(file, "/", H5P_DEFAULT) : -1;
  if (root < 0) {
    fprintf(stderr, "petscsnapshot-info: %s cannot be opened\n", path);
    PetscCall(PetscFinalize());
    return 1;
  }
  if (json) {
    printf("{\"file\": ");
    JsonString(stdout, path);
    printf(", \"writers\": %d, \"ts\": ", (int)nwriters);
    if (hasTS) printf("{\"time\": %.17g, \"step\": %d}", (double)time, (int)step);
    else printf("null");
    printf(", \"restarts_on_other_rank_counts\": %s, \"topologies\": [", other ? "true" : "false");
    Topologies(root);
    printf("], \"attributes\": {");
    H5Aiterate2(root, H5_INDEX_NAME, H5_ITER_INC, NULL, PrintRootAttribute, &count);
    printf("}, \"entries\": [");
  } else {
    printf("petsc-snapshot file %s\n", path);
    printf("  written by %d MPI ranks: restores on %d ranks into DMs of the same names and layouts\n", (int)nwriters, (int)nwriters);
    printf("  on another number of ranks: ");
    if (other) {
      printf("yes, through PETSc's DMPlex layout of ");
      Topologies(root);
      printf(" in /topologies (PetscSnapshotHDF5LoadDM(), then restore)\n");
    } else printf("no (no DMPlex saved in PETSc's layout: /topologies is empty)\n");
    if (hasTS) printf("  a TS was captured: time %g, step %d\n", (double)time, (int)step);
    else printf("  no TS was captured\n");
    printf("attributes of the file (/):\n");
    H5Aiterate2(root, H5_INDEX_NAME, H5_ITER_INC, NULL, PrintRootAttribute, &count);
    printf("DMs (/entries): per array its type (STRUCT: bytes), rows summed over the writer ranks (a row: one value of a\n"
           "Vec or array, a block of bs values, or one point of a swarm field) x bs, and the bytes stored in the file\n");
  }
  count = 0;
  if (H5Lexists(root, "entries", H5P_DEFAULT) > 0) {
    hid_t entries = H5Gopen2(root, "entries", H5P_DEFAULT);
    H5Literate(entries, H5_INDEX_NAME, H5_ITER_INC, NULL, PrintEntry, &count);
    H5Gclose(entries);
  }
  if (json) printf("]");
  if (verify) {
    if (!json) printf("verify (the whole file, every dataset, every writer rank's rows, /topologies):\n");
    VerifyHere(root, path);
    if (strcmp(libraryVerdict, "ok")) {
      char text2[4200];
      snprintf(text2, sizeof(text2), "the library refuses the file as a restore would: %s", libraryVerdict);
      Problem(text2);
    } else if (!json) printf("  ok   the library reads and verifies it as a restore does (PetscSnapshotHDF5Verify)\n");
    status = verifyBad ? 1 : 0;
    if (json) printf(", \"verify\": {\"checks_ok\": %d, \"checks_bad\": %d, \"intact\": %s, \"problems\": [%s]}", verifyGood, verifyBad, verifyBad ? "false" : "true", problems);
    else printf("%d checks passed, %d failed: %s\n", verifyGood, verifyBad, verifyBad ? "THE FILE IS DAMAGED" : "the file is intact");
  }
  if (json) printf("}\n");
  H5Gclose(root);
  H5Fclose(file);
  PetscCall(PetscFinalize());
  return status;
}
