// test_tickets.mjs - tickets over HTTP: create, read, the workflow as actions, comments, history,
// ETag / If-None-Match / If-Match, Idempotency-Key, and the refusals of bad bodies.
import { test, before, after } from 'node:test';
import { desk, problem, assert } from './lib.mjs';

let node, agent, manager, requester;
before(async () => {
  ({ node, agent, manager, requester } = await desk({ agent: ['li', ['agent']], manager: ['mia', ['manager']],
    requester: ['wang', ['requester']] }));
});
after(() => node.stop());

const count = async () => (await node.api('GET', '/api/v1/tickets?limit=1000', { token: agent.token })).json.items.length;

test('POST /api/v1/tickets: 201, Location, ETag, the ticket as ticket.new makes it', async () => {
  const r = await node.api('POST', '/api/v1/tickets', { token: agent.token,
    body: { title: 'VPN drops', description: 'every 10 minutes\nsince Monday', impact: 1, urgency: 1,
      channel: 'phone', category: 'network/vpn', requester: 'wang' } });
  assert.equal(r.status, 201, r.text);
  const t = r.json;
  assert.match(t.id, /^APAC-\d{6,}$/);
  assert.equal(r.headers.get('location'), `/api/v1/tickets/${t.id}`);
  assert.match(r.headers.get('etag') || '', /^"[^"]+"$/, 'a strong ETag');
  assert.deepEqual([t.status, t.priority, t.owner, t.requester, t.channel], ['new', 'P1', 'li', 'wang', 'phone']);
  assert.equal(t.description, 'every 10 minutes\nsince Monday');
  assert.equal(t.team, null, 'nil is null');
  assert.deepEqual(t.comments, []);
  assert.equal(typeof t.created_at, 'number', 'times are Unix ms integers');
  const g = await node.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token });
  assert.equal(g.status, 200);
  assert.deepEqual(g.json, t);
  assert.equal(g.headers.get('etag'), r.headers.get('etag'), 'same record, same ETag');
  // The CLI sees the same ticket.
  assert.equal(JSON.parse(node.sd('--json', 'ticket', 'show', t.id)).title, 'VPN drops');
});

test('ETag and If-None-Match: 304 while unchanged, 200 and a new ETag after a change', async () => {
  const t = await node.ticket(agent.token);
  const g = await node.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token });
  const etag = g.headers.get('etag');
  const nm = await node.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token, headers: { 'if-none-match': etag } });
  assert.equal(nm.status, 304);
  assert.equal(nm.text, '');
  assert.equal(nm.headers.get('etag'), etag);
  node.sd('ticket', 'comment', t.id, 'looked at it');
  const g2 = await node.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token, headers: { 'if-none-match': etag } });
  assert.equal(g2.status, 200);
  assert.notEqual(g2.headers.get('etag'), etag);
  assert.equal(g2.json.comments.length, 1);
});

test('PATCH with If-Match: stale 412 and nothing changed; current 200 and a new ETag', async () => {
  const t = await node.ticket(agent.token, { description: 'old words', category: 'hw' });
  const etag0 = (await node.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).headers.get('etag');
  node.sd('ticket', 'ack', t.id);
  const stale = await node.api('PATCH', `/api/v1/tickets/${t.id}`,
    { token: agent.token, headers: { 'if-match': etag0 }, body: { title: 'lost update' } });
  problem(stale, 412, 'precondition_failed');
  const g = await node.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token });
  assert.equal(g.json.title, 'printer jams', 'the stale write changed nothing');
  const etag1 = g.headers.get('etag');
  assert.notEqual(etag1, etag0);
  // Merge patch: a value sets, null clears, absent keeps.
  const ok = await node.api('PATCH', `/api/v1/tickets/${t.id}`,
    { token: agent.token, headers: { 'if-match': etag1 }, body: { title: 'printer jams on tray 2', description: null, impact: 1 } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.title, 'printer jams on tray 2');
  assert.equal(ok.json.description, null);
  assert.equal(ok.json.category, 'hw');
  assert.equal(ok.json.impact, 1);
  const etag2 = ok.headers.get('etag');
  assert.ok(etag2 && etag2 !== etag1, 'a new ETag');
  assert.equal((await node.api('GET', `/api/v1/tickets/${t.id}`, { token: agent.token })).headers.get('etag'), etag2);
  // Without If-Match the write is unconditional.
  const plain = await node.api('PATCH', `/api/v1/tickets/${t.id}`, { token: agent.token, body: { urgency: 3 } });
  assert.equal(plain.status, 200, plain.text);
  // PATCH takes merge patch JSON; anything else is 415.
  problem(await node.api('PATCH', `/api/v1/tickets/${t.id}`, { token: agent.token, type: 'text/plain', body: { urgency: 2 } }),
    415, 'unsupported_media_type');
  problem(await node.api('PATCH', `/api/v1/tickets/${t.id}`, { token: agent.token, body: {} }), 422, 'missing_field');
});

