// test_people.mjs - users, teams, API tokens, the audit trail, schedule, handovers, node and
// replication status over HTTP, each checked against what the CLI sees.
import { test, before, after } from 'node:test';
import { desk, startNode, problem, assert } from './lib.mjs';

let node, plain, admin, agent, requester;
before(async () => {
  ({ node, admin, agent, requester } = await desk({ admin: ['boss', ['admin', 'manager']], agent: ['li', ['agent']],
    requester: ['wang', ['requester']] }));
  plain = await startNode({ site: 'EMEA', calendars: false, replication: false });
});
after(async () => {
  await node.stop();
  await plain.stop();
});

test('users: create, read with ETag, update by merge patch, actions, list pages', async () => {
  const made = await node.api('POST', '/api/v1/users', { token: admin.token,
    body: { id: 'olga.k', display_name: 'Olga Kowalska', email: 'olga@example.com', role: 'agent', sites: 'APAC,EMEA',
      language: 'en', time_zone: 'Europe/London' } });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.headers.get('location'), '/api/v1/users/olga.k');
  assert.deepEqual([made.json.id, made.json.roles, made.json.active, made.json.agent_sites], ['olga.k', ['agent'], true, 'APAC,EMEA']);
  assert.ok(!('password_hash' in made.json));
  assert.ok(!('phone' in made.json), 'a field never written is absent');
  problem(await node.api('POST', '/api/v1/users', { token: admin.token, body: { id: 'olga.k', display_name: 'again' } }),
    409, 'duplicate');
  problem(await node.api('POST', '/api/v1/users', { token: admin.token, body: { id: 'Bad Login', display_name: 'x' } }),
    422, 'out_of_range');
  problem(await node.api('POST', '/api/v1/users', { token: agent.token, body: { id: 'eve', display_name: 'x' } }),
    403, 'forbidden');

  const g = await node.api('GET', '/api/v1/users/olga.k', { token: requester.token });
  assert.equal(g.status, 200, 'anyone may look a user up');
  const etag = g.headers.get('etag');
  assert.ok(etag);
  assert.equal((await node.api('GET', '/api/v1/users/olga.k', { token: agent.token, headers: { 'if-none-match': etag } })).status, 304);
  problem(await node.api('GET', '/api/v1/users/nobody', { token: agent.token }), 404, 'not_found');

  const up = await node.api('PATCH', '/api/v1/users/olga.k', { token: admin.token, body: { phone: '+44 20 7946 0000', email: null } });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.phone, '+44 20 7946 0000');
  assert.equal(up.json.email, null);
  problem(await node.api('PATCH', '/api/v1/users/olga.k', { token: admin.token, headers: { 'if-match': etag }, body: { tier: 'L2' } }),
    412, 'precondition_failed');
  problem(await node.api('PATCH', '/api/v1/users/olga.k', { token: agent.token, body: { tier: 'L2' } }), 403, 'forbidden');

  const act = (step, body, token = admin.token) => node.api('POST', `/api/v1/users/olga.k/actions/${step}`, { token, body });
  assert.deepEqual((await act('grant', { role: 'manager' })).json.roles, ['agent', 'manager']);
  assert.deepEqual((await act('revoke', { role: 'manager' })).json.roles, ['agent']);
  problem(await act('revoke', { role: 'manager' }), 409, 'bad_transition');
  const d = await act('disable', { reason: 'on leave' });
  assert.deepEqual([d.json.active, d.json.disabled_reason], [false, 'on leave']);
  problem(await act('disable', {}), 409, 'bad_transition');
  assert.equal((await act('enable', {})).json.active, true);
  assert.equal((await act('link', { unix: 'olga' })).json.unix, 'olga');
  const pw = (login, password, token) => node.unbusy('POST', `/api/v1/users/${login}/actions/password`, { token, body: { password } });
  assert.equal((await pw('olga.k', 'a-long-password', admin.token)).status, 200);
  problem(await act('password', { password: 'short' }), 422, 'out_of_range');
  const s = await node.login('olga.k', 'a-long-password');
  assert.equal(s.json.user, 'olga.k');
  // Anyone sets their own password; only an admin another's.
  assert.equal((await pw('li', 'li-new-password', agent.token)).status, 200);
  problem(await pw('wang', 'not-yours-123', agent.token), 403, 'forbidden');

  const cli = JSON.parse(node.sd('--json', 'user', 'list')).map((u) => u.id);
  const seen = [];
  let path = '/api/v1/users?limit=2';
  while (path) {
    const r = await node.api('GET', path, { token: agent.token });
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((u) => u.id));
    assert.equal(!!r.headers.get('link'), r.json.next_cursor !== null);
    path = r.json.next_cursor ? `/api/v1/users?limit=2&cursor=${encodeURIComponent(r.json.next_cursor)}` : null;
  }
  assert.deepEqual(seen, cli, 'the pages hold every user once, in login order');
  const agents = await node.api('GET', '/api/v1/users?role=agent', { token: agent.token });
  assert.deepEqual(agents.json.items.map((u) => u.id), ['li', 'olga.k']);
  problem(await node.api('GET', '/api/v1/users', { token: requester.token }), 403, 'forbidden');
});

