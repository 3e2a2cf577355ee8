// search.js - full-text search: the header's search box (agents, managers, requesters), the
// results page (#/search?q=&kind=&site=&status=) with kind chips, site/status filters for the
// desk, snippets with the matched terms marked, paging by next_cursor; Snippet and hitLink are
// shared with the knowledge-base pages and the suggestion panels.
import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from './api.js';
import { t, fmtTime } from './i18n.js';
import { html, useApp, navigate, ErrorLine } from './common.js';
import { enc } from './customer_card.js';

export const TICKET_STATUSES = ['new', 'acknowledged', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled'];
const ARTICLE_STATES = ['draft', 'published', 'retired'];

// The kinds of record the caller may search: a requester never sees customers.
export function searchKinds(roles) {
    return roles.agent ? ['ticket', 'article', 'customer'] : ['ticket', 'article'];
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

// The text of an HTML-escaped fragment: entities decoded; it is then shown as a text node.
export function unescapeHtml(s) {
    return String(s).replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
        if (e[0] === '#') {
            const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
            return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
        }
        return ENTITIES[e.toLowerCase()] ?? m;
    });
}

// snippetParts('a <mark>b</mark> c') → [{text: 'a ', mark: false}, {text: 'b', mark: true}, ...]:
// the server's fragment split on its <mark> tags; anything else in it stays literal text.
export function snippetParts(s) {
    const parts = [];
    let mark = false;
    for (const tok of String(s || '').split(/(<\/?mark>)/i)) {
        if (/^<mark>$/i.test(tok)) mark = true;
        else if (/^<\/mark>$/i.test(tok)) mark = false;
        else if (tok) parts.push({ text: unescapeHtml(tok), mark });
    }
    return parts;
}

// A hit's snippet, rendered as text nodes and <mark> elements (never as HTML).
export function Snippet({ text }) {
    if (!text) return null;
    return html`<span class="snippet" data-testid="hit-snippet">${snippetParts(text).map((p) =>
        p.mark ? html`<mark>${p.text}</mark>` : p.text)}</span>`;
}

// The console page of a hit: a ticket's card, an article, a customer's card.
export function hitLink(hit) {
    if (hit.kind === 'article') return '#/kb/' + enc(hit.id);
    if (hit.kind === 'customer') return '#/customers/' + enc(hit.id);
    return '#/tickets/' + enc(hit.id);
}

// A search hit's list items (the HTTP list's `items`; `hits` as the op returns them).
export const hitsOf = (r) => (r && (r.items || r.hits)) || [];

