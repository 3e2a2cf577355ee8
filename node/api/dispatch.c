/* dispatch.c - the handler table, expanded from proto/ops.def. */
#include "dispatch.h"

#include "error.h"
#include "record.h"
#include "op_node.h"
#include "op_ticket.h"
#include "schedule_ops.h"
#include "workflow.h"

/* One op's handler: the member its READ or WRITE kind uses. */
typedef struct {
    sd_api_read_fn read;   /* READ ops */
    sd_api_write_fn write; /* WRITE ops */
} s_handler_t;

#define SD_API_READ(h)                                                                             \
    {                                                                                              \
        .read = h                                                                                  \
    }
#define SD_API_WRITE(h)                                                                            \
    {                                                                                              \
        .write = h                                                                                 \
    }
#define SD_API_CREATE(h) SD_API_WRITE(h)

static const s_handler_t s_handlers[SD_REQ_COUNT_] = {
#define SD_REQ_OP(id, wire, rw, kind, group, required, optional, handler)                          \
    [SD_REQ_##id] = SD_API_##rw(handler),
#include "ops.def"
#undef SD_REQ_OP
};

int sd_api_read(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                sd_fault_t *fault)
{
    if (req->op < 0 || req->op >= SD_REQ_COUNT_ || !s_handlers[req->op].read)
        return SD_EUNKNOWN_OP;
    return s_handlers[req->op].read(ctx, req, w, fault);
}

int sd_api_write(const sd_workflow_ctx_t *ctx, const void *cur, const sd_request_t *req,
                 sd_event_t *ev, sd_fault_t *fault)
{
    if (req->op < 0 || req->op >= SD_REQ_COUNT_ || !s_handlers[req->op].write)
        return sd_fault_set(fault, SD_EUNKNOWN_OP, "%s does not write", sd_req_op_name(req->op));
    return s_handlers[req->op].write(ctx, cur, req, ev, fault);
}

void sd_api_reply_record(sd_mp_writer_t *w, uint64_t id, const sd_kind_t *k, const void *record)
{
    sd_mp_writer_reset(w);
    sd_reply_ok_begin(w, id);
    sd_record_encode(k, record, false, w);
}

int sd_api_reply_items(sd_mp_writer_t *w, uint64_t id, const char *name,
                       const sd_mp_writer_t *items, uint32_t count, const bool *more)
{
    if (sd_mp_writer_error(items))
        return SD_ENOMEM;
    size_t len;
    const void *data = sd_mp_writer_data(items, &len);
    sd_reply_ok_begin(w, id);
    sd_mp_map(w, more ? 2 : 1);
    sd_mp_str(w, name);
    sd_mp_array(w, count);
    sd_mp_raw(w, data, len);
    if (more) {
        sd_mp_str(w, "more");
        sd_mp_bool(w, *more);
    }
    return 0;
}
