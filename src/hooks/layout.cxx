/* Layout hooks: record what a DM's data layout is at capture, and refuse a restore into a DM laid out otherwise
   (a refined mesh, another distribution, another discretization). They capture nothing that restore writes. */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

#include <petscdmplex.h>
#include <petscdmda.h>

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

static PetscErrorCode PlexLayout(DM dm, Layout *layout)
{
  PetscInt pStart, pEnd, depth, cStart, cEnd, vStart, vEnd;

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

static PetscErrorCode CheckLayout(PetscSnapshotRecord rec, DM dm, void *ctx)
{
  Layout                  now;
  PetscBool               found;
  PetscSnapshotRecordInfo info;
  PetscInt                captured[maxLayoutValues];
  PetscBool               redistributed;

  PetscFunctionBegin;
  PetscCall(RecordRedistributed(rec, &redistributed));
  if (redistributed) { /* per-rank layouts do not compare: the mesh must come from the file */
    PetscBool isplex;

    PetscCall(PetscObjectTypeCompare((PetscObject)dm, DMPLEX, &isplex));
    if (isplex) PetscCall(RecordCheckMesh(rec));
    else PetscCall(PetscSnapshotRecordRefuse(rec, "a DM of type %s is laid out per rank: it can be restored only on the %d ranks that captured it", rec->entry->dmType.c_str(), rec->entry->commSize));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(reinterpret_cast<LayoutFn>(ctx)(dm, &now));
  PetscCall(PetscSnapshotRecordGetInfo(rec, layoutRecord, &found, &info));
  if (!found || info.type != PETSC_INT || info.n != now.count) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "the snapshot has no layout of this kind of DM (it was captured from a DM of type %s)", rec->entry->dmType.c_str()));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscSnapshotRecordGetArray(rec, layoutRecord, PETSC_INT, 1, now.count, captured));
  for (PetscInt i = 0; i < now.count; i++) {
    if (captured[i] != now.values[i]) {
      PetscCall(PetscSnapshotRecordRefuse(rec, "the DM's layout changed: %s was %" PetscInt_FMT " at capture and is %" PetscInt_FMT " now", now.names[i], captured[i], now.values[i]));
      break;
    }
  }
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
