// customer_card.js - the caller's card as the agent sees it: the customer's profile (VIP badge),
// what they own, their open and last closed tickets and their last contacts. useCard(id) loads
// it (customer.lookup by id) and keeps it live; the pop-up and the ticket card reuse the parts.
import { useEffect, useState } from 'preact/hooks';
import { request } from './api.js';
import { onEvent } from './sse.js';
import { t, fmtTime } from './i18n.js';
import { html, useApp, StatusBadge } from './common.js';

export const CHANNELS = ['call', 'email', 'chat', 'walk_in', 'portal'];
export const ASSET_STATUSES = ['in_use', 'in_stock', 'repair', 'retired'];

// "a, b ,c" → ['a', 'b', 'c']: the comma-separated lists of customer and ticket records.
export function csv(s) {
    return String(s || '').split(',').map((x) => x.trim()).filter(Boolean);
}

export const enc = encodeURIComponent;

export function VipBadge({ vip, testid = 'vip-badge' }) {
    return vip ? html`<span class="badge vip" data-testid=${testid} title=${t('vip_help')}>${t('vip')}</span>` : null;
}

export function AssetStatus({ status }) {
    return status ? html`<span class=${'badge as-' + status}>${t('as_' + status)}</span>` : '—';
}

// The customer's profile: every field of the record, "—" for the ones not set.
export function CustomerProfile({ c }) {
    const dash = (x) => (x === undefined || x === null || x === '' ? '—' : x);
    const list = (s, kind) => (csv(s).length
        ? csv(s).map((x, i) => html`${i ? ', ' : ''}<a href=${(kind === 'tel' ? 'tel:' : 'mailto:') + x}>${x}</a>`)
        : '—');
    return html`<dl class="facts" data-testid="customer-profile" data-id=${c.id}>
        <dt>${t('cust_name')}</dt><dd data-testid="cust-name">${c.name} <${VipBadge} vip=${c.vip} /></dd>
        <dt>${t('cust_id')}</dt><dd data-testid="cust-id">${c.id}</dd>
        <dt>${t('organisation')}</dt><dd data-testid="cust-org">${dash(c.organisation)}</dd>
        <dt>${t('department')}</dt><dd data-testid="cust-dept">${dash(c.department)}</dd>
        <dt>${t('emails')}</dt><dd data-testid="cust-emails">${list(c.emails, 'mail')}</dd>
        <dt>${t('phones')}</dt><dd data-testid="cust-phones">${list(c.phones, 'tel')}</dd>
        <dt>${t('language')}</dt><dd>${dash(c.language)}</dd>
        <dt>${t('time_zone')}</dt><dd>${dash(c.time_zone)}</dd>
        <dt>${t('home_site')}</dt><dd data-testid="cust-site">${dash(c.home_site)}</dd>
        <dt>${t('linked_user')}</dt><dd>${dash(c.user)}</dd>
        ${c.merged_into ? html`<dt>${t('merged_into')}</dt><dd data-testid="cust-merged">
            <a href=${'#/customers/' + enc(c.merged_into)}>${c.merged_into}</a></dd>` : null}
    </dl>
    ${c.notes ? html`<p class="desc" data-testid="cust-notes"><strong>${t('notes')}:</strong> ${c.notes}</p>` : null}`;
}

export function AssetTable({ items, testid = 'cust-assets' }) {
    if (!items || !items.length) return html`<p class="empty" data-testid=${testid + '-empty'}>${t('no_assets')}</p>`;
    return html`<table class="admin" data-testid=${testid}><thead><tr>
        <th scope="col">${t('asset_tag')}</th><th scope="col">${t('asset_kind')}</th><th scope="col">${t('model')}</th>
        <th scope="col">${t('serial')}</th><th scope="col">${t('status')}</th><th scope="col">${t('warranty_end')}</th></tr></thead>
        <tbody>${items.map((a) => html`<tr data-testid="asset-row" data-id=${a.id}>
            <td><a href=${'#/assets/' + enc(a.id)} data-testid="asset-link">${a.id}</a></td><td>${a.kind || '—'}</td>
            <td>${a.model || '—'}</td><td>${a.serial || '—'}</td><td><${AssetStatus} status=${a.status} /></td>
            <td>${a.warranty_end || '—'}</td>
        </tr>`)}</tbody></table>`;
}

