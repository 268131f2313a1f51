# Errors. PETSc errors become petsc4py.PETSc.Error (petsc4py's error handler has recorded the message, so str(error)
# shows the plugin's message); Python exceptions raised in a user's state functions become PETSc errors, so that the
# library reduces them over the communicator like any other failure (docs/design.md, "Every failure is collective").

from petsc4py.PETSc import Error as _PetscError

cdef extern from "compat.h" nogil:
    ctypedef const char *PetscSnapshotErrorText  # char * up to PETSc 3.24, const char * from 3.25
    PetscErrorCode PetscErrorMessage(PetscErrorCode, const char **, PetscSnapshotErrorText *)

cdef int CHKERR(PetscErrorCode ierr) except -1:
    cdef PetscSnapshotErrorText specific = NULL
    if ierr == 0:
        return 0
    error = _PetscError(<int>ierr)
    # petsc4py up to 3.2x kept the message of the error in a class-wide traceback that str(error) shows; newer
    # petsc4py fill it only for errors raised by petsc4py itself. Add PETSc's message of the error when it is missing.
    if PetscErrorMessage(ierr, NULL, &specific) == 0 and specific != NULL:
        message = (<bytes>(<const char *>specific)).decode("utf-8", "replace").strip()
        if message and message not in str(error):
            error._traceback_ = list(getattr(_PetscError, "_traceback_", [])) + [message]
            error._traceback = [message]
    raise error

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
