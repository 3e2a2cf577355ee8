/* test_request.c - client requests and replies: round trips per operation and strict checks
 * (proto/request.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "request.h"
#include "proto_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    sd_mp_writer_t *w;
    sd_request_t req; /* what the client sends */
    sd_request_t out; /* what the node decodes */
    sd_reply_t reply;
    sd_fault_t fault;
} s_fix_t;

SD_TEST_FIXTURE_SETUP(s_setup, s_fix_t)

static int s_teardown(void **state)
{
    s_fix_t *f = *state;
    sd_request_clear(&f->req);
    sd_request_clear(&f->out); /* also after a failed decode */
    sd_reply_clear(&f->reply);
    sd_mp_writer_destroy(&f->w);
    free(f);
    return 0;
}

/* A sample value, as a user would type it, for every argument. */
static const struct {
    const char *name;
    const char *text;
} s_samples[] = {
    {"id", "APAC-000042"},
    {"type", "incident"},
    {"major", "yes"},
    {"title", "Laptop will not boot"},
    {"description", "Blue screen after the update.\nTried safe mode."},
    {"requester", "bob@example.com"},
    {"channel", "email"},
    {"category", "hardware/laptop"},
    {"impact", "2"},
    {"urgency", "1"},
    {"tier", "L1.5"},
    {"team", "Desktop"},
    {"assignee", "carol"},
    {"reply_due", "1700000360000"},
    {"waiting_on", "customer"},
    {"reason", "Waiting for the serial number"},
    {"resolution", "Replaced the SSD"},
    {"satisfaction", "5"},
    {"feedback", "Quick, thanks!"},
    {"body", "Rebooted twice; same result."},
    {"public", "true"},
    {"status", "in_progress"},
    {"priority", "P2"},
    {"open", "1"},
    {"limit", "50"},
    {"after", "APAC-000010"},
    {"follow_sun", "true"},
    {"site", "EMEA"},
    {"note", "Customer calls back at 09:00 London time"},
    {"sla", "breached"},
    {"since", "1700000000000"},
    {"from", "1700000000000"},
    {"days", "7"},
    {"display_name", "Li Wei"},
    {"email", "li.wei@example.com"},
    {"phone", "+86 21 5555 0100"},
    {"language", "zh-CN"},
    {"time_zone", "Asia/Shanghai"},
    {"home_site", "APAC"},
    {"teams", "desktop,network"},
    {"role", "agent"},
    {"sites", "APAC,EMEA"},
    {"unix", "lwei"},
    {"password", "correct horse battery"},
    {"team", "desktop"},
    {"manager", "lwei"},
    {"user", "lwei"},
    {"name", "ci pipeline"},
    {"until", "1700000900000"},
    {"ticket", "APAC-000042"},
    {"customer", "APAC-C-000001"},
    {"organisation", "Acme"},
    {"department", "Finance"},
    {"emails", "wang.fang@example.com"},
    {"phones", "+86 21 5555 0101"},
    {"vip", "true"},
    {"notes", "prefers e-mail"},
    {"into", "APAC-C-000002"},
    {"direction", "in"},
    {"at", "1700000000000"},
    {"to", "+86 21 5555 0101"},
    {"call_id", "pbx-7731"},
    {"agent", "lwei"},
    {"summary", "Asked about the VPN outage.\nCalls back tomorrow."},
    {"outcome", "answered"},
    {"service", "VPN"},
    {"notify", "noc@example.com, lwei, +8613800000000"},
    {"kind", "laptop"},
    {"model", "ThinkPad T14"},
    {"serial", "PF-3X9K2"},
    {"owner", "APAC-C-000001"},
    {"status", "in_use"}, /* an asset's: tried when the ticket's does not fit */
    {"warranty_end", "2027-03-31"},
    {"notes", "Spare charger in the drawer"},
    {"terms", "Next business day on site"},
    {"contacts", "Support desk 400-100-6000"},
    {"escalation_phone", "+86 400 100 6000"},
    {"escalation_email", "escalate@lenovo.example"},
    {"assets", "LT-0042,PH-0007"},
    {"vendor", "lenovo"},
    {"vendor_ref", "RMA-88231"},
    {"roster", "emea-oncall"},
    {"login", "lwei"},
    {"reason", "swap with amy"},
    {"article", "APAC-KB-000001"},
    {"keywords", "VPN,密码"},
    {"audience", "public"},
    {"base_version", "1"},
    {"state", "published"},
    {"version", "2"},
    {"to", "3"}, /* an article diff's: tried when a contact's does not fit */
    {"severity", "outage"},
    {"valid_from", "1700000000000"},
    {"valid_until", "1700003600000"},
    {"major", "APAC-000042"},
    {"current", "true"},
    {"q", "打印 OR \"VPN密码\""},
    {"kind", "ticket,article"}, /* a search's: tried when an asset's does not fit */
    {"cursor", "o20"},
    {"text", "三楼打印机卡纸\nThe printer jams."},
    {"message_id", "CAF=1234@mail.example.com"},
    {"in_reply_to", "<sundesk.APAC-000042.7f3a@desk.example.com>"},
    {"references", "<a@example.com> <sundesk.APAC-000042.7f3a@desk.example.com>"},
    {"from", "wang.fang@example.com"}, /* a mail's: tried when a diff's does not fit */
    {"from_name", "王芳"},
    {"cc", "li@example.com, zhao@example.com"},
    {"subject", "打印机卡纸 [APAC-000042]"},
    {"text_truncated", "true"},
    {"text_blob", "b2-0000000000000000000000000000000000000000000000000000000000000000"},
    {"html_only", "false"},
    {"received_at", "1700000000000"},
    {"raw", "b2-1111111111111111111111111111111111111111111111111111111111111111"},
    {"attachments", "b2-2222222222222222222222222222222222222222222222222222222222222222\t"
                    "1024\timage/png\tscreen.png\n"},
    {"class", "bounce"},
    {"bounce_for", "sundesk.APAC-000042.7f3a@desk.example.com"},
    {"bounce_recipient", "gone@example.com"},
    {"bounce_status", "5.1.1"},
    {"queue", "helpdesk"},
    {"source", "wecom"},
    {"conversation", "group-42"},
    {"sender", "wangfang"},
    {"sender_name", "王芳"},
    {"state", "held"},
    {"state", "unknown"},
    {"data", "raw bytes \x01\x02"},
    {"parts", "b2-0000000000000000000000000000000000000000000000000000000000000000,"
              "b2-1111111111111111111111111111111111111111111111111111111111111111"},
    {"blob", "b2-0000000000000000000000000000000000000000000000000000000000000000"},
    {"offset", "49152"},
    {"source", "prom"},
    {"key", "6d0c8a4e1f2b3c5d"},
    {"status", "firing"}, /* an alert's: tried when the ticket's and the asset's do not fit */
    {"state", "resolved"},
    {"labels", "alertname=DiskFull\ninstance=db1"},
    {"url", "http://prometheus:9090/graph?g0.expr=up"},
    {"flap_window", "900"},
};

