static const char help[] = "PetscSnapshotView: summary (default, ::ascii_info) and per-rank detail (::ascii_info_detail); a struct\n"
                           "shown by its size in bytes; unsupported viewer types refused.\n";

#include <petscdmda.h>
#if defined(PETSC_HAVE_HDF5)
  #include <petscviewerhdf5.h>
#endif
#include "testutil.h"

typedef struct {
  PetscInt  counts[4];
  PetscReal values[2];
} Counters; /* 32 bytes with 32-bit PetscInt */

/* View with a format into a file; rank 0 reads it back into text (size bytes). */
static PetscErrorCode ViewText(PetscSnapshot snap, const char file[], PetscViewerFormat format, PetscBool push, char *text, size_t size)
{
  PetscViewer viewer;
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCall(PetscViewerASCIIOpen(PETSC_COMM_WORLD, file, &viewer));
  if (push) PetscCall(PetscViewerPushFormat(viewer, format));
  PetscCall(PetscSnapshotView(snap, viewer));
  if (push) PetscCall(PetscViewerPopFormat(viewer));
  PetscCall(PetscViewerDestroy(&viewer));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  text[0] = 0;
  if (rank == 0) {
    FILE  *f   = fopen(file, "r");
    size_t len = 0;
    if (f) {
      len = fread(text, 1, size - 1, f);
      fclose(f);
    }
    text[len] = 0;
  }
  PetscFunctionReturn(0);
}

/* Rank 0's verdict on text, shared by all ranks. */
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

int main(int argc, char **argv)
{
  static char   info[16384], detail[16384], deflt[16384];
  char          want[256];
  DM            da;
  Vec           u;
  PetscSnapshot snap;
  Counters      counters = {{1, 2, 3, 4}, {0.5, 0.25}};
  PetscMPIInt   size, rank;
  PetscViewer   viewer;
  PetscBool     all = PETSC_TRUE;
  int           code;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, 10, 1, 1, NULL, &da));
  PetscCall(DMSetUp(da));
  PetscCall(PetscObjectSetName((PetscObject)da, "line"));
  PetscCall(DMCreateGlobalVector(da, &u));
  PetscCall(VecSet(u, 1.0));
  PetscCall(PetscSnapshotDMAddState(da, "u", (PetscObject)u));
  PetscCall(PetscSnapshotDMAddStateBytes(da, "counters", &counters, sizeof(counters), 1));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotCapture(snap, da));
  PetscCall(PetscSnapshotRestore(snap, da));

  PetscCall(ViewText(snap, "view-info.txt", PETSC_VIEWER_ASCII_INFO, PETSC_TRUE, info, sizeof(info)));
  PetscCall(ViewText(snap, "view-detail.txt", PETSC_VIEWER_ASCII_INFO_DETAIL, PETSC_TRUE, detail, sizeof(detail)));
  PetscCall(ViewText(snap, "view-default.txt", PETSC_VIEWER_DEFAULT, PETSC_FALSE, deflt, sizeof(deflt)));

  PetscCall(PetscSNPrintf(want, sizeof(want), "array \"state/counters\": struct, %d bytes on each rank, %d bytes in all\n", (int)sizeof(Counters), (int)sizeof(Counters) * size));
  PetscCall(Expect((PetscBool)(strstr(info, want) != NULL), info, "info: a declared struct is shown by its size in bytes on each rank and in all"));
  PetscCall(Expect((PetscBool)(strstr(info, "items") == NULL), info, "info: no \"items\" of unknown size"));
  PetscCall(Expect((PetscBool)(strstr(info, "Vec \"state/u\": DOUBLE, bs 1, ") != NULL && strstr(info, "(10 values in all), 80 bytes in all") != NULL), info, "info: the Vec with its values in all and its bytes"));
  PetscCall(PetscSNPrintf(want, sizeof(want), "%s", size == 3 ? "3 values to 4 values per rank" : size == 2 ? "5 values on each rank" : "10 values on each rank"));
  PetscCall(Expect((PetscBool)(strstr(info, want) != NULL), info, "info: the range of the Vec's values per rank"));
  PetscCall(Expect((PetscBool)(strstr(info, "captures: 1, restores: 1, DMs held: 1") != NULL), info, "info: captures and restores counted"));
  PetscCall(Expect((PetscBool)(strstr(info, "[0]") == NULL), info, "info is a summary: no per-rank lines"));
  PetscCall(Expect((PetscBool)(strcmp(info, deflt) == 0), deflt, "the default format is the summary"));
  for (int r = 0; r < size; r++) {
    PetscCall(PetscSNPrintf(want, sizeof(want), "[%d] %d bytes\n", r, (int)sizeof(Counters)));
    if (!strstr(detail, want)) all = PETSC_FALSE;
    PetscCall(PetscSNPrintf(want, sizeof(want), "[%d] %d values, %d bytes", r, size == 3 ? (r == 0 ? 4 : 3) : 10 / size, 8 * (size == 3 ? (r == 0 ? 4 : 3) : 10 / size)));
    if (!strstr(detail, want)) all = PETSC_FALSE;
  }
  PetscCall(Expect(all, detail, "detail: for each array one line per rank with its amount and bytes"));
  PetscCall(Expect((PetscBool)(strncmp(info, detail, 40) == 0 && strlen(detail) > strlen(info)), detail, "detail is the summary plus the per-rank lines"));

  PetscCall(PetscViewerBinaryOpen(PETSC_COMM_WORLD, "view.bin", FILE_MODE_WRITE, &viewer));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotView(snap, viewer), "viewer type binary is not supported, only ASCII", "a binary viewer is refused with an error naming what works");
  PetscCall(PetscViewerDestroy(&viewer));
#if defined(PETSC_HAVE_HDF5)
  PetscCall(PetscViewerHDF5Open(PETSC_COMM_WORLD, "view.h5", FILE_MODE_WRITE, &viewer));
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotView(snap, viewer), "cannot view a PetscSnapshot into an HDF5 viewer", "an HDF5 viewer is refused: the hdf5 type is the HDF5 form");
  PetscCall(PetscViewerDestroy(&viewer));
#endif
  TestExpectError(PETSC_COMM_WORLD, PetscSnapshotView(snap, (PetscViewer)u), "is not a PetscViewer", "a Vec passed as the viewer is refused");

  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&da));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &code));
  PetscCall(PetscFinalize());
  return code;
}
