/* hlc.h - hybrid logical clock (Kulkarni et al.), packed into one uint64_t.
 *
 * A stamp is (physical ms << 16) | logical counter, so stamps compare as plain
 * integers and a counter overflow simply borrows a millisecond. Stamps from
 * one clock strictly increase even when the wall clock steps back. */
#ifndef SD_HLC_H
#define SD_HLC_H

#include <stdint.h>

typedef struct {
    uint64_t last; /* greatest stamp issued or observed */
} sd_hlc_t;

/* Milliseconds part of a stamp. */
static inline uint64_t sd_hlc_ms(uint64_t stamp)
{
    return stamp >> 16;
}

/* Stamp for a local event at wall time wall_ms: max(last + 1, wall_ms << 16). It never wraps:
 * at UINT64_MAX it stays there, which the caller refuses to use (no later stamp exists). */
uint64_t sd_hlc_tick(sd_hlc_t *clock, uint64_t wall_ms);

/* Merges a stamp received from another node so later local stamps exceed it. */
void sd_hlc_observe(sd_hlc_t *clock, uint64_t remote);

#endif
