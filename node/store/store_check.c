/* store_check.c - a store file's LMDB meta pages, length and free list, read by pread
 * (store_check.h). */
#include "store_check.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* LMDB 0.9's on-disk format (mdb.c of 0.9.24: MDB_page, MDB_node, MDB_db, MDB_meta, and
 * mdb_env_read_header), in the byte order and word size of the machine, as LMDB writes it: a
 * page number (pgno_t) and a transaction id (txnid_t) are size_t. */
#define LMDB_MAGIC      0xBEEFC0DEu
#define LMDB_VERSION    1u /* MDB_DATA_VERSION */
#define LMDB_P_BRANCH   0x01u
#define LMDB_P_LEAF     0x02u
#define LMDB_P_OVERFLOW 0x04u
#define LMDB_P_META     0x08u
#define LMDB_F_BIGDATA  0x01u        /* a node's data is in an overflow run */
#define LMDB_NODESIZE   8u           /* MDB_node before its key: lo, hi, flags, ksize */
#define LMDB_P_INVALID  (~(size_t)0) /* the root of an empty tree */
#define LMDB_PSIZE_MIN  512u         /* page sizes LMDB could have written: powers of two */
#define LMDB_PSIZE_MAX  65536u
#define FREE_DEPTH_MAX  32 /* a free list deeper than this is garbage, not a B-tree */

/* MDB_page up to mp_ptrs: its size is LMDB's PAGEHDRSZ. */
typedef struct {
    size_t pgno;    /* mp_pgno */
    uint16_t pad;   /* mp_pad */
    uint16_t flags; /* mp_flags: P_BRANCH, P_LEAF, P_OVERFLOW, P_META */
    union {
        struct {
            uint16_t lower; /* end of the node offsets that follow the header */
            uint16_t upper; /* start of the nodes */
        } pb;
        uint32_t pages; /* an overflow run's length in pages */
    } u;
} s_page_t;

_Static_assert(sizeof(s_page_t) == sizeof(size_t) + 8, "MDB_page header as LMDB lays it out");

/* MDB_db: one B-tree's root and counts. */
typedef struct {
    uint32_t pad;                                    /* in the free list's slot: the page size */
    uint16_t flags;                                  /* in the free list's slot: env flags */
    uint16_t depth;                                  /* levels of the tree */
    size_t branch_pages, leaf_pages, overflow_pages; /* pages of each type */
    size_t entries;                                  /* items */
    size_t root;                                     /* root page, LMDB_P_INVALID when empty */
} s_db_t;

/* MDB_meta, after a page header in pages 0 and 1. */
typedef struct {
    uint32_t magic;   /* LMDB_MAGIC */
    uint32_t version; /* LMDB_VERSION */
    void *address;    /* fixed map address (unused) */
    size_t mapsize;   /* map size when written; LMDB raises it to cover last_pg itself */
    s_db_t dbs[2];    /* the free list, the main tree */
    size_t last_pg;   /* the last page this transaction uses */
    size_t txnid;     /* the transaction that wrote this meta */
} s_meta_t;

/* The file under check. */
typedef struct {
    const char *path; /* for the message */
    int fd;           /* open read-only */
    uint64_t size;    /* bytes, taken after the metas were read */
    unsigned psize;   /* page size */
    s_meta_t meta;    /* the meta LMDB would use: the higher txnid */
    bool walked;      /* the last pass got as far as the pages (a commit may have moved them) */
    char *err;        /* the one line */
    size_t cap;       /* its size */
} s_file_t;

/* The walk of a meta's free list when the file is shorter than its last page. */
typedef struct {
    s_file_t *f;     /* the file */
    uint64_t have;   /* whole pages in the file */
    uint64_t first;  /* first missing page (= have) */
    uint64_t last;   /* last page the meta uses */
    uint8_t *listed; /* a bit per missing page: on the free list */
    uint64_t found;  /* missing pages found on it, each once */
    uint64_t budget; /* pages the walk may still read: a loop in garbage ends */
} s_walk_t;

