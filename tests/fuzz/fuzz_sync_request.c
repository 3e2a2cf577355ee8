/* fuzz_sync_request.c - libFuzzer harness of sd_sync_request_decode: "events of origin X from
 * seq N", as a node's sync service reads it from any peer.
 *
 * Any bytes are refused with an SD_E* code or decoded into a valid origin and a seq >= 1; what is
 * decoded round-trips exactly. */
#include "fuzz.h"

#include "sync.h"

static void s_encode(const void *req, sd_mp_writer_t *w)
{
    sd_sync_request_encode(req, w);
}

static int s_decode(const uint8_t *buf, size_t len, void *req, sd_fault_t *fault)
{
    return sd_sync_request_decode(buf, len, req, fault);
}

static const sd_fuzz_codec_t s_codec = {"sync request", s_encode, s_decode};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_sync_request_t req, again;
    sd_fault_t fault = {0};
    int rc = sd_sync_request_decode(data, size, &req, &fault);
    if (rc) {
        sd_fuzz_check_error(rc, &fault);
        return 0;
    }
    SD_FUZZ_CHECK(sd_site_valid(req.origin) && req.from >= 1, "a valid origin and seq");
    sd_fuzz_round_trip(&s_codec, &req, &again);
    SD_FUZZ_CHECK(strcmp(again.origin, req.origin) == 0 && again.from == req.from,
                  "origin and seq survive");
    return 0;
}
