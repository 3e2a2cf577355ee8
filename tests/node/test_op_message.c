/* test_op_message.c - inbound mail and chat end to end on a real node (server_fixture.h): each
 * threading rule (In-Reply-To with the desk's Message-ID or an earlier inbound one, References
 * newest first, the subject tag only from the requester, a customer's address or a Cc of the
 * ticket), a new ticket with its customer, a reply reopening a resolved ticket, auto and list
 * mail ignored, a bounce noted and its address marked bounced, unknown senders held, released
 * and discarded, retries idempotent (nothing written twice), chat conversations, blobs, and the
 * same message made at two stores folding to one record and one digest. */
#include "server_fixture.h"

#include "message.h"
#include "message_store.h"
#include "record.h"

#include <stdio.h>
#include <string.h>

#define T0 1767225600000ll /* 2026-01-01T00:00Z */

typedef struct {
    sd_fx_t *fx;
    char gate[SD_TOKEN_MAX + 1];  /* the mail gateway's user (agent) */
    char agent[SD_TOKEN_MAX + 1]; /* a person at the desk */
} s_t;

static int setup(void **state)
{
    s_t *s = calloc(1, sizeof *s);
    if (!s || !(s->fx = sd_fx_start(T0)))
        return -1;
    sd_fx_user(s->fx, "mailgate", "agent", s->gate);
    sd_fx_user(s->fx, "li", "agent", s->agent);
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    s_t *s = *state;
    sd_fx_stop(&s->fx);
    free(s);
    return 0;
}

/* A read transaction on the node's store from the test's thread, while the node runs idle. */
static sd_store_txn_t *s_read(s_t *s)
{
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin_reader(s->fx->store, &txn), 0);
    return txn;
}

/* mail.ingest of Message-ID msgid from `from` with subject, as the gateway, with up to two
 * more name/value pairs (NULL ends them); the reply's message. */
static const sd_mp_node_t *s_mail(s_t *s, const char *msgid, const char *from, const char *subject,
                                  const char *k1, const char *v1, const char *k2, const char *v2)
{
    char id[SD_ID_MAX + 1], key[128];
    snprintf(key, sizeof key, "%s", msgid + (msgid[0] == '<'));
    key[strcspn(key, ">")] = 0; /* the id is the Message-ID's without brackets */
    assert_int_equal(sd_message_id_for("email", key, id), 0);
    const sd_reply_t *r = sd_fx_ok(
        s->fx, s->gate, SD_REQ_MAIL_INGEST, "id", id, "message_id", msgid, "from", from, "subject",
        subject, "text", "打印机又卡纸了。\nThe printer jams again.", k1, v1, k2, v2, NULL);
    const sd_mp_node_t *m = sd_mp_get(r->result, "message");
    assert_non_null(m);
    return m;
}

static const char *s_str(s_t *s, const sd_mp_node_t *m, const char *key)
{
    return sd_fx_str(s->fx, m, key);
}

/* How many tickets the desk has. */
static size_t s_tickets(s_t *s)
{
    const sd_reply_t *r = sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_LIST, NULL);
    return sd_mp_len(sd_mp_get(r->result, "tickets"));
}

/* Comment i of ticket id: its body into the fixture's text; *pub its public flag. */
static size_t s_comments(s_t *s, const char *id)
{
    const sd_reply_t *r = sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_GET, "id", id, NULL);
    return sd_mp_len(sd_mp_get(r->result, "comments"));
}

static const char *s_comment(s_t *s, const char *id, size_t i, bool *pub)
{
    const sd_reply_t *r = sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_GET, "id", id, NULL);
    const sd_mp_node_t *c = sd_mp_at(sd_mp_get(r->result, "comments"), i);
    assert_non_null(c);
    assert_int_equal(sd_mp_boolean(sd_mp_get(c, "public"), pub), 0);
    assert_string_equal(sd_fx_str(s->fx, c, "author"), "mailgate");
    return sd_fx_str(s->fx, c, "body");
}

/* A new mail opens a ticket: title the subject, requester the address, channel email, the
 * customer its address names. */