/* Gives argument `name` of req->op's group its sample value, the way the CLI does. */
static void s_give(sd_request_t *req, const char *name)
{
    int i = sd_req_arg_find(req->op, name);
    if (i < 0)
        fail_msg("no argument %s in the group of %s", name, sd_req_op_name(req->op));
    sd_fault_t fault = {0};
    bool found = false;
    for (size_t k = 0; k < sizeof s_samples / sizeof s_samples[0]; k++) {
        if (strcmp(s_samples[k].name, name) == 0) {
            found = true;
            if (sd_request_set(req, i, s_samples[k].text, &fault) == 0)
                return;
        }
    }
    if (found)
        fail_msg("%s: %s", name, fault.text);
    fail_msg("no sample for %s", name);
}

/* Gives every argument of a space-separated list. */
static void s_give_all(sd_request_t *req, const char *names)
{
    char copy[256], *save = NULL;
    snprintf(copy, sizeof copy, "%s", names);
    for (char *n = strtok_r(copy, " ", &save); n; n = strtok_r(NULL, " ", &save))
        s_give(req, n);
}

/* Each operation with the arguments it requires and those it may take. */
static const struct {
    int op;
    const char *name;
    bool writes;
    const char *required;
    const char *optional;
} s_ops[] = {
    {SD_REQ_NODE_PING, "node.ping", false, "", ""},
    {SD_REQ_NODE_STATUS, "node.status", false, "", ""},
    {SD_REQ_NODE_DIGEST, "node.digest", false, "", ""},
    {SD_REQ_REPL_STATUS, "repl.status", false, "", ""},
    {SD_REQ_TICKET_NEW, "ticket.new", true, "title",
     "requester type major description channel category impact urgency tier team assignee "
     "follow_sun customer phone email assets"},
    {SD_REQ_TICKET_GET, "ticket.get", false, "id", ""},
    {SD_REQ_TICKET_LIST, "ticket.list", false, "",
     "status priority assignee requester open sla site team limit after"},
    {SD_REQ_TICKET_HISTORY, "ticket.history", false, "id", ""},
    {SD_REQ_TICKET_ACK, "ticket.ack", true, "id", "reply_due"},
    {SD_REQ_TICKET_ASSIGN, "ticket.assign", true, "id assignee", "team tier"},
    {SD_REQ_TICKET_START, "ticket.start", true, "id", ""},
    {SD_REQ_TICKET_PENDING, "ticket.pending", true, "id waiting_on", "reason vendor vendor_ref"},
    {SD_REQ_TICKET_RESOLVE, "ticket.resolve", true, "id resolution", "article"},
    {SD_REQ_TICKET_CLOSE, "ticket.close", true, "id satisfaction", "feedback"},
    {SD_REQ_TICKET_REOPEN, "ticket.reopen", true, "id reason", ""},
    {SD_REQ_TICKET_CANCEL, "ticket.cancel", true, "id reason", ""},
    {SD_REQ_TICKET_COMMENT, "ticket.comment", true, "id body", "public"},
    {SD_REQ_TICKET_UPDATE, "ticket.update", true, "id",
     "type major title description requester channel category impact urgency follow_sun assets"},
    {SD_REQ_TICKET_HANDOVER, "ticket.handover", true, "id site", "note"},
    {SD_REQ_TICKET_COUNTS, "ticket.counts", false, "", "open"},
    {SD_REQ_TICKET_DECLARE_MAJOR, "ticket.declare_major", true, "id", "note"},
    {SD_REQ_SCHEDULE_NOW, "schedule.now", false, "", ""},
    {SD_REQ_SCHEDULE_COVERAGE, "schedule.coverage", false, "", "from days"},
    {SD_REQ_HANDOVER_REPORT, "handover.report", false, "", "site since limit"},
    {SD_REQ_AUTH_WHOAMI, "auth.whoami", false, "", ""},
    {SD_REQ_AUTH_LOGIN, "auth.login", false, "id password", ""},
    {SD_REQ_AUTH_LOGOUT, "auth.logout", false, "", ""},
    {SD_REQ_USER_NEW, "user.new", true, "id display_name",
     "email phone language time_zone home_site teams tier role sites unix"},
    {SD_REQ_USER_GET, "user.get", false, "id", ""},
    {SD_REQ_USER_LIST, "user.list", false, "", "role site team limit after"},
    {SD_REQ_USER_UPDATE, "user.update", true, "id",
     "display_name email phone language time_zone home_site teams tier"},
    {SD_REQ_USER_GRANT, "user.grant", true, "id role", "sites"},
    {SD_REQ_USER_REVOKE, "user.revoke", true, "id role", ""},
    {SD_REQ_USER_DISABLE, "user.disable", true, "id", "reason"},
    {SD_REQ_USER_ENABLE, "user.enable", true, "id", ""},
    {SD_REQ_USER_LINK, "user.link", true, "id unix", ""},
    {SD_REQ_USER_PASSWORD, "user.password", true, "id password", ""},
    {SD_REQ_TEAM_NEW, "team.new", true, "id", "display_name site tier manager"},
    {SD_REQ_TEAM_GET, "team.get", false, "id", ""},
    {SD_REQ_TEAM_LIST, "team.list", false, "", "site limit after"},
    {SD_REQ_TEAM_UPDATE, "team.update", true, "id", "display_name site tier manager"},
    {SD_REQ_ASSET_NEW, "asset.new", true, "id kind",
     "model serial owner site status warranty_end notes"},
    {SD_REQ_ASSET_GET, "asset.get", false, "id", ""},
    {SD_REQ_ASSET_LIST, "asset.list", false, "", "owner site status kind limit after"},
    {SD_REQ_ASSET_UPDATE, "asset.update", true, "id",
     "kind model serial owner site status warranty_end notes"},
    {SD_REQ_VENDOR_NEW, "vendor.new", true, "id",
     "display_name terms contacts escalation_phone escalation_email notes"},
    {SD_REQ_VENDOR_GET, "vendor.get", false, "id", ""},
    {SD_REQ_VENDOR_LIST, "vendor.list", false, "", "limit after"},
    {SD_REQ_VENDOR_UPDATE, "vendor.update", true, "id",
     "display_name terms contacts escalation_phone escalation_email notes"},
    {SD_REQ_TOKEN_NEW, "token.new", true, "", "user name days"},
    {SD_REQ_TOKEN_LIST, "token.list", false, "", "user limit after"},
    {SD_REQ_TOKEN_REVOKE, "token.revoke", true, "id", ""},
    {SD_REQ_CUSTOMER_NEW, "customer.new", true, "name",
     "organisation department emails phones language time_zone home_site vip notes user"},
    {SD_REQ_CUSTOMER_GET, "customer.get", false, "id", ""},
    {SD_REQ_CUSTOMER_UPDATE, "customer.update", true, "id",
     "name organisation department emails phones language time_zone home_site vip notes user"},
    {SD_REQ_CUSTOMER_LIST, "customer.list", false, "", "organisation vip site limit after"},
    {SD_REQ_CUSTOMER_MERGE, "customer.merge", true, "id into", ""},
    {SD_REQ_CUSTOMER_FIND, "customer.find", false, "", "name phone email limit"},
    {SD_REQ_CUSTOMER_LOOKUP, "customer.lookup", false, "", "id phone email"},
    {SD_REQ_AUDIT_LIST, "audit.list", false, "", "user since until ticket limit"},
    {SD_REQ_CONTACT_NEW, "contact.new", true, "channel",
     "customer ticket direction at from to call_id agent summary outcome"},
    {SD_REQ_CONTACT_GET, "contact.get", false, "id", ""},
    {SD_REQ_CONTACT_UPDATE, "contact.update", true, "id", "customer ticket summary outcome"},
    {SD_REQ_CONTACT_LIST, "contact.list", false, "", "customer ticket channel call_id limit after"},
    {SD_REQ_MAJOR_NEW, "major.new", true, "id notify", "category site service note"},
    {SD_REQ_MAJOR_GET, "major.get", false, "id", ""},
    {SD_REQ_MAJOR_UPDATE, "major.update", true, "id", "category site service notify note"},
    {SD_REQ_MAJOR_LIST, "major.list", false, "", "category site limit after"},
    {SD_REQ_ONCALL_OVERRIDE, "oncall.override", true, "roster login from until", "reason"},
    {SD_REQ_ONCALL_GET, "oncall.get", false, "id", ""},
    {SD_REQ_ONCALL_CANCEL, "oncall.cancel", true, "id", "reason"},
    {SD_REQ_ONCALL_LIST, "oncall.list", false, "", "roster limit after"},
    {SD_REQ_ONCALL_NOW, "oncall.now", false, "", "site from"},
    {SD_REQ_ONCALL_ICS, "oncall.ics", false, "roster", "from until"},
    {SD_REQ_SEARCH_QUERY, "search.query", false, "q",
     "kind site status category from to limit cursor"},
    {SD_REQ_SEARCH_SUGGEST, "search.suggest", false, "", "ticket text limit"},
    {SD_REQ_SEARCH_STATUS, "search.status", false, "", ""},
    {SD_REQ_SEARCH_REINDEX, "search.reindex", false, "", ""},
    {SD_REQ_ARTICLE_NEW, "article.new", true, "title", "body category keywords language audience"},
    {SD_REQ_ARTICLE_UPDATE, "article.update", true, "id",
     "title body category keywords language audience base_version"},
    {SD_REQ_ARTICLE_GET, "article.get", false, "id", ""},
    {SD_REQ_ARTICLE_LIST, "article.list", false, "",
     "state category language audience limit after"},
    {SD_REQ_ARTICLE_VERSION, "article.version", false, "id version", ""},
    {SD_REQ_ARTICLE_DIFF, "article.diff", false, "id", "from to"},
    {SD_REQ_ARTICLE_PUBLISH, "article.publish", true, "id", ""},
    {SD_REQ_ARTICLE_RETIRE, "article.retire", true, "id", ""},
    {SD_REQ_ARTICLE_LINK, "article.link", true, "id ticket", ""},
    {SD_REQ_ARTICLE_HELPFUL, "article.helpful", true, "id", ""},
    {SD_REQ_BULLETIN_NEW, "bulletin.new", true, "title valid_until",
     "valid_from body severity sites category major"},
    {SD_REQ_BULLETIN_UPDATE, "bulletin.update", true, "id",
     "title body severity sites category valid_from valid_until major"},
    {SD_REQ_BULLETIN_GET, "bulletin.get", false, "id", ""},
    {SD_REQ_BULLETIN_LIST, "bulletin.list", false, "", "current limit after"},
    {SD_REQ_BULLETIN_WITHDRAW, "bulletin.withdraw", true, "id", ""},
    {SD_REQ_MAIL_INGEST, "mail.ingest", true, "id message_id from",
     "in_reply_to references from_name to cc subject text text_truncated text_blob html_only "
     "received_at raw attachments class bounce_for bounce_recipient bounce_status queue"},
    {SD_REQ_CHAT_INGEST, "chat.ingest", true, "source conversation sender text",
     "sender_name message_id received_at"},
    {SD_REQ_MESSAGE_GET, "message.get", false, "id", ""},
    {SD_REQ_MESSAGE_LIST, "message.list", false, "", "ticket state channel limit after"},
    {SD_REQ_MESSAGE_RELEASE, "message.release", true, "id", ""},
    {SD_REQ_MESSAGE_DISCARD, "message.discard", true, "id", ""},
    {SD_REQ_BLOB_PUT, "blob.put", true, "data", ""},
    {SD_REQ_BLOB_JOIN, "blob.join", true, "parts", "type"},
    {SD_REQ_BLOB_GET, "blob.get", false, "blob", "offset limit"},
    {SD_REQ_ALERT_INGEST, "alert.ingest", true, "id source key status",
     "title description severity labels url impact urgency team category flap_window"},
    {SD_REQ_ALERT_GET, "alert.get", false, "id", ""},
    {SD_REQ_ALERT_LIST, "alert.list", false, "", "source state ticket limit after"},
    {SD_REQ_OUTBOX_LIST, "outbox.list", false, "", "state ticket limit after"},
    {SD_REQ_OUTBOX_RETRY, "outbox.retry", false, "id", ""},
};
#define OP_COUNT (sizeof s_ops / sizeof s_ops[0])

