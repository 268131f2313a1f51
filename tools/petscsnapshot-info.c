static const char help[] = "petscsnapshot-info: print the metadata and inventory of a petsc-snapshot HDF5 file.\n"
                           "Usage: petscsnapshot-info <file.h5>\n";

/* Reads only the file's attributes (no data, no DMs needed): what a person asks of a checkpoint before restarting. */
#include <petscsys.h>
#include <hdf5.h>
#include "compat.h" /* HDF5 version differences */
#include <string.h>

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
  char        format[64] = {0};
  int         status = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-') path = argv[i];
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
    }
    H5Gclose(root);
    H5Fclose(file);
  }
  PetscCall(PetscFinalize());
  return status;
}
