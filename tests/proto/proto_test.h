/* proto_test.h - helpers shared by the proto unit tests: the writer fixture, fault assertions. */
#ifndef SD_PROTO_TEST_H
#define SD_PROTO_TEST_H

/* cmocka.h needs these first; listed here so that the header stands alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mp.h"

#include <stdlib.h>
#include <string.h>

/* The cmocka setup of the proto tests, whose fixtures all start with the
 * writer the test encodes into: allocates a zeroed fixture of size bytes
 * whose FIRST member is an sd_mp_writer_t *w, gives it a new writer and
 * stores it in *state. size: sizeof the test's fixture type.
 * Returns 0, or -1 when out of memory (nothing is left allocated). The
 * fixture and its writer are the test's: its teardown destroys w with
 * sd_mp_writer_destroy() and frees the fixture. */
static inline int sd_test_fixture_new(void **state, size_t size)
{
    /* A pointer to a struct, converted, points to its first member. */
    sd_mp_writer_t **w = size >= sizeof *w ? calloc(1, size) : NULL;
    if (!w || !(*w = sd_mp_writer_new())) {
        free(w);
        return -1;
    }
    *state = w;
    return 0;
}

/* Defines static int name(void **state): the cmocka setup that makes a fixture
 * of struct type type with sd_test_fixture_new(), checking at compile time
 * that the writer w is its first member. */
#define SD_TEST_FIXTURE_SETUP(name, type)                                                          \
    static int name(void **state)                                                                  \
    {                                                                                              \
        _Static_assert(offsetof(type, w) == 0, #type ": w must be the first member");              \
        return sd_test_fixture_new(state, sizeof(type));                                           \
    }

/* Fails the test unless the text of fault (an sd_fault_t *) contains needle:
 * a decoder's fault must name what it rejects. */
#define assert_fault_says(fault, needle)                                                           \
    do {                                                                                           \
        if (!strstr((fault)->text, (needle)))                                                      \
            fail_msg("fault text \"%s\" does not mention \"%s\"", (fault)->text, (needle));        \
    } while (0)

#endif
