// bulletins.js - bulletins (布告栏): the banner at the top of the console and portal with the
// current ones (GET /bulletins?current=true; severity by colour and a word; each dismissible for
// this browser session), and #/bulletins: every bulletin for the desk with, for managers and
// admins, the new and edit forms (times in the user's zone) and withdraw; requesters read the
// current ones.
import { useEffect, useState } from 'preact/hooks';
import { api, request } from './api.js';
import { onEvent } from './sse.js';
import { t, fmtTime } from './i18n.js';
import { html, useApp, useFetch, navigate, ErrorLine } from './common.js';
import { usePaged } from './forms.js';
import { enc } from './customer_card.js';

export const SEVERITIES = ['outage', 'maintenance', 'info'];
const DISMISSED = 'sd_bulletins_dismissed'; // sessionStorage: the banners closed in this session

// The severity as a word on its colour (never the colour alone).
export function SeverityBadge({ severity }) {
    return html`<span class=${'badge sev sev-' + severity} data-testid="bl-severity">${t('sev_' + severity)}</span>`;
}

const dismissKey = (b) => b.id + '@' + (b.updated_at || b.version || '');

function readDismissed() {
    try {
        return JSON.parse(sessionStorage.getItem(DISMISSED) || '[]');
    } catch (e) {
        return [];
    }
}

// useCurrentBulletins() → the current bulletins, fetched again on every change of a bulletin or
// a ticket (an outage closes with its major incident), on each page change and each minute
// (validity windows; and a requester's stream says nothing of a bulletin withdrawn: it just
// left their view).
function useCurrentBulletins() {
    const [items, setItems] = useState([]);
    useEffect(() => {
        let alive = true;
        let timer = null;
        const load = () => request('GET', '/bulletins', { query: { current: 'true' } })
            .then((r) => alive && setItems((r && (r.items || r.bulletins)) || []), () => {});
        load();
        const off = onEvent((k) => {
            if (k !== 'bulletin' && k !== 'ticket' && k !== 'reconnect') return;
            clearTimeout(timer);
            timer = setTimeout(load, 200);
        });
        const every = setInterval(load, 60000);
        window.addEventListener('hashchange', load);
        return () => {
            alive = false;
            window.removeEventListener('hashchange', load);
            off();
            clearTimeout(timer);
            clearInterval(every);
        };
    }, []);
    return items;
}

export function BulletinBanner() {
    const { zone } = useApp();
    const items = useCurrentBulletins();
    const [dismissed, setDismissed] = useState(readDismissed);
    const shown = items.filter((b) => !dismissed.includes(dismissKey(b)));
    if (!shown.length) return null;
    const dismiss = (b) => {
        const next = dismissed.concat(dismissKey(b));
        sessionStorage.setItem(DISMISSED, JSON.stringify(next));
        setDismissed(next);
    };
    return html`<section class="bulletins" aria-label=${t('nav_bulletins')} data-testid="bulletin-banner">
        ${shown.map((b) => html`<div class=${'bulletin sev-' + b.severity} role=${b.severity === 'outage' ? 'alert' : 'status'}
                data-testid="bulletin" data-id=${b.id} data-severity=${b.severity}>
            <${SeverityBadge} severity=${b.severity} />
            <strong class="bl-title" data-testid="bulletin-title">${b.title}</strong>
            ${b.body ? html`<span class="bl-body">${b.body}</span>` : null}
            ${b.valid_until ? html`<span class="muted bl-until">${t('bl_until', { t: fmtTime(b.valid_until, zone) })}</span>` : null}
            <button type="button" class="bl-close secondary" data-testid="bulletin-dismiss"
                aria-label=${t('bl_dismiss', { title: b.title })} onClick=${() => dismiss(b)}>×</button>
        </div>`)}
    </section>`;
}

const partsCache = new Map();
function zoneParts(ms, zone) {
    let f = partsCache.get(zone);
    if (!f) {
        f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
            hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
        partsCache.set(zone, f);
    }
    return Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
}

// ms → "2026-03-02T15:30" as a datetime-local input shows it in `zone`; '' for none.
export function toInput(ms, zone) {
    if (!ms) return '';
    const p = zoneParts(ms, zone || 'UTC');
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

// "2026-03-02T15:30" read as a wall time in `zone` → Unix ms; null for ''.
export function fromInput(s, zone) {
    const m = String(s || '').match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/);
    if (!m) return null;
    const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    const offset = (ms) => {
        const p = zoneParts(ms, zone || 'UTC');
        return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - Math.floor(ms / 60000) * 60000;
    };
    const first = wall - offset(wall);
    return wall - offset(first); // again at the instant itself: right across a DST change
}

