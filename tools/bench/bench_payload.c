/* bench_payload.c - the benchmark ticket's text fields. */
#include "bench_payload.h"

#include "../../proto/error.h"

#include <stdio.h>

const char sd_bench_description[] =
    "Since this morning the VPN drops every few minutes on the office Wi-Fi. "
    "Reconnecting works, then it drops again. Colleagues on the same floor see it too. "
    "Laptop was rebooted, no change. Please have a look.";

/* snprintf's result tells truncation apart from success; a truncated title
 * would make the two halves send different payloads. */
static int s_fit(int n, size_t cap)
{
    return n < 0 || (size_t)n >= cap ? SD_EINVAL : 0;
}

int sd_bench_title(char *buf, size_t cap, int client, int seq)
{
    if (!buf || cap == 0)
        return SD_EINVAL;
    return s_fit(snprintf(buf, cap, "VPN drops every few minutes (c%03d #%06d)", client, seq), cap);
}

int sd_bench_requester(char *buf, size_t cap, int client, int seq)
{
    if (!buf || cap == 0)
        return SD_EINVAL;
    /* Unsigned arithmetic: client * 7919 must not overflow into a negative user. */
    unsigned user = ((unsigned)client * 7919u + (unsigned)seq) % 1000u;
    return s_fit(snprintf(buf, cap, "user%u@example.com", user), cap);
}

int sd_bench_set_arg(sd_request_t *req, const char *name, const char *text, char *why, size_t cap)
{
    int i = sd_req_arg_find(req->op, name);
    if (i < 0) {
        snprintf(why, cap, "the protocol has no argument %s", name);
        return SD_EUNKNOWN_FIELD;
    }
    sd_fault_t fault = {0};
    int rc = sd_request_set(req, i, text, &fault);
    if (rc)
        snprintf(why, cap, "%s", fault.text);
    return rc;
}

int sd_bench_ticket_template(sd_request_t *req, char *why, size_t cap)
{
    *req = (sd_request_t){.op = SD_REQ_TICKET_NEW};
    static const char *const args[][2] = {
        {"type", SD_BENCH_TYPE},       {"description", sd_bench_description},
        {"channel", SD_BENCH_CHANNEL}, {"category", SD_BENCH_CATEGORY},
        {"impact", SD_BENCH_IMPACT},   {"urgency", SD_BENCH_URGENCY},
    };
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
        int rc = sd_bench_set_arg(req, args[i][0], args[i][1], why, cap);
        if (rc)
            return rc;
    }
    return 0;
}
