// test_channels_views.mjs - the channels' views of the agent's console on a real node with
// `mail / unknown_sender = hold`: two strangers' mails posted as the mail gateway does (POST
// /api/v1/mail/messages with a gateway's token) wait in "Mail held for review"; the agent
// releases one (the row links to the new ticket, whose card opens) and discards the other; an
// auto-reply the intake ignored is released from the second filter; alerts ingested with
// `sundesk alert ingest` show in "Alerts" with state, fires and their ticket, filtered by state;
// the views speak zh-CN too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Node, launchBrowser, login, shot, skipReason, tempDir, cleanup, watchErrors, within } from './lib.mjs';

const skip = skipReason() || false;
if (skip) console.log('# SKIP browser tests: ' + skip);
let dir, node, browser, token;

// The message id of a Message-ID (proto/MAIL.md), by Python's hashlib (BLAKE2b-128).
const mid = (msgid) => execFileSync('python3', ['-c',
    'import hashlib,sys; print("M-"+hashlib.blake2b(("email\\n"+sys.argv[1]).encode(),digest_size=16).hexdigest()[:30])',
    msgid], { encoding: 'utf8' }).trim();
const cliJson = (args) => JSON.parse(node.cli(['--json', ...args]));

// One mail in, as sundesk-mailgate posts it: → the message as recorded.
async function postMail(mail) {
    const r = await fetch(node.url + 'api/v1/mail/messages', {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
        body: JSON.stringify(Object.assign({ id: mid(mail.message_id) }, mail)),
    });
    assert.equal(r.status, 200, await r.clone().text());
    return (await r.json()).message;
}

before(async () => {
    if (skip) return;
    dir = tempDir('channels');
    node = await new Node(dir, 'apac').start('node\n    site = APAC\nmail\n    unknown_sender = hold\n');
    node.user('li', 'agent', 'secret-pass-1', { name: 'Li Wei', args: ['--language', 'en', '--time-zone', 'Asia/Shanghai'] });
    node.user('gate', 'agent', 'secret-pass-2', { name: 'Mail gateway' });
    token = JSON.parse(node.cli(['--json', 'token', 'new', '--user', 'gate', '--name', 'mailgate'])).token;
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (node) await node.stop();
    if (dir) cleanup(dir);
});

test('held mail is released into a ticket or discarded; an ignored auto-reply is released', { skip }, async () => {
    const a = await postMail({ message_id: 'held-1@mail.example.net', from: 'chen.jie@example.net', from_name: '陈杰',
        subject: 'VPN 连接失败', text: '早上好，\n从家里连不上 VPN，提示证书过期。\n谢谢', received_at: Date.now() - 60000 });
    const b = await postMail({ message_id: 'held-2@spam.example.org', from: 'offers@spam.example.org',
        subject: 'Cheap watches', text: 'Buy now', received_at: Date.now() - 30000 });
    assert.equal(a.state, 'held');
    assert.equal(b.state, 'held');
    const c = cliJson(['message', 'mail', '--id', mid('ooo-1@example.com'), '--message-id', 'ooo-1@example.com',
        '--from', 'sam@example.com', '--subject', 'Out of office: printer', '--text', 'I am away, but the printer is really broken.',
        '--class', 'auto']).message;
    assert.equal(c.state, 'ignored');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await login(page, node.url, 'li', 'secret-pass-1');
    // The navigation says how many mails wait.
    await within(10, 'the held count 2 in the navigation', async () =>
        (await page.getByTestId('held-count').innerText()) === '2');
    await page.getByTestId('nav-mail').click();
    const view = page.getByTestId('held-mail');
    await view.waitFor();
    const rows = view.getByTestId('held-row');
    await within(10, 'two held rows', async () => (await rows.count()) === 2);
    // Oldest first: who, the subject, the start of the text, when.
    const ra = view.locator(`[data-testid="held-row"][data-id="${a.id}"]`);
    const rb = view.locator(`[data-testid="held-row"][data-id="${b.id}"]`);
    assert.equal(await rows.nth(0).getAttribute('data-id'), a.id);
    const text = await ra.innerText();
    assert.match(text, /陈杰[\s\S]*chen\.jie@example\.net/);
    assert.match(text, /VPN 连接失败/);
    assert.match(await ra.getByTestId('held-preview').innerText(), /从家里连不上 VPN/);
    assert.match(text, /Asia\/Shanghai/);
    await shot(page, 'held-mail');

    // Release: the row stays and links to the new ticket.
    await ra.getByTestId('held-release').click();
    const link = ra.getByTestId('held-ticket');
    await link.waitFor();
    const ticket = await link.innerText();
    assert.equal(cliJson(['message', 'show', a.id]).ticket, ticket);
    assert.equal(cliJson(['message', 'show', a.id]).state, 'ticket');
    // Discard (after the confirmation): the other row says so, and opens nothing.
    page.once('dialog', (d) => d.accept());
    await rb.getByTestId('held-discard').click();
    await rb.getByTestId('held-done').waitFor();
    assert.match(await rb.getByTestId('held-done').innerText(), /Discarded/);
    assert.equal(cliJson(['message', 'show', b.id]).state, 'discarded');
    // The message events refetch the list: the handled rows stay where they were.
    await page.waitForTimeout(500);
    assert.equal(await rows.count(), 2);
    assert.equal(await ra.getByTestId('held-ticket').innerText(), ticket);
    await shot(page, 'held-mail-handled');
    await within(10, 'no held count once both are handled', async () => (await page.getByTestId('held-count').count()) === 0);
    // The released mail's ticket opens from its link.
    await link.click();
    const card = page.getByTestId('ticket-card').and(page.locator(`[data-id="${ticket}"]`));
    await card.waitFor();
    assert.equal(await page.getByTestId('ticket-title').innerText(), 'VPN 连接失败');
    // A fresh view holds nothing any more.
    await page.getByTestId('nav-mail').click();
    await page.getByTestId('held-none').waitFor();

    // The second filter: the ignored auto-reply, released.
    await page.getByTestId('held-state').selectOption('ignored');
    await within(10, '#/mail?state=ignored', async () => (await page.evaluate(() => location.hash)) === '#/mail?state=ignored');
    const rc = page.locator(`[data-testid="held-row"][data-id="${c.id}"]`);
    await rc.waitFor();
    assert.match(await rc.innerText(), /auto-reply/);
    await shot(page, 'ignored-mail');
    await rc.getByTestId('held-release').click();
    await rc.getByTestId('held-ticket').waitFor();
    assert.equal(await rc.getByTestId('held-ticket').innerText(), cliJson(['message', 'show', c.id]).ticket);
    assert.deepEqual(errors, []);
    await page.close();
});

