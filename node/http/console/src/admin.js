// admin.js - the admin's pages: users (new, roles, disable/enable, password; one user's page in
// admin_edit.js), teams, API tokens (the secret shown once) and the audit trail; all via /api/v1.
import { useEffect, useState } from 'preact/hooks';
import { api, request } from './api.js';
import { onEvent } from './sse.js';
import { t, fmtTime } from './i18n.js';
import { html, useApp, ErrorLine, Input, Select } from './common.js';
import { ROLES, rolesText, UserSteps, UserPage, TeamPage } from './admin_edit.js';

// usePaged(path, query) → {items, next, error, more(), reload()}: a GET list with next_cursor.
function usePaged(path, query) {
    const key = JSON.stringify(query);
    const [s, setS] = useState({ items: [], next: null, error: null });
    const load = async (cursor, prev) => {
        try {
            const r = await request('GET', path, { query: Object.assign({}, query, cursor ? { cursor } : {}) });
            setS({ items: prev.concat(r.items || []), next: r.next_cursor || null, error: null });
        } catch (e) {
            setS((x) => Object.assign({}, x, { error: e }));
        }
    };
    useEffect(() => {
        load(null, []);
        return onEvent((k) => k !== 'ticket' && load(null, []));
    }, [path, key]);
    return Object.assign({}, s, { more: () => load(s.next, s.items), reload: () => load(null, []) });
}

function NewUser({ onDone }) {
    const [v, setV] = useState({ id: '', display_name: '', role: 'requester', sites: '', language: '', time_zone: '', teams: '', password: '' });
    const [error, setError] = useState(null);
    const set = (k) => (x) => setV(Object.assign({}, v, { [k]: x }));
    const submit = async (e) => {
        e.preventDefault();
        try {
            const body = { id: v.id.trim(), display_name: v.display_name.trim(), role: v.role };
            for (const k of ['sites', 'language', 'time_zone', 'teams']) if (v[k].trim()) body[k] = v[k].trim();
            await api.newUser(body);
            if (v.password) await api.userAction(body.id, 'password', { password: v.password });
            setError(null);
            setV(Object.assign({}, v, { id: '', display_name: '', password: '' }));
            onDone();
        } catch (err) {
            setError(err);
        }
    };
    return html`<form class="step-form" data-testid="form-new-user" onSubmit=${submit}>
        <${Input} id="nu-id" label=${t('login')} value=${v.id} onInput=${set('id')} required=${true} />
        <${Input} id="nu-name" label=${t('display_name')} value=${v.display_name} onInput=${set('display_name')} required=${true} />
        <${Select} id="nu-role" label=${t('role')} value=${v.role} onChange=${set('role')} options=${ROLES} />
        <${Input} id="nu-sites" label=${t('sites')} value=${v.sites} onInput=${set('sites')} />
        <${Input} id="nu-language" label=${t('language')} value=${v.language} onInput=${set('language')} />
        <${Input} id="nu-zone" label=${t('time_zone')} value=${v.time_zone} onInput=${set('time_zone')} />
        <${Input} id="nu-teams" label=${t('team')} value=${v.teams} onInput=${set('teams')} />
        <${Input} id="nu-password" type="password" label=${t('password')} value=${v.password} onInput=${set('password')} />
        <button type="submit" data-testid="nu-submit">${t('add_user')}</button>
        <${ErrorLine} error=${error} />
    </form>`;
}

// One user's row: roles (with their sites), state, and the admin's steps on it.
function UserRow({ u, onError, onDone }) {
    return html`<tr data-testid="user-row" data-id=${u.id} class=${u.active ? '' : 'inactive'}>
        <th scope="row"><a href=${'#/admin/users/' + encodeURIComponent(u.id)} data-testid="user-open">${u.id}</a></th>
        <td>${u.display_name}</td>
        <td data-testid="user-roles">${rolesText(u)}</td><td>${u.home_site}</td>
        <td>${u.active ? t('yes') : t('no')}</td>
        <td><${UserSteps} u=${u} onDone=${onDone} onError=${onError} /></td>
    </tr>`;
}

