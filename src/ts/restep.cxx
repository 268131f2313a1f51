/* The restep check of an attached TS (-snapshot_test_restep): every step is taken twice from the captured start and
   the two results compared bitwise; what TSSolve() runs between two steps (TSPostEvaluate(), TSPostStep(), the
   monitors, TSPreStep()) is taken again too, after the previous step.

   Undeclared state can only be seen when it is captured. The objects an application composes on its TS (PETSc's own
   ex77 composes its particle TS as "_SwarmTS" and, in older versions, the particles' solution as "_SwarmSol") are
   therefore captured by the check when they are not declared: a TS (clock and solution) and its DM when that is
   another DM, a DM, a Vec. Such an object that changes during a step or between two steps is state that no retry and
   no restore rolls back: it is reported by the key it is composed under, whether or not the two takes differ (a second
   TS that is already at the time it is pushed to does nothing in the second take). The takes capture them too, and
   the run continues with them as they were after the first take, so that the check does not advance them twice.

   The check never stops the run: whatever fails inside it after the run's own step (a restore refused because a
   callback replaced or resized an object, an error in a callback taken again, a capture or comparison that fails) is
   caught without printing, agreed over the TS's communicator and reported, per step, as what could not be compared
   and why; the run continues from its own state (the first take). Callbacks between two steps that replaced the
   objects of the run (TSReset(), a new solution Vec, a second TS solved with another Vec, as PETSc's
   dm/impls/swarm/tests/ex5.c and ts/tutorials/ex77.c do) are not taken again at all: taking them again would replace
   the run's objects a second time. */
#include <cstring>
#include "attach.hpp"

#include <petscdmshell.h>

#include <vector>