test('the Alerts view lists the alerts with their tickets, filtered by state', { skip }, async () => {
    const fire = (key, title, extra = []) => cliJson(['alert', 'ingest', '--source', 'prom-sha', '--key', key,
        '--status', 'firing', '--title', title, '--severity', 'critical', ...extra]);
    const disk = fire('fp-disk', 'Disk full on db1', ['--description', 'only 2% left on /var', '--labels', 'instance=db1\nalertname=DiskFull']);
    assert.ok(disk.ticket);
    const load = fire('fp-load', 'High load on web2');
    const done = cliJson(['alert', 'ingest', '--source', 'prom-sha', '--key', 'fp-load', '--status', 'resolved']);
    assert.equal(done.state, 'resolved');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await login(page, node.url, 'li', 'secret-pass-1');
    await page.getByTestId('nav-alerts').click();
    const view = page.getByTestId('alerts');
    const rows = view.getByTestId('alert-row');
    await within(10, 'two alert rows', async () => (await rows.count()) === 2);
    const rd = view.locator(`[data-testid="alert-row"][data-id="${disk.id}"]`);
    const rl = view.locator(`[data-testid="alert-row"][data-id="${load.id}"]`);
    assert.equal(await rd.getAttribute('data-state'), 'firing');
    assert.match(await rd.innerText(), /firing[\s\S]*prom-sha[\s\S]*Disk full on db1[\s\S]*critical/);
    assert.equal(await rd.getByTestId('alert-fires').innerText(), '1');
    assert.equal(await rd.getByTestId('alert-ticket').innerText(), disk.ticket);
    assert.equal(await rl.getAttribute('data-state'), 'resolved');
    assert.equal(await rl.getByTestId('alert-ticket').innerText(), load.ticket);
    await shot(page, 'alerts');
    // The state filter: only the resolved one.
    await view.getByTestId('alert-state-filter').selectOption('resolved');
    await within(10, 'only the resolved alert', async () =>
        (await rows.count()) === 1 && (await rows.nth(0).getAttribute('data-id')) === load.id);
    // A new firing alert appears live under the filter "all".
    await view.getByTestId('alert-state-filter').selectOption('');
    await within(10, 'both alerts again', async () => (await rows.count()) === 2);
    const cpu = fire('fp-cpu', 'CPU hot on web3');
    await view.locator(`[data-testid="alert-row"][data-id="${cpu.id}"]`).waitFor();
    // The ticket link opens the alert's ticket.
    await rd.getByTestId('alert-ticket').click();
    await page.getByTestId('ticket-card').and(page.locator(`[data-id="${disk.ticket}"]`)).waitFor();
    assert.equal(await page.getByTestId('ticket-title').innerText(), 'Disk full on db1');
    assert.deepEqual(errors, []);
    await page.close();
});

test('the channels views in zh-CN', { skip }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await login(page, node.url, 'li', 'secret-pass-1');
    await page.getByTestId('lang-switch').selectOption('zh-CN');
    assert.equal(await page.getByTestId('nav-mail').innerText(), '待审邮件');
    assert.equal(await page.getByTestId('nav-alerts').innerText(), '告警');
    await page.getByTestId('nav-mail').click();
    assert.equal(await page.getByTestId('held-mail').locator('h1').innerText(), '待审核的邮件');
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alert-row').first().waitFor();
    assert.match(await page.getByTestId('alerts').innerText(), /监控告警[\s\S]*告警中/);
    await shot(page, 'alerts-zh');
    // Back to English for the user's next session.
    await page.getByTestId('lang-switch').selectOption('en');
    assert.deepEqual(errors, []);
    await page.close();
});
