"""An hdf5 checkpoint written by one process and restored by a new one (ctest runs "-k write" and "-k read" as two
tests); the restored state must equal, bitwise, what the writer saved. The reader also loads the mesh from the file
with loadDM() and restores the field into it."""
import dataclasses
import os

import numpy as np
from petsc4py import PETSc

import petscsnapshot as ps
from snaputil import COMM, MPI_COMM, everywhere, make_field, make_mesh, make_swarm, push_swarm, same_bytes, swarm_fields

FILE = "py_restart_np%d.h5" % COMM.getSize()
EXPECTED = "py_restart_np%d_rank%d.npz" % (COMM.getSize(), COMM.getRank())


@dataclasses.dataclass
class Params:
    rate: float = 1.0
    step: int = 0


def model():
    mesh = make_mesh()
    u = make_field(mesh)
    sw = make_swarm(mesh)
    params = Params()
    dose = np.zeros(5)
    ts = PETSc.TS().create(COMM)
    ts.setDM(mesh)
    ts.setType(PETSc.TS.Type.EULER)
    ts.setSolution(u)
    ps.addState(mesh, "particles", sw)
    ps.addState(mesh, "params", params, version=1)
    ps.addState(mesh, "dose", dose, version=1)
    ps.addState(mesh, "ts", ts)
    return mesh, u, sw, params, dose, ts


def test_write():
    mesh, u, sw, params, dose, ts = model()
    for k in range(3):  # a few steps of "simulation"
        u.scale(1.5)
        push_swarm(sw, 0.1)
        params.step += 1
        dose[k] = 0.25 * k  # alike on every rank, so a restore on another distribution takes it
    ts.setTime(0.75)
    ts.setStepNumber(3)
    snap = ps.Snapshot().create(COMM).setType("hdf5").setHDF5FileName(FILE)
    snap.capture(mesh)
    fields = swarm_fields(sw)
    np.savez(EXPECTED, u=u.getArray(), dose=dose, params=np.array([params.rate, params.step]),
             **{"swarm_" + f: v for f, v in fields.items()})
    MPI_COMM.barrier()
    snap.destroy()
    for o in (ts, sw, u, mesh):
        o.destroy()
    assert os.path.exists(FILE)


def test_read():
    want = np.load(EXPECTED)
    mesh, u, sw, params, dose, ts = model()  # built afresh in this process: other values, same structure
    snap = ps.Snapshot().create(COMM).setType("hdf5").setHDF5FileName(FILE)
    info = snap.getHDF5FileInfo()
    assert info["writers"] == COMM.getSize() and info["has_ts"] and info["step"] == 3 and info["can_redistribute"]
    snap.restore(mesh)
    assert everywhere(same_bytes(u.getArray(), want["u"]))
    assert everywhere(same_bytes(dose, want["dose"]))
    assert params == Params(rate=float(want["params"][0]), step=int(want["params"][1]))
    got = swarm_fields(sw)
    assert everywhere(all(same_bytes(got[f], want["swarm_" + f]) for f in got))
    assert ts.getTime() == 0.75 and ts.getStepNumber() == 3

    # the mesh from the file: the same field values, as a set, land on the loaded mesh's distribution
    loaded = snap.loadDM("mesh")
    assert isinstance(loaded, PETSc.DMPlex) and loaded.getName() == "mesh"
    fe = PETSc.FE().createDefault(2, 1, False, -1, comm=COMM)
    loaded.setField(0, fe)
    loaded.createDS()
    v = loaded.createGlobalVec()
    tsl = PETSc.TS().create(COMM)
    tsl.setDM(loaded)
    tsl.setType(PETSc.TS.Type.EULER)
    tsl.setSolution(v)
    ps.addState(loaded, "ts", tsl)
    snap2 = ps.Snapshot().create(COMM).setType("hdf5").setHDF5FileName(FILE)
    sw2 = make_swarm(loaded, n_local=3)
    ps.addState(loaded, "particles", sw2)
    ps.addState(loaded, "params", Params(), version=1)
    ps.addState(loaded, "dose", np.zeros(5), version=1)
    snap2.restore(loaded)
    allv = np.sort(np.concatenate(MPI_COMM.allgather(v.getArray())))
    allw = np.sort(np.concatenate(MPI_COMM.allgather(want["u"])))
    assert same_bytes(allv, allw)
    assert MPI_COMM.allreduce(sw2.getLocalSize()) == MPI_COMM.allreduce(len(want["swarm_tag"]))
    for o in (snap, snap2, tsl, v, sw2, fe, loaded, ts, sw, u, mesh):
        o.destroy()
