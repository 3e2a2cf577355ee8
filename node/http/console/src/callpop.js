// callpop.js - the caller pop-up: the live stream's `call` event ({call_id, from, to, direction,
// customer: the lookup card or null}, sent when a telephone system reports a new call at POST
// /api/v1/cti/events) shows over any page who is calling - name, VIP, organisation, open tickets,
// last contacts and a button to the card - or "unknown caller" with a button to the create form,
// the number filled in (and the call's contact, which the new customer then gets). Each stays until closed; the newest three are shown.
import { useEffect, useState } from 'preact/hooks';
import { onEvent } from './sse.js';
import { t, fmtTime } from './i18n.js';
import { html, useApp, navigate } from './common.js';
import { enc, VipBadge } from './customer_card.js';

const KEEP = 3; // pop-ups shown at once: the newest calls

function Known({ card, onGo }) {
    const { zone } = useApp();
    const c = card.customer;
    const open = card.open_tickets || [];
    const contacts = card.contacts || [];
    return html`<p data-testid="call-customer"><strong data-testid="call-name">${c.name}</strong> <${VipBadge} vip=${c.vip} testid="call-vip" />
            <span class="muted"> · ${c.id}${c.organisation ? ' · ' + c.organisation : ''}</span></p>
        <h3 data-testid="call-open">${t('call_open_tickets')} (${open.length})</h3>
        ${open.length
            ? html`<ul data-testid="call-tickets">${open.slice(0, 5).map((tk) => html`<li>
                <a href=${'#/tickets/' + enc(tk.id)} onClick=${onGo}>${tk.id}</a> ${tk.title} (${t('st_' + tk.status)})</li>`)}</ul>`
            : html`<p>${t('call_none')}</p>`}
        <h3>${t('call_last_contacts')}</h3>
        ${contacts.length
            ? html`<ul data-testid="call-contacts">${contacts.slice(0, 3).map((x) => html`<li>
                ${fmtTime(x.at || x.created_at, zone)} · ${t('ch_' + x.channel)}${x.outcome ? ' · ' + x.outcome : ''}${x.summary ? ' · ' + x.summary : ''}</li>`)}</ul>`
            : html`<p>${t('call_none')}</p>`}
        <button type="button" data-testid="call-open-card" onClick=${() => onGo('/customers/' + enc(c.id))}>${t('open_card')}</button>`;
}

function Pop({ call, onClose }) {
    const card = call.customer && call.customer.customer ? call.customer : null;
    const out = call.direction === 'out';
    const number = (out ? call.to : call.from) || '?';
    // A link or button that leaves for another page closes the pop-up: the agent has it there.
    const go = (path) => {
        if (typeof path === 'string') navigate(path);
        onClose();
    };
    return html`<section class="callpop" role="alertdialog" aria-labelledby=${'cp-' + call.call_id}
            data-testid="call" data-call=${call.call_id} data-known=${card ? 'true' : 'false'}>
        <header>
            <h2 id=${'cp-' + call.call_id}>${t(out ? 'call_to' : 'call_from', { from: number })}</h2>
            <button type="button" class="secondary" data-testid="call-close" onClick=${onClose}>${t('call_close')}</button>
        </header>
        ${card
            ? html`<${Known} card=${card} onGo=${go} />`
            : html`<p data-testid="call-unknown">${t('unknown_caller', { n: number })}</p>
                <button type="button" data-testid="call-create" onClick=${() => go('/customers/new?phone=' + enc(number) + (call.contact ? '&contact=' + enc(call.contact) : ''))}>${t('create_customer')}</button>`}
    </section>`;
}

export function CallPopups() {
    const [calls, setCalls] = useState([]);
    useEffect(
        () => onEvent((kind, data) => {
            if (kind !== 'call' || !data || !data.call_id) return;
            setCalls((cs) => [data].concat(cs.filter((x) => x.call_id !== data.call_id)).slice(0, KEEP));
        }),
        []
    );
    if (!calls.length) return null;
    return html`<aside class="callpops" aria-live="assertive" aria-label=${t('calls')} data-testid="calls">
        ${calls.map((c) => html`<${Pop} key=${c.call_id} call=${c} onClose=${() => setCalls((cs) => cs.filter((x) => x.call_id !== c.call_id))} />`)}
    </aside>`;
}
