// hub_queue.js - the hub manager's global queue (filters site, assignee, priority, SLA; counts
// of the loaded open tickets per site and priority; honest paging) and the breaches / at-risk
// board across sites.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { onEvent } from './sse.js';
import { t } from './i18n.js';
import { html, useApp, useTicketList, TicketTable, MoreLine, ErrorLine } from './common.js';

const HUB_COLS = ['id', 'title', 'status', 'priority', 'site', 'assignee', 'sla', 'resolve_due'];

// Counts of what is loaded (not of the whole desk): the footer says when more exist.
function Counts({ items }) {
    const bySite = {};
    const byPrio = {};
    for (const tk of items) {
        bySite[tk.owner_site] = (bySite[tk.owner_site] || 0) + 1;
        byPrio[tk.priority] = (byPrio[tk.priority] || 0) + 1;
    }
    const table = (label, counts, testid) => html`<table class="counts" data-testid=${testid}>
        <caption>${label}</caption>
        <tbody>${Object.keys(counts).sort().map((k) => html`<tr data-testid=${testid + '-row'} data-key=${k}>
            <th scope="row">${k}</th><td data-testid=${testid + '-' + k}>${counts[k]}</td></tr>`)}</tbody>
    </table>`;
    return html`<section class="counts-box" aria-label=${t('counts')}>
        <h2>${t('counts')}</h2>
        <div class="row">
            ${table(t('per_site'), bySite, 'count-site')}
            ${table(t('per_priority'), byPrio, 'count-priority')}
        </div>
    </section>`;
}

// The whole desk's open tickets per site, priority and SLA state (ticket.counts), live; not
// shown by a node without the route.
function DeskCounts() {
    const [c, setC] = useState(null);
    useEffect(() => {
        let timer = null;
        const load = () => api.counts(true).then(setC, () => setC(null));
        load();
        const off = onEvent((k) => {
            if (k !== 'ticket' && k !== 'reconnect') return;
            clearTimeout(timer);
            timer = setTimeout(load, 150);
        });
        return () => {
            off();
            clearTimeout(timer);
        };
    }, []);
    if (!c) return null;
    const row = (label, counts, testid, name = (k) => k || '—') => html`<tr><th scope="row">${label}</th><td>
        ${Object.keys(counts).sort().map((k) => html`<span class="pill" data-testid=${testid + '-' + (k || 'none')}
            data-count=${counts[k]}>${name(k)}: <strong>${counts[k]}</strong></span>`)}</td></tr>`;
    return html`<section class="desk-counts" data-testid="desk-counts" aria-labelledby="h-desk-counts">
        <h2 id="h-desk-counts">${t('desk_counts', { n: c.tickets })}</h2>
        <table><tbody>
            ${row(t('per_site'), c.by_site || {}, 'desk-count-site')}
            ${row(t('per_priority'), c.by_priority || {}, 'desk-count-priority')}
            ${row(t('sla_state'), c.by_sla || {}, 'desk-count-sla', (k) => t('sla_' + k))}
        </tbody></table>
    </section>`;
}

export function HubQueue({ limit }) {
    const app = useApp();
    const [f, setF] = useState({ site: '', assignee: '', priority: '', sla: '' });
    const set = (k) => (e) => setF(Object.assign({}, f, { [k]: e.target.value }));
    const size = Math.min(Math.max(Number(limit) || 100, 1), 1000); // the API's 1..1000
    const list = useTicketList(Object.assign({ open: true, limit: size }, f));
    const sites = app.sites.map((s) => s.site);
    return html`<section data-testid="hub-queue">
        <h1>${t('nav_hub')}</h1>
        <form class="filters" aria-label=${t('filters')} onSubmit=${(e) => e.preventDefault()}>
            <label for="f-site">${t('site')}</label>
            <input id="f-site" list="f-sites" data-testid="filter-site" value=${f.site} onInput=${set('site')} />
            <datalist id="f-sites">${sites.map((s) => html`<option value=${s} />`)}</datalist>
            <label for="f-assignee">${t('assignee')}</label>
            <input id="f-assignee" data-testid="filter-assignee" value=${f.assignee} onChange=${set('assignee')} />
            <label for="f-priority">${t('priority')}</label>
            <select id="f-priority" data-testid="filter-priority" value=${f.priority} onChange=${set('priority')}>
                <option value="">${t('any')}</option>
                ${['P1', 'P2', 'P3', 'P4'].map((p) => html`<option value=${p}>${p}</option>`)}
            </select>
            <label for="f-sla">${t('sla_state')}</label>
            <select id="f-sla" data-testid="filter-sla" value=${f.sla} onChange=${set('sla')}>
                <option value="">${t('any')}</option>
                <option value="ok">${t('sla_ok')}</option>
                <option value="at_risk">${t('sla_at_risk')}</option>
                <option value="breached">${t('sla_breached')}</option>
            </select>
        </form>
        <${DeskCounts} />
        <${ErrorLine} error=${list.error} />
        <${Counts} items=${list.items} />
        <${TicketTable} items=${list.items} columns=${HUB_COLS} testid="hub-table" />
        <${MoreLine} list=${list} />
    </section>`;
}

function SlaList({ sla, title, keys }) {
    const list = useTicketList({ open: true, sla, limit: 100 });
    return html`<section data-testid=${'sla-' + sla}>
        <h2>${title} (${list.items.length}${list.next ? '+' : ''})</h2>
        <${ErrorLine} error=${list.error} />
        <${TicketTable} items=${list.items} columns=${HUB_COLS} testid=${'sla-table-' + sla} keys=${keys} />
        <${MoreLine} list=${list} />
    </section>`;
}

export function SlaBoard() {
    return html`<section data-testid="sla-board">
        <h1>${t('nav_sla')}</h1>
        <${SlaList} sla="breached" title=${t('breached')} />
        <${SlaList} sla="at_risk" title=${t('at_risk')} keys=${false} />
    </section>`;
}
