static const char help[] = "-snapshot_monitor as PETSc's monitors: lines into an ASCII file viewer (PetscSnapshotSetMonitorViewer()\n"
                           "and -snapshot_monitor ascii:file::append), one per operation with its name, the bytes (exactly\n"
                           "the arrays captured: a DMDA's Vec of M values and its layout, 12 PetscInt per rank), the time and\n"
                           "GB/s; progress lines of an hdf5 capture and restore above the step, none below; non-ASCII viewers\n"
                           "refused, a negative progress step too; an hdf5 restore on another number of ranks (written on size-1 ranks) counts the bytes\n"
                           "the writer counted.\n";

#include <petscdmda.h>
#include <petscdmplex.h>
#include "testutil.h"

#define TEXT_SIZE 65536

typedef struct {
  char   op[16], type[32];
  int    number;
  double bytes, seconds, gbs;
} MonitorLine;

/* Rank 0 reads a file into text (empty elsewhere or when missing). */
static PetscErrorCode ReadText(const char file[], char *text)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  text[0] = 0;
  if (rank == 0) {
    FILE  *f   = fopen(file, "r");
    size_t len = 0;
    if (f) {
      len = fread(text, 1, TEXT_SIZE - 1, f);
      fclose(f);
    }
    text[len] = 0;
  }
  PetscFunctionReturn(0);
}

/* The monitor lines of text (not the progress lines): up to max, parsed; *nprogress: the progress lines containing
   want (NULL: all). A line that starts like a monitor line and does not parse counts as -1 lines. */
static int ParseLines(const char text[], MonitorLine lines[], int max, const char want[], int *nprogress)
{
  const char *p = text;
  int         n = 0;

  *nprogress = 0;
  while (*p) {
    const char *end = strchr(p, '\n');
    char        line[1024];
    size_t      len = end ? (size_t)(end - p) : strlen(p);

    if (len >= sizeof(line)) len = sizeof(line) - 1;
    memcpy(line, p, len);
    line[len] = 0;
    p += end ? len + 1 : len;
    if (strncmp(line, "Snapshot ", 9)) continue;
    if (strstr(line, " progress: ")) {
      if (!want || strstr(line, want)) (*nprogress)++;
      continue;
    }
    if (n < max) {
      MonitorLine *m = &lines[n];
      const char  *q = strstr(line, "), ");
      if (sscanf(line, "Snapshot %15s %d: type %31[^,],", m->op, &m->number, m->type) != 3 || !q || sscanf(q, "), %lf bytes, %lf s, %lf GB/s", &m->bytes, &m->seconds, &m->gbs) != 3) return -1;
    }
    n++;
  }
  return n;
}

/* Rank 0's verdict, shared by every rank; the text printed when it fails. */
static PetscErrorCode Expect(PetscBool cond, const char text[], const char what[])
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0 && !cond) PetscCall(PetscPrintf(PETSC_COMM_SELF, "%s\n", text));
  PetscCallMPI(MPI_Bcast(&cond, 1, EXAMPLE_MPI_BOOL, 0, PETSC_COMM_WORLD));
  PetscCall(TestCheck(PETSC_COMM_WORLD, cond, what));
  PetscFunctionReturn(0);
}

static PetscErrorCode RemoveFile(const char file[])
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) (void)remove(file);
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* A 1-d DMDA "line" of M values with a declared global Vec u. */
static PetscErrorCode CreateLine(PetscInt M, DM *da, Vec *u)
{
  PetscFunctionBeginUser;
  PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, M, 1, 1, NULL, da));
  PetscCall(DMSetUp(*da));
  PetscCall(PetscObjectSetName((PetscObject)*da, "line"));
  PetscCall(DMCreateGlobalVector(*da, u));
  PetscCall(VecSet(*u, 1.0));
  PetscCall(PetscSnapshotDMAddState(*da, "u", (PetscObject)*u));
  PetscFunctionReturn(0);
}

