// ticket_messages.js - the mail and chat messages of a ticket on the agent's card (GET
// /tickets/ID/messages, proto/MAIL.md): who wrote, when, how the message threaded to the
// ticket, its raw form and attachments (GET /blobs/BLOB, the bytes with their type). Kept live
// by the event stream: a message that joins the ticket changes the ticket too.
import { useEffect, useState } from 'preact/hooks';
import { request } from './api.js';
import { onEvent } from './sse.js';
import { t } from './i18n.js';
import { html, useApp, useFetch, Time } from './common.js';
import { enc } from './customer_card.js';

export const en = {
    msg_title: 'Messages',
    msg_none: 'No mail or chat message is on this ticket.',
    msg_error: 'The messages are not available',
    msg_raw: 'raw message',
    msg_thread_new: 'opened the ticket',
    msg_thread_in_reply_to: 'reply (In-Reply-To)',
    msg_thread_references: 'reply (References)',
    msg_thread_subject: 'reply (subject tag)',
    msg_thread_conversation: 'same conversation',
};
export const zh = {
    msg_title: '邮件与聊天消息',
    msg_none: '此工单没有邮件或聊天消息。',
    msg_error: '暂时无法获取消息',
    msg_raw: '原始邮件',
    msg_thread_new: '创建了工单',
    msg_thread_in_reply_to: '回复（In-Reply-To）',
    msg_thread_references: '回复（References）',
    msg_thread_subject: '回复（主题标记）',
    msg_thread_conversation: '同一会话',
};

// BLOB \t SIZE \t TYPE \t NAME lines → [{blob, size, type, name}].
function attachments(text) {
    return (text || '').split('\n').filter(Boolean).map((line) => {
        const [blob, size, type, name] = line.split('\t');
        return { blob, size: Number(size), type, name };
    });
}

const blobHref = (blob) => '/api/v1/blobs/' + enc(blob);

export function TicketMessages({ ticket }) {
    const app = useApp();
    const [gen, setGen] = useState(0);
    useEffect(() => onEvent((k, d) => k === 'ticket' && d && d.id === ticket.id && setGen((x) => x + 1)), [ticket.id]);
    const m = useFetch(() => request('GET', '/tickets/' + enc(ticket.id) + '/messages', { query: { limit: 100 } }),
        [ticket.id, gen]);
    const items = (m.data && m.data.items) || [];
    if (!m.error && !items.length) return null; // most tickets have none: no empty panel
    return html`<section class="messages" aria-labelledby="h-messages" data-testid="ticket-messages">
        <h2 id="h-messages">${t('msg_title')}</h2>
        ${m.error ? html`<p class="muted" data-testid="messages-error">${t('msg_error')}: ${m.error.message}</p>` : null}
        <ol class="message-list">${items.map((x) => html`<li data-testid="ticket-message" data-id=${x.id}>
            <div class="message-head">
                <strong>${x.from_name || x.from}</strong>${x.from_name ? html` <span class="muted">&lt;${x.from}&gt;</span>` : null}
                · <${Time} ms=${x.received_at} zone=${app.zone} />
                · <span class="badge">${x.channel}</span>
                ${x.thread_by && x.thread_by !== 'none' ? html` · <span class="muted">${t('msg_thread_' + x.thread_by)}</span>` : null}
                ${x.state !== 'ticket' ? html` · <span class="badge">${x.state}</span>` : null}
            </div>
            ${x.subject ? html`<div class="message-subject">${x.subject}</div>` : null}
            ${x.raw || x.attachments ? html`<div class="message-blobs">
                ${x.raw ? html`<a href=${blobHref(x.raw)} download=${x.id + '.eml'} data-testid="message-raw">${t('msg_raw')}</a>` : null}
                ${attachments(x.attachments).map((a) => html` · <a href=${blobHref(a.blob)} download=${a.name}
                    data-testid="message-attachment">${a.name}</a> <span class="muted">(${a.type}, ${a.size} B)</span>`)}
            </div>` : null}
        </li>`)}</ol>
    </section>`;
}