test('Idempotency-Key: a retry answers with the same ticket and makes no duplicate', async () => {
  const n0 = await count();
  const key = `retry-${Date.now()}`;
  const send = () => node.api('POST', '/api/v1/tickets',
    { token: agent.token, headers: { 'idempotency-key': key }, body: { title: 'only once' } });
  const a = await send();
  assert.equal(a.status, 201, a.text);
  const b = await send();
  assert.ok([200, 201].includes(b.status), `retry: ${b.status} ${b.text}`);
  assert.equal(b.json.id, a.json.id);
  assert.equal(await count(), n0 + 1, 'one ticket, not two');
  // Another key is another ticket.
  const c = await node.api('POST', '/api/v1/tickets',
    { token: agent.token, headers: { 'idempotency-key': `${key}-2` }, body: { title: 'only once' } });
  assert.equal(c.status, 201);
  assert.notEqual(c.json.id, a.json.id);
  assert.equal(await count(), n0 + 2);
});

test('the whole workflow as actions, then comments and history', async () => {
  const t = await node.ticket(requester.token, { title: 'laptop will not boot' });
  const go = async (token, step, body, status) => {
    const r = await node.step(token, t.id, step, body);
    assert.equal(r.status, 200, `${step}: ${r.text}`);
    assert.equal(r.json.status, status, step);
    assert.ok(r.headers.get('etag'), `${step} answers with the ETag`);
    return r.json;
  };
  await go(agent.token, 'ack', {}, 'acknowledged');
  const a = await go(agent.token, 'assign', { assignee: 'li', team: 'desk', tier: 'L2' }, 'assigned');
  assert.deepEqual([a.assignee, a.team, a.tier], ['li', 'desk', 'L2']);
  await go(agent.token, 'start', undefined, 'in_progress');
  const p = await go(agent.token, 'pending', { waiting_on: 'customer', reason: 'which model?' }, 'pending');
  assert.equal(p.waiting_on, 'customer');
  await go(agent.token, 'start', {}, 'in_progress');
  const h = await go(agent.token, 'handover', { site: 'EMEA', note: 'EMEA has the spare parts' }, 'in_progress');
  assert.equal(h.owner_site, 'EMEA');
  assert.match(h.handover_note, /^EMEA has the spare parts/);
  await go(manager.token, 'resolve', { resolution: 'replaced the disk' }, 'resolved');
  const c = await go(requester.token, 'close', { satisfaction: 5, feedback: 'fast' }, 'closed');
  assert.equal(c.satisfaction, 5);
  const r = await go(requester.token, 'reopen', { reason: 'broke again' }, 'in_progress');
  assert.equal(r.reopen_count, 1);
  await go(manager.token, 'cancel', { reason: 'replaced the laptop instead' }, 'cancelled');

  // comments: an internal note and a public reply; the requester sees only the reply
  const t2 = await node.ticket(requester.token);
  const note = await node.api('POST', `/api/v1/tickets/${t2.id}/comments`, { token: agent.token, body: { body: 'internal: check the fuser' } });
  assert.equal(note.status, 201, note.text);
  assert.equal(note.json.comments.at(-1).public, false);
  const reply = await node.api('POST', `/api/v1/tickets/${t2.id}/comments`, { token: agent.token, body: { body: 'On my way', public: true } });
  assert.equal(reply.status, 201);
  const mine = await node.api('POST', `/api/v1/tickets/${t2.id}/comments`, { token: requester.token, body: { body: 'thanks' } });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.json.comments.at(-1).public, true, 'a requester\'s comment is a public reply');
  const all = await node.api('GET', `/api/v1/tickets/${t2.id}/comments`, { token: agent.token });
  assert.deepEqual(all.json.items.map((x) => x.body), ['internal: check the fuser', 'On my way', 'thanks']);
  const theirs = await node.api('GET', `/api/v1/tickets/${t2.id}/comments`, { token: requester.token });
  assert.deepEqual(theirs.json.items.map((x) => x.body), ['On my way', 'thanks']);
  problem(await node.api('POST', `/api/v1/tickets/${t2.id}/comments`, { token: requester.token, body: { body: 'x', public: false } }),
    403, 'forbidden');

  const hist = await node.api('GET', `/api/v1/tickets/${t.id}/history`, { token: agent.token });
  assert.equal(hist.status, 200);
  assert.deepEqual(hist.json.events.map((e) => e.op),
    ['create', 'ack', 'assign', 'start', 'pending', 'start', 'handover', 'resolve', 'close', 'reopen', 'cancel']);
  assert.equal(hist.json.changes.length, hist.json.events.length);
  assert.equal(hist.json.events[1].author, 'li');
  const h2 = await node.api('GET', `/api/v1/tickets/${t2.id}/history`, { token: requester.token });
  assert.equal(h2.json.events.filter((e) => e.op === 'comment').length, 2, 'no internal note for the requester');
});

