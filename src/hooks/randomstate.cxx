/* A PetscRandom declared as state (PetscSnapshotDMAddState()): its type, seed, interval and generator state, per rank,
   so that a retried step draws the same numbers. Arrays: "state/<key>" the type name, "state/<key>#settings" the seed
   and whether an interval was set (int64), "state/<key>#interval" low and width, "state/<key>#generator" the
   generator's bytes. Only types whose state can be read are captured (PetscRandomTypes below); the others are refused
   at capture naming the type. The generator's state is this process's: where the points are redistributed (another
   rank count or partition) the state is refused, a stream has no rank to go to there. */
#include "../include/snapshotimpl.hpp"
#include "builtin.hpp"

#include <petsc/private/randomimpl.h>
#include <stdlib.h> /* seed48() */
#include <cstring>
#include <vector>

namespace petscsnapshot
{

/* PETSc's private PetscRandom_Rander48 (src/sys/classes/random/impls/rander48/rander48.c, the same layout from 3.18 to
   3.25), held in PetscRandom->data. Its multiplier and addend are constants PETSc sets at every seeding: a mirror that
   does not find them there does not match the library's layout, and the type is refused rather than misread. */
struct MirrorRander48 {
  unsigned short seed[3];
  unsigned short mult[3];
  unsigned short add;
};
static_assert(sizeof(MirrorRander48) == 7 * sizeof(unsigned short), "PetscRandom_Rander48 is 7 unsigned shorts");

static bool Rander48Matches(PetscRandom r)
{
  const MirrorRander48 *s = static_cast<const MirrorRander48 *>(r->data);
  return s && s->mult[0] == 0xe66d && s->mult[1] == 0xdeec && s->mult[2] == 0x0005 && s->add == 0x000b;
}

/* PETSCRAND48 keeps no state of its own: it draws from the C library's drand48() stream, one per process (every
   PETSCRAND48 PetscRandom and every drand48() call of the program share it). seed48() reads it (and sets it: it is put
   back at once; it also resets lcong48()'s multiplier and addend to their defaults, which PETSc never changes). */
static void Rand48Read(unsigned short x[3])
{
  unsigned short  probe[3] = {0, 0, 0};
  unsigned short *previous = seed48(probe);

  std::memcpy(x, previous, 3 * sizeof(unsigned short));
  (void)seed48(x);
}

struct RandomGenerator {
  const char *type;
  size_t      bytes;
  /* false when the state of this PetscRandom cannot be read after all */
  bool (*read)(PetscRandom, void *);
  void (*write)(PetscRandom, const void *);
};

static const RandomGenerator generators[] = {
  {PETSCRAND48, 3 * sizeof(unsigned short),
   [](PetscRandom, void *b) {
     Rand48Read(static_cast<unsigned short *>(b));
     return true;
   },
   [](PetscRandom, const void *b) {
     unsigned short x[3];
     std::memcpy(x, b, sizeof(x));
     (void)seed48(x);
   }},
  {PETSCRANDER48, sizeof(MirrorRander48),
   [](PetscRandom r, void *b) {
     if (!Rander48Matches(r)) return false;
     std::memcpy(b, r->data, sizeof(MirrorRander48));
     return true;
   },
   [](PetscRandom r, const void *b) { std::memcpy(r->data, b, sizeof(MirrorRander48)); }},
};

static const RandomGenerator *GeneratorOf(const char type[])
{
  for (const RandomGenerator &g : generators)
    if (type && !std::strcmp(g.type, type)) return &g;
  return nullptr;
}

static std::string RandomPart(const char name[], const char part[])
{
  return std::string(name) + '#' + part;
}

/* the key of "state/<key>" */
static const char *KeyOf(const char name[])
{
  const char *slash = std::strchr(name, '/');
  return slash ? slash + 1 : name;
}

PetscErrorCode CaptureRandomState(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  PetscRandom            r = (PetscRandom)obj;
  const char            *type;
  const RandomGenerator *g;
  std::vector<char>      bytes;
  PetscInt64             settings[2];
  PetscScalar            interval[2] = {r->low, r->width};

  PetscFunctionBegin;
  PetscCall(PetscObjectGetType(obj, &type));
  g = GeneratorOf(type);
  if (!g) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "PetscRandom \"%s\" is of type %s, whose generator state cannot be read (it is captured for the types %s and %s only)", KeyOf(name), type ? type : "(none)", PETSCRAND48, PETSCRANDER48));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCallCXX(bytes.resize(g->bytes));
  if (!g->read(r, bytes.data())) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "PetscRandom \"%s\" of type %s: its generator state does not have the layout petsc-snapshot knows for this type, so it cannot be read", KeyOf(name), type));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  settings[0] = (PetscInt64)r->seed;
  settings[1] = r->iset ? 1 : 0;
  PetscCall(PetscSnapshotRecordPutArray(rec, name, PETSC_CHAR, 1, (PetscInt)std::strlen(type), type));
  PetscCall(PetscSnapshotRecordPutArray(rec, RandomPart(name, "settings").c_str(), PETSC_INT64, 1, 2, settings));
  PetscCall(PetscSnapshotRecordPutArray(rec, RandomPart(name, "interval").c_str(), PETSC_SCALAR, 1, 2, interval));
  PetscCall(PetscSnapshotRecordPutArray(rec, RandomPart(name, "generator").c_str(), PETSC_STRUCT, 1, (PetscInt)g->bytes, bytes.data()));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode CheckRandomState(PetscSnapshotRecord rec, const char name[], PetscObject obj, const char what[])
{
  PetscSnapshotRecordInfo info{}, settings{}, interval{}, generator{};
  PetscBool               redistributed, found, ok = PETSC_TRUE;
  const char             *type;
  const RandomGenerator  *g;
  std::string             captured;

  PetscFunctionBegin;
  PetscCall(RecordRedistributed(rec, &redistributed));
  if (redistributed) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "%s is the random stream of each rank: it can be restored only on the %d ranks that captured it, into the same partition", what, rec->entry->commSize));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCall(PetscSnapshotRecordGetInfo(rec, name, &found, &info));
  if (!found || info.type != PETSC_CHAR || info.bs != 1) ok = PETSC_FALSE;
  PetscCall(PetscSnapshotRecordGetInfo(rec, RandomPart(name, "settings").c_str(), &found, &settings));
  if (!found || settings.type != PETSC_INT64 || settings.bs != 1 || settings.n != 2) ok = PETSC_FALSE;
  PetscCall(PetscSnapshotRecordGetInfo(rec, RandomPart(name, "interval").c_str(), &found, &interval));
  if (!found || interval.type != PETSC_SCALAR || interval.bs != 1 || interval.n != 2) ok = PETSC_FALSE;
  PetscCall(PetscSnapshotRecordGetInfo(rec, RandomPart(name, "generator").c_str(), &found, &generator));
  if (!found || generator.type != PETSC_STRUCT || generator.bs != 1) ok = PETSC_FALSE;
  if (!ok) {
    PetscCall(PetscSnapshotRecordRefuse(rec, "%s was captured as another kind of object", what));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCallCXX(captured.assign((size_t)info.n, '\0'));
  if (info.n) PetscCall(PetscSnapshotRecordGetArray(rec, name, PETSC_CHAR, 1, info.n, captured.data()));
  PetscCall(PetscObjectGetType(obj, &type));
  g = GeneratorOf(captured.c_str());
  if (captured != (type ? type : "")) PetscCall(PetscSnapshotRecordRefuse(rec, "%s was of type %s at capture and is of type %s now", what, captured.c_str(), type ? type : "(none)"));
  else if (!g || (size_t)generator.n != g->bytes) PetscCall(PetscSnapshotRecordRefuse(rec, "%s of type %s: its captured generator state (%" PetscInt_FMT " bytes) is not one this library can restore", what, captured.c_str(), generator.n));
  else {
    std::vector<char> probe;

    PetscCallCXX(probe.resize(g->bytes));
    if (!g->read((PetscRandom)obj, probe.data())) PetscCall(PetscSnapshotRecordRefuse(rec, "%s of type %s: its generator state does not have the layout petsc-snapshot knows for this type, so it cannot be restored", what, type));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

PetscErrorCode RestoreRandomState(PetscSnapshotRecord rec, const char name[], PetscObject obj)
{
  PetscRandom            r = (PetscRandom)obj;
  const char            *type;
  const RandomGenerator *g;
  PetscInt64             settings[2];
  PetscScalar            interval[2];
  std::vector<char>      bytes;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetType(obj, &type));
  g = GeneratorOf(type); /* the check hook verified the type and the size */
  PetscCheck(g, PETSC_COMM_SELF, PETSC_ERR_PLIB, "PetscRandom type %s changed between check and restore", type ? type : "(none)");
  PetscCallCXX(bytes.resize(g->bytes));
  PetscCall(PetscSnapshotRecordGetArray(rec, RandomPart(name, "settings").c_str(), PETSC_INT64, 1, 2, settings));
  PetscCall(PetscSnapshotRecordGetArray(rec, RandomPart(name, "interval").c_str(), PETSC_SCALAR, 1, 2, interval));
  PetscCall(PetscSnapshotRecordGetArray(rec, RandomPart(name, "generator").c_str(), PETSC_STRUCT, 1, (PetscInt)g->bytes, bytes.data()));
  r->seed  = (unsigned long)settings[0];
  r->iset  = settings[1] ? PETSC_TRUE : PETSC_FALSE;
  r->low   = interval[0];
  r->width = interval[1];
  g->write(r, bytes.data());
  PetscCall(PetscObjectStateIncrease(obj));
  PetscFunctionReturn(PETSC_SUCCESS);
}

} // namespace petscsnapshot