/* "PATH " then the text into f->err; returns rc. */
static int s_say(s_file_t *f, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int s_say(s_file_t *f, int rc, const char *fmt, ...)
{
    int n = snprintf(f->err, f->cap, "%s ", f->path);
    if (n >= 0 && (size_t)n < f->cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(f->err + n, f->cap - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* Reads meta page `which` (at byte off) into *m, checked as mdb_env_read_header does. */
static int s_meta_at(s_file_t *f, int which, uint64_t off, s_meta_t *m)
{
    uint8_t buf[sizeof(s_page_t) + sizeof(s_meta_t)];
    s_page_t head;
    ssize_t n = pread(f->fd, buf, sizeof buf, (off_t)off);
    if (n < 0)
        return s_say(f, SD_EIO, "cannot be read: %s", strerror(errno));
    if (n == 0 && which == 0)
        return s_say(f, SD_ECORRUPT, "is empty (0 bytes): it holds no store");
    struct stat st;
    if ((size_t)n < sizeof buf)
        return s_say(f, SD_ECORRUPT, "is cut short: %llu bytes, meta page %d is not whole",
                     fstat(f->fd, &st) == 0 ? (unsigned long long)st.st_size : 0ull, which);
    memcpy(&head, buf, sizeof head);
    memcpy(m, buf + sizeof head, sizeof *m);
    if (!(head.flags & LMDB_P_META) || m->magic != LMDB_MAGIC)
        return which == 0 ? s_say(f, SD_ECORRUPT,
                                  "is not an LMDB file (no LMDB meta page at its "
                                  "start)")
                          : s_say(f, SD_ECORRUPT, "is damaged: page 1 is not an LMDB meta page");
    if (m->version != LMDB_VERSION)
        return s_say(f, SD_ECORRUPT, "has LMDB data version %u; this build reads version %u",
                     m->version, LMDB_VERSION);
    return 0;
}

/* Reads both metas, keeps the one LMDB would use, then takes the file's size (after: a node
 * writing the file writes a transaction's pages before its meta). */
static int s_metas(s_file_t *f)
{
    s_meta_t m0, m1;
    struct stat st;
    int rc = s_meta_at(f, 0, 0, &m0);
    if (rc)
        return rc;
    f->psize = m0.dbs[0].pad;
    if (f->psize < LMDB_PSIZE_MIN || f->psize > LMDB_PSIZE_MAX || (f->psize & (f->psize - 1)))
        return s_say(f, SD_ECORRUPT, "is damaged: its meta page gives a page size of %u bytes",
                     f->psize);
    if ((rc = s_meta_at(f, 1, f->psize, &m1)) != 0)
        return rc;
    if (fstat(f->fd, &st) != 0)
        return s_say(f, SD_EIO, "cannot be read: %s", strerror(errno));
    f->size = (uint64_t)st.st_size;
    f->meta = m1.txnid > m0.txnid ? m1 : m0;
    if (f->size < 2ull * f->psize)
        return s_say(f, SD_ECORRUPT,
                     "is cut short: %llu bytes, less than its two %u-byte meta "
                     "pages",
                     (unsigned long long)f->size, f->psize);
    return 0;
}

/* Reads len bytes at page pgno, offset off into it; false when they are not all in the file. */
static bool s_read(s_walk_t *w, uint64_t pgno, size_t off, void *buf, size_t len)
{
    uint64_t at = pgno * w->f->psize + off;
    return pgno < w->have && at + len <= w->f->size &&
           pread(w->f->fd, buf, len, (off_t)at) == (ssize_t)len;
}

/* A free-list entry: an IDL (count, then that many page numbers). Marks the missing ones. */
static bool s_idl(s_walk_t *w, const uint8_t *data, size_t len)
{
    size_t count, pgno;
    if (len < sizeof count)
        return false;
    memcpy(&count, data, sizeof count);
    if (count > len / sizeof pgno - 1)
        return false;
    for (size_t i = 1; i <= count; i++) {
        memcpy(&pgno, data + i * sizeof pgno, sizeof pgno);
        if (pgno < w->first || pgno > w->last)
            continue;
        uint64_t bit = pgno - w->first;
        if (!(w->listed[bit / 8] & (1u << (bit % 8)))) {
            w->listed[bit / 8] |= (uint8_t)(1u << (bit % 8));
            w->found++;
        }
    }
    return true;
}

/* A leaf node's data (inline, or in an overflow run), handed to s_idl. */
static bool s_leaf_node(s_walk_t *w, const uint8_t *page, size_t at, unsigned flags, size_t ksize,
                        size_t dsize)
{
    unsigned psize = w->f->psize;
    size_t data = at + LMDB_NODESIZE + ksize;
    if (!(flags & LMDB_F_BIGDATA))
        return data + dsize <= psize && s_idl(w, page + data, dsize);
    size_t run;
    s_page_t head;
    if (data + sizeof run > psize)
        return false;
    memcpy(&run, page + data, sizeof run);
    if (!s_read(w, run, 0, &head, sizeof head) || !(head.flags & LMDB_P_OVERFLOW) ||
        head.u.pages == 0 || head.u.pages > w->budget || run + head.u.pages > w->have ||
        dsize > (uint64_t)head.u.pages * psize - sizeof head)
        return false;
    w->budget -= head.u.pages;
    uint8_t *buf = malloc(dsize ? dsize : 1);
    bool ok = buf && s_read(w, run, sizeof head, buf, dsize) && s_idl(w, buf, dsize);
    free(buf);
    return ok;
}

/* Walks the free list's tree from page pgno: false when a page of it is missing or malformed. */
static bool s_tree(s_walk_t *w, uint64_t pgno, int depth)
{
    unsigned psize = w->f->psize;
    s_page_t head;
    if (depth > FREE_DEPTH_MAX || w->budget == 0)
        return false;
    w->budget--;
    uint8_t *page = malloc(psize);
    if (!page || !s_read(w, pgno, 0, page, psize)) {
        free(page);
        return false;
    }
    memcpy(&head, page, sizeof head);
    bool ok = head.u.pb.lower >= sizeof head && head.u.pb.lower <= psize &&
              (head.flags & (LMDB_P_BRANCH | LMDB_P_LEAF));
    size_t nodes = ok ? (head.u.pb.lower - sizeof head) / 2 : 0;
    for (size_t i = 0; ok && i < nodes; i++) {
        uint16_t at, lo, hi, flags, ksize;
        memcpy(&at, page + sizeof head + 2 * i, 2);
        if (at < sizeof head || (size_t)at + LMDB_NODESIZE > psize) {
            ok = false;
            break;
        }
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        memcpy(&lo, page + at, 2);
        memcpy(&hi, page + at + 2, 2);
#else
        memcpy(&hi, page + at, 2);
        memcpy(&lo, page + at + 2, 2);
#endif
        memcpy(&flags, page + at + 4, 2);
        memcpy(&ksize, page + at + 6, 2);
        size_t low = lo | (size_t)hi << 16;
        if (head.flags & LMDB_P_BRANCH) /* NODEPGNO: flags hold bits 32-47 of a 64-bit pgno */
            ok = s_tree(w, low | (sizeof(size_t) > 4 ? (size_t)flags << 16 << 16 : 0), depth + 1);
        else
            ok = s_leaf_node(w, page, at, flags, ksize, low);
    }
    free(page);
    return ok;
}

/* Every page up to the meta's last page is in the file, or on that meta's free list. */
static int s_pages(s_file_t *f)
{
    f->walked = true;
    size_t last = f->meta.last_pg;
    uint64_t have = f->size / f->psize;
    if (last < have)
        return 0;
    /* Each missing page needs its own entry (a size_t) in the free list, which is in the file:
     * more missing pages than that cannot all be free (and a garbage last_pg stops here). */
    uint64_t missing = last - have + 1;
    s_walk_t w = {.f = f, .have = have, .first = have, .last = last, .budget = have};
    bool ok = last < UINT64_MAX / f->psize && missing <= f->size / sizeof(size_t) &&
              f->meta.dbs[0].root != LMDB_P_INVALID;
    if (ok && !(w.listed = calloc(missing / 8 + 1, 1)))
        return s_say(f, SD_ENOMEM, "cannot be checked: out of memory");
    ok = ok && s_tree(&w, f->meta.dbs[0].root, 0) && w.found == missing;
    free(w.listed);
    if (ok)
        return 0;
    return s_say(f, SD_ECORRUPT,
                 "is cut short: %llu bytes, but its last transaction uses pages up to byte %llu "
                 "(%u-byte pages 0-%llu)",
                 (unsigned long long)f->size,
                 last < UINT64_MAX / f->psize ? (unsigned long long)(last + 1) * f->psize
                                              : (unsigned long long)UINT64_MAX,
                 f->psize, (unsigned long long)last);
}

/* True when the file's newest meta is no longer the one f checked: a node committed since. */
static bool s_moved(const s_file_t *f)
{
    char scratch[256];
    s_file_t again = *f;
    again.err = scratch;
    again.cap = sizeof scratch;
    return s_metas(&again) == 0 && again.meta.txnid != f->meta.txnid;
}

int sd_store_check(const char *path, char *err, size_t cap)
{
    s_file_t f = {.path = path, .err = err, .cap = cap};
    if ((f.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return s_say(&f, errno == ENOENT ? SD_ENOTFOUND : SD_EIO, "cannot be opened: %s",
                     strerror(errno));
    int rc, tries = 0;
    do
        rc = s_metas(&f) ?: s_pages(&f);
    while (rc == SD_ECORRUPT && f.walked && ++tries < 3 && s_moved(&f));
    close(f.fd);
    return rc;
}
