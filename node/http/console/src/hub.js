// hub.js - the hub manager's follow-the-sun timeline (schedule.coverage, next 7 days, gaps in
// red), the handover report with notes, and replication health per peer site.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { t, fmtTime, fmtDuration } from './i18n.js';
import { html, useApp, ErrorLine, useFetch } from './common.js';

export function Timeline() {
    const app = useApp();
    const cov = useFetch(() => api.coverage(7), []);
    if (cov.loading) return html`<p>${t('loading')}</p>`;
    if (cov.error)
        return html`<section data-testid="timeline"><h1>${t('timeline_title')}</h1>
            ${cov.error.status === 503 ? html`<p data-testid="no-calendars">${t('no_calendars')}</p>` : html`<${ErrorLine} error=${cov.error} />`}
        </section>`;
    const c = cov.data;
    const span = c.to - c.from;
    const pct = (ms) => ((ms - c.from) / span) * 100;
    const sites = app.sites.length ? app.sites.map((s) => s.site)
        : [...new Set(c.intervals.flatMap((i) => i.sites))];
    const block = (iv, cls, testid, label) => html`<div class=${'block ' + cls} data-testid=${testid}
        data-start=${iv.start} data-end=${iv.end}
        style=${`left:${pct(iv.start)}%;width:${Math.max(pct(iv.end) - pct(iv.start), 0.15)}%`}
        title=${`${label}: ${fmtTime(iv.start, app.zone)} – ${fmtTime(iv.end, app.zone)}`}></div>`;
    // Day marks at the viewer's local midnights (found hour by hour: zones shift by whole hours
    // or halves, so also try the half hour).
    const days = [];
    for (let x = Math.ceil(c.from / 1800000) * 1800000; x < c.to; x += 1800000)
        if (fmtTime(x, app.zone).slice(11, 16) === '00:00') days.push(x);
    return html`<section data-testid="timeline" data-from=${c.from} data-to=${c.to}>
        <h1>${t('timeline_title')}</h1>
        <p data-testid="coverage-summary" class=${c.gaps ? 'warn' : ''}>
            ${fmtTime(c.from, app.zone)} – ${fmtTime(c.to, app.zone)} ·
            ${t('gaps_summary', { n: c.gaps, h: (c.gap_ms / 3600000).toFixed(1) })}
            ${c.gaps ? html` · <span data-testid="true-gaps">${t('true_gaps_summary', { n: c.true_gaps || 0, h: ((c.true_gap_ms || 0) / 3600000).toFixed(1) })}</span>` : null}</p>
        <div class="timeline" role="img" aria-label=${t('timeline_title')}>
            <div class="tl-row tl-days"><span class="tl-label"></span><div class="tl-track">
                ${days.map((d) => html`<span class="tl-day" style=${`left:${pct(d)}%`}>${fmtTime(d, app.zone).slice(5, 10)}</span>`)}
            </div></div>
            ${sites.map((s) => html`<div class="tl-row" data-testid="timeline-site" data-site=${s}>
                <span class="tl-label">${s}</span>
                <div class="tl-track">${c.intervals.filter((iv) => iv.sites.includes(s))
                    .map((iv) => block(iv, 'duty', 'coverage-duty', s + ' ' + t('on_duty')))}</div>
            </div>`)}
            <div class="tl-row" data-testid="timeline-gaps">
                <span class="tl-label">${t('gap')}</span>
                <div class="tl-track">${c.intervals.filter((iv) => !iv.sites.length)
                    .map((iv) => block(iv, 'gap', 'coverage-gap', t('gap')))}</div>
            </div>
            <div class="tl-row" data-testid="timeline-oncall">
                <span class="tl-label">${t('on_call')}</span>
                <div class="tl-track">${c.intervals.flatMap((iv) => iv.oncall || [])
                    .map((o) => block(o, 'oncall', 'coverage-oncall', `${t('on_call')} ${o.login} (${o.roster})`))}</div>
            </div>
        </div>
        <details><summary>${t('sites_on_duty')}</summary>
            <table class="coverage" data-testid="coverage-table">
                <thead><tr><th scope="col">${t('start')}</th><th scope="col">${t('end')}</th><th scope="col">${t('sites_on_duty')}</th></tr></thead>
                <tbody>${c.intervals.map((iv) => html`<tr class=${iv.sites.length ? '' : 'gap'}>
                    <td>${fmtTime(iv.start, app.zone)}</td><td>${fmtTime(iv.end, app.zone)}</td>
                    <td>${iv.sites.length ? iv.sites.join(', ') : html`<strong>${t('gap')}</strong>`}</td></tr>`)}</tbody>
            </table>
        </details>
    </section>`;
}

export function Handovers() {
    const app = useApp();
    const r = useFetch(() => api.handovers({ limit: 200 }), [], true);
    return html`<section data-testid="handovers">
        <h1>${t('handover_report')}</h1>
        ${r.loading ? html`<p>${t('loading')}</p>` : null}
        <${ErrorLine} error=${r.error} />
        ${r.data && !r.data.items.length ? html`<p class="empty">${t('no_handovers')}</p>` : null}
        ${r.data ? html`<ol class="handovers">${[...r.data.items].reverse().map((h) => html`<li data-testid="handover" data-id=${h.id}>
            <div class="meta"><a href=${'#/tickets/' + h.id}>${h.id}</a> · <strong>${h.from || '—'} → ${h.to}</strong>
                · ${fmtTime(h.at, app.zone)} · ${t('by')} ${h.by}
                ${h.receiver ? html` · ${t('received_by')} <strong data-testid="handover-receiver">${h.receiver}</strong>` : null}
                ${h.taken ? html` · <em data-testid="handover-taken">${t('taken_silent')}</em>` : null}</div>
            ${h.note ? html`<pre class="note" data-testid="handover-note-text">${h.note}</pre>` : null}
        </li>`)}</ol>` : null}
        ${r.data && r.data.more ? html`<p class="more">${t('more_handovers')}</p>` : null}
    </section>`;
}

export function Replication() {
    const [tick, setTick] = useState(0);
    useEffect(() => {
        const id = setInterval(() => setTick((x) => x + 1), 5000);
        return () => clearInterval(id);
    }, []);
    const s = useFetch(() => api.replication(), [tick]);
    return html`<section data-testid="replication">
        <h1>${t('nav_replication')}</h1>
        ${s.loading ? html`<p>${t('loading')}</p>` : null}
        ${s.error && s.error.status === 503 ? html`<p data-testid="no-replication">${t('no_replication')}</p>`
            : html`<${ErrorLine} error=${s.error} />`}
        ${s.data ? html`<table class="repl" data-testid="repl-table">
            <thead><tr><th scope="col">${t('peer')}</th><th scope="col">${t('connected')}</th>
                <th scope="col">${t('heartbeat_age')}</th><th scope="col">${t('lag_events')}</th><th scope="col">${t('lag_ms')}</th></tr></thead>
            <tbody>${(s.data.peers || []).map((p) => html`<tr data-testid="repl-peer" data-site=${p.site}
                    class=${p.connected ? 'ok' : 'bad'}>
                <th scope="row">${p.site} (${p.role})</th>
                <td data-testid="repl-connected">${p.connected ? t('yes') : t('no')}</td>
                <td>${p.heartbeat_age_ms == null ? '—' : (p.heartbeat_age_ms / 1000).toFixed(1) + ' s'}</td>
                <td>${p.lag_events}</td><td>${p.lag_ms ? fmtDuration(p.lag_ms) : '0'}</td>
            </tr>`)}</tbody>
        </table>` : null}
    </section>`;
}