test('teams: create, read, update, list by site', async () => {
  const t = await node.api('POST', '/api/v1/teams', { token: admin.token, body: { id: 'network', display_name: 'Network', tier: 'L2', manager: 'li' } });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.headers.get('location'), '/api/v1/teams/network');
  assert.deepEqual([t.json.site, t.json.manager], ['APAC', 'li']);
  problem(await node.api('POST', '/api/v1/teams', { token: admin.token, body: { id: 'network' } }), 409, 'duplicate');
  problem(await node.api('POST', '/api/v1/teams', { token: admin.token, body: { id: 'x', manager: 'nobody' } }), 404, 'not_found');
  await node.api('POST', '/api/v1/teams', { token: admin.token, body: { id: 'print', site: 'EMEA' } });
  const g = await node.api('GET', '/api/v1/teams/network', { token: agent.token });
  assert.equal(g.json.display_name, 'Network');
  problem(await node.api('GET', '/api/v1/teams/network', { token: requester.token }), 403, 'forbidden');
  const u = await node.api('PATCH', '/api/v1/teams/network', { token: admin.token, body: { tier: 'L3' } });
  assert.equal(u.json.tier, 'L3');
  const emea = await node.api('GET', '/api/v1/teams?site=EMEA', { token: agent.token });
  assert.deepEqual(emea.json.items.map((x) => x.id), ['print']);
  assert.equal(emea.json.next_cursor, null);
});

test('tokens: the secret once, listed without it, revoked at once', async () => {
  const t = await node.api('POST', '/api/v1/tokens', { token: agent.token, body: { name: 'my script', days: 30 } });
  assert.equal(t.status, 201, t.text);
  assert.match(t.json.token, /^sdt_[0-9a-f]{64}$/);
  assert.equal(t.json.user, 'li');
  assert.ok(t.json.expires_at > Date.now());
  const works = await node.api('GET', '/api/v1/me', { token: t.json.token });
  assert.equal(works.json.whoami.via, `token ${t.json.id}`);
  const list = await node.api('GET', '/api/v1/tokens', { token: agent.token });
  assert.ok(list.json.items.every((x) => x.user === 'li'), 'an agent sees their own tokens');
  assert.ok(!list.text.includes('sdt_'), 'no secrets in the list');
  problem(await node.api('GET', '/api/v1/tokens?user=boss', { token: agent.token }), 403, 'forbidden');
  const all = await node.api('GET', '/api/v1/tokens?user=wang', { token: admin.token });
  assert.equal(all.json.items.length, 1);
  const r = await node.api('POST', `/api/v1/tokens/${t.json.id}/actions/revoke`, { token: agent.token });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.revoked_at > 0);
  problem(await node.api('GET', '/api/v1/me', { token: t.json.token }), 401, 'unauthenticated');
  problem(await node.api('POST', `/api/v1/tokens/${t.json.id}/actions/revoke`, { token: agent.token }), 409, 'bad_transition');
  problem(await node.api('POST', '/api/v1/tokens/APAC-TOK-999999/actions/revoke', { token: admin.token }), 404, 'not_found');
});