/* Decodes what was written by hand into f->out (cleared first). */
static int s_decode_written(s_fix_t *f)
{
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    sd_request_clear(&f->out);
    memset(&f->fault, 0, sizeof f->fault);
    int rc = sd_request_decode(data, len, &f->out, &f->fault);
    if (rc)
        assert_int_equal(f->fault.code, rc);
    return rc;
}

/* Encodes f->req and decodes it into f->out, as the node would. */
static int s_send(s_fix_t *f)
{
    sd_mp_writer_reset(f->w);
    sd_request_encode(&f->req, f->w);
    assert_int_equal(sd_mp_writer_error(f->w), 0);
    return s_decode_written(f);
}

/* Decodes what was written by hand into f->reply. */
static int s_decode_reply(s_fix_t *f)
{
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    return sd_reply_decode(data, len, &f->reply);
}

/* The start of a hand-written request: a map of pairs pairs, the first two
 * "v": SD_PROTO_VERSION and "op": op; the caller writes the other pairs. */
static void s_write_head(sd_mp_writer_t *w, uint32_t pairs, const char *op)
{
    sd_mp_map(w, pairs);
    sd_mp_str(w, "v");
    sd_mp_u64(w, SD_PROTO_VERSION);
    sd_mp_str(w, "op");
    sd_mp_str(w, op);
}

