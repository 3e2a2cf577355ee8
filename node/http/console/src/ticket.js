// ticket.js - the agent's ticket card: fields, the caller's context (ticket_ctx.js), SLA clocks
// in the agent's and the owner site's zone, every workflow action with its small form, the
// conversation (public reply vs internal note) and the history; kept live by the event stream.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { onEvent } from './sse.js';
import { t, fmtTime } from './i18n.js';
import { html, useApp, useNow, navigate, ErrorLine, StatusBadge, SlaBadge, Time, Due } from './common.js';
import { TicketContext } from './ticket_ctx.js';
import { SuggestedArticles, ArticlePicker } from './kb_suggest.js';
import { TicketMessages } from './ticket_messages.js';

const OPEN = ['new', 'acknowledged', 'assigned', 'in_progress', 'pending'];
// The state machine (PROTOCOL.md section 8): the statuses each step is allowed from.
export const ALLOWED = {
    ack: ['new'],
    assign: ['acknowledged', 'assigned', 'in_progress', 'pending'],
    start: ['assigned', 'pending'],
    pending: ['in_progress'],
    resolve: ['assigned', 'in_progress', 'pending'],
    close: ['resolved'],
    reopen: ['resolved', 'closed'],
    cancel: OPEN,
    handover: OPEN,
};
const EDITABLE = OPEN.concat(['resolved']); // ticket.update is allowed from these

function Field({ id, label, children }) {
    return html`<div class="field"><label for=${id}>${label}</label>${children}</div>`;
}

