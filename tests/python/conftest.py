# pytest configuration for the Python tests, run by ctest under mpiexec at 1 and 2 ranks (tests/CMakeLists.txt): every
# rank runs the same tests in the same order. PETSc's options come from PETSC_OPTIONS (-malloc_debug -malloc_dump):
# PETSc prints every block still allocated at PetscFinalize, which ctest counts as a failure.
import gc
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import petsc4py  # noqa: E402

petsc4py.init([])


def pytest_sessionfinish(session, exitstatus):
    # drop what the tests left to the collector before petsc4py's PetscFinalize looks for leaks
    gc.collect()