function Users() {
    const list = usePaged('/users', { limit: 100 });
    const [error, setError] = useState(null);
    return html`<section data-testid="admin-users">
        <h2>${t('users')}</h2>
        <${NewUser} onDone=${list.reload} />
        <${ErrorLine} error=${error || list.error} />
        <table class="admin"><thead><tr>
            <th scope="col">${t('login')}</th><th scope="col">${t('display_name')}</th><th scope="col">${t('role')}</th>
            <th scope="col">${t('site')}</th><th scope="col">${t('active')}</th><th scope="col">${t('actions')}</th>
        </tr></thead>
        <tbody>${list.items.map((u) => html`<${UserRow} key=${u.id} u=${u} onError=${setError}
            onDone=${() => { setError(null); list.reload(); }} />`)}</tbody></table>
        ${list.next ? html`<button type="button" onClick=${list.more}>${t('load_more')}</button>` : null}
    </section>`;
}

function Teams() {
    const app = useApp();
    const list = usePaged('/teams', { limit: 100 });
    const [v, setV] = useState({ id: '', display_name: '', site: app.whoami.site, manager: '' });
    const [error, setError] = useState(null);
    const set = (k) => (x) => setV(Object.assign({}, v, { [k]: x }));
    const submit = async (e) => {
        e.preventDefault();
        try {
            const body = { id: v.id.trim() };
            for (const k of ['display_name', 'site', 'manager']) if (v[k].trim()) body[k] = v[k].trim();
            await request('POST', '/teams', { body });
            setError(null);
            list.reload();
        } catch (err) {
            setError(err);
        }
    };
    return html`<section data-testid="admin-teams">
        <h2>${t('teams')}</h2>
        <form class="step-form" onSubmit=${submit}>
            <${Input} id="nt-id" label=${t('team')} value=${v.id} onInput=${set('id')} required=${true} />
            <${Input} id="nt-name" label=${t('display_name')} value=${v.display_name} onInput=${set('display_name')} />
            <${Input} id="nt-site" label=${t('site')} value=${v.site} onInput=${set('site')} />
            <${Input} id="nt-manager" label=${t('manager')} value=${v.manager} onInput=${set('manager')} />
            <button type="submit" data-testid="nt-submit">${t('add_team')}</button>
        </form>
        <${ErrorLine} error=${error || list.error} />
        <ul>${list.items.map((tm) => html`<li data-testid="team-row" data-id=${tm.id}>
            <a href=${'#/admin/teams/' + encodeURIComponent(tm.id)} data-testid="team-open"><strong>${tm.id}</strong></a> ${tm.display_name || ''} · ${tm.site} · ${tm.tier}${tm.manager ? ' · ' + tm.manager : ''}</li>`)}</ul>
    </section>`;
}

function Tokens() {
    const app = useApp();
    const list = usePaged('/tokens', { limit: 100 });
    const [v, setV] = useState({ user: '', name: '', days: '' });
    const [secret, setSecret] = useState(null); // the new token's secret: shown once
    const [error, setError] = useState(null);
    const set = (k) => (x) => setV(Object.assign({}, v, { [k]: x }));
    const submit = async (e) => {
        e.preventDefault();
        try {
            const body = {};
            if (v.user.trim()) body.user = v.user.trim();
            if (v.name.trim()) body.name = v.name.trim();
            if (v.days) body.days = Number(v.days);
            const r = await request('POST', '/tokens', { body });
            setSecret(r.token);
            setError(null);
            list.reload();
        } catch (err) {
            setError(err);
        }
    };
    const revoke = (id) => request('POST', '/tokens/' + encodeURIComponent(id) + '/actions/revoke', { body: {} })
        .then(list.reload, setError);
    return html`<section data-testid="admin-tokens">
        <h2>${t('tokens')}</h2>
        <form class="step-form" onSubmit=${submit}>
            <${Input} id="tk-user" label=${t('login')} value=${v.user} onInput=${set('user')} />
            <${Input} id="tk-name" label=${t('token_name')} value=${v.name} onInput=${set('name')} />
            <${Input} id="tk-days" type="number" label=${t('token_days')} value=${v.days} onInput=${set('days')} />
            <button type="submit" data-testid="tk-submit">${t('new_token')}</button>
        </form>
        ${secret ? html`<p class="notice" role="status" data-testid="token-secret">${t('token_once')} <code>${secret}</code></p>` : null}
        <${ErrorLine} error=${error || list.error} />
        <ul>${list.items.map((tk) => html`<li data-testid="token-row" data-id=${tk.id}>
            <strong>${tk.id}</strong> · ${tk.user} · ${tk.name || ''} · ${tk.expires_at ? fmtTime(tk.expires_at, app.zone) : '∞'}
            ${tk.revoked_at ? html` · <em>${t('revoked')} ${fmtTime(tk.revoked_at, app.zone)}</em>`
                : html` <button type="button" class="secondary" data-testid="token-revoke" onClick=${() => revoke(tk.id)}>${t('revoke')}</button>`}
        </li>`)}</ul>
    </section>`;
}

