// test_openapi.mjs - keeps node/http/openapi.json true: every route it lists exists on a running
// node, every status it lists for a route is produced by a request of the table below, every
// answer's body fits the documented schema and carries the documented headers, every body the
// node takes fits the documented request schema and every documented limit is the node's, and a
// method a path does not list is 405.
//
// The table maps (method, path, status) to the request that produces it. Statuses every route
// of a kind can give (401 without a token; 400, 413, 415, 422 for a bad body; 412 for a stale
// If-Match; 404 for an unknown record; 400 and 422 for a bad page size) are made for each route
// from the document itself;
// the rest are written out. The test fails when the document lists a status the table does not
// cover, when the table covers a status the document does not list, and when the node answers a
// request of the table with another status.
import { test, before, after } from 'node:test';
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode, openapi as doc, root, problem, assert } from './lib.mjs';
import { check, documented, resolve } from './schema.mjs';
import { channels } from './openapi_channels.mjs';

let node, plain, admin, agent, mgr, req, plainAgent;
let bare; // a desk user without a role: reads bulletins, nothing of the knowledge base
const cases = [];
const key = (method, path, status) => `${method} ${path} ${status}`;
// C(METHOD, PATH, STATUS, RUN): RUN() returns the answer of node.api (or a like object).
const C = (method, path, status, run) => cases.push({ method, path, status: Number(status), run });

// --- fixtures -------------------------------------------------------------------------------
const STEP_TO = { new: [], acknowledged: [['ack', {}]], assigned: [['ack', {}], ['assign', { assignee: 'li' }]] };
STEP_TO.in_progress = [...STEP_TO.assigned, ['start', {}]];
STEP_TO.pending = [...STEP_TO.in_progress, ['pending', { waiting_on: 'customer' }]];
STEP_TO.resolved = [...STEP_TO.in_progress, ['resolve', { resolution: 'done' }]];
STEP_TO.closed = [...STEP_TO.resolved, ['close', { satisfaction: 5 }]];
STEP_TO.cancelled = [['cancel', { reason: 'duplicate' }]];
// A ticket of the requester wang (or of the agent li when byAgent) in STATUS; returns its id.
async function ticketIn(status, byAgent = false) {
  const t = await node.ticket(byAgent ? agent.token : req.token);
  for (const [step, body] of STEP_TO[status]) {
    const r = await node.step(mgr.token, t.id, step, body);
    assert.equal(r.status, 200, `${step}: ${r.text}`);
  }
  return t.id;
}
let nUser = 0;
const freshUser = (roles = ['agent']) => node.bareUser(`u${++nUser}`, roles);
let nTeam = 0;
let custId, custOther, nCust = 0; // customers: wang's own (linked), another
const freshCustomer = () => JSON.parse(node.sd('--json', 'customer', 'new', '--name', `Cust ${++nCust}`)).id;
const STALE = `"${'0'.repeat(32)}"`; // a well-formed version no record has
const freshArticle = () => node.sd('article', 'new', '--title', 'A', '--body', 'one\ntwo\n', '--audience', 'public').trim();
const freshBulletin = () => node.sd('bulletin', 'new', '--title', 'B', '--valid-until', '2100-01-01').trim();
// Inbound messages, blobs, alerts, the outbox: openapi_channels.mjs.
const ch = channels({
  get node() { return node; }, get plain() { return plain; }, get agent() { return agent; },
  get mgr() { return mgr; }, get req() { return req; }, get plainAgent() { return plainAgent; },
  ticketIn: (...a) => ticketIn(...a),
});

// Path parameters for requests that should reach an existing record (generic cases).
async function fill(path) {
  if (path === '/api/v1/search') return `${path}?q=x`; // q is required: decoded before who asks
  if (path.includes('/tickets/{id}')) return path.replace('{id}', await ticketIn('new', true));
  if (path.includes('/assets/{id}')) return path.replace('{id}', 'LT-0001');
  if (path.includes('/vendors/{name}')) return path.replace('{name}', 'lenovo');
  if (path.includes('/customers/{id}')) return path.replace('{id}', freshCustomer());
  if (path.includes('/tokens/{id}')) return path.replace('{id}', JSON.parse(node.sd('--json', 'token', 'list', '--user', 'li'))[0].id);
  if (path.includes('/contacts/{id}')) return path.replace('{id}', node.sd('contact', 'new', '--channel', 'call').trim());
  if (path.includes('/oncall/overrides/{id}')) return path.replace('{id}', override());
  if (path.includes('/oncall/{roster}')) return path.replace('{roster}', 'desk');
  if (path.includes('/articles/{id}')) return path.replace('{id}', freshArticle()).replace('{version}', '1');
  if (path.includes('/bulletins/{id}')) return path.replace('{id}', freshBulletin());
  if (path.includes('/messages/{id}')) return path.replace('{id}', await ch.freshMessage());
  if (path.includes('/blobs/{blob}')) return path.replace('{blob}', await ch.freshBlob());
  return path.replace('{login}', 'li').replace('{name}', 'network').replace('{file}', 'app.js');
}
// Who may pass the permission check of a route, so that only the case's fault is refused.
function tokenFor(path) {
  if (/^\/api\/v1\/(users|teams|audit)/.test(path)) return admin.token;
  if (path === '/api/v1/search/reindex') return admin.token;
  if (path.startsWith('/api/v1/majors')) return mgr.token;
  if (path.startsWith('/api/v1/tickets/')) return mgr.token; // cancel needs the manager role
  if (path.startsWith('/api/v1/vendors')) return mgr.token;
  if (path.startsWith('/api/v1/oncall/overrides')) return mgr.token;
  if (path.startsWith('/api/v1/bulletins')) return mgr.token;
  if (path.startsWith('/api/v1/outbox/')) return mgr.token; // outbox.retry: managers
  return agent.token;
}
// A body the route accepts, so that 401 comes from the missing token alone.
const GOOD = {
  '/api/v1/tickets': { title: 'x' }, '/api/v1/tickets/{id}': { title: 'y' }, '/api/v1/tickets/{id}/comments': { body: 'b' },
  '/api/v1/users': { id: 'nobody.new', display_name: 'N' }, '/api/v1/users/{login}': { tier: 'L2' },
  '/api/v1/teams': { id: 'nobody-team' }, '/api/v1/teams/{name}': { tier: 'L2' }, '/api/v1/tokens': {},
  '/api/v1/users/{login}/actions/grant': { role: 'agent' }, '/api/v1/users/{login}/actions/revoke': { role: 'agent' },
  '/api/v1/users/{login}/actions/link': { unix: 'li' }, '/api/v1/users/{login}/actions/password': { password: 'pass-word-1' },
  '/api/v1/tickets/{id}/actions/assign': { assignee: 'li' }, '/api/v1/tickets/{id}/actions/pending': { waiting_on: 'vendor' },
  '/api/v1/tickets/{id}/actions/resolve': { resolution: 'r' }, '/api/v1/tickets/{id}/actions/close': { satisfaction: 3 },
  '/api/v1/tickets/{id}/actions/reopen': { reason: 'r' }, '/api/v1/tickets/{id}/actions/cancel': { reason: 'r' },
  '/api/v1/tickets/{id}/actions/handover': { site: 'EMEA' },
  '/api/v1/assets': { id: 'LT-9000', kind: 'laptop' }, '/api/v1/assets/{id}': { status: 'repair' },
  '/api/v1/vendors': { id: 'nobody-vendor' }, '/api/v1/vendors/{name}': { notes: 'n' },
  '/api/v1/customers': { name: 'N' }, '/api/v1/customers/{id}': { notes: 'n' },
  '/api/v1/customers/{id}/actions/merge': { get into() { return custOther; } },
  '/api/v1/contacts': { channel: 'call' }, '/api/v1/contacts/{id}': { summary: 's' },
  '/api/v1/majors': { id: 'nobody-rule', notify: 'x' }, '/api/v1/majors/{name}': { notify: 'y' },
  '/api/v1/cti/events': { event: 'newCall', callId: 'never-sent', from: '1001' },
  '/api/v1/oncall/overrides': { roster: 'desk', login: 'li', from: 1800000000000, until: 1800003600000 },
  '/api/v1/oncall/overrides/{id}/actions/cancel': { reason: 'r' },
  '/api/v1/articles': { title: 'x' }, '/api/v1/articles/{id}': { title: 'y' }, '/api/v1/articles/{id}/actions/link': { ticket: 'APAC-000001' },
  '/api/v1/bulletins': { title: 'b', valid_until: 4102444800000 }, '/api/v1/bulletins/{id}': { title: 'b2' },
  '/api/v1/mail/messages': ch.MAIL, '/api/v1/chat/messages': { source: 'wecom', conversation: 'good', sender: 's', text: 'hi', message_id: 'g' },
  '/api/v1/blobs/join': { parts: `b2-${'a'.repeat(64)}` },
};
// Routes that take keys beyond their schema (a telephone system adds its own): no 422 for one.
const LENIENT = new Set(['/api/v1/cti/events']);
const goodBody = (path) => GOOD[path] || {};

