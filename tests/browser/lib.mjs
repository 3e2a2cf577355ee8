// lib.mjs - shared by the browser tests: real sundeskd nodes with HTTP on a free loopback port,
// desk users made through the CLI as the bootstrap admin (root on the ipc socket), the system
// Chromium driven by playwright-core, and screenshots under ${SD_BIN}/screenshots.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = resolve(process.env.SD_BIN || join(here, '../../build'));
export const MODULES = resolve(process.env.SD_NODE_MODULES || join(here, '../../node/http/console/node_modules'));
export const CHROMIUM = process.env.SD_CHROMIUM || '/usr/bin/chromium';
export const SHOTS = join(BIN, 'screenshots');

// Why the browser tests cannot run here, or null: they are skipped only for a missing Chromium.
export function skipReason() {
    if (!existsSync(CHROMIUM))
        return `no ${CHROMIUM}: install Debian's chromium and fonts-noto-cjk (deploy/deps.sh) to run the browser tests`;
    return null;
}

// playwright-core from the console's node_modules (the tests have no package.json of their own).
export function playwright() {
    const require = createRequire(join(MODULES, 'noop.js'));
    return require('playwright-core');
}

// The flags this machine's Chromium needs as root, offline (shared/REFERENCE.md); playwright's
// launch gives it a fresh temporary profile (user-data-dir) each time and removes it on close.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser() {
    const { chromium } = playwright();
    return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
}

export function freePort() {
    return new Promise((res, rej) => {
        const s = createServer();
        s.unref();
        s.on('error', rej);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => res(port));
        });
    });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls fn() until it returns a truthy value (returned) or `seconds` pass (throws `what`).
export async function within(seconds, what, fn) {
    const end = Date.now() + seconds * 1000;
    let last;
    for (;;) {
        try {
            const v = await fn();
            if (v) return v;
        } catch (e) {
            last = e;
        }
        if (Date.now() > end) throw new Error(`not within ${seconds} s: ${what}${last ? ' (' + last.message + ')' : ''}`);
        await sleep(100);
    }
}

export function tempDir(name) {
    return mkdtempSync(join(tmpdir(), `sd-browser-${name}-`));
}

// The ZPL schedule section: site calendars (name, zone, hours) in config order.
export function scheduleZpl(sites) {
    let s = 'schedule\n';
    for (const x of sites) {
        s += `    site\n        name = ${x.name}\n        zone = ${x.zone}\n        hours = "${x.hours}"\n`;
    }
    return s;
}

// A sundeskd with HTTP on a free port; `config` is ZPL text (written beside the data dir).
export class Node {
    constructor(dir, name) {
        this.dir = dir;
        this.name = name;
        this.data = join(dir, name);
        this.proc = null;
        this.port = 0;
    }

    // The CLI on this node as root (the bootstrap admin); returns stdout.
    cli(args, input) {
        return execFileSync(join(BIN, 'tools/sundesk'), ['--data', this.data, ...args], {
            input: input ?? '',
            encoding: 'utf8',
            stdio: ['pipe', 'pipe', 'pipe'],
        });
    }

    async start(config) {
        this.port = await freePort();
        // The console this build made (the node's compiled-in default may be an installed one).
        const file = join(this.dir, this.name + '.zpl');
        writeFileSync(file, (config || '') + `http\n    console = ${join(BIN, 'console')}\n`);
        const args = ['--data', this.data, '--config', file, '--http', `127.0.0.1:${this.port}`];
        const log = openSync(join(this.dir, this.name + '.log'), 'a');
        this.proc = spawn(join(BIN, 'node/sundeskd'), args, { stdio: ['ignore', log, log] });
        const exited = new Promise((r) => this.proc.once('exit', (code) => r(code)));
        this.exit = exited;
        let gone = false;
        exited.then(() => (gone = true));
        await within(15, `${this.name} answers on http://127.0.0.1:${this.port}/`, async () => {
            if (gone) throw new Error(`sundeskd ${this.name} exited; see ${join(this.dir, this.name + '.log')}`);
            this.cli(['node', 'ping']);
            const r = await fetch(this.url + 'api/v1/openapi.json');
            return r.ok;
        });
        return this;
    }

