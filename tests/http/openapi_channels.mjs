// openapi_channels.mjs - the channels' part (issue 17) of test_openapi.mjs: fixtures of inbound
// messages and blobs, and the written-out cases of messages, blobs, monitoring alerts (a node of
// its own with an Alertmanager and a PagerDuty source) and the outbox.
//
// channels(f) takes the main test's fixtures through f (getters: node, plain, agent, mgr, req,
// plainAgent are set by its before(); ticketIn) and returns the fixtures its generic cases use
// (MAIL, freshMessage, freshBlob) and cases(C), which adds the written-out cases.
import { before, after } from 'node:test';
import { startNode, assert } from './lib.mjs';

export function channels(f) {
  // Inbound messages (proto/MAIL.md): ids made from the Message-ID (BLAKE2b-128, computed once
  // with Python's hashlib), a chat message's by the f.node.
  const MAIL = { id: 'M-b343e296eda0ce887a692b1c29dc71', message_id: 'openapi-good@example.com', from: 'good@example.com' };
  const AUTO = {
    'openapi-auto1@example.com': 'M-981606973b623de219593ed3e4ce76', 'openapi-auto2@example.com': 'M-6a4d628386cdc8a675fbaba4ed29b6',
    'openapi-auto3@example.com': 'M-62dcc641d3ed8c7cfb14a9b43628b1',
  };
  // An auto-reply (state ignored: release and discard take it); its id.
  async function autoMail(msgid) {
    const r = await f.node.api('POST', '/api/v1/mail/messages', { token: f.agent.token,
      body: { id: AUTO[msgid], message_id: msgid, from: 'ooo@example.com', class: 'auto', subject: 'Out of office' } });
    assert.equal(r.status, 200, r.text);
    return r.json.message.id;
  }
  let nChat = 0;
  async function freshMessage() {
    const r = await f.node.api('POST', '/api/v1/chat/messages', { token: f.agent.token,
      body: { source: 'wecom', conversation: `c${++nChat}`, sender: 'wang', text: 'VPN 连不上', message_id: 'm1' } });
    assert.equal(r.status, 200, r.text);
    return r.json.message.id;
  }
  async function freshBlob(bytes = 'hello blob') {
    const r = await f.node.api('POST', '/api/v1/blobs', { token: f.agent.token, raw: bytes, type: 'application/octet-stream' });
    assert.equal(r.status, 201, r.text);
    return r.json.blob;
  }
  const NO_BLOB = `b2-${'0'.repeat(64)}`;

  function cases(C) {
    // inbound mail and chat, blobs
    const MS = '/api/v1/messages';
    C('GET', MS, 200, () => f.node.api('GET', `${MS}?state=ignored&channel=email&limit=5`, { token: f.agent.token }));
    C('GET', MS, 403, () => f.node.api('GET', MS, { token: f.req.token }));
    C('GET', `${MS}/{id}`, 200, async () => f.node.api('GET', `${MS}/${await freshMessage()}`, { token: f.agent.token }));
    C('GET', `${MS}/{id}`, 403, async () => f.node.api('GET', `${MS}/${await freshMessage()}`, { token: f.req.token }));
    C('POST', `${MS}/{id}/actions/release`, 200, async () =>
      f.node.api('POST', `${MS}/${await autoMail('openapi-auto1@example.com')}/actions/release`, { token: f.agent.token }));
    C('POST', `${MS}/{id}/actions/release`, 403, async () =>
      f.node.api('POST', `${MS}/${await freshMessage()}/actions/release`, { token: f.req.token }));
    C('POST', `${MS}/{id}/actions/release`, 409, async () =>
      f.node.api('POST', `${MS}/${await freshMessage()}/actions/release`, { token: f.agent.token }));
    C('POST', `${MS}/{id}/actions/discard`, 200, async () =>
      f.node.api('POST', `${MS}/${await autoMail('openapi-auto2@example.com')}/actions/discard`, { token: f.agent.token }));
    C('POST', `${MS}/{id}/actions/discard`, 403, async () =>
      f.node.api('POST', `${MS}/${await autoMail('openapi-auto3@example.com')}/actions/discard`, { token: f.req.token }));
    C('POST', `${MS}/{id}/actions/discard`, 409, async () =>
      f.node.api('POST', `${MS}/${await freshMessage()}/actions/discard`, { token: f.agent.token }));
    C('GET', '/api/v1/tickets/{id}/messages', 200, async () => {
      const r = await f.node.api('POST', '/api/v1/chat/messages', { token: f.agent.token,
        body: { source: 'wecom', conversation: 'tm', sender: 'wang', text: 'printer', message_id: 'tm1' } });
      return f.node.api('GET', `/api/v1/tickets/${r.json.message.ticket}/messages?limit=5`, { token: f.agent.token });
    });
    C('GET', '/api/v1/tickets/{id}/messages', 403, async () =>
      f.node.api('GET', `/api/v1/tickets/${await f.ticketIn('new')}/messages`, { token: f.req.token }));
    C('POST', '/api/v1/mail/messages', 200, () => f.node.api('POST', '/api/v1/mail/messages', { token: f.agent.token,
      body: { ...MAIL, from_name: '王芳', subject: '打印机卡纸', text: '三楼打印机卡纸', received_at: 1700000000000 } }));
    C('POST', '/api/v1/mail/messages', 403, () => f.node.api('POST', '/api/v1/mail/messages', { token: f.req.token, body: MAIL }));
    C('POST', '/api/v1/mail/messages', 404, () => f.node.api('POST', '/api/v1/mail/messages', { token: f.agent.token,
      body: { id: 'M-f3b1484f20fb4ba17d242bfb16bf91', message_id: 'openapi-noraw@example.com', from: 'a@example.com', raw: NO_BLOB } }));
    C('POST', '/api/v1/chat/messages', 200, () => f.node.api('POST', '/api/v1/chat/messages', { token: f.agent.token,
      body: { source: 'feishu', conversation: 'g', sender: 'li', sender_name: '李', text: '你好', message_id: 'x1', received_at: 1700000000000 } }));
    C('POST', '/api/v1/chat/messages', 403, () => f.node.api('POST', '/api/v1/chat/messages', { token: f.req.token,
      body: { source: 'feishu', conversation: 'g', sender: 'li', text: '你好' } }));
    C('POST', '/api/v1/blobs', 201, () => f.node.api('POST', '/api/v1/blobs', { token: f.agent.token, raw: 'raw bytes', type: 'application/octet-stream' }));
    C('POST', '/api/v1/blobs', 403, () => f.node.api('POST', '/api/v1/blobs', { token: f.req.token, raw: 'x', type: 'application/octet-stream' }));
    C('POST', '/api/v1/blobs/join', 200, async () => f.node.api('POST', '/api/v1/blobs/join', { token: f.agent.token,
      body: { parts: `${await freshBlob('one ')},${await freshBlob('two')}`, type: 'text/plain' } }));
    C('POST', '/api/v1/blobs/join', 403, async () => f.node.api('POST', '/api/v1/blobs/join', { token: f.req.token,
      body: { parts: await freshBlob() } }));
    C('POST', '/api/v1/blobs/join', 404, () => f.node.api('POST', '/api/v1/blobs/join', { token: f.agent.token, body: { parts: NO_BLOB } }));
    C('GET', '/api/v1/blobs/{blob}', 200, async () => f.node.api('GET', `/api/v1/blobs/${await freshBlob()}`, { token: f.agent.token }));
    C('GET', '/api/v1/blobs/{blob}', 403, async () => f.node.api('GET', `/api/v1/blobs/${await freshBlob()}`, { token: f.req.token }));
    C('GET', '/api/v1/blobs/{blob}', 404, () => f.node.api('GET', `/api/v1/blobs/${NO_BLOB}`, { token: f.agent.token }));
    // monitoring alerts (issue 17): a node of its own with an Alertmanager and a PagerDuty source
    const AL = '/api/v1/alerts', AM = `${AL}/alertmanager`, PDE = `${AL}/events`;
    const SOURCES = 'alerts\n    source\n        name = prom\n        kind = alertmanager\n        user = prom\n' +
      '    source\n        name = pd\n        kind = pagerduty\n        user = pd\n';
    let alertNode, prom, pd, nAlert = 0;
    const amBody = (fp) => ({ version: '4', status: 'firing', receiver: 'desk', groupKey: '{}:{}', truncatedAlerts: 0,
      groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am:9093',
      alerts: [{ status: 'firing', labels: { alertname: 'DiskFull', severity: 'critical' }, annotations: { summary: 'Disk full' },
        startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom:9090/graph', fingerprint: fp }] });
    const pdBody = () => ({ routing_key: 'R0123', event_action: 'trigger', dedup_key: `oa-${++nAlert}`,
      payload: { summary: 'Disk full on db1', source: 'db1', severity: 'error' } });
    before(async () => {
      alertNode = await startNode({ site: 'SHA', calendars: false, replication: false, conf: SOURCES });
      prom = alertNode.user('prom', ['agent']);
      pd = alertNode.user('pd', ['agent']);
    });
    after(async () => alertNode.stop());
    C('POST', AM, 200, () => alertNode.api('POST', AM, { token: prom.token, body: amBody(`oa-${++nAlert}`) }));
    C('POST', AM, 403, () => f.node.api('POST', AM, { token: f.agent.token, body: amBody('oa-no') }));
    C('POST', PDE, 202, () => alertNode.api('POST', PDE, { token: pd.token, body: pdBody() }));
    C('POST', PDE, 403, () => alertNode.api('POST', PDE, { token: prom.token, body: pdBody() }));
    C('GET', AL, 200, () => f.node.api('GET', `${AL}?state=firing&limit=5`, { token: f.agent.token }));
    C('GET', AL, 403, () => f.node.api('GET', AL, { token: f.req.token }));
    C('GET', `${AL}/{id}`, 200, async () => {
      const r = await alertNode.api('POST', AM, { token: prom.token, body: amBody(`oa-${++nAlert}`) });
      return alertNode.api('GET', `${AL}/${r.json.alerts[0].alert}`, { token: prom.token });
    });
    C('GET', `${AL}/{id}`, 403, () => f.node.api('GET', `${AL}/AL-00000000000000000000000000000`, { token: f.req.token }));
    // notifications out (issue 17): the outbox (lib.mjs: mail to fail...@ is refused, the rest taken)
    const OB = '/api/v1/outbox', OBR = '/api/v1/outbox/{id}/actions/retry';
    const obr = (id) => `/api/v1/outbox/${encodeURIComponent(id)}/actions/retry`;
    let nOut = 0;
    // The outbox entry (its id) of a new ticket whose requester is PREFIX<n>@example.com, once in state.
    async function outboxEntry(prefix, state) {
      const t = f.node.sd('ticket', 'new', '--title', `out ${++nOut}`, '--requester', `${prefix}${nOut}@example.com`).trim().split('\n')[0];
      for (let i = 0; i < 200; i++) {
        const r = await f.node.api('GET', `${OB}?ticket=${t}&state=${state}`, { token: f.agent.token });
        if (r.json?.items?.length) return r.json.items[0].id;
        await new Promise((done) => setTimeout(done, 50));
      }
      throw new Error(`no ${state} outbox entry for ${t}`);
    }
    C('GET', OB, 200, async () => {
      await outboxEntry('ok', 'sent');
      return f.node.api('GET', `${OB}?limit=1`, { token: f.agent.token });
    });
    C('GET', OB, 403, () => f.node.api('GET', OB, { token: f.req.token }));
    C('GET', OB, 422, () => f.node.api('GET', `${OB}?state=lost`, { token: f.agent.token }));
    C('GET', OB, 503, () => f.plain.api('GET', OB, { token: f.plainAgent.token }));
    C('POST', OBR, 200, async () => f.node.api('POST', obr(await outboxEntry('fail', 'failed')), { token: f.mgr.token }));
    C('POST', OBR, 403, () => f.node.api('POST', obr('x@example.com'), { token: f.agent.token }));
    C('POST', OBR, 409, async () => f.node.api('POST', obr(await outboxEntry('ok', 'sent')), { token: f.mgr.token }));
    C('POST', OBR, 503, () => f.plain.api('POST', obr('x@example.com'), { token: f.plain.user(`pm${++nOut}`, ['manager']).token }));
  }

  return { MAIL, freshMessage, freshBlob, cases };
}
