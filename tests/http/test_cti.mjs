// test_cti.mjs - the telephony integration: POST /api/v1/cti/events records calls in the
// contact history and pops up the caller (`call` events on /api/v1/events); the contact and
// major-incident routes.
import { test, before, after } from 'node:test';
import { desk, problem, assert } from './lib.mjs';
import { openEvents } from './sse.mjs';

let node, agent, other, pbx, requester, manager;
before(async () => {
  ({ node, agent, other, pbx, requester, manager } = await desk({
    agent: ['li', ['agent']], other: ['ma', ['agent']], pbx: ['pbx', ['agent']],
    requester: ['wang', ['requester']], manager: ['boss', ['manager']],
  }));
});
after(() => node.stop());

const auth = (token) => ({ authorization: `Bearer ${token}` });
const cti = (body, token = pbx.token) => node.api('POST', '/api/v1/cti/events', { token, body });
const callFrame = (callId) => (f) => f.event === 'call' && JSON.parse(f.data).call_id === callId;

async function streaming(token, fn) {
  const es = await openEvents(`${node.base}/api/v1/events`, auth(token));
  try {
    assert.equal(es.res.status, 200);
    await es.next((f) => f.comment === 'connected');
    await fn(es);
  } finally {
    es.close();
  }
}

test('a newCall from an unknown number pops up with customer null and records a contact', async () => {
  await streaming(agent.token, async (es) => {
    const r = await cti({ event: 'newCall', callId: 'c-1', from: '+86 21 5555 0199', to: '8001',
      direction: 'in', user: 'li' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.customer, null);
    const c = r.json.contact;
    assert.match(c.id, /^APAC-CT-\d{6}$/);
    assert.equal(c.channel, 'call');
    assert.equal(c.direction, 'in');
    assert.equal(c.call_id, 'c-1');
    assert.equal(c.from, '+86 21 5555 0199');
    assert.equal(c.agent, 'li');
    assert.equal(c.outcome, 'ringing');
    assert.equal(c.customer, undefined, 'an unknown caller names no customer');
    const f = await es.next(callFrame('c-1'));
    assert.ok(f, `the call event arrived: ${JSON.stringify(es.frames)}`);
    const d = JSON.parse(f.data);
    assert.deepEqual(d, { call_id: 'c-1', contact: c.id, from: '+86 21 5555 0199', to: '8001',
      direction: 'in', user: 'li', customer: null });

    // answer, then hangup: the same contact.
    const a = await cti({ event: 'answer', callId: 'c-1', user: 'li' });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.contact.id, c.id);
    assert.equal(a.json.contact.outcome, 'answered');
    assert.ok(a.json.contact.answered_at > 0);
    const h = await cti({ event: 'hangup', callId: 'c-1' });
    assert.equal(h.status, 200, h.text);
    assert.equal(h.json.contact.id, c.id);
    assert.equal(h.json.contact.outcome, 'ended');
    assert.ok(h.json.contact.ended_at >= a.json.contact.answered_at);
    assert.equal(typeof h.json.contact.duration, 'number');
    const got = await node.api('GET', `/api/v1/contacts/${c.id}`, { token: agent.token });
    assert.equal(got.status, 200);
    assert.equal(got.json.outcome, 'ended');
    assert.ok(got.headers.get('etag'));
    const list = await node.api('GET', '/api/v1/contacts?call_id=c-1', { token: agent.token });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.items.map((x) => x.id), [c.id], 'one contact for the whole call');
  });
});