test('bad_transition: 409 with the steps the status allows', async () => {
  const t = await node.ticket(agent.token);
  const p = problem(await node.step(agent.token, t.id, 'close', { satisfaction: 4 }), 409, 'bad_transition');
  assert.ok(Array.isArray(p.allowed), p);
  for (const s of ['ack', 'cancel', 'handover']) assert.ok(p.allowed.includes(s), `${s} in ${p.allowed}`);
  assert.ok(!p.allowed.includes('close'));
  node.sd('ticket', 'cancel', t.id, 'dup');
  problem(await node.api('POST', `/api/v1/tickets/${t.id}/comments`, { token: agent.token, body: { body: 'x' } }),
    409, 'bad_transition');
});

test('not found: unknown ticket 404 for an agent, 403 for a requester; a method a route lacks 405', async () => {
  problem(await node.api('GET', '/api/v1/tickets/APAC-999999', { token: agent.token }), 404, 'not_found');
  problem(await node.api('GET', '/api/v1/tickets/APAC-999999', { token: requester.token }), 403, 'forbidden');
  problem(await node.step(agent.token, 'APAC-999999', 'ack'), 404, 'not_found');
  const t = await node.ticket(agent.token);
  const r = await node.api('DELETE', `/api/v1/tickets/${t.id}`, { token: agent.token });
  problem(r, 405, 'method_not_allowed');
  assert.equal(r.headers.get('allow'), 'GET, PATCH');
});

// The contract names the code not_found_route; the node says no_route.
test('an unknown step or path is 404 not_found_route', { todo: 'the node answers code no_route' }, async () => {
  const t = await node.ticket(agent.token);
  problem(await node.step(agent.token, t.id, 'explode'), 404, 'not_found_route');
  problem(await node.api('GET', '/api/v1/nothing-here', { token: agent.token }), 404, 'not_found_route');
});