static void test_new_ticket_with_customer(void **state)
{
    s_t *s = *state;
    const sd_reply_t *r = sd_fx_ok(s->fx, s->agent, SD_REQ_CUSTOMER_NEW, "name", "王芳", "emails",
                                   "Wang.Fang@example.com", NULL);
    char customer[SD_ID_MAX + 1], ticket[SD_ID_MAX + 1];
    sd_fx_copy(s->fx, r->result, "id", customer, sizeof customer);
    const sd_mp_node_t *m = s_mail(s, "CAF=1@mail.example.com", "WANG.FANG@example.com",
                                   "打印机卡纸", NULL, NULL, NULL, NULL);
    assert_string_equal(s_str(s, m, "state"), "ticket");
    assert_string_equal(s_str(s, m, "thread_by"), "new");
    assert_string_equal(s_str(s, m, "from"), "wang.fang@example.com");
    assert_string_equal(s_str(s, m, "customer"), customer);
    assert_string_equal(s_str(s, m, "site"), "LOCAL");
    sd_fx_copy(s->fx, m, "ticket", ticket, sizeof ticket);
    r = sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_GET, "id", ticket, NULL);
    assert_string_equal(sd_fx_str(s->fx, r->result, "title"), "打印机卡纸");
    assert_string_equal(sd_fx_str(s->fx, r->result, "requester"), "wang.fang@example.com");
    assert_string_equal(sd_fx_str(s->fx, r->result, "channel"), "email");
    assert_string_equal(sd_fx_str(s->fx, r->result, "customer"), customer);
    assert_non_null(strstr(sd_fx_str(s->fx, r->result, "description"), "打印机又卡纸了"));
}

/* The same message again (an MTA's retry) answers the same and writes nothing. */
static void test_retry_is_idempotent(void **state)
{
    s_t *s = *state;
    const sd_mp_node_t *m =
        s_mail(s, "retry@example.com", "a@example.com", "VPN down", NULL, NULL, NULL, NULL);
    char ticket[SD_ID_MAX + 1];
    sd_fx_copy(s->fx, m, "ticket", ticket, sizeof ticket);
    uint64_t updated = sd_fx_u64(m, "updated_at");
    size_t tickets = s_tickets(s);
    sd_fx_clock(s->fx, T0 + 60000);
    m = s_mail(s, "<retry@example.com>", "a@example.com", "VPN down", NULL, NULL, NULL, NULL);
    assert_string_equal(s_str(s, m, "ticket"), ticket);
    assert_int_equal(sd_fx_u64(m, "updated_at"), updated);
    assert_int_equal(s_tickets(s), tickets);
    /* An id that is not the Message-ID's is refused. */
    char other[SD_ID_MAX + 1];
    sd_message_id_for("email", "something-else@example.com", other);
    const sd_reply_t *r = sd_fx_call(s->fx, s->gate, SD_REQ_MAIL_INGEST, "id", other, "message_id",
                                     "retry2@example.com", "from", "a@example.com", NULL);
    assert_false(r->ok);
    assert_int_equal(r->code, SD_EINVAL);
    /* A requester may not feed mail in. */
    char req[SD_TOKEN_MAX + 1];
    sd_fx_user(s->fx, "zhao", "requester", req);
    r = sd_fx_call(s->fx, req, SD_REQ_MAIL_INGEST, "id", other, "message_id",
                   "something-else@example.com", "from", "a@example.com", NULL);
    assert_false(r->ok);
    assert_int_equal(r->code, SD_EFORBIDDEN);
}

/* In-Reply-To: the desk's own Message-ID (the ticket is in it), then an earlier inbound one;
 * References newest first; both reopen a resolved ticket. */
