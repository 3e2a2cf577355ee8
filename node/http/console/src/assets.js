// assets.js - the desk's reference records: assets (list with filters, one asset's page, moves
// and edits), vendors (list, page) and the major-incident rules (whom to notify for which
// category and site). Everyone with a desk role reads them; the forms show for the roles the
// permission table lets write (the node decides anyway).
import { useState } from 'preact/hooks';
import { t, fmtTime } from './i18n.js';
import { html, useApp, useFetch, ErrorLine } from './common.js';
import { request } from './api.js';
import { usePaged, NewRecord, EditRecord } from './forms.js';
import { ASSET_STATUSES, enc, AssetStatus } from './customer_card.js';

function assetFields(create) {
    const st = { k: 'status', label: t('status'), options: create ? [''].concat(ASSET_STATUSES) : ASSET_STATUSES, labels: (x) => t('as_' + x) };
    return [
        ...(create ? [{ k: 'id', label: t('asset_tag'), required: true }] : []),
        { k: 'kind', label: t('asset_kind'), required: create }, { k: 'model', label: t('model') },
        { k: 'serial', label: t('serial') }, { k: 'owner', label: t('owner_id') }, { k: 'site', label: t('site') },
        st, { k: 'warranty_end', label: t('warranty_end_date') }, { k: 'notes', label: t('notes'), multi: true },
    ];
}

// A record's page header: back link, title, the facts (label, value) and its edit form.
function RecordPage({ back, backLabel, title, testid, path, facts, fields, canEdit }) {
    const [gen, setGen] = useState(0);
    const s = useFetch(() => request('GET', path), [path, gen]);
    const r = s.data;
    return html`<section data-testid=${testid} data-id=${r ? r.id : null}>
        <p><a href=${back}>← ${backLabel}</a></p>
        <h1>${title}</h1>
        <${ErrorLine} error=${s.error} />
        ${r ? html`<dl class="facts">${facts(r).map(([k, v, id]) => html`<dt>${k}</dt><dd data-testid=${id || null}>${v === undefined || v === null || v === '' ? '—' : v}</dd>`)}</dl>
            ${canEdit ? html`<h2>${t('edit')}</h2>
                <${EditRecord} path=${path} fields=${fields} testid=${'edit-' + testid} onSaved=${() => setGen((x) => x + 1)} />` : null}` : null}
    </section>`;
}

// A list page: the records (`list`, usePaged) as a table of columns [label, record → cell], the
// first linking to the record's page; "load more"; the new record's form for those who may write.
function ListPage({ testid, title, help, list, base, columns, empty, filters, create }) {
    return html`<section data-testid=${testid + 's'}>
        <h1>${title}</h1>
        ${help ? html`<p class="help">${help}</p>` : null}
        ${filters || null}
        <${ErrorLine} error=${list.error} />
        ${list.items.length ? html`<table class="admin" data-testid=${testid + '-list'}><thead><tr>
            ${columns.map(([label]) => html`<th scope="col">${label}</th>`)}</tr></thead>
            <tbody>${list.items.map((r) => html`<tr data-testid=${testid + '-row'} data-id=${r.id}>
                <td><a href=${base + enc(r.id)} data-testid=${testid + '-link'}>${r.id}</a></td>
                ${columns.slice(1).map(([, cell]) => html`<td>${cell(r) || '—'}</td>`)}</tr>`)}</tbody></table>`
            : html`<p class="empty" data-testid=${testid + '-list-empty'}>${empty}</p>`}
        ${list.next ? html`<button type="button" class="secondary" data-testid="load-more" onClick=${list.more}>${t('load_more')}</button>` : null}
        ${create ? html`<h2>${create.label}</h2>
            <${NewRecord} path=${create.path} fields=${create.fields} testid=${create.testid} submitLabel=${create.label} onCreated=${list.reload} />` : null}
    </section>`;
}

function AssetList({ params, canWrite }) {
    const [f, setF] = useState({ owner: params.get('owner') || '', site: '', status: '', kind: '' });
    const list = usePaged('/assets', Object.assign({ limit: 100 }, f));
    const filter = (k, label, options) => html`<label for=${'af-' + k}>${label}</label>${options
        ? html`<select id=${'af-' + k} value=${f[k]} onChange=${(e) => setF(Object.assign({}, f, { [k]: e.target.value }))}>
              ${[''].concat(options).map((o) => html`<option value=${o}>${o ? t('as_' + o) : t('any')}</option>`)}</select>`
        : html`<input id=${'af-' + k} size="14" value=${f[k]} onChange=${(e) => setF(Object.assign({}, f, { [k]: e.target.value.trim() }))} />`}`;
    return html`<${ListPage} testid="asset" title=${t('nav_assets')} list=${list} base="#/assets/" empty=${t('no_assets')}
        filters=${html`<form class="filters" onSubmit=${(e) => e.preventDefault()}>
            ${filter('owner', t('owner_id'))}${filter('site', t('site'))}${filter('kind', t('asset_kind'))}
            ${filter('status', t('status'), ASSET_STATUSES)}</form>`}
        columns=${[[t('asset_tag')], [t('asset_kind'), (a) => a.kind], [t('model'), (a) => a.model], [t('serial'), (a) => a.serial],
            [t('status'), (a) => html`<${AssetStatus} status=${a.status} />`], [t('warranty_end'), (a) => a.warranty_end],
            [t('owner'), (a) => a.owner && html`<a href=${'#/customers/' + enc(a.owner)}>${a.owner}</a>`], [t('site'), (a) => a.site]]}
        create=${canWrite && { label: t('new_asset'), path: '/assets', fields: assetFields(true), testid: 'na' }} />`;
}

