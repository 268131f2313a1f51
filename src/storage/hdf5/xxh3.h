/* XXH3-64, the checksum of the hdf5 type. libxxhash's x86 build also exports XXH3 with run-time dispatch to
   AVX2/AVX-512 (the same hash, computed faster); when CMake found those functions, xxh_x86dispatch.h makes every XXH3
   call below use them. */
#ifndef PETSCSNAPSHOT_XXH3_H
#define PETSCSNAPSHOT_XXH3_H

#include <xxhash.h>
#if defined(PETSCSNAPSHOT_HAVE_XXH_DISPATCH)
  #include <xxh_x86dispatch.h>
#endif

#endif
