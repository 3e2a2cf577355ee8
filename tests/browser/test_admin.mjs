// test_admin.mjs - an admin in the console of a real node: makes a user with a password, grants
// a role, issues an API token (secret shown once) that then works as a Bearer token and stops
// working once revoked, disables the user (who can no longer sign in), reads the audit trail;
// edits a profile (a stale version is refused with 412, nothing written), links a Unix account,
// grants a role limited to a site, edits a team, and reads the Node page (site, digest).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Node, launchBrowser, login, shot, skipReason, tempDir, cleanup, watchErrors, within } from './lib.mjs';

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

// Fills the edit form `form` (edit-user, edit-team) with `values` (a select is chosen from, an
// input typed into), saves, and waits until the record at `path` has them; → the record.
async function saveAndCheck(page, get, form, values, path) {
    for (const [k, v] of Object.entries(values)) {
        const el = page.getByTestId(`${form}-${k}`);
        if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(v);
        else await el.fill(v);
    }
    await page.getByTestId(form + '-save').click();
    await page.getByTestId('edit-note').waitFor();
    return within(5, `${path} has ${JSON.stringify(values)}`, async () => {
        const r = await get(path);
        return Object.entries(values).every(([k, v]) => r[k] === v) && r;
    });
}

test('admin edits a profile and a team, links a Unix account, reads the Node page', { skip }, async () => {
    node.user('li', 'agent', 'secret-pass-7', { name: 'Li Wei' });
    node.cli(['team', 'new', 'net', '--name', 'Network']);
    // The API as ada sees it (a Bearer token from the CLI), to check what the console wrote.
    const token = JSON.parse(node.cli(['--json', 'token', 'new', '--user', 'ada']).split('\n')[0]).token;
    const get = async (path) => {
        const r = await fetch(node.url + 'api/v1' + path, { headers: { Authorization: 'Bearer ' + token } });
        assert.equal(r.status, 200, path);
        return r.json();
    };
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(page);
    await login(page, node.url, 'ada', 'secret-pass-5');
    await page.locator('[data-testid=user-row][data-id=li] [data-testid=user-open]').click();
    await page.getByTestId('admin-user').waitFor();

    // Only the changed fields are sent; the node has them afterwards, the rest as it was.
    let li = await saveAndCheck(page, get, 'edit-user', { email: 'li.wei@example.com', phone: '+86 10 1234 5678',
        time_zone: 'Asia/Shanghai', teams: 'net', tier: 'L2' }, '/users/li');
    assert.equal(li.display_name, 'Li Wei');
    await shot(page, 'admin-04-user');

    // Someone else changes li after the form took its version: saving is refused (412), shown,
    // and writes nothing; after a reload the form has their change and saves.
    node.cli(['user', 'update', 'li', '--phone', '+86 10 9999 0000']);
    await page.getByTestId('edit-user-email').fill('stale@example.com');
    await page.getByTestId('edit-user-save').click();
    await page.getByTestId('edit-conflict').waitFor();
    li = await get('/users/li');
    assert.equal(li.email, 'li.wei@example.com');
    assert.equal(li.phone, '+86 10 9999 0000');
    await shot(page, 'admin-05-user-conflict');
    await page.getByTestId('edit-reload').click();
    await within(5, 'the form shows the phone set meanwhile', async () =>
        (await page.getByTestId('edit-user-phone').inputValue()) === '+86 10 9999 0000');
    li = await saveAndCheck(page, get, 'edit-user', { email: 'wei.li@example.com' }, '/users/li');
    assert.equal(await page.getByTestId('edit-conflict').count(), 0);
    assert.equal(li.phone, '+86 10 9999 0000');

    // A Unix account linked, then unlinked.
    await page.locator('#lk-unix').fill('liwei');
    await page.getByTestId('link-submit').click();
    await page.locator('[data-testid=user-unix]', { hasText: 'liwei' }).waitFor();
    assert.equal((await get('/users/li')).unix, 'liwei');
    await page.getByTestId('unlink-submit').click();
    await page.locator('[data-testid=user-unix]', { hasText: '—' }).waitFor();
    assert.equal((await get('/users/li')).unix ?? null, null);

    // The manager role limited to APAC.
    await page.getByTestId('user-step').selectOption('grant');
    await page.getByTestId('user-step-role').selectOption('manager');
    await page.getByTestId('user-step-sites').fill('APAC');
    await page.getByTestId('user-step-submit').click();
    await page.locator('[data-testid=user-roles]', { hasText: 'manager (APAC)' }).waitFor();
    li = await get('/users/li');
    assert.deepEqual(li.roles, ['agent', 'manager']);
    assert.equal(li.manager_sites, 'APAC');

    // The team: its name, tier and manager, with the version it was opened on.
    await page.getByTestId('admin-tab-teams').click();
    await page.locator('[data-testid=team-row][data-id=net] [data-testid=team-open]').click();
    await page.getByTestId('admin-team').waitFor();
    await saveAndCheck(page, get, 'edit-team', { display_name: 'Network Operations', tier: 'L2', manager: 'li' }, '/teams/net');
    node.cli(['team', 'update', 'net', '--name', 'NetOps']);
    await page.getByTestId('edit-team-tier').selectOption('L3');
    await page.getByTestId('edit-team-save').click();
    await page.getByTestId('edit-conflict').waitFor();
    assert.equal((await get('/teams/net')).tier, 'L2');
    await shot(page, 'admin-06-team');

    // The Node page: the site, and the digest the CLI gives for the same state.
    await page.getByTestId('nav-node').click();
    await page.getByTestId('node-page').waitFor();
    assert.equal(await page.getByTestId('node-site').innerText(), 'APAC');
    await within(10, 'the Node page shows the digest of `sundesk node digest`', async () => {
        const cli = JSON.parse(node.cli(['--json', 'node', 'digest'])).digest;
        await page.getByTestId('node-refresh').click();
        await page.waitForTimeout(200);
        return (await page.getByTestId('node-digest').innerText()) === cli;
    });
    assert.match(await page.getByTestId('node-digest').innerText(), /^[0-9a-f]{64}$/);
    await shot(page, 'admin-07-node');

    // A manager (li, now) has the Node page too; in Chinese here.
    const mgr = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await login(mgr, node.url, 'li', 'secret-pass-7');
    await mgr.getByTestId('lang-switch').selectOption('zh-CN');
    await mgr.getByTestId('nav-node').click();
    assert.equal(await mgr.getByTestId('node-site').innerText(), 'APAC');
    assert.match(await mgr.getByTestId('node-page').innerText(), /状态摘要/);
    await shot(mgr, 'admin-08-node-manager-zh');
    await mgr.close();
    assert.deepEqual(errors, []);
});