// The form of one step; `onDone(args)` posts it. Steps without arguments have no form.
function StepForm({ step, ticket, onDone, sites }) {
    const app = useApp();
    const [v, setV] = useState({});
    const set = (k) => (e) => setV(Object.assign({}, v, { [k]: e.target.value }));
    const id = (k) => `f-${step}-${k}`;
    const submit = (e) => {
        e.preventDefault();
        const a = {};
        if (step === 'assign') {
            a.assignee = (v.assignee || app.whoami.user).trim();
            if (v.team) a.team = v.team.trim();
            if (v.tier) a.tier = v.tier;
        } else if (step === 'pending') {
            a.waiting_on = v.waiting_on || 'customer';
            if (v.reason) a.reason = v.reason;
            const vendor = (v.vendor ?? (ticket.vendor || '')).trim(); // the field shows the last vendor
            if (a.waiting_on === 'vendor' && vendor) a.vendor = vendor;
            if (a.waiting_on === 'vendor' && (v.vendor_ref || '').trim()) a.vendor_ref = v.vendor_ref.trim();
        } else if (step === 'resolve') {
            a.resolution = v.resolution || '';
            if (v.article) a.article = v.article; // solved from this knowledge-base article
        } else if (step === 'close') {
            a.satisfaction = Number(v.satisfaction || 5);
            if (v.feedback) a.feedback = v.feedback;
        } else if (step === 'reopen' || step === 'cancel') {
            a.reason = v.reason || '';
        } else if (step === 'handover') {
            a.site = v.site || (sites.find((s) => s !== ticket.owner_site) || '');
            if (v.note) a.note = v.note;
        }
        onDone(a);
    };
    let fields = null;
    if (step === 'assign')
        fields = html`
            <${Field} id=${id('assignee')} label=${t('assignee')}>
                <input id=${id('assignee')} data-testid="assign-assignee" placeholder=${app.whoami.user}
                    value=${v.assignee ?? app.whoami.user} onInput=${set('assignee')} /><//>
            <${Field} id=${id('team')} label=${t('team')}>
                <input id=${id('team')} data-testid="assign-team" value=${v.team ?? (ticket.team || '')} onInput=${set('team')} /><//>
            <${Field} id=${id('tier')} label=${t('tier')}>
                <select id=${id('tier')} data-testid="assign-tier" value=${v.tier ?? ticket.tier} onChange=${set('tier')}>
                    ${['L1', 'L1.5', 'L2', 'L3', 'vendor'].map((x) => html`<option value=${x}>${x}</option>`)}
                </select><//>`;
    if (step === 'pending')
        fields = html`
            <${Field} id=${id('waiting_on')} label=${t('waiting_on')}>
                <select id=${id('waiting_on')} data-testid="pending-waiting-on" value=${v.waiting_on || 'customer'} onChange=${set('waiting_on')}>
                    <option value="customer">${t('customer')}</option><option value="vendor">${t('vendor')}</option>
                </select><//>
            <${Field} id=${id('reason')} label=${t('reason')}>
                <input id=${id('reason')} data-testid="pending-reason" value=${v.reason || ''} onInput=${set('reason')} /><//>
            ${v.waiting_on === 'vendor' ? html`
                <${Field} id=${id('vendor')} label=${t('vendor_name')}>
                    <input id=${id('vendor')} data-testid="pending-vendor" value=${v.vendor ?? (ticket.vendor || '')} onInput=${set('vendor')} /><//>
                <${Field} id=${id('vendor_ref')} label=${t('vendor_ref')}>
                    <input id=${id('vendor_ref')} data-testid="pending-vendor-ref" value=${v.vendor_ref || ''} onInput=${set('vendor_ref')} /><//>` : null}`;
    if (step === 'resolve')
        fields = html`<${Field} id=${id('resolution')} label=${t('resolution')}>
            <textarea id=${id('resolution')} required data-testid="resolve-resolution" value=${v.resolution || ''} onInput=${set('resolution')}></textarea><//>
            <${ArticlePicker} ticket=${ticket} value=${v.article || ''} onChange=${(x) => setV(Object.assign({}, v, { article: x }))} />`;
    if (step === 'close')
        fields = html`
            <${Field} id=${id('satisfaction')} label=${t('satisfaction')}>
                <select id=${id('satisfaction')} data-testid="close-satisfaction" value=${v.satisfaction || '5'} onChange=${set('satisfaction')}>
                    ${[5, 4, 3, 2, 1].map((n) => html`<option value=${n}>${n}</option>`)}
                </select><//>
            <${Field} id=${id('feedback')} label=${t('feedback')}>
                <input id=${id('feedback')} data-testid="close-feedback" value=${v.feedback || ''} onInput=${set('feedback')} /><//>`;
    if (step === 'reopen' || step === 'cancel')
        fields = html`<${Field} id=${id('reason')} label=${t('reason')}>
            <input id=${id('reason')} data-testid=${step + '-reason'} value=${v.reason || ''} onInput=${set('reason')} /><//>`;
    if (step === 'handover')
        fields = html`
            <${Field} id=${id('site')} label=${t('site')}>
                ${sites.length
                    ? html`<select id=${id('site')} data-testid="handover-site" value=${v.site || ''} onChange=${set('site')}>
                          ${sites.filter((s) => s !== ticket.owner_site).map((s) => html`<option value=${s}>${s}</option>`)}
                      </select>`
                    : html`<input id=${id('site')} data-testid="handover-site" value=${v.site || ''} onInput=${set('site')} />`}<//>
            <${Field} id=${id('note')} label=${t('note')}>
                <textarea id=${id('note')} data-testid="handover-note" value=${v.note || ''} onInput=${set('note')}></textarea><//>`;
    return html`<form class="step-form" data-testid=${'form-' + step} onSubmit=${submit}>
        ${fields}
        <button type="submit" data-testid=${'submit-' + step}>${t('submit')}: ${t('act_' + step)}</button>
    </form>`;
}

// Editing the ticket's fields (ticket.update): the form keeps the version it was opened on and
// sends it as If-Match, so a change made meanwhile by someone else is refused (412), not lost.
function EditForm({ ticket, onSaved, onError }) {
    const [base, setBase] = useState(null); // {data, etag} as the form opened
    const [v, setV] = useState({});
    useEffect(() => {
        api.ticketVersioned(ticket.id).then((r) => {
            setBase(r);
            setV({ title: r.data.title, category: r.data.category || '', impact: String(r.data.impact), urgency: String(r.data.urgency) });
        }, onError);
    }, []);
    if (!base) return html`<p>${t('loading')}</p>`;
    const set = (k) => (e) => setV(Object.assign({}, v, { [k]: e.target.value }));
    const submit = async (e) => {
        e.preventDefault();
        const patch = {};
        if (v.title.trim() !== base.data.title) patch.title = v.title.trim();
        if (v.category.trim() !== (base.data.category || '')) patch.category = v.category.trim();
        if (Number(v.impact) !== base.data.impact) patch.impact = Number(v.impact);
        if (Number(v.urgency) !== base.data.urgency) patch.urgency = Number(v.urgency);
        if (!Object.keys(patch).length) return onSaved(null);
        try {
            onSaved(await api.update(ticket.id, patch, base.etag));
        } catch (err) {
            onError(err);
        }
    };
    const sel = (k) => html`<select id=${'f-edit-' + k} data-testid=${'edit-' + k} value=${v[k]} onChange=${set(k)}>
        ${[1, 2, 3].map((n) => html`<option value=${n}>${n}</option>`)}</select>`;
    return html`<form class="step-form" data-testid="form-edit" onSubmit=${submit}>
        <${Field} id="f-edit-title" label=${t('title')}>
            <input id="f-edit-title" data-testid="edit-title" required maxlength="200" value=${v.title} onInput=${set('title')} /><//>
        <${Field} id="f-edit-category" label=${t('category')}>
            <input id="f-edit-category" data-testid="edit-category" maxlength="64" value=${v.category} onInput=${set('category')} /><//>
        <${Field} id="f-edit-impact" label=${t('impact')}>${sel('impact')}<//>
        <${Field} id="f-edit-urgency" label=${t('urgency')}>${sel('urgency')}<//>
        <button type="submit" data-testid="submit-edit">${t('save')}</button>
    </form>`;
}

