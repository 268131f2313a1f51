"""Run as a script with -snapshot_type hdf5 -snapshot_hdf5_filename ... (ctest, 1 and 2 ranks): petscsnapshot
imported before petsc4py.init(sys.argv), which would otherwise come too late for PETSc to see the command line."""
import sys

import petscsnapshot as ps  # first: this initializes PETSc, without the command line
import petsc4py

petsc4py.init(sys.argv)
from petsc4py import PETSc  # noqa: E402

snap = ps.Snapshot().create(PETSc.COMM_WORLD).setFromOptions()
got = (snap.getType(), PETSc.Options().getString("snapshot_hdf5_filename", None))
snap.destroy()
try:
    petsc4py.init(sys.argv, comm=PETSc.COMM_SELF)
    refused = None
except RuntimeError as e:
    refused = str(e)
ok = got == ("hdf5", "py_import_order.h5") and refused is not None and "before importing petscsnapshot" in refused
print("%s: -snapshot_type given after import petscsnapshot: %s; init(comm=) refused: %s" % (
    "ok" if ok else "FAIL", got, refused))
sys.exit(0 if ok else 1)