test('a call for one agent reaches that agent only; without user every agent of the site', async () => {
  const mine = await openEvents(`${node.base}/api/v1/events`, auth(agent.token));
  const theirs = await openEvents(`${node.base}/api/v1/events`, auth(other.token));
  const req = await openEvents(`${node.base}/api/v1/events`, auth(requester.token));
  try {
    for (const es of [mine, theirs, req]) await es.next((f) => f.comment === 'connected');
    assert.equal((await cti({ event: 'newCall', callId: 'c-2', from: '1001', user: 'ma' })).status, 201);
    assert.ok(await theirs.next(callFrame('c-2')), 'ma got the pop-up');
    assert.equal((await cti({ event: 'newCall', callId: 'c-3', from: '1002' })).status, 201);
    assert.ok(await mine.next(callFrame('c-3')), 'li got the call for every agent');
    assert.ok(await theirs.next(callFrame('c-3')), 'ma got the call for every agent');
    assert.equal(mine.frames.find(callFrame('c-2')), undefined, 'no pop-up of another agent\'s call');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(req.frames.find((f) => f.event === 'call'), undefined, 'requesters get no calls');
  } finally {
    for (const es of [mine, theirs, req]) es.close();
  }
  // Hung up unanswered: missed.
  const h = await cti({ event: 'hangup', callId: 'c-3' });
  assert.equal(h.json.contact.outcome, 'missed');
  assert.equal(h.json.contact.duration, 0);
});

test('bad events are problems with a pointer; unknown calls 404; a repeated newCall 409', async () => {
  let p = problem(await cti({ callId: 'x' }), 422, 'missing_field');
  assert.equal(p.errors[0].pointer, '#/event');
  p = problem(await cti({ event: 'ring', callId: 'x' }), 422, 'out_of_range');
  assert.equal(p.errors[0].pointer, '#/event');
  p = problem(await cti({ event: 'newCall', from: '1' }), 422, 'missing_field');
  assert.equal(p.errors[0].pointer, '#/callId');
  p = problem(await cti({ event: 'newCall', callId: 'y' }), 422, 'missing_field');
  assert.equal(p.errors[0].pointer, '#/from');
  p = problem(await cti({ event: 'newCall', callId: 'y', from: 5 }), 422, 'wrong_type');
  assert.equal(p.errors[0].pointer, '#/from');
  p = problem(await cti({ event: 'newCall', callId: 'y', from: '1', direction: 'up' }), 422, 'out_of_range');
  assert.equal(p.errors[0].pointer, '#/direction');
  p = problem(await cti({ event: 'newCall', callId: 'z'.repeat(129), from: '1' }), 422, 'too_long');
  assert.equal(p.errors[0].pointer, '#/callId');
  problem(await cti({ event: 'answer', callId: 'never-rang' }), 404, 'not_found');
  assert.equal((await cti({ event: 'newCall', callId: 'dup', from: '1' })).status, 201);
  problem(await cti({ event: 'newCall', callId: 'dup', from: '1' }), 409, 'duplicate');
  problem(await node.api('POST', '/api/v1/cti/events', { body: { event: 'newCall', callId: 'a', from: '1' } }),
    401, 'unauthenticated');
  problem(await cti({ event: 'newCall', callId: 'q', from: '1' }, requester.token), 403, 'forbidden');
  problem(await node.api('GET', '/api/v1/cti/events', { token: pbx.token }), 405, 'method_not_allowed');
  problem(await node.api('POST', '/api/v1/cti/events', { token: pbx.token, raw: '[1]' }), 400, 'bad_json');
});

test('contacts: POST, PATCH, list newest first with filters and a cursor', async () => {
  const t = await node.ticket(agent.token, { title: 'VPN drops' });
  const mk = async (body) => {
    const r = await node.api('POST', '/api/v1/contacts', { token: agent.token, body });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('location'), `/api/v1/contacts/${r.json.id}`);
    return r.json;
  };
  const a = await mk({ channel: 'email', customer: 'APAC-C-000009', at: 1000, summary: 'first' });
  const b = await mk({ channel: 'chat', customer: 'APAC-C-000009', at: 2000, ticket: t.id });
  assert.equal(a.agent, 'li');
  const l = await node.api('GET', '/api/v1/contacts?customer=APAC-C-000009&limit=1', { token: agent.token });
  assert.deepEqual(l.json.items.map((x) => x.id), [b.id]);
  assert.ok(l.json.next_cursor);
  const l2 = await node.api('GET', `/api/v1/contacts?customer=APAC-C-000009&cursor=${l.json.next_cursor}`, { token: agent.token });
  assert.deepEqual(l2.json.items.map((x) => x.id), [a.id]);
  const byTicket = await node.api('GET', `/api/v1/contacts?ticket=${t.id}`, { token: agent.token });
  assert.deepEqual(byTicket.json.items.map((x) => x.id), [b.id]);
  const u = await node.api('PATCH', `/api/v1/contacts/${a.id}`, { token: agent.token, body: { summary: 'called back', ticket: t.id } });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.summary, 'called back');
  assert.equal(u.json.ticket, t.id);
  problem(await node.api('POST', '/api/v1/contacts', { token: agent.token, body: { channel: 'fax' } }), 422, 'out_of_range');
  problem(await node.api('POST', '/api/v1/contacts', { token: requester.token, body: { channel: 'call' } }), 403, 'forbidden');
  problem(await node.api('GET', '/api/v1/contacts', { token: requester.token }), 403, 'forbidden');
});

