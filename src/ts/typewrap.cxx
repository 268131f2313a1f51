/* -ts_snapshot in programs that never heard of petsc-snapshot: loaded with -dll_append, the package puts, under the
   name of every TS type PETSc registered, a constructor that calls PETSc's own and then adds an options handler to
   the TS; TSSetFromOptions() runs the handler, which attaches a snapshot when -ts_snapshot or
   -ts_snapshot_test_restep is set for the TS's options prefix (docs/design.md, "Unmodified programs"). */
#include "attach.hpp"

#include <array>
#include <string>
#include <type_traits>
#include <utility>

namespace petscsnapshot
{

typedef PetscErrorCode (*TSConstructor)(TS);

/* The second argument of an options handler: PetscOptionItems * up to PETSc 3.24, PetscOptionItems (a pointer) since. */
template <typename>
struct HandlerItems;
template <typename R, typename A1, typename A2, typename A3>
struct HandlerItems<R (*)(A1, A2, A3)> {
  typedef A2 type;
};
typedef HandlerItems<std::remove_reference<decltype(((PetscObject) nullptr)->optionhandler[0])>::type>::type OptionItemsArg;

/* One trampoline per wrapped type; a type beyond the table is left as PETSc registered it (said by -info). */
static constexpr std::size_t maxWrappedTypes = 128;
static TSConstructor         originalConstructors[maxWrappedTypes];
static PetscBool             typesWrapped = PETSC_FALSE;

static PetscErrorCode SnapshotOptionsHandler(PetscObject, OptionItemsArg, void *);

/* Add the handler once per TS: TSSetType() runs a constructor at each change of type, the handlers stay. */
static PetscErrorCode AddSnapshotOptionsHandler(TS ts)
{
  PetscObject obj = (PetscObject)ts;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < obj->noptionhandler; i++)
    if (obj->optionhandler[i] == SnapshotOptionsHandler) PetscFunctionReturn(PETSC_SUCCESS);
  if (obj->noptionhandler >= PETSC_MAX_OPTIONS_HANDLER) { /* PETSc's limit: the TS keeps the handlers it has */
    PetscCall(PetscInfo(ts, "petsc-snapshot: no free options handler on the TS (PETSc allows %d): -ts_snapshot is not read for it\n", (int)PETSC_MAX_OPTIONS_HANDLER));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscObjectAddOptionsHandler(obj, SnapshotOptionsHandler, nullptr, nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

template <std::size_t I>
static PetscErrorCode WrappedConstructor(TS ts)
{
  PetscFunctionBegin;
  PetscCall(originalConstructors[I](ts));
  PetscCall(AddSnapshotOptionsHandler(ts));
  PetscFunctionReturn(PETSC_SUCCESS);
}

template <std::size_t... I>
static constexpr std::array<TSConstructor, sizeof...(I)> MakeTrampolines(std::index_sequence<I...>)
{
  return {{WrappedConstructor<I>...}};
}

static constexpr std::array<TSConstructor, maxWrappedTypes> trampolines = MakeTrampolines(std::make_index_sequence<maxWrappedTypes>{});

/* Runs inside TSSetFromOptions(), with the TS's prefix: -[prefix]ts_snapshot, -[prefix]ts_snapshot_test_restep. */
static PetscErrorCode SnapshotOptionsHandler(PetscObject obj, OptionItemsArg PetscOptionsObject, void *)
{
  TS        ts     = (TS)obj;
  PetscBool attach = PETSC_FALSE, restep = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(PetscOptionsBool("-ts_snapshot", "Attach a petsc-snapshot that rolls back every rejected step", "PetscSnapshotTSSetFromOptions", attach, &attach, nullptr));
  /* attaches too; listed by -help as the attached snapshot's own -snapshot_test_restep (prefix ts_) */
  PetscCall(PetscOptionsGetBool(obj->options, obj->prefix, "-ts_snapshot_test_restep", &restep, nullptr));
  if (attach || restep) PetscCall(PetscSnapshotTSAttachFromOptions_Internal(ts, nullptr));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode ForgetWrappedTypes(void)
{
  PetscFunctionBegin;
  typesWrapped = PETSC_FALSE; /* TSFinalizePackage() destroys the list; a new PetscInitialize() registers afresh */
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot

using namespace petscsnapshot;

/* Called by PetscDLLibraryRegister_petscsnapshot(): wrap the constructor of every TS type registered so far. */
PetscErrorCode PetscSnapshotWrapTSTypes_Internal(void)
{
  const char **names = nullptr;
  int          n     = 0;
  std::size_t  used  = 0;

  PetscFunctionBegin;
  if (typesWrapped) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(TSInitializePackage());
  PetscCall(PetscFunctionListGet(TSList, &names, &n));
  for (int i = 0; i < n; i++) {
    TSConstructor original = nullptr;
    std::string   name;

    if (!names[i]) continue;       /* PETSc before 3.20 ends the array with NULL, counted in n */
    PetscCallCXX(name = names[i]); /* the list's own string: TSRegister() below may replace the entry */
    PetscCall(PetscFunctionListFind(TSList, name.c_str(), &original));
    if (!original) continue;
    if (used == maxWrappedTypes) {
      PetscCall(PetscInfo(nullptr, "petsc-snapshot: TS type %s not wrapped (more than %zu types): -ts_snapshot is not read for it\n", name.c_str(), maxWrappedTypes));
      continue;
    }
    originalConstructors[used] = original;
    PetscCall(TSRegister(name.c_str(), trampolines[used]));
    used++;
  }
  PetscCall(PetscFree(names));
  typesWrapped = PETSC_TRUE;
  PetscCall(PetscRegisterFinalize(ForgetWrappedTypes));
  PetscCall(PetscInfo(nullptr, "petsc-snapshot: -ts_snapshot is read by TSSetFromOptions() of the %zu TS types registered\n", used));
  PetscFunctionReturn(PETSC_SUCCESS);
}
