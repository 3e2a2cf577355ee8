// kb_suggest.js - suggested articles: the agent's ticket card panel (GET
// /tickets/ID/suggestions), the resolve form's article picker (those suggestions plus a search,
// sent as `article` with ticket.resolve), and the portal's deflection while a requester writes a
// request (GET /search/suggest?text=, debounced; "This solved my problem" counts article.helpful
// and ends there, no ticket opened).
import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from './api.js';
import { onEvent } from './sse.js';
import { t } from './i18n.js';
import { html, useFetch, ErrorLine } from './common.js';
import { enc } from './customer_card.js';
import { Snippet, hitsOf } from './search.js';
import { Markdown } from './markdown.js';

// One question per ticket and change: the card's panel and the resolve form's picker share it.
const asked = new Map(); // ticket id → {gen, promise}

// useSuggestions(ticketId) → {data: hits, error}: fetched again when the ticket changes.
function useSuggestions(id) {
    const [gen, setGen] = useState(0);
    useEffect(() => onEvent((k, d) => ((k === 'ticket' && d && d.id === id) || k === 'article') && setGen((x) => x + 1)), [id]);
    return useFetch(() => {
        const last = asked.get(id);
        if (last && last.gen === gen) return last.promise;
        const promise = request('GET', '/tickets/' + enc(id) + '/suggestions').then(hitsOf);
        asked.set(id, { gen, promise });
        promise.catch(() => asked.delete(id)); // a failure is asked again next time
        return promise;
    }, [id, gen]);
}

export function SuggestedArticles({ ticket }) {
    const s = useSuggestions(ticket.id);
    const hits = s.data || [];
    return html`<section class="kb-suggest" aria-labelledby="h-suggest" data-testid="suggested-articles">
        <h2 id="h-suggest">${t('kb_suggested')}</h2>
        ${s.error ? html`<p class="muted" data-testid="suggested-error">${t('kb_suggested_error')}: ${s.error.message}</p>` : null}
        ${s.error ? null : s.loading && !s.data ? html`<p>${t('loading')}</p>` : hits.length
            ? html`<ol class="hits">${hits.map((h) => html`<li data-testid="suggested" data-id=${h.id}>
                <a href=${'#/kb/' + enc(h.id)} data-testid="suggested-link">${h.title || h.id}</a>
                ${h.status && h.status !== 'published' ? html` <span class=${'badge kb-' + h.status}>${t('kb_state_' + h.status)}</span>` : null}
                ${h.category ? html` <span class="muted">· ${h.category}</span>` : null}
                <div class="hit-snippet"><${Snippet} text=${h.snippet} /></div></li>`)}</ol>`
            : html`<p class="empty" data-testid="suggested-none">${t('kb_suggested_none')}</p>`}
    </section>`;
}

// The resolve form's optional "solved with an article": radio buttons over the ticket's
// suggestions and the hits of a search of articles (the search field does not submit the form).
export function ArticlePicker({ ticket, value, onChange }) {
    const s = useSuggestions(ticket.id);
    const [q, setQ] = useState('');
    const [found, setFound] = useState([]);
    const [error, setError] = useState(null);
    const composing = useRef(false);
    const search = async () => {
        if (!q.trim()) return;
        try {
            setFound(hitsOf(await request('GET', '/search', { query: { q: q.trim(), kind: 'article', limit: 10 } })));
            setError(null);
        } catch (e) {
            setError(e);
        }
    };
    const seen = new Set();
    const options = (s.data || []).concat(found).filter((h) => h.kind !== 'ticket' && h.kind !== 'customer' && !seen.has(h.id) && seen.add(h.id));
    return html`<fieldset class="kb-picker field wide" data-testid="article-picker">
        <legend>${t('kb_resolve_article')}</legend>
        <label class="pick"><input type="radio" name="rs-article" value="" data-testid="article-none"
            checked=${!value} onChange=${() => onChange('')} /> ${t('kb_no_article')}</label>
        ${options.map((h) => html`<label class="pick"><input type="radio" name="rs-article" value=${h.id} data-testid="article-option"
                data-id=${h.id} checked=${value === h.id} onChange=${() => onChange(h.id)} />
            ${h.title || h.id} <span class="muted">${h.id}</span></label>`)}
        <div class="inline">
            <label for="rs-article-q">${t('kb_find_article')}</label>
            <input id="rs-article-q" type="search" data-testid="article-search" value=${q}
                oncompositionstart=${() => (composing.current = true)}
                oncompositionend=${() => (composing.current = false)}
                onInput=${(e) => setQ(e.target.value)}
                onKeyDown=${(e) => { if (e.key === 'Enter' && !e.isComposing && !composing.current) { e.preventDefault(); search(); } }} />
            <button type="button" class="secondary" data-testid="article-search-submit" onClick=${search}>${t('search')}</button>
        </div>
        <${ErrorLine} error=${error} />
    </fieldset>`;
}

