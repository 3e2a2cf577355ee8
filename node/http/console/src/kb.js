// kb.js - the knowledge base: the article list (#/kb, filters state/category/language and a
// search within), one article (#/kb/ID: rendered Markdown, facts, solved and helpful counts,
// linked tickets, publish/retire), its versions with a diff of two (#/kb/ID/versions?from=&to=)
// and one old version (#/kb/ID/versions/N). The forms are in kb_edit.js. Requesters get what
// the node lets them read (published public articles) and no edit controls.
import { useEffect, useState } from 'preact/hooks';
import { request } from './api.js';
import { onEvent } from './sse.js';
import { t, fmtTime } from './i18n.js';
import { html, useApp, useFetch, navigate, ErrorLine } from './common.js';
import { usePaged } from './forms.js';
import { enc } from './customer_card.js';
import { Markdown } from './markdown.js';
import { useSearch, HitList, HitsMore } from './search.js';
import { ArticleForm, KB_LANGS, AUDIENCES } from './kb_edit.js';

export const KB_STATES = ['draft', 'published', 'retired'];
// The lifecycle (article.publish / article.retire): draft → published → retired → published.
export const KB_ALLOWED = { publish: ['draft', 'retired'], retire: ['published'] };

export function StateBadge({ state }) {
    return state ? html`<span class=${'badge kb-' + state} data-testid="kb-state">${t('kb_state_' + state)}</span>` : null;
}

export function AudienceBadge({ audience }) {
    return audience ? html`<span class=${'badge aud-' + audience} data-testid="kb-audience">${t('aud_' + audience)}</span>` : null;
}

const qs = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v)).toString();

// useArticle(id) → {data, error, reload}: the article, fetched again when it changes anywhere.
export function useArticle(id) {
    const [gen, setGen] = useState(0);
    const s = useFetch(() => request('GET', '/articles/' + enc(id)), [id, gen]);
    useEffect(() => onEvent((k, d) => ((k === 'article' && d && d.id === id) || k === 'reconnect') && setGen((x) => x + 1)), [id]);
    return Object.assign({}, s, { reload: () => setGen((x) => x + 1) });
}

function ArticleTable({ filters }) {
    const app = useApp();
    const desk = app.roles.agent;
    const list = usePaged('/articles', Object.assign({ limit: 50 }, filters));
    return html`<${ErrorLine} error=${list.error} />
        ${list.items.length ? html`<table class="admin" data-testid="kb-list"><thead><tr>
            <th scope="col">${t('title')}</th><th scope="col">${t('category')}</th><th scope="col">${t('language')}</th>
            ${desk ? html`<th scope="col">${t('audience')}</th><th scope="col">${t('kb_state')}</th><th scope="col">${t('kb_version')}</th>` : null}
            <th scope="col">${t('kb_solved')}</th><th scope="col">${t('kb_helpful')}</th><th scope="col">${t('col_updated')}</th></tr></thead>
            <tbody>${list.items.map((a) => html`<tr data-testid="kb-row" data-id=${a.id} data-state=${a.state}>
                <td><a href=${'#/kb/' + enc(a.id)} data-testid="kb-link">${a.title}</a> <span class="muted">${a.id}</span></td>
                <td>${a.category || '—'}</td><td>${a.language || '—'}</td>
                ${desk ? html`<td><${AudienceBadge} audience=${a.audience} /></td><td><${StateBadge} state=${a.state} /></td><td>${a.version}</td>` : null}
                <td>${a.solved || 0}</td><td>${a.helpful || 0}</td><td>${fmtTime(a.updated_at, app.zone)}</td>
            </tr>`)}</tbody></table>`
            : list.loading ? html`<p>${t('loading')}</p>` : html`<p class="empty" data-testid="kb-list-empty">${t('kb_none')}</p>`}
        ${list.next ? html`<button type="button" class="secondary" data-testid="load-more" onClick=${list.more}>${t('load_more')}</button>` : null}`;
}

