/* gate.c - sundesk-mailgate's calls to the node: blob.put, blob.join, mail.ingest. */
#include "gate.h"

#include "client.h"
#include "customer.h"
#include "endpoint.h"
#include "error.h"
#include "message.h"
#include "mp.h"
#include "request.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_TOKEN_MAX 512

/* One run's connection. */
typedef struct {
    sd_client_t *client;     /* to the node */
    sd_mp_writer_t *w;       /* the request being written */
    char token[S_TOKEN_MAX]; /* "" when none (ipc: the node knows the Unix account) */
    uint64_t next_id;        /* request ids */
    char what[64];           /* the op being called, for messages */
} s_gate_t;

int sd_gate_message_id(const char *message_id, char id[64])
{
    char out[SD_ID_MAX + 1];
    if (sd_message_id_for("email", message_id, out) != 0)
        return -1;
    snprintf(id, 64, "%s", out);
    return 0;
}

int sd_gate_from(const sd_mail_t *m, const char *sender, char *out, size_t cap)
{
    const char *from = m->from;
    if (!sd_customer_email_valid(from))
        from = sender && sd_customer_email_valid(sender) ? sender : NULL;
    if (!from && m->cls != SD_MAIL_NORMAL)
        from = "unknown@mailgate.invalid"; /* kept, never answered: the raw has the header */
    if (!from || strlen(from) >= cap)
        return -1;
    snprintf(out, cap, "%s", from);
    for (char *p = out; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    return 0;
}

/* Reads the token of file (mode 0600 or stricter: it proves who we are). */
static int s_token(const char *file, char *token, size_t cap)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "sundesk-mailgate: cannot read the token file %s: %s\n", file,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return SD_GATE_TEMP;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        fprintf(stderr,
                "sundesk-mailgate: the token file %s is open to others (mode %04o); chmod 600 "
                "it\n",
                file, (unsigned)(st.st_mode & 07777));
        close(fd);
        return SD_GATE_TEMP;
    }
    ssize_t n = read(fd, token, cap - 1);
    close(fd);
    if (n < 0 || (size_t)n == cap - 1) {
        fprintf(stderr, "sundesk-mailgate: the token file %s: %s\n", file,
                n < 0 ? strerror(errno) : "too long for a token");
        return SD_GATE_TEMP;
    }
    token[n] = '\0';
    while (n > 0 && (token[n - 1] == '\n' || token[n - 1] == '\r' || token[n - 1] == ' '))
        token[--n] = '\0';
    if (n == 0 || strpbrk(token, " \t\r\n")) {
        fprintf(stderr, "sundesk-mailgate: the token file %s holds no token (one line)\n", file);
        return SD_GATE_TEMP;
    }
    return SD_GATE_OK;
}

/* Begins a request of op with nargs arguments; the caller writes them (key, value pairs). */
static void s_begin(s_gate_t *g, const char *op, uint32_t nargs)
{
    snprintf(g->what, sizeof g->what, "%s", op);
    sd_mp_writer_reset(g->w);
    sd_mp_map(g->w, 4 + (g->token[0] != '\0'));
    sd_mp_str(g->w, "v");
    sd_mp_u64(g->w, SD_PROTO_VERSION);
    sd_mp_str(g->w, "id");
    sd_mp_u64(g->w, g->next_id++);
    if (g->token[0]) {
        sd_mp_str(g->w, "auth");
        sd_mp_str(g->w, g->token);
    }
    sd_mp_str(g->w, "op");
    sd_mp_str(g->w, op);
    sd_mp_str(g->w, "args");
    sd_mp_map(g->w, nargs);
}

/* A msgpack bin of data[0..len) (mp.h writes no bin: built here, appended raw). */
static int s_bin(s_gate_t *g, const unsigned char *data, size_t len)
{
    unsigned char *b = malloc(len + 5);
    if (!b)
        return SD_ENOMEM;
    size_t h;
    if (len < 256) {
        b[0] = 0xc4, b[1] = (unsigned char)len, h = 2;
    } else if (len < 65536) {
        b[0] = 0xc5, b[1] = (unsigned char)(len >> 8), b[2] = (unsigned char)len, h = 3;
    } else {
        b[0] = 0xc6, b[1] = (unsigned char)(len >> 24), b[2] = (unsigned char)(len >> 16);
        b[3] = (unsigned char)(len >> 8), b[4] = (unsigned char)len, h = 5;
    }
    if (len)
        memcpy(b + h, data, len);
    sd_mp_raw(g->w, b, len + h);
    free(b);
    return 0;
}

