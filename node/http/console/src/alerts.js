// alerts.js - the monitoring alerts for agents (#/alerts, proto/ALERTS.md; GET /alerts): each
// alert's state, source, title, severity, when it last fired and resolved, how many triggers
// opened or reopened its ticket, and the ticket as a link; filtered by state and source
// (#/alerts?state=firing&source=prom-sha). Its description, labels and link open below the
// title. The newest change first among the loaded pages; live by the stream's `alert` events.
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n.js';
import { html, useApp, navigate, ErrorLine, Time } from './common.js';
import { usePaged } from './forms.js';

export const en = {
    nav_alerts: 'Alerts',
    al_title: 'Monitoring alerts',
    al_help: 'Alerts the monitoring systems posted. A firing alert opens a ticket; its recovery resolves it unless someone replied.',
    al_state: 'State',
    al_all: 'All',
    al_source: 'Source',
    al_filter: 'Filter',
    al_none: 'No alerts.',
    al_alert: 'Alert',
    al_severity: 'Severity',
    al_fired: 'Fired',
    al_resolved: 'Resolved',
    al_fires: 'Fires',
    al_fires_help: 'Triggers that opened or reopened its ticket',
    al_ticket: 'Ticket',
    al_details: 'Details',
    al_labels: 'Labels',
    al_link: 'Link',
    al_loaded: '{n} loaded.',
    al_firing: 'firing',
    al_acknowledged: 'acknowledged',
    al_resolved_state: 'resolved',
};
export const zh = {
    nav_alerts: '告警',
    al_title: '监控告警',
    al_help: '监控系统发来的告警。告警触发时创建工单；恢复时若无人回复则解决该工单。',
    al_state: '状态',
    al_all: '全部',
    al_source: '来源',
    al_filter: '筛选',
    al_none: '没有告警。',
    al_alert: '告警',
    al_severity: '严重程度',
    al_fired: '触发时间',
    al_resolved: '恢复时间',
    al_fires: '触发次数',
    al_fires_help: '创建或重新打开其工单的触发次数',
    al_ticket: '工单',
    al_details: '详情',
    al_labels: '标签',
    al_link: '链接',
    al_loaded: '已加载 {n} 条。',
    al_firing: '告警中',
    al_acknowledged: '已确认',
    al_resolved_state: '已恢复',
};

const STATES = ['firing', 'acknowledged', 'resolved'];
const stateLabel = (s) => t(s === 'resolved' ? 'al_resolved_state' : 'al_' + s);

function route(state, source) {
    const q = new URLSearchParams();
    if (state) q.set('state', state);
    if (source) q.set('source', source);
    const s = q.toString();
    return '/alerts' + (s ? '?' + s : '');
}

function Row({ a, zone }) {
    return html`<tr data-testid="alert-row" data-id=${a.id} data-state=${a.state}>
        <td data-label=${t('al_state')}><span class=${'badge al-' + a.state} data-testid="alert-state">${stateLabel(a.state)}</span></td>
        <td data-label=${t('al_source')}>${a.source}</td>
        <td data-label=${t('al_alert')}><span data-testid="alert-title">${a.title || a.key}</span>
            ${a.description || a.labels || a.url ? html`<details><summary class="muted">${t('al_details')}</summary>
                ${a.description ? html`<pre class="al-text">${a.description}</pre>` : null}
                ${a.labels ? html`<div class="muted">${t('al_labels')}</div><pre class="al-text">${a.labels}</pre>` : null}
                ${a.url ? html`<div>${t('al_link')}: <a href=${a.url} rel="noopener noreferrer" target="_blank">${a.url}</a></div>` : null}
            </details>` : null}</td>
        <td data-label=${t('al_severity')}>${a.severity ? html`<span class=${'badge alsev-' + a.severity}>${a.severity}</span>` : '—'}</td>
        <td data-label=${t('al_fired')}>${a.fired_at ? html`<${Time} ms=${a.fired_at} zone=${zone} />` : '—'}</td>
        <td data-label=${t('al_resolved')}>${a.state === 'resolved' && a.resolved_at ? html`<${Time} ms=${a.resolved_at} zone=${zone} />` : '—'}</td>
        <td data-label=${t('al_fires')} data-testid="alert-fires">${a.fires || 0}</td>
        <td data-label=${t('al_ticket')}>${a.ticket
            ? html`<a href=${'#/tickets/' + a.ticket} data-testid="alert-ticket">${a.ticket}</a>` : '—'}</td>
    </tr>`;
}

export function Alerts({ state: asked, source }) {
    const { zone } = useApp();
    const state = STATES.includes(asked) ? asked : '';
    const [typed, setTyped] = useState(source || '');
    useEffect(() => setTyped(source || ''), [source]); // a link or Back changed the filter
    const list = usePaged('/alerts', { state, source: source || '', limit: 100 }, ['alert']);
    // The newest change first among what is loaded (the node pages in id order).
    const items = list.items.filter((a) => (!state || a.state === state) && (!source || a.source === source))
        .sort((x, y) => (y.updated_at || 0) - (x.updated_at || 0));
    return html`<section data-testid="alerts">
        <h1>${t('al_title')}</h1>
        <p class="more">${t('al_help')}</p>
        <form class="buttons" onSubmit=${(e) => { e.preventDefault(); navigate(route(state, typed.trim())); }}>
            <label for="alert-state">${t('al_state')}</label>
            <select id="alert-state" data-testid="alert-state-filter" value=${state}
                onChange=${(e) => navigate(route(e.target.value, source))}>
                <option value="">${t('al_all')}</option>
                ${STATES.map((s) => html`<option value=${s}>${stateLabel(s)}</option>`)}
            </select>
            <label for="alert-source">${t('al_source')}</label>
            <input id="alert-source" data-testid="alert-source" value=${typed} onInput=${(e) => setTyped(e.target.value)} />
            <button type="submit" data-testid="alert-filter">${t('al_filter')}</button>
            <button type="button" data-testid="alert-refresh" onClick=${list.reload}>${t('refresh')}</button>
        </form>
        <${ErrorLine} error=${list.error} />
        ${list.loading && !items.length ? html`<p>${t('loading')}</p>` : null}
        ${!list.loading && !list.error && !items.length ? html`<p class="empty" data-testid="alerts-none">${t('al_none')}</p>` : null}
        ${items.length ? html`<table class="tickets alerts" data-testid="alerts-table"><thead><tr>
            <th scope="col">${t('al_state')}</th><th scope="col">${t('al_source')}</th>
            <th scope="col">${t('al_alert')}</th><th scope="col">${t('al_severity')}</th>
            <th scope="col">${t('al_fired')}</th><th scope="col">${t('al_resolved')}</th>
            <th scope="col" title=${t('al_fires_help')}>${t('al_fires')}</th><th scope="col">${t('al_ticket')}</th></tr></thead>
            <tbody>${items.map((a) => html`<${Row} key=${a.id} a=${a} zone=${zone} />`)}</tbody></table>
        <p class="more" data-testid="list-more">${t('al_loaded', { n: items.length })}
            ${list.next ? html` <button type="button" onClick=${list.more} data-testid="load-more">${t('load_more')}</button>` : null}</p>` : null}
    </section>`;
}
