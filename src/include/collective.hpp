/* Collective errors, in one place (docs/design.md, "Every failure is collective").

   A step that runs on one rank without talking to the others (an HDF5 call on this rank's rows, a file operation, a
   checksum, a user callback, a memcpy into a Vec) may fail on some ranks only. If that rank then raised its error, the
   others would wait for it in the next collective call. Instead, every such step runs through a LocalFailures object:
   its error is caught (PETSc's error handler silenced, C++ exceptions caught) and remembered, and Agree(), called
   before the next collective operation, reduces the failures over the communicator and raises, on every rank, the
   message of the lowest failing rank, naming the object and the file. Local steps must not call collective
   operations; a step skipped because an earlier one failed is not run (Run() returns at once). */
#ifndef PETSCSNAPSHOT_COLLECTIVE_HPP
#define PETSCSNAPSHOT_COLLECTIVE_HPP

#include <petscsys.h>
#include "compat.h"
#include <string>
#include <utility>

namespace petscsnapshot
{

/* Reduce a possible local refusal over comm and raise it on every rank (the message of the lowest failing rank). */
PETSC_INTERN PetscErrorCode RaiseCollective(MPI_Comm, bool, const std::string &, PetscErrorCode, const char[]);

/* Reduce a possible local failure over comm without raising: *any is whether some rank failed, *message (on every
   rank) the message of the lowest failing rank. For callers that report a failure and go on. Collective. */
PETSC_INTERN PetscErrorCode AgreeFailure(MPI_Comm, bool, const std::string &, bool *, std::string *);

/* Broadcast a string of any length from root (its length first, then its characters). Collective. */
PETSC_INTERN PetscErrorCode BcastString(MPI_Comm, PetscMPIInt, std::string *);

/* The message of the error ierr just raised on this rank (the text given to SETERRQ/PetscCheck, or PETSc's generic text). */
PETSC_INTERN std::string ErrorText(PetscErrorCode ierr);

class LocalFailures
{
public:
  LocalFailures(MPI_Comm comm, const char caller[]) : comm_(comm), caller_(caller) { }

  /* Run a local step (a callable returning PetscErrorCode) unless an earlier one failed here; a failure is recorded as
     "<what>: <error message>". Never raises. */
  template <class F>
  void Run(const std::string &what, F &&step)
  {
    if (failed_) return;
    (void)Attempt(what, std::forward<F>(step));
  }

  /* Run a local step even after an earlier one failed here (the first failure is kept): for steps that must not be
     skipped, such as the remaining hooks of a phase, whose collective calls the other ranks make too. Returns whether
     this step succeeded. Never raises. */
  template <class F>
  bool Attempt(const std::string &what, F &&step)
  {
    PetscErrorCode ierr;

    if (PetscPushErrorHandler(PetscReturnErrorHandler, nullptr)) {
      Fail(what + ": cannot silence PETSc's error handler");
      return false;
    }
    try {
      ierr = std::forward<F>(step)();
    } catch (const std::exception &e) {
      (void)PetscPopErrorHandler();
      Fail(what + ": " + e.what());
      return false;
    } catch (...) {
      (void)PetscPopErrorHandler();
      Fail(what + ": unknown C++ exception");
      return false;
    }
    (void)PetscPopErrorHandler();
    if (ierr) Fail(what + ": " + ErrorText(ierr), ierr);
    return !ierr;
  }

  /* Record a problem this rank detected itself (keeps the first). */
  void Fail(const std::string &message, PetscErrorCode code = PETSC_ERR_FILE_UNEXPECTED) noexcept
  {
    if (failed_) return;
    failed_ = true;
    code_   = code;
    try {
      message_ = message;
    } catch (...) {
      message_.clear();
    }
  }

  bool               Failed() const { return failed_; }
  const std::string &Message() const { return message_; }
  PetscErrorCode     Code() const { return code_; }

  /* Collective: raise on every rank the first failure of the lowest failing rank, with code (or the failing step's
     own code when code is 0); return PETSC_SUCCESS when no rank failed. */
  PetscErrorCode Agree(PetscErrorCode code = 0)
  {
    return RaiseCollective(comm_, failed_, message_, code ? code : (failed_ ? code_ : PETSC_ERR_FILE_UNEXPECTED), caller_);
  }

  /* Collective: whether any rank failed, and the first failure of the lowest failing rank; raises nothing */
  PetscErrorCode AgreeQuietly(bool *anyFailed, std::string *message) { return AgreeFailure(comm_, failed_, message_, anyFailed, message); }

private:
  MPI_Comm       comm_;
  const char    *caller_;
  bool           failed_ = false;
  PetscErrorCode code_   = PETSC_SUCCESS;
  std::string    message_;
};

} // namespace petscsnapshot

#endif
