"""Bit-exact roundtrips from Python: coordinates, a Vec, swarm fields and every kind of Python state."""
import dataclasses

import numpy as np
import pytest
from petsc4py import PETSc

import petscsnapshot as ps
from snaputil import COMM, coords, everywhere, make_field, make_mesh, make_swarm, push_swarm, same_bytes, swarm_fields


@dataclasses.dataclass
class Params:
    viscosity: float = 1.0
    steps: int = 0
    history: list = dataclasses.field(default_factory=list)


class Counter:
    """State with its own byte format, declared as a pair of bound methods (held weakly)."""

    def __init__(self):
        self.n = np.zeros(3, dtype=np.int64)

    def get(self):
        return self.n.tobytes()

    def set(self, data):
        self.n[:] = np.frombuffer(data, dtype=np.int64)


@pytest.mark.parametrize("stype", ["memory", "hdf5"])
def test_everything_roundtrips(stype):
    mesh = make_mesh()
    u = make_field(mesh)
    sw = make_swarm(mesh)
    params = Params(history=[0.5])
    hist = np.linspace(0.0, 1.0, 7) * (COMM.getRank() + 1)
    counter = Counter()
    ps.addState(mesh, "u", u)
    ps.addState(mesh, "particles", sw)
    ps.addState(mesh, "params", params, version=2)
    ps.addState(mesh, "history", hist, version=1)
    ps.addState(mesh, "counter", (counter.get, counter.set))
    assert ps.getStateKeys(mesh) == ["u", "particles", "params", "history", "counter"]
    assert ps.getState(mesh, "params") is params
    assert ps.getState(mesh, "history") is hist
    assert isinstance(ps.getState(mesh, "particles"), PETSc.DMSwarm) and ps.getState(mesh, "particles").handle == sw.handle
    assert isinstance(ps.getState(mesh, "u"), PETSc.Vec) and ps.getState(mesh, "u").handle == u.handle
    assert ps.getState(mesh, "nothing") is None
    with pytest.raises(ValueError):
        hist.resize(100)  # the declaration holds the array: NumPy will not move its bytes

    with ps.Snapshot().create(COMM) as snap:
        snap.setType(stype)
        if stype == "hdf5":
            snap.setHDF5FileName("py_roundtrip_np%d.h5" % COMM.getSize())
        snap.capture(mesh)
        want = dict(coords=coords(mesh), u=u.getArray().copy(), swarm=swarm_fields(sw), hist=hist.copy(),
                    params=dataclasses.replace(params, history=list(params.history)), counter=counter.n.copy())

        # change everything
        c = mesh.getCoordinatesLocal()
        c.array[:] += 0.01
        mesh.setCoordinatesLocal(c)
        u.scale(3.0)
        push_swarm(sw, 0.37)
        sw.addNPoints(5)
        params.viscosity, params.steps = 2.5, 7
        params.history.append(9.0)
        hist[:] = -1.0
        counter.n[:] = [4, 5, 6]
        assert not same_bytes(coords(mesh), want["coords"])

        inner = params.history
        snap.restore(mesh)
        assert params.history is not inner and params.history == [0.5]  # the object inside is the unpickled copy
        assert everywhere(same_bytes(coords(mesh), want["coords"]))
        assert everywhere(same_bytes(u.getArray(), want["u"]))
        got = swarm_fields(sw)
        assert everywhere(all(same_bytes(got[f], want["swarm"][f]) for f in want["swarm"]))
        assert everywhere(same_bytes(hist, want["hist"]))          # in place: the same array object
        assert params == want["params"] and ps.getState(mesh, "params") is params  # in place: the same object
        assert everywhere(same_bytes(counter.n, want["counter"]))
        assert snap.getCaptureCount() == 1 and snap.hasDM(mesh)

    ps.removeState(mesh, "counter")
    assert ps.getStateKeys(mesh) == ["u", "particles", "params", "history"]
    for o in (sw, u, mesh):
        o.destroy()


def test_immutable_state_is_replaced_and_read_back():
    mesh = make_mesh()
    ps.addState(mesh, "label", ("a", 1))
    snap = ps.Snapshot().create(COMM)
    snap.capture(mesh)
    ps.addState(mesh, "label", ("b", 2))  # a new declaration of the same key: the captured value comes back
    snap.restore(mesh)
    assert ps.getState(mesh, "label") == ("a", 1)
    snap.destroy()
    mesh.destroy()


