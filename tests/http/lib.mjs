// lib.mjs - shared by the HTTP API tests: a real sundeskd on a free loopback port, desk users
// made through the CLI as root (the bootstrap admin), and small fetch helpers.
//
// SD_BIN names the build directory (ctest passes it). Every node lives in its own temp dir and
// is killed when the test process exits, whatever happened.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, writeFileSync, rmSync, readFileSync, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';

export const bin = process.env.SD_BIN;
if (!bin) throw new Error('SD_BIN must point at the build directory');
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const openapi = JSON.parse(readFileSync(join(root, 'node/http/openapi.json'), 'utf8'));
const run = promisify(execFile);
const live = new Set();
process.on('exit', () => {
  for (const n of live) n.kill();
});

// A port nobody listens on, from 40000-59999: the cluster scripts take theirs from 20000-35999
// (tests/integration/cluster_lib.sh), so tests running side by side do not collide.
async function freePort() {
  for (;;) {
    const port = 40000 + Math.floor(Math.random() * 20000);
    const free = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The follow-the-sun schedule of deploy/local-cluster.sh, so schedule.* and handovers work.
const SCHEDULE = `schedule
    site
        name = APAC
        zone = Asia/Shanghai
        hours = "mon-fri 07:00-16:00"
    site
        name = EMEA
        zone = Europe/London
        hours = "mon-fri 08:00-17:00"
    site
        name = AMER
        zone = America/New_York
        hours = "mon-fri 08:00-18:00"
    oncall
        name = desk
        zone = Asia/Shanghai
        handoff = "mon 09:00"
`;

// A node that answers HTTP. opts.site (default APAC) names it; opts.calendars and
// opts.replication (a replication section without upstreams, so repl.status answers) default
// to true; { calendars: false, replication: false } is a plain node where those ops are 503.
// opts.console: the directory the node serves the console from (default: the build's).
export async function startNode(opts = {}) {
  const { site = 'APAC', calendars = true, replication = true, console } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'sd-http-'));
  let conf = `node\n    site = ${site}\n`;
  if (replication) {
    mkdirSync(join(dir, 'keys'));
    mkdirSync(join(dir, 'certs'));
    execFileSync(`${bin}/tools/sundesk`, ['keygen', 'n', '--site', site, '--dir', join(dir, 'keys')]);
    copyFileSync(join(dir, 'keys/n.cert'), join(dir, 'certs/n.cert'));
    const p1 = await freePort(), p2 = await freePort();
    conf += `replication\n    cert = ${dir}/keys/n.cert\n    certs = ${dir}/certs\n` +
      `    pub = tcp://127.0.0.1:${p1}\n    sync = tcp://127.0.0.1:${p2}\n`;
  }
  if (calendars) conf += SCHEDULE;
  if (console) conf += `http\n    console = ${console}\n`;
  if (opts.conf) conf += opts.conf; // more sections, as written (the alerts tests' sources)
  // Notifications out (issue 17): the full node sends its mail to a sendmail that takes it all but
  // refuses (EX_DATAERR) a message to fail...@, so an outbox entry can be made to fail.
  if (opts.mail ?? calendars) {
    writeFileSync(join(dir, 'sendmail'), '#!/bin/sh\nif grep -q "^To: fail"; then exit 65; fi\nexit 0\n', { mode: 0o755 });
    conf += `mail\n    address = desk@example.com\n    transport = sendmail\n    sendmail = ${dir}/sendmail\n`;
  }
  writeFileSync(join(dir, 'desk.zpl'), conf);
  // A port found free may be taken before the node binds it: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const node = new Node(dir, port);
    if (await node.up()) return node;
    node.kill();
  }
  throw new Error(`sundeskd did not serve HTTP; see ${dir}/node.log:\n${readLog(dir)}`);
}