function ArticleSearch({ q, filters }) {
    const app = useApp();
    const res = useSearch({ q, kind: 'article', category: filters.category, status: filters.state, limit: 20 });
    return html`<${ErrorLine} error=${res.error} />
        ${!res.loading && !res.error && !res.hits.length ? html`<p class="empty" data-testid="search-empty">${t('search_none', { q })}</p>`
            : html`<${HitList} hits=${res.hits} zone=${app.zone} />`}
        <${HitsMore} res=${res} />`;
}

// #/kb?state=&category=&language=&audience=&q=: the filters live in the route.
function ArticleList({ params }) {
    const app = useApp();
    const desk = app.roles.agent;
    const f = { category: params.get('category') || '', language: params.get('language') || '' };
    if (desk) Object.assign(f, { state: params.get('state') || '', audience: params.get('audience') || '' });
    const q = params.get('q') || '';
    const [text, setText] = useState(q);
    useEffect(() => setText(q), [q]);
    const go = (change) => navigate('/kb' + (qs(Object.assign({}, f, { q }, change)) ? '?' + qs(Object.assign({}, f, { q }, change)) : ''));
    const select = (k, options, label) => html`<label for=${'kf-' + k}>${t(k === 'state' ? 'kb_state' : k)}</label>
        <select id=${'kf-' + k} data-testid=${'kb-filter-' + k} value=${f[k]} onChange=${(e) => go({ [k]: e.target.value })}>
            ${[''].concat(options).map((o) => html`<option value=${o}>${o ? label(o) : t('any')}</option>`)}</select>`;
    return html`<section data-testid="kb" data-q=${q}>
        <h1>${t('nav_kb')}</h1>
        ${desk ? html`<p><a class="button" href="#/kb/new" data-testid="kb-new">${t('kb_new')}</a></p>` : html`<p class="help">${t('kb_help_requester')}</p>`}
        <form class="filters" role="search" data-testid="kb-search-form"
            onSubmit=${(e) => { e.preventDefault(); go({ q: text.trim() }); }}>
            <label for="kf-q">${t('kb_search')}</label>
            <input id="kf-q" type="search" data-testid="kb-search" maxlength="1024" value=${text} onInput=${(e) => setText(e.target.value)} />
            <button type="submit" data-testid="kb-search-submit">${t('search')}</button>
            ${q ? html`<button type="button" class="secondary" data-testid="kb-search-clear" onClick=${() => go({ q: '' })}>${t('kb_all')}</button>` : null}
        </form>
        <form class="filters" data-testid="kb-filters" onSubmit=${(e) => e.preventDefault()}>
            ${desk ? select('state', KB_STATES, (s) => t('kb_state_' + s)) : null}
            <label for="kf-category">${t('category')}</label>
            <input id="kf-category" size="14" data-testid="kb-filter-category" value=${f.category}
                onChange=${(e) => go({ category: e.target.value.trim() })} />
            ${select('language', KB_LANGS, (l) => t('lang_' + l.replace('-', '_')))}
            ${desk ? select('audience', AUDIENCES, (a) => t('aud_' + a)) : null}
        </form>
        ${q ? html`<h2>${t('results_for', { q })}</h2><${ArticleSearch} q=${q} filters=${f} />` : html`<${ArticleTable} filters=${f} />`}
    </section>`;
}

// The requester's "this answered my question" (article.helpful), once per page.
export function HelpfulButton({ id, onDone, testid = 'kb-helpful' }) {
    const [state, setState] = useState(null); // null | 'busy' | 'done'
    const [error, setError] = useState(null);
    if (state === 'done') return html`<p class="notice" role="status" data-testid=${testid + '-done'}>${t('kb_thanks')}</p>`;
    const click = async () => {
        setState('busy');
        try {
            const r = await request('POST', '/articles/' + enc(id) + '/actions/helpful', { body: {} });
            setState('done');
            if (onDone) onDone(r);
        } catch (e) {
            setError(e);
            setState(null);
        }
    };
    return html`<button type="button" data-testid=${testid} disabled=${state === 'busy'} onClick=${click}>${t('kb_solved_my_problem')}</button>
        <${ErrorLine} error=${error} />`;
}