def test_snapshot_api():
    mesh = make_mesh()
    snap = ps.Snapshot().create()
    snap.setOptionsPrefix("fluid_")
    assert snap.getOptionsPrefix() == "fluid_"
    opts = PETSc.Options()
    opts["fluid_snapshot_type"] = "memory"
    snap.setFromOptions()
    del opts["fluid_snapshot_type"]
    assert snap.getType() == ps.Snapshot.Type.MEMORY
    assert not snap.hasDM(mesh)
    snap.capture(mesh)
    assert snap.hasDM(mesh) and snap.getCaptureCount() == 1
    assert isinstance(snap, PETSc.Object) and snap.getClassName() == "PetscSnapshot"
    snap.reset()
    assert not snap.hasDM(mesh)
    viewer = PETSc.Viewer.STDOUT(COMM)
    snap.view(viewer)
    snap.view()
    snap.destroy()
    with pytest.raises(ValueError):
        snap.capture(mesh)
    mesh.destroy()


def test_bad_declarations_raise_python_errors():
    mesh = make_mesh()
    with pytest.raises(TypeError):
        ps.addState(mesh, "lock", __import__("threading").Lock())  # not picklable
    with pytest.raises(ValueError):
        ps.addState(mesh, "strided", np.zeros(10)[::2])          # not contiguous
    with pytest.raises(PETSc.Error):
        ps.addState(mesh, "a#b", np.zeros(2))                    # the C API's key rules
    assert ps.getStateKeys(mesh) == []
    mesh.destroy()


def test_hdf5_keep_and_restore_latest():
    import glob
    import os
    base = "py_keep_np%d" % COMM.getSize()
    if COMM.getRank() == 0:
        for f in glob.glob(base + "-*.h5"):
            os.remove(f)
    COMM.barrier()
    mesh = make_mesh()
    u = make_field(mesh)
    ps.addState(mesh, "u", u)
    snap = ps.Snapshot().create(COMM).setType("hdf5").setHDF5FileName(base + ".h5").setHDF5Keep(2).setHDF5Durable(False)
    for k in range(3):
        u.shift(1.0)
        snap.capture(mesh)
    last = u.getArray().copy()
    assert sorted(glob.glob(base + "-*.h5")) == [base + "-000002.h5", base + "-000003.h5"]
    u.set(0.0)
    snap.restore(mesh)  # from the latest file
    assert everywhere(same_bytes(u.getArray(), last))
    for o in (snap, u, mesh):
        o.destroy()


@pytest.mark.parametrize("stype", ["memory", "hdf5"])
def test_label_roundtrips(stype):
    """A petsc4py DMLabel declared with addState() (C: PetscSnapshotDMAddState()) comes back exactly."""
    mesh = make_mesh()
    mesh.createLabel("material")
    label = mesh.getLabel("material")
    c0, c1 = mesh.getHeightStratum(0)

    def paint(k):
        label.reset()
        for c in range(c0, c1):
            label.setValue(c, (c + k) % 3)

    def strata():
        values = label.getValueIS().getIndices().tolist()
        return values, [label.getStratumIS(v).getIndices().tolist() for v in values]

    ps.addState(mesh, "material", label)
    paint(1)
    want = strata()
    with ps.Snapshot().create(COMM) as snap:
        snap.setType(stype)
        if stype == "hdf5":
            snap.setHDF5FileName("py_label_np%d.h5" % COMM.getSize())
        snap.capture(mesh)
        paint(2)
        assert everywhere(strata() != want)
        snap.restore(mesh)
        assert everywhere(strata() == want)
    mesh.destroy()


@pytest.mark.parametrize("stype", ["memory", "hdf5"])
def test_random_roundtrips(stype):
    """A petsc4py Random (rander48) declared with addState() draws the same numbers after a restore; rand is refused."""
    mesh = make_mesh()
    rnd = PETSc.Random().create(COMM)
    rnd.setType(PETSc.Random.Type.RANDER48)
    rnd.setSeed(11 + 17 * COMM.getRank())
    rnd.setSeed()
    ps.addState(mesh, "injector", rnd)
    rnd.getValueReal()
    with ps.Snapshot().create(COMM) as snap:
        snap.setType(stype)
        if stype == "hdf5":
            snap.setHDF5FileName("py_random_np%d.h5" % COMM.getSize())
        snap.capture(mesh)
        first = np.array([rnd.getValueReal() for _ in range(8)])
        snap.restore(mesh)
        again = np.array([rnd.getValueReal() for _ in range(8)])
        assert everywhere(same_bytes(first, again))
        rnd.setType(PETSc.Random.Type.RAND)
        with pytest.raises(PETSc.Error, match="PetscRandom \"injector\" is of type rand"):
            snap.capture(mesh)
    rnd.destroy()
    mesh.destroy()