/* The exit status for a node's error code: its refusal of us, a passing trouble, or the
 * message itself. */
static int s_status_for(int code)
{
    switch (code) {
    case SD_EUNAUTHENTICATED:
    case SD_EFORBIDDEN:
        return SD_GATE_PERM;
    case SD_EINVAL:
    case SD_ETYPE:
    case SD_EMISSING:
    case SD_ETOOLONG:
    case SD_ETOOBIG:
    case SD_ERANGE:
    case SD_EUNKNOWN_FIELD:
        return SD_GATE_DATA;
    default: /* unavailable, busy, store, full, timeout, a node without mail.ingest yet, ... */
        return SD_GATE_TEMP;
    }
}

/* Sends the request written since s_begin; on success *reply holds an ok reply (clear it). */
static int s_call(s_gate_t *g, sd_reply_t *reply)
{
    memset(reply, 0, sizeof *reply);
    if (sd_mp_writer_error(g->w)) {
        fprintf(stderr, "sundesk-mailgate: out of memory\n");
        return SD_GATE_TEMP;
    }
    size_t len;
    const void *data = sd_mp_writer_data(g->w, &len);
    void *out = NULL;
    size_t out_len = 0;
    int rc = sd_client_call_raw(g->client, data, len, &out, &out_len);
    if (rc) {
        fprintf(stderr, "sundesk-mailgate: %s: the node %s; the MTA will try again\n", g->what,
                rc == SD_ETIMEOUT ? "did not answer in time" : sd_strerror(rc));
        return SD_GATE_TEMP;
    }
    rc = sd_reply_decode(out, out_len, reply);
    free(out);
    if (rc) {
        fprintf(stderr, "sundesk-mailgate: %s: the node's answer is malformed (%s)\n", g->what,
                sd_strerror(rc));
        return SD_GATE_TEMP;
    }
    if (!reply->ok) {
        int status = s_status_for(reply->code);
        fprintf(stderr, "sundesk-mailgate: %s refused (%s): %s%s\n", g->what,
                sd_error_name(reply->code), reply->message,
                status == SD_GATE_TEMP ? "; the MTA will try again" : "");
        sd_reply_clear(reply);
        return status;
    }
    return SD_GATE_OK;
}

/* The "blob" of an ok reply into blob. */
static int s_blob_of(s_gate_t *g, sd_reply_t *reply, char blob[SD_BLOB_ID_MAX + 1])
{
    const sd_mp_node_t *b = sd_mp_get(reply->result, "blob");
    int rc = b && sd_mp_copy_str(b, blob, SD_BLOB_ID_MAX + 1) == 0 ? SD_GATE_OK : SD_GATE_TEMP;
    if (rc)
        fprintf(stderr, "sundesk-mailgate: %s: the node's answer has no blob id\n", g->what);
    sd_reply_clear(reply);
    return rc;
}

/* Puts data[0..len) as one blob (parts of SD_BLOB_PART_MAX joined) into blob. */
static int s_put(s_gate_t *g, const unsigned char *data, size_t len, const char *type,
                 char blob[SD_BLOB_ID_MAX + 1])
{
    size_t nparts = len ? (len + SD_BLOB_PART_MAX - 1) / SD_BLOB_PART_MAX : 1;
    char(*parts)[SD_BLOB_ID_MAX + 1] = calloc(nparts, sizeof *parts);
    if (!parts)
        return SD_GATE_TEMP;
    sd_reply_t reply;
    int rc = SD_GATE_OK;
    for (size_t i = 0; i < nparts && !rc; i++) {
        size_t n = len - i * SD_BLOB_PART_MAX < SD_BLOB_PART_MAX ? len - i * SD_BLOB_PART_MAX
                                                                 : SD_BLOB_PART_MAX;
        s_begin(g, "blob.put", 1);
        sd_mp_str(g->w, "data");
        rc = s_bin(g, data + i * SD_BLOB_PART_MAX, n) ? SD_GATE_TEMP : s_call(g, &reply);
        if (!rc)
            rc = s_blob_of(g, &reply, parts[i]);
    }
    if (!rc && nparts == 1) {
        memcpy(blob, parts[0], sizeof parts[0]);
    } else if (!rc) {
        s_begin(g, "blob.join", 2);
        sd_mp_str(g->w, "parts"); /* the ids, comma-separated */
        char *list = malloc(nparts * (SD_BLOB_ID_MAX + 1) + 1);
        if (!list) {
            free(parts);
            return SD_GATE_TEMP;
        }
        size_t used = 0;
        for (size_t i = 0; i < nparts; i++)
            used += (size_t)sprintf(list + used, "%s%s", i ? "," : "", parts[i]);
        sd_mp_str(g->w, list);
        free(list);
        sd_mp_str(g->w, "type");
        sd_mp_str(g->w, type);
        rc = s_call(g, &reply);
        if (!rc)
            rc = s_blob_of(g, &reply, blob);
    }
    free(parts);
    return rc;
}

