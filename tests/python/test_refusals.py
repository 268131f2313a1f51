"""Refused restores and failing Python state functions: PETSc.Error on every rank, nothing written, no hang."""
import numpy as np
import pytest
from petsc4py import PETSc

import petscsnapshot as ps
from snaputil import COMM, coords, count, everywhere, make_field, make_mesh, same_bytes

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
