/* Collective errors: see src/include/collective.hpp. */
#include "../include/collective.hpp"

#include <cstring>

namespace petscsnapshot
{

PetscErrorCode BcastString(MPI_Comm comm, PetscMPIInt root, std::string *s)
{
  PetscMPIInt rank;
  PetscInt64  len;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  len = rank == root ? (PetscInt64)s->size() : 0;
  PetscCallMPI(MPI_Bcast(&len, 1, MPIU_INT64, root, comm));
  PetscCheck(len < PETSC_MPI_INT_MAX, PETSC_COMM_SELF, PETSC_ERR_SUP, "cannot broadcast a string of %" PetscInt64_FMT " characters", len);
  if (rank != root) PetscCallCXX(s->assign((size_t)len, '\0'));
  if (len) PetscCallMPI(MPI_Bcast(s->data(), (PetscMPIInt)len, MPI_CHAR, root, comm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RaiseCollective(MPI_Comm comm, bool localFailure, const std::string &message, PetscErrorCode code, const char prefix[])
{
  PetscMPIInt rank, size, first;
  std::string text;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  first = localFailure ? rank : size;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == size) PetscFunctionReturn(PETSC_SUCCESS);
  if (rank == first) PetscCallCXX(text = message);
  PetscCall(BcastString(comm, first, &text)); /* the whole message, however long */
  PetscCallMPI(MPI_Bcast(&code, 1, MPI_INT, first, comm)); /* one code on every rank */
  /* raised on PETSC_COMM_SELF, on every rank: raised on comm, PETSc's default (traceback) error handler would make
     every rank but comm's rank 0 sleep 10 s and exit(0) at once, while rank 0 returns through the collective cleanup
     of the callers (closing the HDF5 file, freeing a section's SF), which then waits for ranks that are gone */
  SETERRQ(PETSC_COMM_SELF, code, "%s: %s [detected on rank %d]", prefix, text.c_str(), first);
}

PetscErrorCode AgreeFailure(MPI_Comm comm, bool localFailure, const std::string &message, bool *any, std::string *text)
{
  PetscMPIInt rank, size, first;

  PetscFunctionBegin;
  *any = false;
  PetscCallCXX(text->clear());
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  first = localFailure ? rank : size;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == size) PetscFunctionReturn(PETSC_SUCCESS);
  *any = true;
  if (rank == first) PetscCallCXX(*text = message);
  PetscCall(BcastString(comm, first, text));
  PetscFunctionReturn(PETSC_SUCCESS);
}

std::string ErrorText(PetscErrorCode ierr)
{
  const char *generic  = nullptr;
  PetscSnapshotErrorText specific = nullptr;

  if (PetscErrorMessage(ierr, &generic, &specific)) return "error " + std::to_string((int)ierr);
  if (specific && specific[0]) return specific;
  if (generic) return generic;
  return "error " + std::to_string((int)ierr);
}

} // namespace petscsnapshot
