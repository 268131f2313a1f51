# User state from Python: a NumPy array (bytes, in place), a picklable object, or a pair of callables. Each is held by
# a holder object: the NumPy array through PetscSnapshotDMAddStateBytes() (the library checks size and version before
# writing), the others through PetscSnapshotDMAddStateCallbacks() with the holder as context (one reference, released
# by the library's destroy callback when the declaration goes).

import pickle as _pickle
import weakref as _weakref
import inspect as _inspect
from petsc4py import PETSc as _PETSc

cdef object _np = None

cdef int _is_ndarray(object obj) except -1:
    global _np
    if _np is None:
        import numpy
        _np = numpy
    return isinstance(obj, _np.ndarray)


cdef extern from "Python.h":
    void Py_INCREF(object)
    void Py_DECREF(object)
    object PyBytes_FromStringAndSize(const char *, Py_ssize_t)
    char *PyBytes_AsString(object) except NULL

# Pickle protocol of captured objects: fixed, so that an hdf5 file written by one Python reads in another
PICKLE_PROTOCOL = 4


class _ArrayState:
    """A NumPy array declared as state: its bytes are captured and written back into the same array."""
    kind = "array"

    def __init__(self, array):
        self.obj = array


class _HeldState:
    """A holder the library holds (the context of PetscSnapshotDMAddStateCallbacks()). Until the interpreter exits:
    _release_at_exit() then drops what it holds (see there), and a capture or restore after that fails."""
    released = False

    def release(self):
        self.released = True
        self.obj = self._get = self._set = self.pending = None

    def _alive(self):
        if self.released:
            raise RuntimeError("the interpreter is exiting: petscsnapshot released the declared Python objects")


class _PickledState(_HeldState):
    """Any picklable object: pickled at capture; restored in place when it is mutable (see _assign_in_place)."""
    kind = "pickle"

    def __init__(self, obj):
        self.obj = obj
        self.pending = None

    def dump(self):
        self._alive()
        self.pending = _pickle.dumps(self.obj, protocol=PICKLE_PROTOCOL)
        return self.pending

    def load(self, data):
        self._alive()
        self.obj = _assign_in_place(self.obj, _pickle.loads(data))


def _weak_callable(f):
    # a bound method of an object that itself holds the DM would make a reference cycle through PETSc that Python's
    # collector cannot see: bound methods are held weakly
    if _inspect.ismethod(f):
        return _weakref.WeakMethod(f)
    return lambda: f


class _CallableState(_HeldState):
    """A pair (get, set): get() returns the state as bytes (any buffer), set(data) rebuilds it from the bytes."""
    kind = "callables"

    def __init__(self, get, set):
        self._get = _weak_callable(get)
        self._set = _weak_callable(set)
        self.pending = None
        self.obj = (get, set) if not (_inspect.ismethod(get) or _inspect.ismethod(set)) else None

    def gone(self):
        """Which of the bound methods' objects is gone ("get", "set"), or None."""
        if self.released:
            return None
        for ref, which in ((self._get, "get"), (self._set, "set")):
            if ref() is None:
                return which
        return None

    def _fn(self, ref, which):
        self._alive()
        f = ref()
        if f is None:
            raise ReferenceError("the object whose method was declared as %s function is gone" % which)
        return f

    def dump(self):
        self.pending = bytes(memoryview(self._fn(self._get, "get")()).cast("B"))
        return self.pending

    def load(self, data):
        self._fn(self._set, "set")(data)


# Every holder the library holds, weakly. At interpreter exit (atexit, while Python is whole) each drops the objects it
# holds: a declared object that refers back to its DM (a lambda's module globals hold the mesh) is a cycle through
# PETSc that Python's collector cannot see, which would keep the DM alive past PetscFinalize, leaked. The holders
# themselves are then left to the interpreter: the DMs that hold them may be destroyed after Python is gone.
_live_holders = _weakref.WeakSet()


def _release_at_exit():
    for holder in list(_live_holders):
        holder.release()


import atexit as _atexit
_atexit.register(_release_at_exit)


def _assign_in_place(old, new):
    """Give old the value of new without replacing it, when old is mutable; return the object that holds the value."""
    if type(old) is not type(new):
        return new
    if isinstance(old, (list, bytearray)):
        old[:] = new
        return old
    if isinstance(old, (dict, set)):
        old.clear()
        old.update(new)
        return old
    cls = type(old)
    slots = [s for k in cls.__mro__ for s in getattr(k, "__slots__", ()) if s not in ("__dict__", "__weakref__")]
    if hasattr(old, "__dict__") or slots:
        if hasattr(old, "__dict__"):
            old.__dict__.clear()
            old.__dict__.update(new.__dict__)
        for s in slots:
            if hasattr(new, s):
                object.__setattr__(old, s, getattr(new, s))
        return old
    return new  # immutable (int, str, tuple, ...): replaced, read it back with getState()


# ---- the C callbacks: ctx is the holder (one reference, owned by the declaration)

cdef PetscErrorCode _state_size(void *ctx, size_t *size) noexcept with gil:
    holder = <object>ctx
    try:
        size[0] = len(holder.dump())
    except BaseException as e:
        holder.pending = None
        return _python_failure("capturing %s state" % holder.kind, e)
    return 0

cdef PetscErrorCode _state_capture(void *ctx, size_t size, void *data) noexcept with gil:
    holder = <object>ctx
    try:
        pending = holder.pending
        holder.pending = None
        if pending is None or <size_t>len(pending) != size:
            raise RuntimeError("the state changed size between its size and capture functions")
        if size:
            memcpy(data, <const char *>PyBytes_AsString(pending), size)
    except BaseException as e:
        return _python_failure("capturing %s state" % holder.kind, e)
    return 0

cdef PetscErrorCode _state_restore(void *ctx, size_t size, const void *data) noexcept with gil:
    holder = <object>ctx
    try:
        holder.load(PyBytes_FromStringAndSize(<const char *>data, <Py_ssize_t>size))
    except BaseException as e:
        return _python_failure("restoring %s state" % holder.kind, e)
    return 0

# A DM still alive when the interpreter exits is destroyed by petsc4py's PetscFinalize (its garbage cleanup), which runs
# after Py_FinalizeEx: Python is gone, and taking the GIL then would crash. The holder goes with the interpreter.
# Py_IsInitialized() is already false while Py_FinalizeEx tears the modules down, so nothing is released then either.
# Plain C: a Cython nogil function with a "with gil" block takes the GIL on its way out anyway.
cdef extern from *:
    """
    static PetscErrorCode petscsnapshot_release_holder(void *ctx)
    {
      if (Py_IsInitialized()) {
        PyGILState_STATE gil = PyGILState_Ensure();
        Py_DECREF((PyObject *)ctx);
        PyGILState_Release(gil);
      }
      return 0;
    }
    """
    PetscErrorCode _state_destroy "petscsnapshot_release_holder"(void *ctx) noexcept nogil
