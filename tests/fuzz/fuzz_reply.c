/* fuzz_reply.c - libFuzzer harness of sd_reply_decode: a node's reply as a client reads it.
 *
 * Any bytes are refused with an SD_E* code or decoded into an ok reply with a result or an
 * error reply with a known code and a terminated message. */
#include "fuzz.h"

#include "request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_reply_t reply;
    int rc = sd_reply_decode(data, size, &reply);
    if (rc) {
        sd_fuzz_check_error(rc, NULL);
    } else if (reply.ok) {
        SD_FUZZ_CHECK(reply.result != NULL, "an ok reply has a result");
    } else {
        SD_FUZZ_CHECK(reply.code < 0 && reply.code > -SD_ERROR_COUNT_, "an error reply's code");
        SD_FUZZ_CHECK(memchr(reply.message, 0, sizeof reply.message) != NULL,
                      "the message is terminated");
    }
    sd_reply_clear(&reply);
    return 0;
}