// --- the table: statuses made from the document ----------------------------------------------
for (const [path, item] of Object.entries(doc.paths)) {
  for (const [m, op] of Object.entries(item)) {
    const method = m.toUpperCase();
    const has = (s) => String(s) in op.responses;
    // Options are made when the case runs: the users exist only then.
    const send = (mk) => async () => node.api(method, await fill(path), mk());
    if (has(401) && op.security?.length) C(method, path, 401, send(() => ({ body: op.requestBody ? goodBody(path) : undefined })));
    if (op.requestBody) {
      const type = Object.keys(op.requestBody.content)[0];
      const tok = () => (path === '/api/v1/session' ? undefined : tokenFor(path));
      if (has(400)) C(method, path, 400, send(() => ({ token: tok(), raw: '{"oops":', type })));
      if (has(413)) C(method, path, 413, send(() => ({ token: tok(), raw: JSON.stringify({ zz: 'x'.repeat(70000) }), type })));
      if (has(415)) C(method, path, 415, send(() => ({ token: tok(), raw: JSON.stringify(goodBody(path)), type: 'text/plain' })));
      if (has(422) && !LENIENT.has(path)) C(method, path, 422, send(() => ({ token: tok(), body: { ...goodBody(path), zz_unknown_field: 1 }, type })));
    }
    const names = (op.parameters || []).map((p) => resolve(doc, p).name);
    if (has(412) && names.includes('If-Match')) {
      C(method, path, 412, send(() => ({ token: tokenFor(path), headers: { 'if-match': STALE }, body: goodBody(path) })));
    }
    if (method === 'GET' && names.includes('limit')) {
      C(method, path, 400, () => node.api('GET', `${path}?limit=lots`, { token: tokenFor(path) }));
      C(method, path, 422, () => node.api('GET', `${path}?limit=1001`, { token: tokenFor(path) }));
    }
    if (has(404) && /\{(id|login|name)\}/.test(path) && !path.includes('/tokens/')) {
      const gone = path.replace('{id}', 'APAC-999999').replace('{login}', 'nobody').replace('{name}', 'nothing');
      C(method, path, 404, () => node.api(method, gone, { token: tokenFor(path), body: op.requestBody ? goodBody(path) : undefined }));
    }
  }
}

