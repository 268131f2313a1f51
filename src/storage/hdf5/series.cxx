/* Which file a capture writes and a restore reads: the file name, or a numbered series with the last N kept. */
#include "hdf5impl.hpp"

#if defined(PETSC_HAVE_HDF5)
  #include <algorithm>
  #include <cstdio>
  #include <cstring>
  #include <ctime>
  #include <dirent.h>
  #include <unistd.h>
  #include <cctype>
  #include <cerrno>
  #include "../../include/collective.hpp"

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

/* The numbered files of a base name that exist, sorted by number: rank 0 lists the directory (a local step, agreed),
   everybody gets the answer. Temporary files (".tmp" after the name) are not complete snapshots and do not match. */
PetscErrorCode NumberedFiles(MPI_Comm comm, const std::string &base, std::vector<std::pair<PetscInt, std::string>> *files)
{
  PetscMPIInt   rank;
  std::string   list;
  int           len = 0;
  LocalFailures lf(comm, "PetscSnapshot");

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  files->clear();
  if (rank == 0) lf.Run("listing the series " + base, [&]() -> PetscErrorCode {
      std::string probe = NumberedName(base, 0); /* <dir>/<head>000000<tail> */
      size_t      slash = probe.rfind('/');
      std::string dir   = slash == std::string::npos ? "." : probe.substr(0, slash);
      std::string name  = slash == std::string::npos ? probe : probe.substr(slash + 1);
      size_t      digits = name.rfind("000000");
      std::string head = name.substr(0, digits), tail = name.substr(digits + 6);
      DIR        *d = opendir(dir.c_str());

      PetscFunctionBegin;
      if (!d) {
        lf.Fail("cannot list directory " + dir + " of the series " + base + ": " + std::strerror(errno), PETSC_ERR_FILE_OPEN);
        PetscFunctionReturn(PETSC_SUCCESS);
      }
      for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        std::string n = e->d_name;
        bool        numeric = n.size() == head.size() + 6 + tail.size();
        for (size_t i = 0; numeric && i < 6; i++) numeric = std::isdigit((unsigned char)n[head.size() + i]) != 0;
        if (numeric && n.compare(0, head.size(), head) == 0 && n.compare(n.size() - tail.size(), tail.size(), tail) == 0) list += n.substr(head.size(), 6) + ";";
      }
      closedir(d);
      len = (int)list.size();
      PetscFunctionReturn(PETSC_SUCCESS);
    });
  PetscCall(lf.Agree());
  PetscCallMPI(MPI_Bcast(&len, 1, MPI_INT, 0, comm));
  PetscCallCXX(list.resize((size_t)len));
  if (len) PetscCallMPI(MPI_Bcast(list.data(), len, MPI_CHAR, 0, comm));
  for (size_t p = 0; p < list.size();) {
    size_t   semi = list.find(';', p);
    PetscInt seq  = (PetscInt)std::atoi(list.c_str() + p);
    PetscCallCXX(files->emplace_back(seq, NumberedName(base, seq)));
    p = semi + 1;
  }
  std::sort(files->begin(), files->end());
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Rank 0 removes a file if it exists (a local step, agreed: a failure other than "does not exist" is raised on every
   rank, naming the file). */
PetscErrorCode RemoveFile(MPI_Comm comm, const std::string &file, PetscObject who)
{
  PetscMPIInt   rank;
  LocalFailures lf(comm, "PetscSnapshot");

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0 && access(file.c_str(), F_OK) == 0) {
    if (std::remove(file.c_str()) == 0) PetscCall(PetscInfo(who, "removed %s\n", file.c_str()));
    else if (errno != ENOENT) lf.Fail("cannot remove " + file + ": " + std::strerror(errno), PETSC_ERR_FILE_WRITE);
  }
  PetscCall(lf.Agree());
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The number of the next file of a series: after the newest complete file on disk (written by any process or snapshot
   object) and after the last one this object wrote, so that a capture never reuses a number. */
PetscErrorCode NextNumber(PetscSnapshot snap, PetscInt *seq)
{
  HDF5Data                                     *d = Data(snap);
  std::vector<std::pair<PetscInt, std::string>> files;

  PetscFunctionBegin;
  PetscCall(NumberedFiles(PetscObjectComm((PetscObject)snap), d->fileName, &files));
  *seq = d->sequence + 1;
  if (!files.empty()) *seq = std::max(*seq, files.back().first + 1);
  PetscCheck(*seq <= 999999, PETSC_COMM_SELF, PETSC_ERR_SUP, "PetscSnapshotCapture: the series %s has reached number 999999; start a new series (another file name)", d->fileName.c_str());
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Find the file to load: the name, or the newest numbered one. */
PetscErrorCode FileToLoad(PetscSnapshot snap, const char caller[], std::string *file)
{
  HDF5Data *d = Data(snap);

  PetscFunctionBegin;
  PetscCheck(!d->fileName.empty(), PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "PetscSnapshot of type hdf5 needs a file name: PetscSnapshotHDF5SetFileName() or -snapshot_hdf5_filename");
  if (d->keep <= 0) PetscCallCXX(*file = d->fileName);
  else {
    std::vector<std::pair<PetscInt, std::string>> files;

    PetscCall(NumberedFiles(PetscObjectComm((PetscObject)snap), d->fileName, &files));
    PetscCheck(!files.empty(), PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: no snapshot file %s exists", caller, NumberedName(d->fileName, 0).c_str());
    PetscCallCXX(*file = files.back().second);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
} // namespace petscsnapshot::hdf5

#endif
