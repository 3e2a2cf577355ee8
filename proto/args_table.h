/* args_table.h - shorthands for writing an argument group's field table (the group files only). */
#ifndef SD_ARGS_TABLE_H
#define SD_ARGS_TABLE_H

#include "mp.h"

#include <stddef.h>

#define STR(T, n, max, fl)                                                                         \
    {                                                                                              \
#n, SD_F_STR, fl, 0, offsetof(T, n), 0, max, NULL                                          \
    }
#define INT(T, n, lo, hi)                                                                          \
    {                                                                                              \
#n, SD_F_INT, 0, 0, offsetof(T, n), lo, hi, NULL                                           \
    }
#define ENUM(T, n, names, count)                                                                   \
    {                                                                                              \
#n, SD_F_ENUM, 0, 0, offsetof(T, n), 0, count, names                                       \
    }
#define SCALAR(T, wire, kind, m)                                                                   \
    {                                                                                              \
        wire, kind, 0, 0, offsetof(T, m), 0, 0, NULL                                               \
    }

#define LINE1 (SD_F_LINE | SD_F_NONEMPTY)

#endif