// useDeflection(text) → {hits, error, now()}: the articles that may answer `text`, asked 400 ms
// after the last change (never while an input method composes) or at once by now() (on blur).
export function useDeflection(text, delay = 400) {
    const [hits, setHits] = useState([]);
    const [error, setError] = useState(null);
    const asked = useRef(''); // the last text asked about
    const gen = useRef(0);
    const timer = useRef(null);
    const ask = async (x) => {
        const q = x.trim();
        if (q === asked.current) return;
        asked.current = q;
        const my = ++gen.current;
        if (q.length < 2) {
            setHits([]);
            return;
        }
        try {
            const r = await request('GET', '/search/suggest', { query: { text: q.slice(0, 8192), limit: 5 } });
            if (my === gen.current) {
                setHits(hitsOf(r));
                setError(null);
            }
        } catch (e) {
            if (my === gen.current) setError(e);
        }
    };
    useEffect(() => {
        clearTimeout(timer.current);
        timer.current = setTimeout(() => ask(text), delay);
        return () => clearTimeout(timer.current);
    }, [text]);
    return { hits, error, now: () => { clearTimeout(timer.current); ask(text); } };
}

// One suggested article in the portal: its title, the snippet, "Read" (the body in place, so
// the half-written request stays) and "This solved my problem".
function Deflected({ hit, onSolved }) {
    const [open, setOpen] = useState(false);
    const s = useFetch(() => (open ? request('GET', '/articles/' + enc(hit.id)) : Promise.resolve(null)), [hit.id, open]);
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);
    const solved = async () => {
        setBusy(true);
        try {
            onSolved(hit, await request('POST', '/articles/' + enc(hit.id) + '/actions/helpful', { body: {} }));
        } catch (e) {
            setError(e);
            setBusy(false);
        }
    };
    return html`<li class="deflect-item" data-testid="deflect-article" data-id=${hit.id}>
        <strong data-testid="deflect-title">${hit.title}</strong>
        <div class="hit-snippet"><${Snippet} text=${hit.snippet} /></div>
        ${open && s.data ? html`<${Markdown} text=${s.data.body} testid="deflect-body" />` : null}
        <div class="buttons">
            <button type="button" class="secondary" aria-expanded=${String(open)} data-testid="deflect-read"
                onClick=${() => setOpen(!open)}>${open ? t('kb_hide') : t('kb_read')}</button>
            <button type="button" data-testid="deflect-solved" disabled=${busy} onClick=${solved}>${t('kb_solved_my_problem')}</button>
        </div>
        <${ErrorLine} error=${error || s.error} />
    </li>`;
}

// The suggestions are an aid: when the node cannot give them, the form simply has none.
export function DeflectPanel({ hits, onSolved }) {
    if (!hits.length) return null;
    return html`<aside class="deflect" aria-live="polite" aria-labelledby="h-deflect" data-testid="deflect">
        <h2 id="h-deflect">${t('kb_may_answer')}</h2>
        <ol>${hits.map((h) => html`<${Deflected} key=${h.id} hit=${h} onSolved=${onSolved} />`)}</ol>
    </aside>`;
}

// Instead of the form, after "This solved my problem": no ticket was opened.
export function DeflectThanks({ hit, onBack }) {
    return html`<section class="deflect-thanks" data-testid="deflect-thanks" data-id=${hit.id}>
        <h1>${t('kb_glad')}</h1>
        <p>${t('kb_no_ticket', { title: hit.title })}</p>
        <p class="buttons">
            <a class="button" href=${'#/kb/' + enc(hit.id)} data-testid="deflect-open">${t('kb_open_article')}</a>
            <a class="button secondary" href="#/portal" data-testid="deflect-portal">${t('nav_portal')}</a>
            <button type="button" class="secondary" data-testid="deflect-back" onClick=${onBack}>${t('kb_still_need_help')}</button>
        </p>
    </section>`;
}
