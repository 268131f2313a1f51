/* Layout hooks: record what a DM's data layout is at capture, and refuse a restore into a DM laid out otherwise
   (a refined mesh, another distribution, another discretization). They capture nothing that restore writes.

   Sizes are no identity: two partitions of one mesh have equal sizes. A DMDA's layout names the owned box, which is
   its identity. A DMPlex's is its local topology (cones, orientations) and point SF, as a fingerprint: two
   partitions of one mesh differ in which points a rank holds or where its shared boundary lies. Coordinates are
   not used: the application may have moved them since the capture. A DMPlex that fails this is refused, or, when
   the storage can match points through PETSc's numbering in its file (a mesh loaded with PetscSnapshotHDF5LoadDM()),
   restored through it (see docs/design.md, "Layout checks, and which point is which"). */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

#include <petscdmplex.h>
#include <petscdmda.h>
#include <petscsf.h>
#include <cstdint>
#include <cstring>

namespace petscsnapshot
{

constexpr int maxLayoutValues = 16;

/* A layout: named integers that must match exactly. */
struct Layout {
  const char *names[maxLayoutValues];
  PetscInt    values[maxLayoutValues];
  PetscInt    count = 0;

  void add(const char *name, PetscInt value)
  {
    names[count]    = name;
    values[count++] = value;
  }
};

using LayoutFn = PetscErrorCode (*)(DM, Layout *);

static PetscErrorCode SectionSizes(DM dm, Layout *layout)
{
  PetscInt nf;

  PetscFunctionBegin;
  PetscCall(DMGetNumFields(dm, &nf));
  layout->add("number of fields", nf);
  if (nf > 0) { /* without fields, asking for a section would create one */
    PetscSection local, global;
    PetscInt     size;

    PetscCall(DMGetLocalSection(dm, &local));
    PetscCall(PetscSectionGetStorageSize(local, &size));
    layout->add("local section storage size", size);
    PetscCall(DMGetGlobalSection(dm, &global));
    PetscCall(PetscSectionGetConstrainedStorageSize(global, &size));
    layout->add("global section storage size on this rank", size);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* 64-bit mixing (the finalizer of MurmurHash3): a fingerprint, not a checksum against tampering. */
static inline uint64_t Mix(uint64_t h, uint64_t v)
{
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

/* The local topology (every point's cone and orientations) and the point SF (every leaf and its root): equal on
   two DMs of one mesh only if this rank holds the same points in the same order, with the same owners. */
static PetscErrorCode ComputeFingerprint(DM dm, uint64_t *fp)
{
  PetscInt           pStart, pEnd, nroots, nleaves;
  const PetscInt    *leaves;
  const PetscSFNode *roots;
  PetscSF            sf;
  uint64_t           h = 0;

  PetscFunctionBegin;
  PetscCall(DMPlexGetChart(dm, &pStart, &pEnd));
  h = Mix(Mix(h, (uint64_t)(int64_t)pStart), (uint64_t)(int64_t)pEnd);
  for (PetscInt p = pStart; p < pEnd; p++) {
    const PetscInt *cone, *ornt;
    PetscInt        size;

    PetscCall(DMPlexGetConeSize(dm, p, &size));
    PetscCall(DMPlexGetCone(dm, p, &cone));
    PetscCall(DMPlexGetConeOrientation(dm, p, &ornt));
    h = Mix(h, (uint64_t)size);
    for (PetscInt c = 0; c < size; c++) h = Mix(h, ((uint64_t)(uint32_t)cone[c] << 32) | (uint32_t)ornt[c]);
  }
  PetscCall(DMGetPointSF(dm, &sf));
  PetscCall(PetscSFGetGraph(sf, &nroots, &nleaves, &leaves, &roots));
  h = Mix(Mix(h, (uint64_t)(int64_t)nroots), (uint64_t)(int64_t)nleaves);
  for (PetscInt l = 0; l < nleaves && nroots >= 0; l++) h = Mix(Mix(h, (uint64_t)(leaves ? leaves[l] : l)), ((uint64_t)(uint32_t)roots[l].rank << 32) | (uint32_t)roots[l].index);
  *fp = h;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A checksum of an array, to tell whether it changed in place (not the fingerprint): Fletcher's sums over 64-bit
   words in four independent lanes (a changed word changes its lane's first sum, two words swapped its second), so
   that it runs at memory speed (docs/design.md, "Layout checks": its cost). */
static uint64_t WordsChecksum(const void *data, size_t bytes)
{
  const unsigned char *b = static_cast<const unsigned char *>(data);
  uint64_t             a[4] = {0, 0, 0, 0}, s[4] = {0, 0, 0, 0}, w[4];
  size_t               i = 0;

  for (; i + sizeof(w) <= bytes; i += sizeof(w)) {
    std::memcpy(w, b + i, sizeof(w));
    for (int k = 0; k < 4; k++) {
      a[k] += w[k];
      s[k] += a[k];
    }
  }
  for (; i < bytes; i++) s[0] += a[0] += b[i];
  uint64_t h = Mix(0, bytes);
  for (int k = 0; k < 4; k++) h = Mix(Mix(h, a[k]), s[k]);
  return h;
}

/* The fingerprint is computed once per topology and kept on the DM, keyed by where PETSc keeps the topology (a DMPlex
   that is set up again, DMPlexSetChart, DMSetUp, DMPlexSymmetrize, or gets a new point SF reallocates these) and by
   a checksum of the cones, orientations and point SF graph: cones edited in place on a set-up DMPlex (DMPlexSetCone
   after DMSetUp, DMPlexOrient), which PETSc does not count in any object state, change the checksum, and the
   fingerprint is computed again. Documented in docs/design.md ("Layout checks"). */
struct FingerprintCache {
  const void *cones = nullptr, *ornts = nullptr, *section = nullptr, *sf = nullptr, *leaves = nullptr, *roots = nullptr;
  PetscInt    pStart = 0, pEnd = -1, storage = -1, nroots = -1, nleaves = -1;
  uint64_t    contents = 0; /* WordsChecksum() of cones, orientations, leaves and roots */
  uint64_t    fp       = 0;

  bool operator==(const FingerprintCache &o) const
  {
    return cones == o.cones && ornts == o.ornts && section == o.section && sf == o.sf && leaves == o.leaves && roots == o.roots && pStart == o.pStart && pEnd == o.pEnd && storage == o.storage && nroots == o.nroots && nleaves == o.nleaves && contents == o.contents;
  }
};

static const char fingerprintCacheName[] = "PetscSnapshotPointsFingerprint";

static PetscErrorCode DestroyFingerprintCache(PetscSnapshotContainerCtxArg arg)
{
  delete static_cast<FingerprintCache *>(PetscSnapshotContainerCtxGet(arg));
  return PETSC_SUCCESS;
}

static PetscErrorCode TopologyFingerprint(DM dm, uint64_t *fp)
{
  FingerprintCache  key, *cached = nullptr;
  PetscSection      section;
  PetscInt         *cones, *ornts;
  PetscSF           sf;
  const PetscInt    *leaves;
  const PetscSFNode *roots;
  PetscContainer    container;

  PetscFunctionBegin;
  PetscCall(DMPlexGetConeSection(dm, &section));
  PetscCall(DMPlexGetCones(dm, &cones));
  PetscCall(DMPlexGetConeOrientations(dm, &ornts));
  PetscCall(DMPlexGetChart(dm, &key.pStart, &key.pEnd));
  PetscCall(PetscSectionGetStorageSize(section, &key.storage));
  PetscCall(DMGetPointSF(dm, &sf));
  PetscCall(PetscSFGetGraph(sf, &key.nroots, &key.nleaves, &leaves, &roots));
  key.cones   = cones;
  key.ornts   = ornts;
  key.section = section;
  key.sf      = sf;
  key.leaves  = leaves;
  key.roots   = roots;
  {
    size_t   n = key.storage > 0 ? (size_t)key.storage * sizeof(PetscInt) : 0, nl = key.nleaves > 0 ? (size_t)key.nleaves : 0;
    uint64_t h = Mix(WordsChecksum(cones, n), WordsChecksum(ornts, n));

    if (key.nroots >= 0) h = Mix(Mix(h, leaves ? WordsChecksum(leaves, nl * sizeof(PetscInt)) : 0), WordsChecksum(roots, nl * sizeof(PetscSFNode)));
    key.contents = h;
  }
  PetscCall(PetscObjectQuery((PetscObject)dm, fingerprintCacheName, (PetscObject *)&container));
  if (container) PetscCall(PetscContainerGetPointer(container, (void **)&cached));
  if (cached && *cached == key) {
    *fp = cached->fp;
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(ComputeFingerprint(dm, &key.fp));
  if (!cached) {
    PetscCallCXX(cached = new FingerprintCache());
    PetscCall(PetscContainerCreate(PETSC_COMM_SELF, &container));
    PetscCall(PetscContainerSetPointer(container, cached));
    PetscCall(PetscSnapshotContainerSetDestroy(container, DestroyFingerprintCache));
    PetscCall(PetscObjectCompose((PetscObject)dm, fingerprintCacheName, (PetscObject)container));
    PetscCall(PetscContainerDestroy(&container));
  }
  *cached = key;
  *fp     = key.fp;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode PlexPointsFingerprint(DM dm, PetscInt fp[2])
{
  uint64_t h = 0;

  PetscFunctionBegin;
  PetscCall(TopologyFingerprint(dm, &h));
  fp[0] = (PetscInt)(int32_t)(uint32_t)(h & 0xffffffffu);
  fp[1] = (PetscInt)(int32_t)(uint32_t)(h >> 32);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static const char fingerprintLow[]  = "topology and partition fingerprint (low bits)";
static const char fingerprintHigh[] = "topology and partition fingerprint (high bits)";

static PetscErrorCode PlexLayout(DM dm, Layout *layout)
{
  PetscInt pStart, pEnd, depth, cStart, cEnd, vStart, vEnd, fp[2] = {0, 0};

  PetscFunctionBegin;
  PetscCall(DMPlexGetChart(dm, &pStart, &pEnd));
  PetscCall(DMPlexGetDepth(dm, &depth));
  PetscCall(DMPlexGetHeightStratum(dm, 0, &cStart, &cEnd));
  PetscCall(DMPlexGetDepthStratum(dm, 0, &vStart, &vEnd));
  layout->add("chart start", pStart);
  layout->add("chart end", pEnd);
  layout->add("depth", depth);
  layout->add("number of cells", cEnd - cStart);
  layout->add("number of vertices", vEnd - vStart);
  PetscCall(SectionSizes(dm, layout));
  PetscCall(PlexPointsFingerprint(dm, fp));
  layout->add(fingerprintLow, fp[0]);
  layout->add(fingerprintHigh, fp[1]);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode DALayout(DM dm, Layout *layout)
{
  PetscInt dim, M, N, P, dof, s, xs, ys, zs, xm, ym, zm;

  PetscFunctionBegin;
  PetscCall(DMDAGetInfo(dm, &dim, &M, &N, &P, nullptr, nullptr, nullptr, &dof, &s, nullptr, nullptr, nullptr, nullptr));
  PetscCall(DMDAGetCorners(dm, &xs, &ys, &zs, &xm, &ym, &zm));
  layout->add("dimension", dim);
  layout->add("global size in x", M);
  layout->add("global size in y", N);
  layout->add("global size in z", P);
  layout->add("dof per node", dof);
  layout->add("stencil width", s);
  layout->add("first owned x", xs);
  layout->add("first owned y", ys);
  layout->add("first owned z", zs);
  layout->add("owned in x", xm);
  layout->add("owned in y", ym);
  layout->add("owned in z", zm);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static const char layoutRecord[] = "layout";

static PetscErrorCode CaptureLayout(PetscSnapshotRecord rec, DM dm, void *ctx)
{
  Layout layout;

  PetscFunctionBegin;
  PetscCall(reinterpret_cast<LayoutFn>(ctx)(dm, &layout));
  PetscCall(PetscSnapshotRecordPutArray(rec, layoutRecord, PETSC_INT, 1, layout.count, layout.values));
  PetscCall(RecordPutMesh(rec)); /* a DMPlex also in a layout that loads on any number of ranks, if the storage has one */
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* At the same rank count: does the DM hold, on every rank, the points captured there (sizes and, for a DMPlex, the
   fingerprint of its local topology and point SF)? Why not, in words. */
static PetscErrorCode SamePoints(PetscSnapshotRecord rec, const Layout &now, bool *same, std::string *why)
{
  PetscBool               found;
  PetscSnapshotRecordInfo info;
  PetscInt                captured[maxLayoutValues];

  PetscFunctionBegin;
  *same = false;
  PetscCall(PetscSnapshotRecordGetInfo(rec, layoutRecord, &found, &info));
  if (!found || info.type != PETSC_INT || info.n != now.count) {
    PetscCallCXX(*why = "the snapshot has no layout of this kind of DM (it was captured from a DM of type " + rec->entry->dmType + ")");
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscSnapshotRecordGetArray(rec, layoutRecord, PETSC_INT, 1, now.count, captured));
  for (PetscInt i = 0; i < now.count; i++) {
    if (captured[i] == now.values[i]) continue;
    if (now.names[i] == fingerprintLow || now.names[i] == fingerprintHigh)
      PetscCallCXX(*why = "the DM's local topology or partition differs from the captured one (same sizes, other cones or point SF): it was distributed otherwise, or its cones were edited in place since the capture");
    else PetscCallCXX(*why = std::string("the DM's layout changed: ") + now.names[i] + " was " + std::to_string(captured[i]) + " at capture and is " + std::to_string(now.values[i]) + " now");
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  *same = true;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckLayout(PetscSnapshotRecord rec, DM dm, void *ctx)
{
  Layout      now;
  PetscBool   redistributed, isplex, all;
  bool        same = false;
  std::string why;
  MPI_Comm    comm = PetscObjectComm((PetscObject)dm);

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMPLEX, &isplex));
  PetscCall(RecordRedistributed(rec, &redistributed));
  if (!redistributed) {
    PetscCall(reinterpret_cast<LayoutFn>(ctx)(dm, &now));
    PetscCall(SamePoints(rec, now, &same, &why));
  }
  /* every rank takes the same path from here */
  all = same ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &all, 1, PETSCSNAPSHOT_MPI_BOOL, MPI_LAND, comm));
  if (all) PetscFunctionReturn(PETSC_SUCCESS);
  if (isplex && rec->snap->ops->checkmesh) { /* the storage can match points through the file (LoadDM) */
    std::string problem;

    PetscUseTypeMethod(rec->snap, checkmesh, dm, &problem);
    if (problem.empty()) {
      rec->entry->redistribute = true; /* every rank: checkmesh decides alike */
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    if (!redistributed && !why.empty()) PetscCall(PetscSnapshotRecordRefuse(rec, "%s; %s", why.c_str(), problem.c_str()));
    else if (redistributed) PetscCall(PetscSnapshotRecordRefuse(rec, "%s", problem.c_str()));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (redistributed) PetscCall(PetscSnapshotRecordRefuse(rec, "a DM of type %s is laid out per rank: it can be restored only on the %d ranks that captured it", rec->entry->dmType.c_str(), rec->entry->commSize));
  else if (!why.empty())
    PetscCall(PetscSnapshotRecordRefuse(rec, "%s%s", why.c_str(),
                                        isplex ? "; restore into a DMPlex distributed like the captured one (same rank count and partitioner), or, if the mesh was refined, adapted or redistributed since the capture, rebuild the captured one with PetscSnapshotCreateDM() (capture with PetscSnapshotSetDMTopology()) and restore into it" : ""));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreLayout(PetscSnapshotRecord, DM, void *)
{
  return PETSC_SUCCESS; /* nothing to write: the layout was only checked */
}

PetscErrorCode RegisterLayoutHooks(void)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotRegisterDMHook("plex-layout", DMPLEX, CaptureLayout, CheckLayout, RestoreLayout, reinterpret_cast<void *>(PlexLayout)));
  PetscCall(PetscSnapshotRegisterDMHook("da-layout", DMDA, CaptureLayout, CheckLayout, RestoreLayout, reinterpret_cast<void *>(DALayout)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
