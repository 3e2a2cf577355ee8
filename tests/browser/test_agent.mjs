// test_agent.mjs - an agent signs in to the console of a real node and takes a ticket from the
// site queue through the whole workflow (ack, assign to self, start, pending, resume, resolve,
// close) with an internal note and a public reply; SLA clocks show the agent's and the site's zone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Node, launchBrowser, login, shot, skipReason, tempDir, cleanup, scheduleZpl, watchErrors } from './lib.mjs';

const skip = skipReason() || false; // a reason string skips; false runs
if (skip) console.log('# SKIP browser tests: ' + skip);

const SCHEDULE = scheduleZpl([
    { name: 'APAC', zone: 'Asia/Shanghai', hours: 'mon-fri 07:00-16:00' },
    { name: 'EMEA', zone: 'Europe/London', hours: 'mon-fri 08:00-17:00' },
]);
let dir, node, browser;

before(async () => {
    if (skip) return;
    dir = tempDir('agent');
    node = await new Node(dir, 'apac').start('node\n    site = APAC\n' + SCHEDULE);
    node.cli(['team', 'new', 'network', '--name', 'Network']);
    node.user('li', 'agent', 'secret-pass-1', {
        name: 'Li Wei',
        args: ['--time-zone', 'America/New_York', '--language', 'en', '--teams', 'network'],
    });
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (node) await node.stop();
    if (dir) cleanup(dir);
});

test('agent works a ticket through the whole workflow', { skip }, async () => {
    const id = node.cli(['ticket', 'new', '--title', 'VPN drops every hour', '--requester', 'alice',
        '--description', 'Since Monday the VPN disconnects hourly.', '--category', 'network/vpn']).trim();
    assert.match(id, /^APAC-\d{6}$/);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(page);
    await page.goto(node.url);
    await page.getByTestId('login-form').waitFor();
    await shot(page, 'agent-01-login');
    await login(page, node.url, 'li', 'secret-pass-1');
    assert.match(await page.getByTestId('whoami').innerText(), /Li Wei \(li\)/);

    // My queue is empty (nothing assigned yet); the site queue has the ticket.
    await page.goto(node.url + '#/queue');
    await page.getByTestId('queue-mine').getByTestId('queue-empty').waitFor();
    await shot(page, 'agent-02-my-queue-empty');
    await page.goto(node.url + '#/queue/site');
    const row = page.locator(`[data-testid=queue-row][data-id="${id}"]`);
    await row.waitFor();
    await shot(page, 'agent-03-site-queue');

    // Keyboard: the first row is selected; Enter opens it.
    await page.locator('body').press('Enter');
    const card = page.getByTestId('ticket-card');
    await card.waitFor();
    assert.equal(await card.getAttribute('data-id'), id);
    const status = () => card.getAttribute('data-status');
    const waitStatus = (s) => page.locator(`[data-testid=ticket-card][data-status="${s}"]`).waitFor();

    // SLA clocks: in the agent's zone and in the owner site's (APAC) zone.
    assert.match(await page.getByTestId('response-due').innerText(), /America\/New_York/);
    assert.match(await page.getByTestId('response-due-site').innerText(), /Asia\/Shanghai/);
    assert.match(await page.getByTestId('resolve-due').innerText(), /America\/New_York/);
    await shot(page, 'agent-04-card-new');

    // Steps the status does not allow are disabled: a new ticket cannot be started or closed.
    assert.equal(await page.getByTestId('action-start').isDisabled(), true);
    assert.equal(await page.getByTestId('action-close').isDisabled(), true);

    await page.getByTestId('action-ack').click();
    await waitStatus('acknowledged');

    await page.getByTestId('action-assign').click();
    assert.equal(await page.getByTestId('assign-assignee').inputValue(), 'li');
    await page.getByTestId('submit-assign').click();
    await waitStatus('assigned');
    assert.equal(await page.getByTestId('ticket-assignee').innerText(), 'li');
    await shot(page, 'agent-05-card-assigned');

    // Assigned to me now: it is in my queue.
    await page.goto(node.url + '#/queue');
    await page.locator(`[data-testid=queue-mine] [data-testid=queue-row][data-id="${id}"]`).waitFor();
    await shot(page, 'agent-06-my-queue');
    await page.locator(`[data-testid=queue-row][data-id="${id}"] [data-testid=ticket-link]`).click();
    await card.waitFor();

    await page.getByTestId('comment-body').fill('Checked the concentrator logs: keepalive timeouts.');
    await page.getByTestId('comment-note').click();
    await page.locator('[data-testid=comment][data-public=false]').waitFor();

    await page.getByTestId('action-start').click();
    await waitStatus('in_progress');

    await page.getByTestId('action-pending').click();
    await page.getByTestId('pending-waiting-on').selectOption('customer');
    await page.getByTestId('pending-reason').fill('Need the client version');
    await page.getByTestId('submit-pending').click();
    await waitStatus('pending');
    await shot(page, 'agent-07-card-pending');

    await page.getByTestId('action-start').click(); // resume from pending
    await waitStatus('in_progress');

    await page.getByTestId('comment-body').fill('Please update the VPN client to 5.2 and tell us if it still drops.');
    await page.getByTestId('comment-reply').click();
    await page.locator('[data-testid=comment][data-public=true]').waitFor();

    await page.getByTestId('action-resolve').click();
    await page.getByTestId('resolve-resolution').fill('Client updated to 5.2; keepalive fixed.');
    await page.getByTestId('submit-resolve').click();
    await waitStatus('resolved');
    assert.match(await page.getByTestId('ticket-resolution').innerText(), /keepalive fixed/);

    await page.getByTestId('action-close').click();
    await page.getByTestId('close-satisfaction').selectOption('4');
    await page.getByTestId('submit-close').click();
    await waitStatus('closed');
    assert.equal(await status(), 'closed');
    // Closed allows only reopen (and comments).
    for (const s of ['ack', 'assign', 'start', 'pending', 'resolve', 'close', 'cancel', 'handover'])
        assert.equal(await page.getByTestId('action-' + s).isDisabled(), true, s);
    assert.equal(await page.getByTestId('action-reopen').isDisabled(), false);

    // The history shows every step, in order, with both comments.
    await page.locator('[data-testid=history-event][data-op=close]').waitFor();
    const ops = await page.locator('[data-testid=history-event]').evaluateAll((els) => els.map((e) => e.dataset.op));
    assert.deepEqual(ops, ['create', 'ack', 'assign', 'comment', 'start', 'pending', 'start', 'comment', 'resolve', 'close']);
    const comments = await page.locator('[data-testid=comment]').count();
    assert.equal(comments, 2);
    await shot(page, 'agent-08-card-closed');

    // What the node holds agrees with the page.
    const t = JSON.parse(node.cli(['--json', 'ticket', 'show', id]));
    assert.equal(t.status, 'closed');
    assert.equal(t.assignee, 'li');
    assert.equal(t.satisfaction, 4);
    assert.deepEqual(errors, []);
});