test('audit, node, digest, replication', async () => {
  const t = await node.ticket(agent.token);
  const a = await node.api('GET', `/api/v1/audit?ticket=${t.id}`, { token: admin.token });
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json.items.map((e) => [e.op, e.user, e.record]), [['ticket.create', 'li', t.id]]);
  assert.equal(a.json.more, false);
  problem(await node.api('GET', '/api/v1/audit', { token: agent.token }), 403, 'forbidden');
  problem(await node.api('GET', '/api/v1/audit?ticket=APAC-999999', { token: admin.token }), 404, 'not_found');

  const s = await node.api('GET', '/api/v1/node', { token: agent.token });
  assert.equal(s.status, 200);
  assert.equal(s.json.site, 'APAC');
  assert.equal(s.json.http, `http://127.0.0.1:${node.port}/`);
  assert.deepEqual(s.json, { ...JSON.parse(node.sd('--json', 'node', 'status')), uptime_ms: s.json.uptime_ms,
    requests: s.json.requests, errors: s.json.errors, replication: s.json.replication, http: s.json.http });
  const d = await node.api('GET', '/api/v1/node/digest', { token: agent.token });
  assert.equal(d.json.digest, JSON.parse(node.sd('--json', 'node', 'digest')).digest);
  const r = await node.api('GET', '/api/v1/replication', { token: agent.token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.peers, []);
  assert.ok(r.json.vector.APAC >= 1);

  const pa = plain.user('olga', ['agent']);
  problem(await plain.api('GET', '/api/v1/replication', { token: pa.token }), 503, 'unavailable');
  assert.equal((await plain.api('GET', '/api/v1/node', { token: pa.token })).json.replication, null);
});

test('schedule and handovers; 503 on a node without calendars', async () => {
  const now = await node.api('GET', '/api/v1/schedule/now', { token: agent.token });
  assert.equal(now.status, 200, now.text);
  assert.deepEqual(now.json.sites.map((s) => s.site), ['APAC', 'EMEA', 'AMER']);
  const from = Date.UTC(2026, 2, 2); // Monday 2026-03-02
  const cov = await node.api('GET', `/api/v1/schedule/coverage?from=${from}&days=2`, { token: agent.token });
  assert.equal(cov.status, 200, cov.text);
  assert.equal(cov.json.from, from);
  assert.equal(cov.json.to, from + 2 * 86400000);
  assert.deepEqual(cov.json, JSON.parse(node.sd('--json', 'schedule', 'coverage', '--from', String(from), '--days', '2')));
  problem(await node.api('GET', `/api/v1/schedule/coverage?days=32`, { token: agent.token }), 422, 'out_of_range');
  problem(await node.api('GET', `/api/v1/schedule/now`, { token: requester.token }), 403, 'forbidden');

  const t = await node.ticket(agent.token);
  await node.step(agent.token, t.id, 'handover', { site: 'AMER', note: 'night shift' });
  problem(await node.step(agent.token, t.id, 'handover', { site: 'AMER' }), 422, 'invalid');
  const h = await node.api('GET', '/api/v1/handovers?site=AMER', { token: agent.token });
  assert.equal(h.status, 200, h.text);
  assert.deepEqual(h.json.items.map((x) => [x.id, x.from, x.to, x.by]), [[t.id, 'APAC', 'AMER', 'li']]);
  assert.equal(h.json.more, false);
  problem(await node.api('GET', '/api/v1/handovers', { token: requester.token }), 403, 'forbidden');

  const pa = plain.user('olga2', ['agent']);
  problem(await plain.api('GET', '/api/v1/schedule/now', { token: pa.token }), 503, 'unavailable');
  problem(await plain.api('GET', '/api/v1/schedule/coverage', { token: pa.token }), 503, 'unavailable');
});
