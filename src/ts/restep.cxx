/* The restep check of an attached TS (-snapshot_test_restep): every step is taken twice from the captured start and
   the two results compared bitwise; what TSSolve() runs between two steps (TSPostEvaluate(), TSPostStep(), the
   monitors, TSPreStep()) is taken again too, after the previous step.

   Undeclared state can only be seen when it is captured. The objects an application composes on its TS (PETSc's own
   ex77 composes its particle TS as "_SwarmTS" and, in older versions, the particles' solution as "_SwarmSol") are
   therefore captured by the check when they are not declared: a TS (clock and solution) and its DM when that is
   another DM, a DM, a Vec. Such an object that changes during a step or between two steps is state that no retry and
   no restore rolls back: it is reported by the key it is composed under, whether or not the two takes differ (a second
   TS that is already at the time it is pushed to does nothing in the second take). The takes capture them too, and
   the run continues with them as they were after the first take, so that the check does not advance them twice. */
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

struct Composed {
  std::string key; /* the temporary declaration key */
  PetscObject obj;
};

static bool Contains(const std::vector<PetscObject> &objs, PetscObject o)
{
  for (PetscObject p : objs)
    if (p == o) return true;
  return false;
}

/* The objects composed on ts, of a kind a snapshot captures, that are not declared on ts's DM. */
static PetscErrorCode FindUndeclaredComposed(TS ts, std::vector<Composed> *found)
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
    PetscCallCXX(found->push_back(Composed{name + " (composed on the TS, not declared)", obj}));
    PetscCallCXX(known.push_back(obj));
    if (obj->classid == TS_CLASSID) { /* a second TS: its state is in its DM too (a swarm pushed by it) */
      DM dm = ((TS)obj)->dm;
      if (dm && !Contains(known, (PetscObject)dm)) {
        PetscCallCXX(found->push_back(Composed{name + " (the DM of this TS composed on the TS, not declared)", (PetscObject)dm}));
        PetscCallCXX(known.push_back((PetscObject)dm));
      }
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode DeclareComposed(DM dm, const std::vector<Composed> &composed, PetscBool declare)
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
  PetscCall(DeclareComposed(ts->dm, composed, PETSC_TRUE));
  ierr = restore ? PetscSnapshotRestore(take, ts->dm) : PetscSnapshotCapture(take, ts->dm);
  PetscCall(DeclareComposed(ts->dm, composed, PETSC_FALSE));
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

/* The undeclared composed objects alone, captured on a scratch DM named as the TS's DM, into composed[which] */
static PetscErrorCode CaptureComposed(TS ts, Attachment *att, const std::vector<Composed> &composed, int which)
{
  const char    *name;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  if (!att->scratch) PetscCall(DMShellCreate(PetscObjectComm((PetscObject)ts), &att->scratch));
  PetscCall(PetscObjectGetName((PetscObject)ts->dm, &name));
  PetscCall(PetscObjectSetName((PetscObject)att->scratch, name));
  PetscCall(DeclareComposed(att->scratch, composed, PETSC_TRUE));
  ierr = PetscSnapshotCapture(att->composed[which], att->scratch);
  PetscCall(DeclareComposed(att->scratch, composed, PETSC_FALSE));
  PetscCall(ierr);
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Report what changed from composed[from] to composed[to] */
static PetscErrorCode ReportComposed(TS ts, Attachment *att, int from, int to, PetscReal start, const char when[])
{
  std::string first;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotCompare_Internal(att->composed[from], att->composed[to], &first));
  if (first.empty()) PetscFunctionReturn(PETSC_SUCCESS);
  att->snap->restepMismatches++;
  PetscCallCXX(*att->snap->restepFirst = first);
  PetscCall(PetscPrintf(PetscObjectComm((PetscObject)ts), "PetscSnapshot restep check, step from t = %g: %s changed %s: state that no retry or restore rolls back (declare it with PetscSnapshotDMAddState())\n", (double)start, first.c_str(), when));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The step from the captured start (snap), taken twice, both from a restarted method so that they do the same
   arithmetic (see docs/ts.md); the results compared. The run continues from the first take when undeclared composed
   objects were captured (the second take changed them again), else from the second (equal when the check passes). */
PetscErrorCode TSRestepCheckStep(TS ts, Attachment *att)
{
  TSConvergedReason     reason = ts->reason;
  PetscReal             start  = ts->ptime;
  std::string           first;
  std::vector<Composed> composed;

  PetscFunctionBegin;
  PetscCall(EnsureTakes(ts, att));
  PetscCall(FindUndeclaredComposed(ts, &composed));
  /* the undeclared composed objects now, and after the first take: what changed between steps and in this one? */
  if (!composed.empty()) PetscCall(CaptureComposed(ts, att, composed, 0));
  for (int take = 0; take < 2; take++) {
    if (take == 1) {
      PetscCall(TSAttachRestoreStart(att, ts, PETSC_FALSE));
      ts->reason = reason;
    } else PetscCall(TSRestartStep(ts));
    PetscCall(TSAttachTakeStep(ts, att));
    PetscCall(WithComposed(ts, att->takes[take], composed, PETSC_FALSE));
    if (take == 0 && !composed.empty()) {
      if (att->haveAfter) PetscCall(ReportComposed(ts, att, 1, 0, start, "between the previous step and this one"));
      PetscCall(CaptureComposed(ts, att, composed, 1));
    }
  }
  att->haveAfter = composed.empty() ? PETSC_FALSE : PETSC_TRUE;
  PetscCall(PetscSnapshotCompare_Internal(att->takes[0], att->takes[1], &first));
  att->snap->restepChecks++;
  PetscCall(Report(ts, att, first, start, ""));
  if (!composed.empty()) PetscCall(ReportComposed(ts, att, 0, 1, start, "during the step"));
  if (!composed.empty()) PetscCall(WithComposed(ts, att->takes[0], composed, PETSC_TRUE));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* What happens between two steps under TSSolve(): the previous step is taken again from its start (held in snap) with
   TSStep() and followed by the callbacks TSSolve() runs before this step (TSPostEvaluate(), TSPostStep(), the monitors,
   TSPreStep()); the result is compared with the state now, and the state now is put back. Only when such callbacks
   are set: without them the per-step check already covers everything. */
PetscErrorCode TSRestepCheckBetweenSteps(TS ts, Attachment *att)
{
  PetscErrorCode        ierr;
  PetscReal             start;
  std::string           first;
  std::vector<Composed> composed;

  PetscFunctionBegin;
  if (!ts->prestep && !ts->poststep && !ts->postevaluate && !ts->numbermonitors) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(EnsureTakes(ts, att));
  PetscCall(TSAttachEnsureDeclared(ts));
  PetscCall(FindUndeclaredComposed(ts, &composed));
  TSConvergedReason reason = ts->reason;
  PetscInt          reject = ts->reject, retries = att->snap->retries, snesIts = ts->snes_its, kspIts = ts->ksp_its, snesFail = ts->num_snes_failures;

  PetscCall(WithComposed(ts, att->takes[0], composed, PETSC_FALSE));      /* the state now */
  PetscCall(TSAttachRestoreStart(att, ts, PETSC_FALSE)); /* the start of the previous step, clock included */
  start         = ts->ptime;
  att->retaking = PETSC_TRUE;
  ierr          = TSStep(ts);
  att->retaking = PETSC_FALSE;
  PetscCall(ierr);
  /* the run's statistics are the run's: the retake does not count */
  ts->reject            = reject;
  att->snap->retries    = retries;
  ts->snes_its          = snesIts;
  ts->ksp_its           = kspIts;
  ts->num_snes_failures = snesFail;
  PetscCall(TSPostEvaluate(ts));
  PetscCall(TSPostStep(ts));
  PetscCall(TSMonitor(ts, ts->steps, ts->ptime, ts->vec_sol));
  PetscCall(TSPreStep(ts));
  PetscCall(WithComposed(ts, att->takes[1], composed, PETSC_FALSE));
  PetscCall(PetscSnapshotCompare_Internal(att->takes[0], att->takes[1], &first));
  PetscCall(Report(ts, att, first, start, " with its post-evaluate, post-step, monitors and the next pre-step"));
  PetscCall(WithComposed(ts, att->takes[0], composed, PETSC_TRUE)); /* continue from the state of the run */
  ts->reason = reason;
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
