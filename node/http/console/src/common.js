// common.js - pieces every page uses: the htm binding, the app context, useFetch, labelled
// form fields, badges, times, the ticket table with j/k keys, and useTicketList (a live, paged ticket.list).
import { h, createContext } from 'preact';
import { useContext, useEffect, useRef, useState, useCallback } from 'preact/hooks';
import htm from 'htm';
import { api } from './api.js';
import { onEvent } from './sse.js';
import { t, fmtTime, relDue } from './i18n.js';

export const html = htm.bind(h);

// The logged-in session as pages see it: whoami, user record, zone, site zones, navigation.
export const AppCtx = createContext(null);
export const useApp = () => useContext(AppCtx);

export function navigate(path) {
    if (location.hash !== '#' + path) location.hash = '#' + path;
}

export function ErrorLine({ error }) {
    if (!error) return null;
    return html`<p class="error" role="alert" data-testid="error">
        ${t('error')}: ${error.message || String(error)}${error.code ? ` (${error.code})` : ''}
        ${error.problem && Array.isArray(error.problem.allowed) ? ` ${t('allowed_now')}: ${error.problem.allowed.join(', ')}` : ''}
    </p>`;
}

// useFetch(fn, deps, live) → {data, error, loading}; `live` refetches on ticket events.
export function useFetch(fn, deps, live) {
    const [s, setS] = useState({ data: null, error: null, loading: true });
    useEffect(() => {
        let alive = true;
        const load = () =>
            fn().then(
                (data) => alive && setS({ data, error: null, loading: false }),
                (error) => alive && setS({ data: null, error, loading: false })
            );
        load();
        const off = live ? onEvent((k) => (k === 'ticket' || k === 'reconnect') && load()) : () => {};
        return () => {
            alive = false;
            off();
        };
    }, deps);
    return s;
}

// A labelled form field (input or select) of the admin forms.
export function Input({ id, label, value, onInput, type = 'text', required = false, testid }) {
    return html`<div class="field"><label for=${id}>${label}</label>
        <input id=${id} type=${type} required=${required} data-testid=${testid || id} value=${value}
            onInput=${(e) => onInput(e.target.value)} /></div>`;
}

export function Select({ id, label, value, onChange, options, testid }) {
    return html`<div class="field"><label for=${id}>${label}</label>
        <select id=${id} data-testid=${testid || id} value=${value} onChange=${(e) => onChange(e.target.value)}>
            ${options.map((o) => html`<option value=${o}>${o || '—'}</option>`)}
        </select></div>`;
}

export function StatusBadge({ status }) {
    return html`<span class=${'badge st-' + status} data-testid="status">${t('st_' + status)}</span>`;
}

export function SlaBadge({ state }) {
    if (!state) return null;
    return html`<span class=${'badge sla-' + state} data-testid="sla-state">${t('sla_' + state)}</span>`;
}

// A time in the viewer's zone, with the zone named; `zone2` adds the same instant at a site.
export function Time({ ms, zone, zone2, label2, testid }) {
    return html`<span class="time" data-testid=${testid}>
        <time datetime=${ms ? new Date(ms).toISOString() : ''}>${fmtTime(ms, zone)}</time>
        ${zone2 && ms ? html`<span class="time2" data-testid=${testid ? testid + '-site' : null}>
            ${label2 ? label2 + ': ' : ''}${fmtTime(ms, zone2)}</span>` : null}
    </span>`;
}

export function Due({ ms, now }) {
    if (!ms) return null;
    return html`<span class=${ms < now ? 'due overdue' : 'due'}>${relDue(ms, now)}</span>`;
}

// useNow(periodMs) → the current time, refreshed so countdowns move.
export function useNow(period = 30000) {
    const [now, setNow] = useState(Date.now());
    useEffect(() => {
        const id = setInterval(() => setNow(Date.now()), period);
        return () => clearInterval(id);
    }, [period]);
    return now;
}

// useTicketList(query) → {items, next, loading, error, more(), reload()}: GET /api/v1/tickets in
// API order (the queue order), following next_cursor on demand, refetched on every ticket
// event (the event says a ticket changed; whether it still matches is the node's to decide).
export function useTicketList(query) {
    const key = JSON.stringify(query);
    const [state, setState] = useState({ items: [], next: null, loading: true, error: null });
    const pages = useRef(1); // pages the user has loaded; a refetch loads as many again
    const gen = useRef(0); // drops answers to superseded fetches

    const load = useCallback(
        async (count) => {
            const my = ++gen.current;
            try {
                let items = [];
                let cursor = null;
                for (let i = 0; i < count; i++) {
                    const r = await api.tickets(Object.assign({}, query, cursor ? { cursor } : {}));
                    items = items.concat(r.items || []);
                    cursor = r.next_cursor || null;
                    if (!cursor) break;
                }
                if (my === gen.current) setState({ items, next: cursor, loading: false, error: null });
            } catch (e) {
                if (my === gen.current) setState((s) => Object.assign({}, s, { loading: false, error: e }));
            }
        },
        [key]
    );

    useEffect(() => {
        pages.current = 1;
        setState({ items: [], next: null, loading: true, error: null });
        load(1);
        let timer = null;
        const off = onEvent((kind) => {
            if (kind !== 'ticket' && kind !== 'reconnect') return;
            clearTimeout(timer); // a burst of events is one refetch
            timer = setTimeout(() => load(pages.current), 150);
        });
        return () => {
            off();
            clearTimeout(timer);
            gen.current++;
        };
    }, [key]);

    return Object.assign({}, state, {
        more: () => {
            pages.current++;
            load(pages.current);
        },
        reload: () => load(pages.current),
    });
}

