// callpop.js - the caller pop-up: the live stream's `call` event ({call_id, from, to, direction,
// customer: the lookup card or null}, sent when the PBX reports a new call) shows over any page
// who is calling (name, VIP, open tickets, a link to the card) or "unknown caller" with a link
// to the create form, the number filled in. Each pop-up stays until dismissed.
import { useEffect, useState } from 'preact/hooks';
import { onEvent } from './sse.js';
import { t } from './i18n.js';
import { html, navigate } from './common.js';
import { enc, VipBadge } from './customer_card.js';

const KEEP = 3; // pop-ups shown at once: the newest calls

function Pop({ call, onClose }) {
    const card = call.customer;
    const c = card && card.customer;
    const number = call.direction === 'out' ? call.to : call.from;
    const go = (path) => {
        navigate(path);
        onClose();
    };
    const open = (card && card.open_tickets) || [];
    return html`<section class="callpop" role="dialog" aria-labelledby=${'cp-' + call.call_id}
            data-testid="call-popup" data-call=${call.call_id} data-known=${c ? 'true' : 'false'}>
        <header>
            <h2 id=${'cp-' + call.call_id}>${call.direction === 'out' ? t('call_out') : t('call_in')} · ${number || '?'}</h2>
            <button type="button" class="secondary" data-testid="call-dismiss" aria-label=${t('dismiss')} onClick=${onClose}>×</button>
        </header>
        ${c
            ? html`<p class="who"><strong data-testid="call-name">${c.name}</strong> <${VipBadge} vip=${c.vip} />
                    ${c.organisation ? html`<span class="muted"> · ${c.organisation}</span>` : null}</p>
                <p data-testid="call-open">${t('open_tickets_n', { n: open.length })}</p>
                ${open.length ? html`<ul class="call-tickets">${open.slice(0, 3).map((tk) => html`<li>
                    <a href=${'#/tickets/' + enc(tk.id)} onClick=${onClose}>${tk.id}</a> ${tk.title}</li>`)}</ul>` : null}
                <button type="button" data-testid="call-open-card" onClick=${() => go('/customers/' + enc(c.id))}>${t('open_card')}</button>`
            : html`<p data-testid="call-unknown">${t('unknown_caller', { n: number || '?' })}</p>
                <button type="button" data-testid="call-create" onClick=${() => go('/customers/new?phone=' + enc(number || ''))}>${t('create_customer')}</button>`}
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
    return html`<div class="callpops" aria-live="assertive" data-testid="call-popups">
        ${calls.map((c) => html`<${Pop} key=${c.call_id} call=${c} onClose=${() => setCalls((cs) => cs.filter((x) => x.call_id !== c.call_id))} />`)}
    </div>`;
}
