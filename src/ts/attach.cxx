/* TS integration: a snapshot attached to a TS captures the state of the TS's DM (the TS itself declared on it) at the
   start of every step, and restores it before every retry of a rejected step, whoever rejected it (the adaptor's
   error estimate, a TSAdaptSetCheckStage() check, a failed nonlinear solve).

   How: TS rejects steps inside ts->ops->step, where neither pre-step nor post-step callbacks see it. A retry is visible
   in the pre-stage callback as a change of the rejection counter. Three anchors, each of which re-installs the others:
   - the pre-stage callback (TSSetPreStage() is PETSc's extension point; the user's own pre-stage is chained after
     ours): restores before the first stage of a retry, and captures at the first stage of a step that began without
     the step wrapper (the type was set or changed after attaching: TSSetType() resets ts->ops);
   - ts->ops->step, wrapped: the only code that runs at the start of every TSStep() (TSPreStep() runs from TSSolve()
     only), and that sees the end of the step: it captures, runs the restep check, and raises an error when the method
     retried a rejected step without passing through TSPreStage() (so that an unsupported method is never silently
     wrong). Why an ops entry is wrapped at all is in docs/design.md;
   - the adaptor's check-stage, which finds a step that neither of the others saw begin.
   A step undone by TSRollBack() (an event located inside it, or the application) is restored whole before it is
   taken again: PETSc rolls back the solution only (TSRK and others up to round-off).
   TSClone() copies ts->ops but not composed objects: a clone (PETSc's ARKIMEX makes one to start implicit equations)
   finds the method's own step in a table by type name and runs unattached. */
#include "attach.hpp"

#include <map>