/* {"v": v, "id": id, "op": op, "args": {}} */
static void s_write_request(sd_mp_writer_t *w, uint64_t v, uint64_t id, const char *op)
{
    sd_mp_map(w, 4);
    sd_mp_str(w, "v");
    sd_mp_u64(w, v);
    sd_mp_str(w, "id");
    sd_mp_u64(w, id);
    sd_mp_str(w, "op");
    sd_mp_str(w, op);
    sd_mp_str(w, "args");
    sd_mp_map(w, 0);
}

static void s_assert_round_trip(s_fix_t *f)
{
    assert_int_equal(s_send(f), 0);
    assert_int_equal(f->out.op, f->req.op);
    assert_int_equal(f->out.id, f->req.id);
    assert_int_equal(f->out.present, f->req.present);
    const sd_field_t *fields;
    size_t n = sd_req_op_fields(f->req.op, &fields);
    assert_true(n == 0 || sd_fields_equal(fields, n, &f->req.args, &f->out.args, f->req.present));
}

/* ---- round trips ------------------------------------------------------------- */

static void test_request_op_names(void **state)
{
    (void)state;
    assert_int_equal(OP_COUNT, SD_REQ_COUNT_);
    for (size_t i = 0; i < OP_COUNT; i++) {
        assert_string_equal(sd_req_op_name(s_ops[i].op), s_ops[i].name);
        assert_int_equal(sd_req_op_value(s_ops[i].name), s_ops[i].op);
        assert_int_equal(sd_req_op_writes(s_ops[i].op), s_ops[i].writes);
    }
    assert_string_equal(sd_req_op_name(SD_REQ_COUNT_), "?");
    assert_int_equal(sd_req_op_value("ticket.delete"), -1);
    assert_false(sd_req_op_writes(-1));
}

