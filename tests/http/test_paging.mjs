// test_paging.mjs - cursor paging through 5,000 tickets: every ticket exactly once, a Link header
// on every page but the last, and a page size over 1000 refused (422), never silently capped.
import { test, before, after } from 'node:test';
import { desk, problem, parallel, assert } from './lib.mjs';

const TOTAL = 5000;
let node, agent;
before(async () => {
  ({ node, agent } = await desk({ agent: ['li', ['agent']] }, { calendars: false, replication: false }));
});
after(() => node.stop());

test(`${TOTAL} tickets made by 32 parallel POSTs, paged 100 at a time: each exactly once`, async () => {
  const made = await parallel(Array.from({ length: TOTAL }, (_, i) => async () => {
    const r = await node.api('POST', '/api/v1/tickets', { token: agent.token,
      body: { title: `ticket ${i}`, impact: 1 + (i % 3), urgency: 1 + ((i >> 2) % 3) } });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  }), 32);
  assert.equal(new Set(made).size, TOTAL, 'distinct ids');

  const seen = new Map();
  let path = '/api/v1/tickets?limit=100';
  let pages = 0;
  for (;;) {
    const r = await node.api('GET', path, { token: agent.token });
    assert.equal(r.status, 200, r.text);
    pages++;
    const { items, next_cursor: next } = r.json;
    assert.ok(items.length <= 100);
    for (const t of items) {
      assert.ok(!seen.has(t.id), `${t.id} repeated (pages ${seen.get(t.id)} and ${pages})`);
      seen.set(t.id, pages);
      assert.deepEqual(t.comments, [], 'list items carry no comments');
    }
    const link = r.headers.get('link');
    if (next === null) {
      assert.equal(link, null, 'no Link on the last page');
      break;
    }
    assert.equal(items.length, 100, 'only the last page is short');
    assert.equal(typeof next, 'string');
    const m = /^<([^>]+)>;\s*rel="next"$/.exec(link || '');
    assert.ok(m, `Link rel="next" on page ${pages}: ${link}`);
    const url = new URL(m[1], node.base);
    assert.equal(url.searchParams.get('cursor'), next, 'the Link carries the cursor');
    assert.equal(url.searchParams.get('limit'), '100', 'and the page size');
    path = url.pathname + url.search;
    assert.ok(pages <= TOTAL / 100 + 1, 'the paging ends');
  }
  assert.equal(seen.size, TOTAL, 'no ticket lost');
  for (const id of made) assert.ok(seen.has(id), `${id} listed`);
  assert.equal(pages, TOTAL / 100, 'the 50th page is the last: next_cursor null, no empty page after it');
});

test('page size: 1000 is served whole, 1001 and 0 are 422, not a silent cap', async () => {
  const r = await node.api('GET', '/api/v1/tickets?limit=1000', { token: agent.token });
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 1000);
  assert.equal(typeof r.json.next_cursor, 'string');
  for (const limit of [1001, 5000, 0]) {
    const p = problem(await node.api('GET', `/api/v1/tickets?limit=${limit}`, { token: agent.token }), 422, 'out_of_range');
    assert.ok(p.errors?.[0]?.pointer?.includes('limit'), JSON.stringify(p));
  }
  problem(await node.api('GET', '/api/v1/tickets?limit=ten', { token: agent.token }), 400);
});

test('filters combine with paging; the default page is 100', async () => {
  const r = await node.api('GET', '/api/v1/tickets', { token: agent.token });
  assert.equal(r.json.items.length, 100);
  const p1 = [];
  let path = '/api/v1/tickets?priority=P1&limit=250';
  while (path) {
    const q = await node.api('GET', path, { token: agent.token });
    assert.equal(q.status, 200, q.text);
    for (const t of q.json.items) assert.equal(t.priority, 'P1');
    p1.push(...q.json.items.map((t) => t.id));
    path = q.json.next_cursor ? `/api/v1/tickets?priority=P1&limit=250&cursor=${encodeURIComponent(q.json.next_cursor)}` : null;
  }
  let want = 0;
  for (let i = 0; i < TOTAL; i++) if (i % 3 === 0 && (i >> 2) % 3 === 0) want++;
  assert.equal(p1.length, want, 'every P1 ticket (impact 1, urgency 1)');
  assert.equal(new Set(p1).size, p1.length, 'no repeats');
  const expect = JSON.parse(node.sd('--json', 'node', 'status'));
  const all = (await node.api('GET', '/api/v1/tickets?status=new&limit=1', { token: agent.token })).json;
  assert.equal(all.items.length, 1);
  assert.equal(expect.tickets.new, TOTAL);
});
