# Locate PETSc the way PETSc users expect and read its build configuration.
#
# Order: PETSC_DIR/PETSC_ARCH (CMake cache or environment), then pkg-config's PETSc (PETSc.pc), then the system PETSc (Debian/Ubuntu petsc-dev:
# /usr/lib/petsc, /usr/lib/petscdir/petsc*/<arch>). The configuration comes from PETSc's own
# lib/petsc/conf/petscvariables, which (unlike pkg-config PETSc) lists every include directory PETSc was built with,
# HDF5's included, and the MPI compilers.
#
# Also read by the installed package config (PetscSnapshotConfig.cmake), after the consumer's project(): there it only
# finds PETSc. In the build it must run before project(): it sets CMAKE_C_COMPILER / CMAKE_CXX_COMPILER to PETSc's MPI compilers unless the user
# chose compilers. Defines: PETSC_ROOT, PETSC_VARIABLES, PETSC_INCLUDE_DIRS, PETSC_LIBRARY_DIR, PETSC_LIBRARY_NAME,
# PETSC_VERSION, PETSC_MPIEXEC, PETSC_HAVE_HDF5, PETSC_CHOSEN (PETSC_DIR was given), PETSC_CC_INCLUDES,
# PETSC_HDF5_LIBRARY_NAMES (HDF5's C library names on PETSc's link line).

if(NOT PETSC_DIR AND DEFINED ENV{PETSC_DIR})
  set(PETSC_DIR "$ENV{PETSC_DIR}")
endif()
if(NOT PETSC_ARCH AND DEFINED ENV{PETSC_ARCH})
  set(PETSC_ARCH "$ENV{PETSC_ARCH}")
endif()
if(NOT PETSC_FIND_OPTIONAL AND PETSC_DIR)
  # the build remembers the PETSc it was configured with: a later automatic re-run of CMake (cmake --build after a
  # change to a CMakeLists.txt) without PETSC_DIR in the environment must not switch to the system PETSc
  set(PETSC_DIR "${PETSC_DIR}" CACHE PATH "PETSc's directory (from the environment or -DPETSC_DIR)" FORCE)
  set(PETSC_ARCH "${PETSC_ARCH}" CACHE STRING "PETSc's configuration in PETSC_DIR, if any" FORCE)
endif()

# Whether this PETSc was chosen (PETSC_DIR given) rather than found by default: the installed package then requires it
set(PETSC_CHOSEN FALSE)
if(PETSC_DIR)
  set(PETSC_CHOSEN TRUE)
endif()
set(_petsc_candidates)
if(PETSC_DIR)
  list(APPEND _petsc_candidates "${PETSC_DIR}/${PETSC_ARCH}" "${PETSC_DIR}")
else()
  # pkg-config's PETSc (PKG_CONFIG_PATH), whose prefix holds lib/petsc/conf/petscvariables
  find_program(_petsc_pkg_config NAMES pkg-config pkgconf)
  if(_petsc_pkg_config)
    execute_process(COMMAND ${_petsc_pkg_config} --variable=prefix PETSc OUTPUT_VARIABLE _petsc_pc_prefix
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _petsc_pc_rc)
    if(_petsc_pc_rc EQUAL 0 AND _petsc_pc_prefix)
      list(APPEND _petsc_candidates "${_petsc_pc_prefix}")
    endif()
  endif()
  file(GLOB _petsc_system LIST_DIRECTORIES true "/usr/lib/petscdir/petsc*/*-real" "/usr/lib/petscdir/petsc*/*")
  list(APPEND _petsc_candidates "/usr/lib/petsc" ${_petsc_system} "/usr/local/petsc" "/opt/petsc")
endif()

unset(PETSC_VARIABLES)
foreach(_c IN LISTS _petsc_candidates)
  if(EXISTS "${_c}/lib/petsc/conf/petscvariables")
    get_filename_component(PETSC_ROOT "${_c}" REALPATH)
    set(PETSC_VARIABLES "${PETSC_ROOT}/lib/petsc/conf/petscvariables")
    break()
  endif()
endforeach()
if(NOT PETSC_VARIABLES AND PETSC_FIND_OPTIONAL) # from the installed package config: find_package() says not found
  set(PETSC_FOUND FALSE)
  set(PETSC_NOT_FOUND_MESSAGE "PETSc not found: set PETSC_DIR (and PETSC_ARCH), or install the system PETSc (Debian: apt-get install petsc-dev). Looked in: ${_petsc_candidates}")
  return()
endif()
set(PETSC_FOUND TRUE)
if(NOT PETSC_VARIABLES)
  message(FATAL_ERROR "PETSc not found: set PETSC_DIR (and PETSC_ARCH for an in-place build), "
                      "or install the system PETSc (Debian: apt-get install petsc-dev). Looked in: ${_petsc_candidates}")
endif()

file(STRINGS "${PETSC_VARIABLES}" _petsc_lines)
function(_petsc_var name out)
  set(_val "")
  foreach(_l IN LISTS _petsc_lines)
    if(_l MATCHES "^${name} = (.*)$")
      set(_val "${CMAKE_MATCH_1}")
      break()
    endif()
  endforeach()
  string(STRIP "${_val}" _val)
  set(${out} "${_val}" PARENT_SCOPE)
endfunction()