static void test_request_round_trip_each_op_required_args(void **state)
{
    s_fix_t *f = *state;
    for (size_t i = 0; i < OP_COUNT; i++) {
        sd_request_clear(&f->req);
        f->req.id = 1000 + i;
        f->req.op = s_ops[i].op;
        s_give_all(&f->req, s_ops[i].required);
        s_assert_round_trip(f);
    }
}

static void test_request_round_trip_each_op_all_args(void **state)
{
    s_fix_t *f = *state;
    for (size_t i = 0; i < OP_COUNT; i++) {
        sd_request_clear(&f->req);
        f->req.id = UINT64_MAX - i;
        f->req.op = s_ops[i].op;
        s_give_all(&f->req, s_ops[i].required);
        s_give_all(&f->req, s_ops[i].optional);
        s_assert_round_trip(f);
    }
}

static void test_request_new_ticket_values(void **state)
{
    s_fix_t *f = *state;
    f->req.id = 1;
    f->req.op = SD_REQ_TICKET_NEW;
    s_give_all(&f->req, "title requester impact tier major");
    assert_int_equal(s_send(f), 0);
    assert_string_equal(f->out.args.ticket.title, "Laptop will not boot");
    assert_int_equal(f->out.args.ticket.impact, 2);
    assert_int_equal(f->out.args.ticket.tier, 1); /* "L1.5" */
    assert_true(f->out.args.ticket.major);
    assert_true(sd_request_has(&f->out, SD_ARG_TICKET_REQUESTER));
    assert_false(sd_request_has(&f->out, SD_ARG_TICKET_URGENCY));
    assert_false(sd_request_has(&f->out, -1)); /* what sd_req_arg_find says of an unknown name */
    assert_int_equal(sd_req_arg_find(SD_REQ_TICKET_NEW, "no-such-argument"), -1);
}