static void test_threading_by_headers(void **state)
{
    s_t *s = *state;
    const sd_mp_node_t *m =
        s_mail(s, "first@example.com", "b@example.com", "Mail broken", NULL, NULL, NULL, NULL);
    char ticket[SD_ID_MAX + 1], desk[128];
    sd_fx_copy(s->fx, m, "ticket", ticket, sizeof ticket);
    snprintf(desk, sizeof desk, "<sundesk.%s.7f3a@desk.example.com>", ticket);
    m = s_mail(s, "second@example.com", "b@example.com", "Re: Mail broken", "in_reply_to", desk,
               NULL, NULL);
    assert_string_equal(s_str(s, m, "thread_by"), "in_reply_to");
    assert_string_equal(s_str(s, m, "ticket"), ticket);
    char reply_id[SD_ID_MAX + 1], got[SD_ID_MAX + 1];
    sd_fx_copy(s->fx, m, "id", reply_id, sizeof reply_id);
    bool pub = false;
    const char *body = s_comment(s, ticket, 0, &pub);
    assert_true(pub);
    assert_non_null(strstr(body, "b@example.com"));
    /* The comment is known as an inbound message's (the notifier sends it to nobody). */
    const sd_reply_t *g = sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_GET, "id", ticket, NULL);
    const sd_mp_node_t *c0 = sd_mp_at(sd_mp_get(g->result, "comments"), 0);
    uint64_t seq = sd_fx_u64(c0, "seq");
    /* The sender's words: public, marked inbound, and no first response of the desk's. */
    bool inbound = false;
    assert_int_equal(sd_mp_boolean(sd_mp_get(c0, "inbound"), &inbound), 0);
    assert_true(inbound);
    assert_int_equal(sd_fx_u64(g->result, "first_response_at"), 0);
    sd_store_txn_t *txn = s_read(s);
    assert_true(sd_message_of_comment(txn, "LOCAL", seq, got));
    assert_string_equal(got, reply_id);
    assert_false(sd_message_of_comment(txn, "LOCAL", seq + 1, NULL));
    sd_store_abort(&txn);
    /* In-Reply-To an earlier inbound message of the ticket. */
    m = s_mail(s, "third@example.com", "c@example.com", "Re: Mail broken", "in_reply_to",
               "<first@example.com>", NULL, NULL);
    assert_string_equal(s_str(s, m, "thread_by"), "in_reply_to");
    assert_string_equal(s_str(s, m, "ticket"), ticket);
    /* References: the newest known one counts; unknown ids are skipped. */
    m = s_mail(s, "other-first@example.com", "d@example.com", "Other", NULL, NULL, NULL, NULL);
    char other[SD_ID_MAX + 1];
    sd_fx_copy(s->fx, m, "ticket", other, sizeof other);
    sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_ACK, "id", ticket, NULL);
    sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_ASSIGN, "id", ticket, "assignee", "li", NULL);
    sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_START, "id", ticket, NULL);
    sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_RESOLVE, "id", ticket, "resolution", "fixed", NULL);
    m = s_mail(s, "fourth@example.com", "b@example.com", "Re: Mail broken", "references",
               "<other-first@example.com> <second@example.com> <unknown@nowhere>", NULL, NULL);
    assert_string_equal(s_str(s, m, "thread_by"), "references");
    assert_string_equal(s_str(s, m, "ticket"), ticket);
    const sd_reply_t *r = sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_GET, "id", ticket, NULL);
    assert_string_equal(sd_fx_str(s->fx, r->result, "status"), "in_progress");
    assert_int_equal(s_comments(s, ticket), 3);
    assert_int_equal(sd_fx_u64(r->result, "first_response_at"), 0);
    /* An agent's public reply is the first response, and carries no inbound mark. */
    sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_COMMENT, "id", ticket, "body", "Restarted it.",
             "public", "true", NULL);
    r = sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_GET, "id", ticket, NULL);
    assert_true(sd_fx_u64(r->result, "first_response_at") > 0);
    assert_null(sd_mp_get(sd_mp_at(sd_mp_get(r->result, "comments"), 3), "inbound"));
    /* An In-Reply-To that names nothing known: a new ticket. */
    m = s_mail(s, "fifth@example.com", "b@example.com", "Re: ?", "in_reply_to", "<nothing@nowhere>",
               NULL, NULL);
    assert_string_equal(s_str(s, m, "thread_by"), "new");
}

/* A [TICKET] subject tag threads only mail from the requester, its customer's address or a Cc
 * of a message of the ticket; anyone else opens a new ticket. */
static void test_threading_by_subject_tag(void **state)
{
    s_t *s = *state;
    const sd_mp_node_t *m = s_mail(s, "tag1@example.com", "e@example.com", "Laptop slow", "cc",
                                   "Boss <boss@example.com>", NULL, NULL);
    char ticket[SD_ID_MAX + 1], subject[96];
    sd_fx_copy(s->fx, m, "ticket", ticket, sizeof ticket);
    snprintf(subject, sizeof subject, "Re: [%s] Laptop slow", ticket);
    m = s_mail(s, "tag2@example.com", "E@example.com", subject, NULL, NULL, NULL, NULL);
    assert_string_equal(s_str(s, m, "thread_by"), "subject");
    assert_string_equal(s_str(s, m, "ticket"), ticket);
    m = s_mail(s, "tag3@example.com", "boss@example.com", subject, NULL, NULL, NULL, NULL);
    assert_string_equal(s_str(s, m, "thread_by"), "subject");
    m = s_mail(s, "tag4@example.com", "stranger@example.com", subject, NULL, NULL, NULL, NULL);
    assert_string_equal(s_str(s, m, "thread_by"), "new");
    assert_string_not_equal(s_str(s, m, "ticket"), ticket);
}

