// customers.js - the agent's Customers page: search by phone, e-mail or name, the customer card
// (profile, assets, open and past tickets, contacts) with "new ticket for this customer" and
// "record contact", and the customer's create, edit (If-Match) and merge forms.
import { useState } from 'preact/hooks';
import { api, request, idempotencyKey } from './api.js';
import { t } from './i18n.js';
import { html, navigate, ErrorLine } from './common.js';
import { usePaged, NewRecord, EditRecord } from './forms.js';
import { CHANNELS, enc, csv, VipBadge, CustomerProfile, AssetTable, CardTickets, ContactList, useCard } from './customer_card.js';

// The customer record's fields as the create and edit forms show them.
export function customerFields() {
    return [
        { k: 'name', label: t('cust_name'), required: true },
        { k: 'organisation', label: t('organisation') }, { k: 'department', label: t('department') },
        { k: 'emails', label: t('emails_csv') }, { k: 'phones', label: t('phones_csv') },
        { k: 'vip', label: t('vip'), bool: true },
        { k: 'language', label: t('language') }, { k: 'time_zone', label: t('time_zone') },
        { k: 'home_site', label: t('home_site') }, { k: 'user', label: t('linked_user') },
        { k: 'notes', label: t('notes'), multi: true },
    ];
}

// What a search text is: an address has an @, a number is digits and phone punctuation (with
// an extension), anything else is the start of a name.
export function searchKind(q) {
    if (q.includes('@')) return 'email';
    if (/^[\d\s()+\-./#,;xXextEXT]+$/.test(q) && (q.match(/\d/g) || []).length >= 3) return 'phone';
    return 'name';
}

function Search() {
    const [q, setQ] = useState('');
    const [by, setBy] = useState('auto');
    const [res, setRes] = useState(null); // {kind, q, items?} after a search
    const [error, setError] = useState(null);
    const [f, setF] = useState({ site: '', organisation: '', vip: false }); // the list's filters
    const all = usePaged('/customers', { limit: 50, site: f.site, organisation: f.organisation, vip: f.vip || undefined });
    const setFilter = (k) => (e) => setF(Object.assign({}, f, { [k]: k === 'vip' ? e.target.checked : e.target.value.trim() }));
    const submit = async (e) => {
        e.preventDefault();
        const text = q.trim();
        if (!text) return;
        const kind = by === 'auto' ? searchKind(text) : by;
        setError(null);
        try {
            if (kind === 'name') {
                const r = await request('GET', '/customers/find', { query: { name: text, limit: 50 } });
                setRes({ kind, q: text, items: r.items || r.customers || [] });
                return;
            }
            const card = await request('GET', '/lookup', { query: { [kind]: text } });
            navigate('/customers/' + enc(card.customer.id));
        } catch (err) {
            if (err.status === 404) setRes({ kind, q: text, items: [] });
            else setError(err);
        }
    };
    const kinds = ['auto', 'phone', 'email', 'name'];
    return html`<section data-testid="customers">
        <h1>${t('nav_customers')}</h1>
        <form class="filters" role="search" data-testid="cust-search-form" onSubmit=${submit}>
            <label for="cs-q">${t('cust_search')}</label>
            <input id="cs-q" data-testid="cust-search" size="32" value=${q} onInput=${(e) => setQ(e.target.value)}
                placeholder="+86 21 5555 0101 · wang@example.com · Wang" />
            <label for="cs-by">${t('search_by')}</label>
            <select id="cs-by" data-testid="cust-search-by" value=${by} onChange=${(e) => setBy(e.target.value)}>
                ${kinds.map((k) => html`<option value=${k}>${t('by_' + k)}</option>`)}</select>
            <button type="submit" data-testid="cust-search-submit">${t('search')}</button>
            <a class="button secondary" href="#/customers/new" data-testid="cust-new">${t('new_customer')}</a>
        </form>
        <${ErrorLine} error=${error} />
        ${res ? html`<section aria-live="polite" data-testid="cust-results" data-kind=${res.kind}>
            <h2>${t('results_for', { q: res.q })}</h2>
            ${res.items.length ? html`<${CustomerTable} items=${res.items} />`
                : html`<p data-testid="cust-none">${t('no_customer_found')}
                    ${res.kind !== 'name' ? html` <a href=${'#/customers/new?' + res.kind + '=' + enc(res.q)} data-testid="cust-create-from">${t('create_customer')}</a>` : null}</p>`}
        </section>` : null}
        <h2>${t('all_customers')}</h2>
        <form class="filters" data-testid="cust-filters" onSubmit=${(e) => e.preventDefault()}>
            <label for="cf-site">${t('home_site')}</label><input id="cf-site" size="8" value=${f.site} onChange=${setFilter('site')} />
            <label for="cf-org">${t('organisation')}</label><input id="cf-org" size="16" value=${f.organisation} onChange=${setFilter('organisation')} />
            <label for="cf-vip"><input id="cf-vip" type="checkbox" data-testid="cust-filter-vip" checked=${f.vip} onChange=${setFilter('vip')} /> ${t('vip_only')}</label>
        </form>
        <${ErrorLine} error=${all.error} />
        <${CustomerTable} items=${all.items} testid="cust-list" />
        ${all.next ? html`<button type="button" class="secondary" data-testid="load-more" onClick=${all.more}>${t('load_more')}</button>` : null}
    </section>`;
}

function CustomerTable({ items, testid = 'cust-found' }) {
    if (!items.length) return html`<p class="empty" data-testid=${testid + '-empty'}>${t('no_customers')}</p>`;
    return html`<table class="admin" data-testid=${testid}><thead><tr>
        <th scope="col">${t('cust_id')}</th><th scope="col">${t('cust_name')}</th><th scope="col">${t('organisation')}</th>
        <th scope="col">${t('phones')}</th><th scope="col">${t('emails')}</th><th scope="col">${t('home_site')}</th></tr></thead>
        <tbody>${items.map((c) => html`<tr data-testid="cust-row" data-id=${c.id}>
            <td><a href=${'#/customers/' + enc(c.id)} data-testid="cust-open">${c.id}</a></td>
            <td>${c.name} <${VipBadge} vip=${c.vip} /></td><td>${c.organisation || '—'}</td>
            <td>${csv(c.phones).join(', ') || '—'}</td><td>${csv(c.emails).join(', ') || '—'}</td><td>${c.home_site || '—'}</td>
        </tr>`)}</tbody></table>`;
}

// #/customers/new?phone=...[&contact=ID]: the create form, the caller's number (or address)
// filled in; the unknown caller's contact (the pop-up's) is then linked to the new customer.
function NewCustomer({ params }) {
    const [error, setError] = useState(null);
    const initial = {};
    if (params.get('phone')) initial.phones = params.get('phone');
    if (params.get('email')) initial.emails = params.get('email');
    const contact = params.get('contact');
    const created = async (c) => {
        try {
            if (contact) await api.patch('/contacts/' + enc(contact), { customer: c.id });
            navigate('/customers/' + enc(c.id));
        } catch (err) {
            setError(err); // the customer exists; only the call's link failed: say so here
        }
    };
    return html`<section data-testid="customer-new">
        <p><a href="#/customers">${t('back')}: ${t('nav_customers')}</a></p>
        <h1>${t('new_customer')}</h1>
        ${contact ? html`<p class="help" data-testid="nc-contact">${t('link_contact', { id: contact })}</p>` : null}
        <${ErrorLine} error=${error} />
        <${NewRecord} path="/customers" fields=${customerFields()} testid="nc" initial=${initial}
            submitLabel=${t('create_customer')} onCreated=${created} />
    </section>`;
}

function ticketFields() {
    const lvl = ['', '1', '2', '3'];
    return [
        { k: 'title', label: t('title'), required: true }, { k: 'category', label: t('category') },
        { k: 'impact', label: t('impact'), options: lvl, num: true }, { k: 'urgency', label: t('urgency'), options: lvl, num: true },
        { k: 'assets', label: t('assets_csv') }, { k: 'description', label: t('description'), multi: true },
    ];
}

function contactFields() {
    return [
        { k: 'channel', label: t('channel'), options: CHANNELS, labels: (x) => t('ch_' + x) },
        { k: 'direction', label: t('direction'), options: ['in', 'out'], labels: (x) => t('dir_' + x) },
        { k: 'ticket', label: t('contact_ticket') }, { k: 'summary', label: t('summary'), multi: true },
    ];
}

// Merge this customer (the duplicate) into another: both ids stay readable, the card follows.
function MergeForm({ id, onError }) {
    const [into, setInto] = useState('');
    const submit = async (e) => {
        e.preventDefault();
        if (!into.trim() || !window.confirm(t('merge_confirm', { a: id, b: into.trim() }))) return;
        try {
            const c = await request('POST', '/customers/' + enc(id) + '/actions/merge', { body: { into: into.trim() } });
            navigate('/customers/' + enc((c && c.merged_into) || into.trim()));
        } catch (err) {
            onError(err);
        }
    };
    return html`<form class="step-form" data-testid="form-merge" onSubmit=${submit}>
        <div class="field"><label for="mg-into">${t('merge_into_id')}</label>
            <input id="mg-into" data-testid="merge-into" required value=${into} onInput=${(e) => setInto(e.target.value)} /></div>
        <button type="submit" data-testid="merge-submit">${t('merge')}</button>
        <p class="help">${t('merge_help')}</p>
    </form>`;
}

function CustomerPage({ id }) {
    const { card, error, reload } = useCard(id);
    const [open, setOpen] = useState(null); // ticket | contact | edit | merge
    const [err, setErr] = useState(null);
    const [notice, setNotice] = useState(null);
    if (!card) return html`<section data-testid="customer-card-loading"><${ErrorLine} error=${error} />${error ? null : html`<p>${t('loading')}</p>`}</section>`;
    const c = card.customer;
    const toggle = (k) => html`<button type="button" class=${k === 'ticket' || k === 'contact' ? '' : 'secondary'}
        data-testid=${'cust-action-' + k} aria-expanded=${String(open === k)} onClick=${() => setOpen(open === k ? null : k)}>${t('cust_act_' + k)}</button>`;
    return html`<article class="customer" data-testid="customer-card" data-id=${c.id}>
        <p><a href="#/customers" data-testid="back-customers">← ${t('nav_customers')}</a></p>
        <h1><span data-testid="card-name">${c.name}</span> <${VipBadge} vip=${c.vip} />
            ${c.organisation ? html` · <span class="muted">${c.organisation}</span>` : null}</h1>
        ${c.id !== id ? html`<p class="notice" data-testid="merged-note">${t('merged_note', { a: id, b: c.id })}</p>` : null}
        <${ErrorLine} error=${err} />
        ${notice ? html`<p class="notice" role="status" data-testid="notice">${notice}</p>` : null}
        <div class="buttons">${toggle('ticket')}${toggle('contact')}${toggle('edit')}${toggle('merge')}</div>
        ${open === 'ticket' ? html`<${NewRecord} path="/tickets" fields=${ticketFields()} testid="ct" extra=${{ customer: c.id }}
            headers=${() => ({ 'Idempotency-Key': idempotencyKey() })} submitLabel=${t('cust_act_ticket')}
            onCreated=${(tk) => navigate('/tickets/' + enc(tk.id))} />` : null}
        ${open === 'contact' ? html`<${NewRecord} path="/contacts" fields=${contactFields()} testid="cc" extra=${{ customer: c.id }}
            initial=${{ channel: 'call', direction: 'in' }} submitLabel=${t('cust_act_contact')}
            onCreated=${() => { setOpen(null); setNotice(t('contact_recorded')); reload(); }} />` : null}
        ${open === 'edit' ? html`<${EditRecord} path=${'/customers/' + enc(c.id)} fields=${customerFields()} testid="edit-customer"
            onSaved=${reload} />` : null}
        ${open === 'merge' ? html`<${MergeForm} id=${c.id} onError=${setErr} />` : null}
        <section aria-labelledby="h-profile"><h2 id="h-profile">${t('profile')}</h2><${CustomerProfile} c=${c} /></section>
        <section aria-labelledby="h-assets"><h2 id="h-assets">${t('nav_assets')} (${card.assets.length})</h2>
            <${AssetTable} items=${card.assets} /></section>
        <section aria-labelledby="h-open"><h2 id="h-open">${t('open_tickets')} (${(card.open_tickets || []).length})</h2>
            <${CardTickets} items=${card.open_tickets} testid="cust-open-tickets" /></section>
        <section aria-labelledby="h-past"><h2 id="h-past">${t('past_tickets')}</h2>
            <${CardTickets} items=${card.past_tickets} testid="cust-past-tickets" past=${true} /></section>
        <section aria-labelledby="h-contacts"><h2 id="h-contacts">${t('last_contacts')}</h2>
            <${ContactList} items=${card.contacts} /></section>
    </article>`;
}

// sub: undefined (search), "new", or a customer id; params: the route's query.
export function Customers({ sub, params }) {
    if (!sub) return html`<${Search} />`;
    if (sub === 'new') return html`<${NewCustomer} params=${params} />`;
    return html`<${CustomerPage} key=${sub} id=${sub} />`;
}