function readLog(dir) {
  try {
    return readFileSync(join(dir, 'node.log'), 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}

class Node {
  constructor(dir, port) {
    this.dir = dir;
    this.data = join(dir, 'd');
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    // The node logs one line per event to stdout: keep it for failures.
    const log = openSync(join(dir, 'node.log'), 'a');
    this.proc = spawn(`${bin}/node/sundeskd`,
      ['--data', this.data, '--config', join(dir, 'desk.zpl'), '--http', `127.0.0.1:${port}`],
      { stdio: ['ignore', log, log] });
    closeSync(log);
    live.add(this);
  }

  // Waits (up to 10 s) until the node answers HTTP; false when it exited.
  async up() {
    for (let i = 0; i < 100; i++) {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) return false;
      try {
        await fetch(`${this.base}/api/v1/openapi.json`);
        this.sd('node', 'ping');
        return true;
      } catch {
        await sleep(100);
      }
    }
    return false;
  }

  kill() {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    live.delete(this);
  }

  // Stops the node and removes its directory.
  async stop() {
    if (this.proc.exitCode === null) {
      const gone = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      await gone;
    }
    live.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }

  // The CLI on this node as root (the bootstrap admin); returns stdout. Throws on failure.
  sd(...args) {
    return execFileSync(`${bin}/tools/sundesk`, ['--data', this.data, ...args],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  async sdAsync(...args) {
    return (await run(`${bin}/tools/sundesk`, ['--data', this.data, ...args], { encoding: 'utf8' })).stdout;
  }

  // A desk user with ROLES (array), without a password; returns the login.
  bareUser(login, roles) {
    this.sd('user', 'new', login, '--name', `Desk ${login}`, ...(roles.length ? ['--role', roles[0]] : []));
    for (const r of roles.slice(1)) this.sd('user', 'grant', login, r);
    return login;
  }

  // A desk user with ROLES (array), a password and an API token; returns { login, password,
  // token }. The node's password checks are rate limited (busy): setting one is retried.
  user(login, roles, password = `pw-${login}-12345`) {
    this.bareUser(login, roles);
    for (let i = 0; ; i++) {
      try {
        execFileSync(`${bin}/tools/sundesk`, ['--data', this.data, 'user', 'passwd', login, '--password-stdin'],
          { input: `${password}\n`, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
        break;
      } catch (e) {
        if (i >= 20 || !/busy|too many/i.test(String(e.stderr) + e.message)) throw e;
        execFileSync('sleep', ['0.5']);
      }
    }
    const token = this.sd('token', 'new', '--user', login).trim().split('\n')[0];
    assert.match(token, /^sdt_[0-9a-f]{64}$/);
    return { login, password, token };
  }

  // One HTTP request. o: token, cookie, csrf, body (JSON-encoded unless raw is given), raw
  // (a string or Buffer sent as is), type (Content-Type), headers. Returns { status, headers,
  // text, json } (json: the parsed body when it parses, else undefined).
  async api(method, path, o = {}) {
    const headers = { ...(o.headers || {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.cookie) headers.cookie = o.cookie;
    if (o.csrf) headers['x-csrf-token'] = o.csrf;
    let body;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && !('content-type' in headers)) {
      headers['content-type'] = o.type || (method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
    }
    this.last = { method, path, body: o.raw === undefined ? o.body : undefined }; // for test_openapi
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const out = { status: res.status, headers: res.headers, text, json };
    this.last.res = out;
    return out;
  }

  // Like api(), but while the node says busy (429: its password checks are rate limited) it
  // waits as Retry-After says and asks again.
  async unbusy(method, path, o = {}) {
    for (let i = 0; ; i++) {
      const r = await this.api(method, path, o);
      if (r.status !== 429 || i >= 20) return r;
      await sleep(1000 * Math.min(Number(r.headers.get('retry-after')) || 1, 5));
    }
  }

  // Logs in with a password (retried while busy). Returns { cookie, csrf, json, setCookie }.
  async login(login, password) {
    const r = await this.unbusy('POST', '/api/v1/session', { body: { login, password } });
    assert.equal(r.status, 201, `login ${login}: ${r.text}`);
    const set = r.headers.get('set-cookie') || '';
    const m = /sd_session=([^;]*)/.exec(set);
    assert.ok(m, `login sets the sd_session cookie: ${set}`);
    return { cookie: `sd_session=${m[1]}`, csrf: r.json.csrf_token, json: r.json, setCookie: set };
  }

  // Opens a ticket as TOKEN's user; returns the ticket.
  async ticket(token, body = {}) {
    const r = await this.api('POST', '/api/v1/tickets', { token, body: { title: 'printer jams', ...body } });
    assert.equal(r.status, 201, r.text);
    return r.json;
  }

  // Runs workflow STEP on ticket ID as TOKEN; returns the answer.
  step(token, id, step, body = {}) {
    return this.api('POST', `/api/v1/tickets/${id}/actions/${step}`, { token, body });
  }
}

// The usual fixture of a test file: a node (opts as for startNode) and the desk users PEOPLE
// names ({ agent: ['li', ['agent']], ... }). Returns { node, agent: { login, password, token }, ... }.
export async function desk(people, opts = {}) {
  const node = await startNode(opts);
  const out = { node };
  for (const [name, [login, roles]] of Object.entries(people)) out[name] = node.user(login, roles);
  return out;
}

// Asserts that R is a problem answer (RFC 9457) with STATUS and CODE; returns its body.
export function problem(r, status, code) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, 'problem content type');
  const p = r.json;
  assert.ok(p && typeof p === 'object', `a JSON problem body: ${r.text}`);
  assert.equal(p.status, status);
  if (code) {
    assert.equal(p.code, code, `code: ${r.text}`);
    assert.equal(p.type, `https://sundesk.dev/problems/${code}`);
  }
  assert.equal(typeof p.title, 'string');
  return p;
}

// Runs the async functions of JOBS with at most N at once; returns their results in order.
export async function parallel(jobs, n) {
  const out = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}

export { sleep, assert };
