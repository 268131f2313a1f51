"""Shared pieces of the Python tests: a tensor DMPlex with a P1 field, a PIC swarm on it, and rank-wide checks."""
import dataclasses

import numpy as np
from petsc4py import PETSc

COMM = PETSc.COMM_WORLD
MPI_COMM = COMM.tompi4py()


def everywhere(flag):
    """True on every rank iff flag is true on every rank."""
    return MPI_COMM.allreduce(bool(flag), op=_land())


def _land():
    from mpi4py import MPI
    return MPI.LAND


def count(flag):
    """How many ranks have flag true."""
    return MPI_COMM.allreduce(1 if flag else 0)


def make_mesh(n=4, name="mesh"):
    dm = PETSc.DMPlex().createBoxMesh([n, n], simplex=False, comm=COMM)
    part = dm.getPartitioner()
    part.setType(PETSc.Partitioner.Type.SIMPLE)  # deterministic: a restart rebuilds the same partition
    dm.distribute()
    dm.setName(name)
    fe = PETSc.FE().createDefault(2, 1, False, -1, comm=COMM)
    dm.setField(0, fe)
    dm.createDS()
    fe.destroy()
    return dm


def make_field(dm, name="u"):
    u = dm.createGlobalVec()
    u.setName(name)
    lo, hi = u.getOwnershipRange()
    u.setArray(np.sin(0.1 * np.arange(lo, hi)) + 1.0)
    return u


def make_swarm(mesh, n_local=16, seed=1, name="particles"):
    sw = PETSc.DMSwarm().create(comm=COMM)
    sw.setName(name)
    sw.setDimension(2)
    sw.setType(PETSc.DMSwarm.Type.PIC)
    sw.setCellDM(mesh)
    sw.initializeFieldRegister()
    sw.registerField("velocity", 2, dtype=PETSc.RealType)
    sw.registerField("tag", 1, dtype=PETSc.IntType)
    sw.finalizeFieldRegister()
    sw.setLocalSizes(n_local, 4)
    rng = np.random.default_rng(seed + COMM.getRank())
    c = sw.getField("DMSwarmPIC_coor")
    c[:] = rng.uniform(0.05, 0.95, c.shape)
    sw.restoreField("DMSwarmPIC_coor")
    v = sw.getField("velocity")
    v[:] = rng.uniform(-1, 1, v.shape)
    sw.restoreField("velocity")
    t = sw.getField("tag")
    t.reshape(-1)[:] = np.arange(n_local) + 1000 * COMM.getRank()  # (n,) or (n, 1): petsc4py 3.25 keeps the block size
    sw.restoreField("tag")
    sw.migrate(remove_sent_points=True)
    return sw


def swarm_fields(sw, names=("DMSwarmPIC_coor", "velocity", "tag", "DMSwarm_rank")):
    """Copies of the swarm's fields on this rank."""
    out = {}
    for f in names:
        a = sw.getField(f)
        out[f] = np.array(a, copy=True)
        sw.restoreField(f)
    return out


def push_swarm(sw, dt):
    """Move every particle by dt*velocity (wrapped into the unit square) and migrate."""
    c = sw.getField("DMSwarmPIC_coor")
    v = sw.getField("velocity")
    c[:] = np.mod(c + dt * v, 1.0)
    sw.restoreField("velocity")
    sw.restoreField("DMSwarmPIC_coor")
    sw.migrate(remove_sent_points=True)


def coords(dm):
    return np.array(dm.getCoordinatesLocal().getArray(), copy=True)


def same_bytes(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@dataclasses.dataclass
class Params:
    """A dataclass defined in a module (not in __main__), the way applications declare parameters."""
    rate: float = 1.0
    history: list = dataclasses.field(default_factory=list)
