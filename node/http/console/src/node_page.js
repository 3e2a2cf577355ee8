// node_page.js - the node's health for admins and managers: GET /api/v1/node (site, role,
// version, uptime, counters, store use, tickets by status, SLA breaches, restoring, HTTP URL)
// and the state digest (GET /api/v1/node/digest), fetched again on demand.
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { t, fmtTime, fmtDuration } from './i18n.js';
import { html, useApp, ErrorLine, useFetch } from './common.js';
import { Outbox } from './outbox.js';

const STATUSES = ['new', 'acknowledged', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled'];

const mib = (n) => (n / 1048576).toFixed(1) + ' MiB';
const pct = (a, b) => (b ? Math.round((100 * a) / b) : 0);

export function NodePage() {
    const { zone } = useApp();
    const [tick, setTick] = useState(0);
    const s = useFetch(async () => {
        const [status, digest] = await Promise.all([api.node(), api.digest()]);
        return { status, digest: digest.digest, at: Date.now() };
    }, [tick]);
    const n = s.data && s.data.status;
    // Statuses the node names beyond the known eight are shown too, after them.
    const statuses = n ? STATUSES.concat(Object.keys(n.tickets || {}).filter((k) => !STATUSES.includes(k))) : [];
    const repl = n && n.replication;
    return html`<section data-testid="node-page">
        <h1>${t('nav_node')}</h1>
        <div class="buttons">
            <button type="button" data-testid="node-refresh" onClick=${() => setTick((x) => x + 1)}>${t('refresh')}</button>
            ${s.data ? html`<span class="more" data-testid="node-at">${t('fetched_at', { t: fmtTime(s.data.at, zone) })}</span>` : null}
        </div>
        ${s.loading ? html`<p>${t('loading')}</p>` : null}
        <${ErrorLine} error=${s.error} />
        ${n ? html`<dl class="facts" data-testid="node-facts">
            <dt>${t('site')}</dt><dd data-testid="node-site">${n.site}</dd>
            <dt>${t('node_role')}</dt><dd data-testid="node-role">${n.role}</dd>
            <dt>${t('version')}</dt><dd data-testid="node-version">${n.version}</dd>
            <dt>${t('uptime')}</dt><dd data-testid="node-uptime">${fmtDuration(n.uptime_ms)}</dd>
            <dt>${t('requests_errors')}</dt><dd data-testid="node-requests">${n.requests} / ${n.errors}</dd>
            <dt>${t('commits_writes')}</dt><dd data-testid="node-commits">${n.commits} / ${n.writes}</dd>
            <dt>${t('store_use')}</dt><dd data-testid="node-store">${mib(n.used_bytes)} / ${mib(n.map_bytes)}${' '}(${pct(n.used_bytes, n.map_bytes)}%)</dd>
            <dt>${t('sla_breaches')}</dt><dd data-testid="node-breaches" class=${n.sla_breaches ? 'warn' : ''}>${n.sla_breaches}</dd>
            <dt>${t('restoring')}</dt><dd data-testid="node-restoring" class=${n.restoring ? 'error' : ''}>${n.restoring ? t('yes') : t('no')}</dd>
            <dt>${t('http_url')}</dt><dd data-testid="node-http">${n.http ? html`<a href=${n.http}>${n.http}</a>` : '—'}</dd>
            <dt>${t('nav_replication')}</dt><dd data-testid="node-replication">${repl
                ? t('peers_connected', { n: (repl.peers || []).filter((p) => p.connected).length, m: (repl.peers || []).length })
                : '—'}</dd>
        </dl>
        <table class="counts" data-testid="node-tickets"><caption>${t('tickets_by_status')}</caption>
            <tbody>${statuses.map((k) => html`<tr data-status=${k}><th scope="row">${t('st_' + k)}</th>
                <td>${(n.tickets || {})[k] ?? 0}</td></tr>`)}</tbody></table>
        <h2>${t('digest')}</h2>
        <p><code data-testid="node-digest">${s.data.digest}</code></p>
        <p class="more">${t('digest_help')}</p>` : null}
        <${Outbox} />
    </section>`;
}
