/* cti.c - a PBX's call events: contact history and the caller pop-up (cti.h). */
#include "cti.h"

#include "bridge.h"
#include "error.h"
#include "json_mp.h"
#include "problem.h"

#include <stdio.h>
#include <string.h>

#define S_TEXT_MAX 128 /* callId, from, to, user */

/* The events a PBX sends. */
typedef enum { S_NEW_CALL, S_ANSWER, S_HANGUP } s_event_t;

/* One event as read from the body (strings borrowed from it; NULL: absent). */
typedef struct {
    s_event_t event;       /* what happened */
    const char *call_id;   /* the PBX's call id */
    const char *from;      /* the caller's number */
    const char *to;        /* the number called */
    const char *direction; /* "in" or "out" */
    const char *user;      /* the agent's login */
} s_call_t;

/* String field name of body into *out (NULL when absent or null). Answers with a 422 and
 * returns false when it is another type, empty or too long, or required and absent. */
static bool s_text(sd_http_req_t *req, json_t *body, const char *name, bool required,
                   const char **out)
{
    json_t *v = json_object_get(body, name);
    char detail[160];
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (!required)
            return true;
        snprintf(detail, sizeof detail, "args.%s: required by the %s event", name,
                 json_string_value(json_object_get(body, "event")));
        sd_problem_send(req, 422, "missing_field", detail, NULL);
        return false;
    }
    if (!json_is_string(v)) {
        snprintf(detail, sizeof detail, "args.%s: expected a string", name);
        sd_problem_send(req, 422, "wrong_type", detail, NULL);
        return false;
    }
    size_t len = json_string_length(v);
    if (len == 0 || len > S_TEXT_MAX) {
        snprintf(detail, sizeof detail, "args.%s: %s", name,
                 len ? "longer than 128 bytes" : "must not be empty");
        sd_problem_send(req, 422, len ? "too_long" : "out_of_range", detail, NULL);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* Reads the event; false after answering with the problem. */
static bool s_read_call(sd_http_req_t *req, json_t *body, s_call_t *call)
{
    static const char *const events[] = {"newCall", "answer", "hangup"};
    const char *event;
    if (!s_text(req, body, "event", true, &event))
        return false;
    int e = 0;
    while (e < 3 && strcmp(event, events[e]))
        e++;
    if (e == 3) {
        sd_problem_send(req, 422, "out_of_range",
                        "args.event: expected one of newCall, answer, hangup", NULL);
        return false;
    }
    call->event = (s_event_t)e;
    bool new_call = call->event == S_NEW_CALL;
    if (!s_text(req, body, "callId", true, &call->call_id) ||
        !s_text(req, body, "from", new_call, &call->from) ||
        !s_text(req, body, "to", false, &call->to) ||
        !s_text(req, body, "direction", false, &call->direction) ||
        !s_text(req, body, "user", false, &call->user))
        return false;
    if (call->direction && strcmp(call->direction, "in") && strcmp(call->direction, "out")) {
        sd_problem_send(req, 422, "out_of_range", "args.direction: expected one of in, out", NULL);
        return false;
    }
    if (!call->direction)
        call->direction = "in";
    return true;
}

/* The customer card of phone (customer.lookup), or NULL for an unknown caller. A refusal is
 * no error here: an unknown number, a node without customers, a number that is no number all
 * mean "unknown caller". */
static json_t *s_lookup(const sd_http_caller_t *c, const char *phone)
{
    sd_mp_writer_t *w = sd_mp_writer_new();
    if (!w || !phone)
        return sd_mp_writer_destroy(&w), NULL;
    sd_mp_map(w, 1);
    sd_mp_str(w, "phone");
    sd_mp_str(w, phone);
    size_t len;
    const void *args = sd_mp_writer_data(w, &len);
    sd_bridge_call_t call = {
        .op = "customer.lookup", .args = args, .args_len = len, .auth = c->token};
    sd_reply_t reply;
    json_t *card = NULL;
    if (sd_bridge_call(&call, &reply) == 0 && reply.ok)
        card = sd_mp_to_json(reply.result);
    sd_reply_clear(&reply);
    sd_mp_writer_destroy(&w);
    return card;
}

/* Calls op with args (stolen) as the caller; the result as JSON, or NULL after answering. */
static json_t *s_op(const sd_http_caller_t *c, const char *op, json_t *args)
{
    sd_reply_t reply;
    json_t *out = NULL;
    if (!args) {
        sd_problem_send(c->req, 500, "no_memory", "out of memory", NULL);
        return NULL;
    }
    if (sd_routes_call(c, op, args, NULL, NULL, &reply) == 0) {
        out = sd_mp_to_json(reply.result);
        sd_reply_clear(&reply);
        if (!out)
            sd_problem_send(c->req, 500, "no_memory", "out of memory", NULL);
    }
    json_decref(args);
    return out;
}

static void s_new_call(sd_streams_t *streams, const sd_http_caller_t *c, const s_call_t *call)
{
    bool out = !strcmp(call->direction, "out");
    json_t *card = s_lookup(c, out ? call->to : call->from);
    json_t *customer = json_object_get(json_object_get(card, "customer"), "id");
    json_t *args =
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "channel", "call", "direction", call->direction,
                  "call_id", call->call_id, "outcome", "ringing", "from", call->from);
    /* Only what the PBX sent: an absent agent is the caller, not a nil the node refuses. */
    if (args && call->to)
        json_object_set_new(args, "to", json_string(call->to));
    if (args && call->user)
        json_object_set_new(args, "agent", json_string(call->user));
    if (args && json_is_string(customer))
        json_object_set(args, "customer", customer);
    json_t *contact = s_op(c, "contact.new", args);
    if (!contact) {
        json_decref(card);
        return;
    }
    json_t *popup =
        json_pack("{s:s, s:O, s:s?, s:s?, s:s, s:s?, s:O}", "call_id", call->call_id, "contact",
                  json_object_get(contact, "id"), "from", call->from, "to", call->to, "direction",
                  call->direction, "user", call->user, "customer", card ? card : json_null());
    char *text = popup ? json_dumps(popup, JSON_COMPACT) : NULL;
    if (text)
        sd_streams_call(streams, call->user, text);
    free(text);
    json_decref(popup);
    json_t *answer =
        json_pack("{s:o, s:o}", "contact", contact, "customer", card ? card : json_null());
    sd_http_json(c->req, 201, NULL, answer);
    json_decref(answer);
}

