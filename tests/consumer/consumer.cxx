// A C++ program using the installed petsc-snapshot (the public header is C, usable from C++): a DMDA with a declared
// Vec and a declared struct; capture, overwrite both, restore; the Vec compared with VecEqual, the struct bytewise.
static const char help[] = "C++ consumer of an installed petsc-snapshot.\n";

#include <petscdmda.h>
#include <petscsnapshot.h>

#include <array>
#include <cstring>

struct Counters {
  std::array<PetscInt, 3> steps;
  double                  energy;
};

int main(int argc, char **argv)
{
  DM            da;
  Vec           u, saved;
  PetscSnapshot snap;
  Counters      counters{{1, 2, 3}, 0.5};
  PetscBool     vecSame;

  PetscCall(PetscInitialize(&argc, &argv, nullptr, help));
  PetscCall(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, 64, 1, 1, nullptr, &da));
  PetscCall(DMSetUp(da));
  PetscCall(PetscObjectSetName((PetscObject)da, "line"));
  PetscCall(DMCreateGlobalVector(da, &u));
  PetscCall(VecSetRandom(u, nullptr));
  PetscCall(VecDuplicate(u, &saved));
  PetscCall(VecCopy(u, saved));
  const Counters before = counters;

  PetscCall(PetscSnapshotDMAddState(da, "u", (PetscObject)u));
  PetscCall(PetscSnapshotDMAddStateBytes(da, "counters", &counters, sizeof counters, 1));
  PetscCall(PetscSnapshotCreate(PETSC_COMM_WORLD, &snap));
  PetscCall(PetscSnapshotSetFromOptions(snap));
  PetscCall(PetscSnapshotCapture(snap, da));
  PetscCall(VecScale(u, -3.0));
  counters.steps[1] = 99;
  counters.energy   = -1.0;
  PetscCall(PetscSnapshotRestore(snap, da));
  PetscCall(VecEqual(u, saved, &vecSame));
  const bool same = vecSame && std::memcmp(&counters, &before, sizeof counters) == 0;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: C++ consumer restored its Vec and struct exactly\n", same ? "ok" : "FAIL"));

  PetscCall(PetscSnapshotDestroy(&snap));
  PetscCall(VecDestroy(&saved));
  PetscCall(VecDestroy(&u));
  PetscCall(DMDestroy(&da));
  PetscCall(PetscFinalize());
  return same ? 0 : 1;
}
