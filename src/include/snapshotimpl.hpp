/*
   Private implementation header of petsc-snapshot (C++17). Not installed.

   Three axes (see docs/design.md):
     interface  - the PetscSnapshot object, the Capture/Restore drivers, the record API (src/interface)
     hooks      - what to save for each DM type; they speak only to PetscSnapshotRecord (src/hooks)
     storage    - where the bytes live; implements PetscSnapshotOps' write/read/drop (src/storage/<type>)
*/
#ifndef PETSCSNAPSHOT_IMPL_HPP
#define PETSCSNAPSHOT_IMPL_HPP

#include <petscsnapshot.h>
#include <petsc/private/petscimpl.h>
#include "compat.h"
#include "collective.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

/* Argument checks that stay in optimized builds (PetscValidHeaderSpecific compiles to nothing there). */
#define PetscSnapshotValid(s, arg) \
  do { \
    PetscCheck((s), PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "Null PetscSnapshot (argument %d)", (int)(arg)); \
    PetscCheck(((PetscObject)(s))->classid == PETSCSNAPSHOT_CLASSID, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Argument %d is not a PetscSnapshot", (int)(arg)); \
  } while (0)
#define PetscSnapshotValidDM(d, arg) \
  do { \
    PetscCheck((d), PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "Null DM (argument %d)", (int)(arg)); \
    PetscCheck(((PetscObject)(d))->classid == DM_CLASSID, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Argument %d is not a DM", (int)(arg)); \
  } while (0)

PETSC_INTERN PetscLogEvent PETSCSNAPSHOT_Capture, PETSCSNAPSHOT_Restore, PETSCSNAPSHOT_MemCapture, PETSCSNAPSHOT_MemRestore;
PETSC_INTERN PetscLogEvent PETSCSNAPSHOT_H5Capture, PETSCSNAPSHOT_H5Restore, PETSCSNAPSHOT_Check, PETSCSNAPSHOT_H5Write;
PETSC_INTERN PetscLogEvent PETSCSNAPSHOT_H5Read, PETSCSNAPSHOT_H5Verify, PETSCSNAPSHOT_H5Redist, PETSCSNAPSHOT_PlaceParts;

struct _n_PetscSnapshotRecord;

namespace petscsnapshot
{

/* One named array of one DM entry. The inventory part (info, bytes) belongs to the interface; storage/capacity
   belong to the storage type, which may leave them unused. */
struct Slot {
  PetscSnapshotRecordInfo info{};
  size_t                  bytes    = 0;
  void                   *storage  = nullptr;
  size_t                  capacity = 0;
  bool                    seen     = false; /* written by the current capture */
  bool                    rankwise = false; /* loaded from a file whose writer ranks wrote it differently: it has no
                                               value where the points are redistributed (see RecordRankwise());
                                               at another rank count it holds no data */
  /* The Vec (object id) whose values at object state srcState are exactly this slot's bytes: set when a Vec is put
     into or got from the slot, so that an unchanged Vec is neither copied again nor written back (see
     PetscSnapshotSetSkipUnchanged()). 0: none. */
  mutable PetscObjectId    srcId    = 0;
  mutable PetscObjectState srcState = 0;
  /* the storage type's: a checksum of the bytes held, computed while they were copied in (hdf5) */
  uint64_t checksum = 0;
  bool     summed   = false;
  /* A capture's undo (captureundo.cxx, "a refused capture changes nothing"): a capture that rewrites the slot first
     swaps storage and spare, so that the previous content stays in spare, described by previous, until the capture
     is over; a failed capture swaps them back. The spare buffer is the next capture's (the memory type's; freed by
     its drop). */
  void  *spare         = nullptr;
  size_t spareCapacity = 0;
  struct Previous {
    PetscSnapshotRecordInfo info{};
    size_t                  bytes    = 0;
    PetscObjectId           srcId    = 0;
    PetscObjectState        srcState = 0;
    uint64_t                checksum = 0;
    bool                    summed   = false;
  } previous;
  bool saved = false; /* previous holds the content before the capture under way */
  bool fresh = false; /* created by the capture under way */
};

using SlotMap = std::map<std::string, Slot, std::less<>>;

struct HeldTopology; /* a captured DMPlex's topology, for PetscSnapshotCreateDM() (src/interface/topology.cxx) */

/* Everything the snapshot holds for one DM, keyed in the snapshot by the DM's name. */
struct Entry {
  std::string   name;
  std::string   dmType;
  PetscObjectId dmId     = 0; /* the DM this entry is bound to: the last one captured or restored */
  PetscMPIInt   commSize = 0;
  PetscInt      captures = 0;
  SlotMap       slots;
  /* decided by the check phase of a restore: the live DM's points are not the captured ones rank by rank (another
     rank count, or a DMPlex partitioned otherwise), so data go through the storage's point identity (see
     RecordRedistributed()) */
  bool redistribute = false;
  /* with PetscSnapshotSetDMTopology(): the captured DMPlex's topology (owned; freed by DropTopology()) */
  HeldTopology *topology = nullptr;
  /* loaded from a file (hdf5): this rank's share of the bytes of the entry's arrays as the writer ranks wrote them
     (writer rank w's rows counted by reader w mod the readers), and their sum over the writers (alike on every rank);
     what the monitor counts for a restore, at any rank count. -1: not loaded. */
  double fileShare = -1, fileTotal = -1;
};

using EntryMap = std::map<std::string, Entry, std::less<>>;

/* The DMs a restore will write, in order: sub-DMs (a swarm's cell DM) before the DMs that use them. */
using RestorePlan = std::vector<std::pair<DM, Entry *>>;

/* A hook registered for a DM type ("" for every DM). */
struct Hook {
  std::string         name;
  std::string         dmType;
  PetscSnapshotHookFn capture = nullptr;
  PetscSnapshotHookFn check   = nullptr;
  PetscSnapshotHookFn restore = nullptr;
  void               *ctx     = nullptr;
};

enum class Phase { Capture, Check, Restore };

PETSC_INTERN PetscErrorCode HookRegistryGet(std::vector<Hook> **);
PETSC_INTERN PetscErrorCode HookRegistryClear(void);
PETSC_INTERN PetscErrorCode RegisterBuiltinHooks(void);
/* fn(label, value, ctx) for every stratum of every label of a DM (src/hooks/coordinates.cxx) */
PETSC_INTERN PetscErrorCode ForEachLabelStratum(DM, PetscErrorCode (*)(DMLabel, PetscInt, void *), void *);

/* Capture a DM (and, through its hooks, its sub-DMs) into its entry; check a DM and its sub-DMs, queueing them. */
PETSC_INTERN PetscErrorCode CaptureTree(PetscSnapshot, DM, int, std::vector<PetscObjectId> *);
PETSC_INTERN PetscErrorCode CheckTree(PetscSnapshot, DM, int, RestorePlan *, std::vector<PetscObjectId> *, _n_PetscSnapshotRecord *);

/* Topology of a DMPlex entry (src/interface/topology.cxx): kept or refreshed after the capture hooks agreed (collective),
   released, viewed; a copy of what an entry holds (references), put back by a failed capture. */
PETSC_INTERN PetscErrorCode CaptureTopology(PetscSnapshot, DM, Entry &);
PETSC_INTERN PetscErrorCode DropTopology(Entry *);
PETSC_INTERN PetscErrorCode CopyTopology(const Entry &, HeldTopology **);
PETSC_INTERN PetscErrorCode FreeTopology(HeldTopology **);

/* The undo of one PetscSnapshotCapture() call (captureundo.cxx): the entries it touched, as they were. */
struct CaptureUndo {
  struct Touched {
    std::string   name;
    bool          created = false; /* the entry did not exist before */
    std::string   dmType;
    PetscObjectId dmId     = 0;
    PetscMPIInt   commSize = 0;
    PetscInt      captures = 0;
    HeldTopology *topology = nullptr; /* a copy (references) of the held topology */
  };
  std::vector<Touched> touched;
};
/* (src/interface/captureundo.cxx) A capture touches an entry (created by it, or not): note what it held. A capture
   rewrites this slot: keep its previous content aside (nothing when no capture is under way or the slot is new or
   already kept). At the end of the capture: commit, or roll back (every rank alike). */
PETSC_INTERN PetscErrorCode CaptureUndoTouch(PetscSnapshot, const Entry &, bool);
PETSC_INTERN PetscErrorCode CaptureUndoSlot(PetscSnapshot, Slot *);
PETSC_INTERN PetscErrorCode CaptureUndoCommit(PetscSnapshot, CaptureUndo &);
PETSC_INTERN PetscErrorCode CaptureUndoRollBack(PetscSnapshot, CaptureUndo &);
PETSC_INTERN PetscErrorCode ViewTopology(PetscSnapshot, const Entry &, PetscViewer);

/* Set by the TS attachment while it restores the start of a step to retry it: that TS (only) then gets its solution
   back but keeps its clock, the adaptor's new time step and its method's history; any other declared TS is restored
   whole (see src/ts/). */
PETSC_INTERN TS tsKeepClock;

/* Refuse (naming caller, what and the rule) a name that not every storage type can hold as given: it must be
   '/'-separated parts, none empty or "." (the hdf5 type makes them HDF5 paths). */
PETSC_INTERN PetscErrorCode CheckStorableName(const char[], const char[], const char[]);

/* Restore at another rank count or into another partition (src/interface/record.cxx). A record is redistributed
   when its entry was captured on another number of ranks than its DM lives on now, or when the check phase found
   that the DM's points are not the captured ones rank by rank (a DMPlex loaded from the file and partitioned
   otherwise; a swarm whose cell DM is redistributed). Its arrays are then: point fields, a share of the writers'
   points (whole writer ranks); arrays every writer rank wrote alike, that common value; other arrays, rankwise (no
   data). DMPlex data go through the storage's mesh operations (PETSc's own N->M loaders); a storage type without
   them cannot redistribute, and the driver refuses. */
PETSC_INTERN PetscErrorCode RecordRedistributed(PetscSnapshotRecord, PetscBool *);
PETSC_INTERN PetscErrorCode RecordRankwise(PetscSnapshotRecord, const char[], PetscBool *);
/* Capture: also save the record's DMPlex (topology, coordinates, labels), or a Vec laid out on it, in the storage's
   mesh layout; nothing when the storage has none or the DM is not a DMPlex. */
PETSC_INTERN PetscErrorCode RecordPutMesh(PetscSnapshotRecord);
PETSC_INTERN PetscErrorCode RecordPutMeshVec(PetscSnapshotRecord, const char[], Vec);
/* Check and restore, redistributed: refusals go to the record. */
PETSC_INTERN PetscErrorCode RecordCheckMesh(PetscSnapshotRecord);
PETSC_INTERN PetscErrorCode RecordCheckMeshVec(PetscSnapshotRecord, const char[], Vec, const char[]);
PETSC_INTERN PetscErrorCode RecordGetMeshVec(PetscSnapshotRecord, const char[], Vec);
PETSC_INTERN PetscErrorCode RecordGetMeshCoordinates(PetscSnapshotRecord, PetscBool *);

} // namespace petscsnapshot

/* A record argument that is not one (optimized PETSc builds check nothing) */
#define PetscSnapshotValidRecord(r, arg) PetscCheck((r) && (r)->snap && (r)->entry, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "Null or invalid PetscSnapshotRecord (argument %d)", (int)(arg))

/* The record handed to hooks: one DM entry of one snapshot, in one phase. */
struct _n_PetscSnapshotRecord {
  PetscSnapshot               snap  = nullptr;
  petscsnapshot::Entry       *entry = nullptr;
  DM                          dm    = nullptr;
  petscsnapshot::Phase        phase = petscsnapshot::Phase::Capture;
  bool                        refused = false;
  std::string                 refusal;
  int                         depth   = 0;       /* nesting of sub-DMs */
  petscsnapshot::RestorePlan *plan    = nullptr; /* check phase: where sub-DMs are queued for restore */
  std::vector<PetscObjectId> *visited = nullptr; /* DMs already captured or checked by this call (sub-DM cycles) */
  std::vector<DM>             subDMs;            /* capture and check: sub-DMs the hooks named, captured or checked
                                                    by the driver after this DM's hooks, once the ranks agreed */
  petscsnapshot::LocalFailures *failures = nullptr; /* the driver's: hooks and user callbacks fail here, agreed by the
                                                       driver after the phase (docs/design.md, "Every failure is
                                                       collective") */
};

namespace petscsnapshot
{

/* A local step inside a hook that must not end the hook, above all a user callback: its error is recorded in the
   driver's LocalFailures (never raised here), the hook goes on, and the driver raises it on every rank after the
   phase. Returns whether the step succeeded. */
template <class F>
bool RecordLocalStep(_n_PetscSnapshotRecord *rec, const std::string &what, F &&step)
{
  return rec->failures->Attempt(what, std::forward<F>(step));
}

} // namespace petscsnapshot

typedef struct _PetscSnapshotOps *PetscSnapshotOps;
struct _PetscSnapshotOps {
  PetscErrorCode (*setfromoptions)(PetscSnapshot, PetscSnapshotOptionItems);
  PetscErrorCode (*setup)(PetscSnapshot);
  PetscErrorCode (*view)(PetscSnapshot, PetscViewer);
  PetscErrorCode (*reset)(PetscSnapshot);
  PetscErrorCode (*destroy)(PetscSnapshot);
  /* storage: a capture or restore is bracketed by begin/end; write/read move the bytes of one slot */
  PetscErrorCode (*begincapture)(PetscSnapshot);
  PetscErrorCode (*endcapture)(PetscSnapshot, PetscBool);
  PetscErrorCode (*beginrestore)(PetscSnapshot);
  PetscErrorCode (*endrestore)(PetscSnapshot);
  PetscErrorCode (*write)(PetscSnapshot, const petscsnapshot::Entry *, const char[], petscsnapshot::Slot *, const void *);
  PetscErrorCode (*read)(PetscSnapshot, const petscsnapshot::Entry *, const char[], const petscsnapshot::Slot *, void *);
  PetscErrorCode (*drop)(PetscSnapshot, petscsnapshot::Slot *);
  /* optional: compare a slot with data without copying (else the interface reads into its scratch buffer) */
  PetscErrorCode (*compare)(PetscSnapshot, const petscsnapshot::Entry *, const char[], const petscsnapshot::Slot *, const void *, PetscBool *);
  /* optional, for restores at another rank count: a DMPlex and the Vecs laid out on it in a layout that loads on any
     number of ranks (the hdf5 type: PETSc's DMPlex HDF5 storage). A check fills the string with a problem. */
  PetscErrorCode (*putmesh)(PetscSnapshot, DM);
  PetscErrorCode (*putmeshvec)(PetscSnapshot, DM, const char[], Vec);
  PetscErrorCode (*checkmesh)(PetscSnapshot, DM, std::string *);
  PetscErrorCode (*checkmeshvec)(PetscSnapshot, DM, const char[], Vec, std::string *);
  PetscErrorCode (*getmeshvec)(PetscSnapshot, DM, const char[], Vec);
  PetscErrorCode (*getmeshcoordinates)(PetscSnapshot, DM, PetscBool *);
};

struct _p_PetscSnapshot {
  PETSCHEADER(struct _PetscSnapshotOps);
  PetscBool                setupcalled;
  PetscInt                 captureCount;
  PetscInt                 restoreCount;
  PetscLogEvent            captureEvent, restoreEvent; /* the storage type's (SnapMemCapture, ...), set by its create */
  PetscViewerAndFormat    *monitor;                    /* -snapshot_monitor: one line per capture and restore (owned) */
  PetscReal                monitorProgress;            /* -snapshot_monitor_progress: bytes between progress lines; 0: none */
  PetscLogDouble           opStart;                    /* the operation under way began then (rank 0's clock for progress lines) */
  double                   progressTotal;              /* its bytes in all, alike on every rank, if the storage knows them; else < 0 */
  double                   progressNext;               /* bytes at which the next progress line is due */
  const char              *progressWhat;               /* "capture", "restore": the operation under way, or NULL */
  petscsnapshot::EntryMap *entries; /* owned; created in PetscSnapshotCreate() */
  void                    *data;    /* the storage type's */
  void                    *scratch; /* reused buffer for comparisons by storage types without a compare op */
  size_t                   scratchSize;
  PetscBool dmTopology;    /* keep each captured DMPlex's topology (PetscSnapshotSetDMTopology()) */
  PetscBool skipUnchanged; /* skip Vecs whose object state shows them unchanged since the last capture or restore */
  petscsnapshot::CaptureUndo *undo; /* during PetscSnapshotCapture(): how to put back what it changed */
  /* TS attachment (src/ts) */
  PetscBool attachedToTS;     /* PetscSnapshotSetTS() was called: -snapshot_test_restep is offered */
  PetscInt  tsHolds;          /* references held by TS attachments (PetscSnapshotDestroy() never releases those) */
  PetscBool fromOptions;      /* PetscSnapshotSetFromOptions() was called */
  PetscBool testRestep;       /* take every step twice and compare */
  PetscBool tsComposed;       /* capture and roll back the undeclared TS, Vec and DM objects composed on the TS */
  PetscInt  retries;          /* rejected steps rolled back before their retry */
  PetscInt  restepChecks;     /* steps taken twice */
  PetscInt  restepMismatches; /* steps whose two takes differed */
  std::string *restepFirst;   /* the first array that differed, at the last mismatch (owned) */
  PetscInt     restepNotCompared; /* comparisons the check could not make (a refusal or error inside it, objects replaced) */
  std::string *restepWhy;         /* why, at the last of them (owned) */
};

/* After a capture or restore: the PetscInfo message (name, DMs, bytes, seconds, GB/s) and the -snapshot_monitor line.
   The DMs are those with these object ids; collective when the monitor is on (src/interface/monitor.cxx). */
PETSC_INTERN PetscErrorCode PetscSnapshotReport_Internal(PetscSnapshot, const char[], DM, const std::vector<PetscObjectId> &, PetscLogDouble);
/* Progress lines of a long operation (-snapshot_monitor_progress, src/interface/monitor.cxx), printed by rank 0 with its
   elapsed time, no communication: Begin ("capture" or "restore") and End bracket the operation; a storage type that
   knows its bytes in all alike on every rank sets snap->progressTotal; Progress prints a line when done (bytes alike on
   every rank, < 0: none) reached the next step, or always when phase is true (the end of a phase). */
PETSC_INTERN PetscErrorCode PetscSnapshotProgressBegin_Internal(PetscSnapshot, const char[]);
PETSC_INTERN PetscErrorCode PetscSnapshotProgress_Internal(PetscSnapshot, double, PetscBool, const char[], ...) PETSC_ATTRIBUTE_FORMAT(4, 5);
PETSC_INTERN void           PetscSnapshotProgressEnd_Internal(PetscSnapshot);

/* PetscSnapshotSetTS(): the snapshot is attached; read its TS options if it was set from options (src/ts/tsoptions.cxx) */
PETSC_INTERN PetscErrorCode PetscSnapshotAttachedOptions_Internal(PetscSnapshot);
PETSC_INTERN PetscErrorCode PetscSnapshotTSAttachFromOptions_Internal(TS, PetscSnapshot *);
PETSC_INTERN PetscErrorCode PetscSnapshotTSGetAttached_Internal(TS, PetscSnapshot *);
PETSC_INTERN PetscErrorCode PetscSnapshotWrapTSTypes_Internal(void);

/* Compare two snapshots array by array: a description of the arrays that differ on any rank (in DM and name order, the
   first four), or an empty string. Collective. */
PETSC_INTERN PetscErrorCode PetscSnapshotCompare_Internal(PetscSnapshot, PetscSnapshot, std::string *);

PETSC_INTERN PetscErrorCode PetscSnapshotCreate_Memory(PetscSnapshot);
PETSC_INTERN PetscErrorCode PetscSnapshotCreate_HDF5(PetscSnapshot);
PETSC_INTERN PetscErrorCode PetscSnapshotSetMemoryOps_Internal(PetscSnapshot);
PETSC_INTERN PetscErrorCode PetscSnapshotWrite_Memory(PetscSnapshot, const petscsnapshot::Entry *, const char[], petscsnapshot::Slot *, const void *);

/* Byte size of one value of a PetscDataType (PETSC_STRUCT counts bytes, so 1). */
PETSC_INTERN PetscErrorCode PetscSnapshotDataTypeSize_Internal(PetscDataType, size_t *);
/* Drop one entry (and its storage) from a snapshot. */
PETSC_INTERN PetscErrorCode PetscSnapshotDropEntry_Internal(PetscSnapshot, petscsnapshot::EntryMap::iterator);

#endif