namespace petscsnapshot
{

static const char attachmentName[] = "PetscSnapshotTSAttachment";
static const char tsKey[]          = "ts";

/* The method's own step function for each TS type we wrapped, for clones of an attached TS (not PETSc memory). */
static std::map<std::string, StepFn> &OriginalSteps()
{
  static std::map<std::string, StepFn> table;
  return table;
}

/* The reference an attachment holds on its snapshot, counted apart (tsHolds): a PetscSnapshotDestroy() of the
   borrowed snapshot PetscSnapshotTSSetFromOptions() returns must not release it (the TS would use a freed object). */
static PetscErrorCode HoldSnapshot(PetscSnapshot snap)
{
  PetscFunctionBegin;
  PetscCall(PetscObjectReference((PetscObject)snap));
  snap->tsHolds++;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode ReleaseSnapshot(PetscSnapshot *snap)
{
  PetscFunctionBegin;
  if (*snap) (*snap)->tsHolds--;
  PetscCall(PetscSnapshotDestroy(snap));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode ReleaseHeldComposed(Attachment *att)
{
  PetscFunctionBegin;
  for (Composed &c : att->held) PetscCall(PetscObjectDereference(c.obj));
  att->held.clear();
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode DestroyAttachment(PetscSnapshotContainerCtxArg arg)
{
  Attachment *att = static_cast<Attachment *>(PetscSnapshotContainerCtxGet(arg));

  PetscFunctionBegin;
  PetscCall(ReleaseHeldComposed(att));
  PetscCall(TSRestepDestroy(att));
  PetscCall(ReleaseSnapshot(&att->snap));
  delete att;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode GetAttachment(TS ts, Attachment **att)
{
  PetscContainer container;

  PetscFunctionBegin;
  *att = nullptr;
  PetscCall(PetscObjectQuery((PetscObject)ts, attachmentName, (PetscObject *)&container));
  if (container) PetscCall(PetscContainerGetPointer(container, (void **)att));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode StepWithSnapshot(TS);
static PetscErrorCode PreStageWithSnapshot(TS, PetscReal);
static PetscErrorCode CheckStageWithSnapshot(TSAdapt, TS, PetscReal, Vec, PetscBool *);

typedef PetscErrorCode (*CheckStageFn)(TSAdapt, TS, PetscReal, Vec, PetscBool *);
static const char userCheckStageName[] = "PetscSnapshotUserCheckStage";

/* The user's check-stage, chained after ours, lives on the adaptor: PETSc's clones of a TS share its adaptor. */
static PetscErrorCode GetUserCheckStage(TSAdapt adapt, CheckStageFn *fn)
{
  PetscContainer container;
  void          *ptr = nullptr;

  PetscFunctionBegin;
  *fn = nullptr;
  PetscCall(PetscObjectQuery((PetscObject)adapt, userCheckStageName, (PetscObject *)&container));
  if (container) PetscCall(PetscContainerGetPointer(container, &ptr));
  if (ptr) *fn = *(CheckStageFn *)ptr;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode FreeCheckStageBox(PetscSnapshotContainerCtxArg arg)
{
  delete static_cast<CheckStageFn *>(PetscSnapshotContainerCtxGet(arg));
  return PETSC_SUCCESS;
}

static PetscErrorCode SetUserCheckStage(TSAdapt adapt, CheckStageFn fn)
{
  PetscContainer container;
  CheckStageFn  *box;

  PetscFunctionBegin;
  PetscCallCXX(box = new CheckStageFn(fn));
  PetscCall(PetscContainerCreate(PETSC_COMM_SELF, &container));
  PetscCall(PetscContainerSetPointer(container, box));
  PetscCall(PetscSnapshotContainerSetDestroy(container, FreeCheckStageBox));
  PetscCall(PetscObjectCompose((PetscObject)adapt, userCheckStageName, (PetscObject)container));
  PetscCall(PetscContainerDestroy(&container));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Put our wrappers back if TSSetType() or TSSetPreStage() replaced them since we last looked. */
static PetscErrorCode Install(TS ts, Attachment *att)
{
  PetscFunctionBegin;
  if (ts->ops->step && ts->ops->step != StepWithSnapshot) {
    const char *type = ((PetscObject)ts)->type_name;
    att->step        = ts->ops->step;
    if (type) PetscCallCXX(OriginalSteps()[type] = att->step);
    ts->ops->step = StepWithSnapshot;
  }
  if (ts->prestage != PreStageWithSnapshot) {
    att->userPreStage = ts->prestage;
    ts->prestage      = PreStageWithSnapshot;
  }
  if (ts->adapt && ts->adapt->checkstage != CheckStageWithSnapshot) {
    PetscCall(SetUserCheckStage(ts->adapt, ts->adapt->checkstage));
    ts->adapt->checkstage = CheckStageWithSnapshot;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The TS is declared on the DM it has now (TSSetDM() after attaching gives it another one). */
PetscErrorCode TSAttachEnsureDeclared(TS ts)
{
  PetscObject declared;

  PetscFunctionBegin;
  PetscCheck(ts->dm, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshot attached to a TS: the TS has no DM");
  PetscCall(PetscSnapshotDMGetState(ts->dm, tsKey, &declared));
  PetscCheck(!declared || declared == (PetscObject)ts, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshot attached to a TS: the key \"%s\" of the TS's DM holds another object", tsKey);
  if (!declared) PetscCall(PetscSnapshotDMAddState(ts->dm, tsKey, (PetscObject)ts));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Capture the start of a step and watch its retries. */
static PetscErrorCode BeginStep(TS ts, Attachment *att, PetscBool wrapped)
{
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(TSAttachEnsureDeclared(ts));
  PetscCall(ReleaseHeldComposed(att));
  if (att->snap->tsComposed) { /* what the TS carries besides its DM: declared while captured, held until the next step */
    PetscCall(TSFindUndeclaredComposed(ts, &att->held));
    for (Composed &c : att->held) PetscCall(PetscObjectReference(c.obj));
  }
  PetscCall(TSDeclareComposed(ts->dm, att->held, PETSC_TRUE));
  ierr = PetscSnapshotCapture(att->snap, ts->dm);
  PetscCall(TSDeclareComposed(ts->dm, att->held, PETSC_FALSE));
  PetscCall(ierr);
  att->active  = PETSC_TRUE;
  att->lost    = PETSC_FALSE;
  att->wrapped = wrapped;
  att->steps   = ts->steps;
  att->ptime   = ts->ptime;
  att->reject  = ts->reject;
  att->rolled  = 0;
  att->started  = PETSC_TRUE;
  att->lazyOpen = wrapped ? PETSC_FALSE : PETSC_TRUE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Restore the start of the step; on a retry this TS keeps its clock, new time step and history (its solution only);
   any other TS declared on the DM (a particle TS) is restored whole. */
PetscErrorCode TSAttachRestoreStart(Attachment *att, TS ts, PetscBool retry)
{
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(TSDeclareComposed(ts->dm, att->held, PETSC_TRUE)); /* the composed objects captured with the start */
  tsKeepClock = retry ? ts : nullptr;
  ierr        = PetscSnapshotRestore(att->snap, ts->dm);
  tsKeepClock = nullptr;
  PetscCall(TSDeclareComposed(ts->dm, att->held, PETSC_FALSE));
  PetscCall(ierr);
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode PreStageWithSnapshot(TS ts, PetscReal stageTime)
{
  Attachment *att;

  PetscFunctionBegin;
  PetscCall(GetAttachment(ts, &att));
  if (!att) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(Install(ts, att)); /* a TSSetType() since the last step: wrap the new method's step for the next steps */
  if (att->lost && att->steps == ts->steps && att->ptime == ts->ptime) {
    /* a step neither captured by the step wrapper nor at its first stage: found again by the check-stage */
    PetscCheck(ts->reject == att->lostReject, PETSC_COMM_SELF, PETSC_ERR_ORDER, "PetscSnapshot attached to a TS: a rejected attempt of step %" PetscInt_FMT " cannot be rolled back: the attachment was replaced (TSSetType() and TSSetPreStage() after PetscSnapshotSetTS()) and found again only during the step; call PetscSnapshotSetTS() again after them", ts->steps);
  } else if (!att->wrapped && (!att->active || att->steps != ts->steps || att->ptime != ts->ptime)) {
    /* the first stage of a step that began without the step wrapper: its start is now */
    att->lost = PETSC_FALSE;
    PetscCall(PetscInfo(att->snap, "step %" PetscInt_FMT " began without the step wrapper (TS type set after attaching): captured at its first stage\n", ts->steps));
    PetscCall(BeginStep(ts, att, PETSC_FALSE));
  } else if (att->active && ts->reject != att->reject) { /* a rejected step is about to be retried */
    att->reject = ts->reject;
    PetscCall(TSAttachRestoreStart(att, ts, PETSC_TRUE));
    att->rolled++;
    att->snap->retries++;
  }
  if (att->userPreStage) PetscCall((*att->userPreStage)(ts, stageTime));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Third anchor, in the adaptor: sees every stage of the methods that check stages. Re-installs the other two; a step
   that neither of them saw begin cannot be rolled back, which the next retry reports. */
static PetscErrorCode CheckStageWithSnapshot(TSAdapt adapt, TS ts, PetscReal t, Vec Y, PetscBool *accept)
{
  Attachment  *att;
  CheckStageFn user;

  PetscFunctionBegin;
  PetscCall(GetAttachment(ts, &att));
  if (att) {
    PetscBool watched = (PetscBool)(att->active && (att->wrapped || (att->steps == ts->steps && att->ptime == ts->ptime)));
    if (!watched && !(att->lost && att->steps == ts->steps && att->ptime == ts->ptime)) {
      PetscCall(PetscInfo(att->snap, "step %" PetscInt_FMT " began unwatched (TSSetType() and TSSetPreStage() after attaching): re-attached for the next steps\n", ts->steps));
      att->lost       = PETSC_TRUE;
      att->active     = PETSC_FALSE;
      att->steps      = ts->steps;
      att->ptime      = ts->ptime;
      att->lostReject = ts->reject;
    }
    PetscCall(Install(ts, att));
  }
  PetscCall(GetUserCheckStage(adapt, &user));
  if (user) PetscCall((*user)(adapt, ts, t, Y, accept));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The method's step with the pre-stage watching for retries; afterwards, every retry must have been rolled back. */
PetscErrorCode TSAttachTakeStep(TS ts, Attachment *att)
{
  PetscErrorCode ierr;
  PetscInt       start = ts->reject, unrolled;

  PetscFunctionBegin;
  att->active  = PETSC_TRUE;
  att->wrapped = PETSC_TRUE;
  att->reject  = ts->reject;
  att->rolled  = 0;
  att->lost    = PETSC_FALSE;
  ierr         = (*att->step)(ts);
  att->active  = PETSC_FALSE;
  att->wrapped = PETSC_FALSE;
  PetscCall(ierr);
  /* a step that ends rejected (ts->reason < 0) was not retried after its last rejection */
  unrolled = (ts->reject - start) - att->rolled - (ts->reason < 0 && ts->reject > start ? 1 : 0);
  PetscCheck(unrolled <= 0, PETSC_COMM_SELF, PETSC_ERR_SUP, "PetscSnapshot attached to a TS of type %s: %" PetscInt_FMT " rejected attempt(s) of step %" PetscInt_FMT " were retried without TSPreStage() being called before the retry, so the snapshot could not roll them back; this TS type is not supported by PetscSnapshotSetTS() (see docs/ts.md)", ((PetscObject)ts)->type_name, unrolled, ts->steps);
  if (ts->reason < 0 && att->started && att->steps == ts->steps && att->ptime == ts->ptime) {
    /* a failed step (TSSSP overwrites the solution before its stage check rejects): leave the start of the step, so
       that an application that catches the failure and steps again retries from it */
    PetscCall(PetscInfo(att->snap, "step %" PetscInt_FMT " failed (%s): its start restored\n", ts->steps, TSConvergedReasons[ts->reason]));
    PetscCall(TSAttachRestoreStart(att, ts, PETSC_TRUE));
    att->snap->retries++;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode StepWithSnapshot(TS ts)
{
  Attachment *att;

  PetscFunctionBegin;
  PetscCall(GetAttachment(ts, &att));
  if (!att) { /* a clone of an attached TS (TSClone() copies ts->ops): not attached, run the method's own step */
    const char *type = ((PetscObject)ts)->type_name;
    StepFn      step = nullptr;

    if (type) {
      auto it = OriginalSteps().find(type);
      if (it != OriginalSteps().end()) step = it->second;
    }
    PetscCheck(step, PETSC_COMM_SELF, PETSC_ERR_PLIB, "TS of type %s has the step of a snapshot attachment but no attachment, and its method's own step is unknown", type ? type : "(none)");
    ts->ops->step = step;
    PetscCall((*step)(ts));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(Install(ts, att));
  if (att->retaking) { /* the restep check takes the previous step again, from its start (still in snap) */
    PetscCall(TSAttachTakeStep(ts, att));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  if ((ts->steprollback || att->lazyOpen) && att->started && att->steps == ts->steps && att->ptime == ts->ptime) {
    /* TSRollBack() undid the step that began here (snap holds its start), or that step began without the step wrapper
       (the type was set after attaching) and failed: restore it whole, keep the new clock */
    PetscCall(PetscInfo(att->snap, "step %" PetscInt_FMT " was rolled back with TSRollBack() or failed: its start restored\n", ts->steps));
    PetscCall(TSAttachRestoreStart(att, ts, PETSC_TRUE));
    att->snap->retries++;
    att->havePrev = PETSC_FALSE; /* the previous step was undone: nothing between steps to check */
  }
  if (att->snap->testRestep && att->havePrev) PetscCall(TSRestepCheckBetweenSteps(ts, att));
  PetscCall(BeginStep(ts, att, PETSC_TRUE));
  att->havePrev = att->snap->testRestep;
  if (att->snap->testRestep) PetscCall(TSRestepCheckStep(ts, att)); /* completeness check: the step taken twice */
  else PetscCall(TSAttachTakeStep(ts, att));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot

using namespace petscsnapshot;

/*@
  PetscSnapshotSetTS - Attaches a snapshot to a `TS`: the state is captured at the start of every step, and restored
  before every retry of a rejected step

  Collective

  Input Parameters:
+ snap - the snapshot
- ts   - the time stepper; it must have a `DM` (`TSSetDM()`)

  Notes:
  What is captured is the `TS`'s `DM` with everything declared on it: the `TS` itself is declared as its state under
  the key "ts" (time, time step, step number, solution), and whatever else you declared with
  `PetscSnapshotDMAddState()` — auxiliary `Vec`s, user structs, a swarm advected in a post-stage callback (declare the
  swarm on the mesh: it is then captured, with its particles, as a sub-`DM`).

  Rejections happen inside the method's step, whoever rejects: the adaptor's error estimate, a check installed with
  `TSAdaptSetCheckStage()`, a failed nonlinear solve. Before the retry, everything is restored except the `TS`'s clock,
  the adaptor's new time step and the method's own history, so that the retry starts from bitwise the same state as the
  first attempt. Which methods then give a run with rejections equal, bitwise, to a run that takes the accepted steps
  directly is measured per method in docs/ts.md (for example `TSRK` and `TSARKIMEX`, whose own retry subtracts the
  rejected update and is exact only up to round-off; not `TSBDF`, which gives a retry another initial guess).

  Call it at any point of the setup: before or after `TSSetType()`, `TSSetFromOptions()`, `TSSetUp()`. The attachment
  chains itself into the pre-stage callback (yours is still called, after the restore), the adaptor's check-stage
  (yours too) and the method's step function; each re-installs the others, so `TSSetType()`, `TSSetPreStage()`,
  `TSAdaptSetCheckStage()`, `TSReset()` or `TSSetSolution()` afterwards keep it working. A rejected attempt that cannot
  be rolled back (a method retrying without calling `TSPreStage()`, or both `TSSetType()` and `TSSetPreStage()` after
  attaching) is an error, never a silent retry. A `TS` type without a step function (`TSGLLE`, which runs its own
  `TSSolve()` loop) is refused. A step that fails (`TSGetConvergedReason()` < 0) is restored to its start, clock kept,
  and so is a step undone by `TSRollBack()` (the event handler of `TSSolve()`) before it is taken again. Another `TS`
  declared on the `DM` (a particle `TS`) is restored whole at a retry, clock included. Calling it again with another
  snapshot replaces the snapshot. The `TS` holds a reference to the snapshot; destroying the `TS` releases it.

  Options Database Key:
. -snapshot_test_restep - take every step twice from the captured state and report the first captured object whose
                          two results differ (`PetscSnapshotSetTestRestep()`); read here, on the first attachment, if
                          `PetscSnapshotSetFromOptions()` was called before (it offers the option only once attached)

  Level: beginner

.seealso: `PetscSnapshotTSSetFromOptions()`, `PetscSnapshotSetTestRestep()`, `PetscSnapshotGetTSCounts()`, `PetscSnapshotDMAddState()`
@*/
PetscErrorCode PetscSnapshotSetTS(PetscSnapshot snap, TS ts)
{
  Attachment    *att;
  PetscContainer container;

  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(ts && ((PetscObject)ts)->classid == TS_CLASSID, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotSetTS: argument 2 is not a TS");
  PetscCheck(ts->dm, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshotSetTS: the TS has no DM (TSSetDM()); the snapshot captures the TS's DM");
  PetscCheck(!((PetscObject)ts)->type_name || ts->ops->step, PETSC_COMM_SELF, PETSC_ERR_SUP, "PetscSnapshotSetTS: TS type %s has no step function (it runs its own TSSolve() loop): its rejected steps cannot be rolled back, not supported", ((PetscObject)ts)->type_name);
  PetscCall(TSAttachEnsureDeclared(ts));
  PetscCall(GetAttachment(ts, &att));
  if (att) { /* attached already: the new snapshot replaces the old one */
    if (att->snap != snap) {
      PetscCall(HoldSnapshot(snap));
      PetscCall(ReleaseSnapshot(&att->snap));
      att->snap    = snap;
      att->active  = PETSC_FALSE; /* nothing of the current step is in the new snapshot */
      att->started = PETSC_FALSE;
    }
    PetscCall(Install(ts, att));
    PetscCall(PetscSnapshotAttachedOptions_Internal(snap));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCallCXX(att = new Attachment());
  att->snap = snap;
  PetscCall(HoldSnapshot(snap));
  PetscCall(PetscContainerCreate(PETSC_COMM_SELF, &container));
  PetscCall(PetscContainerSetPointer(container, att));
  PetscCall(PetscSnapshotContainerSetDestroy(container, DestroyAttachment));
  PetscCall(PetscObjectCompose((PetscObject)ts, attachmentName, (PetscObject)container));
  PetscCall(PetscContainerDestroy(&container));
  /* no type yet: the pre-stage captures the first step and wraps the step of the type set meanwhile */
  PetscCall(Install(ts, att));
  PetscCall(PetscSnapshotAttachedOptions_Internal(snap));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The snapshot attached to a TS, or NULL: borrowed. */
PetscErrorCode PetscSnapshotTSGetAttached_Internal(TS ts, PetscSnapshot *snap)
{
  Attachment *att;

  PetscFunctionBegin;
  PetscCall(GetAttachment(ts, &att));
  *snap = att ? att->snap : nullptr;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotGetTSCounts - Gets what an attached `TS` did with the snapshot

  Not Collective

  Input Parameter:
. snap - the snapshot attached with `PetscSnapshotSetTS()`

  Output Parameters:
+ retries    - rejected steps rolled back before their retry, failed steps restored to their start and steps undone by
               `TSRollBack()` restored before they were taken again (may be NULL)
. checks     - steps taken twice by the restep check and compared (may be NULL)
- mismatches - reports of the restep check: steps whose two takes differed, and undeclared objects composed on the
               `TS` that changed (may be NULL); comparisons it could not make are counted by
               `PetscSnapshotGetRestepNotCompared()`

  Level: intermediate

.seealso: `PetscSnapshotSetTS()`, `PetscSnapshotSetTestRestep()`, `PetscSnapshotGetRestepDifference()`, `PetscSnapshotGetRestepNotCompared()`
@*/
PetscErrorCode PetscSnapshotGetTSCounts(PetscSnapshot snap, PetscInt *retries, PetscInt *checks, PetscInt *mismatches)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  if (retries) *retries = snap->retries;
  if (checks) *checks = snap->restepChecks;
  if (mismatches) *mismatches = snap->restepMismatches;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotGetRestepDifference - Gets, after a restep check found two takes of a step that differ, the first
  captured array that differed

  Not Collective

  Input Parameter:
. snap - the snapshot attached with `PetscSnapshotSetTS()` and `PetscSnapshotSetTestRestep()`

  Output Parameter:
. first - the arrays that differed, for example `DM "mesh" state "ts" (solution) from index 3 on rank 1`; an empty string when no check failed
          (owned by the snapshot)

  Level: intermediate

.seealso: `PetscSnapshotSetTestRestep()`, `PetscSnapshotGetTSCounts()`
@*/
PetscErrorCode PetscSnapshotGetRestepDifference(PetscSnapshot snap, const char *first[])
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(first, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotGetRestepDifference: output argument is NULL");
  *first = snap->restepFirst->c_str();
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@C
  PetscSnapshotGetRestepNotCompared - Gets how many comparisons the restep check could not make, and why it could not
  make the last

  Not Collective

  Input Parameter:
. snap - the snapshot attached with `PetscSnapshotSetTS()` and `PetscSnapshotSetTestRestep()`

  Output Parameters:
+ count - comparisons not made (may be NULL)
- why   - the last of them with its reason, for example `step from t = 0.01 with its post-evaluate, post-step, monitors
          and the next pre-step: could not compare: they replaced the solution Vec of the TS (...)`; an empty string
          when every comparison was made (owned by the snapshot; may be NULL)

  Notes:
  The restep check never stops the run. What fails inside it after the run's own step — a restore refused because a
  callback replaced or resized an object, an error in a callback taken again, a capture or comparison that fails — is
  counted here and printed, and the run continues from its own state. Callbacks between two steps that replaced
  objects of the run (`TSReset()`, a new solution `Vec`, a composed `TS` solved with another `Vec`) are not taken again
  and are counted here too. See docs/ts.md, section 3.

  Level: intermediate

.seealso: `PetscSnapshotSetTestRestep()`, `PetscSnapshotGetTSCounts()`, `PetscSnapshotGetRestepDifference()`
@*/
PetscErrorCode PetscSnapshotGetRestepNotCompared(PetscSnapshot snap, PetscInt *count, const char *why[])
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  if (count) *count = snap->restepNotCompared;
  if (why) *why = snap->restepWhy->c_str();
  PetscFunctionReturn(PETSC_SUCCESS);
}
