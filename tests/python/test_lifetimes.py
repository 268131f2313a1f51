"""Object lifetimes: the snapshot destroyed before or after its DM and TS, garbage collection in any order, Python
state released with its declaration. Run under -malloc_dump: anything left allocated fails the ctest."""
import ctypes
import gc
import weakref

import numpy as np
import pytest
from petsc4py import PETSc

import petscsnapshot as ps
from snaputil import COMM, make_field, make_mesh, make_swarm


class Holder:
    pass


def build(with_ts=False):
    mesh = make_mesh()
    u = make_field(mesh)
    sw = make_swarm(mesh)
    ps.addState(mesh, "u", u)
    ps.addState(mesh, "particles", sw)
    ps.addState(mesh, "array", np.ones(3))
    ps.addState(mesh, "obj", {"a": 1})
    ts = None
    if with_ts:
        ts = PETSc.TS().create(COMM)
        ts.setDM(mesh)
        ts.setType(PETSc.TS.Type.EULER)
    return mesh, u, sw, ts


def test_snapshot_destroyed_first():
    mesh, u, sw, ts = build(with_ts=True)
    snap = ps.Snapshot().create(COMM)
    snap.setTS(ts)
    snap.capture(mesh)
    snap.destroy()   # the TS still holds the attached snapshot
    for o in (ts, sw, u, mesh):
        o.destroy()


def test_snapshot_destroyed_last():
    mesh, u, sw, ts = build(with_ts=True)
    snap = ps.Snapshot().create(COMM)
    snap.setTS(ts)
    snap.capture(mesh)
    for o in (mesh, u, sw, ts):
        o.destroy()
    assert snap.getCaptureCount() == 1  # the snapshot holds data, not handles
    snap.destroy()


def test_garbage_collection_orders():
    # no destroy() at all: Python drops the wrappers in whatever order it likes
    for order in (0, 1):
        mesh, u, sw, ts = build(with_ts=True)
        snap = ps.Snapshot().create(COMM)
        snap.setTS(ts)
        snap.capture(mesh)
        if order == 0:
            del snap, ts, sw, u, mesh
        else:
            del mesh, u, sw, ts, snap
        gc.collect()


def test_restore_into_a_new_dm_after_the_old_one_is_gone():
    mesh, u, sw, _ = build()
    want = u.getArray().copy()
    snap = ps.Snapshot().create(COMM)
    snap.capture(mesh)
    del mesh, u, sw
    gc.collect()
    mesh, u, sw, _ = build()
    u.set(0.0)
    snap.restore(mesh)
    assert u.getArray().tobytes() == want.tobytes()
    snap.destroy()


def test_python_state_is_released():
    mesh = make_mesh()
    obj, arr = Holder(), np.zeros(4)
    ref_obj, ref_arr = weakref.ref(obj), weakref.ref(arr)
    ps.addState(mesh, "obj", obj)
    ps.addState(mesh, "arr", arr)
    del obj, arr
    gc.collect()
    assert ref_obj() is not None and ref_arr() is not None  # held by the declarations
    ps.removeState(mesh, "obj")
    gc.collect()
    assert ref_obj() is None
    mesh.destroy()                                           # the DM takes its declarations with it
    gc.collect()
    assert ref_arr() is None


def test_bound_methods_do_not_keep_their_object_alive():
    mesh = make_mesh()

    class Model:
        def __init__(self, dm):
            self.dm = dm          # the model holds the DM, which holds the declaration: a cycle if held strongly
            self.x = 1

        def get(self):
            return bytes([self.x])

        def set(self, data):
            self.x = data[0]

    model = Model(mesh)
    ref = weakref.ref(model)
    ps.addState(mesh, "model", (model.get, model.set))
    snap = ps.Snapshot().create(COMM)
    snap.capture(mesh)
    model.x = 7
    snap.restore(mesh)
    assert model.x == 1
    del model
    gc.collect()
    assert ref() is None
    try:  # the methods' object is gone: the capture fails (on every rank) naming it
        snap.capture(mesh)
        raise AssertionError("capture with a dead bound method succeeded")
    except PETSc.Error as e:
        assert "ReferenceError" in str(e) and "is gone" in str(e)
    snap.destroy()
    mesh.destroy()


def petsc_malloc_usage():
    """Bytes PETSc has allocated on this rank (tracked under -malloc_debug, as ctest runs these tests)."""
    usage = ctypes.c_double()
    assert ctypes.CDLL(ps.__file__).PetscMallocGetCurrentUsage(ctypes.byref(usage)) == 0
    return usage.value


@pytest.mark.parametrize("snap_type", ["memory", "hdf5"])
def test_dropped_snapshot_frees_its_data(snap_type):
    # petsc4py defers destroying a collected object to PETSc.garbage_cleanup() (collective); a dropped snapshot frees
    # the data it captured at once and keeps only its inventory until then
    mesh = make_mesh()
    ps.addState(mesh, "big", np.ones(1 << 17))  # 1 MB on every rank
    gc.collect()
    PETSc.garbage_cleanup()
    if petsc_malloc_usage() == 0:
        pytest.skip("PETSc does not track its allocations (run with -malloc_debug)")
    before = petsc_malloc_usage()
    for i in range(4):
        snap = ps.Snapshot().create(COMM).setType(snap_type)
        snap.setHDF5FileName("py_dropped_np%d.h5" % COMM.getSize())
        snap.capture(mesh)
        del snap
    gc.collect()
    held = petsc_malloc_usage() - before
    assert held < 100000, "4 dropped snapshots of 1 MB hold %d bytes before garbage_cleanup()" % held
    kept = ps.Snapshot().create(COMM).setType(snap_type).setHDF5FileName("py_dropped_np%d.h5" % COMM.getSize())
    kept.capture(mesh)
    ts = PETSc.TS().create(COMM)
    ts.setDM(mesh)
    kept.setTS(ts)
    del kept  # the TS still holds it: its data stays
    gc.collect()
    assert petsc_malloc_usage() - before > (1 << 20)
    ts.destroy()
    PETSc.garbage_cleanup()
    mesh.destroy()


def test_context_manager_destroys():
    with ps.Snapshot().create(COMM) as snap:
        assert snap.getRefCount() == 1
    assert snap.handle == 0


def test_ts_set_from_options():
    mesh = make_mesh()
    ts = PETSc.TS().create(COMM)
    ts.setDM(mesh)
    ts.setOptionsPrefix("opt_")
    assert ps.tsSetFromOptions(ts) is None          # not asked for
    opts = PETSc.Options()
    opts["opt_ts_snapshot"] = True
    snap = ps.tsSetFromOptions(ts)
    del opts["opt_ts_snapshot"]
    assert isinstance(snap, ps.Snapshot) and snap.getOptionsPrefix() == "opt_ts_"
    assert snap.getRefCount() == 2                  # the TS's reference and this object's
    snap.destroy()
    ts.destroy()                                    # releases the TS's reference
    mesh.destroy()
