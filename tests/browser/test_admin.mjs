// test_admin.mjs - an admin in the console of a real node: makes a user with a password, grants
// a role, issues an API token (secret shown once) that then works as a Bearer token and stops
// working once revoked, disables the user (who can no longer sign in), reads the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Node, launchBrowser, login, shot, skipReason, tempDir, cleanup, watchErrors } from './lib.mjs';

const skip = skipReason() || false; // a reason string skips; false runs
if (skip) console.log('# SKIP browser tests: ' + skip);

let dir, node, browser;

before(async () => {
    if (skip) return;
    dir = tempDir('admin');
    node = await new Node(dir, 'apac').start('node\n    site = APAC\n');
    node.user('ada', 'admin', 'secret-pass-5', { name: 'Ada Admin' });
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (node) await node.stop();
    if (dir) cleanup(dir);
});

test('admin manages a user, a token and reads the audit trail', { skip }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(page);
    await login(page, node.url, 'ada', 'secret-pass-5');
    await page.getByTestId('admin-users').waitFor(); // an admin lands on the users
    await page.getByTestId('nu-id').fill('zhao');
    await page.getByTestId('nu-name').fill('赵强');
    await page.getByTestId('nu-role').selectOption('agent');
    await page.getByTestId('nu-language').fill('zh-CN');
    await page.getByTestId('nu-password').fill('secret-pass-6');
    await page.getByTestId('nu-submit').click();
    const row = page.locator('[data-testid=user-row][data-id=zhao]');
    await row.waitFor();
    assert.equal(await row.getByTestId('user-roles').innerText(), 'agent');

    await row.getByTestId('user-step').selectOption('grant');
    await row.getByTestId('user-step-role').selectOption('manager');
    await row.getByTestId('user-step-submit').click();
    await page.locator('[data-testid=user-row][data-id=zhao] [data-testid=user-roles]', { hasText: 'manager' }).waitFor();
    await shot(page, 'admin-01-users');

    // The new user signs in with the password set here, as a manager, in Chinese.
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await login(other, node.url, 'zhao', 'secret-pass-6');
    await other.getByTestId('hub-queue').waitFor();
    assert.match(await other.getByTestId('nav').innerText(), /全局队列/);

    // A token for zhao: its secret once, then it authenticates as zhao until revoked.
    await page.getByTestId('admin-tab-tokens').click();
    await page.locator('#tk-user').fill('zhao');
    await page.locator('#tk-name').fill('report script');
    await page.getByTestId('tk-submit').click();
    const secret = (await page.locator('[data-testid=token-secret] code').innerText()).trim();
    assert.match(secret, /^sdt_[0-9a-f]{64}$/);
    const me = await fetch(node.url + 'api/v1/me', { headers: { Authorization: 'Bearer ' + secret } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).whoami.user, 'zhao');
    await shot(page, 'admin-02-token');
    await page.getByTestId('token-revoke').first().click();
    await page.locator('[data-testid=token-row] em').first().waitFor();
    const after = await fetch(node.url + 'api/v1/me', { headers: { Authorization: 'Bearer ' + secret } });
    assert.equal(after.status, 401);

    // Disabled, zhao can no longer sign in.
    await page.getByTestId('admin-tab-users').click();
    const zrow = page.locator('[data-testid=user-row][data-id=zhao]');
    await zrow.getByTestId('user-step').selectOption('disable');
    await zrow.getByTestId('user-step-arg').fill('left the company');
    await zrow.getByTestId('user-step-submit').click();
    await page.locator('[data-testid=user-row][data-id=zhao].inactive').waitFor();
    const res = await fetch(node.url + 'api/v1/session', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ login: 'zhao', password: 'secret-pass-6' }),
    });
    assert.equal(res.status, 401);
    // zhao's open console finds out at its next request and shows the login form.
    await other.goto(node.url + '#/hub/sla');
    await other.getByTestId('login-form').waitFor();
    await shot(other, 'admin-02a-disabled-user-signed-out');
    await other.close();

    // The audit trail has what was done, by whom.
    await page.getByTestId('admin-tab-audit').click();
    await page.getByTestId('audit-table').waitFor();
    const text = await page.getByTestId('audit-table').innerText();
    for (const op of ['user.create', 'user.grant', 'token.create', 'token.revoke', 'user.disable'])
        assert.match(text, new RegExp(op.replace('.', '\\.')), op);
    await shot(page, 'admin-03-audit');
    assert.deepEqual(errors, []);
});
