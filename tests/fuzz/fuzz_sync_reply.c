/* fuzz_sync_reply.c - libFuzzer harness of a sync reply: the frames a peer's sync service sends
 * back, as the replica state machine (replication/repl.h) decodes, classifies and applies them
 * to the node's real store through its journal (node/repl/repl_store.h).
 *
 * The input is frames, each [u16 big-endian length][bytes]; what is left when a length runs past
 * the end is the last frame. The node EMEA follows a hub, which may send every origin, so every
 * event that decodes and is the next of its origin reaches the store's apply, fold and indexes.
 * Whatever the frames, the state machine applies at most one event per frame, every refusal
 * carries an SD_E* code, and the store stays readable: every record it wrote decodes again (the
 * state digest reads them all). Each input gets a fresh store (tmpfs when /dev/shm exists). */
#include "fuzz.h"

#include "journal.h"
#include "repl.h"
#include "repl_store.h"
#include "store.h"

#include <ftw.h>

#define FRAMES_MAX 16

static char s_dir[256]; /* where each input's store is made and removed */

static int s_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag;
    return ftw->level ? remove(path) : 0; /* the directory itself stays for the next input */
}

static void s_cleanup(void)
{
    nftw(s_dir, s_rm_one, 8, FTW_DEPTH | FTW_PHYS);
    rmdir(s_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(s_dir, sizeof s_dir, "%s/sd-fuzz-sync-XXXXXX", base && *base ? base : "/tmp");
    SD_FUZZ_CHECK(mkdtemp(s_dir) != NULL, "a directory for the stores");
    atexit(s_cleanup);
    return 0;
}

static void s_act(void *arg, const sd_repl_action_t *a)
{
    (void)arg;
    if (a->kind == SD_REPL_REFUSED)
        SD_FUZZ_CHECK(a->error == 0 || (a->error < 0 && a->error > -SD_ERROR_COUNT_),
                      "a refusal says why");
    SD_FUZZ_CHECK(a->kind != SD_REPL_FAILED, "a decoded event never fails the store");
}

/* Cuts the input into frames; returns how many. */
static size_t s_frames(const uint8_t *data, size_t size, sd_repl_frame_t *frames)
{
    size_t n = 0;
    while (size && n < FRAMES_MAX) {
        size_t len = size >= 2 ? ((size_t)data[0] << 8 | data[1]) : size;
        if (size < 2 || len > size - 2 || n == FRAMES_MAX - 1) {
            frames[n++] = (sd_repl_frame_t){.bytes = data, .len = size};
            break;
        }
        frames[n++] = (sd_repl_frame_t){.bytes = data + 2, .len = len};
        data += 2 + len;
        size -= 2 + len;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_repl_frame_t frames[FRAMES_MAX];
    size_t n = s_frames(data, size, frames);
    sd_store_t *store = NULL;
    sd_journal_t *journal = NULL;
    sd_repl_t *repl = NULL;
    SD_FUZZ_CHECK(sd_store_open(s_dir, "EMEA", &store) == 0, "a fresh store");
    SD_FUZZ_CHECK(sd_journal_open(store, "EMEA", &journal) == 0, "its journal");
    const sd_peer_t hub = {.site = "HUB", .role = SD_ROLE_HUB};
    sd_repl_params_t params = {
        .site = "EMEA", .heartbeat_ms = 1000, .peers = &hub, .npeers = 1, .act = s_act};
    sd_repl_store_init(&params.store, journal);
    SD_FUZZ_CHECK(sd_repl_new(&params, 1000, &repl) == 0, "the replica state machine");

    size_t applied = n ? sd_repl_on_sync_reply(repl, 0, frames, n, 2000) : 0;
    SD_FUZZ_CHECK(applied <= n, "at most one event applied per frame");

    sd_store_txn_t *txn = NULL;
    char digest[SD_DIGEST_BYTES * 2 + 1];
    SD_FUZZ_CHECK(sd_store_begin(store, false, &txn) == 0, "a read transaction");
    int rc = sd_store_digest(txn, digest);
    if (rc)
        fprintf(stderr, "digest: %s\n", sd_strerror(rc));
    SD_FUZZ_CHECK(rc == 0, "every record the store wrote reads back");
    sd_vector_t vector;
    SD_FUZZ_CHECK(sd_store_vector(txn, &vector) == 0, "the applied vector reads back");
    uint64_t held = 0;
    for (size_t i = 0; i < vector.count; i++)
        held += vector.entries[i].seq;
    SD_FUZZ_CHECK(held == applied, "the vector counts exactly the events applied");
    sd_store_abort(&txn);

    sd_repl_destroy(&repl);
    sd_journal_close(&journal);
    sd_store_close(&store);
    nftw(s_dir, s_rm_one, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}