test('majors and declare_major: the ticket shows whom to notify', async () => {
  const mk = (body, token = manager.token) => node.api('POST', '/api/v1/majors', { token, body });
  const r = await mk({ id: 'vpn', category: 'network/vpn', notify: 'noc@example.com, li' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.site, '*');
  assert.equal((await mk({ id: 'all', notify: 'duty' })).status, 201);
  assert.equal((await mk({ id: 'emea', site: 'EMEA', notify: 'emea-lead' })).status, 201);
  problem(await mk({ id: 'x', notify: 'y' }, agent.token), 403, 'forbidden');
  const list = await node.api('GET', '/api/v1/majors', { token: agent.token });
  assert.deepEqual(list.json.items.map((x) => x.id), ['all', 'emea', 'vpn']);
  const p = await node.api('PATCH', '/api/v1/majors/all', { token: manager.token, body: { notify: 'duty, +8613800000000' } });
  assert.equal(p.status, 200, p.text);
  assert.equal((await node.api('GET', '/api/v1/majors/vpn', { token: agent.token })).json.notify, 'noc@example.com, li');
  const t = await node.ticket(agent.token, { title: 'VPN down for all', category: 'network/vpn' });
  const d = await node.step(agent.token, t.id, 'declare_major', { note: 'whole floor' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.major, true);
  assert.equal(d.json.major_notify, 'duty, +8613800000000, noc@example.com, li');
  assert.equal(d.json.major_note, 'whole floor');
  problem(await node.step(requester.token, t.id, 'declare_major'), 403, 'forbidden');
});

test('a newCall from a known number, however written, pops up the customer card', async () => {
  const c = await node.api('POST', '/api/v1/customers', { token: agent.token,
    body: { name: 'Wang Fang', phones: '+86 21 5555 0101', vip: true } });
  assert.equal(c.status, 201, c.text);
  await streaming(agent.token, async (es) => {
    const r = await cti({ event: 'newCall', callId: 'k-1', from: '0086 (21) 5555-0101', to: '8001' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.contact.customer, c.json.id);
    assert.equal(r.json.customer.customer.id, c.json.id);
    const f = await es.next(callFrame('k-1'));
    assert.ok(f, `the call event arrived: ${JSON.stringify(es.frames)}`);
    const d = JSON.parse(f.data);
    assert.equal(d.customer.customer.name, 'Wang Fang');
    assert.equal(d.customer.customer.vip, true);
    assert.ok(Array.isArray(d.customer.open_tickets));
  });
  // The next call's card shows this call among the customer's last contacts, newest first.
  await cti({ event: 'hangup', callId: 'k-1' });
  const r2 = await cti({ event: 'newCall', callId: 'k-2', from: '+862155550101' });
  assert.equal(r2.status, 201, r2.text);
  assert.deepEqual(r2.json.customer.contacts.map((x) => x.call_id), ['k-1']);
  assert.equal(r2.json.customer.contacts[0].outcome, 'missed');
  const mine = await node.api('GET', `/api/v1/contacts?customer=${c.json.id}`, { token: agent.token });
  assert.deepEqual(mine.json.items.map((x) => x.call_id), ['k-2', 'k-1']);
});