/* Auto-replies and list mail are kept and open nothing; a bounce is an internal note on the
 * ticket of the mail that failed, and marks the address bounced until mail comes from it. */
static void test_auto_list_bounce(void **state)
{
    s_t *s = *state;
    size_t tickets = s_tickets(s);
    const sd_mp_node_t *m =
        s_mail(s, "ooo@example.com", "f@example.com", "Out of office", "class", "auto", NULL, NULL);
    assert_string_equal(s_str(s, m, "state"), "ignored");
    assert_string_equal(s_str(s, m, "ticket"), "");
    m = s_mail(s, "list@example.com", "g@lists.example.com", "[it-news] digest", "class", "list",
               NULL, NULL);
    assert_string_equal(s_str(s, m, "state"), "ignored");
    assert_int_equal(s_tickets(s), tickets);
    m = s_mail(s, "orig@example.com", "gone@example.com", "Please help", NULL, NULL, NULL, NULL);
    char ticket[SD_ID_MAX + 1], desk[128];
    sd_fx_copy(s->fx, m, "ticket", ticket, sizeof ticket);
    snprintf(desk, sizeof desk, "sundesk.%s.0a1b@desk.example.com", ticket);
    char id[SD_ID_MAX + 1];
    sd_message_id_for("email", "dsn1@mx.example.com", id);
    const sd_reply_t *r =
        sd_fx_ok(s->fx, s->gate, SD_REQ_MAIL_INGEST, "id", id, "message_id", "dsn1@mx.example.com",
                 "from", "mailer-daemon@mx.example.com", "class", "bounce", "bounce_for", desk,
                 "bounce_recipient", "Gone@example.com", "bounce_status", "5.1.1", NULL);
    m = sd_mp_get(r->result, "message");
    assert_string_equal(s_str(s, m, "state"), "bounce");
    assert_string_equal(s_str(s, m, "ticket"), ticket);
    assert_int_equal(s_tickets(s), tickets + 1);
    bool pub = true;
    const char *note = s_comment(s, ticket, 0, &pub);
    assert_false(pub);
    assert_non_null(strstr(note, "gone@example.com"));
    assert_non_null(strstr(note, "5.1.1"));
    sd_store_txn_t *txn = s_read(s);
    assert_true(sd_message_bounced(txn, "GONE@example.com"));
    assert_false(sd_message_bounced(txn, "f@example.com"));
    sd_message_t latest = {0};
    assert_int_equal(sd_message_latest(txn, ticket, &latest), 0);
    assert_string_equal(latest.message_id, "orig@example.com"); /* not the bounce */
    sd_record_clear(&sd_kind_message, &latest);
    assert_int_equal(sd_message_latest(txn, "LOCAL-999999", &latest), SD_ENOTFOUND);
    sd_store_abort(&txn);
}

/* mail/unknown_sender = hold: mail from no known customer waits; release opens its ticket,
 * discard drops it; known customers and replies are not held. */
