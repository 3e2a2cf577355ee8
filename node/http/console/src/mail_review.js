// mail_review.js - "Mail held for review" for agents (#/mail, proto/MAIL.md): the mail of
// unknown senders that `mail / unknown_sender = hold` keeps from opening tickets (GET
// /messages?state=held, oldest first), each with who sent it, when, its subject and the start
// of its text, released into a ticket (POST /messages/ID/actions/release; the row then links
// to the ticket) or discarded (.../discard). The second filter (#/mail?state=ignored) lists the
// auto-replies and list mail the intake ignored, so a wrongly ignored one can be released too.
// Kept live by the event stream's `message` events; useHeldCount gives the navigation's count.
import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from './api.js';
import { onEvent } from './sse.js';
import { t } from './i18n.js';
import { html, useApp, navigate, ErrorLine, Time } from './common.js';
import { usePaged } from './forms.js';
import { enc } from './customer_card.js';

export const en = {
    nav_mail: 'Held mail',
    held_title: 'Mail held for review',
    held_help: 'Mail from senders who are no customer waits here (mail / unknown_sender = hold): release it to open its ticket, or discard it.',
    ignored_help: 'Auto-replies and mailing-list mail open no ticket. Release one that a person wrote to open its ticket.',
    held_show: 'Show',
    held_state_held: 'Held (unknown senders)',
    held_state_ignored: 'Ignored (auto-replies, lists)',
    held_none: 'No mail is held for review.',
    ignored_none: 'No mail was ignored.',
    held_from: 'From',
    held_subject: 'Subject and text',
    held_received: 'Received',
    held_no_subject: '(no subject)',
    held_full_text: 'Whole text',
    held_cut: 'The text is cut here; the raw message has all of it.',
    held_raw: 'raw message',
    held_release: 'Release',
    held_release_help: 'Open a ticket for this mail (you are its author; the sender its requester)',
    held_discard: 'Discard',
    held_discard_confirm: 'Discard the mail from {from}? It opens no ticket.',
    held_released: 'Released: ticket',
    held_discarded: 'Discarded',
    held_class_auto: 'auto-reply',
    held_class_list: 'mailing list',
    held_loaded: '{n} loaded.',
};
export const zh = {
    nav_mail: '待审邮件',
    held_title: '待审核的邮件',
    held_help: '非客户发件人的邮件在此等待（mail / unknown_sender = hold）：放行以创建工单，或丢弃。',
    ignored_help: '自动回复和邮件列表的邮件不会创建工单。若某封实为真人所写，可放行以创建工单。',
    held_show: '显示',
    held_state_held: '待审核（未知发件人）',
    held_state_ignored: '已忽略（自动回复、邮件列表）',
    held_none: '没有待审核的邮件。',
    ignored_none: '没有被忽略的邮件。',
    held_from: '发件人',
    held_subject: '主题与正文',
    held_received: '收到时间',
    held_no_subject: '（无主题）',
    held_full_text: '完整正文',
    held_cut: '正文在此截断；原始邮件包含全部内容。',
    held_raw: '原始邮件',
    held_release: '放行',
    held_release_help: '为此邮件创建工单（您为操作人，发件人为请求人）',
    held_discard: '丢弃',
    held_discard_confirm: '丢弃来自 {from} 的邮件？不会创建工单。',
    held_released: '已放行：工单',
    held_discarded: '已丢弃',
    held_class_auto: '自动回复',
    held_class_list: '邮件列表',
    held_loaded: '已加载 {n} 封。',
};

const STATES = ['held', 'ignored'];

// useHeldCount(on) → how many mails wait for review ('99+' past a page; null when none or
// unknown), for the navigation's entry; refetched on `message` events and after a reconnect.
export function useHeldCount(on) {
    const [n, setN] = useState(null);
    useEffect(() => {
        if (!on) return undefined;
        let alive = true;
        let timer = null;
        const load = () => request('GET', '/messages', { query: { state: 'held', channel: 'email', limit: 99 } })
            .then((r) => alive && setN(r.next_cursor ? '99+' : (r.items || []).length || null), () => alive && setN(null));
        load();
        const off = onEvent((k) => {
            if (k !== 'message' && k !== 'reconnect') return;
            clearTimeout(timer); // a burst of mail is one refetch
            timer = setTimeout(load, 300);
        });
        return () => {
            alive = false;
            clearTimeout(timer);
            off();
        };
    }, [on]);
    return n;
}

// The start of a text on one line, for the table.
function preview(text, n = 200) {
    const s = (text || '').replace(/\s+/g, ' ').trim();
    return s.length > n ? s.slice(0, n) + '…' : s;
}

// The rows to show: the node's list with the answers of this page's releases and discards in
// place, and the handled rows the list no longer holds kept where they were (so a released
// row stays, with its ticket, until the agent leaves or refreshes).
function merge(prev, items, done) {
    const ids = new Set(items.map((m) => m.id));
    const out = items.map((m) => done[m.id] || m);
    prev.forEach((m, i) => {
        if (done[m.id] && !ids.has(m.id)) out.splice(Math.min(i, out.length), 0, done[m.id]);
    });
    return out;
}