/* s as one field of a line of the attachments string (at most cap - 1 bytes, whole characters):
 * tabs and line breaks as blanks. */
static void s_att_text(char *out, size_t cap, const char *s)
{
    snprintf(out, cap, "%.*s", (int)sd_mail_utf8_cut(s, cap - 1), s); /* whole characters */
    for (char *p = out; *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r')
            *p = ' ';
}

/* The attachments string (BLOB\tSIZE\tTYPE\tNAME lines), each attachment put as a blob. At most
 * SD_MESSAGE_ATTS_MAX lines and SD_MESSAGE_ATT_MAX bytes: the others stay in the raw message,
 * and stderr says so. */
static int s_attachments(s_gate_t *g, const sd_mail_t *m, char *list, size_t cap)
{
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < m->attachment_count; i++) {
        const sd_mail_attachment_t *a = &m->attachments[i];
        char blob[SD_BLOB_ID_MAX + 1], type[SD_BLOB_TYPE_MAX], name[256], line[512];
        s_att_text(type, sizeof type, a->type);
        s_att_text(name, sizeof name, a->name);
        int n = snprintf(line, sizeof line, "%s\t%zu\t%s\t%s\n", "b2-", a->size, type, name);
        if (i >= SD_MESSAGE_ATTS_MAX || used + (size_t)n + SD_BLOB_ID_LEN >= cap) {
            fprintf(stderr,
                    "sundesk-mailgate: %zu of %zu attachments listed (the rest are in the "
                    "raw message)\n",
                    i, m->attachment_count);
            break;
        }
        int rc = s_put(g, a->data, a->size, type, blob);
        if (rc)
            return rc;
        used += (size_t)snprintf(list + used, cap - used, "%s\t%zu\t%s\t%s\n", blob, a->size, type,
                                 name);
    }
    return SD_GATE_OK;
}

/* The largest prefix of the comma-separated list s of at most max bytes that ends after an
 * address (a list too long for the record keeps its first addresses; the raw has all). */
static size_t s_addr_cut(const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && strncmp(s + n, ", ", 2) != 0)
        n--;
    return n;
}

/* One string argument of mail.ingest: sent when not empty, cut to what the record holds (the
 * whole text goes as text_blob, the whole message as raw). */
typedef struct {
    const char *name; /* argument */
    const char *s;    /* its value */
    size_t n;         /* bytes of it sent */
} s_arg_t;

static s_arg_t s_text_arg(const char *name, const char *s, size_t max)
{
    return (s_arg_t){name, s, sd_mail_utf8_cut(s, max)};
}