// --- the table: statuses written out ----------------------------------------------------------
const T = '/api/v1/tickets/{id}';
const A = (step) => `${T}/actions/${step}`;
// session
// unbusy: the node's password checks are rate limited (429, retried after Retry-After).
C('POST', '/api/v1/session', 201, () => node.unbusy('POST', '/api/v1/session', { body: { login: 'li', password: agent.password } }));
C('POST', '/api/v1/session', 401, () => node.unbusy('POST', '/api/v1/session', { body: { login: 'li', password: 'wrong-password' } }));
C('GET', '/api/v1/session', 200, async () => {
  const s = await node.login('li', agent.password);
  return node.api('GET', '/api/v1/session', { cookie: s.cookie });
});
C('DELETE', '/api/v1/session', 204, async () => {
  const s = await node.login('li', agent.password);
  return node.api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf });
});
C('DELETE', '/api/v1/session', 403, async () => {
  const s = await node.login('li', agent.password);
  return node.api('DELETE', '/api/v1/session', { cookie: s.cookie });
});
C('DELETE', '/api/v1/session', 422, () => node.api('DELETE', '/api/v1/session', { token: agent.token }));
C('GET', '/api/v1/me', 200, () => node.api('GET', '/api/v1/me', { token: agent.token }));
// tickets
C('GET', '/api/v1/tickets', 200, () => node.api('GET', '/api/v1/tickets?open=true&limit=2', { token: agent.token }));
C('GET', '/api/v1/tickets', 403, () => node.api('GET', '/api/v1/tickets?assignee=li', { token: req.token }));
C('POST', '/api/v1/tickets', 201, () => node.api('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'new one' } }));
C('POST', '/api/v1/tickets', 403, () => node.api('POST', '/api/v1/tickets', { token: req.token, body: { title: 't', assignee: 'li' } }));
C('POST', '/api/v1/tickets', 404, () => node.api('POST', '/api/v1/tickets', { token: agent.token, body: { title: 't', assignee: 'nobody' } }));
C('GET', '/api/v1/tickets/counts', 200, () => node.api('GET', '/api/v1/tickets/counts?open=false', { token: agent.token }));
C('GET', '/api/v1/tickets/counts', 400, () => node.api('GET', '/api/v1/tickets/counts?open=maybe', { token: agent.token }));
C('GET', '/api/v1/tickets/counts', 403, () => node.api('GET', '/api/v1/tickets/counts', { token: req.token }));
C('GET', T, 200, async () => node.api('GET', `/api/v1/tickets/${await ticketIn('new')}`, { token: agent.token }));
C('GET', T, 304, async () => {
  const p = `/api/v1/tickets/${await ticketIn('new')}`;
  const etag = (await node.api('GET', p, { token: agent.token })).headers.get('etag');
  return node.api('GET', p, { token: agent.token, headers: { 'if-none-match': etag } });
});
C('GET', T, 403, async () => node.api('GET', `/api/v1/tickets/${await ticketIn('new', true)}`, { token: req.token }));
C('PATCH', T, 200, async () => node.api('PATCH', `/api/v1/tickets/${await ticketIn('new')}`, { token: agent.token, body: { category: null } }));
C('PATCH', T, 403, async () => node.api('PATCH', `/api/v1/tickets/${await ticketIn('new')}`, { token: req.token, body: { title: 'z' } }));
C('PATCH', T, 409, async () => node.api('PATCH', `/api/v1/tickets/${await ticketIn('closed')}`, { token: agent.token, body: { title: 'z' } }));
C('PATCH', T, 412, async () => node.api('PATCH', `/api/v1/tickets/${await ticketIn('new')}`,
  { token: agent.token, headers: { 'if-match': STALE }, body: { title: 'z' } }));
C('GET', `${T}/comments`, 200, async () => node.api('GET', `/api/v1/tickets/${await ticketIn('new')}/comments`, { token: agent.token }));
C('GET', `${T}/comments`, 403, async () => node.api('GET', `/api/v1/tickets/${await ticketIn('new', true)}/comments`, { token: req.token }));
C('POST', `${T}/comments`, 201, async () => node.api('POST', `/api/v1/tickets/${await ticketIn('new')}/comments`,
  { token: agent.token, body: { body: 'hello', public: true } }));
C('POST', `${T}/comments`, 403, async () => node.api('POST', `/api/v1/tickets/${await ticketIn('new')}/comments`,
  { token: req.token, body: { body: 'note', public: false } }));
C('POST', `${T}/comments`, 409, async () => node.api('POST', `/api/v1/tickets/${await ticketIn('cancelled')}/comments`,
  { token: agent.token, body: { body: 'late' } }));
C('GET', `${T}/history`, 200, async () => node.api('GET', `/api/v1/tickets/${await ticketIn('resolved')}/history`, { token: agent.token }));
C('GET', `${T}/history`, 403, async () => node.api('GET', `/api/v1/tickets/${await ticketIn('new', true)}/history`, { token: req.token }));
// workflow: [status it works from, body, status it is refused in, whose own ticket a requester is refused on]
const FLOW = {
  ack: ['new', {}, 'acknowledged'], assign: ['acknowledged', { assignee: 'li', tier: 'L2' }, 'new'],
  start: ['assigned', undefined, 'new'], pending: ['in_progress', { waiting_on: 'vendor', reason: 'RMA' }, 'new'],
  resolve: ['in_progress', { resolution: 'fixed' }, 'new'], close: ['resolved', { satisfaction: 4 }, 'new'],
  reopen: ['resolved', { reason: 'not fixed' }, 'new'], cancel: ['new', { reason: 'dup' }, 'closed'],
  handover: ['new', { site: 'EMEA', note: 'yours' }, 'resolved'],
  declare_major: ['new', { note: 'all hands' }, 'closed'],
};
for (const [step, [from, body, refused]] of Object.entries(FLOW)) {
  const own = ['close', 'reopen', 'cancel'].includes(step); // a requester may do these on their own tickets
  C('POST', A(step), 200, async () => node.step(mgr.token, await ticketIn(from), step, body));
  C('POST', A(step), 409, async () => node.step(mgr.token, await ticketIn(refused), step, body));
  C('POST', A(step), 403, async () => node.step(req.token, await ticketIn(from, own), step, body));
}
// schedule, handovers
C('GET', '/api/v1/schedule/now', 200, () => node.api('GET', '/api/v1/schedule/now', { token: agent.token }));
C('GET', '/api/v1/schedule/now', 403, () => node.api('GET', '/api/v1/schedule/now', { token: req.token }));
C('GET', '/api/v1/schedule/now', 503, () => plain.api('GET', '/api/v1/schedule/now', { token: plainAgent.token }));
C('GET', '/api/v1/schedule/coverage', 200, () => node.api('GET', '/api/v1/schedule/coverage?days=3', { token: agent.token }));
C('GET', '/api/v1/schedule/coverage', 400, () => node.api('GET', '/api/v1/schedule/coverage?days=three', { token: agent.token }));
C('GET', '/api/v1/schedule/coverage', 403, () => node.api('GET', '/api/v1/schedule/coverage', { token: req.token }));
C('GET', '/api/v1/schedule/coverage', 422, () => node.api('GET', '/api/v1/schedule/coverage?days=99', { token: agent.token }));
C('GET', '/api/v1/schedule/coverage', 503, () => plain.api('GET', '/api/v1/schedule/coverage', { token: plainAgent.token }));
C('GET', '/api/v1/handovers', 200, async () => {
  await node.step(mgr.token, await ticketIn('new'), 'handover', { site: 'AMER' });
  return node.api('GET', '/api/v1/handovers?site=AMER&since=0', { token: agent.token });
});
C('GET', '/api/v1/handovers', 403, () => node.api('GET', '/api/v1/handovers', { token: req.token }));
// users
C('GET', '/api/v1/users', 200, () => node.api('GET', '/api/v1/users?limit=2', { token: agent.token }));
C('GET', '/api/v1/users', 403, () => node.api('GET', '/api/v1/users', { token: req.token }));
C('POST', '/api/v1/users', 201, () => node.api('POST', '/api/v1/users', { token: admin.token,
  body: { id: `n${++nUser}`, display_name: 'New Person', role: 'requester', language: 'zh-CN' } }));
C('POST', '/api/v1/users', 403, () => node.api('POST', '/api/v1/users', { token: agent.token, body: { id: 'eve', display_name: 'Eve' } }));
C('POST', '/api/v1/users', 409, () => node.api('POST', '/api/v1/users', { token: admin.token, body: { id: 'li', display_name: 'Li' } }));
C('GET', '/api/v1/users/{login}', 200, () => node.api('GET', '/api/v1/users/li', { token: req.token }));
C('GET', '/api/v1/users/{login}', 304, async () => {
  const etag = (await node.api('GET', '/api/v1/users/li', { token: agent.token })).headers.get('etag');
  return node.api('GET', '/api/v1/users/li', { token: agent.token, headers: { 'if-none-match': etag } });
});
C('PATCH', '/api/v1/users/{login}', 200, () => node.api('PATCH', `/api/v1/users/${freshUser()}`, { token: admin.token, body: { phone: '+86 10 1234', email: null } }));
C('PATCH', '/api/v1/users/{login}', 403, () => node.api('PATCH', '/api/v1/users/wang', { token: agent.token, body: { tier: 'L2' } }));
C('PATCH', '/api/v1/users/{login}', 412, () => node.api('PATCH', '/api/v1/users/wang', { token: admin.token, headers: { 'if-match': STALE }, body: { tier: 'L2' } }));
const U = (step) => `/api/v1/users/{login}/actions/${step}`;
const uact = (login, step, body, token = admin.token) => node.api('POST', `/api/v1/users/${login}/actions/${step}`, { token, body });
C('POST', U('grant'), 200, () => uact(freshUser(), 'grant', { role: 'manager', sites: 'APAC' }));
C('POST', U('revoke'), 200, () => uact(freshUser(), 'revoke', { role: 'agent' }));
C('POST', U('revoke'), 409, () => uact(freshUser(), 'revoke', { role: 'manager' }));
C('POST', U('disable'), 200, () => uact(freshUser(), 'disable', { reason: 'left' }));
C('POST', U('disable'), 409, async () => {
  const u = freshUser();
  await uact(u, 'disable', {});
  return uact(u, 'disable', {});
});
C('POST', U('enable'), 200, async () => {
  const u = freshUser();
  await uact(u, 'disable', {});
  return uact(u, 'enable', undefined);
});
C('POST', U('enable'), 409, () => uact(freshUser(), 'enable', {}));
C('POST', U('link'), 200, () => uact(freshUser(), 'link', { unix: 'someone' }));
C('POST', U('password'), 200, () => node.unbusy('POST', `/api/v1/users/${freshUser()}/actions/password`,
  { token: admin.token, body: { password: 'longer-than-8' } }));
for (const step of ['grant', 'revoke', 'disable', 'enable', 'link', 'password']) {
  C('POST', U(step), 403, () => uact('wang', step, goodBody(U(step)), agent.token));
}
// teams
C('GET', '/api/v1/teams', 200, () => node.api('GET', '/api/v1/teams?site=APAC&limit=5', { token: agent.token }));
C('GET', '/api/v1/teams', 403, () => node.api('GET', '/api/v1/teams', { token: req.token }));
C('POST', '/api/v1/teams', 201, () => node.api('POST', '/api/v1/teams', { token: admin.token,
  body: { id: `team-${++nTeam}`, display_name: 'A team', tier: 'L2', manager: 'li' } }));
C('POST', '/api/v1/teams', 403, () => node.api('POST', '/api/v1/teams', { token: agent.token, body: { id: 'nope' } }));
C('POST', '/api/v1/teams', 404, () => node.api('POST', '/api/v1/teams', { token: admin.token, body: { id: 'nope', manager: 'nobody' } }));
C('POST', '/api/v1/teams', 409, () => node.api('POST', '/api/v1/teams', { token: admin.token, body: { id: 'network' } }));
C('GET', '/api/v1/teams/{name}', 200, () => node.api('GET', '/api/v1/teams/network', { token: agent.token }));
C('GET', '/api/v1/teams/{name}', 304, async () => {
  const etag = (await node.api('GET', '/api/v1/teams/network', { token: agent.token })).headers.get('etag');
  return node.api('GET', '/api/v1/teams/network', { token: agent.token, headers: { 'if-none-match': etag } });
});
C('GET', '/api/v1/teams/{name}', 403, () => node.api('GET', '/api/v1/teams/network', { token: req.token }));
C('PATCH', '/api/v1/teams/{name}', 200, () => node.api('PATCH', '/api/v1/teams/network', { token: admin.token, body: { display_name: 'Network' } }));
C('PATCH', '/api/v1/teams/{name}', 403, () => node.api('PATCH', '/api/v1/teams/network', { token: agent.token, body: { tier: 'L3' } }));
C('PATCH', '/api/v1/teams/{name}', 412, () => node.api('PATCH', '/api/v1/teams/network', { token: admin.token, headers: { 'if-match': STALE }, body: { tier: 'L3' } }));
// assets and vendors
let nAsset = 0;
C('GET', '/api/v1/assets', 200, () => node.api('GET', '/api/v1/assets?owner=APAC-C-000001&status=in_use&limit=5', { token: agent.token }));
C('GET', '/api/v1/assets', 403, () => node.api('GET', '/api/v1/assets', { token: req.token }));
C('POST', '/api/v1/assets', 201, () => node.api('POST', '/api/v1/assets', { token: agent.token,
  body: { id: `PH-${++nAsset}`, kind: 'phone', owner: 'APAC-C-000002', warranty_end: '2027-01-31' } }));
C('POST', '/api/v1/assets', 403, () => node.api('POST', '/api/v1/assets', { token: req.token, body: { id: 'LT-2', kind: 'laptop' } }));
C('POST', '/api/v1/assets', 409, () => node.api('POST', '/api/v1/assets', { token: agent.token, body: { id: 'LT-0001', kind: 'laptop' } }));
C('GET', '/api/v1/assets/{id}', 200, () => node.api('GET', '/api/v1/assets/LT-0001', { token: agent.token }));
C('GET', '/api/v1/assets/{id}', 304, async () => {
  const etag = (await node.api('GET', '/api/v1/assets/LT-0001', { token: agent.token })).headers.get('etag');
  return node.api('GET', '/api/v1/assets/LT-0001', { token: agent.token, headers: { 'if-none-match': etag } });
});
C('GET', '/api/v1/assets/{id}', 403, () => node.api('GET', '/api/v1/assets/LT-0001', { token: req.token }));
C('PATCH', '/api/v1/assets/{id}', 200, () => node.api('PATCH', '/api/v1/assets/LT-0001', { token: agent.token,
  body: { owner: 'EMEA-C-000003', site: 'EMEA' } }));
C('PATCH', '/api/v1/assets/{id}', 403, () => node.api('PATCH', '/api/v1/assets/LT-0001', { token: req.token, body: { status: 'repair' } }));
C('GET', '/api/v1/vendors', 200, () => node.api('GET', '/api/v1/vendors?limit=5', { token: agent.token }));
C('GET', '/api/v1/vendors', 403, () => node.api('GET', '/api/v1/vendors', { token: req.token }));
C('POST', '/api/v1/vendors', 201, () => node.api('POST', '/api/v1/vendors', { token: mgr.token,
  body: { id: `vendor-${++nAsset}`, display_name: 'A vendor', escalation_phone: '+86 400 100 6000' } }));
C('POST', '/api/v1/vendors', 403, () => node.api('POST', '/api/v1/vendors', { token: agent.token, body: { id: 'nope' } }));
C('POST', '/api/v1/vendors', 409, () => node.api('POST', '/api/v1/vendors', { token: mgr.token, body: { id: 'lenovo' } }));
C('GET', '/api/v1/vendors/{name}', 200, () => node.api('GET', '/api/v1/vendors/lenovo', { token: agent.token }));
C('GET', '/api/v1/vendors/{name}', 304, async () => {
  const etag = (await node.api('GET', '/api/v1/vendors/lenovo', { token: agent.token })).headers.get('etag');
  return node.api('GET', '/api/v1/vendors/lenovo', { token: agent.token, headers: { 'if-none-match': etag } });
});
C('GET', '/api/v1/vendors/{name}', 403, () => node.api('GET', '/api/v1/vendors/lenovo', { token: req.token }));
C('PATCH', '/api/v1/vendors/{name}', 200, () => node.api('PATCH', '/api/v1/vendors/lenovo', { token: mgr.token, body: { terms: 'NBD on site' } }));
C('PATCH', '/api/v1/vendors/{name}', 403, () => node.api('PATCH', '/api/v1/vendors/lenovo', { token: agent.token, body: { notes: 'x' } }));
// tokens
C('GET', '/api/v1/tokens', 200, () => node.api('GET', '/api/v1/tokens?limit=5', { token: admin.token }));
C('GET', '/api/v1/tokens', 403, () => node.api('GET', '/api/v1/tokens?user=boss', { token: agent.token }));
C('POST', '/api/v1/tokens', 201, () => node.api('POST', '/api/v1/tokens', { token: agent.token, body: { name: 'script', days: 7 } }));
C('POST', '/api/v1/tokens', 403, () => node.api('POST', '/api/v1/tokens', { token: agent.token, body: { user: 'boss' } }));
const newTokenOf = (login) => JSON.parse(node.sd('--json', 'token', 'new', '--user', login)).id;
const revoke = (id, token) => node.api('POST', `/api/v1/tokens/${id}/actions/revoke`, { token });
const R = '/api/v1/tokens/{id}/actions/revoke';
C('POST', R, 200, () => revoke(newTokenOf('li'), agent.token));
C('POST', R, 403, () => revoke(newTokenOf('boss'), agent.token));
C('POST', R, 404, () => revoke('APAC-TOK-999999', admin.token));
C('POST', R, 409, async () => {
  const id = newTokenOf('li');
  await revoke(id, agent.token);
  return revoke(id, agent.token);
});
// customers
const CU = '/api/v1/customers';
C('GET', CU, 200, () => node.api('GET', `${CU}?vip=true&site=APAC&limit=2`, { token: agent.token }));
C('GET', CU, 403, () => node.api('GET', CU, { token: req.token }));
C('POST', CU, 201, () => node.api('POST', CU, { token: agent.token,
  body: { name: 'Zhao Lei', emails: 'zhao@example.com', phones: '021 5555 0199', vip: true, organisation: 'Acme' } }));
C('POST', CU, 403, () => node.api('POST', CU, { token: req.token, body: { name: 'Me' } }));
C('GET', `${CU}/find`, 200, () => node.api('GET', `${CU}/find?phone=${encodeURIComponent('0086 21 5555 0101')}`, { token: agent.token }));
C('GET', `${CU}/find`, 403, () => node.api('GET', `${CU}/find?name=w`, { token: req.token }));
C('GET', `${CU}/find`, 422, () => node.api('GET', `${CU}/find`, { token: agent.token }));
C('GET', `${CU}/{id}`, 200, () => node.api('GET', `${CU}/${custId}`, { token: req.token }));
C('GET', `${CU}/{id}`, 304, async () => {
  const etag = (await node.api('GET', `${CU}/${custId}`, { token: agent.token })).headers.get('etag');
  return node.api('GET', `${CU}/${custId}`, { token: agent.token, headers: { 'if-none-match': etag } });
});
C('GET', `${CU}/{id}`, 403, () => node.api('GET', `${CU}/${custOther}`, { token: req.token }));
C('PATCH', `${CU}/{id}`, 200, () => node.api('PATCH', `${CU}/${freshCustomer()}`, { token: agent.token, body: { vip: true, phones: '+44 20 7946 0018' } }));
C('PATCH', `${CU}/{id}`, 403, () => node.api('PATCH', `${CU}/${custId}`, { token: req.token, body: { notes: 'x' } }));
C('PATCH', `${CU}/{id}`, 409, async () => {
  const dup = freshCustomer();
  await node.api('POST', `${CU}/${dup}/actions/merge`, { token: agent.token, body: { into: custOther } });
  return node.api('PATCH', `${CU}/${dup}`, { token: agent.token, body: { notes: 'x' } });
});
const MG = `${CU}/{id}/actions/merge`;
C('POST', MG, 200, () => node.api('POST', `${CU}/${freshCustomer()}/actions/merge`, { token: agent.token, body: { into: custOther } }));
C('POST', MG, 403, () => node.api('POST', `${CU}/${freshCustomer()}/actions/merge`, { token: req.token, body: { into: custOther } }));
C('POST', MG, 409, () => node.api('POST', `${CU}/${custOther}/actions/merge`, { token: agent.token, body: { into: custOther } }));
C('GET', '/api/v1/lookup', 200, () => node.api('GET', `/api/v1/lookup?email=WANG.FANG@example.com`, { token: agent.token }));
C('GET', '/api/v1/lookup', 403, () => node.api('GET', '/api/v1/lookup?email=wang.fang@example.com', { token: req.token }));
C('GET', `${CU}/{id}/card`, 200, () => node.api('GET', `${CU}/${custId}/card`, { token: agent.token }));
C('GET', `${CU}/{id}/card`, 403, () => node.api('GET', `${CU}/${custId}/card`, { token: req.token }));
C('GET', '/api/v1/lookup', 404, () => node.api('GET', `/api/v1/lookup?phone=${encodeURIComponent('+1 212 555 0100')}`, { token: agent.token }));
C('GET', '/api/v1/lookup', 422, () => node.api('GET', '/api/v1/lookup', { token: agent.token }));
// search (answered by the node's search thread)
const SE = '/api/v1/search';
C('GET', SE, 200, () => node.api('GET', `${SE}?q=${encodeURIComponent('打印')}&kind=ticket,article&limit=2`, { token: agent.token }));
C('GET', SE, 403, () => node.api('GET', `${SE}?q=x`, { token: admin.token }));
C('GET', SE, 422, () => node.api('GET', `${SE}?q=${encodeURIComponent('AND (')}`, { token: agent.token }));
C('GET', `${SE}/suggest`, 200, () => node.api('GET', `${SE}/suggest?text=${encodeURIComponent('打印机卡纸')}`, { token: req.token }));
C('GET', `${SE}/suggest`, 403, () => node.api('GET', `${SE}/suggest?text=x`, { token: admin.token }));
C('GET', `${SE}/suggest`, 422, () => node.api('GET', `${SE}/suggest`, { token: agent.token }));
C('GET', `${T}/suggestions`, 200, async () => node.api('GET', `/api/v1/tickets/${await ticketIn('new')}/suggestions`, { token: req.token }));
C('GET', `${T}/suggestions`, 403, async () => node.api('GET', `/api/v1/tickets/${await ticketIn('new', true)}/suggestions`, { token: req.token }));
C('GET', `${SE}/status`, 200, () => node.api('GET', `${SE}/status`, { token: agent.token }));
C('GET', `${SE}/status`, 403, () => node.api('GET', `${SE}/status`, { token: req.token }));
C('POST', `${SE}/reindex`, 200, () => node.api('POST', `${SE}/reindex`, { token: admin.token }));
C('POST', `${SE}/reindex`, 403, () => node.api('POST', `${SE}/reindex`, { token: agent.token }));
// knowledge base: articles and their versions, bulletins
const KB = '/api/v1/articles';
const KA = (step) => `${KB}/{id}/actions/${step}`;
const kbStep = (id, step, token, body = {}) => node.api('POST', `${KB}/${id}/actions/${step}`, { token, body });
const published = () => { const id = freshArticle(); node.sd('article', 'publish', id); return id; };
C('GET', KB, 200, () => node.api('GET', `${KB}?state=draft&audience=public&limit=2`, { token: agent.token }));
C('GET', KB, 403, () => node.api('GET', KB, { token: bare.token }));
C('POST', KB, 201, () => node.api('POST', KB, { token: agent.token,
  body: { title: 'VPN 密码重置', body: '1. 打开门户\n2. 重置\n', category: 'network/vpn', language: 'zh-CN', audience: 'public', keywords: 'VPN,密码' } }));
C('POST', KB, 403, () => node.api('POST', KB, { token: req.token, body: { title: 'mine' } }));
C('GET', `${KB}/{id}`, 200, () => node.api('GET', `${KB}/${freshArticle()}`, { token: agent.token }));
C('GET', `${KB}/{id}`, 403, () => node.api('GET', `${KB}/${freshArticle()}`, { token: bare.token }));
C('PATCH', `${KB}/{id}`, 200, () => node.api('PATCH', `${KB}/${freshArticle()}`, { token: agent.token, body: { body: 'one\nthree\n', base_version: 1, keywords: null } }));
C('PATCH', `${KB}/{id}`, 403, () => node.api('PATCH', `${KB}/${published()}`, { token: req.token, body: { title: 'z' } }));
C('GET', `${KB}/{id}/versions/{version}`, 200, () => node.api('GET', `${KB}/${freshArticle()}/versions/1`, { token: agent.token }));
C('GET', `${KB}/{id}/versions/{version}`, 403, () => node.api('GET', `${KB}/${freshArticle()}/versions/1`, { token: bare.token }));
C('GET', `${KB}/{id}/diff`, 200, async () => {
  const id = freshArticle();
  await node.api('PATCH', `${KB}/${id}`, { token: agent.token, body: { body: 'one\nthree\n' } });
  return node.api('GET', `${KB}/${id}/diff?from=1&to=2`, { token: agent.token });
});
C('GET', `${KB}/{id}/diff`, 400, () => node.api('GET', `${KB}/${freshArticle()}/diff?from=first&to=2`, { token: agent.token }));
C('GET', `${KB}/{id}/diff`, 403, () => node.api('GET', `${KB}/${freshArticle()}/diff?from=1&to=1`, { token: bare.token }));
C('POST', KA('publish'), 200, () => kbStep(freshArticle(), 'publish', agent.token));
C('POST', KA('publish'), 403, () => kbStep(freshArticle(), 'publish', req.token));
C('POST', KA('publish'), 409, () => kbStep(published(), 'publish', agent.token));
C('POST', KA('retire'), 200, () => kbStep(published(), 'retire', agent.token));
C('POST', KA('retire'), 403, () => kbStep(published(), 'retire', req.token));
C('POST', KA('retire'), 409, () => kbStep(freshArticle(), 'retire', agent.token));
C('POST', KA('link'), 200, async () => kbStep(freshArticle(), 'link', agent.token, { ticket: await ticketIn('resolved') }));
C('POST', KA('link'), 403, async () => kbStep(freshArticle(), 'link', req.token, { ticket: await ticketIn('new') }));
C('POST', KA('helpful'), 200, () => kbStep(published(), 'helpful', req.token));
C('POST', KA('helpful'), 403, () => kbStep(published(), 'helpful', bare.token));
const BL = '/api/v1/bulletins';
const later = 4102444800000; // 2100-01-01
C('GET', BL, 200, () => node.api('GET', `${BL}?current=true&limit=5`, { token: req.token }));
C('POST', BL, 201, () => node.api('POST', BL, { token: mgr.token,
  body: { title: 'Mail slow', body: 'We are on it.', severity: 'outage', sites: 'APAC,EMEA', category: 'mail', valid_until: later } }));
C('POST', BL, 403, () => node.api('POST', BL, { token: agent.token, body: { title: 'x', valid_until: later } }));
C('POST', BL, 404, () => node.api('POST', BL, { token: mgr.token, body: { title: 'x', valid_until: later, major: 'APAC-999999' } }));
C('GET', `${BL}/{id}`, 200, () => node.api('GET', `${BL}/${freshBulletin()}`, { token: req.token }));
C('PATCH', `${BL}/{id}`, 200, () => node.api('PATCH', `${BL}/${freshBulletin()}`, { token: mgr.token, body: { severity: 'maintenance', category: null } }));
C('PATCH', `${BL}/{id}`, 403, () => node.api('PATCH', `${BL}/${freshBulletin()}`, { token: agent.token, body: { title: 'z' } }));
const BW = `${BL}/{id}/actions/withdraw`;
C('POST', BW, 200, () => node.api('POST', `${BL}/${freshBulletin()}/actions/withdraw`, { token: mgr.token, body: {} }));
C('POST', BW, 403, () => node.api('POST', `${BL}/${freshBulletin()}/actions/withdraw`, { token: agent.token, body: {} }));
C('POST', BW, 409, async () => {
  const id = freshBulletin();
  await node.api('POST', `${BL}/${id}/actions/withdraw`, { token: mgr.token, body: {} });
  return node.api('POST', `${BL}/${id}/actions/withdraw`, { token: mgr.token, body: {} });
});
// inbound mail and chat, blobs; monitoring alerts; the outbox (openapi_channels.mjs)
ch.cases(C);
// contacts, majors, CTI
const CT = '/api/v1/contacts/{id}';
const contact = () => node.sd('contact', 'new', '--channel', 'email').trim();
C('GET', '/api/v1/contacts', 200, () => node.api('GET', '/api/v1/contacts?channel=email&limit=2', { token: agent.token }));
C('GET', '/api/v1/contacts', 403, () => node.api('GET', '/api/v1/contacts', { token: req.token }));
C('POST', '/api/v1/contacts', 201, () => node.api('POST', '/api/v1/contacts', { token: agent.token,
  body: { channel: 'call', direction: 'out', customer: 'APAC-C-000001', to: '+86 21 5555 0101', summary: 'called back', at: 1700000000000 } }));
C('POST', '/api/v1/contacts', 403, () => node.api('POST', '/api/v1/contacts', { token: req.token, body: { channel: 'portal' } }));
C('POST', '/api/v1/contacts', 404, () => node.api('POST', '/api/v1/contacts', { token: agent.token, body: { channel: 'call', ticket: 'APAC-999999' } }));
C('POST', '/api/v1/contacts', 409, async () => {
  await node.api('POST', '/api/v1/contacts', { token: agent.token, body: { channel: 'call', call_id: 'twice' } });
  return node.api('POST', '/api/v1/contacts', { token: agent.token, body: { channel: 'call', call_id: 'twice' } });
});
C('GET', CT, 200, () => node.api('GET', `/api/v1/contacts/${contact()}`, { token: agent.token }));
C('GET', CT, 304, async () => {
  const p = `/api/v1/contacts/${contact()}`;
  const etag = (await node.api('GET', p, { token: agent.token })).headers.get('etag');
  return node.api('GET', p, { token: agent.token, headers: { 'if-none-match': etag } });
});
C('GET', CT, 403, () => node.api('GET', `/api/v1/contacts/${contact()}`, { token: req.token }));
C('PATCH', CT, 200, () => node.api('PATCH', `/api/v1/contacts/${contact()}`, { token: agent.token, body: { outcome: 'answered', summary: null } }));
C('PATCH', CT, 403, () => node.api('PATCH', `/api/v1/contacts/${contact()}`, { token: req.token, body: { summary: 'x' } }));
const MJ = '/api/v1/majors/{name}';
let nRule = 0;
C('GET', '/api/v1/majors', 200, () => node.api('GET', '/api/v1/majors?site=*&limit=5', { token: agent.token }));
C('GET', '/api/v1/majors', 403, () => node.api('GET', '/api/v1/majors', { token: req.token }));
C('POST', '/api/v1/majors', 201, () => node.api('POST', '/api/v1/majors', { token: mgr.token,
  body: { id: `rule${++nRule}`, category: 'network/vpn', site: 'APAC', service: 'VPN', notify: 'li, noc@example.com', note: 'call first' } }));
C('POST', '/api/v1/majors', 403, () => node.api('POST', '/api/v1/majors', { token: agent.token, body: { id: 'nope', notify: 'x' } }));
C('POST', '/api/v1/majors', 409, () => node.api('POST', '/api/v1/majors', { token: mgr.token, body: { id: 'network', notify: 'x' } }));
C('GET', MJ, 200, () => node.api('GET', '/api/v1/majors/network', { token: agent.token }));
C('GET', MJ, 304, async () => {
  const etag = (await node.api('GET', '/api/v1/majors/network', { token: agent.token })).headers.get('etag');
  return node.api('GET', '/api/v1/majors/network', { token: agent.token, headers: { 'if-none-match': etag } });
});
C('GET', MJ, 403, () => node.api('GET', '/api/v1/majors/network', { token: req.token }));
C('PATCH', MJ, 200, () => node.api('PATCH', '/api/v1/majors/network', { token: mgr.token, body: { service: 'LAN', note: null } }));
C('PATCH', MJ, 403, () => node.api('PATCH', '/api/v1/majors/network', { token: agent.token, body: { notify: 'z' } }));
// on call (the roster desk of lib.mjs has no members: nobody is on call but by override)
const override = () => JSON.parse(node.sd('--json', 'oncall', 'override', 'desk', 'li', '--from', '2027-03-27T00:00Z',
  '--until', '2027-03-28T00:00Z', '--reason', 'swap')).id;
const OV = '/api/v1/oncall/overrides/{id}';
const OC = `${OV}/actions/cancel`;
const ICS = '/api/v1/oncall/{roster}.ics';
const ocancel = (id, token = mgr.token) => node.api('POST', `/api/v1/oncall/overrides/${id}/actions/cancel`, { token, body: { reason: 'back' } });
C('GET', '/api/v1/oncall', 200, () => node.api('GET', '/api/v1/oncall?site=APAC&from=1806134400000', { token: agent.token }));
C('GET', '/api/v1/oncall', 400, () => node.api('GET', '/api/v1/oncall?from=soon', { token: agent.token }));
C('GET', '/api/v1/oncall', 403, () => node.api('GET', '/api/v1/oncall', { token: req.token }));
C('GET', '/api/v1/oncall', 422, () => node.api('GET', '/api/v1/oncall?site=MARS', { token: agent.token }));
C('GET', '/api/v1/oncall/overrides', 200, () => node.api('GET', '/api/v1/oncall/overrides?roster=desk&limit=5', { token: agent.token }));
C('GET', '/api/v1/oncall/overrides', 403, () => node.api('GET', '/api/v1/oncall/overrides', { token: req.token }));
C('POST', '/api/v1/oncall/overrides', 201, () => node.api('POST', '/api/v1/oncall/overrides', { token: mgr.token,
  body: { roster: 'desk', login: 'li', from: 1806134400000, until: 1806220800000, reason: 'covers for amy' } }));
C('POST', '/api/v1/oncall/overrides', 403, () => node.api('POST', '/api/v1/oncall/overrides', { token: agent.token,
  body: { roster: 'desk', login: 'li', from: 1806134400000, until: 1806220800000 } }));
C('GET', OV, 200, () => node.api('GET', `/api/v1/oncall/overrides/${override()}`, { token: agent.token }));
C('GET', OV, 304, async () => {
  const p = `/api/v1/oncall/overrides/${override()}`;
  const etag = (await node.api('GET', p, { token: agent.token })).headers.get('etag');
  return node.api('GET', p, { token: agent.token, headers: { 'if-none-match': etag } });
});
C('GET', OV, 403, () => node.api('GET', `/api/v1/oncall/overrides/${override()}`, { token: req.token }));
C('POST', OC, 200, () => ocancel(override()));
C('POST', OC, 403, () => ocancel(override(), agent.token));
C('POST', OC, 409, async () => {
  const id = override();
  await ocancel(id);
  return ocancel(id);
});
C('GET', ICS, 200, () => node.api('GET', '/api/v1/oncall/desk.ics?from=1806134400000&until=1806739200000', { token: agent.token }));
C('GET', ICS, 400, () => node.api('GET', '/api/v1/oncall/desk.ics?from=soon', { token: agent.token }));
C('GET', ICS, 403, () => node.api('GET', '/api/v1/oncall/desk.ics', { token: req.token }));
C('GET', ICS, 404, () => node.api('GET', '/api/v1/oncall/nothing.ics', { token: agent.token }));
C('GET', ICS, 422, () => node.api('GET', '/api/v1/oncall/desk.ics?from=1806134400000&until=1906134400000', { token: agent.token }));
const CTI = '/api/v1/cti/events';
let nCall = 0;
const cti = (body, token = agent.token) => node.api('POST', CTI, { token, body });
C('POST', CTI, 201, () => cti({ event: 'newCall', callId: `oa-${++nCall}`, from: '+86 21 5555 0188', to: '8001', direction: 'in', user: 'li' }));
C('POST', CTI, 200, async () => {
  const callId = `oa-${++nCall}`;
  await cti({ event: 'newCall', callId, from: '1002' });
  return cti({ event: 'answer', callId, user: 'li', vendorField: 1 });
});
C('POST', CTI, 403, () => cti({ event: 'newCall', callId: 'no', from: '1' }, req.token));
C('POST', CTI, 404, () => cti({ event: 'hangup', callId: 'never-rang' }));
C('POST', CTI, 409, async () => {
  const callId = `oa-${++nCall}`;
  await cti({ event: 'newCall', callId, from: '1003' });
  return cti({ event: 'newCall', callId, from: '1003' });
});
C('POST', CTI, 422, () => cti({ event: 'newCall', callId: 'no-from' }));
// node
C('GET', '/api/v1/audit', 200, () => node.api('GET', '/api/v1/audit?limit=5&since=0', { token: admin.token }));
C('GET', '/api/v1/audit', 403, () => node.api('GET', '/api/v1/audit', { token: agent.token }));
C('GET', '/api/v1/audit', 404, () => node.api('GET', '/api/v1/audit?ticket=APAC-999999', { token: admin.token }));
for (const p of ['/api/v1/node', '/api/v1/node/digest', '/api/v1/replication']) {
  C('GET', p, 200, () => node.api('GET', p, { token: agent.token }));
  C('GET', p, 403, () => node.api('GET', p, { token: req.token }));
}
C('GET', '/api/v1/replication', 503, () => plain.api('GET', '/api/v1/replication', { token: plainAgent.token }));
// The stream stays open: take the status and headers, then hang up.
C('GET', '/api/v1/events', 200, async () => {
  const ctl = new AbortController();
  const res = await fetch(`${node.base}/api/v1/events`, { headers: { authorization: `Bearer ${agent.token}` }, signal: ctl.signal });
  ctl.abort();
  return { status: res.status, headers: res.headers, text: '', json: undefined };
});
C('GET', '/api/v1/openapi.json', 200, () => node.api('GET', '/api/v1/openapi.json'));
C('GET', '/', 200, () => node.api('GET', '/'));
C('GET', '/', 404, () => plain.api('GET', '/'));
C('GET', '/assets/{file}', 200, () => node.api('GET', '/assets/app.js'));
C('GET', '/assets/{file}', 404, () => node.api('GET', '/assets/no-such-file.js'));
// Last: these use up the node's password checks (a login locks after 5 failures in a row).
C('POST', '/api/v1/session', 429, async () => {
  for (let i = 0; i < 10; i++) {
    const r = await node.api('POST', '/api/v1/session', { body: { login: 'locked', password: 'wrong-password' } });
    if (r.status !== 401) return r;
  }
  return { status: 'never busy' };
});
C('POST', U('password'), 429, async () => {
  const u = freshUser();
  for (let round = 0; round < 3; round++) {
    const all = await Promise.all(Array.from({ length: 12 }, () => uact(u, 'password', { password: 'longer-than-8' })));
    const busy = all.find((r) => r.status === 429);
    if (busy) return busy;
  }
  return { status: 'never busy' };
});

// --- the checks -------------------------------------------------------------------------------
// Stand-ins for the built console: the node serves whatever its http/console directory holds.
function consoleDir(files) {
  const dir = mkdtempSync(join(tmpdir(), 'sd-console-'));
  mkdirSync(join(dir, 'assets'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
let consoles = [];
before(async () => {
  consoles = [consoleDir({ 'index.html': '<!doctype html><title>sundesk</title>', 'assets/app.js': 'export {};\n',
    'app.js': 'export {};\n' }), consoleDir({})];
  node = await startNode({ console: consoles[0] });
  plain = await startNode({ site: 'EMEA', calendars: false, replication: false, console: consoles[1] });
  admin = node.user('boss', ['admin']);
  agent = node.user('li', ['agent']);
  mgr = node.user('mia', ['manager']);
  req = node.user('wang', ['requester']);
  node.user('locked', ['agent']);
  plainAgent = plain.user('olga', ['agent']);
  bare = node.user('ning', []);
  node.sd('team', 'new', 'network', '--manager', 'li');
  node.sd('asset', 'new', 'LT-0001', '--kind', 'laptop', '--owner', 'APAC-C-000001');
  node.sd('vendor', 'new', 'lenovo');
  custId = JSON.parse(node.sd('--json', 'customer', 'new', '--name', 'Wang Fang', '--phone', '+86 21 5555 0101',
    '--email', 'wang.fang@example.com', '--user', 'wang')).id;
  custOther = JSON.parse(node.sd('--json', 'customer', 'new', '--name', 'Other One')).id;
  node.sd('major', 'new', 'network', '--category', 'network/lan', '--notify', 'li');
});
after(async () => {
  await node.stop();
  await plain.stop();
  for (const d of consoles) rmSync(d, { recursive: true, force: true });
});

test('the table covers every route and every status the document lists, and nothing else', () => {
  const table = new Set(cases.map((c) => key(c.method, c.path, c.status)));
  const missing = [];
  const routes = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      routes.push(`${m.toUpperCase()} ${path}`);
      for (const s of Object.keys(op.responses).filter((x) => x !== 'default')) {
        if (!table.has(key(m.toUpperCase(), path, s))) missing.push(key(m.toUpperCase(), path, s));
      }
    }
  }
  assert.deepEqual(missing, [], 'documented statuses no request of the table produces');
  const extra = cases.filter((c) => !documented(doc, c.path, c.method, c.status)).map((c) => key(c.method, c.path, c.status));
  assert.deepEqual(extra, [], 'statuses the table produces that the document does not list');
  assert.ok(routes.length >= 40, `${routes.length} routes`);
});

test('every request of the table gets its documented status, body and headers', async (t) => {
  const failures = [];
  for (const c of cases) {
    const name = key(c.method, c.path, c.status);
    let r;
    try {
      r = await c.run();
    } catch (e) {
      failures.push(`${name}: ${e.message}`);
      continue;
    }
    const why = verdict(c, r) || accepted(c, r);
    if (why) failures.push(`${name}: ${why}`);
  }
  t.diagnostic(`${cases.length} requests`);
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} requests answered otherwise`);
});

// What is wrong with answer R to case C ('' when nothing).
function verdict(c, r) {
  if (r.status !== c.status) return `got ${r.status}: ${(r.text || '').slice(0, 300)}`;
  const res = documented(doc, c.path, c.method, c.status);
  for (const [h, def] of Object.entries(res.headers || {})) {
    if (h.toLowerCase() === 'link') continue; // only while more pages follow
    if (resolve(doc, def).required && !r.headers.get(h)) return `no ${h} header`;
  }
  if (!res.content) return c.status === 304 || c.status === 204 ? (r.text ? `a body: ${r.text.slice(0, 80)}` : '') : '';
  const ctype = (r.headers.get('content-type') || '').split(';')[0].trim();
  const media = res.content[ctype];
  if (!media) return `content type ${ctype}, documented ${Object.keys(res.content).join(', ')}`;
  if (!ctype.includes('json')) return '';
  if (r.json === undefined) return `no JSON: ${r.text.slice(0, 200)}`;
  const bad = check(doc, media.schema, r.json);
  if (bad.length) return `body does not fit the schema: ${bad.slice(0, 5).join('; ')}`;
  if (c.status >= 400 && r.json.status !== c.status) return `problem status ${r.json.status}`;
  return '';
}

// A body the node took (2xx) must fit the documented request schema: the document asks no more
// than the node does. ('' when it fits, or the request had no JSON body.)
function accepted(c, r) {
  const op = doc.paths[c.path][c.method.toLowerCase()];
  const last = (c.status < 300 && op.requestBody && [node, plain].find((n) => n.last?.res === r)?.last) || null;
  if (!last || last.body === undefined) return '';
  const media = Object.values(op.requestBody.content)[0];
  const bad = check(doc, media.schema, last.body);
  return bad.length ? `the node took a body the document refuses: ${bad.join('; ')}` : '';
}

// Every limit the request schemas state is the node's: one byte over a maxLength is too_long,
// one over a maximum (or under a minimum of 1 and more) and a name outside an enum out_of_range,
// each with the pointer of its field.
test('the documented limits of every request body are the node\'s', async () => {
  const wrong = [];
  let n = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      if (!op.requestBody) continue;
      const schema = resolve(doc, Object.values(op.requestBody.content)[0].schema);
      const type = Object.keys(op.requestBody.content)[0];
      for (const [name, raw] of Object.entries(schema.properties || {})) {
        const s = resolve(doc, raw);
        const bad = [];
        if (s.maxLength !== undefined) {
          const ch = ['a', 'A', '1'].find((c) => !s.pattern || new RegExp(s.pattern, 'u').test(c));
          bad.push([ch.repeat(s.maxLength + 1), 'too_long']);
        }
        if (s.maximum !== undefined) bad.push([s.maximum + 1, 'out_of_range']);
        if (s.minimum > 0) bad.push([s.minimum - 1, 'out_of_range']);
        if (s.enum) bad.push(['zz-none-of-them', 'out_of_range']);
        for (const [value, code] of bad) {
          n++;
          const body = { ...goodBody(path), [name]: value };
          const tok = path === '/api/v1/session' ? undefined : tokenFor(path);
          const r = await node.api(m.toUpperCase(), await fill(path), { token: tok, body, type });
          const ptr = r.json?.errors?.[0]?.pointer;
          const want = path === '/api/v1/session' && name === 'login' ? ['#/login', '#/id'] : [`#/${name}`];
          if (r.status !== 422 || r.json?.code !== code || !want.includes(ptr)) {
            wrong.push(`${m.toUpperCase()} ${path} ${name}=${JSON.stringify(value).slice(0, 20)}: ${r.status} ${r.json?.code} ${ptr}`);
          }
        }
      }
    }
  }
  assert.ok(n > 50, `${n} requests`);
  assert.deepEqual(wrong, []);
});