_petsc_var(PCC _petsc_cc)
_petsc_var(CXX _petsc_cxx)
_petsc_var(PETSC_CC_INCLUDES _petsc_includes)
set(PETSC_CC_INCLUDES "${_petsc_includes}")
_petsc_var(MPIEXEC PETSC_MPIEXEC)
_petsc_var(PETSC_LIB_BASIC _petsc_lib_basic)
_petsc_var(PETSC_EXTERNAL_LIB_BASIC _petsc_external_libs)
set(PETSC_EXTERNAL_LIBRARY_DIRS)
set(PETSC_HDF5_LIBRARY_NAMES)
separate_arguments(_petsc_ext_list UNIX_COMMAND "${_petsc_external_libs}")
foreach(_l IN LISTS _petsc_ext_list)
  if(_l MATCHES "^-L(.*)$")
    list(APPEND PETSC_EXTERNAL_LIBRARY_DIRS "${CMAKE_MATCH_1}")
  elseif(_l MATCHES "^-l(hdf5[A-Za-z0-9_]*)$" AND NOT _l MATCHES "(_hl|fortran|_cpp)")
    # HDF5's C library as PETSc links it: hdf5 (bookworm, trixie), hdf5_openmpi (sid), ...
    list(APPEND PETSC_HDF5_LIBRARY_NAMES "${CMAKE_MATCH_1}")
  endif()
endforeach()

if(NOT CMAKE_C_COMPILER AND _petsc_cc)
  find_program(_petsc_cc_path NAMES ${_petsc_cc})
  if(_petsc_cc_path)
    set(CMAKE_C_COMPILER "${_petsc_cc_path}" CACHE FILEPATH "C compiler (PETSc's)")
  endif()
endif()
if(NOT CMAKE_CXX_COMPILER AND _petsc_cxx)
  find_program(_petsc_cxx_path NAMES ${_petsc_cxx})
  if(_petsc_cxx_path)
    set(CMAKE_CXX_COMPILER "${_petsc_cxx_path}" CACHE FILEPATH "C++ compiler (PETSc's)")
  endif()
endif()

# Include directories: every -I of PETSC_CC_INCLUDES (PETSc's own first, then HDF5's, ...).
set(PETSC_INCLUDE_DIRS)
separate_arguments(_petsc_inc_list UNIX_COMMAND "${_petsc_includes}")
foreach(_i IN LISTS _petsc_inc_list)
  if(_i MATCHES "^-I(.*)$")
    list(APPEND PETSC_INCLUDE_DIRS "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(NOT PETSC_INCLUDE_DIRS)
  set(PETSC_INCLUDE_DIRS "${PETSC_ROOT}/include")
endif()

# Library: -lpetsc or, on Debian, -lpetsc_real.
set(PETSC_LIBRARY_DIR "${PETSC_ROOT}/lib")
if(_petsc_lib_basic MATCHES "-l(petsc[A-Za-z0-9_]*)")
  set(PETSC_LIBRARY_NAME "${CMAKE_MATCH_1}")
else()
  set(PETSC_LIBRARY_NAME petsc)
endif()
find_library(PETSC_LIBRARY NAMES ${PETSC_LIBRARY_NAME} petsc PATHS "${PETSC_LIBRARY_DIR}" NO_DEFAULT_PATH REQUIRED)

# Version and features from petscconf.h / petscversion.h.
set(_petscconf "")
foreach(_d IN LISTS PETSC_INCLUDE_DIRS)
  if(EXISTS "${_d}/petscconf.h")
    file(READ "${_d}/petscconf.h" _petscconf)
  endif()
  if(EXISTS "${_d}/petscversion.h")
    file(STRINGS "${_d}/petscversion.h" _v REGEX "#define PETSC_VERSION_(MAJOR|MINOR|SUBMINOR) ")
    string(REGEX REPLACE ".*MAJOR[ ]+([0-9]+).*" "\\1" _maj "${_v}")
    string(REGEX REPLACE ".*MINOR[ ]+([0-9]+).*SUBMINOR.*" "\\1" _min "${_v}")
    string(REGEX REPLACE ".*SUBMINOR[ ]+([0-9]+).*" "\\1" _sub "${_v}")
    set(PETSC_VERSION "${_maj}.${_min}.${_sub}")
  endif()
endforeach()
set(PETSC_USE_COMPLEX FALSE)
if(_petscconf MATCHES "#define PETSC_USE_COMPLEX 1")
  set(PETSC_USE_COMPLEX TRUE)
endif()
set(PETSC_USE_64BIT_INDICES FALSE)
if(_petscconf MATCHES "#define PETSC_USE_64BIT_INDICES 1")
  set(PETSC_USE_64BIT_INDICES TRUE)
endif()
if(_petscconf MATCHES "#define PETSC_HAVE_HDF5 1")
  set(PETSC_HAVE_HDF5 TRUE)
else()
  set(PETSC_HAVE_HDF5 FALSE)
endif()
if(NOT PETSC_MPIEXEC)
  set(PETSC_MPIEXEC mpiexec)
endif()
message(STATUS "PETSc ${PETSC_VERSION} at ${PETSC_ROOT} (library ${PETSC_LIBRARY}, HDF5: ${PETSC_HAVE_HDF5}, 64-bit indices: ${PETSC_USE_64BIT_INDICES}, complex: ${PETSC_USE_COMPLEX})")
