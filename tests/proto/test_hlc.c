/* test_hlc.c - hybrid logical clock: monotonic stamps and merging remote stamps (proto/hlc.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hlc.h"

#define MS(x) ((uint64_t)(x) << 16) /* the stamp of wall time x ms with counter 0 */

static void test_hlc_tick_follows_wall_clock(void **state)
{
    (void)state;
    sd_hlc_t clock = {0};
    assert_int_equal(sd_hlc_tick(&clock, 1000), MS(1000));
    assert_int_equal(sd_hlc_tick(&clock, 1001), MS(1001));
    assert_int_equal(sd_hlc_ms(sd_hlc_tick(&clock, 2500)), 2500);
}

static void test_hlc_tick_same_ms_counts_up(void **state)
{
    (void)state;
    sd_hlc_t clock = {0};
    uint64_t a = sd_hlc_tick(&clock, 1000);
    uint64_t b = sd_hlc_tick(&clock, 1000);
    uint64_t c = sd_hlc_tick(&clock, 1000);
    assert_int_equal(b, a + 1);
    assert_int_equal(c, a + 2);
    assert_int_equal(sd_hlc_ms(c), 1000);
}

static void test_hlc_monotonic_when_wall_goes_back(void **state)
{
    (void)state;
    sd_hlc_t clock = {0};
    uint64_t prev = sd_hlc_tick(&clock, 5000);
    /* NTP steps the clock back by a second, then to 0, then wanders. */
    const uint64_t walls[] = {4000, 4001, 0, 4999, 5000, 3, 5000, 4500};
    for (size_t i = 0; i < sizeof walls / sizeof walls[0]; i++) {
        uint64_t now = sd_hlc_tick(&clock, walls[i]);
        assert_true(now > prev);
        assert_int_equal(sd_hlc_ms(now), 5000); /* stays at the greatest wall time seen */
        prev = now;
    }
    /* Once the wall clock passes the old maximum, stamps follow it again. */
    assert_int_equal(sd_hlc_tick(&clock, 5001), MS(5001));
}

static void test_hlc_counter_overflow_borrows_ms(void **state)
{
    (void)state;
    sd_hlc_t clock = {.last = MS(1000) | 0xFFFF};
    uint64_t next = sd_hlc_tick(&clock, 1000);
    assert_int_equal(next, MS(1001));
    assert_int_equal(sd_hlc_ms(next), 1001);
}

static void test_hlc_observe_remote_makes_next_tick_exceed_it(void **state)
{
    (void)state;
    sd_hlc_t clock = {0};
    sd_hlc_tick(&clock, 1000);
    uint64_t remote = MS(9000) | 7; /* a site whose clock runs 8 s ahead */
    sd_hlc_observe(&clock, remote);
    uint64_t next = sd_hlc_tick(&clock, 1001);
    assert_true(next > remote);
    assert_int_equal(next, remote + 1);
}

static void test_hlc_observe_older_remote_is_ignored(void **state)
{
    (void)state;
    sd_hlc_t clock = {0};
    uint64_t mine = sd_hlc_tick(&clock, 5000);
    sd_hlc_observe(&clock, MS(10));
    assert_int_equal(clock.last, mine);
    assert_int_equal(sd_hlc_tick(&clock, 5000), mine + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hlc_tick_follows_wall_clock),
        cmocka_unit_test(test_hlc_tick_same_ms_counts_up),
        cmocka_unit_test(test_hlc_monotonic_when_wall_goes_back),
        cmocka_unit_test(test_hlc_counter_overflow_borrows_ms),
        cmocka_unit_test(test_hlc_observe_remote_makes_next_tick_exceed_it),
        cmocka_unit_test(test_hlc_observe_older_remote_is_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
