/* Registration of the built-in DM hooks (one function per hooks file). */
#ifndef PETSCSNAPSHOT_BUILTIN_HPP
#define PETSCSNAPSHOT_BUILTIN_HPP

namespace petscsnapshot
{
PETSC_INTERN PetscErrorCode RegisterLayoutHooks(void);
PETSC_INTERN PetscErrorCode RegisterCoordinateHooks(void);
PETSC_INTERN PetscErrorCode RegisterStateHooks(void);
PETSC_INTERN PetscErrorCode RegisterSwarmHooks(void);
} // namespace petscsnapshot

#endif
