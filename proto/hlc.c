/* hlc.c - hybrid logical clock. */
#include "hlc.h"

uint64_t sd_hlc_tick(sd_hlc_t *clock, uint64_t wall_ms)
{
    uint64_t physical = wall_ms << 16;
    if (physical > clock->last)
        clock->last = physical;
    else if (clock->last < UINT64_MAX) /* saturates: never wraps to 0 */
        clock->last++;
    return clock->last;
}

void sd_hlc_observe(sd_hlc_t *clock, uint64_t remote)
{
    if (remote > clock->last)
        clock->last = remote;
}
