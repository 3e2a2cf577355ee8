// test_messages.mjs - a ticket's mail in the console of a real node: a mail fed in as the mail
// gateway does (its raw form and an attachment put as blobs, then mail.ingest) opens a ticket;
// the agent's ticket card lists the message with its sender and how it threaded, and its raw
// form and attachment download the very bytes; a reply by the desk's Message-ID joins the same
// list; a ticket without messages shows no panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Node, launchBrowser, login, shot, skipReason, tempDir, cleanup, watchErrors } from './lib.mjs';

const skip = skipReason() || false;
if (skip) console.log('# SKIP browser tests: ' + skip);
let dir, node, browser;

// The message id of a Message-ID (proto/MAIL.md), by Python's hashlib (BLAKE2b-128).
const mid = (msgid) => execFileSync('python3', ['-c',
    'import hashlib,sys; print("M-"+hashlib.blake2b(("email\\n"+sys.argv[1]).encode(),digest_size=16).hexdigest()[:30])',
    msgid], { encoding: 'utf8' }).trim();
const cliJson = (args) => JSON.parse(node.cli(['--json', ...args]));

before(async () => {
    if (skip) return;
    dir = tempDir('messages');
    node = await new Node(dir, 'apac').start('node\n    site = APAC\n');
    node.user('li', 'agent', 'secret-pass-1', { name: 'Li Wei', args: ['--language', 'en', '--time-zone', 'Asia/Shanghai'] });
    browser = await launchBrowser();
});

after(async () => {
    if (browser) await browser.close();
    if (node) await node.stop();
    if (dir) cleanup(dir);
});

test('the ticket card lists its mail, with the raw message and the attachment', { skip }, async () => {
    const raw = 'From: 王芳 <wang.fang@example.com>\r\nSubject: 打印机卡纸\r\n\r\n三楼打印机卡纸\r\n';
    const rawBlob = cliJson(['blob', 'put', '--data', raw]).blob;
    const att = 'screen shot bytes';
    const attBlob = cliJson(['blob', 'put', '--data', att]).blob;
    const m1 = cliJson(['message', 'mail', '--id', mid('CAF=1@mail.example.com'), '--message-id', 'CAF=1@mail.example.com',
        '--from', 'wang.fang@example.com', '--from-name', '王芳', '--subject', '打印机卡纸', '--text', '三楼打印机卡纸',
        '--raw', rawBlob, '--attachments', `${attBlob}\t${att.length}\ttext/plain\tscreen.txt\n`]).message;
    const id = m1.ticket;
    cliJson(['message', 'mail', '--id', mid('CAF=2@mail.example.com'), '--message-id', 'CAF=2@mail.example.com',
        '--from', 'wang.fang@example.com', '--subject', `Re: [${id}] 打印机卡纸`, '--text', '还是卡纸',
        '--in-reply-to', `<sundesk.${id}.0a1b@apac.example.com>`]);
    const plain = node.cli(['ticket', 'new', '--title', 'No mail here', '--requester', 'wang']).trim();

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await login(page, node.url, 'li', 'secret-pass-1');
    await page.waitForFunction(() => /^#\/[a-z]/.test(location.hash));
    await page.goto(node.url + '#/tickets/' + id);
    const panel = page.getByTestId('ticket-messages');
    await panel.waitFor();
    const rows = panel.getByTestId('ticket-message');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).innerText(), /王芳[\s\S]*opened the ticket/);
    assert.match(await rows.nth(1).innerText(), /reply \(In-Reply-To\)/);
    // The links download the very bytes the gateway put.
    const bytes = async (href) => page.evaluate(async (h) => await (await fetch(h)).text(), href);
    assert.equal(await bytes(await rows.nth(0).getByTestId('message-raw').getAttribute('href')), raw);
    const a = rows.nth(0).getByTestId('message-attachment');
    assert.equal(await a.innerText(), 'screen.txt');
    assert.equal(await bytes(await a.getAttribute('href')), att);
    await shot(page, 'ticket-messages');
    // A ticket without messages has no panel.
    await page.goto(node.url + '#/tickets/' + plain);
    await page.getByTestId('ticket-card').and(page.locator(`[data-id="${plain}"]`)).waitFor();
    assert.equal(await page.getByTestId('ticket-messages').count(), 0);
    assert.deepEqual(errors, []);
});
