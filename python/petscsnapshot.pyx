# cython: language_level=3, embedsignature=True
"""petsc-snapshot for petsc4py: "git stash for timesteps".

``Snapshot().create(comm)`` makes a snapshot; ``snap.capture(dm)`` stashes the whole mutable state of a DM
(coordinates, declared Vecs and user state, a DMSwarm's particles) and ``snap.restore(dm)`` puts it back bit for bit,
after checking on every rank that it fits. ``addState(dm, key, obj)`` declares what else belongs to a DM: a petsc4py
Vec, IS, DM or TS, a NumPy array, any picklable object, or a pair of callables. Errors are ``petsc4py.PETSc.Error``,
raised on every rank.
"""

include "libpetscsnapshot.pxi"
include "errors.pxi"
include "pystate.pxi"
include "snapshot.pxi"
include "declare.pxi"
include "bearers.pxi"
include "initargs.pxi"
include "module.pxi"