function Row({ m, zone, busy, onAct }) {
    const handled = m.state !== 'held' && m.state !== 'ignored';
    return html`<tr data-testid="held-row" data-id=${m.id} data-state=${m.state}>
        <td data-label=${t('held_from')}><strong>${m.from_name || m.from}</strong>
            ${m.from_name ? html`<div class="muted">${m.from}</div>` : null}
            ${m.class === 'auto' || m.class === 'list' ? html`<span class="badge">${t('held_class_' + m.class)}</span>` : null}</td>
        <td data-label=${t('held_subject')}>
            <div class="message-subject" data-testid="held-subject">${m.subject || t('held_no_subject')}</div>
            ${m.text ? html`<details class="held-text"><summary class="muted" data-testid="held-preview">${preview(m.text)}</summary>
                <pre data-testid="held-text">${m.text}</pre>
                ${m.text_truncated ? html`<p class="more">${t('held_cut')}</p>` : null}</details>` : null}
            ${m.raw ? html`<a href=${'/api/v1/blobs/' + enc(m.raw)} download=${m.id + '.eml'} class="more">${t('held_raw')}</a>` : null}</td>
        <td data-label=${t('held_received')}><${Time} ms=${m.received_at} zone=${zone} /></td>
        <td>${m.state === 'ticket' && m.ticket
            ? html`<span data-testid="held-done">${t('held_released')} <a href=${'#/tickets/' + m.ticket} data-testid="held-ticket">${m.ticket}</a></span>`
            : handled
            ? html`<span class="muted" data-testid="held-done">${m.state === 'discarded' ? t('held_discarded') : m.state}</span>`
            : html`<div class="buttons">
                <button type="button" data-testid="held-release" disabled=${busy} title=${t('held_release_help')}
                    onClick=${() => onAct(m, 'release')}>${t('held_release')}</button>
                <button type="button" data-testid="held-discard" disabled=${busy}
                    onClick=${() => onAct(m, 'discard')}>${t('held_discard')}</button></div>`}</td>
    </tr>`;
}

export function HeldMail({ state: asked }) {
    const { zone } = useApp();
    const state = STATES.includes(asked) ? asked : 'held';
    const list = usePaged('/messages', { state, channel: 'email', limit: 50 }, ['message']);
    const [done, setDone] = useState({}); // id → the message as the release or discard answered
    const [busy, setBusy] = useState(null); // the id whose action is under way
    const [error, setError] = useState(null);
    const shown = useRef({ state, rows: [] });
    if (shown.current.state !== state) shown.current = { state, rows: [] };
    // Only this state's messages: the list of the other filter until the node answers.
    const rows = merge(shown.current.rows, list.items.filter((m) => m.state === state), done);
    shown.current.rows = rows;

    const act = async (m, step) => {
        if (step === 'discard' && !window.confirm(t('held_discard_confirm', { from: m.from }))) return;
        setError(null);
        setBusy(m.id);
        try {
            const r = await request('POST', '/messages/' + enc(m.id) + '/actions/' + step, { body: {} });
            setDone((d) => Object.assign({}, d, { [m.id]: r.message }));
        } catch (e) {
            setError(e);
            list.reload(); // another agent may have handled it: show the node's list
        } finally {
            setBusy(null);
        }
    };
    const pick = (s) => navigate(s === 'held' ? '/mail' : '/mail?state=' + s);
    return html`<section data-testid="held-mail" data-state=${state}>
        <h1>${t('held_title')}</h1>
        <div class="buttons">
            <label for="held-state">${t('held_show')}</label>
            <select id="held-state" data-testid="held-state" value=${state} onChange=${(e) => pick(e.target.value)}>
                ${STATES.map((s) => html`<option value=${s}>${t('held_state_' + s)}</option>`)}
            </select>
            <button type="button" data-testid="held-refresh" onClick=${() => { setDone({}); list.reload(); }}>${t('refresh')}</button>
        </div>
        <p class="more">${t(state === 'held' ? 'held_help' : 'ignored_help')}</p>
        <${ErrorLine} error=${error || list.error} />
        ${list.loading && !rows.length ? html`<p>${t('loading')}</p>` : null}
        ${!list.loading && !list.error && !rows.length
            ? html`<p class="empty" data-testid="held-none">${t(state === 'held' ? 'held_none' : 'ignored_none')}</p>` : null}
        ${rows.length ? html`<table class="tickets held" data-testid="held-table"><thead><tr>
            <th scope="col">${t('held_from')}</th><th scope="col">${t('held_subject')}</th>
            <th scope="col">${t('held_received')}</th><th scope="col">${t('actions')}</th></tr></thead>
            <tbody>${rows.map((m) => html`<${Row} key=${m.id} m=${m} zone=${zone} busy=${busy === m.id} onAct=${act} />`)}</tbody>
        </table>` : null}
        ${rows.length ? html`<p class="more" data-testid="list-more">${list.next
            ? html`${t('held_loaded', { n: rows.length })} <button type="button" onClick=${list.more} data-testid="load-more">${t('load_more')}</button>`
            : t('held_loaded', { n: rows.length })}</p>` : null}
    </section>`;
}
