"""Run as a script (python3 exit_undestroyed.py, under mpiexec at 1 and 2 ranks), never under pytest: every kind of
state declared on a DM, snapshots captured (one attached to a TS), one dropped, and nothing destroyed. petsc4py's
PetscFinalize destroys what is left after the interpreter has finalized; the process must still exit with status 0
(ctest fails on a nonzero status and on "Segmentation" in the output)."""
import atexit
import os
import sys

import petsc4py


def capture_at_exit():
    # registered before petscsnapshot's own exit hook, so it runs after it: the declared Python objects are released
    try:
        snap.capture(mesh)
        print("FAIL: a capture after petscsnapshot released the declared objects succeeded")
    except PETSc.Error as e:
        print("ok: a capture at exit fails" if "interpreter is exiting" in str(e) else "FAIL: %s" % e)


atexit.register(capture_at_exit)

petsc4py.init(sys.argv)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
from petsc4py import PETSc  # noqa: E402

import petscsnapshot as ps  # noqa: E402
from snaputil import COMM, Params, make_field, make_mesh, make_swarm  # noqa: E402


class Model:
    """Holds its mesh, declares its own methods: held weakly, so no cycle through PETSc."""

    def __init__(self, mesh):
        self.mesh, self.x = mesh, 3
        ps.addState(mesh, "model", (self.get, self.set))

    def get(self):
        return bytes([self.x])

    def set(self, data):
        self.x = data[0]


mesh = make_mesh()
u = make_field(mesh)
swarm = make_swarm(mesh)
index = PETSc.IS().createStride(4, comm=COMM)
ts = PETSc.TS().create(COMM)
ts.setDM(mesh)
ts.setType(PETSc.TS.Type.EULER)
declared = {"u": u, "particles": swarm, "index": index, "ts": ts, "params": Params(2.0, [1, 2]),
            "dict": {"a": [1, 2]}, "list": [1, "two"], "set": {3}, "int": 7, "array": np.arange(5.0),
            "callables": (lambda: b"abc", lambda data: None)}
for key, obj in declared.items():
    ps.addState(mesh, key, obj)
ps.addState(swarm, "on_the_swarm", Params())  # state on a sub-DM too
model = Model(mesh)
snap = ps.Snapshot().create(COMM)
snap.capture(mesh)
attached = ps.Snapshot().create(COMM).setTS(ts)
attached.capture(mesh)
ps.Snapshot().create(COMM).capture(mesh)  # dropped at once: petsc4py defers its destroy to PetscFinalize
print("ok: declared %d kinds of state, exiting without destroying anything" % len(declared))
