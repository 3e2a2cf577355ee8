// ticket_ctx.js - the caller's context on the agent's ticket card: the customer block (name,
// VIP, phones, a link to the card), the assets the ticket is about, the vendor it waits on with
// the vendor's reference, and the major incident (declare it; whom the rules say to notify).
import { useState } from 'preact/hooks';
import { request } from './api.js';
import { t } from './i18n.js';
import { html, useFetch } from './common.js';
import { enc, csv, VipBadge, AssetStatus } from './customer_card.js';

function CustomerBlock({ id }) {
    const s = useFetch(() => request('GET', '/customers/' + enc(id)), [id]);
    const c = s.data;
    return html`<section class="ctx-customer" aria-labelledby="h-customer" data-testid="ticket-customer" data-id=${id}>
        <h2 id="h-customer">${t('customer_block')}</h2>
        ${c ? html`<p><a href=${'#/customers/' + enc(c.id)} data-testid="ticket-customer-link"><strong>${c.name}</strong></a> <${VipBadge} vip=${c.vip} />${c.organisation ? ' · ' + c.organisation : ''}</p>
            <p class="muted" data-testid="ticket-customer-phones">${t('phones')}: ${csv(c.phones).join(', ') || '—'}</p>`
            : html`<p><a href=${'#/customers/' + enc(id)}>${id}</a></p>`}
    </section>`;
}

// The ticket's assets (comma-separated tags), each looked up for its kind, model and status.
function AssetsBlock({ tags }) {
    const s = useFetch(() => Promise.all(tags.map((tag) => request('GET', '/assets/' + enc(tag)).catch(() => ({ id: tag })))), [tags.join(',')]);
    const items = s.data || tags.map((tag) => ({ id: tag }));
    return html`<section aria-labelledby="h-tassets" data-testid="ticket-assets">
        <h2 id="h-tassets">${t('nav_assets')}</h2>
        <ul>${items.map((a) => html`<li data-testid="ticket-asset" data-id=${a.id}>
            <a href=${'#/assets/' + enc(a.id)}>${a.id}</a>${a.kind ? ' · ' + a.kind : ''}${a.model ? ' · ' + a.model : ''}
            ${a.status ? html` <${AssetStatus} status=${a.status} />` : null}</li>`)}</ul>
    </section>`;
}

// Declaring a major incident: the agent's note; the node records whom its rules say to notify.
function DeclareMajor({ ticket, onAct }) {
    const [open, setOpen] = useState(false);
    const [note, setNote] = useState('');
    const submit = async (e) => {
        e.preventDefault();
        if (await onAct('declare_major', note.trim() ? { note: note.trim() } : {})) setOpen(false);
    };
    return html`<div>
        <button type="button" class="danger" data-testid="action-declare-major" aria-expanded=${String(open)}
            onClick=${() => setOpen(!open)}>${ticket.major_notify ? t('declare_major_again') : t('declare_major')}</button>
        ${open ? html`<form class="step-form" data-testid="form-declare-major" onSubmit=${submit}>
            <div class="field wide"><label for="f-major-note">${t('major_note')}</label>
                <textarea id="f-major-note" data-testid="major-note" value=${note} onInput=${(e) => setNote(e.target.value)}></textarea></div>
            <button type="submit" data-testid="submit-declare-major">${t('declare_major')}</button>
        </form>` : null}
    </div>`;
}

// onAct(step, args) → true when done (the ticket card's act).
export function TicketContext({ ticket, onAct }) {
    const tags = csv(ticket.assets);
    const open = !['resolved', 'closed', 'cancelled'].includes(ticket.status);
    return html`<div class="ctx" data-testid="ticket-context">
        ${ticket.customer ? html`<${CustomerBlock} id=${ticket.customer} />` : null}
        ${tags.length ? html`<${AssetsBlock} tags=${tags} />` : null}
        ${ticket.vendor ? html`<section aria-labelledby="h-vendor" data-testid="ticket-vendor">
            <h2 id="h-vendor">${t('vendor_block')}</h2>
            <p><a href=${'#/vendors/' + enc(ticket.vendor)} data-testid="ticket-vendor-link">${ticket.vendor}</a> · ${t('vendor_ref')}: <span data-testid="ticket-vendor-ref">${ticket.vendor_ref || '—'}</span>
                ${ticket.status === 'pending' && ticket.waiting_on === 'vendor' ? html` · <em>${t('waiting_on_vendor')}</em>` : null}</p>
        </section>` : null}
        <section aria-labelledby="h-major" data-testid="ticket-major" data-major=${String(!!ticket.major)}>
            <h2 id="h-major">${t('major_incident')}</h2>
            ${ticket.major_notify || ticket.major
                ? html`<p class="warn">${t('major_declared')}</p>
                    <p>${t('notify')}: <span data-testid="major-notify-list">${ticket.major_notify || t('nobody_to_notify')}</span></p>
                    ${ticket.major_note ? html`<p class="desc">${ticket.major_note}</p>` : null}`
                : html`<p class="muted">${t('not_major')}</p>`}
            ${open ? html`<${DeclareMajor} ticket=${ticket} onAct=${onAct} />` : null}
        </section>
    </div>`;
}