const FIELDS = ['title', 'body', 'severity', 'sites', 'category', 'valid_from', 'valid_until', 'major'];

// The new and edit form: the edit sends only the fields changed (a merge patch, If-Match).
function BulletinForm({ id, onSaved }) {
    const app = useApp();
    const zone = app.zone;
    // A new bulletin is valid from now (the node's default) for a day unless told otherwise.
    const blank = { title: '', body: '', severity: 'outage', sites: '', category: '', valid_from: '',
        valid_until: toInput(Date.now() + 86400000, zone), major: '' };
    const [base, setBase] = useState(null); // {data, etag} of an edit
    const [v, setV] = useState(id ? null : blank);
    const [error, setError] = useState(null);
    const asForm = (b) => Object.assign({}, blank, Object.fromEntries(FIELDS.map((k) => [k, b[k] ?? ''])),
        { valid_from: toInput(b.valid_from, zone), valid_until: toInput(b.valid_until, zone) });
    useEffect(() => {
        if (!id) return;
        api.versioned('/bulletins/' + enc(id)).then((r) => {
            setBase(r);
            setV(asForm(r.data));
        }, setError);
    }, [id]);
    if (!v) return html`<${ErrorLine} error=${error} />`;
    const value = (k) => (k === 'valid_from' || k === 'valid_until' ? fromInput(v[k], zone) : String(v[k]).trim() || null);
    const submit = async (e) => {
        e.preventDefault();
        try {
            if (!id) {
                const body = {};
                for (const k of FIELDS) if (value(k) !== null) body[k] = value(k);
                onSaved(await request('POST', '/bulletins', { body }));
                setV(blank);
            } else {
                const was = asForm(base.data);
                const patch = {};
                for (const k of FIELDS) if (v[k] !== was[k]) patch[k] = value(k);
                if (Object.keys(patch).length) await api.patch('/bulletins/' + enc(id), patch, base.etag);
                onSaved(null);
            }
            setError(null);
        } catch (err) {
            setError(err);
        }
    };
    const set = (k) => (e) => setV(Object.assign({}, v, { [k]: e.target.value }));
    const input = (k, label, type = 'text', extra = {}) => html`<div class="field"><label for=${'bf-' + k}>${label}</label>
        <input id=${'bf-' + k} type=${type} data-testid=${'bf-' + k} value=${v[k]} onInput=${set(k)} ...${extra} /></div>`;
    return html`<form class="step-form" data-testid=${id ? 'bulletin-edit' : 'bulletin-new'} onSubmit=${submit}>
        ${input('title', t('title'), 'text', { required: true, maxlength: 200 })}
        <div class="field"><label for="bf-severity">${t('bl_severity')}</label>
            <select id="bf-severity" data-testid="bf-severity" value=${v.severity} onChange=${set('severity')}>
                ${SEVERITIES.map((s) => html`<option value=${s}>${t('sev_' + s)}</option>`)}</select></div>
        ${input('sites', t('bl_sites'))}${input('category', t('category'))}
        ${input('valid_from', t('bl_valid_from', { zone }), 'datetime-local')}
        ${input('valid_until', t('bl_valid_until', { zone }), 'datetime-local', { required: true })}
        ${input('major', t('bl_major'))}
        <div class="field wide"><label for="bf-body">${t('bl_body')}</label>
            <textarea id="bf-body" data-testid="bf-body" value=${v.body} onInput=${set('body')}></textarea></div>
        <button type="submit" data-testid=${id ? 'bf-save' : 'bf-create'}>${id ? t('save') : t('bl_new')}</button>
        ${error && error.status === 412 ? html`<p class="error" role="alert" data-testid="edit-conflict">${t('edit_conflict')}</p>`
            : html`<${ErrorLine} error=${error} />`}
    </form>`;
}

