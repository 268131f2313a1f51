/* Restore of a swarm at another rank count, or whose cell DM is partitioned otherwise. The storage deals the particles of whole writer ranks to the readers
   round robin; SwarmRedistribute() then sends every particle to the rank that owns the cell of the cell DM that
   contains it, and sets the fields that describe the distribution (cell, rank) for the new one. Nothing is lost or
   duplicated: each particle goes to exactly one rank, the lowest that finds it in a cell it owns, and one that no rank
   finds (it was outside the mesh at capture) stays where it is. */
#include "../include/snapshotimpl.hpp"
#include "swarmfields.hpp"

#include <petscdmplex.h>
#include <petscsf.h>
#include <algorithm>
#include <cstring>
#if defined(PETSCSNAPSHOT_HAVE_PLEX_HASH_LOCATION)
  #include <petsc/private/dmpleximpl.h>
#endif

namespace petscsnapshot
{

/* DMLocatePoints() on a DMPlex tests every local cell for every point unless the DMPlex uses PETSc's grid hash
   (-dm_plex_hash_location, read by DMSetFromOptions()): O(points x cells), 0.4 to 0.9 ms per particle on a 32x32 mesh
   (docs/performance.md). The hash is switched on for the location and the DM left as it was: a grid PETSc built for
   this call (from the current coordinates) is destroyed afterwards, so that no later location uses a grid of older
   coordinates. CMake enables this only when PETSc's private DM_Plex has the fields (checked at configure time). */
static PetscErrorCode LocatePoints(DM dm, Vec pos, PetscSF *located)
{
  PetscFunctionBegin;
#if defined(PETSCSNAPSHOT_HAVE_PLEX_HASH_LOCATION)
  {
    DM_Plex       *mesh   = static_cast<DM_Plex *>(dm->data);
    const PetscBool wasOn = mesh->useHashLocation;
    const bool     hadGrid = mesh->lbox != nullptr;
    PetscErrorCode ierr;

    mesh->useHashLocation = PETSC_TRUE;
    ierr                  = DMLocatePoints(dm, pos, DM_POINTLOCATION_REMOVE, located);
    mesh->useHashLocation = wasOn;
    if (!hadGrid && mesh->lbox) PetscCall(PetscGridHashDestroy(&mesh->lbox));
    PetscCall(ierr);
  }
#else
  PetscCall(DMLocatePoints(dm, pos, DM_POINTLOCATION_REMOVE, located));
#endif
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* For n points of dim coordinates: the cell of dm containing each that this rank owns, or -1. Collective: every rank
   calls it, with or without points. */
static PetscErrorCode LocateOwned(DM dm, PetscInt dim, PetscInt n, const PetscReal x[], std::vector<PetscInt> &cell)
{
  Vec                pos;
  PetscSF            located = nullptr, pointSF; /* DMLocatePoints() takes a non-NULL SF as guesses */
  const PetscSFNode *found;
  const PetscInt    *leaves, *foundAt;
  PetscInt           nfound, nleaves;
  std::vector<char>  ghost;
  PetscInt           pStart, pEnd;

  PetscFunctionBegin;
  PetscCallCXX(cell.assign(n, -1));
  /* no early return for n == 0: PETSc's point location may be collective (3.18 computes the mesh's bounding box, an
     MPI_Allreduce, on first use), so a rank with no point to locate must still call it (test_hdf5_nm_sparse) */
  PetscCall(DMPlexGetChart(dm, &pStart, &pEnd));
  PetscCallCXX(ghost.assign(pEnd - pStart, 0));
  PetscCall(DMGetPointSF(dm, &pointSF));
  PetscCall(PetscSFGetGraph(pointSF, nullptr, &nleaves, &leaves, nullptr));
  for (PetscInt l = 0; l < nleaves && nleaves > 0; l++) ghost[(leaves ? leaves[l] : l) - pStart] = 1;
  PetscCall(VecCreateSeqWithArray(PETSC_COMM_SELF, dim, n * dim, reinterpret_cast<const PetscScalar *>(x), &pos));
  /* with REMOVE the SF's leaves are the points found (by index: the first nfound are not the first points) */
  PetscCall(LocatePoints(dm, pos, &located));
  PetscCall(PetscSFGetGraph(located, nullptr, &nfound, &foundAt, &found));
  for (PetscInt l = 0; l < nfound; l++) {
    PetscInt p = foundAt ? foundAt[l] : l, c = found[l].index;
    if (p >= 0 && p < n && c >= pStart && c < pEnd && !ghost[c - pStart]) cell[p] = c;
  }
  PetscCall(PetscSFDestroy(&located));
  PetscCall(VecDestroy(&pos));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A copy of the coordinates of the local particles (dim per particle). */
static PetscErrorCode Coordinates(DM sw, PetscInt dim, PetscInt n, std::vector<PetscReal> &x)
{
  PetscInt      bs;
  PetscDataType type;
  void         *data;

  PetscFunctionBegin;
  PetscCall(DMSwarmGetField(sw, DMSwarmPICField_coor, &bs, &type, &data));
  PetscCheck(type == PETSC_REAL && bs == dim, PETSC_COMM_SELF, PETSC_ERR_SUP, "swarm coordinates are %s with block size %" PetscInt_FMT ", the cell DM has dimension %" PetscInt_FMT, PetscDataTypes[type], bs, dim);
  PetscCallCXX(x.assign(static_cast<PetscReal *>(data), static_cast<PetscReal *>(data) + n * dim));
  PetscCall(DMSwarmRestoreField(sw, DMSwarmPICField_coor, &bs, &type, &data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The destination rank of each local particle. */
static PetscErrorCode Destinations(DM sw, DM cell, PetscInt dim, PetscInt n, const std::vector<PetscReal> &x, std::vector<PetscMPIInt> &dest)
{
  MPI_Comm                       comm = PetscObjectComm((PetscObject)sw);
  PetscMPIInt                    size, rank;
  PetscReal                      lmin[3] = {0, 0, 0}, lmax[3] = {0, 0, 0}, extent = 0;
  std::vector<PetscReal>         boxes, sendx, recvx;
  std::vector<std::vector<int>>  candidates;
  std::vector<int>               scount, rcount, sdispl, rdispl, found, answers;
  std::vector<PetscInt>          cells;
  int                            nrecv = 0, nsend = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  /* which ranks may own each particle: those whose local mesh's bounding box holds it */
  PetscCall(DMGetLocalBoundingBox(cell, lmin, lmax));
  PetscCallCXX(boxes.resize(6 * size));
  {
    PetscReal mine[6] = {lmin[0], lmin[1], lmin[2], lmax[0], lmax[1], lmax[2]};
    PetscCallMPI(MPI_Allgather(mine, 6, MPIU_REAL, boxes.data(), 6, MPIU_REAL, comm));
  }
  for (int r = 0; r < size; r++)
    for (PetscInt d = 0; d < dim; d++) extent = std::max(extent, boxes[6 * r + 3 + d] - boxes[6 * r + d]);
  const PetscReal tol = 1e-8 * extent;
  PetscCallCXX(candidates.assign(size, {}));
  for (PetscInt p = 0; p < n; p++)
    for (int r = 0; r < size; r++) {
      bool inside = true;
      for (PetscInt d = 0; d < dim; d++) inside = inside && x[p * dim + d] >= boxes[6 * r + d] - tol && x[p * dim + d] <= boxes[6 * r + 3 + d] + tol;
      if (inside) PetscCallCXX(candidates[r].push_back((int)p));
    }
  /* ask them: each locates what it was sent in the cells it owns */
  PetscCallCXX(scount.assign(size, 0));
  PetscCallCXX(rcount.assign(size, 0));
  PetscCallCXX(sdispl.assign(size + 1, 0));
  PetscCallCXX(rdispl.assign(size + 1, 0));
  for (int r = 0; r < size; r++) scount[r] = (int)candidates[r].size();
  PetscCallMPI(MPI_Alltoall(scount.data(), 1, MPI_INT, rcount.data(), 1, MPI_INT, comm));
  for (int r = 0; r < size; r++) {
    sdispl[r + 1] = sdispl[r] + scount[r];
    rdispl[r + 1] = rdispl[r] + rcount[r];
  }
  nsend = sdispl[size];
  nrecv = rdispl[size];
  PetscCallCXX(sendx.resize((size_t)nsend * dim + 1));
  PetscCallCXX(recvx.resize((size_t)nrecv * dim + 1));
  for (int r = 0; r < size; r++)
    for (size_t i = 0; i < candidates[r].size(); i++) std::memcpy(&sendx[(sdispl[r] + i) * dim], &x[(size_t)candidates[r][i] * dim], dim * sizeof(PetscReal));
  {
    std::vector<int> sc(size), sd(size), rc(size), rd(size);
    for (int r = 0; r < size; r++) {
      sc[r] = scount[r] * (int)dim;
      sd[r] = sdispl[r] * (int)dim;
      rc[r] = rcount[r] * (int)dim;
      rd[r] = rdispl[r] * (int)dim;
    }
    PetscCallMPI(MPI_Alltoallv(sendx.data(), sc.data(), sd.data(), MPIU_REAL, recvx.data(), rc.data(), rd.data(), MPIU_REAL, comm));
  }
  PetscCall(LocateOwned(cell, dim, nrecv, recvx.data(), cells));
  PetscCallCXX(found.resize(nrecv + 1));
  PetscCallCXX(answers.resize(nsend + 1));
  for (int i = 0; i < nrecv; i++) found[i] = cells[i] >= 0;
  PetscCallMPI(MPI_Alltoallv(found.data(), rcount.data(), rdispl.data(), MPI_INT, answers.data(), scount.data(), sdispl.data(), MPI_INT, comm));
  /* the lowest rank that found it; a particle nobody found stays */
  PetscCallCXX(dest.assign(n, -1));
  for (int r = 0; r < size; r++)
    for (size_t i = 0; i < candidates[r].size(); i++)
      if (answers[sdispl[r] + i] && dest[candidates[r][i]] < 0) dest[candidates[r][i]] = r;
  for (PetscInt p = 0; p < n; p++)
    if (dest[p] < 0) dest[p] = rank;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Move every field of every local particle to its destination rank (received in source rank order). */
static PetscErrorCode Move(DM sw, PetscInt n, const std::vector<PetscMPIInt> &dest, PetscObject who)
{
  MPI_Comm                       comm = PetscObjectComm((PetscObject)sw);
  PetscMPIInt                    size;
  std::vector<SwarmField>        fields;
  std::vector<std::string>       names;
  std::vector<size_t>            bytes;
  std::vector<std::vector<char>> packed;
  std::vector<PetscInt>          order(n);
  std::vector<int>               scount, rcount;
  PetscInt                       nlocal, nnew = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  for (PetscInt p = 0; p < n; p++) order[p] = p;
  std::stable_sort(order.begin(), order.end(), [&](PetscInt a, PetscInt b) { return dest[a] < dest[b]; });
  PetscCallCXX(scount.assign(size, 0));
  PetscCallCXX(rcount.assign(size, 0));
  for (PetscInt p = 0; p < n; p++) scount[dest[p]]++;
  PetscCallMPI(MPI_Alltoall(scount.data(), 1, MPI_INT, rcount.data(), 1, MPI_INT, comm));
  for (int r = 0; r < size; r++) nnew += rcount[r];
  if (PetscLogPrintInfo) {
    PetscMPIInt rank;
    const char *name;

    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    PetscCall(PetscObjectGetName((PetscObject)sw, &name));
    PetscCall(PetscInfo(who, "swarm \"%s\" placed by its cell DM: %" PetscInt_FMT " of this rank's %" PetscInt_FMT " particles sent to other ranks, %" PetscInt_FMT " received\n", name, n - (PetscInt)scount[rank], n, nnew - (PetscInt)rcount[rank]));
  }
  PetscCall(SwarmGetFields(sw, fields, &nlocal));
  PetscCheck(nlocal == n, PETSC_COMM_SELF, PETSC_ERR_PLIB, "swarm size changed during redistribution");
  for (const SwarmField &f : fields) { /* pack every field in destination order before the swarm is resized */
    PetscCallCXX(names.emplace_back(f.name));
    PetscCallCXX(bytes.push_back(f.bytes));
    PetscCallCXX(packed.emplace_back((size_t)n * f.bytes + 1));
    for (PetscInt i = 0; i < n; i++) std::memcpy(&packed.back()[i * f.bytes], static_cast<const char *>(f.data) + (size_t)order[i] * f.bytes, f.bytes);
  }
  PetscCall(DMSwarmSetLocalSizes(sw, nnew, -1));
  for (size_t k = 0; k < names.size(); k++) {
    std::vector<int> sc(size), sd(size, 0), rc(size), rd(size, 0);
    PetscInt         bs;
    PetscDataType    type;
    void            *data;

    for (int r = 0; r < size; r++) {
      sc[r] = scount[r] * (int)bytes[k];
      rc[r] = rcount[r] * (int)bytes[k];
      if (r > 0) {
        sd[r] = sd[r - 1] + sc[r - 1];
        rd[r] = rd[r - 1] + rc[r - 1];
      }
    }
    PetscCall(DMSwarmGetField(sw, names[k].c_str(), &bs, &type, &data));
    PetscCallMPI(MPI_Alltoallv(packed[k].data(), sc.data(), sd.data(), MPI_BYTE, data, rc.data(), rd.data(), MPI_BYTE, comm));
    PetscCall(DMSwarmRestoreField(sw, names[k].c_str(), &bs, &type, &data));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* The fields that describe where a particle lives, for the new distribution: its cell and its rank. */
static PetscErrorCode SetPlacement(DM sw, DM cell, PetscInt dim)
{
  PetscInt               n;
  std::vector<PetscReal> x;
  std::vector<PetscInt>  cells;
  PetscMPIInt            rank;
  PetscInt              *values;
  const char            *cellid;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)sw), &rank));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(Coordinates(sw, dim, n, x));
  PetscCall(LocateOwned(cell, dim, n, x.data(), cells));
  PetscCall(PetscSnapshotSwarmGetCellIdField(sw, &cellid)); /* DMSwarm_cellid, or <cell DM name>_cellid from 3.23 */
  if (cellid) {
    PetscCall(DMSwarmGetField(sw, cellid, nullptr, nullptr, (void **)&values));
    for (PetscInt p = 0; p < n; p++) values[p] = cells[p];
    PetscCall(DMSwarmRestoreField(sw, cellid, nullptr, nullptr, (void **)&values));
  }
  PetscCall(DMSwarmGetField(sw, DMSwarmField_rank, nullptr, nullptr, (void **)&values));
  for (PetscInt p = 0; p < n; p++) values[p] = rank;
  PetscCall(DMSwarmRestoreField(sw, DMSwarmField_rank, nullptr, nullptr, (void **)&values));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode SwarmRedistribute(DM sw, PetscObject who)
{
  DM                     cell;
  PetscBool              isplex = PETSC_FALSE;
  PetscInt               dim, n;
  std::vector<PetscReal> x;
  std::vector<PetscMPIInt> dest;

  PetscFunctionBegin;
  PetscCall(PetscSnapshotSwarmGetCellDM(sw, &cell));
  if (cell) PetscCall(PetscObjectTypeCompare((PetscObject)cell, DMPLEX, &isplex));
  if (!isplex) PetscFunctionReturn(PETSC_SUCCESS); /* no mesh to place particles by: each keeps its dealt share */
  PetscCall(DMGetDimension(cell, &dim));
  PetscCall(DMSwarmGetLocalSize(sw, &n));
  PetscCall(Coordinates(sw, dim, n, x));
  PetscCall(Destinations(sw, cell, dim, n, x, dest));
  PetscCall(Move(sw, n, dest, who));
  PetscCall(SetPlacement(sw, cell, dim));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