/* What the monitor counts for the line: the Vec's values and the DMDA's layout (12 PetscInt on each rank). */
static double LineBytes(PetscInt M)
{
  PetscMPIInt size;

  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  return (double)M * sizeof(PetscScalar) + (double)size * 12 * sizeof(PetscInt);
}

/* Every line has the operation, number, type and bytes expected. */
static PetscBool LinesAre(const MonitorLine lines[], int n, const char *const ops[], const int numbers[], const char type[], double bytes)
{
  for (int i = 0; i < n; i++)
    if (strcmp(lines[i].op, ops[i]) || lines[i].number != numbers[i] || strcmp(lines[i].type, type) || lines[i].bytes != bytes || !(lines[i].gbs >= 0) || !(lines[i].seconds >= 0)) return PETSC_FALSE;
  return PETSC_TRUE;
}

static PetscErrorCode MemoryToFile(char *text)
{
  const char *const ops[]     = {"capture", "restore", "capture", "restore"};
  const int         numbers[] = {1, 1, 2, 2};
  const PetscInt    M         = 1000;
  DM                da;
  Vec               u;
  PetscSnapshot     snap;
  PetscViewer       viewer;
  MonitorLine       lines[8];
  int               n, np;
  char              what[256];

  PetscFunctionBeginUser;
  PetscCall(CreateLine(M, &da, &u));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscViewerASCIIOpen(PETSC_COMM_WORLD, "monitor-memory.txt", &viewer));
  PetscCall(PetscSnapshotSetMonitorViewer(snap, viewer, PETSC_VIEWER_DEFAULT));
  PetscCall(PetscViewerDestroy(&viewer)); /* the snapshot holds it */
  PetscCall(PetscSnapshotCapture(snap, da));
  PetscCall(PetscSnapshotRestore(snap, da));
  PetscCall(VecSet(u, 2.0));
  PetscCall(PetscSnapshotCapture(snap, da));
  PetscCall(PetscSnapshotRestore(snap, da));
  PetscCall(PetscSnapshotDestroy(&snap)); /* closes the file */
  PetscCall(ReadText("monitor-memory.txt", text));
  n = ParseLines(text, lines, 8, NULL, &np);
  PetscCall(Expect((PetscBool)(n == 4 && np == 0), text, "memory: one monitor line per operation (2 captures, 2 restores) in the file viewer, no progress line"));
  PetscCall(PetscSNPrintf(what, sizeof(what), "memory: each line names the operation, its number, type memory and %.0f bytes (%d values and %d ranks' layouts), with a time and GB/s", LineBytes(M), (int)M, (int)(LineBytes(M) - M * sizeof(PetscScalar)) / (int)(12 * sizeof(PetscInt))));
  PetscCall(Expect((PetscBool)(n == 4 && LinesAre(lines, n, ops, numbers, "memory", LineBytes(M))), text, what));
  PetscCall(Expect((PetscBool)(strstr(text, "DM \"line\" (1 DM)") != NULL), text, "memory: the DM named, with how many DMs"));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

