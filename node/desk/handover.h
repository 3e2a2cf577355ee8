/* handover.h - the note that travels with a ticket from one site to the next.
 *
 * A follow-the-sun handover must let the receiving shift carry on without
 * asking: it says who handed what to whom and why, the ticket's status and
 * tier, what it waits for, the last thing done, and how much SLA time is
 * left. The note is generated from the ticket (agents may add their own
 * words in front) and stored on the handover event. */
#ifndef SD_HANDOVER_H
#define SD_HANDOVER_H

#include "ticket.h"
#include "workflow.h"

#include <stddef.h>

/* Writes the note for handing cur to site `to` at ctx->now_ms into out
 * (always terminated, cut at cap). why says what triggered it, e.g. "APAC
 * off duty"; agent_note (may be NULL) goes first. */
void sd_handover_note(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *to,
                      const char *why, const char *agent_note, char *out, size_t cap);

#endif
