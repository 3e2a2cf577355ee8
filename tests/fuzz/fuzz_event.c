/* fuzz_event.c - libFuzzer harness of sd_event_decode: an event as a replica reads it from a peer
 * (published, or in a sync reply) and as the store reads its own log.
 *
 * Any bytes are refused with an SD_E* code or decoded into an event of a known kind and op;
 * what is decoded encodes to bytes that decode again and encode to the same bytes, so an event
 * relayed by a hub reaches every region as the hub understood it. */
#include "fuzz.h"

#include "event.h"

static void s_encode(const void *ev, sd_mp_writer_t *w)
{
    sd_event_encode(ev, w);
}

static int s_decode(const uint8_t *buf, size_t len, void *ev, sd_fault_t *fault)
{
    return sd_event_decode(buf, len, ev, fault);
}

static const sd_fuzz_codec_t s_codec = {"event", s_encode, s_decode};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_event_t ev = {0}, again = {0};
    sd_fault_t fault = {0};
    int rc = sd_event_decode(data, size, &ev, &fault);
    if (rc) {
        sd_fuzz_check_error(rc, &fault);
    } else {
        SD_FUZZ_CHECK(ev.kind != NULL && ev.op >= 0 && ev.op < ev.kind->nops,
                      "a decoded event has a kind and one of its ops");
        SD_FUZZ_CHECK(sd_site_valid(ev.origin) && ev.seq >= 1, "a decoded event has an origin");
        sd_fuzz_round_trip(&s_codec, &ev, &again);
        SD_FUZZ_CHECK(again.kind == ev.kind && again.op == ev.op && again.seq == ev.seq &&
                          again.hlc == ev.hlc && again.mask == ev.mask &&
                          strcmp(again.origin, ev.origin) == 0 && strcmp(again.key, ev.key) == 0 &&
                          strcmp(again.author, ev.author) == 0,
                      "the envelope survives");
    }
    sd_event_clear(&ev);
    sd_event_clear(&again);
    return 0;
}
