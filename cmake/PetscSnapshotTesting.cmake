# MPI test registration shared by tests/ and examples/. Every test runs under mpiexec at the given rank counts with
# -malloc_dump (and -malloc_debug where a test opts in): a "FAIL:" verdict or a leak report fails it, as does a non-zero
# exit code.
set(PETSCSNAPSHOT_TEST_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")
separate_arguments(_mpiexec UNIX_COMMAND "${PETSC_MPIEXEC}")
list(GET _mpiexec 0 _mpiexec_prog)
if(NOT _mpiexec_prog MATCHES "/")
  find_program(_mpiexec_path NAMES ${_mpiexec_prog})
  list(REMOVE_AT _mpiexec 0)
  list(INSERT _mpiexec 0 "${_mpiexec_path}")
endif()
list(GET _mpiexec 0 PETSCSNAPSHOT_MPIEXEC_EXE)
if(NOT "--oversubscribe" IN_LIST _mpiexec)
  list(APPEND _mpiexec --oversubscribe)
endif()

# Does PETSc's PT-Scotch work here? (Debian's 64-bit-index PETSc crashes or spins in its own DMPlexDistribute with
# PT-Scotch.) A probe partitions a small mesh on 2 ranks under a timeout, once per build directory; where it fails, the
# tests that choose PT-Scotch are skipped and say why (PETSCSNAPSHOT_PTSCOTCH_WORKS, PETSCSNAPSHOT_PTSCOTCH_WHY).
file(MD5 "${CMAKE_CURRENT_LIST_DIR}/probes/ptscotch.c" _probe_md5)
set(_probe_key "${PETSC_ROOT};${PETSC_VERSION};${_probe_md5}") # probed again for another PETSc or probe
if(NOT DEFINED PETSCSNAPSHOT_PTSCOTCH_WORKS OR NOT PETSCSNAPSHOT_PTSCOTCH_PROBED STREQUAL _probe_key)
  set(_probe_dir "${CMAKE_BINARY_DIR}/probes/ptscotch")
  try_compile(_probe_built "${_probe_dir}" "${CMAKE_CURRENT_LIST_DIR}/probes/ptscotch.c"
    CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${PETSC_INCLUDE_DIRS}" LINK_LIBRARIES ${PETSC_LIBRARY} MPI::MPI_C m
    COPY_FILE "${_probe_dir}/ptscotch_probe" OUTPUT_VARIABLE _probe_log)
  if(NOT _probe_built)
    string(SUBSTRING "${_probe_log}" 0 400 _probe_head)
    set(_why "the probe did not build: ${_probe_head}")
    set(_works FALSE)
  else()
    execute_process(COMMAND ${CMAKE_COMMAND} -E env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
      ${_mpiexec} -n 2 "${_probe_dir}/ptscotch_probe" TIMEOUT 60 RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
    if(_out MATCHES "ptscotch ok")
      set(_works TRUE)
      set(_why "")
    else()
      set(_works FALSE)
      set(_why "PETSc's own DMPlexDistribute with PT-Scotch failed on 2 ranks (${_rc})")
    endif()
  endif()
  set(PETSCSNAPSHOT_PTSCOTCH_WORKS ${_works} CACHE BOOL "PETSc's PT-Scotch partitions a mesh here (probed)" FORCE)
  set(PETSCSNAPSHOT_PTSCOTCH_WHY "${_why}" CACHE STRING "why PT-Scotch tests are skipped" FORCE)
  set(PETSCSNAPSHOT_PTSCOTCH_PROBED "${_probe_key}" CACHE INTERNAL "what the PT-Scotch probe ran against")
endif()
set(PETSCSNAPSHOT_NO_PTSCOTCH_ARG) # test_hdf5_nm: skip its cases that partition with PT-Scotch
if(NOT PETSCSNAPSHOT_PTSCOTCH_WORKS)
  message(STATUS "PT-Scotch tests skipped: ${PETSCSNAPSHOT_PTSCOTCH_WHY}; the tests partition with the simple partitioner where PETSc would take its default (PT-Scotch)")
  set(PETSCSNAPSHOT_NO_PTSCOTCH_ARG -no_ptscotch)
  list(APPEND PETSCSNAPSHOT_TEST_ENV "PETSC_OPTIONS=-petscpartitioner_type simple")
endif()


# petscsnapshot_add_mpi_test(TARGET exe RANKS 1 2 3 [NAME name] [ARGS ...] [LABELS ...] [MALLOC_DEBUG])
function(petscsnapshot_add_mpi_test)
  cmake_parse_arguments(T "MALLOC_DEBUG" "NAME;TARGET" "RANKS;ARGS;LABELS" ${ARGN})
  # Leaks are checked everywhere (-malloc_dump). -malloc_debug (every allocation validated, 5-20x slower: test_ts_retry
  # at 3 ranks 13.9 s against 1.4 s) only where a test opts in (MALLOC_DEBUG: the tests that copy captured bytes into
  # the application's buffers and the fault tests); the "builds" subset also runs against Debian's debug PETSc, which
  # debugs every allocation by default.
  set(_malloc -malloc_dump)
  if(T_MALLOC_DEBUG)
    set(_malloc -malloc_debug -malloc_dump)
  endif()
  if(NOT T_NAME)
    set(T_NAME ${T_TARGET})
  endif()
  foreach(np IN LISTS T_RANKS)
    set(tname "${T_NAME}_np${np}")
    add_test(NAME ${tname}
      COMMAND ${_mpiexec} -n ${np} $<TARGET_FILE:${T_TARGET}> ${_malloc} ${T_ARGS}
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(${tname} PROPERTIES
      ENVIRONMENT "${PETSCSNAPSHOT_TEST_ENV}"
      PROCESSORS ${np}
      TIMEOUT 300
      LABELS "${T_LABELS}"
      FAIL_REGULAR_EXPRESSION "FAIL:;[0-9]+ bytes [A-Za-z_]+\\(\\) (line|at)")
  endforeach()
endfunction()

# The Python tests and examples: pytest (or a script) under mpiexec with the interpreter that built the module, the
# module on PYTHONPATH and PETSc's leak check through PETSC_OPTIONS. Nothing is registered when the module is skipped.
# petscsnapshot_add_python_test(NAME name COMMAND file-or-pytest-args... RANKS ... [WORKING_DIRECTORY dir] [LABELS ...])
function(petscsnapshot_add_python_test)
  if(NOT TARGET petscsnapshot_python)
    return()
  endif()
  cmake_parse_arguments(T "" "NAME;WORKING_DIRECTORY" "COMMAND;RANKS;LABELS" ${ARGN})
  if(NOT T_WORKING_DIRECTORY)
    set(T_WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  file(MAKE_DIRECTORY ${T_WORKING_DIRECTORY})
  foreach(np IN LISTS T_RANKS)
    set(tname "${T_NAME}_np${np}")
    add_test(NAME ${tname} COMMAND ${_mpiexec} -n ${np} ${PETSCSNAPSHOT_PYTHON_EXECUTABLE} ${T_COMMAND}
      WORKING_DIRECTORY ${T_WORKING_DIRECTORY})
    set_tests_properties(${tname} PROPERTIES
      ENVIRONMENT "${PETSCSNAPSHOT_TEST_ENV};PYTHONPATH=${PETSCSNAPSHOT_PYTHON_BUILD_DIR};PETSC_OPTIONS=-malloc_dump"
      PROCESSORS ${np} TIMEOUT 300 LABELS "python;${T_LABELS}"
      FAIL_REGULAR_EXPRESSION "FAIL:;[0-9]+ bytes [A-Za-z_]+\\(\\) (line|at);Segmentation")
  endforeach()
endfunction()
