/* See topologychecksum.h. */
#include "topologychecksum.h"

#include <stdlib.h>
#include <string.h>
#include "xxh3.h"

typedef struct {
  XXH3_state_t *state;
  int           bad;
} Walk;

static void HashBytes(Walk *w, const void *data, size_t n)
{
  static const char none = 0;
  if (XXH3_64bits_update(w->state, n ? data : &none, n) != XXH_OK) w->bad = 1;
}

/* The values of a dataset or an attribute, in the native form of its type. Variable-length data (none in PETSc's
   layout) count by class and size only. */
static void HashValues(Walk *w, hid_t type, hid_t space, int isattr, hid_t obj)
{
  hssize_t    n     = H5Sget_simple_extent_npoints(space);
  hid_t       mtype = H5Tget_native_type(type, H5T_DIR_ASCEND);
  size_t      size  = mtype >= 0 ? H5Tget_size(mtype) : 0;
  H5T_class_t cls   = H5Tget_class(type);
  long long   meta[3];

  meta[0] = (long long)cls;
  meta[1] = (long long)n;
  meta[2] = (long long)size;
  HashBytes(w, meta, sizeof(meta));
  if (n < 0 || mtype < 0 || size == 0) w->bad = 1;
  else if (cls != H5T_VLEN && !H5Tis_variable_str(type) && n > 0) {
    void *buf = malloc((size_t)n * size);
    if (!buf) w->bad = 1;
    else {
      herr_t rc = isattr ? H5Aread(obj, mtype, buf) : H5Dread(obj, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
      if (rc < 0) w->bad = 1;
      else HashBytes(w, buf, (size_t)n * size);
      free(buf);
    }
  }
  if (mtype >= 0) H5Tclose(mtype);
}

static herr_t HashAttribute(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
  Walk *w    = (Walk *)data;
  hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
  (void)info;
  HashBytes(w, name, strlen(name) + 1);
  if (attr < 0) {
    w->bad = 1;
    return -1;
  }
  {
    hid_t type = H5Aget_type(attr), space = H5Aget_space(attr);
    if (type < 0 || space < 0) w->bad = 1;
    else HashValues(w, type, space, 1, attr);
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
  }
  H5Aclose(attr);
  return w->bad ? -1 : 0;
}

static void HashObject(Walk *w, hid_t obj)
{
  hsize_t idx = 0;
  if (H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, HashAttribute, w) < 0) w->bad = 1;
  if (!w->bad && H5Iget_type(obj) == H5I_DATASET) {
    hid_t type = H5Dget_type(obj), space = H5Dget_space(obj);
    if (type < 0 || space < 0) w->bad = 1;
    else HashValues(w, type, space, 0, obj);
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
  }
}

static herr_t HashLink(hid_t group, const char *name, const H5L_info_t *info, void *data)
{
  Walk *w = (Walk *)data;
  hid_t obj;
  (void)info;
  HashBytes(w, name, strlen(name) + 1);
  obj = H5Oopen(group, name, H5P_DEFAULT);
  if (obj < 0) {
    w->bad = 1;
    return -1;
  }
  HashObject(w, obj);
  H5Oclose(obj);
  return w->bad ? -1 : 0;
}

int PetscSnapshotTopologiesChecksum(hid_t file, uint64_t *sum)
{
  Walk  w;
  hid_t top;
  int   rc = 0;

  if (H5Lexists(file, "topologies", H5P_DEFAULT) <= 0) return 1;
  top = H5Gopen2(file, "topologies", H5P_DEFAULT);
  if (top < 0) return -1;
  w.bad   = 0;
  w.state = XXH3_createState();
  if (!w.state || XXH3_64bits_reset(w.state) != XXH_OK) w.bad = 1;
  if (!w.bad) HashObject(&w, top);
  if (!w.bad && H5Lvisit(top, H5_INDEX_NAME, H5_ITER_INC, HashLink, &w) < 0) w.bad = 1;
  if (!w.bad) *sum = (uint64_t)XXH3_64bits_digest(w.state);
  else rc = -1;
  if (w.state) XXH3_freeState(w.state);
  H5Gclose(top);
  return rc;
}