// The list's honest footer: how many are loaded and whether more match.
export function MoreLine({ list }) {
    if (list.loading && !list.items.length) return html`<p>${t('loading')}</p>`;
    return html`<p class="more" data-testid="list-more">
        ${list.next
            ? html`${t('more_exist', { n: list.items.length })}
                  <button type="button" onClick=${list.more} data-testid="load-more">${t('load_more')}</button>`
            : t('all_loaded', { n: list.items.length })}
    </p>`;
}

// TicketTable: a keyboard-friendly queue. j/k (or arrows) move the selection, Enter opens.
export function TicketTable({ items, base = '/tickets/', testid = 'queue', columns, keys = true }) {
    const { zone } = useApp();
    const now = useNow();
    const [sel, setSel] = useState(0);
    const rows = useRef([]);
    const cols = columns || ['id', 'title', 'status', 'priority', 'assignee', 'site', 'sla', 'resolve_due'];

    useEffect(() => {
        if (!keys) return undefined; // one table per page takes j/k
        const onKey = (e) => {
            const tag = (e.target && e.target.tagName) || '';
            if (/INPUT|TEXTAREA|SELECT/.test(tag) || e.ctrlKey || e.metaKey || e.altKey) return;
            if (!items.length) return;
            if (e.key === 'j' || e.key === 'ArrowDown') {
                setSel((s) => Math.min(s + 1, items.length - 1));
                e.preventDefault();
            } else if (e.key === 'k' || e.key === 'ArrowUp') {
                setSel((s) => Math.max(s - 1, 0));
                e.preventDefault();
            } else if (e.key === 'Enter' && tag !== 'A' && tag !== 'BUTTON') {
                const tk = items[Math.min(sel, items.length - 1)];
                if (tk) navigate(base + tk.id);
            }
        };
        window.addEventListener('keydown', onKey);
        return () => window.removeEventListener('keydown', onKey);
    }, [items, sel, base, keys]);

    useEffect(() => {
        const r = rows.current[sel];
        if (r && r.focus && document.activeElement !== document.body && document.activeElement && document.activeElement.closest('table'))
            r.focus();
    }, [sel]);

    if (!items.length) return html`<p class="empty" data-testid=${testid + '-empty'}>${t('queue_empty')}</p>`;
    const head = {
        id: t('col_id'), title: t('col_title'), status: t('col_status'), priority: t('col_priority'),
        assignee: t('col_assignee'), site: t('col_site'), sla: t('col_sla'),
        resolve_due: t('col_resolve_due'), requester: t('col_requester'), updated: t('col_updated'),
    };
    const cell = (tk, c) => {
        switch (c) {
            case 'id': return html`<a href=${'#' + base + tk.id} data-testid="ticket-link">${tk.id}</a>`;
            case 'title': return tk.title;
            case 'status': return html`<${StatusBadge} status=${tk.status} />`;
            case 'priority': return html`<span class=${'prio ' + tk.priority}>${tk.priority}</span>`;
            case 'assignee': return tk.assignee || '—';
            case 'site': return tk.owner_site;
            case 'sla': return html`<${SlaBadge} state=${tk.sla_state} />`;
            case 'resolve_due': return html`${fmtTime(tk.resolve_due, zone)} <${Due} ms=${tk.resolve_due} now=${now} />`;
            case 'requester': return tk.requester;
            case 'updated': return fmtTime(tk.updated_at, zone);
        }
        return '';
    };
    return html`<table class="tickets" data-testid=${testid}>
        <thead><tr>${cols.map((c) => html`<th scope="col" class=${'c-' + c}>${head[c]}</th>`)}</tr></thead>
        <tbody>
            ${items.map((tk, i) => html`<tr key=${tk.id} data-testid="queue-row" data-id=${tk.id}
                    class=${i === sel ? 'selected' : ''} aria-selected=${i === sel ? 'true' : 'false'}
                    tabindex=${i === sel ? 0 : -1} ref=${(el) => (rows.current[i] = el)}
                    onClick=${() => setSel(i)}>
                ${cols.map((c) => html`<td class=${'c-' + c} data-label=${head[c]}>${cell(tk, c)}</td>`)}
            </tr>`)}
        </tbody>
    </table>`;
}
