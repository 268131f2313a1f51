/* The TS attachment (attach.cxx) and its restep check (restep.cxx): what they share. */
#ifndef PETSCSNAPSHOT_TS_ATTACH_HPP
#define PETSCSNAPSHOT_TS_ATTACH_HPP

#include "../include/snapshotimpl.hpp"

#include <petsc/private/tsimpl.h>

#include <string>
#include <utility>
#include <vector>

namespace petscsnapshot
{

typedef PetscErrorCode (*StepFn)(TS);

/* An object composed on a TS (a TS, Vec or DM) that is not declared on its DM, declared under key while captured */
struct Composed {
  std::string key; /* the temporary declaration key */
  PetscObject obj;
  std::string name; /* the key it is composed under */
};

/* restep check: the objects of a TS that a callback can replace, each with how a report names it (restep.cxx) */
typedef std::vector<std::pair<std::string, PetscObjectId>> Identity;
/* restep check: a checksum of each label of the TS's DM not declared as state, by name (restep_labels.cxx) */
typedef std::vector<std::pair<std::string, uint64_t>> LabelSums;

struct Attachment {
  PetscSnapshot snap = nullptr; /* referenced: the TS keeps its snapshot alive */
  StepFn        step = nullptr; /* the method's own step */
  PetscErrorCode (*userPreStage)(TS, PetscReal) = nullptr;
  PetscBool     active  = PETSC_FALSE; /* the start of the current step is captured and its retries are watched */
  PetscBool     wrapped = PETSC_FALSE; /* ... by the step wrapper (else lazily, by the first pre-stage of the step) */
  PetscInt      steps   = -1;          /* the step being watched (lazy mode): step number and time at its start */
  PetscReal     ptime   = 0;
  PetscInt      reject  = 0;           /* ts->reject when the current step began or was last rolled back */
  PetscInt      rolled  = 0;           /* retries rolled back in the current take of the step */
  PetscBool     lost    = PETSC_FALSE; /* the check-stage found this step unwatched (both other anchors were replaced) */
  PetscInt      lostReject = 0;        /* ts->reject when it did */
  PetscBool     started = PETSC_FALSE; /* snap holds the start of the step that began at (steps, ptime) */
  PetscBool     lazyOpen = PETSC_FALSE; /* ... which began without the step wrapper, whose end nobody saw */
  PetscSnapshot takes[2] = {nullptr, nullptr}; /* restep check: the results of the two takes */
  PetscBool     retaking = PETSC_FALSE; /* restep check: the previous step is being taken again through TSStep() */
  PetscBool     havePrev = PETSC_FALSE; /* restep check: snap holds the start of the previous step */
  DM            scratch  = nullptr;     /* restep check: a DM on which the undeclared composed objects are captured */
  PetscSnapshot composed[2] = {nullptr, nullptr}; /* ... before and after the first take of a step */
  PetscBool     haveAfter = PETSC_FALSE; /* composed[1] holds them after the previous step */
  Identity      composedIds;              /* ... which objects they were (name composed under, id) */
  Identity      identity;                 /* ... the objects of the TS after the previous step */
  PetscBool     haveIdentity = PETSC_FALSE;
  PetscBool     restepUnsupportedSaid = PETSC_FALSE; /* restep check: the method's steps are not taken twice, said */
  std::vector<Composed> held; /* -snapshot_ts_composed: the composed objects captured with the start of the step (referenced) */
  LabelSums     labels;                   /* ... the undeclared labels of its DM after the previous step */
  PetscBool     haveLabels = PETSC_FALSE;
};

/* attach.cxx */
PETSC_INTERN PetscErrorCode TSAttachEnsureDeclared(TS);
PETSC_INTERN PetscErrorCode TSAttachRestoreStart(Attachment *, TS, PetscBool);
PETSC_INTERN PetscErrorCode TSAttachTakeStep(TS, Attachment *);

/* restep.cxx */
PETSC_INTERN PetscErrorCode TSFindUndeclaredComposed(TS, std::vector<Composed> *);
PETSC_INTERN PetscErrorCode TSDeclareComposed(DM, const std::vector<Composed> &, PetscBool);
PETSC_INTERN PetscErrorCode TSRestepCheckStep(TS, Attachment *);
PETSC_INTERN PetscErrorCode TSRestepCheckBetweenSteps(TS, Attachment *);
PETSC_INTERN PetscErrorCode TSRestepDestroy(Attachment *);

/* restep_labels.cxx: the undeclared labels' checksums (local); the first that differs between two (collective: agreed
   over the TS's ranks; empty when none) */
PETSC_INTERN PetscErrorCode RestepLabelSums(DM, LabelSums *);
PETSC_INTERN PetscErrorCode RestepChangedLabel(TS, const LabelSums &, const LabelSums &, std::string *);

} // namespace petscsnapshot

#endif