static void test_hold_release_discard(void **state)
{
    s_t *s = *state;
    s->fx->cfg.mail.unknown_sender = SD_UNKNOWN_HOLD;
    size_t tickets = s_tickets(s);
    const sd_mp_node_t *m =
        s_mail(s, "spam@example.com", "who@example.com", "Cheap pills", NULL, NULL, NULL, NULL);
    assert_string_equal(s_str(s, m, "state"), "held");
    char held1[SD_ID_MAX + 1], held2[SD_ID_MAX + 1];
    sd_fx_copy(s->fx, m, "id", held1, sizeof held1);
    m = s_mail(s, "real@example.com", "new.hire@example.com", "No access", NULL, NULL, NULL, NULL);
    sd_fx_copy(s->fx, m, "id", held2, sizeof held2);
    assert_int_equal(s_tickets(s), tickets);
    const sd_reply_t *r = sd_fx_ok(s->fx, s->agent, SD_REQ_MESSAGE_LIST, "state", "held", NULL);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "messages")), 2);
    r = sd_fx_ok(s->fx, s->agent, SD_REQ_MESSAGE_DISCARD, "id", held1, NULL);
    assert_string_equal(s_str(s, sd_mp_get(r->result, "message"), "state"), "discarded");
    r = sd_fx_ok(s->fx, s->agent, SD_REQ_MESSAGE_RELEASE, "id", held2, NULL);
    m = sd_mp_get(r->result, "message");
    assert_string_equal(s_str(s, m, "state"), "ticket");
    assert_string_equal(s_str(s, m, "thread_by"), "new");
    assert_int_equal(s_tickets(s), tickets + 1);
    r = sd_fx_call(s->fx, s->agent, SD_REQ_MESSAGE_RELEASE, "id", held1, NULL);
    assert_false(r->ok);
    assert_int_equal(r->code, SD_ETRANSITION);
    r = sd_fx_ok(s->fx, s->agent, SD_REQ_MESSAGE_LIST, "state", "held", NULL);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "messages")), 0);
    /* A known customer is not held. */
    sd_fx_ok(s->fx, s->agent, SD_REQ_CUSTOMER_NEW, "name", "Known", "emails", "known@example.com",
             NULL);
    m = s_mail(s, "known1@example.com", "known@example.com", "Help", NULL, NULL, NULL, NULL);
    assert_string_equal(s_str(s, m, "state"), "ticket");
}

/* Chat: a conversation continues its open ticket; a retry is one message. */
static void test_chat(void **state)
{
    s_t *s = *state;
    const sd_reply_t *r = sd_fx_ok(s->fx, s->gate, SD_REQ_CHAT_INGEST, "source", "wecom",
                                   "conversation", "g-1", "sender", "wangfang", "sender_name",
                                   "王芳", "text", "VPN 连不上", "message_id", "m1", NULL);
    const sd_mp_node_t *m = sd_mp_get(r->result, "message");
    char ticket[SD_ID_MAX + 1], id[SD_ID_MAX + 1], want[SD_ID_MAX + 1];
    sd_fx_copy(s->fx, m, "ticket", ticket, sizeof ticket);
    sd_fx_copy(s->fx, m, "id", id, sizeof id);
    sd_message_id_for("chat", "wecom\ng-1\nm1", want);
    assert_string_equal(id, want);
    assert_string_equal(s_str(s, m, "thread_by"), "new");
    r = sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_GET, "id", ticket, NULL);
    assert_string_equal(sd_fx_str(s->fx, r->result, "channel"), "chat");
    assert_string_equal(sd_fx_str(s->fx, r->result, "title"), "VPN 连不上");
    size_t tickets = s_tickets(s);
    r = sd_fx_ok(s->fx, s->gate, SD_REQ_CHAT_INGEST, "source", "wecom", "conversation", "g-1",
                 "sender", "wangfang", "text", "还是不行", "message_id", "m2", NULL);
    m = sd_mp_get(r->result, "message");
    assert_string_equal(s_str(s, m, "thread_by"), "conversation");
    assert_string_equal(s_str(s, m, "ticket"), ticket);
    r = sd_fx_ok(s->fx, s->gate, SD_REQ_CHAT_INGEST, "source", "wecom", "conversation", "g-1",
                 "sender", "wangfang", "text", "还是不行", "message_id", "m2", NULL);
    assert_int_equal(s_comments(s, ticket), 1);
    assert_int_equal(s_tickets(s), tickets);
    r = sd_fx_ok(s->fx, s->agent, SD_REQ_MESSAGE_LIST, "ticket", ticket, NULL);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "messages")), 2);
    /* Another conversation: its own ticket, titled by the text's first line, cut visibly. */
    char text[600];
    memset(text, 'x', 300);
    snprintf(text + 300, sizeof text - 300, "\nsecond line");
    r = sd_fx_ok(s->fx, s->gate, SD_REQ_CHAT_INGEST, "source", "wecom", "conversation", "g-2",
                 "sender", "li", "text", text, "message_id", "m1", NULL);
    sd_fx_copy(s->fx, sd_mp_get(r->result, "message"), "ticket", ticket, sizeof ticket);
    r = sd_fx_ok(s->fx, s->agent, SD_REQ_TICKET_GET, "id", ticket, NULL);
    const char *title = sd_fx_str(s->fx, r->result, "title");
    assert_int_equal(strlen(title), 197 + strlen("…"));
    assert_non_null(strstr(title, "xxx…"));
}

