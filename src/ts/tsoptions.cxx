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
  The snapshot attached this way also captures and rolls back the undeclared `TS`, `Vec` and `DM` objects composed on
  the `TS` (`PetscSnapshotSetTSComposed()`; -ts_snapshot_ts_composed false to leave them). If a snapshot is attached
  to the `TS` already (an earlier call, or -ts_snapshot read by `TSSetFromOptions()` in a program that loaded the
  package with -dll_append), that snapshot is set from the options again and returned. The snapshot returned is
  borrowed: the `TS` owns it and destroys it with itself (`TSDestroy()`). Do not destroy it;
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
  PetscOptionsEnd();
  /* attaches too; listed by -help as the attached snapshot's own -snapshot_test_restep (prefix ts_) */
  PetscCall(PetscOptionsGetBool(((PetscObject)ts)->options, prefix, "-ts_snapshot_test_restep", &restep, nullptr));
  if (!attach && !restep) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscSnapshotTSAttachFromOptions_Internal(ts, snap));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Attach a snapshot set from the options with the prefix of the TS followed by "ts_"; if one is attached already (a
   second call, or a program loading the package with -dll_append attached it in TSSetFromOptions(), then calls
   PetscSnapshotTSSetFromOptions() itself), set that one from the options again. The snapshot is borrowed, the TS
   holds it. */
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
    PetscCall(PetscSnapshotSetTSComposed(s, PETSC_TRUE)); /* a program attached from the command line declared nothing */
    PetscCall(PetscSnapshotSetFromOptions(s));
    PetscCall(PetscSnapshotSetTS(s, ts));
    PetscCall(PetscSnapshotDestroy(&s)); /* the TS holds it */
    PetscCall(PetscSnapshotTSGetAttached_Internal(ts, &s));
  } else PetscCall(PetscSnapshotSetFromOptions(s)); /* attached before: its options are read again, as PETSc's are */
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


/*@
  PetscSnapshotSetTSComposed - Makes an attached `TS` also capture, with the start of every step, the `TS`, `Vec` and
  `DM` objects composed on the `TS` that are not declared on its `DM`, and roll them back with it

  Logically Collective

  Input Parameters:
+ snap - the snapshot attached (or to be attached) with `PetscSnapshotSetTS()`
- flg  - `PETSC_TRUE` to capture them

  Options Database Key:
. -snapshot_ts_composed - capture them (on by default for a snapshot attached from the options database,
                          `PetscSnapshotTSSetFromOptions()` or -ts_snapshot in a program that loaded the package with
                          -dll_append: such a program declared nothing)

  Notes:
  The objects are those the restep check examines (`PetscSnapshotSetTestRestep()`): a second `TS` composed on the `TS`
  (as PETSc's ex77 composes its particle `TS` under "_SwarmTS") with its `DM`, a `Vec` or a `DM`, each found again at
  the start of every step (an object composed anew is captured from then on). A rejected step's retry, a failed step
  and an event's rollback restore them with the rest; a composed `TS` is restored whole, clock included. They are
  declared on the `DM` only while captured or restored (`PetscSnapshotDMGetStateKeys()` does not list them), and the
  restep check no longer reports them as state that escapes a retry: it compares them with the two takes instead.
  Off by default for `PetscSnapshotSetTS()`: declare what belongs to the state with `PetscSnapshotDMAddState()`.

  Level: intermediate

.seealso: `PetscSnapshotGetTSComposed()`, `PetscSnapshotSetTS()`, `PetscSnapshotTSSetFromOptions()`, `PetscSnapshotSetTestRestep()`
@*/
PetscErrorCode PetscSnapshotSetTSComposed(PetscSnapshot snap, PetscBool flg)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  snap->tsComposed = flg;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/*@
  PetscSnapshotGetTSComposed - Gets whether an attached `TS` captures the objects composed on it

  Not Collective

  Input Parameter:
. snap - the snapshot

  Output Parameter:
. flg - `PETSC_TRUE` if they are captured

  Level: intermediate

.seealso: `PetscSnapshotSetTSComposed()`
@*/
PetscErrorCode PetscSnapshotGetTSComposed(PetscSnapshot snap, PetscBool *flg)
{
  PetscFunctionBegin;
  PetscSnapshotValid(snap, 1);
  PetscCheck(flg, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL, "PetscSnapshotGetTSComposed: argument 2 is NULL");
  *flg = snap->tsComposed;
  PetscFunctionReturn(PETSC_SUCCESS);
}
