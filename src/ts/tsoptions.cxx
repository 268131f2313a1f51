/* The options of the TS attachment: -ts_snapshot on the TS, -snapshot_test_restep on a snapshot attached to a TS
   (offered only there). */
#include "../include/snapshotimpl.hpp"

/* Called by PetscSnapshotSetTS() on a snapshot's first attachment: -snapshot_test_restep, which
   PetscSnapshotSetFromOptions() offers only once attached, is read (and listed by -help) now if the application
   called PetscSnapshotSetFromOptions() before attaching. */
PetscErrorCode PetscSnapshotAttachedOptions_Internal(PetscSnapshot snap)
{
  PetscFunctionBegin;
  if (snap->attachedToTS) PetscFunctionReturn(PETSC_SUCCESS);
  snap->attachedToTS = PETSC_TRUE;
  if (!snap->fromOptions) PetscFunctionReturn(PETSC_SUCCESS);
  /* not PetscObjectOptionsBegin(): -help lists an object's options once, and they were listed by SetFromOptions */
  PetscOptionsBegin(PetscObjectComm((PetscObject)snap), ((PetscObject)snap)->prefix, "PetscSnapshot options once attached to a TS", "PetscSnapshot");
  {
    PetscBool flg, set;

    PetscCall(PetscOptionsBool("-snapshot_test_restep", "Take every step of the attached TS twice and compare the results bitwise", "PetscSnapshotSetTestRestep", snap->testRestep, &flg, &set));
    if (set) PetscCall(PetscSnapshotSetTestRestep(snap, flg));
  }
  PetscOptionsEnd();
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotTSSetFromOptions - Attaches a snapshot to a `TS` if the options database asks for it

  Collective

  Input Parameter:
. ts - the time stepper, after `TSSetFromOptions()`

  Output Parameter:
. snap - the attached snapshot, or NULL when none was asked for (the argument may be NULL)

  Options Database Keys:
+ -ts_snapshot          - attach a snapshot (`PetscSnapshotSetTS()`)
- -ts_snapshot_test_restep - and check completeness (`PetscSnapshotSetTestRestep()`); the snapshot's own options
                          take the prefix of the `TS` followed by "ts_", e.g. -ts_snapshot_view

  Notes:
  The snapshot returned is borrowed: the `TS` owns it and destroys it with itself (`TSDestroy()`). Do not destroy it;
  if you do, `PetscSnapshotDestroy()` only sets your pointer to NULL, and the `TS` goes on using the snapshot. To keep
  the snapshot beyond the `TS`, take a reference of your own with `PetscObjectReference()` and destroy that one.

  Level: beginner

.seealso: `PetscSnapshotSetTS()`, `PetscSnapshotSetTestRestep()`
@*/
PetscErrorCode PetscSnapshotTSSetFromOptions(TS ts, PetscSnapshot *snap)
{
  PetscBool   attach = PETSC_FALSE, restep = PETSC_FALSE;
  const char *prefix;

  PetscFunctionBegin;
  PetscCheck(ts && ((PetscObject)ts)->classid == TS_CLASSID, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "PetscSnapshotTSSetFromOptions: argument 1 is not a TS");
  if (snap) *snap = nullptr;
  PetscCall(PetscObjectGetOptionsPrefix((PetscObject)ts, &prefix));
  /* listed by -help, with the TS's prefix (not PetscObjectOptionsBegin(): TSSetFromOptions() already listed the TS's) */
  PetscOptionsBegin(PetscObjectComm((PetscObject)ts), prefix, "petsc-snapshot attachment of a TS", "TS");
  PetscCall(PetscOptionsBool("-ts_snapshot", "Attach a petsc-snapshot that rolls back every rejected step", "PetscSnapshotTSSetFromOptions", attach, &attach, nullptr));
  PetscCall(PetscOptionsBool("-ts_snapshot_test_restep", "Attach a petsc-snapshot and take every step twice, comparing bitwise", "PetscSnapshotSetTestRestep", restep, &restep, nullptr));
  PetscOptionsEnd();
  if (!attach && !restep) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscSnapshotTSAttachFromOptions_Internal(ts, snap));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Attach a snapshot set from the options with the prefix of the TS followed by "ts_", unless one is attached already
   (a program loading the package with -dll_append attached it in TSSetFromOptions(), then calls
   PetscSnapshotTSSetFromOptions() itself): the snapshot is borrowed, the TS holds it. */
PetscErrorCode PetscSnapshotTSAttachFromOptions_Internal(TS ts, PetscSnapshot *snap)
{
  const char   *prefix;
  PetscSnapshot s;
  DM            dm;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotTSGetAttached_Internal(ts, &s));
  if (!s) {
    PetscCall(TSGetDM(ts, &dm)); /* a program without a DM of its own gets the TS's default one now, as TSSetUp() would */
    PetscCall(PetscObjectGetOptionsPrefix((PetscObject)ts, &prefix));
    PetscCall(PetscSnapshotCreate(PetscObjectComm((PetscObject)ts), &s));
    PetscCall(PetscSnapshotSetOptionsPrefix(s, prefix));
    PetscCall(PetscSnapshotAppendOptionsPrefix(s, "ts_"));
    PetscCall(PetscSnapshotSetFromOptions(s));
    PetscCall(PetscSnapshotSetTS(s, ts));
    PetscCall(PetscSnapshotDestroy(&s)); /* the TS holds it */
    PetscCall(PetscSnapshotTSGetAttached_Internal(ts, &s));
  }
  if (snap) *snap = s;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotSetTestRestep - Makes an attached `TS` take every step twice from the captured state and compare the two
  results bitwise: a completeness check of what is declared

  Logically Collective

  Input Parameters:
+ snap - the snapshot attached with `PetscSnapshotSetTS()`
- flg  - `PETSC_TRUE` to check

  Options Database Key:
. -snapshot_test_restep - turn the check on; offered by `PetscSnapshotSetFromOptions()` once the snapshot is attached
                          to a `TS`, and by `PetscSnapshotSetTS()` when `PetscSnapshotSetFromOptions()` came first

  Notes:
  If state that influences a step is not captured (an undeclared counter, a history Vec, a cache), the second take
  starts from a different state and the results differ: the report names the captured objects that differ (in DM and
  name order), for example `DM "mesh" state "ts", DM "mesh" state "ts" (solution)`: the solution, which DM's
  coordinates, which swarm field, which declared state. Every step is taken twice, and both takes start from
  a restarted method (`TSRestartStep()`), so the run is not the same as without the check (for multistep methods it
  stays at first order). When a post-step, post-evaluate or pre-step callback or a monitor is set, what `TSSolve()` runs
  between two steps is checked too: the previous step is taken again followed by `TSPostEvaluate()`, `TSPostStep()`,
  `TSMonitor()` and `TSPreStep()`, and compared with the state of the run. Objects composed on the `TS` (a TS, Vec or
  DM, as PETSc's ex77 composes its particle `TS` under "_SwarmTS") that are not declared are reported, by the name they
  are composed under, when they change during a step or between steps: no retry or restore rolls them back. Each
  difference names the lowest rank where it occurs and the index of the first differing value there. Use it while
  developing. `PetscSnapshotGetTSCounts()` returns the counts.

  Level: intermediate

.seealso: `PetscSnapshotSetTS()`, `PetscSnapshotGetTSCounts()`
@*/
PetscErrorCode PetscSnapshotSetTestRestep(PetscSnapshot snap, PetscBool flg)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  snap->testRestep = flg;
  PetscFunctionReturn(PETSC_SUCCESS);
}