/* mail.ingest with every field known; prints the answer's id, state and ticket. */
static int s_ingest(s_gate_t *g, const sd_mail_t *m, const char *id, const char *from,
                    const char *queue, const char *raw, const char *text_blob, const char *atts)
{
    bool bounce = m->cls == SD_MAIL_BOUNCE;
    const char *none = "";
    s_arg_t args[] = {
        {"id", id, strlen(id)},
        {"message_id", m->message_id, strlen(m->message_id)},
        {"raw", raw, strlen(raw)},
        {"class", sd_mail_class_name(m->cls), strlen(sd_mail_class_name(m->cls))},
        {"from", from, strlen(from)},
        s_text_arg("in_reply_to", m->in_reply_to, SD_MESSAGE_REFS_MAX),
        s_text_arg("references", m->references, SD_MESSAGE_REFS_MAX),
        s_text_arg("from_name", m->from_name, SD_NAME_MAX),
        {"to", m->to, s_addr_cut(m->to, SD_MESSAGE_ADDRS_MAX)},
        {"cc", m->cc, s_addr_cut(m->cc, SD_MESSAGE_ADDRS_MAX)},
        s_text_arg("subject", m->subject, SD_MESSAGE_SUBJ_MAX),
        s_text_arg("text", m->text, SD_GATE_TEXT_MAX),
        {"text_blob", text_blob ? text_blob : none, text_blob ? strlen(text_blob) : 0},
        {"attachments", atts, strlen(atts)},
        s_text_arg("queue", queue ? queue : none, SD_NAME_MAX),
        s_text_arg("bounce_for", bounce ? m->bounce_for : none, SD_MSGID_MAX),
        s_text_arg("bounce_recipient", bounce ? m->bounce_recipient : none, SD_NAME_MAX),
        s_text_arg("bounce_status", bounce ? m->bounce_status : none, SD_MESSAGE_STATUS_MAX),
    };
    uint32_t n = (text_blob != NULL) + m->html_only + (m->date_ms > 0);
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
        n += args[i].n > 0 || i < 5; /* the first five always */
    s_begin(g, "mail.ingest", n);
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
        if (args[i].n > 0 || i < 5) {
            sd_mp_str(g->w, args[i].name);
            sd_mp_strn(g->w, args[i].s, args[i].n);
        }
    if (text_blob) {
        sd_mp_str(g->w, "text_truncated");
        sd_mp_bool(g->w, true);
    }
    if (m->html_only) {
        sd_mp_str(g->w, "html_only");
        sd_mp_bool(g->w, true);
    }
    if (m->date_ms > 0) {
        sd_mp_str(g->w, "received_at");
        sd_mp_u64(g->w, (uint64_t)m->date_ms);
    }
    sd_reply_t reply;
    int rc = s_call(g, &reply);
    if (rc)
        return rc;
    const sd_mp_node_t *msg = sd_mp_get(reply.result, "message");
    char ticket[SD_ID_MAX + 1] = "", state[32] = "";
    sd_mp_copy_str(sd_mp_get(msg, "ticket"), ticket, sizeof ticket);
    sd_mp_copy_str(sd_mp_get(msg, "state"), state, sizeof state);
    printf("%s %s %s\n", id, state[0] ? state : "stored", ticket[0] ? ticket : "-");
    sd_reply_clear(&reply);
    return SD_GATE_OK;
}

int sd_gate_deliver(const sd_gate_opts_t *o, const char *raw, size_t len, const sd_mail_t *m)
{
    char id[64];
    if (sd_gate_message_id(m->message_id, id) != 0) {
        fprintf(stderr, "sundesk-mailgate: message refused: no usable Message-ID\n");
        return SD_GATE_DATA;
    }
    char from[SD_NAME_MAX + 1];
    if (sd_gate_from(m, o->sender, from, sizeof from) != 0) {
        fprintf(stderr,
                "sundesk-mailgate: message refused: the sender's address \"%s\" is not an e-mail "
                "address the desk can answer\n",
                m->from);
        return SD_GATE_DATA;
    }
    s_gate_t g = {.next_id = 1};
    int rc = o->token_file ? s_token(o->token_file, g.token, sizeof g.token) : SD_GATE_OK;
    char endpoint[SD_IPC_PATH_MAX + 64];
    if (!rc && o->data && sd_endpoint_for_data(o->data, endpoint, sizeof endpoint) != 0) {
        fprintf(stderr, "sundesk-mailgate: --data: path too long: %s\n", o->data);
        rc = SD_GATE_TEMP;
    }
    if (!rc && sd_client_new(o->data ? endpoint : o->node, o->timeout_ms, &g.client) != 0) {
        fprintf(stderr, "sundesk-mailgate: no node is running at %s; the MTA will try again\n",
                o->data ? o->data : o->node);
        rc = SD_GATE_TEMP;
    }
    if (!rc && !(g.w = sd_mp_writer_new()))
        rc = SD_GATE_TEMP;
    char raw_blob[SD_BLOB_ID_MAX + 1], text_blob[SD_BLOB_ID_MAX + 1];
    char *atts = calloc(1, SD_MESSAGE_ATT_MAX + 1);
    bool long_text = strlen(m->text) > SD_GATE_TEXT_MAX;
    if (!rc && !atts)
        rc = SD_GATE_TEMP;
    if (!rc)
        rc = s_put(&g, (const unsigned char *)raw, len, "message/rfc822", raw_blob);
    if (!rc && long_text)
        rc = s_put(&g, (const unsigned char *)m->text, strlen(m->text), "text/plain; charset=utf-8",
                   text_blob);
    if (!rc)
        rc = s_attachments(&g, m, atts, SD_MESSAGE_ATT_MAX + 1);
    if (!rc)
        rc = s_ingest(&g, m, id, from, o->queue, raw_blob, long_text ? text_blob : NULL, atts);
    free(atts);
    sd_mp_writer_destroy(&g.w);
    sd_client_destroy(&g.client);
    explicit_bzero(g.token, sizeof g.token);
    return rc;
}
