// admin_edit.js - the admin's page of one user (profile, Unix account, roles with sites,
// disable/enable, password) and of one team; profile edits carry If-Match, so a change made
// meanwhile by someone else is refused (412) and shown, never overwritten.
import { useEffect, useState } from 'preact/hooks';
import { api, request } from './api.js';
import { t } from './i18n.js';
import { html, ErrorLine, Input, Select, useFetch } from './common.js';

export const ROLES = ['requester', 'agent', 'manager', 'admin'];
const TIERS = ['L1', 'L1.5', 'L2', 'L3', 'vendor'];

// "agent (APAC,EMEA), admin": the roles held, each with the sites it is limited to.
export function rolesText(u) {
    return (u.roles || []).map((r) => (u[r + '_sites'] ? `${r} (${u[r + '_sites']})` : r)).join(', ') || '—';
}

// EditRecord: the record at `path` as it was when the form opened ({data, etag}); saving sends
// only the fields changed since then (a merge patch; emptied: null, which clears) with If-Match.
// fields: [{k, label, options?}] (options: a select).
function EditRecord({ path, fields, testid, onSaved }) {
    const [base, setBase] = useState(null);
    const [v, setV] = useState({});
    const [error, setError] = useState(null);
    const [note, setNote] = useState(null); // 'saved' | 'nothing_changed'
    const open = () =>
        api.versioned(path).then((r) => {
            setBase(r);
            setV(Object.fromEntries(fields.map((f) => [f.k, r.data[f.k] ?? ''])));
            setError(null);
            setNote(null);
        }, setError);
    useEffect(() => {
        open();
    }, [path]);
    if (!base) return html`<${ErrorLine} error=${error} />`;
    const submit = async (e) => {
        e.preventDefault();
        const patch = {};
        for (const f of fields) {
            const now = String(v[f.k]).trim();
            if (now !== String(base.data[f.k] ?? '')) patch[f.k] = now === '' ? null : now;
        }
        setNote(null);
        if (!Object.keys(patch).length) return setNote('nothing_changed');
        try {
            const r = await api.patch(path, patch, base.etag);
            setBase(r);
            setError(null);
            setNote('saved');
            if (onSaved) onSaved(r.data);
        } catch (err) {
            setError(err);
        }
    };
    const id = (k) => testid + '-' + k;
    return html`<form class="step-form" data-testid=${testid} onSubmit=${submit}>
        ${fields.map((f) => (f.options
            ? html`<${Select} id=${id(f.k)} label=${f.label} value=${v[f.k]} options=${f.options}
                  onChange=${(x) => setV(Object.assign({}, v, { [f.k]: x }))} />`
            : html`<${Input} id=${id(f.k)} label=${f.label} value=${v[f.k]}
                  onInput=${(x) => setV(Object.assign({}, v, { [f.k]: x }))} />`))}
        <button type="submit" data-testid=${testid + '-save'}>${t('save')}</button>
        ${error && error.status === 412
            ? html`<p class="error" role="alert" data-testid="edit-conflict">${t('edit_conflict')}
                  <button type="button" class="secondary" data-testid="edit-reload" onClick=${open}>${t('reload')}</button></p>`
            : html`<${ErrorLine} error=${error} />`}
        ${note ? html`<p class="notice" role="status" data-testid="edit-note">${t(note)}</p>` : null}
    </form>`;
}

// The admin's steps on a user: grant (with sites) / revoke a role, disable (reason) / enable,
// set the password. Used in each row of the users list and on the user's page.
export function UserSteps({ u, onDone, onError }) {
    const [step, setStep] = useState('grant');
    const [arg, setArg] = useState('agent');
    const [sites, setSites] = useState('');
    const isRole = step === 'grant' || step === 'revoke';
    const go = async (e) => {
        e.preventDefault();
        const body = isRole ? { role: arg } : step === 'password' ? { password: arg }
            : step === 'disable' ? { reason: arg } : {};
        // Empty keeps the role's site limit as it was; "*" lifts it ("" to the node: every site).
        if (step === 'grant' && sites.trim()) body.sites = sites.trim() === '*' ? '' : sites.trim();
        try {
            await api.userAction(u.id, step, body);
            onDone();
        } catch (err) {
            onError(err);
        }
    };
    const argField = isRole
        ? html`<select aria-label=${t('role')} data-testid="user-step-role" value=${arg} onChange=${(e) => setArg(e.target.value)}>
              ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}</select>`
        : step === 'enable' ? null
        : html`<input aria-label=${step === 'password' ? t('password') : t('reason')} data-testid="user-step-arg"
              type=${step === 'password' ? 'password' : 'text'} value=${arg} onInput=${(e) => setArg(e.target.value)} />`;
    return html`<form class="inline" onSubmit=${go}>
        <select aria-label=${t('actions')} data-testid="user-step" value=${step}
            onChange=${(e) => { setStep(e.target.value); setArg(e.target.value === 'grant' || e.target.value === 'revoke' ? 'agent' : ''); }}>
            ${['grant', 'revoke', 'disable', 'enable', 'password'].map((s) => html`<option value=${s}>${t('user_' + s)}</option>`)}
        </select>
        ${argField}
        ${step === 'grant' ? html`<input aria-label=${t('grant_sites')} title=${t('grant_sites')} placeholder=${t('grant_sites_short')} size="32"
            data-testid="user-step-sites" value=${sites} onInput=${(e) => setSites(e.target.value)} />` : null}
        <button type="submit" data-testid="user-step-submit">${t('submit')}</button>
    </form>`;
}

