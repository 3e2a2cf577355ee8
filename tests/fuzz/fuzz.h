/* fuzz.h - what every libFuzzer harness of tests/fuzz shares: the entry point, the checks that
 * turn a broken property into a crash libFuzzer reports, and byte helpers.
 *
 * A harness defines LLVMFuzzerTestOneInput; libFuzzer (clang -fsanitize=fuzzer) calls it with
 * every input it makes, under ASan and UBSan, and LeakSanitizer checks each run: a harness must
 * free everything it and the code under test allocate, whatever the input. */
#ifndef SD_FUZZ_H
#define SD_FUZZ_H

#include "error.h"
#include "mp.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Fails the run (libFuzzer saves the input as crash-*) when cond is false. */
#define SD_FUZZ_CHECK(cond, what)                                                                  \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property broken: %s (%s)\n", __FILE__, __LINE__, what, #cond); \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A decoder's refusal: a negative SD_E* code, the same in *fault when the decoder fills one. */
static inline void sd_fuzz_check_error(int rc, const sd_fault_t *fault)
{
    SD_FUZZ_CHECK(rc < 0 && rc > -SD_ERROR_COUNT_, "a decode error is an SD_E* code");
    if (fault) {
        SD_FUZZ_CHECK(fault->code == rc, "the fault names the returned code");
        SD_FUZZ_CHECK(memchr(fault->text, 0, sizeof fault->text) != NULL,
                      "the fault text is terminated");
    }
}

/* A malloc'd copy of what w holds (*len bytes); aborts when w failed or memory is out. */
static inline uint8_t *sd_fuzz_take(const sd_mp_writer_t *w, size_t *len)
{
    const void *data = sd_mp_writer_data(w, len);
    SD_FUZZ_CHECK(sd_mp_writer_error(w) == 0, "the writer holds the whole encoding");
    uint8_t *copy = malloc(*len ? *len : 1);
    SD_FUZZ_CHECK(copy != NULL, "memory for a copy");
    memcpy(copy, data, *len);
    return copy;
}

/* True when w holds exactly bytes[0..len). */
static inline bool sd_fuzz_same(const sd_mp_writer_t *w, const uint8_t *bytes, size_t len)
{
    size_t n;
    const void *data = sd_mp_writer_data(w, &n);
    return n == len && memcmp(data, bytes, len) == 0;
}

/* A wire form, as a round trip needs it: adapters over its module's encoder and decoder. */
typedef struct {
    const char *what;                                     /* "request", for messages */
    void (*encode)(const void *value, sd_mp_writer_t *w); /* writes value */
    int (*decode)(const uint8_t *buf, size_t len, void *value, sd_fault_t *fault); /* reads one */
} sd_fuzz_codec_t;

/* What a decoder accepted survives its own encoding: value (decoded) encodes to bytes that
 * decode into again (zeroed; the caller compares it with value, then clears it), and again
 * encodes to the same bytes. */
static inline void sd_fuzz_round_trip(const sd_fuzz_codec_t *codec, const void *value, void *again)
{
    sd_mp_writer_t *w = sd_mp_writer_new();
    SD_FUZZ_CHECK(w != NULL, "a writer");
    codec->encode(value, w);
    size_t len;
    uint8_t *first = sd_fuzz_take(w, &len);
    sd_fault_t fault = {0};
    int rc = codec->decode(first, len, again, &fault);
    if (rc)
        fprintf(stderr, "%s: re-decode: %s\n", codec->what, fault.text);
    SD_FUZZ_CHECK(rc == 0, "a decoded value's encoding decodes");
    sd_mp_writer_reset(w);
    codec->encode(again, w);
    SD_FUZZ_CHECK(sd_fuzz_same(w, first, len), "re-encoding is stable");
    free(first);
    sd_mp_writer_destroy(&w);
}

/* Writes data[0..size) to a new temporary file (in $TMPDIR, else /tmp) for a reader that takes a
 * path, and puts its name in path; the caller unlinks it. Aborts when it cannot. */
static inline void sd_fuzz_file(const uint8_t *data, size_t size, char path[256])
{
    const char *base = getenv("TMPDIR");
    snprintf(path, 256, "%s/sd-fuzz-XXXXXX", base && *base ? base : "/tmp");
    int fd = mkstemp(path);
    SD_FUZZ_CHECK(fd >= 0, "a temporary file");
    for (size_t done = 0; done < size;) {
        ssize_t n = write(fd, data + done, size - done);
        SD_FUZZ_CHECK(n > 0, "the input written to the temporary file");
        done += (size_t)n;
    }
    close(fd);
}

#endif
