// outbox.js - the notices this node sends (GET /outbox, proto/NOTIFY.md) on the node page:
// each mail or chat notice with its state, recipients, tries and last error, filtered by state;
// a failed or unknown one is sent again by its button (POST /outbox/ID/actions/retry, managers
// and admins). A node that sends nothing says so instead of a table.
import { useState } from 'preact/hooks';
import { request } from './api.js';
import { t, fmtTime } from './i18n.js';
import { html, useApp, useFetch, ErrorLine } from './common.js';

export const en = {
    outbox: 'Notices sent by this node',
    outbox_help: 'Mail and chat notices this node made from the desk’s events (its own queue).',
    outbox_off: 'This node sends no notices: mail and chat robots are off in its config.',
    outbox_none: 'No notices.',
    outbox_state: 'State',
    outbox_all: 'All',
    outbox_kind: 'Notice',
    outbox_to: 'To',
    outbox_when: 'When',
    outbox_tries: 'Tries',
    outbox_retry: 'Send again',
    outbox_unknown_help: 'unknown: the node stopped while handing it off. Check that it did not arrive before sending it again.',
    ob_queued: 'queued',
    ob_sending: 'sending',
    ob_sent: 'sent',
    ob_failed: 'failed',
    ob_unknown: 'unknown',
};
export const zh = {
    outbox: '本节点发出的通知',
    outbox_help: '本节点根据服务台事件生成的邮件和聊天通知（本节点自己的队列）。',
    outbox_off: '本节点不发送通知：配置中未开启邮件和聊天机器人。',
    outbox_none: '没有通知。',
    outbox_state: '状态',
    outbox_all: '全部',
    outbox_kind: '通知',
    outbox_to: '收件人',
    outbox_when: '时间',
    outbox_tries: '尝试',
    outbox_retry: '重新发送',
    outbox_unknown_help: '未知：节点在投递时停止。重新发送前请确认对方没有收到。',
    ob_queued: '排队中',
    ob_sending: '发送中',
    ob_sent: '已发送',
    ob_failed: '失败',
    ob_unknown: '未知',
};

const STATES = ['queued', 'sending', 'sent', 'failed', 'unknown'];

export function Outbox() {
    const { zone } = useApp();
    const [state, setState] = useState('');
    const [tick, setTick] = useState(0);
    const [error, setError] = useState(null);
    const list = useFetch(() => request('GET', '/outbox', { query: { state, limit: 50 } }), [state, tick]);
    const retry = async (id) => {
        setError(null);
        try {
            await request('POST', '/outbox/' + encodeURIComponent(id) + '/actions/retry', { body: {} });
            setTick((x) => x + 1);
        } catch (e) {
            setError(e);
        }
    };
    const off = list.error && list.error.status === 503;
    const items = (list.data && list.data.items) || [];
    return html`<section data-testid="outbox">
        <h2>${t('outbox')}</h2>
        ${off ? html`<p data-testid="outbox-off">${t('outbox_off')}</p>` : html`
        <p class="more">${t('outbox_help')}</p>
        <div class="buttons">
            <label for="outbox-state">${t('outbox_state')}</label>
            <select id="outbox-state" data-testid="outbox-state" value=${state} onChange=${(e) => setState(e.target.value)}>
                <option value="">${t('outbox_all')}</option>
                ${STATES.map((s) => html`<option value=${s}>${t('ob_' + s)}</option>`)}
            </select>
            <button type="button" data-testid="outbox-refresh" onClick=${() => setTick((x) => x + 1)}>${t('refresh')}</button>
        </div>
        <${ErrorLine} error=${error || list.error} />
        ${list.data && !items.length ? html`<p data-testid="outbox-none">${t('outbox_none')}</p>` : null}
        ${items.length ? html`<table data-testid="outbox-table"><thead><tr>
            <th scope="col">${t('outbox_state')}</th><th scope="col">${t('outbox_kind')}</th>
            <th scope="col">${t('outbox_to')}</th><th scope="col">${t('outbox_when')}</th>
            <th scope="col">${t('outbox_tries')}</th><th scope="col"></th></tr></thead>
            <tbody>${items.map((e) => html`<tr data-testid="outbox-row" data-id=${e.id} data-state=${e.state}>
                <td class=${e.state === 'failed' || e.state === 'unknown' ? 'warn' : ''}>${t('ob_' + e.state)}</td>
                <td>${e.kind}${e.ticket ? html` <a href=${'#/tickets/' + e.ticket}>${e.ticket}</a>` : null}
                    <div class="more">${e.subject}</div></td>
                <td>${e.to || '—'}</td>
                <td>${fmtTime(e.sent_at || e.next_at || e.created_at, zone)}</td>
                <td>${e.attempts}</td>
                <td>${e.state === 'failed' || e.state === 'unknown'
                    ? html`<button type="button" data-testid="outbox-retry" title=${e.state === 'unknown' ? t('outbox_unknown_help') : ''}
                        onClick=${() => retry(e.id)}>${t('outbox_retry')}</button>` : null}
                    ${e.error ? html`<div class="more" data-testid="outbox-error">${e.error}</div>` : null}</td>
            </tr>`)}</tbody></table>` : null}`}
    </section>`;
}
