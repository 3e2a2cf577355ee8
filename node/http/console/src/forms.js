// forms.js - record forms shared by the admin and desk pages: a paged list (usePaged), a new
// record's form (NewRecord) and the If-Match edit form (EditRecord), over one field list.
import { useEffect, useState } from 'preact/hooks';
import { api, request } from './api.js';
import { onEvent } from './sse.js';
import { t } from './i18n.js';
import { html, ErrorLine, Input, Select } from './common.js';

const QUIET = ['ticket', 'call', 'message', 'alert']; // kinds a record list does not refetch on by default

// usePaged(path, query, kinds) → {items, next, error, more(), reload()}: a GET list with
// next_cursor, fetched again on any change of a kind in `kinds` (default: the kinds other than
// tickets and the channels' messages and alerts) and after a reconnect.

export function usePaged(path, query, kinds) {
    const key = JSON.stringify(query);
    const [s, setS] = useState({ items: [], next: null, error: null, loading: true });
    const load = async (cursor, prev) => {
        try {
            const r = await request('GET', path, { query: Object.assign({}, query, cursor ? { cursor } : {}) });
            setS({ items: prev.concat(r.items || []), next: r.next_cursor || null, error: null, loading: false });
        } catch (e) {
            setS((x) => Object.assign({}, x, { error: e, loading: false }));
        }
    };
    useEffect(() => {
        load(null, []);
        const mine = (k) => (kinds ? kinds.includes(k) || k === 'reconnect' : !QUIET.includes(k));
        return onEvent((k) => mine(k) && load(null, []));
    }, [path, key]);
    return Object.assign({}, s, { more: () => load(s.next, s.items), reload: () => load(null, []) });
}

// One labelled field of a record form. f: {k, label, options?, bool?, multi?, required?, type?}.
function RecordField({ f, id, value, onChange }) {
    if (f.options)
        return html`<${Select} id=${id} label=${f.label} value=${value} options=${f.options} labels=${f.labels} onChange=${onChange} />`;
    if (f.bool)
        return html`<div class="field check"><label for=${id}>
            <input id=${id} type="checkbox" data-testid=${id} checked=${!!value} onChange=${(e) => onChange(e.target.checked)} />
            ${f.label}</label></div>`;
    if (f.multi)
        return html`<div class="field wide"><label for=${id}>${f.label}</label>
            <textarea id=${id} data-testid=${id} value=${value} onInput=${(e) => onChange(e.target.value)}></textarea></div>`;
    return html`<${Input} id=${id} label=${f.label} value=${value} type=${f.type || 'text'} required=${!!f.required}
        onInput=${onChange} />`;
}

const blank = (f) => (f.bool ? false : '');
const valueOf = (f, rec) => (f.bool ? !!rec[f.k] : rec[f.k] ?? '');

// NewRecord: POST path with the fields given (empty text fields are left out, so the node's
// defaults hold); `initial` fills fields (a caller's phone), `extra` is sent as well, headers()
// adds request headers (a fresh Idempotency-Key); onCreated(record) after a 201.
export function NewRecord({ path, fields, testid, submitLabel, initial, extra, headers, onCreated }) {
    const start = () => Object.assign(Object.fromEntries(fields.map((f) => [f.k, blank(f)])), initial || {});
    const [v, setV] = useState(start);
    const [error, setError] = useState(null);
    const submit = async (e) => {
        e.preventDefault();
        const body = Object.assign({}, extra || {});
        for (const f of fields) {
            if (f.bool) {
                if (v[f.k]) body[f.k] = true;
            } else if (String(v[f.k]).trim() !== '') body[f.k] = f.type === 'number' || f.num ? Number(v[f.k]) : String(v[f.k]).trim();
        }
        try {
            const rec = await request('POST', path, { body, headers: headers ? headers() : {} });
            setError(null);
            setV(start());
            if (onCreated) onCreated(rec);
        } catch (err) {
            setError(err);
        }
    };
    return html`<form class="step-form" data-testid=${testid} onSubmit=${submit}>
        ${fields.map((f) => html`<${RecordField} f=${f} id=${testid + '-' + f.k} value=${v[f.k]}
            onChange=${(x) => setV(Object.assign({}, v, { [f.k]: x }))} />`)}
        <button type="submit" data-testid=${testid + '-submit'}>${submitLabel || t('create')}</button>
        <${ErrorLine} error=${error} />
    </form>`;
}

// EditRecord: the record at `path` as it was when the form opened ({data, etag}); saving sends
// only the fields changed since then (a merge patch; an emptied text: null, which clears) with
// If-Match, so a change made meanwhile by someone else is refused (412) and shown, never lost.
export function EditRecord({ path, fields, testid, onSaved }) {
    const [base, setBase] = useState(null);
    const [v, setV] = useState({});
    const [error, setError] = useState(null);
    const [note, setNote] = useState(null); // 'saved' | 'nothing_changed'
    const open = () =>
        api.versioned(path).then((r) => {
            setBase(r);
            setV(Object.fromEntries(fields.map((f) => [f.k, valueOf(f, r.data)])));
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
            if (f.bool) {
                if (!!v[f.k] !== !!base.data[f.k]) patch[f.k] = !!v[f.k];
                continue;
            }
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
    return html`<form class="step-form" data-testid=${testid} onSubmit=${submit}>
        ${fields.map((f) => html`<${RecordField} f=${f} id=${testid + '-' + f.k} value=${v[f.k]}
            onChange=${(x) => setV(Object.assign({}, v, { [f.k]: x }))} />`)}
        <button type="submit" data-testid=${testid + '-save'}>${t('save')}</button>
        ${error && error.status === 412
            ? html`<p class="error" role="alert" data-testid="edit-conflict">${t('edit_conflict')}
                  <button type="button" class="secondary" data-testid="edit-reload" onClick=${open}>${t('reload')}</button></p>`
            : html`<${ErrorLine} error=${error} />`}
        ${note ? html`<p class="notice" role="status" data-testid="edit-note">${t(note)}</p>` : null}
    </form>`;
}
