/* Hook for every DM: the objects declared with PetscSnapshotDMAddState(), found by key with PetscSnapshotDMGetState().
   Each supported kind of object is one row of stateKinds. The main array of a state is named "state/<key>"; a kind that
   needs more arrays names them "state/<key>#<part>" ('#' cannot appear in keys). */
#include "../include/snapshotimpl.hpp"
#include "../include/userstate.hpp"
#include "builtin.hpp"

#include <petsc/private/tsimpl.h>
#include <petsc/private/dmimpl.h>
#include <cstring>

namespace petscsnapshot
{

static const char statePrefix[] = "state/";

struct StateKind {
  const char *className;
  const char *what; /* how messages call it */
  PetscErrorCode (*capture)(PetscSnapshotRecord, const char[], PetscObject);
  PetscErrorCode (*check)(PetscSnapshotRecord, const char[], PetscObject, const char[]);
  PetscErrorCode (*restore)(PetscSnapshotRecord, const char[], PetscObject);
};

/* "state/<key>#<part>", of any length; an allocation failure leaves it empty, which no hook accepts as a name */
struct Part {
  std::string s;
  Part(const char name[], const char part[]) noexcept
  {
    try {
      s = std::string(name) + '#' + part;
    } catch (...) {
      s.clear();
    }
  }
  const char *c_str() const { return s.c_str(); }
};

/* Refuse unless the record holds an array of this type and block size (any length). */
static PetscErrorCode CheckArray(PetscSnapshotRecord rec, const char name[], PetscDataType type, PetscInt bs, const char what[], PetscSnapshotRecordInfo *info, PetscBool *ok)
{
  PetscBool found;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotRecordGetInfo(rec, name, &found, info));
  *ok = (found && info->type == type && info->bs == bs) ? PETSC_TRUE : PETSC_FALSE;
  if (!*ok) PetscCall(PetscSnapshotRecordRefuse(rec, "%s was captured as another kind of object", what));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* At another rank count, refuse a state any of whose arrays differed between the ranks that wrote it. */
static PetscErrorCode RefuseRankwise(PetscSnapshotRecord rec, const char name[], const char part[], const char what[], PetscBool *refused)
{
  PetscBool redistributed, rankwise = PETSC_FALSE, rankwisePart = PETSC_FALSE;

  PetscFunctionBegin;
  *refused = PETSC_FALSE;
  PetscCall(RecordRedistributed(rec, &redistributed));
  if (!redistributed) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(RecordRankwise(rec, name, &rankwise));
  if (part) PetscCall(RecordRankwise(rec, Part(name, part).c_str(), &rankwisePart));
  if (rankwise || rankwisePart) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "%s differed between the %d ranks that captured it, so it has no value where the mesh is redistributed (another rank count or partition)", what, rec->entry->commSize));
    *refused = PETSC_TRUE;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ---- Vec: its local values; a Vec laid out by the DMPlex it is declared on also in the storage's mesh layout. A Vec
   laid out by another DMPlex (not sharing the declaring DM's topology) also records which points that DMPlex holds on
   each rank ("#points"), checked like a layout: sizes are no identity. */
static PetscErrorCode ForeignPlex(PetscSnapshotRecord rec, Vec v, DM *plex)
{
  DM        vdm;
  PetscBool isplex = PETSC_FALSE;

  PetscFunctionBegin;
  *plex = nullptr;
  PetscCall(VecGetDM(v, &vdm));
  if (vdm) PetscCall(PetscObjectTypeCompare((PetscObject)vdm, DMPLEX, &isplex));
  if (isplex && vdm->data != rec->dm->data) *plex = vdm; /* DMClone() shares DM_Plex */
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CaptureVec(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  DM plex;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotRecordPutVec(rec, name, (Vec)obj));
  PetscCall(RecordPutMeshVec(rec, name, (Vec)obj));
  PetscCall(ForeignPlex(rec, (Vec)obj, &plex));
  if (plex) {
    PetscInt fp[2];

    PetscCall(PlexPointsFingerprint(plex, fp));
    PetscCall(PetscSnapshotRecordPutArray(rec, Part(name, "points").c_str(), PETSC_INT, 1, 2, fp));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckVec(PetscSnapshotRecord rec, const char name[], PetscObject obj, const char what[])
{
  PetscBool redistributed, found;
  DM        plex;

  PetscFunctionBegin;
  PetscCall(RecordRedistributed(rec, &redistributed));
  if (redistributed) {
    PetscCall(RecordCheckMeshVec(rec, name, (Vec)obj, what));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscSnapshotRecordCheckVec(rec, name, (Vec)obj, what));
  PetscCall(PetscSnapshotRecordGetInfo(rec, Part(name, "points").c_str(), &found, nullptr));
  if (!found) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(ForeignPlex(rec, (Vec)obj, &plex));
  if (!plex) PetscCall(PetscSnapshotRecordRefuse(rec, "%s was laid out by another DMPlex at capture and is not now", what));
  else {
    PetscInt now[2], captured[2];
    PetscCall(PlexPointsFingerprint(plex, now));
    PetscCall(PetscSnapshotRecordGetArray(rec, Part(name, "points").c_str(), PETSC_INT, 1, 2, captured));
    if (now[0] != captured[0] || now[1] != captured[1]) {
      const char *pname;
      PetscCall(PetscObjectGetName((PetscObject)plex, &pname));
      PetscCall(PetscSnapshotRecordRefuse(rec, "%s is laid out by DMPlex \"%s\", whose local topology or partition differs from the one at capture: it was distributed otherwise", what, pname ? pname : ""));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreVec(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  PetscBool redistributed;

  PetscFunctionBegin;
  PetscCall(RecordRedistributed(rec, &redistributed));
  if (redistributed) PetscCall(RecordGetMeshVec(rec, name, (Vec)obj));
  else PetscCall(PetscSnapshotRecordGetVec(rec, name, (Vec)obj));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ---- IS: its local indices and block size; any length (an IS is state that may grow) */
static PetscErrorCode CaptureIS(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  PetscInt        n, bs;
  const PetscInt *idx;

  PetscFunctionBegin;
  PetscCall(ISGetLocalSize((IS)obj, &n));
  PetscCall(ISGetBlockSize((IS)obj, &bs));
  PetscCall(ISGetIndices((IS)obj, &idx));
  PetscCall(PetscSnapshotRecordPutArray(rec, name, PETSC_INT, 1, n, idx));
  PetscCall(ISRestoreIndices((IS)obj, &idx));
  PetscCall(PetscSnapshotRecordPutArray(rec, Part(name, "bs").c_str(), PETSC_INT, 1, 1, &bs));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckIS(PetscSnapshotRecord rec, const char name[], PetscObject, const char what[])
{
  PetscSnapshotRecordInfo info;
  PetscBool               ok, refused;

  PetscFunctionBegin;
  PetscCall(RefuseRankwise(rec, name, "bs", what, &refused));
  if (refused) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(CheckArray(rec, name, PETSC_INT, 1, what, &info, &ok));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreIS(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  PetscSnapshotRecordInfo info;
  PetscBool               found;
  PetscInt               *idx, bs;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotRecordGetInfo(rec, name, &found, &info));
  PetscCall(PetscMalloc1(info.n, &idx));
  PetscCall(PetscSnapshotRecordGetArray(rec, name, PETSC_INT, 1, info.n, idx));
  PetscCall(PetscSnapshotRecordGetArray(rec, Part(name, "bs").c_str(), PETSC_INT, 1, 1, &bs));
  PetscCall(ISSetType((IS)obj, ISGENERAL));
  PetscCall(ISGeneralSetIndices((IS)obj, info.n, idx, PETSC_OWN_POINTER));
  PetscCall(ISSetBlockSize((IS)obj, bs));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ---- DM: an entry of its own (a sub-DM, restored first); the record keeps its name */
static PetscErrorCode CaptureSubDM(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  const char *dmName;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotRecordAddSubDM(rec, (DM)obj));
  PetscCall(PetscObjectGetName(obj, &dmName));
  PetscCall(PetscSnapshotRecordPutArray(rec, name, PETSC_CHAR, 1, (PetscInt)std::strlen(dmName), dmName));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckSubDM(PetscSnapshotRecord rec, const char name[], PetscObject obj, const char what[])
{
  PetscSnapshotRecordInfo info;
  PetscBool               ok;
  const char             *dmName;
  std::string             captured; /* a DM name has any length */

  PetscFunctionBegin;
  PetscCall(RefuseRankwise(rec, name, nullptr, what, &ok));
  if (ok) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(CheckArray(rec, name, PETSC_CHAR, 1, what, &info, &ok));
  if (!ok) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscObjectGetName(obj, &dmName));
  PetscCallCXX(captured.assign((size_t)info.n, '\0'));
  if (info.n) PetscCall(PetscSnapshotRecordGetArray(rec, name, PETSC_CHAR, 1, info.n, captured.data()));
  if (captured != dmName) PetscCall(PetscSnapshotRecordRefuse(rec, "%s was the DM \"%s\" at capture and is the DM \"%s\" now", what, captured.c_str(), dmName));
  else PetscCall(PetscSnapshotRecordAddSubDM(rec, (DM)obj));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreSubDM(PetscSnapshotRecord, const char[], PetscObject)
{
  return PETSC_SUCCESS; /* the driver restored it before this DM */
}

/* ---- TS: the clock (time, time step, time of the previous step), the step number, the solution */
TS tsKeepClock = nullptr;

/* TSARKIMEX starts a step from the stage slopes of the previous one: the last stage's slope (YdotI[s-1]) becomes the
   first-same-as-last slope, and, for fully implicit methods with an explicit first stage, the initial guess of the
   nonlinear solve for that slope after TSRestartStep() (PETSc 3.25 does; 3.18 recomputes it without a guess). A restored
   step that starts from another guess converges to another round-off, so the slope is state of the step. PETSc has no
   accessor for it: the first members of the private TS_ARKIMEX (tableau, Y, YdotI, the same from 3.18 to 3.25) are
   mirrored, and used only when TSGetStages() returns the same Y. NULL when there is no such slope. */
static PetscErrorCode ARKIMEXLastSlope(TS ts, Vec *slope)
{
  struct MirrorARKIMEX {
    void *tableau;
    Vec  *Y;
    Vec  *YdotI;
  };
  PetscBool      isark;
  PetscInt       ns = 0;
  Vec           *Y  = nullptr;
  MirrorARKIMEX *ark;

  PetscFunctionBegin;
  *slope = nullptr;
  PetscCall(PetscObjectTypeCompare((PetscObject)ts, TSARKIMEX, &isark));
  if (!isark || !ts->data) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(TSGetStages(ts, &ns, &Y));
  ark = static_cast<MirrorARKIMEX *>(ts->data);
  if (ns < 1 || !Y || ark->Y != Y || !ark->YdotI || !ark->YdotI[ns - 1]) PetscFunctionReturn(PETSC_SUCCESS);
  if (((PetscObject)ark->YdotI[ns - 1])->classid != VEC_CLASSID) PetscFunctionReturn(PETSC_SUCCESS);
  *slope = ark->YdotI[ns - 1];
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CaptureTS(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  TS        ts       = (TS)obj;
  PetscReal clock[3] = {ts->ptime, ts->time_step, ts->ptime_prev};
  PetscInt  step     = ts->steps;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotRecordPutArray(rec, name, PETSC_REAL, 3, 1, clock));
  PetscCall(PetscSnapshotRecordPutArray(rec, Part(name, "step").c_str(), PETSC_INT, 1, 1, &step));
  if (ts->vec_sol) PetscCall(CaptureVec(rec, Part(name, "solution").c_str(), (PetscObject)ts->vec_sol));
  {
    Vec slope;
    PetscCall(ARKIMEXLastSlope(ts, &slope));
    if (slope) PetscCall(PetscSnapshotRecordPutVec(rec, Part(name, "arkimex_slope").c_str(), slope));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckTS(PetscSnapshotRecord rec, const char name[], PetscObject obj, const char what[])
{
  TS                      ts = (TS)obj;
  PetscSnapshotRecordInfo info;
  PetscBool               ok, found, refused;
  Part                    solution(name, "solution");
  std::string             whatSolution;

  PetscFunctionBegin;
  PetscCall(RefuseRankwise(rec, name, "step", what, &refused));
  if (refused) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(CheckArray(rec, name, PETSC_REAL, 3, what, &info, &ok));
  PetscCallCXX(whatSolution = std::string(what) + " (its solution)");
  PetscCall(PetscSnapshotRecordGetInfo(rec, solution.c_str(), &found, nullptr));
  if (ts->vec_sol) PetscCall(CheckVec(rec, solution.c_str(), (PetscObject)ts->vec_sol, whatSolution.c_str()));
  else if (found) PetscCall(PetscSnapshotRecordRefuse(rec, "%s had a solution at capture and has none now", what));
  {
    Vec         slope;
    PetscBool   redistributed;
    Part        slopeName(name, "arkimex_slope");
    std::string whatSlope;

    PetscCall(RecordRedistributed(rec, &redistributed));
    PetscCall(ARKIMEXLastSlope(ts, &slope));
    PetscCall(PetscSnapshotRecordGetInfo(rec, slopeName.c_str(), &found, nullptr));
    PetscCallCXX(whatSlope = std::string(what) + " (its ARKIMEX slope)");
    if (slope && found && !redistributed) PetscCall(PetscSnapshotRecordCheckVec(rec, slopeName.c_str(), slope, whatSlope.c_str()));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreTS(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  TS        ts = (TS)obj;
  PetscReal clock[3];
  PetscInt  step;

  PetscFunctionBegin;
  if (ts->vec_sol) PetscCall(RestoreVec(rec, Part(name, "solution").c_str(), (PetscObject)ts->vec_sol));
  if (ts == tsKeepClock) PetscFunctionReturn(PETSC_SUCCESS); /* a retry of its step: the TS keeps its clock, the adaptor's new step and its history */
  PetscCall(PetscSnapshotRecordGetArray(rec, name, PETSC_REAL, 3, 1, clock));
  PetscCall(PetscSnapshotRecordGetArray(rec, Part(name, "step").c_str(), PETSC_INT, 1, 1, &step));
  PetscCall(TSSetTime(ts, clock[0]));
  PetscCall(TSSetTimeStep(ts, clock[1]));
  ts->ptime_prev = clock[2];
  PetscCall(TSSetStepNumber(ts, step));
  /* multistep history (TSBDF) and first-same-as-last stages (TSRK) belong to another state now: restart */
  PetscCall(TSRestartStep(ts));
  { /* except what a restarted ARKIMEX step starts from (see ARKIMEXLastSlope()); only where captured per rank */
    Vec       slope;
    PetscBool found, redistributed;

    PetscCall(RecordRedistributed(rec, &redistributed));
    PetscCall(ARKIMEXLastSlope(ts, &slope));
    PetscCall(PetscSnapshotRecordGetInfo(rec, Part(name, "arkimex_slope").c_str(), &found, nullptr));
    if (slope && found && !redistributed) PetscCall(PetscSnapshotRecordGetVec(rec, Part(name, "arkimex_slope").c_str(), slope));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* ---- user state: plain bytes or callbacks, with a schema version */
static PetscErrorCode UserStateOf(PetscObject obj, UserState **us)
{
  PetscFunctionBegin;
  PetscCall(UserStateFromContainer((PetscContainer)obj, us));
  PetscCheck(*us, PETSC_COMM_SELF, PETSC_ERR_PLIB, "not a petsc-snapshot user state container");
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* "DM "<dm>", state "<key>": <which>", for the messages of failed user functions */
static std::string UserWhat(PetscSnapshotRecord rec, const char name[], const char which[])
{
  return "DM \"" + rec->entry->name + "\", state \"" + std::string(name + sizeof(statePrefix) - 1) + "\": " + which;
}

static PetscErrorCode CaptureUser(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  UserState *us;
  size_t     size;
  void      *bytes;

  PetscFunctionBegin;
  PetscCall(UserStateOf(obj, &us));
  if (us->captureFn) {
    std::string what;
    bool        ok;

    /* the user's functions may fail on some ranks only: a local step, agreed by the driver (nothing is put) */
    PetscCallCXX(what = UserWhat(rec, name, "size and capture functions"));
    ok = RecordLocalStep(rec, what, [&]() -> PetscErrorCode {
      PetscFunctionBegin;
      PetscCall((*us->sizeFn)(us->ctx, &size));
      PetscCall(UserStateScratch(us, size, &bytes));
      PetscCall((*us->captureFn)(us->ctx, size, bytes));
      PetscFunctionReturn(PETSC_SUCCESS);
    });
    if (!ok) PetscFunctionReturn(PETSC_SUCCESS);
  } else {
    size  = us->size;
    bytes = us->data;
  }
  PetscCall(PetscSnapshotRecordPutArray(rec, name, PETSC_STRUCT, 1, (PetscInt)size, bytes));
  PetscCall(PetscSnapshotRecordPutArray(rec, Part(name, "version").c_str(), PETSC_INT, 1, 1, &us->version));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckUser(PetscSnapshotRecord rec, const char name[], PetscObject obj, const char what[])
{
  UserState              *us;
  PetscSnapshotRecordInfo info;
  PetscBool               ok;
  PetscInt                version;

  PetscFunctionBegin;
  PetscCall(UserStateOf(obj, &us));
  PetscCall(RefuseRankwise(rec, name, "version", what, &ok));
  if (ok) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(CheckArray(rec, name, PETSC_STRUCT, 1, what, &info, &ok));
  if (!ok) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscSnapshotRecordGetArray(rec, Part(name, "version").c_str(), PETSC_INT, 1, 1, &version));
  if (version != us->version) PetscCall(PetscSnapshotRecordRefuse(rec, "%s has schema version %" PetscInt_FMT " now but %" PetscInt_FMT " in the snapshot", what, us->version, version));
  else if (!us->captureFn && (size_t)info.n != us->size) PetscCall(PetscSnapshotRecordRefuse(rec, "%s is %zu bytes now but %" PetscInt_FMT " in the snapshot", what, us->size, info.n));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreUser(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  UserState              *us;
  PetscSnapshotRecordInfo info;
  PetscBool               found;
  void                   *bytes;

  PetscFunctionBegin;
  PetscCall(UserStateOf(obj, &us));
  PetscCall(PetscSnapshotRecordGetInfo(rec, name, &found, &info));
  if (!us->restoreFn) PetscCall(PetscSnapshotRecordGetArray(rec, name, PETSC_STRUCT, 1, info.n, us->data));
  else {
    std::string what;

    PetscCall(UserStateScratch(us, (size_t)info.n, &bytes));
    PetscCall(PetscSnapshotRecordGetArray(rec, name, PETSC_STRUCT, 1, info.n, bytes));
    /* may fail on some ranks only: a local step, agreed by the driver after every other state was restored */
    PetscCallCXX(what = UserWhat(rec, name, "restore function"));
    (void)RecordLocalStep(rec, what, [&]() { return (*us->restoreFn)(us->ctx, (size_t)info.n, bytes); });
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static const StateKind stateKinds[] = {
  {"Vec",            "Vec",        CaptureVec,    CheckVec,    RestoreVec   },
  {"IS",             "IS",         CaptureIS,     CheckIS,     RestoreIS    },
  {"DM",             "DM",         CaptureSubDM,  CheckSubDM,  RestoreSubDM },
  {"TS",             "TS",         CaptureTS,     CheckTS,     RestoreTS    },
  {"DMLabel",        "DMLabel",    CaptureLabelState, CheckLabelState, RestoreLabelState},
  {"PetscRandom",    "PetscRandom", CaptureRandomState, CheckRandomState, RestoreRandomState},
  {"PetscContainer", "user state", CaptureUser,   CheckUser,   RestoreUser  }, /* bytes or callbacks */
};

/* The declared object under key and its kind; a refusal (and kind NULL) when there is none or it is not supported. */
static PetscErrorCode FindState(PetscSnapshotRecord rec, DM dm, const char key[], PetscObject *obj, const StateKind **kind)
{
  PetscFunctionBegin;
  *kind = nullptr;
  PetscCall(PetscSnapshotDMGetState(dm, key, obj));
  if (!*obj) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "state \"%s\" is declared but no object is composed under that key", key));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  for (const StateKind &k : stateKinds) {
    PetscBool same;

    PetscCall(PetscStrcmp((*obj)->class_name, k.className, &same));
    if (same && (*obj)->classid == PETSC_CONTAINER_CLASSID) {
      UserState *us;
      PetscCall(UserStateFromContainer((PetscContainer)*obj, &us));
      same = us ? PETSC_TRUE : PETSC_FALSE; /* only containers made by PetscSnapshotDMAddStateBytes/Callbacks */
    }
    if (same) {
      *kind = &k;
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  PetscCall(PetscSnapshotRecordRefuse(rec, "state \"%s\" is a %s, which the snapshot cannot capture (use PetscSnapshotDMAddStateBytes() or PetscSnapshotDMAddStateCallbacks() for user data)", key, (*obj)->class_name));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Visit each declared key with its record name "state/<key>". */
template <class Visit>
static PetscErrorCode ForEachDeclared(DM dm, Visit visit)
{
  PetscInt     n;
  const char **keys;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotDMGetStateKeys(dm, &n, &keys));
  for (PetscInt i = 0; i < n; i++) {
    std::string name;

    PetscCallCXX(name = std::string(statePrefix) + keys[i]);
    PetscCall(visit(keys[i], name.c_str()));
  }
  PetscCall(PetscFree(keys));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CaptureState(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscFunctionBegin;
  PetscCall(ForEachDeclared(dm, [&](const char key[], const char name[]) -> PetscErrorCode {
    PetscObject      obj;
    const StateKind *kind;

    PetscFunctionBegin;
    PetscCall(FindState(rec, dm, key, &obj, &kind));
    if (kind) PetscCall(kind->capture(rec, name, obj));
    PetscFunctionReturn(PETSC_SUCCESS);
  }));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode CheckState(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscInt     n;
  const char **captured;

  PetscFunctionBegin;
  PetscCall(ForEachDeclared(dm, [&](const char key[], const char name[]) -> PetscErrorCode {
    PetscObject      obj;
    const StateKind *kind;
    PetscBool        found;
    std::string      what;

    PetscFunctionBegin;
    PetscCall(FindState(rec, dm, key, &obj, &kind));
    if (!kind) PetscFunctionReturn(PETSC_SUCCESS);
    PetscCall(PetscSnapshotRecordGetInfo(rec, name, &found, nullptr));
    if (!found) {
      PetscCall(PetscSnapshotRecordRefuse(rec, "%s \"%s\" is declared now but was not declared at capture", kind->what, key));
      PetscFunctionReturn(PETSC_SUCCESS);
    }
    PetscCallCXX(what = std::string(kind->what) + " \"" + key + "\"");
    PetscCall(kind->check(rec, name, obj, what.c_str()));
    PetscFunctionReturn(PETSC_SUCCESS);
  }));
  /* everything captured must still be declared */
  PetscCall(PetscSnapshotRecordGetNames(rec, statePrefix, &n, &captured));
  for (PetscInt i = 0; i < n; i++) {
    const char  *key = captured[i] + sizeof(statePrefix) - 1;
    PetscInt     nk;
    const char **keys;
    PetscBool    declared = PETSC_FALSE;

    if (std::strchr(key, '#')) continue; /* a part of a state, not a state */
    PetscCall(PetscSnapshotDMGetStateKeys(dm, &nk, &keys));
    for (PetscInt k = 0; k < nk && !declared; k++) PetscCall(PetscStrcmp(keys[k], key, &declared));
    PetscCall(PetscFree(keys));
    if (!declared) PetscCall(PetscSnapshotRecordRefuse(rec, "state \"%s\" was captured but is no longer declared", key));
  }
  PetscCall(PetscFree(captured));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode RestoreState(PetscSnapshotRecord rec, DM dm, void *)
{
  PetscFunctionBegin;
  PetscCall(ForEachDeclared(dm, [&](const char key[], const char name[]) -> PetscErrorCode {
    PetscObject      obj;
    const StateKind *kind;

    PetscFunctionBegin;
    PetscCall(FindState(rec, dm, key, &obj, &kind));
    PetscCheck(kind, PETSC_COMM_SELF, PETSC_ERR_PLIB, "state \"%s\" changed between check and restore", key);
    PetscCall(kind->restore(rec, name, obj));
    PetscFunctionReturn(PETSC_SUCCESS);
  }));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RegisterStateHooks(void)
{
  PetscFunctionBegin;
  PetscCall(PetscSnapshotRegisterDMHook("state", nullptr, CaptureState, CheckState, RestoreState, nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