export function Assets({ id, params }) {
    const app = useApp();
    const canWrite = app.roles.agent || app.roles.admin;
    if (!id) return html`<${AssetList} params=${params} canWrite=${canWrite} />`;
    return html`<${RecordPage} back="#/assets" backLabel=${t('nav_assets')} title=${t('asset_n', { id })} testid="asset"
        path=${'/assets/' + enc(id)} fields=${assetFields(false)} canEdit=${canWrite}
        facts=${(a) => [
            [t('asset_kind'), a.kind, 'asset-kind'], [t('model'), a.model, 'asset-model'], [t('serial'), a.serial],
            [t('status'), html`<${AssetStatus} status=${a.status} />`],
            [t('owner'), a.owner ? html`<a href=${'#/customers/' + enc(a.owner)} data-testid="asset-owner">${a.owner}</a>` : null],
            [t('site'), a.site], [t('warranty_end'), a.warranty_end], [t('notes'), a.notes],
            [t('updated'), fmtTime(a.updated_at, app.zone)]]} />`;
}

function vendorFields(create) {
    return [
        ...(create ? [{ k: 'id', label: t('vendor_name'), required: true }] : []),
        { k: 'display_name', label: t('display_name') }, { k: 'escalation_phone', label: t('escalation_phone') },
        { k: 'escalation_email', label: t('escalation_email') }, { k: 'contacts', label: t('vendor_contacts'), multi: true },
        { k: 'terms', label: t('vendor_terms'), multi: true }, { k: 'notes', label: t('notes'), multi: true },
    ];
}

function VendorList({ canWrite }) {
    const list = usePaged('/vendors', { limit: 100 });
    return html`<${ListPage} testid="vendor" title=${t('nav_vendors')} list=${list} base="#/vendors/" empty=${t('no_vendors')}
        columns=${[[t('vendor_name')], [t('display_name'), (v) => v.display_name], [t('escalation_phone'), (v) => v.escalation_phone],
            [t('escalation_email'), (v) => v.escalation_email]]}
        create=${canWrite && { label: t('new_vendor'), path: '/vendors', fields: vendorFields(true), testid: 'nv' }} />`;
}

export function Vendors({ id }) {
    const app = useApp();
    const canWrite = app.roles.manager || app.roles.admin;
    if (!id) return html`<${VendorList} canWrite=${canWrite} />`;
    return html`<${RecordPage} back="#/vendors" backLabel=${t('nav_vendors')} title=${t('vendor_n', { id })} testid="vendor"
        path=${'/vendors/' + enc(id)} fields=${vendorFields(false)} canEdit=${canWrite}
        facts=${(v) => [
            [t('display_name'), v.display_name, 'vendor-display'], [t('escalation_phone'), v.escalation_phone],
            [t('escalation_email'), v.escalation_email], [t('vendor_contacts'), v.contacts], [t('vendor_terms'), v.terms],
            [t('notes'), v.notes], [t('updated'), fmtTime(v.updated_at, app.zone)]]} />`;
}

function majorFields(create) {
    return [
        ...(create ? [{ k: 'id', label: t('rule_name'), required: true }] : []),
        { k: 'category', label: t('rule_category') }, { k: 'site', label: t('rule_site') },
        { k: 'service', label: t('service') }, { k: 'notify', label: t('notify_csv'), required: create },
        { k: 'note', label: t('note'), multi: true },
    ];
}

function MajorList({ canWrite }) {
    const list = usePaged('/majors', { limit: 200 });
    return html`<${ListPage} testid="major" title=${t('nav_majors')} help=${t('majors_help')} list=${list} base="#/majors/"
        empty=${t('no_rules')}
        columns=${[[t('rule_name')], [t('rule_category'), (r) => r.category || '*'], [t('rule_site'), (r) => r.site || '*'],
            [t('service'), (r) => r.service], [t('notify'), (r) => r.notify]]}
        create=${canWrite && { label: t('new_rule'), path: '/majors', fields: majorFields(true), testid: 'nm' }} />`;
}

// The major-incident contact list (重大情况联系表): rules, and a form for managers and admins.
export function Majors({ id }) {
    const app = useApp();
    const canWrite = app.roles.manager || app.roles.admin;
    if (!id) return html`<${MajorList} canWrite=${canWrite} />`;
    return html`<${RecordPage} back="#/majors" backLabel=${t('nav_majors')} title=${t('rule_n', { id })} testid="major"
        path=${'/majors/' + enc(id)} fields=${majorFields(false)} canEdit=${canWrite}
        facts=${(r) => [[t('rule_category'), r.category], [t('rule_site'), r.site], [t('service'), r.service],
            [t('notify'), r.notify, 'major-notify'], [t('note'), r.note]]} />`;
}
