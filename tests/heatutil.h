/* The tests' real solver: the examples' heat problem (examples/heat_problem.h) on a deterministic box mesh, with its
   solution declared as the mesh's snapshot state "solution". */
#ifndef PETSCSNAPSHOT_HEATUTIL_H
#define PETSCSNAPSHOT_HEATUTIL_H

#include "meshutil.h"

typedef struct {
  DM  dm;
  TS  ts;
  Vec u; /* the TS solution, declared as the mesh's state "solution" */
} Heat;

static PetscErrorCode HeatCreate(MPI_Comm comm, PetscInt n, PetscReal dt, Heat *h)
{
  PetscFunctionBeginUser;
  PetscCall(CreateBoxMesh(comm, n, PETSC_FALSE, "mesh", &h->dm));
  PetscCall(HeatProblemSetUp(h->dm, dt, &h->ts, &h->u));
  PetscCall(PetscSnapshotDMAddState(h->dm, "solution", (PetscObject)h->u));
  PetscFunctionReturn(0);
}
static PetscErrorCode HeatSteps(Heat *h, PetscInt k)
{
  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < k; i++) PetscCall(TSStep(h->ts));
  PetscFunctionReturn(0);
}

static PetscErrorCode HeatDestroy(Heat *h)
{
  PetscFunctionBeginUser;
  PetscCall(VecDestroy(&h->u));
  PetscCall(TSDestroy(&h->ts));
  PetscCall(DMDestroy(&h->dm));
  PetscFunctionReturn(0);
}

#endif
