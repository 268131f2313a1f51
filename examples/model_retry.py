#!/usr/bin/env python3
"""A model written the way an underworld3 user writes one, with petsc-snapshot doing "git stash for timesteps":

  1. try a step, regret it, restore, retry with half the step  (token = model.snapshot(); model.restore(token))
  2. the snapshot attached to a petsc4py TS with an adaptive method: every rejected step rolled back before its retry
  3. an hdf5 checkpoint; run again with --restart to restore it in a new process

Run:  mpiexec -n 2 python3 examples/model_retry.py            (phases 1-3, writes model_ckpt.h5)
      mpiexec -n 2 python3 examples/model_retry.py --restart  (restores model_ckpt.h5 and checks it is exact)
Exits with status 1 if any restore was not exact.
"""
import dataclasses
import hashlib
import pickle
import sys

import numpy as np
from petsc4py import PETSc

import petscsnapshot

COMM = PETSc.COMM_WORLD
RANK = COMM.getRank()


def say(*args):
    if RANK == 0:
        print(*args, flush=True)


@dataclasses.dataclass
class ModelParams:
    resolution: int = 8           # cells per side of the unit square
    growth: float = 6.0           # logistic growth rate of the field
    dt: float = 0.08              # first step tried
    max_change: float = 0.05      # largest change of the field a step may make
    steps: int = 6
    particles_per_rank: int = 40


class Model:
    """A DMPlex mesh with a field T (P1), a swarm of particles carried by a rotating flow, parameters and a clock."""

    def __init__(self, params):
        self.params = params
        self.mesh = PETSc.DMPlex().createBoxMesh([params.resolution] * 2, simplex=False, comm=COMM)
        self.mesh.getPartitioner().setType(PETSc.Partitioner.Type.SIMPLE)  # the same partition on a restart
        self.mesh.distribute()
        self.mesh.setName("mesh")
        fe = PETSc.FE().createDefault(2, 1, False, -1, comm=COMM)
        self.mesh.setField(0, fe)
        self.mesh.createDS()
        fe.destroy()
        self.T = self.mesh.createGlobalVec()
        self.T.setName("T")
        lo, hi = self.T.getOwnershipRange()
        self.T.setArray(0.05 + 0.04 * np.cos(0.3 * np.arange(lo, hi)))
        self.swarm = self._make_swarm()
        self.clock = np.zeros(2)  # time, step
        # what belongs to the model's state, declared once
        petscsnapshot.addState(self.mesh, "T", self.T)
        petscsnapshot.addState(self.mesh, "particles", self.swarm)
        petscsnapshot.addState(self.mesh, "params", self.params, version=1)
        petscsnapshot.addState(self.mesh, "clock", self.clock, version=1)

    def _make_swarm(self):
        sw = PETSc.DMSwarm().create(comm=COMM)
        sw.setName("particles")
        sw.setDimension(2)
        sw.setType(PETSc.DMSwarm.Type.PIC)
        sw.setCellDM(self.mesh)
        sw.initializeFieldRegister()
        sw.registerField("material", 1, dtype=PETSc.IntType)
        sw.finalizeFieldRegister()
        n = self.params.particles_per_rank
        sw.setLocalSizes(n, 4)
        rng = np.random.default_rng(7 + RANK)
        x = sw.getField("DMSwarmPIC_coor")
        x[:] = rng.uniform(0.1, 0.9, x.shape)
        sw.restoreField("DMSwarmPIC_coor")
        m = sw.getField("material")
        m.reshape(-1)[:] = np.arange(n) + 1000 * RANK  # (n,) or (n, 1) depending on the petsc4py version
        sw.restoreField("material")
        sw.migrate(remove_sent_points=True)
        return sw

    # ---- the physics (deliberately simple)
    def advect(self, dt):
        x = sw_x = self.swarm.getField("DMSwarmPIC_coor").reshape(-1, 2)
        c = x - 0.5
        x[:, 0], x[:, 1] = 0.5 + c[:, 0] - dt * c[:, 1], 0.5 + c[:, 1] + dt * c[:, 0]
        np.clip(sw_x, 0.01, 0.99, out=sw_x)
        self.swarm.restoreField("DMSwarmPIC_coor")
        self.swarm.migrate(remove_sent_points=True)

    def step(self, dt):
        """One explicit step; returns the largest change of T."""
        T = self.T.getArray()
        change = dt * self.params.growth * T * (1.0 - T)
        self.T.setArray(T + change)
        self.advect(dt)
        self.clock += (dt, 1)
        return COMM.tompi4py().allreduce(float(np.max(np.abs(change), initial=0.0)), op=_mpi_max())

    # ---- snapshots, underworld3 style
    def snapshot(self, token=None):
        token = token or petscsnapshot.Snapshot().create(COMM)
        token.capture(self.mesh)
        return token

    def restore(self, token):
        token.restore(self.mesh)

    def fingerprint(self):
        """A digest of the whole state on every rank, to check a restore is exact."""
        h = hashlib.sha256(self.T.getArray().tobytes())
        for f in ("DMSwarmPIC_coor", "material"):
            h.update(self.swarm.getField(f).tobytes())
            self.swarm.restoreField(f)
        h.update(pickle.dumps(self.params, protocol=4))
        h.update(self.clock.tobytes())
        return COMM.tompi4py().allgather(h.hexdigest())

    def destroy(self):
        for o in (self.swarm, self.T, self.mesh):
            o.destroy()