    get url() {
        return `http://127.0.0.1:${this.port}/`;
    }

    // A desk user with a password: `sundesk user new` then `user passwd --password-stdin`.
    user(login, role, password, extra = []) {
        this.cli(['user', 'new', login, '--name', extra.name || login, '--role', role, ...(extra.args || [])]);
        this.cli(['user', 'passwd', login, '--password-stdin'], password + '\n');
    }

    async stop() {
        if (!this.proc || this.proc.exitCode !== null) return;
        this.proc.kill('SIGTERM');
        const t = setTimeout(() => this.proc.kill('SIGKILL'), 10000);
        await this.exit;
        clearTimeout(t);
    }
}

// Two nodes replicating over CURVE, as deploy/local-cluster.sh sets them up: a region `apac`
// (site APAC) and the hub (site HUB, role hub) following it; both admit both certificates.
export async function startHubAndRegion(dir, schedule) {
    const keys = join(dir, 'keys');
    const certs = join(dir, 'certs');
    mkdirSync(keys, { recursive: true });
    mkdirSync(certs, { recursive: true });
    const nodes = { hub: { site: 'HUB', role: 'hub' }, apac: { site: 'APAC', role: 'site' } };
    for (const [n, x] of Object.entries(nodes)) {
        execFileSync(join(BIN, 'tools/sundesk'), ['keygen', n, '--site', x.site, '--role', x.role, '--dir', keys]);
        copyFileSync(join(keys, n + '.cert'), join(certs, n + '.cert'));
        x.pub = await freePort();
        x.sync = await freePort();
    }
    const result = {};
    for (const [n, x] of Object.entries(nodes)) {
        const up = n === 'hub' ? 'apac' : 'hub';
        const u = nodes[up];
        const zpl =
            `node\n    site = ${x.site}\n    role = ${x.role}\n` +
            `replication\n    cert = ${join(keys, n + '.cert')}\n    certs = ${certs}\n` +
            `    pub = tcp://127.0.0.1:${x.pub}\n    sync = tcp://127.0.0.1:${x.sync}\n    heartbeat_ms = 500\n` +
            `    upstream\n        cert = ${join(certs, up + '.cert')}\n` +
            `        pub = tcp://127.0.0.1:${u.pub}\n        sync = tcp://127.0.0.1:${u.sync}\n` +
            schedule;
        result[n] = await new Node(dir, n).start(zpl);
    }
    return result;
}

// The form fields of the page that no label names (accessible basics: every input has one).
export function unlabelled(page) {
    return page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea')]
            .filter((e) => e.type !== 'hidden' && !(e.labels && e.labels.length) &&
                !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
            .map((e) => e.outerHTML.slice(0, 100)));
}

// Screenshots of every page a test visits, for review: ${SD_BIN}/screenshots/NAME.png. Every
// page shot is also checked for unlabelled form fields (the test fails on one).
export async function shot(page, name) {
    const bare = await unlabelled(page);
    if (bare.length) throw new Error(`${name}: form fields without a label: ${bare.join(' | ')}`);
    mkdirSync(SHOTS, { recursive: true });
    const path = join(SHOTS, name + '.png');
    await page.screenshot({ path, fullPage: true });
    return path;
}

// Logs in through the console's form and waits for the page after it.
export async function login(page, url, user, password) {
    await page.goto(url);
    await page.getByTestId('login-login').fill(user);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('whoami').waitFor();
}

// Collects the page's uncaught errors and console errors, so a test can assert there were none.
export function watchErrors(page) {
    const errors = [];
    page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
    page.on('console', (m) => {
        if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push('console: ' + m.text());
    });
    return errors;
}

export function cleanup(dir) {
    if (process.env.SD_KEEP) return;
    rmSync(dir, { recursive: true, force: true });
}
