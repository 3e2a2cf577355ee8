// portal.js - the requester portal: open a request (title, description, category, impact) with
// the articles that may already answer it shown while writing (deflection: "This solved my
// problem" ends there, no ticket), see own requests and the desk's public replies live, reply,
// and confirm the resolution with a satisfaction score (ticket close) or reopen.
import { useState } from 'preact/hooks';
import { api, idempotencyKey } from './api.js';
import { t, fmtTime } from './i18n.js';
import { html, useApp, useTicketList, TicketTable, MoreLine, ErrorLine, StatusBadge, navigate } from './common.js';
import { useTicket, Comments } from './ticket.js';
import { useDeflection, DeflectPanel, DeflectThanks } from './kb_suggest.js';

export function Portal() {
    const app = useApp();
    const list = useTicketList({ requester: app.whoami.user, limit: 50 });
    return html`<section data-testid="portal">
        <h1>${t('portal_title')}</h1>
        <p><a class="button" href="#/portal/new" data-testid="portal-new-link">${t('new_ticket')}</a></p>
        <${ErrorLine} error=${list.error} />
        <${TicketTable} items=${list.items} columns=${['id', 'title', 'status', 'updated']} testid="portal-table" />
        <${MoreLine} list=${list} />
    </section>`;
}

export function PortalNew() {
    const [v, setV] = useState({ title: '', description: '', category: '', impact: '2' });
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);
    const [key] = useState(idempotencyKey()); // one key per form: a retry does not duplicate
    const [solved, setSolved] = useState(null); // the article that answered: no ticket then
    const set = (k) => (e) => setV(Object.assign({}, v, { [k]: e.target.value }));
    // Title and description as typed, not while an input method composes (拼音 is not a query).
    const typed = (k) => (e) => !e.isComposing && set(k)(e);
    const deflect = useDeflection(v.title + '\n' + v.description);
    const submit = async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
            const body = { title: v.title.trim(), impact: Number(v.impact), channel: 'web' };
            if (v.description.trim()) body.description = v.description;
            if (v.category.trim()) body.category = v.category.trim();
            const tk = await api.newTicket(body, key);
            navigate('/tickets/' + tk.id);
        } catch (err) {
            setError(err);
        } finally {
            setBusy(false);
        }
    };
    if (solved) return html`<${DeflectThanks} hit=${solved} onBack=${() => setSolved(null)} />`;
    return html`<section data-testid="portal-new" class="portal-new">
        <h1>${t('new_ticket')}</h1>
        <form class="stack" onSubmit=${submit} data-testid="new-ticket-form">
            <label for="nt-title">${t('title')}</label>
            <input id="nt-title" required maxlength="200" data-testid="new-title" value=${v.title} onInput=${typed('title')}
                oncompositionend=${set('title')} onBlur=${deflect.now} />
            <label for="nt-description">${t('description')}</label>
            <textarea id="nt-description" rows="5" data-testid="new-description" value=${v.description} onInput=${typed('description')}
                oncompositionend=${set('description')} onBlur=${deflect.now}></textarea>
            <${DeflectPanel} hits=${deflect.hits} onSolved=${(hit) => setSolved(hit)} />
            <label for="nt-category">${t('category')}</label>
            <input id="nt-category" maxlength="64" data-testid="new-category" value=${v.category} onInput=${set('category')} />
            <label for="nt-impact">${t('impact')}</label>
            <select id="nt-impact" data-testid="new-impact" value=${v.impact} onChange=${set('impact')}>
                ${[1, 2, 3].map((n) => html`<option value=${n}>${t('impact_' + n)}</option>`)}
            </select>
            <button type="submit" disabled=${busy} data-testid="new-submit">${t('open_ticket')}</button>
            <${ErrorLine} error=${error} />
        </form>
    </section>`;
}

export function PortalTicket({ id }) {
    const app = useApp();
    const { ticket, setTicket, error, setError } = useTicket(id);
    const [sat, setSat] = useState('5');
    const [feedback, setFeedback] = useState('');
    const [reason, setReason] = useState('');
    const call = async (p) => {
        try {
            setTicket(await p);
            setError(null);
            return true;
        } catch (e) {
            setError(e);
            return false;
        }
    };
    if (!ticket) return html`<section><${ErrorLine} error=${error} />${error ? null : html`<p>${t('loading')}</p>`}</section>`;
    return html`<article class="ticket portal" data-testid="portal-ticket" data-id=${ticket.id} data-status=${ticket.status}>
        <p><a href="#/portal" data-testid="back">← ${t('back')}</a></p>
        <h1><span data-testid="ticket-id">${ticket.id}</span> · <span data-testid="ticket-title">${ticket.title}</span></h1>
        <${ErrorLine} error=${error} />
        <dl class="facts">
            <dt>${t('status')}</dt><dd><${StatusBadge} status=${ticket.status} /></dd>
            <dt>${t('category')}</dt><dd>${ticket.category || '—'}</dd>
            <dt>${t('col_updated')}</dt><dd>${fmtTime(ticket.updated_at, app.zone)}</dd>
        </dl>
        ${ticket.description ? html`<p class="desc" data-testid="ticket-description">${ticket.description}</p>` : null}
        ${ticket.status === 'resolved' ? html`<section class="confirm" data-testid="confirm-resolution" aria-labelledby="h-confirm">
            <h2 id="h-confirm">${t('confirm_resolution')}</h2>
            ${ticket.resolution ? html`<p class="desc" data-testid="ticket-resolution">${ticket.resolution}</p>` : null}
            <form class="stack" onSubmit=${(e) => { e.preventDefault(); call(api.action(id, 'close', Object.assign({ satisfaction: Number(sat) }, feedback ? { feedback } : {}))); }}>
                <label for="pc-sat">${t('satisfaction')}</label>
                <select id="pc-sat" data-testid="close-satisfaction" value=${sat} onChange=${(e) => setSat(e.target.value)}>
                    ${[5, 4, 3, 2, 1].map((n) => html`<option value=${n}>${'★'.repeat(n)} ${n}</option>`)}
                </select>
                <label for="pc-feedback">${t('feedback')}</label>
                <input id="pc-feedback" data-testid="close-feedback" value=${feedback} onInput=${(e) => setFeedback(e.target.value)} />
                <button type="submit" data-testid="portal-confirm">${t('confirm')}</button>
            </form>
        </section>` : null}
        ${ticket.status === 'resolved' || ticket.status === 'closed' ? html`<form class="stack reopen"
                onSubmit=${(e) => { e.preventDefault(); call(api.action(id, 'reopen', { reason })); }}>
            <label for="pr-reason">${t('reason')}</label>
            <input id="pr-reason" data-testid="reopen-reason" value=${reason} onInput=${(e) => setReason(e.target.value)} />
            <button type="submit" class="secondary" data-testid="portal-reopen">${t('not_solved')}</button>
        </form>` : null}
        <${Comments} ticket=${ticket} agent=${false}
            onComment=${(body) => call(api.comment(id, body, true))} />
    </article>`;
}
