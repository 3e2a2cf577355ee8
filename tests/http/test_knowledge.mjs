// test_knowledge.mjs - the knowledge base and bulletins over HTTP: an article written, edited
// into versions, diffed, published and used to resolve a ticket (solved counts it); what a
// requester sees (published public articles only; a draft is 404, not 403) and may do (helpful);
// bulletins posted by a manager, listed with ?current=true and withdrawn.
import { test, before, after } from 'node:test';
import { desk, problem, assert } from './lib.mjs';
import { openEvents } from './sse.mjs';

let node, agent, manager, requester;
before(async () => {
  ({ node, agent, manager, requester } = await desk({ agent: ['li', ['agent']], manager: ['mia', ['manager']],
    requester: ['wang', ['requester']] }));
});
after(async () => {
  await node.stop();
});

test('articles: versions, diff, transitions, solved', async () => {
  const made = await node.api('POST', '/api/v1/articles', { token: agent.token,
    body: { title: '打印机卡纸', body: '1. 打开盖子\n2. 取出纸张\n', language: 'zh-CN', audience: 'public' } });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assert.equal(made.headers.get('location'), `/api/v1/articles/${id}`);
  assert.deepEqual([made.json.state, made.json.version, made.json.author], ['draft', 1, 'li']);
  const up = await node.api('PATCH', `/api/v1/articles/${id}`, { token: agent.token,
    body: { body: '1. 打开盖子\n2. 轻轻取出纸张\n3. 关上盖子\n', base_version: 1 } });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.version, 2);
  const v1 = await node.api('GET', `/api/v1/articles/${id}/versions/1`, { token: agent.token });
  assert.equal(v1.json.body, '1. 打开盖子\n2. 取出纸张\n');
  problem(await node.api('GET', `/api/v1/articles/${id}/versions/7`, { token: agent.token }), 404, 'not_found');
  const d = await node.api('GET', `/api/v1/articles/${id}/diff?from=1&to=2`, { token: agent.token });
  assert.equal(d.json.diff, `--- ${id} version 1\n+++ ${id} version 2\n@@ -1,2 +1,3 @@\n 1. 打开盖子\n-2. 取出纸张\n+2. 轻轻取出纸张\n+3. 关上盖子\n`);
  const last = await node.api('GET', `/api/v1/articles/${id}/diff`, { token: agent.token });
  assert.deepEqual([last.json.from, last.json.to], [1, 2]);
  const refused = problem(await node.api('POST', `/api/v1/articles/${id}/actions/retire`, { token: agent.token }), 409, 'bad_transition');
  assert.deepEqual(refused.allowed, ['update', 'publish', 'link', 'helpful']);
  assert.equal((await node.api('POST', `/api/v1/articles/${id}/actions/publish`, { token: agent.token })).json.state, 'published');

  const t = await node.ticket(agent.token);
  for (const [step, body] of [['ack', {}], ['assign', { assignee: 'li' }], ['resolve', { resolution: 'paper removed', article: id }]]) {
    const r = await node.step(agent.token, t.id, step, body);
    assert.equal(r.status, 200, `${step}: ${r.text}`);
  }
  const a = await node.api('GET', `/api/v1/articles/${id}`, { token: agent.token });
  assert.deepEqual([a.json.solved, a.json.tickets], [1, [t.id]]);
  assert.equal(a.headers.get('etag'), null, 'counted live: no ETag');
  const bad = await node.step(agent.token, (await node.ticket(agent.token)).id, 'ack', {});
  assert.equal(bad.status, 200);
});

