// test_outbox.mjs - the notices a node sends, on its Node page: a real node mails through a
// recording sendmail that refuses an address once; the manager sees the sent acknowledgement and
// the failed one with sendmail's reason, sends the failed one again by its button and sees it
// sent; filtered by state; a node without mail says it sends nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Node, launchBrowser, login, shot, skipReason, tempDir, cleanup, watchErrors, within } from './lib.mjs';

const skip = skipReason() || false;
if (skip) console.log('# SKIP browser tests: ' + skip);
let dir, node, plain, browser;

before(async () => {
    if (skip) return;
    dir = tempDir('outbox');
    // Refuses mail to refuse@... the first time (EX_DATAERR), takes everything else.
    writeFileSync(join(dir, 'sendmail'), `#!/bin/sh
f="${dir}/mail.$$"; cat >"$f"
if grep -q '^To: refuse@' "$f" && [ ! -e "${dir}/refused" ]; then touch "${dir}/refused"; echo "550 mailbox full" >&2; exit 65; fi
exit 0
`, { mode: 0o755 });
    node = await new Node(dir, 'apac').start(`node\n    site = APAC\nmail\n    address = desk@example.com\n    transport = sendmail\n    sendmail = ${join(dir, 'sendmail')}\n`);
    node.user('li', 'manager', 'secret-pass-1', { name: 'Li Wei', args: ['--language', 'en', '--time-zone', 'Asia/Shanghai'] });
    plain = await new Node(dir, 'emea').start('node\n    site = EMEA\n');
    plain.user('olga', 'manager', 'secret-pass-2', { name: 'Olga', args: ['--language', 'en'] });
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (node) await node.stop();
    if (plain) await plain.stop();
    if (dir) cleanup(dir);
});

const entries = (args = []) => JSON.parse(node.cli(['--json', 'outbox', 'list', ...args]));

test('the Node page lists the notices, and sends a failed one again', { skip }, async () => {
    node.cli(['ticket', 'new', '--title', 'VPN', '--requester', 'wang@example.com']);
    node.cli(['ticket', 'new', '--title', 'Printer', '--requester', 'refuse@example.com']);
    await within(15, 'one sent and one failed', async () => entries(['--state', 'sent']).length === 1 &&
        entries(['--state', 'failed']).length === 1);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await login(page, node.url, 'li', 'secret-pass-1');
    await page.getByTestId('nav-node').click();
    const box = page.getByTestId('outbox');
    await box.getByTestId('outbox-table').waitFor();
    const rows = box.getByTestId('outbox-row');
    assert.equal(await rows.count(), 2);
    const failed = box.locator('[data-testid="outbox-row"][data-state="failed"]');
    assert.match(await failed.innerText(), /refuse@example\.com[\s\S]*550 mailbox full/);
    assert.match(await box.locator('[data-state="sent"]').innerText(), /ack[\s\S]*wang@example\.com/);
    await shot(page, 'outbox-01-failed');
    await box.getByTestId('outbox-state').selectOption('failed');
    await within(10, 'only the failed one shown', async () => (await rows.count()) === 1);
    await failed.getByTestId('outbox-retry').click();
    await box.getByTestId('outbox-state').selectOption('');
    await within(15, 'the retried notice is sent', async () => {
        await box.getByTestId('outbox-refresh').click();
        await page.waitForTimeout(200);
        return (await box.locator('[data-state="sent"]').count()) === 2;
    });
    assert.equal(entries(['--state', 'failed']).length, 0);
    await shot(page, 'outbox-02-sent');
    assert.deepEqual(errors, []);
});

test('a node without mail says it sends nothing', { skip }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await login(page, plain.url, 'olga', 'secret-pass-2');
    await page.getByTestId('nav-node').click();
    await page.getByTestId('outbox-off').waitFor();
    assert.equal(await page.getByTestId('outbox-table').count(), 0);
    assert.deepEqual(errors, []);
});