function LinkTicket({ id, onDone, onError }) {
    const [ticket, setTicket] = useState('');
    const submit = async (e) => {
        e.preventDefault();
        if (!ticket.trim()) return;
        try {
            onDone(await request('POST', '/articles/' + enc(id) + '/actions/link', { body: { ticket: ticket.trim() } }));
            setTicket('');
        } catch (err) {
            onError(err);
        }
    };
    return html`<form class="inline" data-testid="kb-link-form" onSubmit=${submit}>
        <label for="kl-ticket">${t('kb_link_ticket')}</label>
        <input id="kl-ticket" size="16" data-testid="kb-link-ticket" value=${ticket} onInput=${(e) => setTicket(e.target.value)} />
        <button type="submit" class="secondary" data-testid="kb-link-submit">${t('kb_link')}</button>
    </form>`;
}

function ArticleView({ id }) {
    const app = useApp();
    const desk = app.roles.agent;
    const s = useArticle(id);
    const [error, setError] = useState(null);
    const [notice, setNotice] = useState(null);
    // The edit form's word that another version was saved meanwhile (both are kept).
    const [merged] = useState(() => {
        const x = sessionStorage.getItem('sd_kb_merged:' + id);
        sessionStorage.removeItem('sd_kb_merged:' + id);
        return x;
    });
    const a = s.data;
    if (!a) return html`<section><${ErrorLine} error=${s.error} />${s.error ? null : html`<p>${t('loading')}</p>`}</section>`;
    const step = async (name) => {
        try {
            await request('POST', '/articles/' + enc(id) + '/actions/' + name, { body: {} });
            setError(null);
            setNotice(t('kb_act_' + name) + ' ✓');
            s.reload();
        } catch (e) {
            setError(e);
        }
    };
    const tickets = Array.isArray(a.tickets) ? a.tickets : String(a.tickets || '').split(',').filter(Boolean);
    return html`<article class="kb-article" data-testid="kb-article" data-id=${a.id} data-state=${a.state} data-version=${a.version}>
        <p><a href="#/kb" data-testid="back-kb">← ${t('nav_kb')}</a></p>
        <h1><span data-testid="kb-title">${a.title}</span> ${desk ? html`<${StateBadge} state=${a.state} />` : null}</h1>
        <${ErrorLine} error=${error} />
        ${notice ? html`<p class="notice" role="status" data-testid="notice">${notice}</p>` : null}
        ${merged ? html`<p class="warn" role="status" data-testid="kb-merged">${t('kb_merged_note', { n: merged })}</p>` : null}
        ${desk ? html`<div class="buttons">
            <a class="button" href=${'#/kb/' + enc(id) + '/edit'} data-testid="kb-edit">${t('kb_edit')}</a>
            <a class="button secondary" href=${'#/kb/' + enc(id) + '/versions'} data-testid="kb-versions">${t('kb_versions')}</a>
            ${['publish', 'retire'].map((x) => html`<button type="button" class=${x === 'retire' ? 'secondary' : ''} data-testid=${'kb-' + x}
                disabled=${!KB_ALLOWED[x].includes(a.state)} onClick=${() => step(x)}>${t('kb_act_' + x)}</button>`)}
        </div>` : null}
        <dl class="facts" data-testid="kb-facts">
            <dt>${t('category')}</dt><dd data-testid="kb-category">${a.category || '—'}</dd>
            <dt>${t('language')}</dt><dd>${a.language || '—'}</dd>
            ${desk ? html`<dt>${t('audience')}</dt><dd><${AudienceBadge} audience=${a.audience} /></dd>
                <dt>${t('kb_version')}</dt><dd data-testid="kb-version">${a.version}</dd>
                <dt>${t('kb_author')}</dt><dd>${a.author || '—'}${a.updated_by && a.updated_by !== a.author ? ' · ' + t('kb_updated_by', { u: a.updated_by }) : ''}</dd>` : null}
            <dt>${t('col_updated')}</dt><dd>${fmtTime(a.updated_at, app.zone)}</dd>
            <dt>${t('kb_solved')}</dt><dd data-testid="kb-solved">${a.solved || 0}</dd>
            <dt>${t('kb_helpful')}</dt><dd data-testid="kb-helpful-count">${a.helpful || 0}</dd>
            ${a.keywords ? html`<dt>${t('kb_keywords')}</dt><dd data-testid="kb-keywords">${a.keywords}</dd>` : null}
        </dl>
        <${Markdown} text=${a.body} testid="kb-body" />
        ${desk ? null : html`<section class="kb-helpful" aria-label=${t('kb_helpful')}><${HelpfulButton} id=${a.id} onDone=${s.reload} /></section>`}
        ${desk ? html`<section aria-labelledby="h-kb-tickets"><h2 id="h-kb-tickets">${t('kb_tickets')} (${tickets.length})</h2>
            ${tickets.length ? html`<ul data-testid="kb-tickets">${tickets.map((x) => html`<li><a href=${'#/tickets/' + enc(x)} data-testid="kb-ticket">${x}</a></li>`)}</ul>`
                : html`<p class="empty">${t('kb_no_tickets')}</p>`}
            <${LinkTicket} id=${a.id} onError=${setError} onDone=${() => { setError(null); s.reload(); }} />
        </section>` : null}
    </article>`;
}

