"""Refused restores and failing Python state functions: PETSc.Error on every rank, nothing written, no hang."""
import gc

import numpy as np
import pytest
from petsc4py import PETSc

import petscsnapshot as ps
from snaputil import COMM, coords, count, everywhere, make_field, make_mesh, make_swarm, same_bytes

LAST = COMM.getSize() - 1


def raised_everywhere(fn):
    """Run fn on every rank; return the PETSc.Error message of this rank (asserting every rank raised one)."""
    message = None
    try:
        fn()
    except PETSc.Error as e:
        message = str(e)
    assert count(message is not None) == COMM.getSize()
    return message


def test_restore_before_capture_is_refused():
    mesh = make_mesh()
    snap = ps.Snapshot().create(COMM)
    msg = raised_everywhere(lambda: snap.restore(mesh))
    assert "mesh" in msg
    snap.destroy()
    mesh.destroy()


def test_refused_restore_writes_nothing():
    mesh = make_mesh()
    u = make_field(mesh)
    hist = np.arange(4.0)
    ps.addState(mesh, "u", u)
    ps.addState(mesh, "history", hist, version=1)
    snap = ps.Snapshot().create(COMM)
    snap.capture(mesh)

    # change the state, then make the restore impossible on the last rank only: its history has another size
    u.set(42.0)
    c = mesh.getCoordinatesLocal()
    c.array[:] += 0.5
    mesh.setCoordinatesLocal(c)
    moved = coords(mesh)
    if COMM.getRank() == LAST:
        hist = np.arange(5.0)
        ps.addState(mesh, "history", hist, version=1)
    else:
        hist[:] = -1.0
    msg = raised_everywhere(lambda: snap.restore(mesh))
    assert "history" in msg and "nothing was written" in msg and ("detected on rank %d" % LAST) in msg
    assert everywhere(np.all(u.getArray() == 42.0))               # nothing written: not the Vec,
    assert everywhere(same_bytes(coords(mesh), moved))             # not the coordinates,
    assert everywhere(np.all(hist == (-1.0 if COMM.getRank() != LAST else np.arange(5.0))))  # not the arrays

    # a schema version that changed is refused by name
    ps.addState(mesh, "history", np.arange(4.0), version=2)
    msg = raised_everywhere(lambda: snap.restore(mesh))
    assert "history" in msg and "version" in msg
    snap.destroy()
    u.destroy()
    mesh.destroy()


def test_failing_python_function_on_one_rank():
    mesh = make_mesh()
    state = {"fail": False}

    def get():
        if state["fail"] and COMM.getRank() == LAST:
            raise ValueError("sensor offline")
        return b"abc"

    def put(data):
        if COMM.getRank() == LAST:
            raise KeyError("cannot restore")

    ps.addState(mesh, "sensor", (get, put))
    snap = ps.Snapshot().create(COMM)
    snap.capture(mesh)
    state["fail"] = True
    msg = raised_everywhere(lambda: snap.capture(mesh))
    assert "ValueError: sensor offline" in msg and ("detected on rank %d" % LAST) in msg
    assert snap.hasDM(mesh)  # a failed capture changes nothing: the earlier capture stays
    state["fail"] = False
    snap.capture(mesh)
    msg = raised_everywhere(lambda: snap.restore(mesh))
    assert "KeyError" in msg and "cannot restore" in msg
    snap.destroy()
    mesh.destroy()


def test_unpicklable_at_capture():
    mesh = make_mesh()
    box = [1, 2]
    ps.addState(mesh, "box", box)
    snap = ps.Snapshot().create(COMM)
    if COMM.getRank() == LAST:
        box.append(lambda: 0)  # picklable when declared, not any more
    msg = raised_everywhere(lambda: snap.capture(mesh))
    assert "pickle" in msg.lower() and ("detected on rank %d" % LAST) in msg
    snap.destroy()
    mesh.destroy()


def test_pickled_object_with_another_version_is_refused():
    mesh = make_mesh()
    params = {"rate": 1.0}
    ps.addState(mesh, "params", params, version=1)
    snap = ps.Snapshot().create(COMM)
    snap.capture(mesh)
    params["rate"] = 2.0
    ps.addState(mesh, "params", params, version=2)  # the application's parameters changed meaning
    msg = raised_everywhere(lambda: snap.restore(mesh))
    assert "params" in msg and "schema version 2 now but 1" in msg
    assert params == {"rate": 2.0}                  # nothing written
    snap.destroy()
    mesh.destroy()


def test_gone_bound_method_bearer_is_refused_before_writing():
    mesh = make_mesh()
    u = make_field(mesh)
    clock = np.zeros(2)

    class Model:
        x = 1

        def get(self):
            return bytes([self.x])

        def set(self, data):
            self.x = data[0]

    model = Model()
    ps.addState(mesh, "T", u)
    ps.addState(mesh, "clock", clock)
    ps.addState(mesh, "model", (model.get, model.set))
    snap = ps.Snapshot().create(COMM)
    snap.capture(mesh)
    u.set(5.0)
    clock[:] = 9.0
    if COMM.getRank() == LAST:
        del model  # the bearer is gone on the last rank only
        gc.collect()
    msg = raised_everywhere(lambda: snap.restore(mesh))
    assert "nothing was written" in msg and "model" in msg and "is gone" in msg and ("detected on rank %d" % LAST) in msg
    assert everywhere(np.all(u.getArray() == 5.0)) and everywhere(np.all(clock == 9.0))  # not T, not the clock
    snap.destroy()
    u.destroy()
    mesh.destroy()


def unsized_swarm(mesh):
    """A swarm as a restart builds it: fields registered and finalized, local sizes never set."""
    sw = PETSc.DMSwarm().create(comm=COMM)
    sw.setName("particles")
    sw.setDimension(2)
    sw.setType(PETSc.DMSwarm.Type.PIC)
    sw.setCellDM(mesh)
    sw.initializeFieldRegister()
    sw.registerField("velocity", 2, dtype=PETSc.RealType)
    sw.registerField("tag", 1, dtype=PETSc.IntType)
    sw.finalizeFieldRegister()
    return sw


def test_refused_restore_leaves_an_unsized_swarm_unsized():
    mesh = make_mesh()
    sw = make_swarm(mesh)
    ps.addState(mesh, "particles", sw)
    ps.addState(mesh, "history", np.arange(4.0))
    snap = ps.Snapshot().create(COMM)
    snap.capture(mesh)
    want = sw.getLocalSize()
    mesh2 = make_mesh()
    sw2 = unsized_swarm(mesh2)
    sizes = (sw2.getLocalSize(), sw2.getSize())  # PETSc's values for a swarm never sized
    ps.addState(mesh2, "particles", sw2)
    ps.addState(mesh2, "history", np.arange(5.0 if COMM.getRank() == LAST else 4.0))
    msg = raised_everywhere(lambda: snap.restore(mesh2))
    assert "history" in msg and "nothing was written" in msg
    assert everywhere((sw2.getLocalSize(), sw2.getSize()) == sizes)  # as it was: still unsized
    ps.addState(mesh2, "history", np.arange(4.0))
    snap.restore(mesh2)  # and a restore that fits sizes it
    assert everywhere(sw2.getLocalSize() == want)
    snap.destroy()
    for o in (sw2, mesh2, sw, mesh):
        o.destroy()