test('a method a path does not list is 405 method_not_allowed with Allow', async () => {
  const methods = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'];
  const tid = (await node.ticket(agent.token)).id;
  const wrong = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path === '/api/v1/tickets/counts') continue; // its own test below
    const concrete = path.replace('{id}', path.includes('tokens') ? 'APAC-TOK-000001' : tid)
      .replace('{login}', 'li').replace('{name}', 'network').replace('{file}', 'app.js');
    for (const m of methods.filter((x) => !(x.toLowerCase() in item))) {
      const r = await node.api(m, concrete, { token: admin.token, body: m === 'GET' ? undefined : {} });
      if (r.status !== 405 || r.json?.code !== 'method_not_allowed') wrong.push(`${m} ${path}: ${r.status} ${r.text.slice(0, 100)}`);
      else if (!r.headers.get('allow')) wrong.push(`${m} ${path}: 405 without Allow`);
    }
  }
  assert.deepEqual(wrong, []);
});

const UNKNOWN = ['/api/v1/ticket', '/api/v2/tickets', '/api/v1/tickets/x/y/z', '/api/v1/tickets/APAC-000001/actions/fly'];
test('an unknown path is 404', async () => {
  for (const p of UNKNOWN) problem(await node.api('GET', p, { token: agent.token }), 404);
});

test('an unknown path is 404 with code not_found_route', async () => {
  for (const p of UNKNOWN) problem(await node.api('GET', p, { token: agent.token }), 404, 'not_found_route');
});

test('the node serves this very document', async () => {
  const r = await node.api('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, JSON.parse(readFileSync(join(root, 'node/http/openapi.json'), 'utf8')));
});

// /api/v1/tickets/counts is also /api/v1/tickets/{id} with the id "counts" (no ticket has it).
test('a method /api/v1/tickets/counts lacks is 405', async () => {
  const r = await node.api('PATCH', '/api/v1/tickets/counts', { token: mgr.token, body: { title: 'x' } });
  assert.equal(r.status, 405, r.text);
});
