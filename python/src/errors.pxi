# Errors. PETSc errors become petsc4py.PETSc.Error (petsc4py's error handler has recorded the message, so str(error)
# shows the plugin's message); Python exceptions raised in a user's state functions become PETSc errors, so that the
# library reduces them over the communicator like any other failure (docs/design.md, "Every failure is collective").

from petsc4py.PETSc import Error as _PetscError

cdef int CHKERR(PetscErrorCode ierr) except -1:
    if ierr == 0:
        return 0
    raise _PetscError(<int>ierr)

cdef bytes _tobytes(object s):
    if isinstance(s, bytes):
        return s
    return str(s).encode()

cdef str _tostr(const char *p):
    if p == NULL:
        return None
    return (<bytes>p).decode()

cdef PetscErrorCode _python_failure(str what, object exc) noexcept:
    """A Python exception in a state function, as a PETSc error on this rank with the exception's type and text."""
    cdef bytes message
    try:
        message = ("%s raised %s: %s" % (what, type(exc).__name__, exc)).encode("utf-8", "replace")
    except BaseException:
        message = b"a Python state function raised an exception that cannot be printed"
    return PetscError(PETSC_COMM_SELF, 0, "petscsnapshot (Python)", "petscsnapshot.pyx", PETSC_ERR_LIB, PETSC_ERROR_INITIAL, "%s", <const char *>message)