test('bad bodies: bad JSON 400, wrong types and unknown fields 422 with pointers, 413, 415, non-UTF-8', async () => {
  const n0 = await count();
  const post = (o) => node.api('POST', '/api/v1/tickets', { token: agent.token, ...o });
  for (const raw of ['{"title":', 'title=x', '', '[1,2]', '"just a string"', '{"title":"a"} {"title":"b"}']) {
    const r = await post({ raw });
    assert.ok(r.status === 400 || r.status === 422, `${JSON.stringify(raw)}: ${r.status}`);
    problem(r, r.status, r.status === 400 ? 'bad_json' : null);
  }
  problem(await post({ raw: '{"title":' }), 400, 'bad_json');

  const wrong = problem(await post({ body: { title: 42 } }), 422, 'wrong_type');
  assert.deepEqual(wrong.errors.map((e) => e.pointer), ['#/title']);
  assert.equal(typeof wrong.errors[0].detail, 'string');
  problem(await post({ body: { title: 'x', impact: '1' } }), 422, 'wrong_type');
  problem(await post({ body: { title: 'x', major: 1 } }), 422, 'wrong_type');
  problem(await post({ body: { title: 'x', impact: 1.5 } }), 422, 'wrong_type');
  problem(await post({ body: { title: null } }), 422, 'wrong_type');
  const ranged = problem(await post({ body: { title: 'x', impact: 9 } }), 422, 'out_of_range');
  assert.equal(ranged.errors[0].pointer, '#/impact');
  problem(await post({ body: { title: 'x', channel: 'fax' } }), 422, 'out_of_range');
  const unknown = problem(await post({ body: { title: 'x', colour: 'red' } }), 422, 'unknown_field');
  assert.match(unknown.detail, /colour/);
  if (unknown.errors) assert.equal(unknown.errors[0].pointer, '#/colour');
  problem(await post({ body: { title: 'x', author: 'someone' } }), 422, 'unknown_field');
  problem(await post({ body: { title: 'x', id: 'APAC-000001' } }), 422, 'unknown_field');
  const missing = problem(await post({ body: { description: 'no title' } }), 422, 'missing_field');
  assert.equal(missing.errors[0].pointer, '#/title');
  const long = problem(await post({ body: { title: 'x'.repeat(201) } }), 422, 'too_long');
  assert.equal(long.errors[0].pointer, '#/title');
  // 200 bytes is the limit, in bytes: 67 three-byte characters are 201 bytes.
  problem(await post({ body: { title: '票'.repeat(67) } }), 422, 'too_long');
  assert.equal((await post({ body: { title: '票'.repeat(66) } })).status, 201);
  problem(await post({ body: { title: 'two\nlines' } }), 422, 'bad_utf8');

  const big = JSON.stringify({ title: 'x', description: 'y'.repeat(70000) });
  problem(await post({ raw: big }), 413, 'too_big');
  problem(await post({ raw: JSON.stringify({ title: 'x' }), type: 'text/plain' }), 415, 'unsupported_media_type');
  problem(await post({ raw: 'title=x', type: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
  // Not UTF-8: a Latin-1 byte inside a JSON string, and an overlong encoding of '/'.
  for (const bytes of [[0xe9], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
    const raw = Buffer.concat([Buffer.from('{"title":"caf'), Buffer.from(bytes), Buffer.from('"}')]);
    const r = await post({ raw });
    assert.ok([400, 422].includes(r.status), `bytes ${bytes}: ${r.status} ${r.text}`);
    problem(r, r.status, 'bad_utf8');
  }
  // The escaped form of a NUL is valid JSON but no valid text for the desk (the JSON parser
  // refuses it already: 400 bad_json).
  const nul = await post({ raw: '{"title":"a\\u0000b"}' });
  assert.ok([400, 422].includes(nul.status), nul.text);
  assert.ok(['bad_utf8', 'bad_json'].includes(problem(nul, nul.status).code));
  assert.equal(await count(), n0 + 1, 'only the one good ticket was made');
});

test('list filters site and team, and the counts', async () => {
  const t = await node.ticket(agent.token, { impact: 1, urgency: 1 });
  await node.step(agent.token, t.id, 'ack');
  await node.step(agent.token, t.id, 'assign', { assignee: 'li', team: 'network' });
  await node.step(agent.token, t.id, 'handover', { site: 'AMER' });
  const ids = async (q) => (await node.api('GET', `/api/v1/tickets?${q}`, { token: agent.token })).json.items.map((x) => x.id);
  assert.deepEqual(await ids('site=AMER'), [t.id]);
  assert.deepEqual(await ids('team=network&open=true'), [t.id]);
  assert.deepEqual(await ids('site=AMER&team=other'), []);
  const c = await node.api('GET', '/api/v1/tickets/counts', { token: agent.token });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.by_site.AMER, 1);
  assert.deepEqual(c.json.by_status, JSON.parse(node.sd('--json', 'node', 'status')).tickets);
  problem(await node.api('GET', '/api/v1/tickets/counts', { token: requester.token }), 403, 'forbidden');
});

// Deviations of the node from the contract, kept as todo tests: they pass once the node is fixed.
test('an unknown field is 422 with its pointer', { todo: 'the node gives no errors[] for unknown fields' }, async () => {
  const p = problem(await node.api('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'x', colour: 'red' } }),
    422, 'unknown_field');
  assert.deepEqual(p.errors?.map((e) => e.pointer), ['#/colour']);
});

test('Idempotency-Key on a comment: refused or honoured, never ignored', { todo: 'the node ignores it: two comments' }, async () => {
  const t = await node.ticket(agent.token);
  const send = () => node.api('POST', `/api/v1/tickets/${t.id}/comments`,
    { token: agent.token, headers: { 'idempotency-key': 'c-1' }, body: { body: 'once' } });
  const a = await send();
  if (a.status === 422) return; // refused: the client learns that comments take no key
  const b = await send();
  assert.equal(b.json.comments.length, 1, 'a retry with the same key added no second comment');
});