#if defined(PETSC_HAVE_HDF5)
static PetscErrorCode HDF5Progress(char *text)
{
  const char *const ops[]     = {"capture", "restore", "capture"};
  const int         numbers[] = {1, 1, 2};
  const PetscInt    M         = 1 << 16; /* 512 KB of values */
  DM                da;
  Vec               u;
  PetscSnapshot     snap;
  PetscViewer       viewer;
  MonitorLine       lines[8];
  int               n, np, written, inplace, read, restored, copied;
  char              what[256];

  PetscFunctionBeginUser;
  PetscCall(CreateLine(M, &da, &u));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetType(snap, PETSCSNAPSHOTHDF5));
  PetscCall(PetscSnapshotHDF5SetFileName(snap, "monitor.h5"));
  PetscCall(PetscViewerASCIIOpen(PETSC_COMM_WORLD, "monitor-hdf5.txt", &viewer));
  PetscCall(PetscSnapshotSetMonitorViewer(snap, viewer, PETSC_VIEWER_DEFAULT));
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCall(PetscSnapshotSetMonitorProgress(snap, 100000)); /* a line each 100 KB */
  PetscCall(PetscSnapshotCapture(snap, da));
  PetscCall(VecSet(u, -1.0));
  PetscCall(PetscSnapshotRestore(snap, da));
  PetscCall(PetscSnapshotSetMonitorProgress(snap, 1e9)); /* the default: above this capture's bytes */
  PetscCall(PetscSnapshotCapture(snap, da));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotSetMonitorProgress(snap, -1), "the step must be 0", "a negative progress step is refused");
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(ReadText("monitor-hdf5.txt", text));
  n = ParseLines(text, lines, 8, NULL, &np);
  PetscCall(PetscSNPrintf(what, sizeof(what), "hdf5: capture, restore, capture: each line with its number, type hdf5 and exactly %.0f bytes, a time and GB/s", LineBytes(M)));
  PetscCall(Expect((PetscBool)(n == 3 && LinesAre(lines, n, ops, numbers, "hdf5", LineBytes(M))), text, what));
  (void)ParseLines(text, lines, 8, "Snapshot capture 1 progress: wrote DM \"line\" array \"state/u\", ", &written);
  (void)ParseLines(text, lines, 8, "Snapshot capture 1 progress: copied and checksummed the arrays of 1 DM, writing monitor.h5", &copied);
  (void)ParseLines(text, lines, 8, "Snapshot capture 1 progress: monitor.h5 closed, sealed, flushed to disk and in place", &inplace);
  (void)ParseLines(text, lines, 8, "Snapshot restore 1 progress: read and verified monitor.h5", &read);
  (void)ParseLines(text, lines, 8, "Snapshot restore 1 progress: restored DM \"line\"", &restored);
  PetscCall(Expect((PetscBool)(written == 1 && copied == 1 && inplace == 1), text, "hdf5: the capture above the step shows its phases and the array that passed the step"));
  PetscCall(Expect((PetscBool)(read == 1 && restored == 1), text, "hdf5: the restore above the step shows the file read and verified and the DM restored"));
  (void)ParseLines(text, lines, 8, "Snapshot capture 2 progress", &np);
  PetscCall(Expect((PetscBool)(np == 0), text, "hdf5: no progress line for a capture below the step"));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

/* A DMPlex "mesh" on comm with a declared Vec of one value per vertex. */
static PetscErrorCode DeclareVertexVec(DM mesh, Vec *u)
{
  DM           vdm;
  PetscSection s;
  PetscInt     pStart, pEnd, vStart, vEnd;

  PetscFunctionBeginUser;
  PetscCall(DMClone(mesh, &vdm));
  PetscCall(PetscSectionCreate(PetscObjectComm((PetscObject)mesh), &s));
  PetscCall(DMPlexGetChart(mesh, &pStart, &pEnd));
  PetscCall(DMPlexGetDepthStratum(mesh, 0, &vStart, &vEnd));
  PetscCall(PetscSectionSetChart(s, pStart, pEnd));
  for (PetscInt v = vStart; v < vEnd; v++) PetscCall(PetscSectionSetDof(s, v, 1));
  PetscCall(PetscSectionSetUp(s));
  PetscCall(DMSetLocalSection(vdm, s));
  PetscCall(PetscSectionDestroy(&s));
  PetscCall(DMCreateGlobalVector(vdm, u));
  PetscCall(PetscObjectSetName((PetscObject)*u, "u"));
  PetscCall(VecSet(*u, 0.5));
  PetscCall(DMDestroy(&vdm));
  PetscCall(PetscSnapshotDMAddState(mesh, "u", (PetscObject)*u));
  PetscFunctionReturn(0);
}

