// call.js - the caller pop-up: each `call` event of the live stream (a telephone system's newCall,
// POST /api/v1/cti/events) shows who is calling - the customer's card (name, VIP, organisation,
// open tickets, last contacts) or "unknown caller" - until the agent closes it.
import { useEffect, useState } from 'preact/hooks';
import { onEvent } from './sse.js';
import { html } from './common.js';
import { t } from './i18n.js';

const S_SHOWN = 3; // calls shown at once, newest first

function Card({ card }) {
    const c = card.customer;
    const open = card.open_tickets || [];
    const contacts = card.contacts || [];
    return html`<p data-testid="call-customer"><strong>${c.name}</strong>
            ${c.vip ? html` <span class="vip" data-testid="call-vip">VIP</span>` : null}
            <span class="muted"> · ${c.id}${c.organisation ? ' · ' + c.organisation : ''}</span></p>
        <h3>${t('call_open_tickets')}</h3>
        ${open.length
            ? html`<ul data-testid="call-tickets">${open.slice(0, 5).map((tk) => html`<li>
                <a href=${'#/tickets/' + encodeURIComponent(tk.id)}>${tk.id}</a> ${tk.title} (${tk.status})</li>`)}</ul>`
            : html`<p>${t('call_none')}</p>`}
        <h3>${t('call_last_contacts')}</h3>
        ${contacts.length
            ? html`<ul data-testid="call-contacts">${contacts.slice(0, 5).map((x) => html`<li>
                ${new Date(x.at).toISOString().slice(0, 16).replace('T', ' ')} ${x.channel}
                ${x.outcome ? '· ' + x.outcome : ''}${x.summary ? ' · ' + x.summary : ''}</li>`)}</ul>`
            : html`<p>${t('call_none')}</p>`}`;
}

export function CallPopup() {
    const [calls, setCalls] = useState([]);
    useEffect(() => onEvent((kind, data) => {
        if (kind === 'call' && data && data.call_id)
            setCalls((cs) => [data, ...cs.filter((c) => c.call_id !== data.call_id)].slice(0, S_SHOWN));
    }), []);
    if (!calls.length) return null;
    const close = (id) => setCalls((cs) => cs.filter((c) => c.call_id !== id));
    return html`<aside class="calls" aria-live="assertive" data-testid="calls">${calls.map((c) => html`
        <section class="call" role="alertdialog" aria-label=${t('call_from', { from: c.from || '?' })}
                data-testid="call" data-call=${c.call_id}>
            <h2>${t(c.direction === 'out' ? 'call_to' : 'call_from', { from: c.direction === 'out' ? c.to : c.from || '?' })}</h2>
            ${c.customer && c.customer.customer
                ? html`<${Card} card=${c.customer} />`
                : html`<p data-testid="call-unknown">${t('call_unknown')}</p>`}
            <button type="button" class="secondary" data-testid="call-close" onClick=${() => close(c.call_id)}>${t('call_close')}</button>
        </section>`)}</aside>`;
}