function BulletinTable({ items, manager, onWithdraw }) {
    const { zone, roles } = useApp();
    const desk = roles.agent; // the major incident's ticket card is the desk's
    if (!items.length) return html`<p class="empty" data-testid="bl-list-empty">${t('bl_none')}</p>`;
    return html`<table class="admin" data-testid="bl-list"><thead><tr>
        <th scope="col">${t('bl_severity')}</th><th scope="col">${t('title')}</th><th scope="col">${t('bl_sites_col')}</th>
        <th scope="col">${t('bl_valid_from', { zone })}</th><th scope="col">${t('bl_valid_until', { zone })}</th>
        <th scope="col">${t('bl_major')}</th><th scope="col">${t('status')}</th>${manager ? html`<th scope="col">${t('actions')}</th>` : null}</tr></thead>
        <tbody>${items.map((b) => html`<tr data-testid="bl-row" data-id=${b.id} data-state=${b.state}>
            <td><${SeverityBadge} severity=${b.severity} /></td>
            <td><strong>${b.title}</strong>${b.body ? html`<div class="muted">${b.body}</div>` : null}</td>
            <td>${b.sites || t('bl_all_sites')}</td><td>${fmtTime(b.valid_from, zone)}</td><td>${fmtTime(b.valid_until, zone)}</td>
            <td>${b.major ? (desk ? html`<a href=${'#/tickets/' + enc(b.major)}>${b.major}</a>` : b.major) : '—'}</td>
            <td data-testid="bl-state">${t('bl_state_' + (b.state || 'active'))}${b.current ? html`<br /><strong>${t('bl_shown_now')}</strong>` : null}</td>
            ${manager ? html`<td><div class="buttons">
                <a class="button secondary" href=${'#/bulletins/' + enc(b.id)} data-testid="bl-edit">${t('kb_edit')}</a>
                ${b.state !== 'withdrawn' ? html`<button type="button" class="danger" data-testid="bl-withdraw"
                    onClick=${() => onWithdraw(b)}>${t('bl_withdraw')}</button>` : null}</div></td>` : null}
        </tr>`)}</tbody></table>`;
}

export const canManageBulletins = (roles) => roles.manager || roles.admin;

function BulletinList() {
    const app = useApp();
    const manager = canManageBulletins(app.roles);
    const [current, setCurrent] = useState(!app.roles.agent && !manager); // requesters: only the current ones
    const list = usePaged('/bulletins', current ? { current: 'true', limit: 100 } : { limit: 100 });
    const [error, setError] = useState(null);
    const [notice, setNotice] = useState(null);
    const withdraw = async (b) => {
        if (!window.confirm(t('bl_withdraw_confirm', { title: b.title }))) return;
        try {
            await request('POST', '/bulletins/' + enc(b.id) + '/actions/withdraw', { body: {} });
            setError(null);
            setNotice(t('bl_withdrawn', { id: b.id }));
            list.reload();
        } catch (e) {
            setError(e);
        }
    };
    return html`<section data-testid="bulletins">
        <h1>${t('nav_bulletins')}</h1>
        ${app.roles.agent || manager ? html`<form class="filters" onSubmit=${(e) => e.preventDefault()}>
            <label for="bl-current"><input id="bl-current" type="checkbox" data-testid="bl-current" checked=${current}
                onChange=${(e) => setCurrent(e.target.checked)} /> ${t('bl_current_only')}</label></form>` : null}
        <${ErrorLine} error=${error || list.error} />
        ${notice ? html`<p class="notice" role="status" data-testid="notice">${notice}</p>` : null}
        <${BulletinTable} items=${list.items} manager=${manager} onWithdraw=${withdraw} />
        ${list.next ? html`<button type="button" class="secondary" data-testid="load-more" onClick=${list.more}>${t('load_more')}</button>` : null}
        ${manager ? html`<h2>${t('bl_new')}</h2>
            <${BulletinForm} onSaved=${(b) => { setNotice(t('bl_created', { id: b ? b.id : '' })); list.reload(); }} />` : null}
    </section>`;
}

function BulletinEdit({ id }) {
    const s = useFetch(() => request('GET', '/bulletins/' + enc(id)), [id]);
    return html`<section data-testid="bulletin-page" data-id=${id}>
        <p><a href="#/bulletins" data-testid="back-bulletins">← ${t('nav_bulletins')}</a></p>
        <h1>${s.data ? s.data.title : id}</h1>
        <${ErrorLine} error=${s.error} />
        <${BulletinForm} id=${id} onSaved=${() => navigate('/bulletins')} />
    </section>`;
}

export function Bulletins({ id }) {
    const app = useApp();
    if (id && canManageBulletins(app.roles)) return html`<${BulletinEdit} key=${id} id=${id} />`;
    return html`<${BulletinList} />`;
}
