/* Collective errors: see src/include/collective.hpp. */
#include "../include/collective.hpp"

#include <cstring>

namespace petscsnapshot
{

PetscErrorCode RaiseCollective(MPI_Comm comm, bool localFailure, const std::string &message, PetscErrorCode code, const char prefix[])
{
  PetscMPIInt rank, size, first;
  char        text[1024] = {0};

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  first = localFailure ? rank : size;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == size) PetscFunctionReturn(PETSC_SUCCESS);
  if (rank == first) PetscCall(PetscStrncpy(text, message.c_str(), sizeof(text)));
  PetscCallMPI(MPI_Bcast(text, sizeof(text), MPI_CHAR, first, comm));
  PetscCallMPI(MPI_Bcast(&code, 1, MPI_INT, first, comm)); /* one code on every rank */
  SETERRQ(comm, code, "%s: %s [detected on rank %d]", prefix, text, first);
}

std::string ErrorText(PetscErrorCode ierr)
{
  const char *generic  = nullptr;
  char       *specific = nullptr;

  if (PetscErrorMessage(ierr, &generic, &specific)) return "error " + std::to_string((int)ierr);
  if (specific && specific[0]) return specific;
  if (generic) return generic;
  return "error " + std::to_string((int)ierr);
}

} // namespace petscsnapshot