static void test_request_minimal_envelope(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 2); /* no id, no args */
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, "node.ping");
    sd_mp_str(f->w, "v");
    sd_mp_u64(f->w, SD_PROTO_VERSION);
    assert_int_equal(s_decode_written(f), 0);
    assert_int_equal(f->out.op, SD_REQ_NODE_PING);
    assert_int_equal(f->out.id, 0);
    assert_int_equal(f->out.present, 0);
}

/* ---- rejections ----------------------------------------------------------------- */

static void test_request_unknown_op(void **state)
{
    s_fix_t *f = *state;
    s_write_request(f->w, SD_PROTO_VERSION, 77, "ticket.explode");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_OP);
    assert_int_equal(f->out.id, 77); /* kept so that the error reply can echo it */
    assert_fault_says(&f->fault, "request.op");
    /* Not a string either. */
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "v");
    sd_mp_u64(f->w, SD_PROTO_VERSION);
    sd_mp_str(f->w, "op");
    sd_mp_u64(f->w, SD_REQ_TICKET_GET);
    assert_int_equal(s_decode_written(f), SD_ETYPE);
}

static void test_request_arg_not_taken_by_op(void **state)
{
    s_fix_t *f = *state;
    f->req.id = 5;
    f->req.op = SD_REQ_TICKET_GET;
    s_give_all(&f->req, "id title"); /* title is an argument, but not of ticket.get */
    assert_int_equal(s_send(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "args.title");
    assert_fault_says(&f->fault, "ticket.get");
    assert_int_equal(f->out.id, 5);

    /* An argument of another op's group: node.ping has none. */
    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "node.ping");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_str(f->w, "APAC-000001");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "args.id: not an argument of node.ping");

    /* ... checked as its own group would, before it is refused. */
    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "schedule.coverage");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "title");
    sd_mp_u64(f->w, 5);
    assert_int_equal(s_decode_written(f), SD_ETYPE);
    assert_fault_says(&f->fault, "args.title: expected a string");

    /* A misplaced argument is reported as such, not as the one it stands in for. */
    sd_request_clear(&f->req);
    f->req.op = SD_REQ_TICKET_RESOLVE;
    s_give_all(&f->req, "id reason"); /* reason is for pending, reopen, cancel */
    assert_int_equal(s_send(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "args.reason: not an argument of ticket.resolve");

    /* A name no operation knows. */
    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "ticket.get");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "id");
    sd_mp_str(f->w, "APAC-000001");
    sd_mp_str(f->w, "verbose");
    sd_mp_bool(f->w, true);
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "'verbose'");
}

static void test_request_missing_each_required_arg(void **state)
{
    s_fix_t *f = *state;
    for (size_t i = 0; i < OP_COUNT; i++) {
        char names[128], *save = NULL;
        snprintf(names, sizeof names, "%s", s_ops[i].required);
        for (char *drop = strtok_r(names, " ", &save); drop; drop = strtok_r(NULL, " ", &save)) {
            sd_request_clear(&f->req);
            f->req.op = s_ops[i].op;
            s_give_all(&f->req, s_ops[i].required);
            s_give_all(&f->req, s_ops[i].optional);
            const sd_field_t *fields;
            size_t n = sd_req_op_fields(s_ops[i].op, &fields);
            int bit = sd_req_arg_find(s_ops[i].op, drop);
            sd_fields_free(fields, n, &f->req.args, 1ull << bit);
            f->req.present &= ~(1ull << bit);
            assert_int_equal(s_send(f), SD_EMISSING);
            char want[64];
            snprintf(want, sizeof want, "args.%s: required by %s", drop, s_ops[i].name);
            assert_fault_says(&f->fault, want);
        }
    }
}

