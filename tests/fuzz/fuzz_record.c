/* fuzz_record.c - libFuzzer harness of sd_record_decode for every kind of sd_kinds: a record as
 * the store reads it back (its stored form, with stamps).
 *
 * The first byte picks the kind, the rest is the msgpack record. Any bytes are refused or
 * decoded; a decoded record encodes to bytes that decode again and encode to the same bytes (the
 * state digest, which proves convergence, hashes these bytes), and its client view encodes. */
#include "fuzz.h"

#include "record.h"

static const sd_kind_t *s_kind; /* the kind of the current input */

static void s_encode(const void *record, sd_mp_writer_t *w)
{
    sd_record_encode(s_kind, record, true, w);
}

/* As the store reads a record: parse, then decode. */
static int s_decode(const uint8_t *buf, size_t len, void *record, sd_fault_t *fault)
{
    sd_mp_doc_t *doc = NULL;
    int rc = sd_mp_doc_parse(buf, len, &doc);
    if (rc)
        return sd_fault_set(fault, rc, "not msgpack");
    rc = sd_record_decode(s_kind, sd_mp_doc_root(doc), record, fault);
    sd_mp_doc_destroy(&doc);
    return rc;
}

static const sd_fuzz_codec_t s_codec = {"record", s_encode, s_decode};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    s_kind = sd_kinds[data[0] % sd_kind_count];
    void *record = sd_record_new(s_kind), *again = sd_record_new(s_kind);
    SD_FUZZ_CHECK(record && again, "records");
    sd_fault_t fault = {0};
    int rc = s_decode(data + 1, size - 1, record, &fault);
    if (rc) {
        sd_fuzz_check_error(rc, &fault);
    } else {
        sd_fuzz_round_trip(&s_codec, record, again);
        SD_FUZZ_CHECK(strcmp(sd_record_cid(s_kind, record), sd_record_cid(s_kind, again)) == 0,
                      "the id survives");
        /* The client view of the same record is written without failing too. */
        sd_mp_writer_t *w = sd_mp_writer_new();
        SD_FUZZ_CHECK(w != NULL, "a writer");
        sd_record_encode(s_kind, again, false, w);
        SD_FUZZ_CHECK(sd_mp_writer_error(w) == 0, "the client view encodes");
        sd_mp_writer_destroy(&w);
    }
    sd_record_destroy(s_kind, &record); /* also after an error (record.h: it may hold part) */
    sd_record_destroy(s_kind, &again);
    return 0;
}
