# The PetscSnapshot class, as a petsc4py Object (like slepc4py's classes): destroy(), getName()/setName(),
# incRef()/decRef() and garbage collection come from petsc4py.PETSc.Object.

class SnapshotType(object):
    """Where a snapshot keeps what it captures (``PetscSnapshotType``)."""
    MEMORY = "memory"
    HDF5   = "hdf5"


cdef class Snapshot(Object):
    """A snapshot of the mutable state of DMs (``PetscSnapshot``): capture, try a step, restore if you regret it.

    Usable as a context manager: ``with Snapshot().create(comm) as snap: ...`` destroys it at the end.
    """

    Type = SnapshotType

    cdef PetscSnapshot snap

    def __cinit__(self):
        self.obj = <PetscObject *> &self.snap
        self.snap = NULL

    def __dealloc__(self):
        # Runs before petsc4py's Object.__dealloc__, which defers the (collective) destroy to PETSc.garbage_cleanup()
        # or PetscFinalize. When this wrapper held the last reference, nothing can use the snapshot again: free the
        # captured data now, on this rank alone; the rest (a few bytes per DM and array) waits for the destroy.
        cdef PetscInt refct = 0
        if self.snap == NULL or not <int>PetscInitializeCalled or <int>PetscFinalizeCalled:
            return
        if PetscObjectGetReference(<PetscObject>self.snap, &refct) == 0 and refct == 1:
            PetscSnapshotReleaseLocalData_Internal(self.snap)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.destroy()
        return False

    def create(self, comm=None):
        """Create the snapshot on ``comm`` (default: PETSc's default communicator). Collective.

        C: ``PetscSnapshotCreate()``, then ``PetscSnapshotSetSkipUnchanged(snap, PETSC_FALSE)``: unlike in C, every
        declared Vec is copied at each capture and restore, so writes through a NumPy view held across them (``a =
        v.array``) are captured and undone too. ``setSkipUnchanged(True)`` or ``-snapshot_skip_unchanged`` (read by a
        later ``setFromOptions()``) opts in to skipping Vecs whose object state is unchanged.
        """
        cdef MPI_Comm ccomm = GetComm(comm, GetCommDefault())
        cdef PetscSnapshot newsnap = NULL
        CHKERR(PetscSnapshotCreate(ccomm, &newsnap))
        CHKERR(PetscSnapshotSetSkipUnchanged(newsnap, PETSC_FALSE))
        CHKERR(PetscSnapshotDestroy(&self.snap))
        self.snap = newsnap
        return self

    def destroy(self):
        """Destroy the snapshot and free everything it holds (C: ``PetscSnapshotDestroy()``). Collective."""
        CHKERR(PetscSnapshotDestroy(&self.snap))
        return self

    cdef int _valid(self) except -1:
        if self.snap == NULL:
            raise ValueError("the Snapshot was not created (call create()) or was destroyed")
        return 0

    def setType(self, snap_type):
        """Choose where captured state is kept: ``"memory"`` or ``"hdf5"`` (C: ``PetscSnapshotSetType()``)."""
        self._valid()
        cdef bytes t = _tobytes(snap_type)
        CHKERR(PetscSnapshotSetType(self.snap, t))
        return self

    def getType(self):
        """The type, or None before setType() or the first capture (C: ``PetscSnapshotGetType()``)."""
        self._valid()
        cdef PetscSnapshotType t = NULL
        CHKERR(PetscSnapshotGetType(self.snap, &t))
        return _tostr(t)

    def setOptionsPrefix(self, prefix):
        """Prefix for this snapshot's options, e.g. ``"fluid_"`` for ``-fluid_snapshot_type``."""
        self._valid()
        cdef bytes p = _tobytes(prefix) if prefix is not None else None
        CHKERR(PetscSnapshotSetOptionsPrefix(self.snap, <const char *>p if p is not None else NULL))
        return self

    def appendOptionsPrefix(self, prefix):
        """Append to the options prefix (C: ``PetscSnapshotAppendOptionsPrefix()``)."""
        self._valid()
        cdef bytes p = _tobytes(prefix)
        CHKERR(PetscSnapshotAppendOptionsPrefix(self.snap, p))
        return self

    def getOptionsPrefix(self):
        """The options prefix, or None (C: ``PetscSnapshotGetOptionsPrefix()``)."""
        self._valid()
        cdef const char *p = NULL
        CHKERR(PetscSnapshotGetOptionsPrefix(self.snap, &p))
        return _tostr(p)

    def setFromOptions(self):
        """Read ``-snapshot_type``, ``-snapshot_hdf5_filename``, ``-snapshot_view``, ... (C:
        ``PetscSnapshotSetFromOptions()``). Collective."""
        self._valid()
        CHKERR(PetscSnapshotSetFromOptions(self.snap))
        return self

    def setUp(self):
        """Set up the type (the default is memory) (C: ``PetscSnapshotSetUp()``). Collective."""
        self._valid()
        CHKERR(PetscSnapshotSetUp(self.snap))
        return self

    def view(self, Viewer viewer=None):
        """Print what the snapshot holds, per DM and array, on ``viewer`` (default: stdout of the snapshot's
        communicator) (C: ``PetscSnapshotView()``). Collective."""
        self._valid()
        CHKERR(PetscSnapshotView(self.snap, viewer.vwr if viewer is not None else NULL))

    def reset(self):
        """Drop everything the snapshot holds; the type is kept (C: ``PetscSnapshotReset()``). Collective."""
        self._valid()
        CHKERR(PetscSnapshotReset(self.snap))

    def capture(self, DM dm not None):
        """Capture the whole state of ``dm``: coordinates, declared state, particles of a swarm (C:
        ``PetscSnapshotCapture()``). Collective; a failure on any rank raises ``PETSc.Error`` on every rank."""
        self._valid()
        CHKERR(PetscSnapshotCapture(self.snap, dm.dm))

    def restore(self, DM dm not None):
        """Write the captured state of ``dm`` back, bit for bit, after checking on every rank that it fits (C:
        ``PetscSnapshotRestore()``). A mismatch raises ``PETSc.Error`` on every rank and nothing is written."""
        self._valid()
        CHKERR(PetscSnapshotRestore(self.snap, dm.dm))

    def hasDM(self, DM dm not None):
        """Whether the snapshot holds an entry for ``dm`` (by name) (C: ``PetscSnapshotHasDM()``)."""
        self._valid()
        cdef PetscBool has = PETSC_FALSE
        CHKERR(PetscSnapshotHasDM(self.snap, dm.dm, &has))
        return has == PETSC_TRUE

    def getCaptureCount(self):
        """How many captures the snapshot has taken (C: ``PetscSnapshotGetCaptureCount()``)."""
        self._valid()
        cdef PetscInt n = 0
        CHKERR(PetscSnapshotGetCaptureCount(self.snap, &n))
        return n

    def setSkipUnchanged(self, flag):
        """Skip copying Vecs whose object state shows them unchanged since the last capture or restore (C:
        ``PetscSnapshotSetSkipUnchanged()``). Off by default in Python. Turn it on only if no NumPy view of a declared
        Vec (``v.array``, ``v.getArray()``) is written while it is held across a capture or restore: such writes do
        not change the object state, so a restore would leave them in place."""
        self._valid()
        CHKERR(PetscSnapshotSetSkipUnchanged(self.snap, PETSC_TRUE if flag else PETSC_FALSE))
        return self

    def getSkipUnchanged(self):
        """Whether unchanged Vecs are skipped (False unless turned on) (C: ``PetscSnapshotGetSkipUnchanged()``)."""
        self._valid()
        cdef PetscBool flag = PETSC_FALSE
        CHKERR(PetscSnapshotGetSkipUnchanged(self.snap, &flag))
        return flag == PETSC_TRUE

    # ---- TS

    def setTS(self, TS ts not None):
        """Attach to a TS: capture at every step, restore before every retry of a rejected step (C:
        ``PetscSnapshotSetTS()``). The TS keeps a reference to the snapshot. Collective."""
        self._valid()
        CHKERR(PetscSnapshotSetTS(self.snap, ts.ts))
        return self

    def setTestRestep(self, flag=True):
        """Take every step of the attached TS twice and compare (C: ``PetscSnapshotSetTestRestep()``)."""
        self._valid()
        CHKERR(PetscSnapshotSetTestRestep(self.snap, PETSC_TRUE if flag else PETSC_FALSE))
        return self

    def getTSCounts(self):
        """``(retries, checks, mismatches)``: rejected steps rolled back, steps taken twice by the restep check, and
        steps whose two takes differed (C: ``PetscSnapshotGetTSCounts()``)."""
        self._valid()
        cdef PetscInt retries = 0, checks = 0, mismatches = 0
        CHKERR(PetscSnapshotGetTSCounts(self.snap, &retries, &checks, &mismatches))
        return (retries, checks, mismatches)

    def getRestepDifference(self):
        """The arrays that differed in the first failed restep check, or "" (C: ``PetscSnapshotGetRestepDifference()``)."""
        self._valid()
        cdef const char *first = NULL
        CHKERR(PetscSnapshotGetRestepDifference(self.snap, &first))
        return _tostr(first) or ""

    def getRestepNotCompared(self):
        """``(count, why)``: comparisons the restep check could not make, and the last of them with its reason, or ""
        (C: ``PetscSnapshotGetRestepNotCompared()``)."""
        self._valid()
        cdef PetscInt count = 0
        cdef const char *why = NULL
        CHKERR(PetscSnapshotGetRestepNotCompared(self.snap, &count, &why))
        return (count, _tostr(why) or "")

    # ---- the hdf5 type

    def setHDF5FileName(self, name):
        """The hdf5 type's file (C: ``PetscSnapshotHDF5SetFileName()``; other types ignore it)."""
        self._valid()
        cdef bytes n = _tobytes(name)
        CHKERR(PetscSnapshotHDF5SetFileName(self.snap, n))
        return self

    def setHDF5Keep(self, keep):
        """Write numbered files and keep the last ``keep`` (C: ``PetscSnapshotHDF5SetKeep()``)."""
        self._valid()
        CHKERR(PetscSnapshotHDF5SetKeep(self.snap, <PetscInt>keep))
        return self

    def setHDF5Durable(self, durable=True):
        """Flush each capture's file and its directory to disk before the capture returns (default ``True``; C:
        ``PetscSnapshotHDF5SetDurable()``)."""
        self._valid()
        CHKERR(PetscSnapshotHDF5SetDurable(self.snap, PETSC_TRUE if durable else PETSC_FALSE))
        return self

    def loadDM(self, name):
        """Load the DMPlex captured under ``name`` from the hdf5 file, distributed over the snapshot's communicator,
        ready for a restore at any rank count (C: ``PetscSnapshotHDF5LoadDM()``). Returns a ``PETSc.DMPlex``."""
        self._valid()
        cdef bytes n = _tobytes(name)
        cdef PetscDM newdm = NULL
        CHKERR(PetscSnapshotHDF5LoadDM(self.snap, n, &newdm))
        cdef DM out = _PETSc.DMPlex()
        out.dm = newdm
        return out

    def getHDF5FileInfo(self):
        """What the hdf5 file holds, as a dict: ``writers`` (ranks that wrote it), ``has_ts``, ``time``, ``step``,
        ``can_redistribute`` (C: ``PetscSnapshotHDF5GetFileInfo()``). Collective."""
        self._valid()
        cdef PetscMPIInt writers = 0
        cdef PetscBool hasTS = PETSC_FALSE, canRedistribute = PETSC_FALSE
        cdef PetscReal time = 0
        cdef PetscInt step = 0
        CHKERR(PetscSnapshotHDF5GetFileInfo(self.snap, &writers, &hasTS, &time, &step, &canRedistribute))
        return {"writers": writers, "has_ts": hasTS == PETSC_TRUE, "time": time, "step": step,
                "can_redistribute": canRedistribute == PETSC_TRUE}
