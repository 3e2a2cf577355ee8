// test_requester.mjs - the requester portal in a real browser against a real node: a requester
// whose language is zh-CN opens a ticket in Chinese, sees the agent's public reply arrive live
// (never the internal note), confirms the resolution with a satisfaction score; and the portal
// at phone width (390 px) in Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Node, launchBrowser, login, shot, skipReason, tempDir, cleanup, watchErrors, within } from './lib.mjs';

const skip = skipReason() || false; // a reason string skips; false runs
if (skip) console.log('# SKIP browser tests: ' + skip);

let dir, node, browser;

before(async () => {
    if (skip) return;
    dir = tempDir('requester');
    node = await new Node(dir, 'apac').start('node\n    site = APAC\n');
    node.user('wang', 'requester', 'secret-pass-2', { name: '王芳', args: ['--language', 'zh-CN', '--time-zone', 'Asia/Shanghai'] });
    node.user('zhang', 'agent', 'secret-pass-3', { name: '张伟' });
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (node) await node.stop();
    if (dir) cleanup(dir);
});

test('requester opens a ticket in Chinese and sees the public reply arrive live', { skip }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const errors = watchErrors(page);
    await login(page, node.url, 'wang', 'secret-pass-2');
    // The user's language (zh-CN) wins over the browser's (en-US).
    await page.getByTestId('portal').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.match(await page.getByTestId('nav').innerText(), /我的请求/);
    await shot(page, 'requester-01-portal-empty');

    await page.getByTestId('portal-new-link').click();
    await page.getByTestId('new-ticket-form').waitFor();
    await page.getByTestId('new-title').fill('打印机无法打印');
    await page.getByTestId('new-description').fill('三楼的打印机显示“卡纸”，但里面没有纸。');
    await page.getByTestId('new-category').fill('打印机');
    await page.getByTestId('new-impact').selectOption('2');
    await shot(page, 'requester-02-new-ticket');
    await page.getByTestId('new-submit').click();

    const view = page.getByTestId('portal-ticket');
    await view.waitFor();
    const id = await view.getAttribute('data-id');
    assert.match(id, /^APAC-\d{6}$/);
    assert.equal(await page.getByTestId('ticket-title').innerText(), '打印机无法打印');
    await shot(page, 'requester-03-ticket-open');

    // Stored as typed, with the requester as the caller.
    const stored = JSON.parse(node.cli(['--json', 'ticket', 'show', id]));
    assert.equal(stored.title, '打印机无法打印');
    assert.equal(stored.requester, 'wang');
    assert.equal(stored.category, '打印机');

    // The agent's side, through the CLI: an internal note, then a public reply. No reload here:
    // a marker on window would be lost by one.
    await page.evaluate(() => (window.__noReload = true));
    node.cli(['ticket', 'comment', id, '内部：可能是传感器坏了']);
    node.cli(['ticket', 'comment', id, '您好，我们已派人检查打印机，请稍候。', '--public']);
    const reply = page.locator('[data-testid=comment]', { hasText: '我们已派人检查打印机' });
    await reply.waitFor({ timeout: 10000 });
    assert.equal(await page.evaluate(() => window.__noReload), true);
    assert.equal(await page.locator('[data-testid=comment]', { hasText: '传感器' }).count(), 0);
    await shot(page, 'requester-04-live-reply');

    // The requester replies; then the desk resolves and the requester confirms with 4 of 5.
    await page.getByTestId('comment-body').fill('谢谢！');
    await page.getByTestId('comment-reply').click();
    await page.locator('[data-testid=comment]', { hasText: '谢谢！' }).waitFor();
    node.cli(['ticket', 'ack', id]);
    node.cli(['ticket', 'assign', id, 'zhang']);
    await within(10, 'ticket acknowledged', async () =>
        (await view.getAttribute('data-status')) !== 'new');
    node.cli(['ticket', 'resolve', id, '更换了进纸传感器。']);
    await page.getByTestId('confirm-resolution').waitFor({ timeout: 10000 });
    await shot(page, 'requester-05-confirm');
    await page.getByTestId('close-satisfaction').selectOption('4');
    await page.getByTestId('close-feedback').fill('很快就修好了');
    await page.getByTestId('portal-confirm').click();
    await page.locator('[data-testid=portal-ticket][data-status=closed]').waitFor();
    const closed = JSON.parse(node.cli(['--json', 'ticket', 'show', id]));
    assert.equal(closed.status, 'closed');
    assert.equal(closed.satisfaction, 4);
    await shot(page, 'requester-06-closed');

    // Own tickets list.
    await page.goto(node.url + '#/portal');
    await page.locator(`[data-testid=queue-row][data-id="${id}"]`).waitFor();
    assert.deepEqual(errors, []);
});

test('the portal at phone width (390 px) in zh-CN', { skip }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await login(page, node.url, 'wang', 'secret-pass-2');
    await page.getByTestId('portal').waitFor();
    await page.locator('[data-testid=queue-row]').first().waitFor();
    assert.match(await page.locator('main h1').innerText(), /我的请求/);
    assert.match(await page.getByTestId('logout').innerText(), /退出/);
    // Nothing wider than the screen: no sideways scrolling.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page is ${width} px wide`);
    await shot(page, 'phone-01-portal');
    await page.getByTestId('portal-new-link').click();
    await page.getByTestId('new-ticket-form').waitFor();
    assert.match(await page.locator('label[for=nt-title]').innerText(), /标题/);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    await shot(page, 'phone-02-new-ticket');
    // The header's switch changes every string at once, without a reload; kept for the session.
    await page.getByTestId('lang-switch').selectOption('en');
    assert.equal(await page.locator('label[for=nt-title]').innerText(), 'Title');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.reload();
    await page.getByTestId('new-ticket-form').waitFor();
    assert.equal(await page.getByTestId('logout').innerText(), 'Sign out');
    await shot(page, 'phone-03-new-ticket-en');
});