function Audit() {
    const app = useApp();
    const [f, setF] = useState({ user: '', ticket: '' });
    const [r, setR] = useState(null);
    const [error, setError] = useState(null);
    useEffect(() => {
        request('GET', '/audit', { query: Object.assign({ limit: 200 }, f) }).then((x) => { setR(x); setError(null); }, setError);
    }, [f.user, f.ticket]);
    return html`<section data-testid="admin-audit">
        <h2>${t('audit')}</h2>
        <form class="filters" onSubmit=${(e) => e.preventDefault()}>
            <label for="au-user">${t('login')}</label>
            <input id="au-user" value=${f.user} onChange=${(e) => setF(Object.assign({}, f, { user: e.target.value.trim() }))} />
            <label for="au-ticket">${t('col_id')}</label>
            <input id="au-ticket" value=${f.ticket} onChange=${(e) => setF(Object.assign({}, f, { ticket: e.target.value.trim() }))} />
        </form>
        <${ErrorLine} error=${error} />
        ${r ? html`<table class="admin" data-testid="audit-table"><thead><tr>
            <th scope="col">${t('at')}</th><th scope="col">${t('site')}</th><th scope="col">${t('by')}</th>
            <th scope="col">${t('audit_op')}</th><th scope="col">${t('audit_record')}</th>
            <th scope="col">${t('audit_outcome')}</th><th scope="col">${t('reason')}</th></tr></thead><tbody>${[...r.items].reverse().map((a) => html`<tr data-testid="audit-row" class=${a.outcome === 'ok' ? '' : 'bad'}>
            <td>${fmtTime(a.at, app.zone)}</td><td>${a.site}</td><td>${a.user}</td><td>${a.op}</td><td>${a.record}</td>
            <td>${a.outcome}${a.count > 1 ? ' ×' + a.count : ''}</td><td>${a.reason}</td></tr>`)}</tbody></table>
            ${r.more ? html`<p class="more">${t('audit_more')}</p>` : null}` : null}
    </section>`;
}

// tab: users, teams, tokens, audit; id: one user's or team's page (#/admin/users/LOGIN).
export function Admin({ tab, id }) {
    const tabs = ['users', 'teams', 'tokens', 'audit'];
    const cur = tabs.includes(tab) ? tab : 'users';
    return html`<section data-testid="admin">
        <h1>${t('nav_admin')}</h1>
        <nav aria-label=${t('nav_admin')} class="tabs"><ul>${tabs.map((x) => html`<li>
            <a href=${'#/admin/' + x} aria-current=${x === cur ? 'page' : null} data-testid=${'admin-tab-' + x}>${t(x)}</a></li>`)}</ul></nav>
        ${id && cur === 'users' ? html`<${UserPage} key=${id} login=${id} />`
            : id && cur === 'teams' ? html`<${TeamPage} key=${id} name=${id} />`
            : cur === 'users' ? html`<${Users} />` : cur === 'teams' ? html`<${Teams} />` : cur === 'tokens' ? html`<${Tokens} />` : html`<${Audit} />`}
    </section>`;
}