// A diff's text: the op's result is the unified diff (as text, or in a map under diff/text).
export function diffText(r) {
    if (typeof r === 'string') return r;
    return (r && (r.diff ?? r.text ?? r.unified)) || '';
}

// A unified line diff, each line marked by its sign (kept visible) and by colour.
export function DiffView({ text }) {
    const lines = String(text).replace(/\n$/, '').split('\n');
    const cls = (l) => (l.startsWith('+++') || l.startsWith('---') ? 'd-file' : l[0] === '+' ? 'd-add' : l[0] === '-' ? 'd-del' : l.startsWith('@@') ? 'd-hunk' : '');
    return html`<pre class="diff" data-testid="kb-diff">${lines.map((l) => html`<span class=${cls(l)} data-testid=${cls(l) || null}>${l}${'\n'}</span>`)}</pre>`;
}

function Diff({ id, from, to }) {
    const s = useFetch(() => request('GET', '/articles/' + enc(id) + '/diff', { query: { from, to } }), [id, from, to]);
    if (!s.data) return html`<${ErrorLine} error=${s.error} />${s.error ? null : html`<p>${t('loading')}</p>`}`;
    const text = diffText(s.data);
    return html`<h2>${t('kb_diff_title', { a: from, b: to })}</h2>
        ${text.trim() ? html`<${DiffView} text=${text} />` : html`<p class="empty" data-testid="kb-diff-empty">${t('kb_diff_none')}</p>`}`;
}