function Actions({ ticket, onAct, onEdited, onError }) {
    const app = useApp();
    const [open, setOpen] = useState(null); // the step whose form is shown
    const sites = app.sites.map((s) => s.site);
    const steps = ['ack', 'assign', 'start', 'pending', 'resolve', 'close', 'reopen', 'cancel', 'handover'];
    const direct = { ack: true, start: true }; // no arguments: one click
    useEffect(() => setOpen(null), [ticket.status]);
    return html`<section class="actions" aria-labelledby="h-actions">
        <h2 id="h-actions">${t('actions')}</h2>
        <div class="buttons">
            ${steps.map((s) => {
                // Cancelling is the manager's (PERMISSIONS.md); the rest follows the state machine.
                const ok = ALLOWED[s].includes(ticket.status) && (s !== 'cancel' || app.roles.manager);
                return html`<button type="button" data-testid=${'action-' + s} disabled=${!ok}
                    aria-expanded=${direct[s] ? null : String(open === s)}
                    title=${ok ? '' : t('not_allowed', { s: t('st_' + ticket.status) })}
                    aria-keyshortcuts=${s === 'ack' ? 'a' : s === 'start' ? 's' : null}
                    onClick=${() => (direct[s] ? onAct(s, {}) : setOpen(open === s ? null : s))}>${t('act_' + s)}</button>`;
            })}
            <button type="button" class="secondary" data-testid="action-edit" aria-expanded=${String(open === 'edit')}
                disabled=${!EDITABLE.includes(ticket.status)} onClick=${() => setOpen(open === 'edit' ? null : 'edit')}>${t('edit')}</button>
        </div>
        ${open === 'edit' ? html`<${EditForm} ticket=${ticket} onError=${onError}
            onSaved=${(tk) => { if (tk) onEdited(tk); setOpen(null); }} />` : null}
        ${open && open !== 'edit' ? html`<${StepForm} step=${open} ticket=${ticket} sites=${sites}
            onDone=${(a) => onAct(open, a).then((ok) => ok && setOpen(null))} />` : null}
    </section>`;
}

export function Comments({ ticket, onComment, agent }) {
    const { zone } = useApp();
    const [body, setBody] = useState('');
    const area = useRef(null);
    const send = async (isPublic) => {
        if (!body.trim()) return;
        if (await onComment(body, isPublic)) setBody('');
    };
    useEffect(() => {
        if (!agent) return;
        const on = (e) => {
            const tag = (e.target && e.target.tagName) || '';
            if (/INPUT|TEXTAREA|SELECT/.test(tag) || e.ctrlKey || e.metaKey || e.altKey) return;
            if ((e.key === 'r' || e.key === 'n') && area.current) {
                area.current.focus();
                area.current.dataset.mode = e.key === 'r' ? 'public' : 'internal';
                e.preventDefault();
            }
        };
        window.addEventListener('keydown', on);
        return () => window.removeEventListener('keydown', on);
    }, [agent]);
    const list = ticket.comments || [];
    return html`<section class="comments" aria-labelledby="h-comments">
        <h2 id="h-comments">${agent ? t('comments') : t('replies')}</h2>
        ${list.length ? null : html`<p class="empty">${t('no_comments')}</p>`}
        <ol class="thread" data-testid="comments" aria-live="polite">
            ${list.map((c) => html`<li key=${c.origin + ':' + c.seq} class=${c.public ? 'comment public' : 'comment internal'}
                    data-testid="comment" data-public=${String(c.public)}>
                <div class="meta"><strong>${c.author}</strong> · ${fmtTime(c.at, zone)}
                    · <span class="kind">${c.public ? t('public_reply') : t('internal')}</span></div>
                <div class="body">${c.body}</div>
            </li>`)}
        </ol>
        ${ticket.status === 'cancelled' ? null : html`<form class="comment-form" onSubmit=${(e) => { e.preventDefault(); send(true); }}>
            <label for="comment-body">${agent ? t('comment_body') : t('reply')}</label>
            <textarea id="comment-body" ref=${area} data-testid="comment-body" value=${body}
                onInput=${(e) => setBody(e.target.value)}></textarea>
            <div class="buttons">
                <button type="submit" data-testid="comment-reply" aria-keyshortcuts=${agent ? 'r' : null}>${agent ? t('reply_public') : t('send')}</button>
                ${agent ? html`<button type="button" class="secondary" data-testid="comment-note" aria-keyshortcuts="n"
                    onClick=${() => send(false)}>${t('internal_note')}</button>` : null}
            </div>
        </form>`}
    </section>`;
}