/* Regression (fixed): a required argument given as nil passes. The args table has no
 * SD_F_REQUIRED flags (requirement is per op), so sd_field_decode takes nil as
 * NULL and sets the present bit, and the op's "required" check is satisfied:
 * {"v":1,"op":"ticket.get","args":{"id":nil}} decodes with args.id == NULL,
 * which node/server.c then passes to sd_store_get_ticket (strlen(NULL)), and
 * a nil "author" reaches strcpy in node/workflow.c. Same for NONEMPTY strings
 * such as title in ticket.update, which nil sets to NULL. */
static void test_request_nil_for_required_arg(void **state)
{
    s_fix_t *f = *state;
    s_write_head(f->w, 3, "ticket.get");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_nil(f->w);
    int rc = s_decode_written(f);
    if (rc != SD_EMISSING && rc != SD_ETYPE)
        fail_msg("ticket.get with id nil: rc %d, args.id %s", rc,
                 f->out.args.ticket.id ? "set" : "NULL");
}

static void test_request_bad_arg_value_names_it(void **state)
{
    s_fix_t *f = *state;
    s_write_head(f->w, 3, "ticket.list");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "limit");
    sd_mp_u64(f->w, SD_LIST_MAX + 1);
    assert_int_equal(s_decode_written(f), SD_ERANGE);
    assert_fault_says(&f->fault, "args.limit");

    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "ticket.list");
    sd_mp_str(f->w, "args");
    sd_mp_array(f->w, 0); /* args must be a map */
    assert_int_equal(s_decode_written(f), SD_ETYPE);
    assert_fault_says(&f->fault, "args");
}

static void test_request_wrong_version(void **state)
{
    s_fix_t *f = *state;
    s_write_request(f->w, 2, 9, "node.ping");
    assert_int_equal(s_decode_written(f), SD_EVERSION);
    assert_fault_says(&f->fault, "request.v");
    assert_int_equal(f->out.id, 9);

    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, "node.ping");
    assert_int_equal(s_decode_written(f), SD_EMISSING); /* no v */

    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "v");
    sd_mp_str(f->w, "1");
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, "node.ping");
    assert_int_equal(s_decode_written(f), SD_ETYPE); /* v is an integer */
}

static void test_request_envelope_strict(void **state)
{
    s_fix_t *f = *state;
    s_write_head(f->w, 3, "node.ping");
    sd_mp_str(f->w, "token");
    sd_mp_str(f->w, "secret");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    /* Top-level errors name the key. */
    assert_string_equal(f->fault.text,
                        "request: unknown field 'token' (allowed: v, id, op, args, auth, "
                        "if_match, idempotency_key)");

    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "node.ping");
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, "ticket.new");
    assert_int_equal(s_decode_written(f), SD_EDUPLICATE);
    assert_string_equal(f->fault.text, "request.op: given twice");

    sd_mp_writer_reset(f->w);
    sd_mp_str(f->w, "node.ping"); /* not a map */
    assert_int_equal(s_decode_written(f), SD_ETYPE);

    assert_int_equal(sd_request_decode("\x80\x00", 2, &f->out, &f->fault), SD_ETRAILING);
    assert_int_equal(f->fault.code, SD_ETRAILING);
}

/* A client off the node's ipc socket proves who it is with "auth": a token, one line. */
static void test_request_auth_token(void **state)
{
    s_fix_t *f = *state;
    f->req.id = 8;
    f->req.op = SD_REQ_AUTH_WHOAMI;
    f->req.token = strdup("sdt_0123456789abcdef");
    assert_non_null(f->req.token);
    assert_int_equal(s_send(f), 0);
    assert_string_equal(f->out.token, "sdt_0123456789abcdef");

    /* Without it the request carries no token (the ipc peer's account speaks). */
    free(f->req.token);
    f->req.token = NULL;
    assert_int_equal(s_send(f), 0);
    assert_null(f->out.token);

    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "auth.whoami");
    sd_mp_str(f->w, "auth");
    sd_mp_u64(f->w, 42);
    assert_int_equal(s_decode_written(f), SD_ETYPE);
    assert_fault_says(&f->fault, "auth");

    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "auth.whoami");
    sd_mp_str(f->w, "auth");
    sd_mp_str(f->w, "sdt_a\nsdt_b");
    assert_int_not_equal(s_decode_written(f), 0);
    assert_fault_says(&f->fault, "auth");
}

/* The node records the authenticated caller as the author: a client cannot name one. */
static void test_request_author_refused(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(sd_req_arg_find(SD_REQ_TICKET_ACK, "author"), -1);
    s_write_head(f->w, 3, "ticket.ack");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1); /* refused before the missing id is noticed */
    sd_mp_str(f->w, "author");
    sd_mp_str(f->w, "mallory");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    assert_string_equal(f->fault.text, "args.author: not accepted; the node records the "
                                       "authenticated caller as the author");
}