// Link (or, with an empty name, unlink) the Unix account whose processes act as this user.
function LinkUnix({ u, onDone, onError }) {
    const [name, setName] = useState(u.unix || '');
    const link = (unix) =>
        api.userAction(u.id, 'link', { unix }).then(onDone, onError);
    return html`<form class="step-form" data-testid="form-link" onSubmit=${(e) => { e.preventDefault(); link(name.trim()); }}>
        <${Input} id="lk-unix" label=${t('unix_account')} value=${name} onInput=${setName} required=${true} />
        <button type="submit" data-testid="link-submit">${t('link_unix')}</button>
        ${u.unix ? html`<button type="button" class="secondary" data-testid="unlink-submit"
            onClick=${() => { setName(''); link(''); }}>${t('unlink_unix')}</button>` : null}
    </form>`;
}

export function UserPage({ login }) {
    const path = '/users/' + encodeURIComponent(login);
    // A step or link changes the user's version: the profile form reopens on the new one (gen);
    // a profile save only refreshes the facts above it (seen), keeping the form and its note.
    const [gen, setGen] = useState(0);
    const [seen, setSeen] = useState(0);
    const s = useFetch(() => request('GET', path), [path, gen, seen]);
    const [error, setError] = useState(null);
    const done = () => { setError(null); setGen((x) => x + 1); };
    const u = s.data;
    const fields = [
        { k: 'display_name', label: t('display_name') }, { k: 'email', label: t('email') },
        { k: 'phone', label: t('phone') }, { k: 'language', label: t('language') },
        { k: 'time_zone', label: t('time_zone') }, { k: 'home_site', label: t('home_site') },
        { k: 'teams', label: t('teams_csv') }, { k: 'tier', label: t('tier'), options: TIERS },
    ];
    return html`<section data-testid="admin-user" data-id=${login}>
        <p><a href="#/admin/users" data-testid="back-users">${t('back')}: ${t('users')}</a></p>
        <h2>${t('edit_user', { id: login })}</h2>
        <${ErrorLine} error=${error || s.error} />
        ${u ? html`<dl class="facts">
            <dt>${t('display_name')}</dt><dd data-testid="user-name">${u.display_name}</dd>
            <dt>${t('role')}</dt><dd data-testid="user-roles">${rolesText(u)}</dd>
            <dt>${t('active')}</dt><dd data-testid="user-active">${u.active ? t('yes') : t('no')}${!u.active && u.disabled_reason ? ' · ' + u.disabled_reason : ''}</dd>
            <dt>${t('unix_account')}</dt><dd data-testid="user-unix">${u.unix || '—'}</dd>
        </dl>
        <h3>${t('profile')}</h3>
        <${EditRecord} key=${gen} path=${path} fields=${fields} testid="edit-user" onSaved=${() => setSeen((x) => x + 1)} />
        <h3>${t('unix_account')}</h3>
        <${LinkUnix} key=${'l' + (u.unix || '')} u=${u} onDone=${done} onError=${setError} />
        <h3>${t('actions')}</h3>
        <div class="step-form"><${UserSteps} u=${u} onDone=${done} onError=${setError} /></div>` : null}
    </section>`;
}

export function TeamPage({ name }) {
    const fields = [
        { k: 'display_name', label: t('display_name') }, { k: 'site', label: t('site') },
        { k: 'tier', label: t('tier'), options: TIERS }, { k: 'manager', label: t('manager') },
    ];
    return html`<section data-testid="admin-team" data-id=${name}>
        <p><a href="#/admin/teams" data-testid="back-teams">${t('back')}: ${t('teams')}</a></p>
        <h2>${t('edit_team', { id: name })}</h2>
        <${EditRecord} path=${'/teams/' + encodeURIComponent(name)} fields=${fields} testid="edit-team" />
    </section>`;
}