/* Blobs: put is idempotent, join checks its parts, get reads a range; mail names blobs that
 * are here. */
static void test_blobs(void **state)
{
    s_t *s = *state;
    const sd_reply_t *r = sd_fx_ok(s->fx, s->gate, SD_REQ_BLOB_PUT, "data", "Hello, ", NULL);
    char a[SD_BLOB_ID_MAX + 1], b[SD_BLOB_ID_MAX + 1], whole[SD_BLOB_ID_MAX + 1];
    sd_fx_copy(s->fx, r->result, "blob", a, sizeof a);
    assert_true(sd_blob_id_valid(a));
    assert_int_equal(sd_fx_u64(r->result, "size"), 7);
    r = sd_fx_ok(s->fx, s->gate, SD_REQ_BLOB_PUT, "data", "Hello, ", NULL);
    assert_string_equal(sd_fx_str(s->fx, r->result, "blob"), a);
    r = sd_fx_ok(s->fx, s->gate, SD_REQ_BLOB_PUT, "data", "世界", NULL);
    sd_fx_copy(s->fx, r->result, "blob", b, sizeof b);
    char parts[2 * SD_BLOB_ID_MAX + 2];
    snprintf(parts, sizeof parts, "%s,%s", a, b);
    r = sd_fx_ok(s->fx, s->gate, SD_REQ_BLOB_JOIN, "parts", parts, "type", "text/plain", NULL);
    sd_fx_copy(s->fx, r->result, "blob", whole, sizeof whole);
    assert_int_equal(sd_fx_u64(r->result, "size"), 13);
    r = sd_fx_ok(s->fx, s->agent, SD_REQ_BLOB_GET, "blob", whole, "offset", "7", NULL);
    size_t len;
    const char *data = sd_mp_bytes(sd_mp_get(r->result, "data"), &len);
    assert_int_equal(len, 6);
    assert_memory_equal(data, "世界", 6);
    assert_string_equal(sd_fx_str(s->fx, r->result, "type"), "text/plain");
    assert_int_equal(sd_fx_u64(r->result, "size"), 13);
    char missing[] = "b2-0000000000000000000000000000000000000000000000000000000000000000";
    r = sd_fx_call(s->fx, s->agent, SD_REQ_BLOB_GET, "blob", missing, NULL);
    assert_int_equal(r->code, SD_ENOTFOUND);
    snprintf(parts, sizeof parts, "%s,%s", a, missing);
    r = sd_fx_call(s->fx, s->gate, SD_REQ_BLOB_JOIN, "parts", parts, NULL);
    assert_int_equal(r->code, SD_ENOTFOUND);
    assert_non_null(strstr(r->message, missing));
    r = sd_fx_call(s->fx, s->agent, SD_REQ_BLOB_GET, "blob", whole, "offset", "14", NULL);
    assert_int_equal(r->code, SD_ERANGE);
    /* mail.ingest names blobs that are here. */
    char id[SD_ID_MAX + 1];
    sd_message_id_for("email", "blobs@example.com", id);
    r = sd_fx_call(s->fx, s->gate, SD_REQ_MAIL_INGEST, "id", id, "message_id", "blobs@example.com",
                   "from", "h@example.com", "raw", missing, NULL);
    assert_int_equal(r->code, SD_ENOTFOUND);
    char att[256];
    snprintf(att, sizeof att, "%s\t13\ttext/plain\thello.txt\n", whole);
    r = sd_fx_ok(s->fx, s->gate, SD_REQ_MAIL_INGEST, "id", id, "message_id", "blobs@example.com",
                 "from", "h@example.com", "raw", whole, "attachments", att, NULL);
    assert_string_equal(s_str(s, sd_mp_get(r->result, "message"), "raw"), whole);
}

/* Applies one logged event to the store of the write transaction arg. */
static int s_copy(const void *bytes, size_t len, void *arg)
{
    sd_event_t ev = {0};
    int rc = sd_event_decode(bytes, len, &ev, NULL);
    rc = rc ?: sd_store_apply(arg, &ev);
    sd_event_clear(&ev);
    return rc < 0 ? rc : 0;
}

/* The same message taken at two sites is one record: its create events, applied in either
 * order (after the ticket events of each), fold to equal state digests. */