test('a requester sees published public articles only, and may find one helpful', async () => {
  const mk = async (body) => (await node.api('POST', '/api/v1/articles', { token: agent.token, body })).json.id;
  const draft = await mk({ title: 'Draft', audience: 'public' });
  const internal = await mk({ title: 'Runbook', audience: 'internal' });
  const pub = await mk({ title: 'Reset your password', audience: 'public' });
  for (const id of [internal, pub]) await node.api('POST', `/api/v1/articles/${id}/actions/publish`, { token: agent.token });
  for (const id of [draft, internal, 'APAC-KB-999999']) {
    const p = problem(await node.api('GET', `/api/v1/articles/${id}`, { token: requester.token }), 404, 'not_found');
    assert.equal(p.detail, `article ${id} does not exist`);
  }
  const list = await node.api('GET', '/api/v1/articles', { token: requester.token });
  assert.ok(list.json.items.every((x) => x.state === 'published' && x.audience === 'public'));
  assert.ok(list.json.items.some((x) => x.id === pub));
  assert.equal((await node.api('POST', `/api/v1/articles/${pub}/actions/helpful`, { token: requester.token })).status, 200);
  problem(await node.api('POST', `/api/v1/articles/${draft}/actions/helpful`, { token: requester.token }), 404, 'not_found');
  problem(await node.api('POST', '/api/v1/articles', { token: requester.token, body: { title: 'mine' } }), 403, 'forbidden');
  assert.equal((await node.api('GET', `/api/v1/articles/${pub}`, { token: agent.token })).json.helpful, 1);
});

test('bulletins: posted by managers, current in their window, withdrawn', async () => {
  const now = Date.now();
  const post = (body) => node.api('POST', '/api/v1/bulletins', { token: manager.token, body });
  const cur = await post({ title: 'Mail slow', severity: 'outage', valid_until: now + 3600000 });
  assert.equal(cur.status, 201, cur.text);
  assert.equal(cur.json.state, 'active');
  const future = await post({ title: 'Maintenance', severity: 'maintenance', valid_from: now + 86400000, valid_until: now + 90000000 });
  const elsewhere = await post({ title: 'EMEA only', sites: 'EMEA', valid_until: now + 3600000 });
  problem(await node.api('POST', '/api/v1/bulletins', { token: agent.token, body: { title: 'x', valid_until: now + 1000 } }), 403, 'forbidden');
  problem(await post({ title: 'x', valid_from: now, valid_until: now }), 422, 'out_of_range');
  const seen = await node.api('GET', '/api/v1/bulletins?current=true', { token: requester.token });
  assert.deepEqual(seen.json.items.map((b) => b.id), [cur.json.id]);
  assert.equal(seen.json.items[0].current, true);
  const all = await node.api('GET', '/api/v1/bulletins', { token: agent.token });
  assert.deepEqual(all.json.items.map((b) => [b.id, b.current]),
    [[cur.json.id, true], [future.json.id, false], [elsewhere.json.id, false]]);
  problem(await node.api('GET', `/api/v1/bulletins/${future.json.id}`, { token: requester.token }), 404, 'not_found');
  const w = await node.api('POST', `/api/v1/bulletins/${cur.json.id}/actions/withdraw`, { token: manager.token });
  assert.equal(w.json.state, 'withdrawn');
  problem(await node.api('POST', `/api/v1/bulletins/${cur.json.id}/actions/withdraw`, { token: manager.token }), 409, 'bad_transition');
  assert.deepEqual((await node.api('GET', '/api/v1/bulletins', { token: requester.token })).json.items, []);
});

test('live: article and bulletin changes reach the streams of those who may see them', async () => {
  const auth = (t) => ({ authorization: `Bearer ${t}` });
  const desk = await openEvents(`${node.base}/api/v1/events`, auth(agent.token));
  const portal = await openEvents(`${node.base}/api/v1/events`, auth(requester.token));
  try {
    const id = (await node.api('POST', '/api/v1/articles', { token: agent.token, body: { title: 'Live', audience: 'public' } })).json.id;
    const of = (op) => (f) => f.event === 'article' && JSON.parse(f.data).id === id && JSON.parse(f.data).op === op;
    const made = JSON.parse((await desk.next(of('version'), 5000)).data);
    assert.equal(made.article.title, 'Live');
    await node.api('POST', `/api/v1/articles/${id}/actions/publish`, { token: agent.token });
    const seen = JSON.parse((await portal.next(of('publish'), 5000)).data);
    assert.equal(seen.article.state, 'published');
    assert.ok(!portal.frames.some(of('version')), 'the draft never reached the requester');
    const b = (await node.api('POST', '/api/v1/bulletins', { token: manager.token, body: { title: 'Now', valid_until: Date.now() + 3600000 } })).json.id;
    const frame = await portal.next((f) => f.event === 'bulletin' && JSON.parse(f.data).id === b, 5000);
    assert.equal(JSON.parse(frame.data).bulletin.current, true);
  } finally {
    desk.close();
    portal.close();
  }
});