/* Written on max(1, size-1) ranks, restored on size: the restore counts what the writer counted. */
static PetscErrorCode RestoreElsewhere(char *text)
{
  PetscMPIInt   size, rank, writers;
  MPI_Comm      wcomm;
  PetscViewer   viewer;
  PetscSnapshot snap;
  DM            mesh;
  Vec           u;
  MonitorLine   lines[4];
  double        written = -1, restoredBytes = -2;
  int           n, np;
  char          what[256];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  writers = size > 1 ? size - 1 : 1;
  PetscCallMPI(MPI_Comm_split(PETSC_COMM_WORLD, rank < writers ? 0 : MPI_UNDEFINED, rank, &wcomm));
  if (rank < writers) {
    PetscInt         faces[2] = {4, 3};
    DM               dist     = NULL;
    PetscPartitioner part;

    PetscCall(ExampleCreateBoxMesh(wcomm, 2, faces, NULL, NULL, NULL, &mesh));
    PetscCall(DMPlexGetPartitioner(mesh, &part));
    PetscCall(PetscPartitionerSetType(part, PETSCPARTITIONERSIMPLE));
    PetscCall(DMPlexDistribute(mesh, 0, NULL, &dist));
    if (dist) {
      PetscCall(DMDestroy(&mesh));
      mesh = dist;
    }
    PetscCall(PetscObjectSetName((PetscObject)mesh, "mesh"));
    PetscCall(DeclareVertexVec(mesh, &u));
    PetscCall(PetscSnapshotCreate(wcomm, &snap));
    PetscCall(PetscSnapshotSetType(snap, PETSCSNAPSHOTHDF5));
    PetscCall(PetscSnapshotHDF5SetFileName(snap, "monitor-nm.h5"));
    PetscCall(PetscViewerASCIIOpen(wcomm, "monitor-writer.txt", &viewer));
    PetscCall(PetscSnapshotSetMonitorViewer(snap, viewer, PETSC_VIEWER_DEFAULT));
    PetscCall(PetscViewerDestroy(&viewer));
    PetscCall(PetscSnapshotCapture(snap, mesh));
    PetscCall(PetscSnapshotDestroy(&snap));
    PetscCall(VecDestroy(&u));
    PetscCall(DMDestroy(&mesh));
    PetscCallMPI(MPI_Comm_free(&wcomm));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD)); /* the file is in place */
  PetscCall(ReadText("monitor-writer.txt", text));
  n = ParseLines(text, lines, 4, NULL, &np);
  if (n == 1 && !strcmp(lines[0].op, "capture")) written = lines[0].bytes;
  PetscCall(PetscSNPrintf(what, sizeof(what), "N->M: the writer on %d ranks printed one capture line with bytes", (int)writers));
  PetscCall(Expect((PetscBool)(written > 0), text, what));

  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetType(snap, PETSCSNAPSHOTHDF5));
  PetscCall(PetscSnapshotHDF5SetFileName(snap, "monitor-nm.h5"));
  PetscCall(PetscViewerASCIIOpen(PETSC_COMM_WORLD, "monitor-reader.txt", &viewer));
  PetscCall(PetscSnapshotSetMonitorViewer(snap, viewer, PETSC_VIEWER_DEFAULT));
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCall(PetscSnapshotHDF5LoadDM(snap, "mesh", &mesh));
  PetscCall(DeclareVertexVec(mesh, &u));
  PetscCall(VecSet(u, -1.0));
  PetscCall(PetscSnapshotRestore(snap, mesh));
  {
    PetscReal min, max;
    PetscCall(VecMin(u, NULL, &min));
    PetscCall(VecMax(u, NULL, &max));
    PetscCall(PetscSNPrintf(what, sizeof(what), "N->M: restored on %d ranks from %d: the values are back", (int)size, (int)writers));
    PetscCall(TestCheck(PETSC_COMM_WORLD, (PetscBool)(min == 0.5 && max == 0.5), what));
  }
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&mesh));
  PetscCall(ReadText("monitor-reader.txt", text));
  n = ParseLines(text, lines, 4, NULL, &np);
  if (n == 1 && !strcmp(lines[0].op, "restore")) restoredBytes = lines[0].bytes;
  PetscCall(PetscSNPrintf(what, sizeof(what), "N->M: the restore on %d ranks of the file written on %d counts the bytes the writer counted (%.0f)", (int)size, (int)writers, written));
  PetscCall(Expect((PetscBool)(restoredBytes > 0 && restoredBytes == written), text, what));
  PetscFunctionReturn(0);
}
#endif

