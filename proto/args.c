/* args.c - the registry of argument groups (args.def): each group's table, by group number. */
#include "args.h"

/* Every group's arguments fit the bits of sd_request_t.present. */
#define SD_ARGS_GROUP(GROUP, name)                                                                 \
    _Static_assert(SD_ARG_##GROUP##_COUNT_ <= 64, #name " arguments do not fit a uint64_t mask");
#include "args.def"
#undef SD_ARGS_GROUP

static const sd_args_group_spec_t s_groups[SD_ARGS_COUNT_] = {
    [SD_ARGS_NONE] = {"none", NULL, 0},
#define SD_ARGS_GROUP(GROUP, name)                                                                 \
    [SD_ARGS_##GROUP] = {#name, sd_##name##_args_fields, SD_ARG_##GROUP##_COUNT_},
#include "args.def"
#undef SD_ARGS_GROUP
};

const sd_args_group_spec_t *sd_args_group(int group)
{
    return group >= 0 && group < SD_ARGS_COUNT_ ? &s_groups[group] : NULL;
}
