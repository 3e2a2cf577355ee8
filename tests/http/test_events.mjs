// test_events.mjs - live updates: /api/v1/events (Server-Sent Events) delivers a change made
// through the CLI, with the ticket as the caller may see it.
import { test, before, after } from 'node:test';
import { desk, problem, assert } from './lib.mjs';
import { openEvents } from './sse.mjs';

let node, agent, requester, admin;
before(async () => {
  ({ node, agent, requester, admin } = await desk({ agent: ['li', ['agent']], requester: ['wang', ['requester']],
    admin: ['boss', ['admin']] }));
});
after(() => node.stop());

const auth = (token) => ({ authorization: `Bearer ${token}` });
// Opens the stream as TOKEN's user, runs FN(stream) once its headers came (so changes made in
// FN are after the subscription), and closes it.
async function streaming(token, fn) {
  const es = await openEvents(`${node.base}/api/v1/events`, auth(token));
  try {
    assert.equal(es.res.status, 200);
    await fn(es);
  } finally {
    es.close();
  }
}
const ticketFrame = (id, op) => (f) => f.event === 'ticket' && JSON.parse(f.data).id === id && JSON.parse(f.data).op === op;

test('without a token: 401 problem JSON, no stream', async () => {
  problem(await node.api('GET', '/api/v1/events'), 401, 'unauthenticated');
  problem(await node.api('GET', '/api/v1/events', { token: `sdt_${'f'.repeat(64)}` }), 401, 'unauthenticated');
});

test('a comment made through the CLI arrives as an event with the ticket', async () => {
  const t = await node.ticket(requester.token, { title: 'screen flickers' });
  await streaming(agent.token, async (es) => {
    assert.match(es.res.headers.get('content-type'), /^text\/event-stream/);
    // The stream is open once the headers came; the change is made after that.
    node.sd('ticket', 'comment', t.id, 'checked the cable', '--public');
    const f = await es.next(ticketFrame(t.id, 'comment'));
    assert.ok(f, `the comment event arrived; frames: ${JSON.stringify(es.frames)}`);
    const d = JSON.parse(f.data);
    assert.equal(d.ticket.id, t.id);
    assert.equal(d.ticket.title, 'screen flickers');
    assert.equal(d.ticket.comments.at(-1).body, 'checked the cable');
    assert.equal(d.ticket.comments.at(-1).author, 'root@APAC');
    // A workflow step through the CLI too.
    node.sd('ticket', 'ack', t.id);
    const g = await es.next(ticketFrame(t.id, 'ack'));
    assert.ok(g, 'the ack event arrived');
    assert.equal(JSON.parse(g.data).ticket.status, 'acknowledged');
    // and one through HTTP
    await node.step(agent.token, t.id, 'assign', { assignee: 'li' });
    const h = await es.next(ticketFrame(t.id, 'assign'));
    assert.equal(JSON.parse(h.data).ticket.assignee, 'li');
  });
});

test('a requester\'s stream: their own tickets, without internal notes, nobody else\'s', async () => {
  const theirs = await node.ticket(requester.token, { title: 'mine' });
  const other = await node.ticket(agent.token, { title: 'not theirs' });
  await streaming(requester.token, async (es) => {
    node.sd('ticket', 'comment', other.id, 'on another ticket', '--public');
    node.sd('ticket', 'comment', theirs.id, 'internal: VIP');
    node.sd('ticket', 'comment', theirs.id, 'we are on it', '--public');
    const f = await es.next((x) => x.event === 'ticket' && JSON.parse(x.data).id === theirs.id &&
      JSON.parse(x.data).ticket.comments.some((c) => c.body === 'we are on it'));
    assert.ok(f, `their public reply arrived: ${JSON.stringify(es.frames)}`);
    for (const x of es.frames.filter((y) => y.event === 'ticket')) {
      const d = JSON.parse(x.data);
      assert.notEqual(d.id, other.id, 'no event of another requester\'s ticket');
      assert.ok(!d.ticket.comments.some((c) => !c.public), 'no internal note reaches a requester');
    }
  });
});

test('user and team changes arrive as their own kinds', async () => {
  await streaming(admin.token, async (es) => {
    node.sd('user', 'new', 'olga', '--name', 'Olga K', '--role', 'agent');
    node.sd('team', 'new', 'network', '--site', 'APAC');
    const u = await es.next((f) => f.event === 'user' && JSON.parse(f.data).id === 'olga');
    assert.ok(u, `user event: ${JSON.stringify(es.frames)}`);
    assert.equal(JSON.parse(u.data).op, 'create');
    const tm = await es.next((f) => f.event === 'team' && JSON.parse(f.data).id === 'network');
    assert.ok(tm, 'team event');
    assert.equal(JSON.parse(tm.data).op, 'create');
  });
});

test('token changes arrive as event: token, without the secret', { todo: 'the node streams no token events (tokens have no get op)' }, async () => {
  await streaming(admin.token, async (es) => {
    const made = await node.api('POST', '/api/v1/tokens', { token: admin.token, body: { name: 'mail gateway' } });
    assert.equal(made.status, 201, made.text);
    const tk = await es.next((f) => f.event === 'token' && JSON.parse(f.data).id === made.json.id);
    assert.ok(tk, `token event: ${JSON.stringify(es.frames)}`);
    assert.equal(JSON.parse(tk.data).op, 'create');
    assert.ok(!tk.data.includes('sdt_'), 'no secret in the stream');
  });
});

test('an idle stream gets a keepalive comment (every 15 s)', async () => {
  await streaming(agent.token, async (es) => {
    const k = await es.next((f) => f.comment === 'keepalive', 20000);
    assert.ok(k, `frames: ${JSON.stringify(es.frames)}`);
  });
});
