// test_hub.mjs - a hub manager's console on a real two-node desk (region APAC and the hub,
// replicating over CURVE): a ticket opened at APAC appears live on the hub's global queue with
// its counts; the follow-the-sun timeline shows the coverage gaps the calendars leave; the
// handover report shows the note; replication health lists the APAC peer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHubAndRegion, launchBrowser, login, shot, skipReason, tempDir, cleanup, scheduleZpl, watchErrors, within } from './lib.mjs';

const skip = skipReason() || false; // a reason string skips; false runs
if (skip) console.log('# SKIP browser tests: ' + skip);

// Two sites only: APAC 07-16 Shanghai (23:00-08:00Z) and EMEA 08-17 London; nobody covers the
// weekday evenings (17:00-23:00Z in winter) nor the weekends: gaps on every 7-day timeline.
const SCHEDULE = scheduleZpl([
    { name: 'APAC', zone: 'Asia/Shanghai', hours: 'mon-fri 07:00-16:00' },
    { name: 'EMEA', zone: 'Europe/London', hours: 'mon-fri 08:00-17:00' },
]);
let dir, nodes, browser;

before(async () => {
    if (skip) return;
    dir = tempDir('hub');
    nodes = await startHubAndRegion(dir, SCHEDULE);
    nodes.hub.user('mei', 'manager', 'secret-pass-4', { name: 'Mei Chen', args: ['--time-zone', 'Europe/London'] });
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (nodes) for (const n of Object.values(nodes)) await n.stop();
    if (dir) cleanup(dir);
});

test('hub manager sees an APAC ticket on the global queue, the coverage gap, handovers, replication', { skip }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(page);
    await login(page, nodes.hub.url, 'mei', 'secret-pass-4');
    await page.getByTestId('hub-queue').waitFor(); // a manager lands on the global queue
    await shot(page, 'hub-01-global-queue-empty');

    // Opened at APAC after the page loaded: it arrives by replication and the event stream.
    const id = nodes.apac.cli(['ticket', 'new', '--title', 'Shanghai office: core switch down',
        '--requester', 'ops@example.com', '--impact', '1', '--urgency', '1']).trim();
    assert.match(id, /^APAC-\d{6}$/);
    const row = page.locator(`[data-testid=hub-table] [data-testid=queue-row][data-id="${id}"]`);
    await row.waitFor({ timeout: 20000 });
    assert.match(await row.innerText(), /APAC/);
    assert.match(await row.innerText(), /P1/);
    assert.equal(await page.getByTestId('count-site-APAC').innerText(), '1');
    assert.equal(await page.getByTestId('count-priority-P1').innerText(), '1');
    assert.match(await page.getByTestId('list-more').innerText(), /1/);
    // The whole desk's counts (ticket.counts) agree.
    await page.locator('[data-testid=desk-count-site-APAC][data-count="1"]').waitFor();
    await page.locator('[data-testid=desk-count-priority-P1][data-count="1"]').waitFor();
    await shot(page, 'hub-02-global-queue');

    // Filters: another site shows nothing, APAC shows it.
    await page.getByTestId('filter-site').fill('EMEA');
    await page.getByTestId('hub-table-empty').waitFor();
    await page.getByTestId('filter-site').fill('APAC');
    await row.waitFor();
    await page.getByTestId('filter-priority').selectOption('P4');
    await page.getByTestId('hub-table-empty').waitFor();
    await page.getByTestId('filter-priority').selectOption('');
    await row.waitFor();
    await shot(page, 'hub-03-filtered');

    // The manager opens the card: the APAC ticket, with APAC's zone on its clocks.
    await row.getByTestId('ticket-link').click();
    await page.getByTestId('ticket-card').waitFor();
    assert.match(await page.getByTestId('response-due-site').innerText(), /Asia\/Shanghai/);
    assert.match(await page.getByTestId('response-due').innerText(), /Europe\/London/);
    await shot(page, 'hub-04-ticket-card');

    // Paging: two pages of one ticket each; the footer says more exist until both are loaded.
    const second = nodes.apac.cli(['ticket', 'new', '--title', 'Shanghai office: printer offline',
        '--requester', 'ops@example.com']).trim();
    await within(20, 'the hub holds ' + second, async () => JSON.parse(nodes.hub.cli(['--json', 'ticket', 'show', second])).id === second);
    await page.goto(nodes.hub.url + '#/hub?limit=1');
    await page.getByTestId('load-more').waitFor();
    assert.equal(await page.locator('[data-testid=hub-table] [data-testid=queue-row]').count(), 1);
    await shot(page, 'hub-04a-first-page');
    await page.getByTestId('load-more').click();
    await page.locator(`[data-testid=hub-table] [data-testid=queue-row][data-id="${second}"]`).waitFor();
    const paged = await page.locator('[data-testid=hub-table] [data-testid=queue-row]').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.deepEqual(paged, [id, second]); // queue order: the P1 first
    assert.equal(await page.getByTestId('load-more').count(), 0);
    assert.match(await page.getByTestId('list-more').innerText(), /All 2/);

    // The timeline: what the page draws as gaps is what the node's coverage says.
    await page.goto(nodes.hub.url + '#/hub/timeline');
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('coverage-gap').first().waitFor();
    // Asked again for the same window the page drew (`from` is the node's now when it asked).
    const from = await page.getByTestId('timeline').getAttribute('data-from');
    const coverage = await page.evaluate((f) => fetch('/api/v1/schedule/coverage?days=7&from=' + f).then((r) => r.json()), from);
    const gaps = coverage.intervals.filter((iv) => iv.sites.length === 0);
    assert.ok(coverage.gaps > 0 && gaps.length === coverage.gaps);
    assert.equal(await page.getByTestId('coverage-gap').count(), coverage.gaps);
    const starts = await page.getByTestId('coverage-gap').evaluateAll((els) => els.map((e) => Number(e.dataset.start)));
    assert.deepEqual(starts, gaps.map((g) => g.start));
    const color = await page.getByTestId('coverage-gap').first().evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(color, 'rgb(198, 40, 40)'); // red
    assert.equal(await page.locator('[data-testid=timeline-site]').count(), 2);
    await shot(page, 'hub-05-timeline');

    // A handover made at APAC shows on the hub's report with its note.
    nodes.apac.cli(['ticket', 'handover', id, '--to', 'EMEA', '--note', 'Vendor engineer on site at 09:00 London']);
    await page.goto(nodes.hub.url + '#/hub/handovers');
    const ho = page.locator(`[data-testid=handover][data-id="${id}"]`);
    await ho.waitFor({ timeout: 20000 });
    assert.match(await ho.innerText(), /APAC → EMEA/);
    assert.match(await ho.getByTestId('handover-note-text').innerText(), /Vendor engineer on site/);
    await shot(page, 'hub-06-handovers');

    // Breaches and at-risk across sites (the new ticket is neither yet: both lists load).
    await page.goto(nodes.hub.url + '#/hub/sla');
    await page.getByTestId('sla-breached').waitFor();
    await page.getByTestId('sla-at_risk').waitFor();
    await shot(page, 'hub-07-sla');

    // Replication health: the hub follows APAC.
    await page.goto(nodes.hub.url + '#/hub/replication');
    const peer = page.locator('[data-testid=repl-peer][data-site=APAC]');
    await peer.waitFor();
    await within(10, 'APAC connected', async () => (await peer.getByTestId('repl-connected').innerText()) === 'yes');
    await shot(page, 'hub-08-replication');
    assert.deepEqual(errors, []);
});