def _mpi_max():
    from mpi4py import MPI
    return MPI.MAX


failures = 0


def check_exact(label, before, after):
    global failures
    if before == after:
        say("  %s: restored exactly" % label)
    else:
        failures += 1
        say("  %s: NOT restored exactly" % label)


def phase_retry(model):
    say("1. try a step, regret it, restore, retry")
    dt, token, rejections = model.params.dt, None, 0
    for k in range(model.params.steps):
        while True:
            token = model.snapshot(token)
            before = model.fingerprint()
            change = model.step(dt)
            if change <= model.params.max_change:
                break
            rejections += 1
            model.restore(token)
            check_exact("step %d, dt %.4f rejected (change %.3f > %.3f)" % (k, dt, change, model.params.max_change),
                        before, model.fingerprint())
            dt /= 2
        say("  step %d: t = %.4f accepted with dt %.4f" % (k, model.clock[0], dt))
        dt *= 1.5
    say("  %d steps, %d rejections" % (model.params.steps, rejections))
    token.destroy()


def phase_ts(model):
    say("2. attached to a petsc4py TS (RK 3bs, adaptive): rejected steps rolled back")
    ts = PETSc.TS().create(COMM)
    ts.setDM(model.mesh)
    ts.setType(PETSc.TS.Type.RK)
    ts.setRKType("3bs")
    growth = model.params.growth

    def rhs(ts, t, T, F):
        T.copy(F)
        F.pointwiseMult(F, T)
        F.aypx(-1.0, T)
        F.scale(growth)

    def poststep(ts):  # particles move once per accepted step
        model.advect(ts.getTimeStep())

    ts.setRHSFunction(rhs)
    ts.setPostStep(poststep)
    ts.setSolution(model.T)
    ts.setTime(float(model.clock[0]))
    ts.setTimeStep(0.5)  # far too large: the adaptor rejects it
    ts.setTolerances(rtol=1e-6, atol=1e-6)  # RK adapts its step (TSADAPTBASIC) by default
    ts.setMaxTime(float(model.clock[0]) + 0.5)
    ts.setExactFinalTime(PETSc.TS.ExactFinalTime.MATCHSTEP)
    snap = petscsnapshot.Snapshot().create(COMM)
    snap.setTS(ts)
    ts.solve(model.T)
    retries, _, _ = snap.getTSCounts()
    say("  %d steps to t = %.4f, %d rejections, %d rolled back by the snapshot"
        % (ts.getStepNumber(), ts.getTime(), ts.getStepRejections(), retries))
    if retries != ts.getStepRejections():
        global failures
        failures += 1
        say("  NOT every rejected step was rolled back")
    model.clock[0] = ts.getTime()
    snap.destroy()
    ts.destroy()


def phase_checkpoint(model):
    say("3. hdf5 checkpoint: model_ckpt.h5")
    with petscsnapshot.Snapshot().create(COMM) as ckpt:
        ckpt.setType("hdf5").setHDF5FileName("model_ckpt.h5")
        ckpt.capture(model.mesh)
    digest = model.fingerprint()
    if RANK == 0:
        with open("model_ckpt.digest", "w") as f:
            f.write("\n".join(digest))
    say("  written at t = %.4f; run again with --restart to restore it in a new process" % model.clock[0])


def phase_restart(model):
    say("restart: a new process restores model_ckpt.h5")
    with petscsnapshot.Snapshot().create(COMM) as ckpt:
        ckpt.setType("hdf5").setHDF5FileName("model_ckpt.h5")
        info = ckpt.getHDF5FileInfo()
        say("  file written by %d ranks" % info["writers"])
        ckpt.restore(model.mesh)
    with open("model_ckpt.digest") as f:
        written = f.read().split("\n")
    check_exact("state at t = %.4f, %d particles" % (model.clock[0], COMM.tompi4py().allreduce(model.swarm.getLocalSize())),
                written, model.fingerprint())
    say("  continuing: one more step, change %.4f" % model.step(model.params.dt / 4))


def main():
    model = Model(ModelParams())
    if "--restart" in sys.argv:
        model.params.dt = 0.0  # the file brings the parameters back
        phase_restart(model)
    else:
        phase_retry(model)
        phase_ts(model)
        phase_checkpoint(model)
    model.destroy()
    say("FAIL: %d restores not exact" % failures if failures else "all restores exact")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