function Versions({ id, params }) {
    const app = useApp();
    const s = useArticle(id);
    const a = s.data;
    const versions = (a && a.versions) || [];
    const nums = versions.map((v) => Number(v.version)).sort((x, y) => x - y);
    const from = params.get('from');
    const to = params.get('to');
    const [sel, setSel] = useState({ from: from || '', to: to || '' });
    useEffect(() => setSel({ from: from || '', to: to || '' }), [from, to]);
    if (!a) return html`<section><${ErrorLine} error=${s.error} />${s.error ? null : html`<p>${t('loading')}</p>`}</section>`;
    const dflt = { from: sel.from || String(nums.length > 1 ? nums[nums.length - 2] : nums[0] || ''), to: sel.to || String(nums[nums.length - 1] || '') };
    const pick = (k) => html`<label for=${'kv-' + k}>${t('kb_diff_' + k)}</label>
        <select id=${'kv-' + k} data-testid=${'kb-diff-' + k} value=${dflt[k]} onChange=${(e) => setSel(Object.assign({}, dflt, { [k]: e.target.value }))}>
            ${nums.map((n) => html`<option value=${n}>${t('kb_version_n', { n })}</option>`)}</select>`;
    return html`<section data-testid="kb-versions-page" data-id=${a.id}>
        <p><a href=${'#/kb/' + enc(id)} data-testid="back-article">← ${a.title}</a></p>
        <h1>${t('kb_versions_of', { title: a.title })}</h1>
        <table class="admin" data-testid="kb-version-list"><thead><tr>
            <th scope="col">${t('kb_version')}</th><th scope="col">${t('kb_at')}</th><th scope="col">${t('kb_by')}</th><th scope="col">${t('title')}</th></tr></thead>
            <tbody>${versions.slice().sort((x, y) => y.version - x.version).map((v) => html`<tr data-testid="kb-version-row" data-version=${v.version}>
                <td><a href=${'#/kb/' + enc(id) + '/versions/' + v.version} data-testid="kb-version-link">${t('kb_version_n', { n: v.version })}</a>
                    ${Number(v.version) === Number(a.version) ? html` <span class="badge">${t('kb_current')}</span>` : null}</td>
                <td>${fmtTime(v.at, app.zone)}</td><td>${v.by || '—'}</td><td>${v.title}</td></tr>`)}</tbody></table>
        ${nums.length > 1 ? html`<form class="filters" data-testid="kb-diff-form"
                onSubmit=${(e) => { e.preventDefault(); navigate('/kb/' + enc(id) + '/versions?' + qs(dflt)); }}>
            ${pick('from')}${pick('to')}
            <button type="submit" data-testid="kb-diff-show">${t('kb_diff_show')}</button>
        </form>` : html`<p class="help">${t('kb_one_version')}</p>`}
        ${from && to ? html`<${Diff} id=${id} from=${from} to=${to} />` : null}
    </section>`;
}

function VersionView({ id, n }) {
    const app = useApp();
    const s = useFetch(() => request('GET', '/articles/' + enc(id) + '/versions/' + enc(n)), [id, n]);
    const v = s.data;
    return html`<article class="kb-article" data-testid="kb-version" data-version=${n}>
        <p><a href=${'#/kb/' + enc(id) + '/versions'} data-testid="back-versions">← ${t('kb_versions')}</a></p>
        <${ErrorLine} error=${s.error} />
        ${v ? html`<h1>${v.title} <span class="badge">${t('kb_version_n', { n })}</span></h1>
            <p class="muted">${fmtTime(v.at || v.updated_at, app.zone)} · ${v.by || v.updated_by || v.author || ''}</p>
            <${Markdown} text=${v.body} testid="kb-body" />` : s.error ? null : html`<p>${t('loading')}</p>`}
    </article>`;
}

// sub: undefined (the list), "new", or an article id; page: "edit" | "versions"; n: a version.
export function KnowledgeBase({ sub, page, n, params }) {
    const app = useApp();
    if (!sub) return html`<${ArticleList} params=${params} />`;
    if (sub === 'new' && app.roles.agent) return html`<${ArticleForm} />`;
    if (page === 'edit' && app.roles.agent) return html`<${ArticleForm} key=${sub} id=${sub} />`;
    if (page === 'versions' && app.roles.agent && n) return html`<${VersionView} id=${sub} n=${n} />`;
    if (page === 'versions' && app.roles.agent) return html`<${Versions} key=${sub} id=${sub} params=${params} />`;
    return html`<${ArticleView} key=${sub} id=${sub} />`;
}
