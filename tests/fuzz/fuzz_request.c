/* fuzz_request.c - libFuzzer harness of sd_request_decode: a client's request as the node reads it.
 *
 * Any bytes are refused with an SD_E* code or decoded; what is decoded encodes to bytes that
 * decode again and encode to the same bytes (what the node understood survives a round trip). */
#include "fuzz.h"

#include "request.h"

static void s_encode(const void *req, sd_mp_writer_t *w)
{
    sd_request_encode(req, w);
}

static int s_decode(const uint8_t *buf, size_t len, void *req, sd_fault_t *fault)
{
    return sd_request_decode(buf, len, req, fault);
}

static const sd_fuzz_codec_t s_codec = {"request", s_encode, s_decode};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_request_t req = {0}, again = {0};
    sd_fault_t fault = {0};
    int rc = sd_request_decode(data, size, &req, &fault);
    if (rc) {
        sd_fuzz_check_error(rc, &fault);
    } else {
        sd_fuzz_round_trip(&s_codec, &req, &again);
        SD_FUZZ_CHECK(again.op == req.op && again.id == req.id && again.present == req.present &&
                          !again.token == !req.token,
                      "op, id, arguments and token survive");
    }
    sd_request_clear(&req); /* also after an error (request.h) */
    sd_request_clear(&again);
    return 0;
}