test("the team queue holds the open tickets of the agent's team, live", { skip }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await login(page, node.url, 'li', 'secret-pass-1');
    await page.goto(node.url + '#/queue/team');
    await page.getByTestId('queue-team').waitFor();
    const other = node.cli(['ticket', 'new', '--title', 'Printer jam', '--requester', 'bob']).trim();
    const ours = node.cli(['ticket', 'new', '--title', 'Switch port flapping', '--requester', 'bob',
        '--team', 'network']).trim();
    await page.locator(`[data-testid=queue-row][data-id="${ours}"]`).waitFor(); // no reload
    assert.equal(await page.locator(`[data-testid=queue-row][data-id="${other}"]`).count(), 0);
    assert.match(await page.getByTestId('queue-team').locator('h1').innerText(), /network/);
    await shot(page, 'agent-10-team-queue');

    // Keyboard only: Enter opens the selected row, `a` acknowledges, Esc goes back.
    await page.locator('body').press('Enter');
    await page.locator(`[data-testid=ticket-card][data-id="${ours}"]`).waitFor();
    await page.locator('body').press('a');
    await page.locator(`[data-testid=ticket-card][data-status=acknowledged]`).waitFor();
    await page.locator('body').press('Escape');
    await page.getByTestId('queue-team').waitFor();
    assert.match(await page.getByTestId('help-keys').innerText(), /j\/k/);
});

test('editing fields sends If-Match: a change made meanwhile is refused, not overwritten', { skip }, async () => {
    const id = node.cli(['ticket', 'new', '--title', 'Laptop battery swells', '--requester', 'carol']).trim();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await login(page, node.url, 'li', 'secret-pass-1');
    await page.goto(node.url + '#/tickets/' + id);
    await page.getByTestId('action-edit').click();
    await page.getByTestId('edit-title').waitFor();
    node.cli(['ticket', 'update', id, '--category', 'hardware/laptop']); // someone else, meanwhile
    await page.getByTestId('edit-title').fill('Laptop battery swollen: replace');
    await page.getByTestId('submit-edit').click();
    await page.getByTestId('error').waitFor();
    assert.match(await page.getByTestId('error').innerText(), /precondition_failed/);
    await shot(page, 'agent-11-edit-conflict');
    let stored = JSON.parse(node.cli(['--json', 'ticket', 'show', id]));
    assert.equal(stored.title, 'Laptop battery swells'); // nothing written
    assert.equal(stored.category, 'hardware/laptop');

    // Opened again, the form starts from the current version and the edit goes through.
    await page.getByTestId('action-edit').click(); // closes the stale form
    await page.getByTestId('action-edit').click();
    await page.locator('[data-testid=edit-category]').waitFor();
    assert.equal(await page.getByTestId('edit-category').inputValue(), 'hardware/laptop');
    await page.getByTestId('edit-title').fill('Laptop battery swollen: replace');
    await page.getByTestId('edit-impact').selectOption('1');
    await page.getByTestId('submit-edit').click();
    await page.locator('[data-testid=ticket-title]', { hasText: 'swollen' }).waitFor();
    stored = JSON.parse(node.cli(['--json', 'ticket', 'show', id]));
    assert.equal(stored.title, 'Laptop battery swollen: replace');
    assert.equal(stored.impact, 1);
    await page.locator('[data-testid=history-event][data-op=update]').nth(1).waitFor();
    await shot(page, 'agent-12-edited');
});

test('a manager on a node without replication is told so (503), not shown an error', { skip }, async () => {
    node.user('mo', 'manager', 'secret-pass-7', { name: 'Mo' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await login(page, node.url, 'mo', 'secret-pass-7');
    await page.goto(node.url + '#/hub/replication');
    await page.getByTestId('no-replication').waitFor();
    assert.equal(await page.getByTestId('error').count(), 0);
    await shot(page, 'agent-13-no-replication');
});

test('logout ends the session: a reload shows the login form', { skip }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await login(page, node.url, 'li', 'secret-pass-1');
    await page.reload();
    await page.getByTestId('whoami').waitFor(); // the cookie survives a reload
    await page.getByTestId('logout').click();
    // Either the login form, or the console's line saying the node refused the sign-out.
    await page.locator('[data-testid=login-form], [data-testid=error]').first().waitFor();
    const refused = page.getByTestId('error');
    if (await refused.count()) assert.fail('DELETE /api/v1/session refused: ' + (await refused.innerText()));
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    await shot(page, 'agent-09-logged-out');
});