/* answer and hangup: the outcome of the call's contact. */
static void s_progress(const sd_http_caller_t *c, const s_call_t *call)
{
    json_t *page =
        s_op(c, "contact.list", json_pack("{s:s, s:i}", "call_id", call->call_id, "limit", 1));
    if (!page)
        return;
    json_t *contact = json_array_get(json_object_get(page, "contacts"), 0);
    if (!contact) {
        char detail[200];
        snprintf(detail, sizeof detail,
                 "args.callId: no contact of call %.128s (its newCall records one)", call->call_id);
        sd_problem_send(c->req, 404, "not_found", detail, NULL);
        json_decref(page);
        return;
    }
    json_t *answered = json_object_get(contact, "answered_at");
    const char *outcome = call->event == S_ANSWER            ? "answered"
                          : json_integer_value(answered) > 0 ? "ended"
                                                             : "missed";
    json_t *updated =
        s_op(c, "contact.update",
             json_pack("{s:O, s:s}", "id", json_object_get(contact, "id"), "outcome", outcome));
    json_decref(page);
    if (!updated)
        return;
    json_t *answer = json_pack("{s:o}", "contact", updated);
    sd_http_json(c->req, 200, NULL, answer);
    json_decref(answer);
}

void sd_cti_serve(sd_streams_t *streams, const sd_http_caller_t *c)
{
    json_t *body = sd_routes_body(c->req, NULL, false);
    if (!body)
        return;
    s_call_t call;
    if (s_read_call(c->req, body, &call)) {
        if (call.event == S_NEW_CALL)
            s_new_call(streams, c, &call);
        else
            s_progress(c, &call);
    }
    json_decref(body);
}
