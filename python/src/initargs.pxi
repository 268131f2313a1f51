# Importing petscsnapshot imports petsc4py.PETSc (the module cimports it), which initializes PETSc without the command
# line when petsc4py.init(sys.argv) was not called first; petsc4py's init() then does nothing, silently, and
# -snapshot_type & co. would never reach setFromOptions(). So from the import on, petsc4py.init(args) inserts args
# into PETSc's options database (PetscOptionsInsertArgs(), which also reads -options_file), as PetscInitialize()
# would have. What PETSc reads only inside PetscInitialize() (-malloc_debug, -log_view, ...) and a communicator
# (comm=) cannot be given after it: the latter is refused, naming the order to use.

from cpython.mem cimport PyMem_Malloc, PyMem_Free

cdef extern from "petscsys.h" nogil:
    # char ** up to PETSc 3.24, const char *const * from 3.25: declared void * here, which C converts to either
    PetscErrorCode PetscOptionsInsertArgs(PetscOptions, int, void *)

import functools as _functools
import petsc4py as _petsc4py
import petsc4py.lib as _petsc4py_lib


cdef int _insert_args(list args) except -1:
    """Insert args (the program name first, as PetscInitialize() takes them) into the global options database."""
    cdef list encoded = [_tobytes(a) for a in args[1:]]
    cdef Py_ssize_t n = len(encoded), i
    cdef char **argv = NULL
    if n == 0:
        return 0
    argv = <char **>PyMem_Malloc(<size_t>n * sizeof(char *))
    if argv == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            argv[i] = <char *>(<bytes>encoded[i])  # copied by PETSc
        CHKERR(PetscOptionsInsertArgs(NULL, <int>n, <void *>argv))
    finally:
        PyMem_Free(argv)
    return 0


def _wrap_petsc4py_init(init):
    if getattr(init, "_petscsnapshot", False):
        return init

    @_functools.wraps(init)
    def init_after_import(args=None, arch=None, comm=None):
        if comm is not None:
            raise RuntimeError("petsc4py.init(comm=...) after PETSc was initialized (by import petscsnapshot or "
                               "from petsc4py import PETSc): call petsc4py.init() before importing petscsnapshot")
        init(args, arch, comm)
        _insert_args(_petsc4py_lib.getInitArgs(args))

    init_after_import._petscsnapshot = True
    return init_after_import


_petsc4py.init = _wrap_petsc4py_init(_petsc4py.init)