namespace petscsnapshot
{

/* A node of PETSc's composed-object list (private: olist.c up to 3.22, petsc/private/petscimpl.h later; the same
   fields from 3.18 to 3.25). Mirrored; every node is checked with PetscObjectQuery() before it is used. */
struct MirrorObjectList {
  char              name[256];
  PetscBool         skipdereference;
  PetscObject       obj;
  MirrorObjectList *next;
};

static bool Contains(const std::vector<PetscObject> &objs, PetscObject o)
{
  for (PetscObject p : objs)
    if (p == o) return true;
  return false;
}

/* The objects composed on ts, of a kind a snapshot captures, that are not declared on ts's DM. */
PetscErrorCode TSFindUndeclaredComposed(TS ts, std::vector<Composed> *found)
{
  PetscInt                 n;
  const char             **keys;
  std::vector<PetscObject> known;

  PetscFunctionBegin;
  found->clear();
  PetscCall(PetscSnapshotDMGetStateKeys(ts->dm, &n, &keys));
  for (PetscInt i = 0; i < n; i++) {
    PetscObject o;
    PetscCall(PetscSnapshotDMGetState(ts->dm, keys[i], &o));
    if (o) PetscCallCXX(known.push_back(o));
    if (o && o->classid == TS_CLASSID) { /* a declared TS covers its solution; its DM is its own */
      PetscCallCXX(known.push_back((PetscObject)((TS)o)->vec_sol));
      PetscCallCXX(known.push_back((PetscObject)((TS)o)->dm));
    }
  }
  PetscCall(PetscFree(keys));
  PetscCallCXX(known.push_back((PetscObject)ts));
  PetscCallCXX(known.push_back((PetscObject)ts->dm));
  PetscCallCXX(known.push_back((PetscObject)ts->vec_sol)); /* captured with the TS */
  for (auto *node = reinterpret_cast<MirrorObjectList *>(((PetscObject)ts)->olist); node; node = node->next) {
    PetscObject queried = nullptr, obj = node->obj;
    std::string name;

    if (!memchr(node->name, 0, sizeof(node->name))) break;
    PetscCall(PetscObjectQuery((PetscObject)ts, node->name, &queried));
    if (queried != obj) { /* not PETSc's layout: see nothing rather than something wrong */
      PetscCall(PetscInfo(ts, "the composed-object list of the TS is not laid out as expected: composed objects are not examined by the restep check\n"));
      found->clear();
      break;
    }
    if (!obj || Contains(known, obj)) continue;
    if (obj->classid != TS_CLASSID && obj->classid != VEC_CLASSID && obj->classid != DM_CLASSID) continue;
    PetscCallCXX(name = node->name);
    for (char &c : name)
      if (c == '/' || c == '#') c = '_'; /* not a key's path separator, nor reserved */
    PetscCallCXX(found->push_back(Composed{name + " (composed on the TS, not declared)", obj, node->name}));
    PetscCallCXX(known.push_back(obj));
    if (obj->classid == TS_CLASSID) { /* a second TS: its state is in its DM too (a swarm pushed by it) */
      DM dm = ((TS)obj)->dm;
      if (dm && !Contains(known, (PetscObject)dm)) {
        PetscCallCXX(found->push_back(Composed{name + " (the DM of this TS composed on the TS, not declared)", (PetscObject)dm, node->name}));
        PetscCallCXX(known.push_back((PetscObject)dm));
      }
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode TSDeclareComposed(DM dm, const std::vector<Composed> &composed, PetscBool declare)
{
  PetscFunctionBegin;
  for (const Composed &c : composed) {
    if (declare) PetscCall(PetscSnapshotDMAddState(dm, c.key.c_str(), c.obj));
    else PetscCall(PetscSnapshotDMRemoveState(dm, c.key.c_str()));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Capture the TS's DM into take, or restore it from take, the undeclared composed objects with it. */
static PetscErrorCode WithComposed(TS ts, PetscSnapshot take, const std::vector<Composed> &composed, PetscBool restore)
{
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(TSDeclareComposed(ts->dm, composed, PETSC_TRUE));
  ierr = restore ? PetscSnapshotRestore(take, ts->dm) : PetscSnapshotCapture(take, ts->dm);
  PetscCall(TSDeclareComposed(ts->dm, composed, PETSC_FALSE));
  PetscCall(ierr);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode EnsureTakes(TS ts, Attachment *att)
{
  PetscFunctionBegin;
  for (int take = 0; take < 2; take++) {
    for (PetscSnapshot *s : {&att->takes[take], &att->composed[take]}) {
      if (*s) continue;
      PetscCall(PetscSnapshotCreate(PetscObjectComm((PetscObject)ts), s));
      PetscCall(PetscSnapshotSetType(*s, PETSCSNAPSHOTMEMORY));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode TSRestepDestroy(Attachment *att)
{
  PetscFunctionBegin;
  for (int i = 0; i < 2; i++) {
    PetscCall(PetscSnapshotDestroy(&att->takes[i]));
    PetscCall(PetscSnapshotDestroy(&att->composed[i]));
  }
  PetscCall(DMDestroy(&att->scratch));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode Report(TS ts, Attachment *att, const std::string &first, PetscReal start, const char what[])
{
  PetscFunctionBegin;
  if (!first.empty()) {
    att->snap->restepMismatches++;
    PetscCallCXX(*att->snap->restepFirst = first);
    PetscCall(PetscPrintf(PetscObjectComm((PetscObject)ts), "PetscSnapshot restep check, step from t = %g%s: the two takes differ in %s: state that influences the step is not captured (declare it with PetscSnapshotDMAddState())\n", (double)start, what, first.c_str()));
  } else PetscCall(PetscInfo(att->snap, "restep check, step from t = %g%s: both takes bitwise equal\n", (double)start, what));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A comparison the check could not make, and why (the same text on every rank) */
static PetscErrorCode NotCompared(TS ts, Attachment *att, PetscReal start, const char what[], const std::string &why)
{
  char        when[64];
  std::string text;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(when, sizeof(when), "step from t = %g", (double)start));
  PetscCallCXX(text = std::string(when) + what + ": could not compare: " + why);
  att->snap->restepNotCompared++;
  PetscCallCXX(*att->snap->restepWhy = text);
  PetscCall(PetscPrintf(PetscObjectComm((PetscObject)ts), "PetscSnapshot restep check, %s\n", text.c_str()));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Run a part of the check that may fail: its error is caught without printing and agreed over the TS's communicator;
   *why is then the failure of the lowest failing rank, on every rank (empty when no rank failed). */
template <class F>
static PetscErrorCode Guard(TS ts, const char what[], F &&part, std::string *why)
{
  LocalFailures failures(PetscObjectComm((PetscObject)ts), "restep check");
  bool          failed;

  PetscFunctionBegin;
  (void)failures.Attempt(what, std::forward<F>(part));
  PetscCall(failures.AgreeQuietly(&failed, why));
  if (failed && why->empty()) PetscCallCXX(*why = what);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static const char scratchSuffix[] = " (composed on its TS)";

/* The undeclared composed objects alone, captured on a scratch DM named after the TS's DM, into composed[which] */
static PetscErrorCode CaptureComposed(TS ts, Attachment *att, const std::vector<Composed> &composed, int which)
{
  const char    *name;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  if (!att->scratch) PetscCall(DMShellCreate(PetscObjectComm((PetscObject)ts), &att->scratch));
  PetscCall(PetscObjectGetName((PetscObject)ts->dm, &name));
  /* not the TS's DM's own name: a composed particle TS's swarm has the TS's DM as its cell DM, captured with it
     (PETSc's ex77); ReportComposed() names the scratch as the TS's DM again */
  PetscCall(PetscObjectSetName((PetscObject)att->scratch, (std::string(name) + scratchSuffix).c_str()));
  PetscCall(TSDeclareComposed(att->scratch, composed, PETSC_TRUE));
  /* the TS itself is not theirs: a composed swarm's cell DM is the TS's DM, which declares the TS (rolled back) */
  PetscCall(PetscSnapshotDMRemoveState(ts->dm, "ts"));
  ierr = PetscSnapshotCapture(att->composed[which], att->scratch);
  PetscCall(TSAttachEnsureDeclared(ts));
  PetscCall(TSDeclareComposed(att->scratch, composed, PETSC_FALSE));
  PetscCall(ierr);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Report what changed from composed[from] to composed[to] */
static PetscErrorCode ReportComposed(TS ts, Attachment *att, int from, int to, PetscReal start, const char when[])
{
  std::string first, why;

  PetscFunctionBegin;
  PetscCall(Guard(ts, "comparing the objects composed on the TS", [&]() { return PetscSnapshotCompare_Internal(att->composed[from], att->composed[to], &first); }, &why));
  if (!why.empty()) {
    PetscCall(NotCompared(ts, att, start, "", std::string("the objects composed on the TS ") + when + ": " + why));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if (first.empty()) PetscFunctionReturn(PETSC_SUCCESS);
  for (size_t at; (at = first.find(scratchSuffix)) != std::string::npos;) PetscCallCXX(first.erase(at, sizeof(scratchSuffix) - 1));
  att->snap->restepMismatches++;
  PetscCallCXX(*att->snap->restepFirst = first);
  PetscCall(PetscPrintf(PetscObjectComm((PetscObject)ts), "PetscSnapshot restep check, step from t = %g: %s changed %s: state that no retry or restore rolls back (declare it with PetscSnapshotDMAddState())\n", (double)start, first.c_str(), when));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The undeclared labels of the TS's DM now; *ok (agreed) is false when they could not be read */
static PetscErrorCode LabelsNow(TS ts, LabelSums *sums, bool *ok)
{
  std::string why;

  PetscFunctionBegin;
  PetscCall(Guard(ts, "checksumming the labels of the DM", [&]() { return RestepLabelSums(ts->dm, sums); }, &why));
  *ok = why.empty();
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Report an undeclared label that differs from before to after (collective) */
static PetscErrorCode ReportLabels(TS ts, Attachment *att, const LabelSums &before, const LabelSums &after, PetscReal start, const char when[])
{
  std::string changed;

  PetscFunctionBegin;
  PetscCall(RestepChangedLabel(ts, before, after, &changed));
  if (changed.empty()) PetscFunctionReturn(PETSC_SUCCESS);
  att->snap->restepMismatches++;
  PetscCallCXX(*att->snap->restepFirst = changed);
  PetscCall(PetscPrintf(PetscObjectComm((PetscObject)ts), "PetscSnapshot restep check, step from t = %g: %s changed %s: a label is captured only when declared, so no retry or restore rolls it back (declare it with PetscSnapshotDMAddState(dm, key, (PetscObject)label))\n", (double)start, changed.c_str(), when));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The objects a callback can replace, each with how a report names it: the TS's DM, solution and first stage Vec
   (recreated by TSReset() and the next TSSetUp()), and the undeclared composed objects, with a composed TS's DM and
   solution. Local. */
static PetscErrorCode GetIdentity(TS ts, Identity *id)
{
  std::vector<Composed> composed;
  PetscInt              ns = 0;
  Vec                  *Y  = nullptr;

  PetscFunctionBegin;
  id->clear();
  auto add = [&](const std::string &what, PetscObject o) -> PetscErrorCode {
    PetscObjectId oid = 0;

    PetscFunctionBegin;
    if (o) PetscCall(PetscObjectGetId(o, &oid));
    PetscCallCXX(id->push_back({what, oid}));
    PetscFunctionReturn(PETSC_SUCCESS);
  };
  PetscCall(add("the DM of the TS", (PetscObject)ts->dm));
  PetscCall(add("the solution Vec of the TS", (PetscObject)ts->vec_sol));
  PetscCall(TSGetStages(ts, &ns, &Y));
  PetscCall(add("the stage Vecs of the TS (TSReset())", ns > 0 && Y ? (PetscObject)Y[0] : nullptr));
  PetscCall(TSFindUndeclaredComposed(ts, &composed));
  for (const Composed &c : composed) {
    PetscCall(add("the object composed on the TS as \"" + c.name + "\"", c.obj));
    if (c.obj->classid == TS_CLASSID) {
      PetscCall(add("the DM of the TS composed on the TS as \"" + c.name + "\"", (PetscObject)((TS)c.obj)->dm));
      PetscCall(add("the solution Vec of the TS composed on the TS as \"" + c.name + "\"", (PetscObject)((TS)c.obj)->vec_sol));
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* What of identity 'before' is another object in 'after' (empty when none); collective: agreed over the TS's ranks */
static PetscErrorCode Replaced(TS ts, const Identity &before, const Identity &after, std::string *what)
{
  bool                  any;
  std::string           local;
  PetscFunctionBegin;
  for (size_t i = 0; i < before.size() && local.empty(); i++) {
    if (i >= after.size() || after[i].first != before[i].first) PetscCallCXX(local = "the set of objects composed on the TS");
    else if (after[i].second != before[i].second) PetscCallCXX(local = before[i].first);
  }
  if (local.empty() && after.size() != before.size()) PetscCallCXX(local = "the set of objects composed on the TS");
  PetscCall(AgreeFailure(PetscObjectComm((PetscObject)ts), !local.empty(), local, &any, what));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The solution Vecs of the TS and of the TSs composed on it, held (referenced) across the retake of callbacks that may
   give them others: ex77's post-step solves its composed TS with a new Vec each time and resets it (no solution) when
   the particles' sizes change, which its retake, from another state, may not do. */
struct HeldSolution {
  TS  ts;
  Vec sol;
};

static PetscErrorCode HoldSolutions(TS ts, std::vector<HeldSolution> *held)
{
  std::vector<Composed> composed;

  PetscFunctionBegin;
  PetscCall(TSFindUndeclaredComposed(ts, &composed));
  PetscCallCXX(held->push_back({ts, ts->vec_sol}));
  for (const Composed &c : composed)
    if (c.obj->classid == TS_CLASSID) PetscCallCXX(held->push_back({(TS)c.obj, ((TS)c.obj)->vec_sol}));
  for (HeldSolution &h : *held) {
    PetscCall(PetscObjectReference((PetscObject)h.ts));
    if (h.sol) PetscCall(PetscObjectReference((PetscObject)h.sol));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Give each held TS its held solution back if it has another now, and release them */
static PetscErrorCode ReleaseSolutions(std::vector<HeldSolution> *held, PetscBool putBack)
{
  PetscFunctionBegin;
  for (HeldSolution &h : *held) {
    if (putBack && h.ts->vec_sol != h.sol) {
      if (h.sol) PetscCall(TSSetSolution(h.ts, h.sol));
      else PetscCall(VecDestroy(&h.ts->vec_sol)); /* it had none (TSReset()) */
    }
    PetscCall(VecDestroy(&h.sol));
    PetscCall(TSDestroy(&h.ts));
  }
  held->clear();
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Back to the state of the run held in take (the first take): the composed objects found now, the TS set up again if a
   callback taken again reset it. A failure is reported; the run goes on. */
static PetscErrorCode PutBack(TS ts, Attachment *att, PetscSnapshot take, TSConvergedReason reason, PetscReal start, const char what[])
{
  std::vector<Composed> composed;
  std::string           why;

  PetscFunctionBegin;
  PetscCall(Guard(ts, "putting back the state of the run", [&]() -> PetscErrorCode {
    PetscFunctionBegin;
    PetscCall(TSFindUndeclaredComposed(ts, &composed));
    PetscCall(WithComposed(ts, take, composed, PETSC_TRUE));
    if (!ts->setupcalled) PetscCall(TSSetUp(ts));
    PetscFunctionReturn(PETSC_SUCCESS);
  }, &why));
  if (!why.empty()) PetscCall(NotCompared(ts, att, start, what, why + "; the run continues from the state the check left"));
  ts->reason = reason;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Whether the undeclared composed objects are still those of composed (a pre- or post-stage may compose others);
   collective: *why, agreed, says what changed (empty when nothing did) */
static PetscErrorCode ComposedUnchanged(TS ts, const std::vector<Composed> &composed, std::string *why)
{
  std::vector<Composed> now;
  bool                  same, any;
  std::string           local;

  PetscFunctionBegin;
  PetscCall(TSFindUndeclaredComposed(ts, &now));
  same = now.size() == composed.size();
  for (size_t i = 0; same && i < now.size(); i++) same = now[i].obj == composed[i].obj && now[i].key == composed[i].key;
  if (!same) PetscCallCXX(local = "the objects composed on the TS were replaced during the step");
  PetscCall(AgreeFailure(PetscObjectComm((PetscObject)ts), !same, local, &any, why));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Objects composed on the TS that are not those of the previous step (a program that makes a new particle TS every
   step, as PETSc's ex77 does): reported by name, and what the scratch snapshots held of the old ones dropped. */
static PetscErrorCode ComposedReplacedBetweenSteps(TS ts, Attachment *att, const std::vector<Composed> &composed, PetscReal start)
{
  Identity    ids;
  std::string names, local, why;
  bool        replaced, any;

  PetscFunctionBegin;
  for (const Composed &c : composed) PetscCallCXX(ids.emplace_back(c.name, c.obj->id));
  replaced = att->haveAfter && ids != att->composedIds;
  if (replaced)
    for (const Composed &c : composed) PetscCallCXX(names += (names.empty() ? "\"" : ", \"") + c.name + "\"");
  if (replaced) PetscCallCXX(local = "the objects composed on the TS as " + names + " are new objects since the previous step: whatever a step leaves in them escapes every retry; declare what must be rolled back with PetscSnapshotDMAddState() or compose the same objects each step");
  PetscCall(AgreeFailure(PetscObjectComm((PetscObject)ts), replaced, local, &any, &why));
  if (any) {
    PetscCall(NotCompared(ts, att, start, "", why));
    for (PetscSnapshot s : att->composed)
      if (s) PetscCall(PetscSnapshotReset(s));
    att->haveAfter = PETSC_FALSE;
  }
  PetscCallCXX(att->composedIds = ids);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The step from the captured start (snap), taken twice, both from a restarted method so that they do the same
   arithmetic (see docs/ts.md); the results compared. The run continues from the first take when undeclared composed
   objects were captured (the second take changed them again) or the check failed after it, else from the second
   (equal when the check passes). The first take is the run's step: its errors are the run's. */
/* Methods whose state carried between steps the snapshot does not capture, so that a step taken again starts from
   another state (and taking it again changes the run): TSGLEE's auxiliary solution components (its global error
   estimate), TSPSEUDO's previous function norm and step-size history. Their steps are not taken twice; said once. */
static PetscErrorCode RestepUnsupported(TS ts, Attachment *att, PetscBool *unsupported)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompareAny((PetscObject)ts, unsupported, TSGLEE, TSPSEUDO, ""));
  if (*unsupported && !att->restepUnsupportedSaid) {
    att->restepUnsupportedSaid = PETSC_TRUE;
    PetscCall(NotCompared(ts, att, ts->ptime, "", std::string("TS type ") + ((PetscObject)ts)->type_name + " carries state between steps that the snapshot does not capture (GLEE's auxiliary solutions, PSEUDO's step-size history): its steps are not taken twice by the restep check (rejected steps are still rolled back)"));
  } else if (*unsupported) att->snap->restepNotCompared++;
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode TSRestepCheckStep(TS ts, Attachment *att)
{
  TSConvergedReason     reason = ts->reason, reason0;
  PetscReal             start  = ts->ptime;
  std::string           first, why, replaced;
  std::vector<Composed> composed;
  Identity              identity, before;
  std::vector<HeldSolution> held;
  LabelSums             labels0, labels1;
  bool                  labelsOk;

  PetscFunctionBegin;
  {
    PetscBool unsupported;
    PetscCall(RestepUnsupported(ts, att, &unsupported));
    if (unsupported) { /* the run's step, as without the check */
      PetscCall(TSAttachTakeStep(ts, att));
      PetscFunctionReturn(PETSC_SUCCESS);
    }
  }
  PetscCall(EnsureTakes(ts, att));
  /* the undeclared labels now: changed since the previous step? (then during this one) */
  PetscCall(LabelsNow(ts, &labels0, &labelsOk));
  if (labelsOk && att->haveLabels) PetscCall(ReportLabels(ts, att, att->labels, labels0, start, "between the previous step and this one"));
  PetscCall(TSFindUndeclaredComposed(ts, &composed));
  /* captured with the step (-snapshot_ts_composed): compared with the takes, rolled back like declared state */
  const bool report = !composed.empty() && !att->snap->tsComposed;
  if (report) PetscCall(ComposedReplacedBetweenSteps(ts, att, composed, start));
  /* the undeclared composed objects now, and after the first take: what changed between steps and in this one? */
  if (report) {
    PetscCall(Guard(ts, "capturing the objects composed on the TS", [&]() { return CaptureComposed(ts, att, composed, 0); }, &why));
    if (!why.empty()) {
      PetscCall(NotCompared(ts, att, start, "", "the objects composed on the TS are not examined: " + why));
      composed.clear();
      att->haveAfter = PETSC_FALSE;
    }
  }
  PetscCall(TSRestartStep(ts));
  PetscCall(TSAttachTakeStep(ts, att));
  reason0 = ts->reason;
  if (labelsOk) PetscCall(LabelsNow(ts, &labels1, &labelsOk));
  if (labelsOk) PetscCall(ReportLabels(ts, att, labels0, labels1, start, "during the step"));
  PetscCall(ComposedUnchanged(ts, composed, &why));
  if (why.empty()) PetscCall(Guard(ts, "capturing the first take", [&]() { return WithComposed(ts, att->takes[0], composed, PETSC_FALSE); }, &why));
  if (!why.empty()) { /* nothing to compare with: the run continues from its step */
    PetscCall(NotCompared(ts, att, start, "", why));
    att->haveAfter = PETSC_FALSE;
  } else {
    if (report) {
      if (att->haveAfter) PetscCall(ReportComposed(ts, att, 1, 0, start, "between the previous step and this one"));
      PetscCall(Guard(ts, "capturing the objects composed on the TS", [&]() { return CaptureComposed(ts, att, composed, 1); }, &why));
      att->haveAfter = why.empty() ? PETSC_TRUE : PETSC_FALSE;
      why.clear();
    } else att->haveAfter = PETSC_FALSE;
    /* the second take; any failure from here on (or objects it replaced): back to the first take */
    PetscCall(Guard(ts, "listing the objects of the TS", [&]() { return GetIdentity(ts, &before); }, &why));
    if (why.empty()) PetscCall(HoldSolutions(ts, &held));
    if (why.empty()) PetscCall(Guard(ts, "the second take", [&]() -> PetscErrorCode {
      PetscFunctionBegin;
      PetscCall(TSAttachRestoreStart(att, ts, PETSC_FALSE));
      ts->reason = reason;
      PetscCall(TSAttachTakeStep(ts, att));
      PetscFunctionReturn(PETSC_SUCCESS);
    }, &why));
    /* a second take that fails where the run's did not (GLEE's error estimate, carried between steps, is not captured):
       a difference, and the run goes on from its own take, never from the failed one */
    const bool secondFailed = why.empty() && ts->reason < 0 && reason0 >= 0;
    if (why.empty()) PetscCall(Guard(ts, "listing the objects of the TS", [&]() { return GetIdentity(ts, &identity); }, &why));
    if (why.empty()) {
      PetscCall(Replaced(ts, before, identity, &replaced));
      if (!replaced.empty()) PetscCallCXX(why = "the second take replaced " + replaced + " (its pre- or post-stage callbacks)");
    }
    if (why.empty()) PetscCall(ComposedUnchanged(ts, composed, &why));
    if (why.empty()) PetscCall(Guard(ts, "capturing and comparing the second take", [&]() -> PetscErrorCode {
      PetscFunctionBegin;
      PetscCall(WithComposed(ts, att->takes[1], composed, PETSC_FALSE));
      PetscCall(PetscSnapshotCompare_Internal(att->takes[0], att->takes[1], &first));
      PetscFunctionReturn(PETSC_SUCCESS);
    }, &why));
    {
      std::string whyRelease;
      PetscCall(Guard(ts, "giving the TSs their solution Vecs back", [&]() { return ReleaseSolutions(&held, PETSC_TRUE); }, &whyRelease));
      if (why.empty()) PetscCallCXX(why = whyRelease);
    }
    if (!why.empty()) {
      PetscCall(NotCompared(ts, att, start, "", why));
      PetscCall(PutBack(ts, att, att->takes[0], reason0, start, ""));
    } else {
      att->snap->restepChecks++;
      if (secondFailed) PetscCallCXX(first = std::string("the outcome of the step (the second take ended ") + TSConvergedReasons[ts->reason] + ")" + (first.empty() ? "" : ", " + first));
      PetscCall(Report(ts, att, first, start, ""));
      if (!composed.empty() || secondFailed) {
        if (report && att->haveAfter) PetscCall(ReportComposed(ts, att, 0, 1, start, "during the step"));
        PetscCall(PutBack(ts, att, att->takes[0], reason0, start, ""));
      }
    }
  }
  /* the objects of the run after its step: the next step's check sees whether the callbacks between replace them */
  PetscCall(Guard(ts, "listing the objects of the TS", [&]() { return GetIdentity(ts, &identity); }, &why));
  PetscCallCXX(att->identity = identity);
  att->haveIdentity = why.empty() ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(LabelsNow(ts, &att->labels, &labelsOk)); /* the labels the run continues with */
  att->haveLabels = labelsOk ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* What happens between two steps under TSSolve(): the previous step is taken again from its start (held in snap) with
   TSStep() and followed by the callbacks TSSolve() runs before this step (TSPostEvaluate(), TSPostStep(), the monitors,
   TSPreStep()); the result is compared with the state now, and the state now is put back. Only when such callbacks
   are set: without them the per-step check already covers everything. Not when those callbacks replaced objects of the
   run since the previous step (reported instead). */
PetscErrorCode TSRestepCheckBetweenSteps(TS ts, Attachment *att)
{
  static const char     what[] = " with its post-evaluate, post-step, monitors and the next pre-step";
  PetscErrorCode        ierr;
  PetscReal             start = att->ptime; /* the previous step's */
  std::string           first, why, replaced;
  std::vector<Composed> composed;
  Identity              now, after;
  std::vector<HeldSolution> held;

  PetscFunctionBegin;
  if (!ts->prestep && !ts->poststep && !ts->postevaluate && !ts->numbermonitors) PetscFunctionReturn(PETSC_SUCCESS);
  {
    PetscBool unsupported;
    PetscCall(PetscObjectTypeCompareAny((PetscObject)ts, &unsupported, TSGLEE, TSPSEUDO, ""));
    if (unsupported) PetscFunctionReturn(PETSC_SUCCESS); /* said by RestepUnsupported() */
  }
  PetscCall(EnsureTakes(ts, att));
  PetscCall(TSAttachEnsureDeclared(ts));
  PetscCall(Guard(ts, "listing the objects of the TS", [&]() { return GetIdentity(ts, &now); }, &why));
  if (!why.empty() || !att->haveIdentity) { /* whether the callbacks replaced objects is not known: not taken again */
    PetscCall(NotCompared(ts, att, start, what, why.empty() ? std::string("the objects of the TS after the previous step are not known") : why));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  { /* the undeclared labels these callbacks changed, seen now; the retake changes them again, so the next step's
       check starts from the labels after it */
    LabelSums labelsNow;
    bool      labelsOk;

    PetscCall(LabelsNow(ts, &labelsNow, &labelsOk));
    if (labelsOk && att->haveLabels) PetscCall(ReportLabels(ts, att, att->labels, labelsNow, start, "between the previous step and this one"));
    att->haveLabels = PETSC_FALSE;
  }
  PetscCall(Replaced(ts, att->identity, now, &replaced));
  if (!replaced.empty()) {
    PetscCall(NotCompared(ts, att, start, what, "they replaced " + replaced + " (TSReset(), TSSetSolution(), TSSolve() with another Vec, or another object composed): taking them again would replace the run's objects a second time"));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(TSFindUndeclaredComposed(ts, &composed));
  TSConvergedReason reason = ts->reason;
  PetscInt          reject = ts->reject, retries = att->snap->retries, snesIts = ts->snes_its, kspIts = ts->ksp_its, snesFail = ts->num_snes_failures;
  auto              keepStatistics = [&]() { /* the run's statistics are the run's: the retake does not count */
    ts->reject            = reject;
    att->snap->retries    = retries;
    ts->snes_its          = snesIts;
    ts->ksp_its           = kspIts;
    ts->num_snes_failures = snesFail;
  };

  PetscCall(Guard(ts, "capturing the state of the run", [&]() { return WithComposed(ts, att->takes[0], composed, PETSC_FALSE); }, &why));
  if (!why.empty()) {
    PetscCall(NotCompared(ts, att, start, what, why));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(HoldSolutions(ts, &held));
  PetscCall(Guard(ts, "the previous step and its callbacks taken again", [&]() -> PetscErrorCode {
    PetscFunctionBegin;
    PetscCall(TSAttachRestoreStart(att, ts, PETSC_FALSE)); /* the start of the previous step, clock included */
    start         = ts->ptime;
    att->retaking = PETSC_TRUE;
    ierr          = TSStep(ts);
    att->retaking = PETSC_FALSE;
    keepStatistics();
    PetscCall(ierr);
    PetscCall(TSPostEvaluate(ts));
    PetscCall(TSPostStep(ts));
    PetscCall(TSMonitor(ts, ts->steps, ts->ptime, ts->vec_sol));
    PetscCall(TSPreStep(ts));
    PetscFunctionReturn(PETSC_SUCCESS);
  }, &why));
  att->retaking = PETSC_FALSE;
  keepStatistics();
  if (why.empty()) PetscCall(Guard(ts, "listing the objects of the TS", [&]() { return GetIdentity(ts, &after); }, &why));
  if (why.empty()) {
    PetscCall(Replaced(ts, now, after, &replaced));
    if (!replaced.empty()) PetscCallCXX(why = "taken again, they replaced " + replaced + " (the run did not, the step before)");
  }
  if (why.empty()) {
    PetscCall(TSFindUndeclaredComposed(ts, &composed)); /* the same objects (Replaced() saw none replaced) */
    PetscCall(Guard(ts, "capturing and comparing the retake", [&]() -> PetscErrorCode {
      PetscFunctionBegin;
      PetscCall(WithComposed(ts, att->takes[1], composed, PETSC_FALSE));
      PetscCall(PetscSnapshotCompare_Internal(att->takes[0], att->takes[1], &first));
      PetscFunctionReturn(PETSC_SUCCESS);
    }, &why));
  }
  if (!why.empty()) PetscCall(NotCompared(ts, att, start, what, why));
  else PetscCall(Report(ts, att, first, start, what));
  PetscCall(Guard(ts, "giving the TSs their solution Vecs back", [&]() { return ReleaseSolutions(&held, PETSC_TRUE); }, &why));
  if (!why.empty()) PetscCall(NotCompared(ts, att, start, what, why));
  PetscCall(PutBack(ts, att, att->takes[0], reason, start, what)); /* continue from the state of the run */
  {
    bool labelsOk;
    PetscCall(LabelsNow(ts, &att->labels, &labelsOk));
    att->haveLabels = labelsOk ? PETSC_TRUE : PETSC_FALSE;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
