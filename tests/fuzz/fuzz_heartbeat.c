/* fuzz_heartbeat.c - libFuzzer harness of sd_heartbeat_decode (and sd_vector_decode in it): a
 * peer's heartbeat with its applied vector, as a replica reads it.
 *
 * Any bytes are refused with an SD_E* code or decoded into a valid site and a vector of valid,
 * sorted, distinct origins within SD_VECTOR_MAX; what is decoded round-trips exactly. */
#include "fuzz.h"

#include "sync.h"

typedef struct {
    char site[SD_SITE_MAX + 1]; /* the sender */
    sd_vector_t vector;         /* what it holds */
} s_heartbeat_t;

static void s_encode(const void *value, sd_mp_writer_t *w)
{
    const s_heartbeat_t *hb = value;
    sd_heartbeat_encode(hb->site, &hb->vector, w);
}

static int s_decode(const uint8_t *buf, size_t len, void *value, sd_fault_t *fault)
{
    s_heartbeat_t *hb = value;
    return sd_heartbeat_decode(buf, len, hb->site, &hb->vector, fault);
}

static const sd_fuzz_codec_t s_codec = {"heartbeat", s_encode, s_decode};

static void s_check_vector(const sd_vector_t *v)
{
    SD_FUZZ_CHECK(v->count <= SD_VECTOR_MAX, "at most SD_VECTOR_MAX origins");
    for (size_t i = 0; i < v->count; i++) {
        SD_FUZZ_CHECK(sd_site_valid(v->entries[i].origin), "every origin is a site id");
        SD_FUZZ_CHECK(i == 0 || strcmp(v->entries[i - 1].origin, v->entries[i].origin) < 0,
                      "origins sorted and distinct");
        SD_FUZZ_CHECK(sd_vector_get(v, v->entries[i].origin) == v->entries[i].seq,
                      "every origin can be looked up");
    }
}

/* An accepted heartbeat: a valid sender and vector, and both survive the round trip. */
static void s_check_accepted(const s_heartbeat_t *hb)
{
    s_heartbeat_t again;
    SD_FUZZ_CHECK(sd_site_valid(hb->site), "the sender is a site id");
    s_check_vector(&hb->vector);
    sd_fuzz_round_trip(&s_codec, hb, &again);
    SD_FUZZ_CHECK(strcmp(hb->site, again.site) == 0 && again.vector.count == hb->vector.count,
                  "site and count survive");
    for (size_t i = 0; i < hb->vector.count; i++)
        SD_FUZZ_CHECK(strcmp(again.vector.entries[i].origin, hb->vector.entries[i].origin) == 0 &&
                          again.vector.entries[i].seq == hb->vector.entries[i].seq,
                      "every entry survives");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    s_heartbeat_t hb;
    sd_fault_t fault = {0};
    int rc = s_decode(data, size, &hb, &fault);
    if (rc)
        sd_fuzz_check_error(rc, &fault);
    else
        s_check_accepted(&hb);
    return 0;
}
