"""A rejected step retried from Python equals, bitwise, a replay that takes only the accepted steps: at the
application level (capture, regret, restore, retry) and with the snapshot attached to a petsc4py TS (adaptive RK)."""
import dataclasses

import numpy as np
from petsc4py import PETSc

import petscsnapshot as ps
from snaputil import COMM, count, everywhere, make_field, make_mesh, make_swarm, push_swarm, same_bytes, swarm_fields


@dataclasses.dataclass
class Params:
    rate: float = 3.0
    steps: int = 0
    elapsed: float = 0.0


class Model:
    def __init__(self):
        self.mesh = make_mesh()
        self.u = make_field(self.mesh)
        self.swarm = make_swarm(self.mesh)
        self.params = Params()
        self.dose = np.zeros(8)  # auxiliary history: what the steps did
        ps.addState(self.mesh, "u", self.u)
        ps.addState(self.mesh, "particles", self.swarm)
        ps.addState(self.mesh, "params", self.params, version=1)
        ps.addState(self.mesh, "dose", self.dose, version=1)

    def step(self, dt):
        a = self.u.getArray()
        a += dt * self.params.rate * a * (1.0 - a)
        self.u.setArray(a)
        push_swarm(self.swarm, dt)
        self.params.steps += 1
        self.params.elapsed += dt
        self.dose[self.params.steps % 8] += dt * self.u.norm()

    def state(self):
        return dict(u=self.u.getArray().copy(), swarm=swarm_fields(self.swarm), dose=self.dose.copy(),
                    params=dataclasses.astuple(self.params))

    def destroy(self):
        for o in (self.swarm, self.u, self.mesh):
            o.destroy()


def same_state(a, b):
    return (same_bytes(a["u"], b["u"]) and same_bytes(a["dose"], b["dose"]) and a["params"] == b["params"]
            and all(same_bytes(a["swarm"][f], b["swarm"][f]) for f in a["swarm"]))


def test_app_level_retry_equals_replay():
    dt, steps, limit = 0.05, 6, 0.05
    m = Model()
    accepted = []
    with ps.Snapshot().create(COMM) as snap:
        for k in range(steps):
            snap.capture(m.mesh)
            before = m.u.copy()
            m.step(4 * dt)
            before.axpy(-1.0, m.u)
            change = before.norm(PETSc.NormType.INFINITY)
            before.destroy()
            if change > limit:         # regret it: restore and retry with a quarter of the step
                snap.restore(m.mesh)
                m.step(dt)
                accepted.append(dt)
            else:
                accepted.append(4 * dt)
    retried = m.state()
    m.destroy()

    replay = Model()                   # the same model taking only the accepted steps
    for h in accepted:
        replay.step(h)
    assert accepted.count(dt) > 0
    assert everywhere(same_state(retried, replay.state()))
    replay.destroy()


def rk_run(attached, hlog=None, restep=False):
    """Logistic growth on the mesh's field with adaptive TSRK 3bs and a first step far too large. Attached: the
    snapshot rolls every rejected step back; returns the accepted step sizes (read in the RHS function, which
    sees the step being tried), the result, and the snapshot's counters. Replay: takes hlog's steps, no adaptivity."""
    mesh = make_mesh()
    u = make_field(mesh)
    evaluations = np.zeros(1, dtype=np.int64)  # a side effect of every stage, rejected ones included
    ps.addState(mesh, "evaluations", evaluations)
    ts = PETSc.TS().create(COMM)
    ts.setDM(mesh)
    ts.setType(PETSc.TS.Type.RK)
    ts.setRKType("3bs")
    tried = []

    def rhs(ts, t, x, f):
        tried.append(ts.getTimeStep())
        evaluations[0] += 1
        x.copy(f)
        f.pointwiseMult(f, x)      # x^2
        f.aypx(-1.0, x)            # x - x^2
        f.scale(8.0)

    ts.setRHSFunction(rhs)
    ts.setSolution(u)
    ts.setTime(0.0)
    ts.setMaxSteps(1000)
    ts.setTimeStep(0.4 if hlog is None else hlog[0])
    ts.setTolerances(rtol=1e-7, atol=1e-7)
    # petsc4py 3.18 has no TS.getAdapt(): the adaptor through the options, under a prefix of this TS's own
    opts = PETSc.Options()
    ts.setOptionsPrefix("rk_retry_")
    opts["rk_retry_ts_adapt_type"] = "basic" if hlog is None else "none"
    ts.setFromOptions()
    del opts["rk_retry_ts_adapt_type"]
    snap = None
    if attached:
        snap = ps.Snapshot().create(COMM)
        snap.setTS(ts)
        if restep:
            snap.setTestRestep(True)
    accepted = []
    for k in range(8 if hlog is None else len(hlog)):
        if hlog is not None:
            ts.setTimeStep(hlog[k])
        ts.step()
        accepted.append(tried[-1])
    result = dict(u=u.getArray().copy(), t=ts.getTime(), evaluations=int(evaluations[0]),
                  rejections=ts.getStepRejections(), counts=snap.getTSCounts() if snap else None,
                  difference=snap.getRestepDifference() if snap else None,
                  notCompared=snap.getRestepNotCompared() if snap else None)
    for o in (snap, ts, u, mesh):
        if o is not None:
            o.destroy()
    return accepted, result


def test_ts_rk_retry_equals_replay():
    hlog, adaptive = rk_run(attached=True)
    retries = adaptive["counts"][0]
    assert adaptive["rejections"] > 0 and retries == adaptive["rejections"]
    _, replay = rk_run(attached=False, hlog=hlog)
    assert replay["rejections"] == 0
    assert everywhere(same_bytes(adaptive["u"], replay["u"])) and adaptive["t"] == replay["t"]
    # the rejected stages' side effects were rolled back too: only the accepted attempts' evaluations count
    assert adaptive["evaluations"] == replay["evaluations"]
    if COMM.getRank() == 0:
        print("TSRK 3bs: %d rejected steps rolled back; equal to the replay of %d accepted steps, bitwise"
              % (retries, len(hlog)))


def test_ts_restep_check():
    _, run = rk_run(attached=True, restep=True)
    retries, checks, mismatches = run["counts"]
    assert checks > 0 and mismatches == 0 and run["difference"] == ""
    assert run["notCompared"] == (0, "")