/* -<prefix>snapshot_monitor ascii:file::append from the options database, twice into one file; a binary viewer refused. */
static PetscErrorCode FromOptions(char *text)
{
  const PetscInt M = 100;
  DM             da;
  Vec            u;
  PetscSnapshot  snap;
  PetscViewer    viewer;
  MonitorLine    lines[4];
  int            n, np;

  PetscFunctionBeginUser;
  PetscCall(CreateLine(M, &da, &u));
  PetscCall(RemoveFile("monitor-options.txt"));
  PetscCall(PetscOptionsSetValue(NULL, "-opt_snapshot_monitor", "ascii:monitor-options.txt::append"));
  for (int i = 0; i < 2; i++) {
    PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
    PetscCall(PetscSnapshotSetOptionsPrefix(snap, "opt_"));
    PetscCall(PetscSnapshotSetFromOptions(snap));
    PetscCall(PetscSnapshotCapture(snap, da));
    PetscCall(PetscSnapshotDestroy(&snap));
  }
  PetscCall(PetscOptionsClearValue(NULL, "-opt_snapshot_monitor"));
  PetscCall(ReadText("monitor-options.txt", text));
  n = ParseLines(text, lines, 4, NULL, &np);
  PetscCall(Expect((PetscBool)(n == 2 && !strcmp(lines[0].op, "capture") && !strcmp(lines[1].op, "capture") && lines[0].bytes == LineBytes(M) && lines[1].bytes == LineBytes(M)), text,
                   "options: -snapshot_monitor ascii:file::append puts each snapshot's capture line into the file, appended"));

  PetscCall(PetscOptionsSetValue(NULL, "-bad_snapshot_monitor", "binary:monitor.bin"));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetOptionsPrefix(snap, "bad_"));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotSetFromOptions(snap), "viewer type binary is not supported, only ASCII", "options: -snapshot_monitor binary:file is refused, naming what works");
  PetscCall(PetscOptionsClearValue(NULL, "-bad_snapshot_monitor"));
  PetscCall(PetscOptionsSetValue(NULL, "-bad_snapshot_monitor_progress", "-5"));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotSetFromOptions(snap), "the step must be 0", "options: a negative -snapshot_monitor_progress is refused with the setter's error");
  PetscCall(PetscOptionsClearValue(NULL, "-bad_snapshot_monitor_progress"));
  PetscCall(PetscViewerBinaryOpen(PETSC_COMM_WORLD, "monitor.bin", FILE_MODE_WRITE, &viewer));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotSetMonitorViewer(snap, viewer, PETSC_VIEWER_DEFAULT), "viewer type binary is not supported, only ASCII", "a binary viewer given to the setter is refused");
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCall(PetscSnapshotSetMonitor(snap, PETSC_TRUE)); /* stdout, then off again: the boolean setter still works */
  PetscCall(PetscSnapshotSetMonitor(snap, PETSC_FALSE));
  PetscCall(PetscSnapshotCapture(snap, da));
  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  static char text[TEXT_SIZE];
  int         code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(MemoryToFile(text));
#if defined(PETSC_HAVE_HDF5)
  PetscCall(HDF5Progress(text));
  PetscCall(RestoreElsewhere(text));
#endif
  PetscCall(FromOptions(text));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