// The header's search box: searches on submit (Enter or the button), never on each keystroke,
// so an input method's composition (拼音 → 打印) is never searched half-typed.
export function SearchBox() {
    const [q, setQ] = useState('');
    const composing = useRef(false);
    useEffect(() => {
        // Show the query of the results page in the box (also after a reload).
        const sync = () => {
            const m = location.hash.match(/^#\/search\?(.*)$/);
            if (m) setQ(new URLSearchParams(m[1]).get('q') || '');
        };
        sync();
        window.addEventListener('hashchange', sync);
        return () => window.removeEventListener('hashchange', sync);
    }, []);
    const submit = (e) => {
        e.preventDefault();
        if (composing.current || !q.trim()) return;
        navigate('/search?' + new URLSearchParams({ q: q.trim() }).toString());
    };
    return html`<form class="searchbox" role="search" data-testid="search-form" onSubmit=${submit}>
        <label for="hdr-search" class="sr-only">${t('search_all')}</label>
        <input id="hdr-search" type="search" data-testid="search-input" maxlength="1024" value=${q}
            placeholder=${t('search_placeholder')}
            oncompositionstart=${() => (composing.current = true)}
            oncompositionend=${(e) => { composing.current = false; setQ(e.target.value); }}
            onInput=${(e) => setQ(e.target.value)} />
        <button type="submit" data-testid="search-submit">${t('search')}</button>
    </form>`;
}

// One page of hits as a list: kind, id and title linked, status/site/category, the snippet.
export function HitList({ hits, testid = 'search-hits', zone }) {
    return html`<ol class="hits" data-testid=${testid}>
        ${hits.map((h) => html`<li key=${h.kind + ':' + h.id} data-testid="hit" data-kind=${h.kind} data-id=${h.id}>
            <div class="hit-head">
                <span class=${'badge kind-' + h.kind}>${t('kind_' + h.kind)}</span>
                <a href=${hitLink(h)} data-testid="hit-link">${h.title || h.id}</a>
                <span class="muted"> ${h.id}</span>
            </div>
            <div class="hit-meta muted">
                ${h.status ? html`<span>${t('status')}: ${statusLabel(h)}</span>` : null}
                ${h.site ? html`<span>${t('site')}: ${h.site}</span>` : null}
                ${h.category ? html`<span>${t('category')}: ${h.category}</span>` : null}
                ${h.updated_at ? html`<span>${t('col_updated')}: ${fmtTime(h.updated_at, zone)}</span>` : null}
            </div>
            <p class="hit-snippet"><${Snippet} text=${h.snippet} /></p>
        </li>`)}
    </ol>`;
}

function statusLabel(h) {
    if (h.kind === 'article') return t('kb_state_' + h.status);
    if (h.kind === 'ticket' && TICKET_STATUSES.includes(h.status)) return t('st_' + h.status);
    return h.status;
}

// useSearch(query) → {hits, total, next, loading, error, more()}: GET /search, page by page.
export function useSearch(query, path = '/search') {
    const key = JSON.stringify(query);
    const [s, setS] = useState({ hits: [], total: null, next: null, loading: false, error: null });
    const gen = useRef(0);
    const load = async (cursor, prev) => {
        const my = ++gen.current;
        setS((x) => Object.assign({}, x, { loading: true }));
        try {
            const r = await request('GET', path, { query: Object.assign({}, query, cursor ? { cursor } : {}) });
            if (my !== gen.current) return;
            setS({ hits: prev.concat(hitsOf(r)), total: r.total ?? null, next: r.next_cursor || null, loading: false, error: null });
        } catch (e) {
            if (my === gen.current) setS({ hits: prev, total: null, next: null, loading: false, error: e });
        }
    };
    useEffect(() => {
        if (!query.q && !query.text) {
            setS({ hits: [], total: null, next: null, loading: false, error: null });
            return undefined;
        }
        setS({ hits: [], total: null, next: null, loading: true, error: null }); // no stale hits under a new query
        load(null, []);
        return () => gen.current++;
    }, [key]);
    return Object.assign({}, s, { more: () => load(s.next, s.hits) });
}

// The results' footer: how many are shown, the estimate of all, and the next page.
export function HitsMore({ res }) {
    if (res.loading && !res.hits.length) return html`<p>${t('loading')}</p>`;
    if (!res.hits.length) return null;
    return html`<p class="more" data-testid="search-more">
        ${res.total !== null ? t('hits_shown', { n: res.hits.length, total: res.total }) : null}
        ${res.next ? html` <button type="button" class="secondary" data-testid="search-next" onClick=${res.more}>${t('load_more')}</button>` : null}
    </p>`;
}

// #/search?q=..&kind=ticket,article&site=..&status=..[&limit=]: the filters live in the route, so the
// back button and a reload give the same results.
export function SearchPage({ params }) {
    const app = useApp();
    const q = params.get('q') || '';
    const allowed = searchKinds(app.roles);
    const kinds = (params.get('kind') || '').split(',').filter((k) => allowed.includes(k));
    const site = app.roles.agent ? params.get('site') || '' : '';
    const status = app.roles.agent ? params.get('status') || '' : '';
    // The page size: 20, or the route's limit (1..100; as #/hub?limit= does).
    const limit = Math.min(100, Math.max(1, Number(params.get('limit')) || 20));
    const res = useSearch({ q, kind: kinds.join(','), site, status, limit });
    const go = (change) => {
        const p = Object.assign({ q, kind: kinds.join(','), site, status, limit: params.get('limit') }, change);
        navigate('/search?' + new URLSearchParams(Object.entries(p).filter(([, v]) => v)).toString());
    };
    // A new set of kinds drops a status the other kinds do not have.
    const toggle = (k) => go({ status: '', kind: (kinds.includes(k) ? kinds.filter((x) => x !== k) : kinds.concat(k)).join(',') });
    const sites = app.sites.map((s) => s.site);
    // The status filter speaks of what is searched: articles' states when only articles.
    const articles = kinds.length === 1 && kinds[0] === 'article';
    const statuses = articles ? ARTICLE_STATES : TICKET_STATUSES;
    const stLabel = (s) => (articles ? t('kb_state_' + s) : t('st_' + s));
    return html`<section data-testid="search-page" data-q=${q}>
        <h1>${q ? t('results_for', { q }) : t('search_all')}</h1>
        <div class="chips" role="group" aria-label=${t('search_kinds')} data-testid="search-kinds">
            <button type="button" class="chip" aria-pressed=${String(!kinds.length)} data-testid="kind-all"
                onClick=${() => go({ kind: '' })}>${t('kind_all')}</button>
            ${allowed.map((k) => html`<button type="button" class="chip" aria-pressed=${String(kinds.includes(k))}
                data-testid=${'kind-' + k} onClick=${() => toggle(k)}>${t('kinds_' + k)}</button>`)}
        </div>
        ${app.roles.agent ? html`<form class="filters" data-testid="search-filters" onSubmit=${(e) => e.preventDefault()}>
            <label for="sf-site">${t('site')}</label>
            ${sites.length
                ? html`<select id="sf-site" data-testid="search-site" value=${site} onChange=${(e) => go({ site: e.target.value })}>
                      ${[''].concat(sites).map((s) => html`<option value=${s}>${s || t('any')}</option>`)}</select>`
                : html`<input id="sf-site" size="8" data-testid="search-site" value=${site}
                      onChange=${(e) => go({ site: e.target.value.trim() })} />`}
            <label for="sf-status">${t('status')}</label>
            <select id="sf-status" data-testid="search-status" value=${status} onChange=${(e) => go({ status: e.target.value })}>
                ${[''].concat(statuses).map((s) => html`<option value=${s}>${s ? stLabel(s) : t('any')}</option>`)}
            </select>
        </form>` : null}
        <${ErrorLine} error=${res.error} />
        ${!q ? html`<p class="help">${t('search_help')}</p>`
            : !res.loading && !res.error && !res.hits.length ? html`<p class="empty" data-testid="search-empty">${t('search_none', { q })}</p>`
            : html`<${HitList} hits=${res.hits} zone=${app.zone} />`}
        ${q ? html`<${HitsMore} res=${res} />` : null}
    </section>`;
}
