# What else belongs to a DM's state: addState / removeState / getStateKeys / getState (PetscSnapshotDMAddState() and
# friends), with Python objects as state. The holders of Python state are kept, for getState(), in a dict attached to
# the PETSc DM itself with petsc4py's setAttr() (it lives as long as the DM, whichever Python wrapper is used).

cdef str _HOLDERS = "__petscsnapshot_state__"

cdef dict _holders(DM dm, bint create):
    d = dm.getAttr(_HOLDERS)
    if d is None and create:
        d = {}
        dm.setAttr(_HOLDERS, d)
    return d

cdef _forget(DM dm, bytes key):
    d = _holders(dm, False)
    if d is not None:
        d.pop(key, None)


def addState(DM dm not None, key, obj, version=0):
    """Declare ``obj`` as part of ``dm``'s state under ``key``: captured and restored with ``dm``.

    ``obj`` may be:

    - a petsc4py ``Vec``, ``IS``, ``DM`` (a swarm, an auxiliary mesh), ``TS``, ``DMLabel`` (its strata, restored
      exactly on the capturing ranks and partition) or ``Random`` of type ``rander48`` or ``rand48`` (the same numbers
      drawn again after a restore) (C: ``PetscSnapshotDMAddState()``);
    - ``None``: an object already composed on ``dm`` under ``key``;
    - a NumPy array (C-contiguous, writeable, no Python objects): its bytes are captured and written back into the same
      array; a restore refuses when the size or ``version`` differs (C: ``PetscSnapshotDMAddStateBytes()``);
    - a pair ``(get, set)`` of callables: ``get()`` returns the state as bytes (any buffer), ``set(data)`` rebuilds it
      (C: ``PetscSnapshotDMAddStateCallbacks()``); bound methods are held weakly;
    - any other picklable object: pickled at capture; a restore gives a mutable object (dataclass or other instance,
      list, dict, set, bytearray) its captured value in place, and replaces an immutable one (read it with
      ``getState()``).

    ``version`` is the schema version of a NumPy array, pickled object or byte format: a restore refuses, naming the
    key, when it differs from the captured one. Declaring a key again replaces the object. Same keys on every rank.
    """
    cdef bytes k = _tobytes(key)
    cdef PetscInt v = <PetscInt>version
    cdef Object pobj
    cdef object holder
    cdef size_t address
    cdef PetscErrorCode ierr
    if obj is None or isinstance(obj, Object):
        if version != 0:
            raise ValueError("addState: a PETSc object has no schema version")
        pobj = obj
        CHKERR(PetscSnapshotDMAddState(dm.dm, k, pobj.obj[0] if obj is not None else NULL))
        _forget(dm, k)
        return
    if _is_ndarray(obj):
        if not (obj.flags.c_contiguous and obj.flags.writeable):
            raise ValueError("addState: a NumPy array must be C-contiguous and writeable to be restored in place")
        if obj.dtype.hasobject:
            raise TypeError("addState: a NumPy array of Python objects holds pointers; declare it as a picklable object")
        holder = _ArrayState(obj)
        address = obj.__array_interface__["data"][0]
        CHKERR(PetscSnapshotDMAddStateBytes(dm.dm, k, <void *>address, <size_t>obj.nbytes, v))
    else:
        if isinstance(obj, tuple) and len(obj) == 2 and callable(obj[0]) and callable(obj[1]):
            holder = _CallableState(obj[0], obj[1])
        else:
            _pickle.dumps(obj, protocol=PICKLE_PROTOCOL)  # not picklable: TypeError here, not at the first capture
            holder = _PickledState(obj)
        Py_INCREF(holder)  # the declaration's reference, released by _state_destroy
        _live_holders.add(holder)
        ierr = PetscSnapshotDMAddStateCallbacks(dm.dm, k, v, _state_size, _state_capture, _state_restore, <void *>holder, _state_destroy)
        if ierr:
            Py_DECREF(holder)
            CHKERR(ierr)
    _holders(dm, True)[k] = holder


def removeState(DM dm not None, key):
    """Undeclare ``key`` (C: ``PetscSnapshotDMRemoveState()``); removing a key never declared is not an error."""
    cdef bytes k = _tobytes(key)
    CHKERR(PetscSnapshotDMRemoveState(dm.dm, k))
    _forget(dm, k)


def getStateKeys(DM dm not None):
    """The keys declared on ``dm``, in declaration order (C: ``PetscSnapshotDMGetStateKeys()``)."""
    cdef PetscInt n = 0
    cdef const char **keys = NULL
    CHKERR(PetscSnapshotDMGetStateKeys(dm.dm, &n, &keys))
    try:
        return [_tostr(keys[i]) for i in range(n)]
    finally:
        CHKERR(PetscFree(keys))


def getState(DM dm not None, key):
    """The object declared under ``key``: the petsc4py object, the NumPy array, the Python object (after a restore,
    the restored one), the ``(get, set)`` pair, or None (C: ``PetscSnapshotDMGetState()``)."""
    cdef bytes k = _tobytes(key)
    cdef PetscObject cobj = NULL
    cdef PetscClassId classid = 0
    CHKERR(PetscSnapshotDMGetState(dm.dm, k, &cobj))
    if cobj == NULL:
        return None
    d = _holders(dm, False)
    if d is not None and k in d:
        return d[k].obj
    CHKERR(PetscObjectGetClassId(cobj, &classid))
    cdef type cls = {VEC_CLASSID: _PETSc.Vec, IS_CLASSID: _PETSc.IS, DM_CLASSID: _PETSc.DM, TS_CLASSID: _PETSc.TS}.get(classid)
    if cls is None:
        return None  # user state declared from C
    cdef Object out = cls()
    CHKERR(PetscObjectReference(cobj))
    out.obj[0] = cobj
    if classid == DM_CLASSID:  # the petsc4py class of its type, as petsc4py itself would return it
        sub = {"plex": _PETSc.DMPlex, "swarm": _PETSc.DMSwarm, "da": _PETSc.DMDA}.get(out.getType())
        if sub is not None:
            typed = sub()
            (<Object>typed).obj[0] = cobj
            out.obj[0] = NULL
            return typed
    return out


def invalidateGeometry(DM dm not None):
    """After moving a mesh yourself: make PETSc forget geometry computed from the old coordinates (C:
    ``PetscSnapshotDMInvalidateGeometry()``)."""
    CHKERR(PetscSnapshotDMInvalidateGeometry(dm.dm))


def tsSetFromOptions(TS ts not None):
    """Attach a snapshot to ``ts`` if ``-ts_snapshot`` is given; returns it, or None (C:
    ``PetscSnapshotTSSetFromOptions()``). As with ``Snapshot().create()``, unchanged Vecs are not skipped unless
    ``-ts_snapshot_skip_unchanged`` (with the TS's prefix) says so."""
    cdef PetscSnapshot snap = NULL
    cdef const char *prefix = NULL
    cdef PetscBool given = PETSC_FALSE
    CHKERR(PetscSnapshotTSSetFromOptions(ts.ts, &snap))
    if snap == NULL:
        return None
    CHKERR(PetscSnapshotGetOptionsPrefix(snap, &prefix))
    CHKERR(PetscOptionsHasName(NULL, prefix, b"-snapshot_skip_unchanged", &given))
    if given == PETSC_FALSE:
        CHKERR(PetscSnapshotSetSkipUnchanged(snap, PETSC_FALSE))
    cdef Snapshot out = Snapshot()
    CHKERR(PetscObjectReference(<PetscObject>snap))
    out.snap = snap
    return out