// The card's ticket summaries ({id, title, status, priority, assignee, owner_site, ...}).
export function CardTickets({ items, testid, past }) {
    const { zone } = useApp();
    if (!items || !items.length) return html`<p class="empty" data-testid=${testid + '-empty'}>${t('queue_empty')}</p>`;
    return html`<table class="admin" data-testid=${testid}><thead><tr>
        <th scope="col">${t('col_id')}</th><th scope="col">${t('col_title')}</th><th scope="col">${t('col_status')}</th>
        <th scope="col">${t('col_priority')}</th><th scope="col">${t('col_assignee')}</th>
        <th scope="col">${past ? t('done_at') : t('opened_at')}</th></tr></thead>
        <tbody>${items.map((tk) => html`<tr data-testid="card-ticket" data-id=${tk.id}>
            <td><a href=${'#/tickets/' + enc(tk.id)} data-testid="ticket-link">${tk.id}</a></td><td>${tk.title}</td>
            <td><${StatusBadge} status=${tk.status} /></td><td><span class=${'prio ' + tk.priority}>${tk.priority}</span></td>
            <td>${tk.assignee || '—'}</td>
            <td>${fmtTime(past ? tk.closed_at || tk.resolved_at || tk.updated_at : tk.created_at, zone)}</td>
        </tr>`)}</tbody></table>`;
}

export function ContactList({ items, testid = 'cust-contacts' }) {
    const { zone } = useApp();
    if (!items || !items.length) return html`<p class="empty" data-testid=${testid + '-empty'}>${t('no_contacts')}</p>`;
    return html`<ol class="contacts" data-testid=${testid}>${items.map((c) => html`<li data-testid="contact-row" data-id=${c.id}
            data-channel=${c.channel}>
        <span class="meta">${fmtTime(c.at || c.created_at, zone)} · ${t('ch_' + c.channel)} · ${t('dir_' + (c.direction || 'in'))}
            ${c.outcome ? ' · ' + c.outcome : ''}${c.agent ? ' · ' + c.agent : ''}${c.from ? ' · ' + c.from : ''}</span>
        ${c.ticket ? html` · <a href=${'#/tickets/' + enc(c.ticket)}>${c.ticket}</a>` : null}
        ${c.summary ? html`<div class="body">${c.summary}</div>` : null}
    </li>`)}</ol>`;
}

// useCard(id) → {card, error, reload}: customer.lookup by id (GET /customers/ID/card); its assets and contacts come from
// the asset and contact lists when the card carries none (a node whose lookup does not fill
// them). Refetched when a ticket, customer, asset or contact changes, and after a reconnect.
export function useCard(id) {
    const [s, setS] = useState({ card: null, error: null });
    const load = async () => {
        try {
            const card = await request('GET', '/customers/' + enc(id) + '/card');
            const cid = card.customer.id;
            if (!card.assets || !card.assets.length)
                card.assets = (await request('GET', '/assets', { query: { owner: cid, limit: 100 } }).catch(() => ({}))).items || [];
            if (!card.contacts || !card.contacts.length)
                card.contacts = (await request('GET', '/contacts', { query: { customer: cid, limit: 20 } }).catch(() => ({}))).items || [];
            setS({ card, error: null });
        } catch (e) {
            setS({ card: null, error: e });
        }
    };
    useEffect(() => {
        setS({ card: null, error: null });
        load();
        let timer = null;
        const off = onEvent((k) => {
            if (!['ticket', 'customer', 'asset', 'contact', 'reconnect'].includes(k)) return;
            clearTimeout(timer);
            timer = setTimeout(load, 200);
        });
        return () => {
            off();
            clearTimeout(timer);
        };
    }, [id]);
    return Object.assign({}, s, { reload: load });
}