function History({ history }) {
    const { zone } = useApp();
    if (!history) return null;
    const events = history.events || [];
    const changes = history.changes || [];
    const summary = (ev, i) => {
        if (ev.op === 'comment') return (ev.fields.public ? t('public_reply') : t('internal')) + ': ' + (ev.fields.body || '');
        const ch = changes[i];
        if (ch) return Object.keys(ch.to || {}).map((k) => `${k}: ${JSON.stringify(ch.from[k])} → ${JSON.stringify(ch.to[k])}`).join('; ');
        const f = ev.fields || {};
        return ['status', 'assignee', 'owner_site', 'sla_state', 'tier', 'resolution', 'status_reason']
            .filter((k) => f[k] !== undefined && f[k] !== null && f[k] !== '')
            .map((k) => `${k}=${f[k]}`).join(' ');
    };
    return html`<section class="history" aria-labelledby="h-history">
        <h2 id="h-history">${t('history')}</h2>
        <ol data-testid="history">${events.map((ev, i) => html`<li key=${ev.origin + ':' + ev.seq} data-testid="history-event" data-op=${ev.op}>
            <span class="t">${fmtTime(Math.floor(ev.hlc / 65536), zone)}</span>
            <strong> ${ev.op}</strong> · ${ev.author} · ${ev.origin} <span class="sum">${summary(ev, i)}</span>
        </li>`)}</ol>
    </section>`;
}

export function useTicket(id) {
    const [ticket, setTicket] = useState(null);
    const [history, setHistory] = useState(null);
    const [error, setError] = useState(null);
    const load = async () => {
        try {
            setTicket(await api.ticket(id));
            setHistory(await api.history(id));
            setError(null);
        } catch (e) {
            setError(e);
        }
    };
    useEffect(() => {
        setTicket(null);
        setHistory(null);
        load();
        return onEvent((kind, data) => {
            if (kind === 'reconnect') load();
            if (kind === 'ticket' && data && data.id === id) {
                if (data.ticket) setTicket(data.ticket);
                api.history(id).then(setHistory, () => {});
            }
        });
    }, [id]);
    return { ticket, setTicket, history, setHistory, error, setError, load };
}