/* ---- replies ---------------------------------------------------------------------- */

static void test_reply_ok_echoes_request_id(void **state)
{
    s_fix_t *f = *state;
    f->req.id = 123456789;
    f->req.op = SD_REQ_TICKET_GET;
    s_give(&f->req, "id");
    assert_int_equal(s_send(f), 0);

    sd_mp_writer_reset(f->w); /* the node answers */
    sd_reply_ok_begin(f->w, f->out.id);
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_str(f->w, f->out.args.ticket.id);
    assert_int_equal(s_decode_reply(f), 0);
    assert_true(f->reply.ok);
    assert_int_equal(f->reply.id, 123456789);
    assert_non_null(f->reply.result);
    assert_true(sd_mp_str_eq(sd_mp_get(f->reply.result, "id"), "APAC-000042"));
}

static void test_reply_error_gives_code_and_message(void **state)
{
    s_fix_t *f = *state;
    sd_reply_error(f->w, 41, SD_ENOTFOUND, "no ticket APAC-000099");
    assert_int_equal(s_decode_reply(f), 0);
    assert_false(f->reply.ok);
    assert_int_equal(f->reply.id, 41);
    assert_int_equal(f->reply.code, SD_ENOTFOUND);
    assert_string_equal(f->reply.message, "no ticket APAC-000099");
    assert_null(f->reply.result);
    sd_reply_clear(&f->reply);

    /* Without a message, the code's text is sent. */
    sd_mp_writer_reset(f->w);
    sd_reply_error(f->w, 42, SD_ETRANSITION, NULL);
    assert_int_equal(s_decode_reply(f), 0);
    assert_int_equal(f->reply.code, SD_ETRANSITION);
    assert_string_equal(f->reply.message, sd_strerror(SD_ETRANSITION));
}

static void test_reply_every_error_code_survives(void **state)
{
    s_fix_t *f = *state;
    for (int code = -1; code > -SD_ERROR_COUNT_; code--) {
        sd_mp_writer_reset(f->w);
        sd_reply_error(f->w, (uint64_t)-code, code, "why");
        sd_reply_clear(&f->reply);
        assert_int_equal(s_decode_reply(f), 0);
        assert_int_equal(f->reply.code, code);
        assert_int_equal(sd_error_from_name(sd_error_name(code)), code);
    }
    assert_string_equal(sd_error_name(1), "unknown");
    assert_string_equal(sd_strerror(-SD_ERROR_COUNT_), "unknown error");
    assert_int_equal(sd_error_from_name("no_such_error"), SD_EINVAL);
}

static void test_reply_decode_rejects_malformed(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(sd_reply_decode("\xc1", 1, &f->reply), SD_EMSGPACK);
    assert_null(f->reply.doc);

    sd_mp_map(f->w, 2); /* no "ok" */
    sd_mp_str(f->w, "v");
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_u64(f->w, 1);
    assert_int_equal(s_decode_reply(f), SD_EMSGPACK);
    assert_null(f->reply.doc);

    sd_mp_writer_reset(f->w); /* ok: true without a result */
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "ok");
    sd_mp_bool(f->w, true);
    sd_mp_str(f->w, "id");
    sd_mp_u64(f->w, 1);
    assert_int_equal(s_decode_reply(f), SD_EMSGPACK);

    sd_mp_writer_reset(f->w); /* an error without a message */
    sd_mp_map(f->w, 3);
    sd_mp_str(f->w, "ok");
    sd_mp_bool(f->w, false);
    sd_mp_str(f->w, "id");
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "error");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "code");
    sd_mp_str(f->w, "not_found");
    assert_int_equal(s_decode_reply(f), SD_EMSGPACK);
    assert_null(f->reply.doc);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_request_op_names),
        T(test_request_round_trip_each_op_required_args),
        T(test_request_round_trip_each_op_all_args),
        T(test_request_new_ticket_values),
        T(test_request_minimal_envelope),
        T(test_request_unknown_op),
        T(test_request_arg_not_taken_by_op),
        T(test_request_missing_each_required_arg),
        T(test_request_nil_for_required_arg),
        T(test_request_bad_arg_value_names_it),
        T(test_request_wrong_version),
        T(test_request_envelope_strict),
        T(test_request_auth_token),
        T(test_request_author_refused),
        T(test_reply_ok_echoes_request_id),
        T(test_reply_error_gives_code_and_message),
        T(test_reply_every_error_code_survives),
        T(test_reply_decode_rejects_malformed),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
