/* Which file a capture writes and a restore reads: the file name, or a numbered series with the last N kept. */
#include "hdf5impl.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <algorithm>
  #include <cstdio>
  #include <cstring>
  #include <ctime>
  #include <dirent.h>
  #include <unistd.h>

namespace petscsnapshot::hdf5
{

/* The file a capture writes: the name, or with keep > 0 "<stem>-<sequence>.<ext>" */
std::string NumberedName(const std::string &base, PetscInt seq)
{
  size_t      dot  = base.rfind('.');
  std::string stem = dot == std::string::npos ? base : base.substr(0, dot);
  std::string ext  = dot == std::string::npos ? std::string() : base.substr(dot);
  char        num[32];
  std::snprintf(num, sizeof(num), "-%06d", (int)seq);
  return stem + num + ext;
}

/* The numbered files of a base name that exist, sorted by number (rank 0 looks, everybody gets the answer). */
PetscErrorCode NumberedFiles(MPI_Comm comm, const std::string &base, std::vector<std::pair<PetscInt, std::string>> *files)
{
  PetscMPIInt rank;
  char        list[8192] = {0};

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  files->clear();
  if (rank == 0) {
    std::string probe = NumberedName(base, 0); /* <dir>/<head>000000<tail> */
    size_t      slash = probe.rfind('/');
    std::string dir   = slash == std::string::npos ? "." : probe.substr(0, slash);
    std::string name  = slash == std::string::npos ? probe : probe.substr(slash + 1);
    size_t      digits = name.rfind("000000");
    std::string head = name.substr(0, digits), tail = name.substr(digits + 6), out;
    DIR        *d = opendir(dir.c_str());

    for (struct dirent *e = d ? readdir(d) : nullptr; e; e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() == head.size() + 6 + tail.size() && n.compare(0, head.size(), head) == 0 && n.compare(n.size() - tail.size(), tail.size(), tail) == 0) out += n.substr(head.size(), 6) + ";";
    }
    if (d) closedir(d);
    PetscCall(PetscStrncpy(list, out.c_str(), sizeof(list)));
  }
  PetscCallMPI(MPI_Bcast(list, sizeof(list), MPI_CHAR, 0, comm));
  for (char *p = list; *p;) {
    char    *semi = std::strchr(p, ';');
    PetscInt seq  = (PetscInt)std::atoi(p);
    PetscCallCXX(files->emplace_back(seq, NumberedName(base, seq)));
    p = semi + 1;
  }
  std::sort(files->begin(), files->end());
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Rank 0 removes a file if it exists; everybody waits. */
PetscErrorCode RemoveFile(MPI_Comm comm, const std::string &file)
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) (void)std::remove(file.c_str());
  PetscCallMPI(MPI_Barrier(comm));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Find the file to load: the name, or the newest numbered one. */
PetscErrorCode FileToLoad(PetscSnapshot snap, std::string *file)
{
  HDF5Data *d = Data(snap);

  PetscFunctionBegin;
  PetscCheck(!d->fileName.empty(), PetscObjectComm((PetscObject)snap), PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshot of type hdf5 needs a file name: PetscSnapshotHDF5SetFileName() or -snapshot_hdf5_filename");
  if (d->keep <= 0) PetscCallCXX(*file = d->fileName);
  else {
    std::vector<std::pair<PetscInt, std::string>> files;

    PetscCall(NumberedFiles(PetscObjectComm((PetscObject)snap), d->fileName, &files));
    PetscCheck(!files.empty(), PetscObjectComm((PetscObject)snap), PETSC_ERR_FILE_OPEN, "PetscSnapshotRestore: no snapshot file %s exists", NumberedName(d->fileName, 0).c_str());
    PetscCallCXX(*file = files.back().second);
    d->sequence = std::max(d->sequence, files.back().first);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
} // namespace petscsnapshot::hdf5

#endif