export function TicketCard({ id }) {
    const app = useApp();
    const now = useNow();
    const { ticket, setTicket, setHistory, history, error, setError } = useTicket(id);
    const [notice, setNotice] = useState(null);

    const act = async (step, args) => {
        try {
            setTicket(await api.action(id, step, args));
            setHistory(await api.history(id));
            setError(null);
            setNotice(t('act_' + step) + ' ✓');
            return true;
        } catch (e) {
            setError(e);
            return false;
        }
    };
    const comment = async (body, isPublic) => {
        try {
            setTicket(await api.comment(id, body, isPublic));
            setHistory(await api.history(id));
            setError(null);
            return true;
        } catch (e) {
            setError(e);
            return false;
        }
    };
    useEffect(() => {
        const on = (e) => {
            const tag = (e.target && e.target.tagName) || '';
            if (e.key === 'Escape' && !/INPUT|TEXTAREA|SELECT/.test(tag)) window.history.length > 1 ? window.history.back() : navigate('/queue');
            if (/INPUT|TEXTAREA|SELECT|BUTTON/.test(tag) || e.ctrlKey || e.metaKey || e.altKey || !ticket) return;
            if (e.key === 'a' && ALLOWED.ack.includes(ticket.status)) act('ack', {});
            if (e.key === 's' && ALLOWED.start.includes(ticket.status)) act('start', {});
        };
        window.addEventListener('keydown', on);
        return () => window.removeEventListener('keydown', on);
    }, [ticket]);

    if (!ticket) return html`<section><${ErrorLine} error=${error} />${error ? null : html`<p>${t('loading')}</p>`}</section>`;
    const site = app.sites.find((s) => s.site === ticket.owner_site);
    const siteZone = site ? site.zone : null;
    const siteLabel = ticket.owner_site + ' ' + t('site_time');
    return html`<article class="ticket" data-testid="ticket-card" data-id=${ticket.id} data-status=${ticket.status}>
        <p><a href="#/queue" data-testid="back">← ${t('back')}</a></p>
        <h1><span data-testid="ticket-id">${ticket.id}</span> · <span data-testid="ticket-title">${ticket.title}</span></h1>
        <${ErrorLine} error=${error} />
        ${notice ? html`<p class="notice" role="status" data-testid="notice">${notice}</p>` : null}
        <dl class="facts">
            <dt>${t('status')}</dt><dd><${StatusBadge} status=${ticket.status} />${ticket.status_reason ? ' · ' + ticket.status_reason : ''}</dd>
            <dt>${t('priority')}</dt><dd data-testid="ticket-priority">${ticket.priority}</dd>
            <dt>${t('tier')}</dt><dd>${ticket.tier}</dd>
            <dt>${t('team')}</dt><dd>${ticket.team || '—'}</dd>
            <dt>${t('assignee')}</dt><dd data-testid="ticket-assignee">${ticket.assignee || '—'}</dd>
            <dt>${t('requester')}</dt><dd>${ticket.requester}</dd>
            <dt>${t('owner_site')}</dt><dd data-testid="ticket-site">${ticket.owner_site}</dd>
            <dt>${t('category')}</dt><dd>${ticket.category || '—'}</dd>
            ${ticket.paged_at ? html`<dt>${t('paged')}</dt><dd data-testid="ticket-paged">${ticket.oncall} · <${Time} ms=${ticket.paged_at} zone=${app.zone} /></dd>` : null}
        </dl>
        <${TicketContext} ticket=${ticket} onAct=${act} />
        ${ticket.description ? html`<section><h2>${t('description')}</h2><p class="desc">${ticket.description}</p></section>` : null}
        ${ticket.resolution ? html`<section><h2>${t('resolution')}</h2><p class="desc" data-testid="ticket-resolution">${ticket.resolution}</p>
            ${ticket.article ? html`<p data-testid="ticket-article">${t('kb_resolved_with')}: <a href=${'#/kb/' + encodeURIComponent(ticket.article)}>${ticket.article}</a></p>` : null}</section>` : null}
        <${TicketMessages} ticket=${ticket} />
        <${SuggestedArticles} ticket=${ticket} />
        <section class="sla" aria-labelledby="h-sla" data-testid="sla-clocks">
            <h2 id="h-sla">${t('sla_clocks')} <${SlaBadge} state=${ticket.sla_state} /></h2>
            <table><tbody>
                <tr><th scope="row">${t('response_due')}</th>
                    <td><${Time} ms=${ticket.response_due} zone=${app.zone} zone2=${siteZone} label2=${siteLabel} testid="response-due" />
                        <${Due} ms=${ticket.response_due} now=${now} /></td></tr>
                <tr><th scope="row">${t('resolve_due')}</th>
                    <td><${Time} ms=${ticket.resolve_due} zone=${app.zone} zone2=${siteZone} label2=${siteLabel} testid="resolve-due" />
                        <${Due} ms=${ticket.resolve_due} now=${now} /></td></tr>
            </tbody></table>
            ${ticket.sla_reason ? html`<p class="sla-reason">${ticket.sla_reason}</p>` : null}
        </section>
        <${Actions} ticket=${ticket} onAct=${act} onError=${setError}
            onEdited=${(tk) => { setTicket(tk); setError(null); setNotice(t('edit') + ' ✓'); api.history(id).then(setHistory, () => {}); }} />
        <${Comments} ticket=${ticket} onComment=${comment} agent=${true} />
        <${History} history=${history} />
    </article>`;
}
