# A restore refuses, before anything is written, when the object whose bound methods were declared as (get, set) is
# gone: a check hook of the module's own (PetscSnapshotRegisterDMHook()), run with the library's checks of every DM the
# restore covers (sub-DMs, and the restores of an attached TS, included), whose refusal the library agrees over the
# communicator like any other. It captures and restores nothing.

cdef extern from "petscsnapshot.h" nogil:
    struct _n_PetscSnapshotRecord
    ctypedef _n_PetscSnapshotRecord *PetscSnapshotRecord
    ctypedef PetscErrorCode (*PetscSnapshotHookFn)(PetscSnapshotRecord, PetscDM, void *)
    PetscErrorCode PetscSnapshotRegisterDMHook(const char[], const char[], PetscSnapshotHookFn, PetscSnapshotHookFn, PetscSnapshotHookFn, void *)
    PetscErrorCode PetscSnapshotRecordRefuse(PetscSnapshotRecord, const char[], ...)

cdef PetscErrorCode _no_arrays(PetscSnapshotRecord rec, PetscDM dm, void *ctx) noexcept nogil:
    return 0

cdef PetscErrorCode _check_bearers(PetscSnapshotRecord rec, PetscDM cdm, void *ctx) noexcept with gil:
    cdef DM dm = DM()
    cdef bytes message
    try:
        dm.dm = cdm  # borrowed for the look-up: no reference taken, none released
        try:
            holders = _holders(dm, False)
        finally:
            dm.dm = NULL
        for key, holder in (holders or {}).items():
            which = holder.gone() if isinstance(holder, _CallableState) else None
            if which is not None:
                message = ("state \"%s\": the object whose bound method was declared as its %s function is gone"
                           % (key.decode(), which)).encode("utf-8", "replace")
                CHKERR(PetscSnapshotRecordRefuse(rec, "%s", <const char *>message))
    except BaseException as e:
        return _python_failure("checking the declared bound methods", e)
    return 0

cdef int _register_bearer_check() except -1:
    CHKERR(PetscSnapshotRegisterDMHook(b"python/bound_methods", NULL, _no_arrays, _check_bearers, _no_arrays, NULL))
    return 0
