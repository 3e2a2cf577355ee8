/* permission.c - the permission table, expanded from permissions.def. */
#include "permission.h"

#include <string.h>

const char *const sd_scope_names[SD_SCOPE_COUNT_] = {"-", "own", "site", "any"};

const sd_perm_row_t sd_perm_rows[] = {
#define SD_PERM(op, anyone, requester, agent, manager, admin)                                      \
    {op,                                                                                           \
     {SD_SCOPE_##anyone, SD_SCOPE_##requester, SD_SCOPE_##agent, SD_SCOPE_##manager,               \
      SD_SCOPE_##admin}},
#include "permissions.def"
#undef SD_PERM
};
const size_t sd_perm_row_count = sizeof sd_perm_rows / sizeof sd_perm_rows[0];

_Static_assert(SD_ROLE_REQUESTER == 0 && SD_ROLE_AGENT == 1 && SD_ROLE_MANAGER == 2 &&
                   SD_ROLE_ADMIN == 3 && SD_ROLE_COUNT_ == 4,
               "the table's columns follow the roles");

const sd_perm_row_t *sd_perm_row(const char *op)
{
    for (size_t i = 0; i < sd_perm_row_count; i++)
        if (strcmp(sd_perm_rows[i].op, op) == 0)
            return &sd_perm_rows[i];
    return NULL;
}
