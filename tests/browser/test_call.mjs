// test_call.mjs - the caller pop-up: a telephone system posts a newCall to /api/v1/cti/events and
// the agent's console shows the caller's card (a known number, written with noise) or "unknown
// caller", each until closed; the call is in the contact history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Node, launchBrowser, login, shot, skipReason, tempDir, cleanup, watchErrors } from './lib.mjs';

const skip = skipReason() || false; // a reason string skips; false runs
if (skip) console.log('# SKIP browser tests: ' + skip);

let dir, node, browser, pbx;

before(async () => {
    if (skip) return;
    dir = tempDir('call');
    node = await new Node(dir, 'apac').start('node\n    site = APAC\n');
    node.user('li', 'agent', 'secret-pass-1', { name: 'Li Wei', args: ['--language', 'en'] });
    node.cli(['user', 'new', 'pbx', '--name', 'Telephony', '--role', 'agent']);
    pbx = node.cli(['token', 'new', '--user', 'pbx', '--name', 'pbx']).trim().split('\n')[0];
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (node) await node.stop();
    if (dir) cleanup(dir);
});

const cti = (body) => fetch(node.url + 'api/v1/cti/events', {
    method: 'POST', headers: { authorization: `Bearer ${pbx}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
});

test('a call pops the caller\'s card in the agent\'s console', { skip }, async () => {
    const cust = node.cli(['customer', 'new', '--name', 'Wang Fang', '--phone', '+86 21 5555 0101', '--vip']).trim();
    const tk = node.cli(['ticket', 'new', '--title', 'Printer offline', '--customer', cust]).trim();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(page);
    await login(page, node.url, 'li', 'secret-pass-1');
    await page.goto(node.url + '#/queue');
    await page.locator('html[data-live=on]').waitFor();

    const r = await cti({ event: 'newCall', callId: 'b-1', from: '0086 21 5555-0101', to: '8001', user: 'li' });
    assert.equal(r.status, 201, await r.text());
    const call = page.locator('[data-testid=call][data-call=b-1]');
    await call.waitFor();
    assert.match(await call.getByTestId('call-customer').innerText(), /Wang Fang/);
    await call.getByTestId('call-vip').waitFor();
    assert.match(await call.getByTestId('call-tickets').innerText(), new RegExp(tk));
    await shot(page, 'call-01-known-caller');

    const u = await cti({ event: 'newCall', callId: 'b-2', from: '+44 20 7946 0000' });
    assert.equal(u.status, 201, await u.text());
    const unknown = page.locator('[data-testid=call][data-call=b-2]');
    await unknown.getByTestId('call-unknown').waitFor();
    await shot(page, 'call-02-unknown-caller');
    await unknown.getByTestId('call-close').click();
    await unknown.waitFor({ state: 'detached' });
    await call.getByTestId('call-close').click();
    await page.getByTestId('calls').waitFor({ state: 'detached' });

    const history = node.cli(['contact', 'list', '--customer', cust]);
    assert.match(history, /ringing/);
    assert.deepEqual(errors, []);
    await page.close();
});