static void test_two_stores_one_digest(void **state)
{
    s_t *s = *state;
    s_mail(s, "both@example.com", "i@example.com", "Same mail", NULL, NULL, NULL, NULL);
    /* The events this node made, applied to a store of another site, in log order. */
    char dir[256];
    assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-msg2"), 0);
    sd_store_t *other = NULL;
    assert_int_equal(sd_store_open(dir, "EMEA", &other), 0);
    sd_store_txn_t *from, *to;
    from = s_read(s);
    assert_int_equal(sd_store_begin(other, true, &to), 0);
    assert_int_equal(sd_store_events_all(from, s_copy, to), 0);
    assert_int_equal(sd_store_commit(&to), 0);
    char h1[SD_DIGEST_BYTES * 2 + 1], h2[SD_DIGEST_BYTES * 2 + 1];
    assert_int_equal(sd_store_digest(from, h1), 0);
    assert_int_equal(sd_store_begin(other, false, &to), 0);
    assert_int_equal(sd_store_digest(to, h2), 0);
    assert_string_equal(h1, h2);
    char id[SD_ID_MAX + 1];
    sd_message_id_for("email", "both@example.com", id);
    sd_message_t m = {0};
    assert_int_equal(sd_store_get_record(to, &sd_kind_message, id, &m), 0);
    assert_string_equal(m.site, "LOCAL");
    assert_string_equal(m.subject, "Same mail");
    sd_record_clear(&sd_kind_message, &m);
    sd_store_abort(&to);
    sd_store_abort(&from);
    sd_store_close(&other);
    sd_test_rmtree(dir);
}

/* Two creates of one message made at two sites converge whatever order they arrive in. */
static void test_two_creates_converge(void **state)
{
    (void)state;
    char id[SD_ID_MAX + 1];
    sd_message_id_for("email", "twice@example.com", id);
    sd_event_t ev[2];
    memset(ev, 0, sizeof ev);
    const char *sites[2] = {"APAC", "EMEA"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sd_event_start(&ev[i], &sd_kind_message, SD_MSGOP_CREATE), 0);
        snprintf(ev[i].origin, sizeof ev[i].origin, "%s", sites[i]);
        ev[i].seq = 1;
        ev[i].hlc = ((uint64_t)(T0 + i) << 16);
        snprintf(ev[i].key, sizeof ev[i].key, "%s", id);
        snprintf(ev[i].author, sizeof ev[i].author, "mailgate");
        ev[i].mask = sd_kind_all_fields(&sd_kind_message);
        sd_message_t *m = sd_event_message(&ev[i]);
        snprintf(m->id, sizeof m->id, "%s", id);
        m->site = strdup(sites[i]);
        m->message_id = strdup("twice@example.com");
        m->from = strdup("j@example.com");
        m->state = SD_MSTATE_TICKET;
        char t[SD_ID_MAX + 1];
        snprintf(t, sizeof t, "%s-000001", sites[i]);
        m->ticket = strdup(t);
    }
    char hex[2][SD_DIGEST_BYTES * 2 + 1];
    for (int order = 0; order < 2; order++) {
        char dir[256];
        assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-msg3"), 0);
        sd_store_t *st = NULL;
        sd_store_txn_t *txn;
        assert_int_equal(sd_store_open(dir, "HUB", &st), 0);
        assert_int_equal(sd_store_begin(st, true, &txn), 0);
        assert_int_equal(sd_store_apply(txn, &ev[order]), 0);
        assert_int_equal(sd_store_apply(txn, &ev[1 - order]), 0);
        assert_int_equal(sd_store_digest(txn, hex[order]), 0);
        /* One record, indexed once under each ticket it was given (the later write wins). */
        sd_message_t latest = {0};
        assert_int_equal(sd_message_latest(txn, "EMEA-000001", &latest), 0);
        sd_record_clear(&sd_kind_message, &latest);
        assert_int_equal(sd_message_latest(txn, "APAC-000001", &latest), SD_ENOTFOUND);
        sd_store_abort(&txn);
        sd_store_close(&st);
        sd_test_rmtree(dir);
    }
    assert_string_equal(hex[0], hex[1]);
    sd_event_clear(&ev[0]);
    sd_event_clear(&ev[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_ticket_with_customer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threading_by_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threading_by_subject_tag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_list_bounce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hold_release_discard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blobs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_stores_one_digest, setup, teardown),
        cmocka_unit_test(test_two_creates_converge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
