// test_i18n.mjs - the console's string table: en and zh-CN have the same keys, every key the
// sources ask for with t('...') exists, and dates always name their zone. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '../../node/http/console/src');
const { LANGS, fmtTime, pickLang } = await import(pathToFileURL(join(src, 'i18n.js')));

test('en and zh-CN have the same keys, none empty', () => {
    const en = Object.keys(LANGS.en).sort();
    const zh = Object.keys(LANGS['zh-CN']).sort();
    assert.deepEqual(zh, en);
    for (const [lang, table] of Object.entries(LANGS))
        for (const [k, v] of Object.entries(table)) assert.ok(v.trim(), `${lang}.${k} is empty`);
});

test("every t('key') in the sources is in the table", () => {
    const missing = [];
    for (const f of readdirSync(src).filter((n) => n.endsWith('.js'))) {
        const text = readFileSync(join(src, f), 'utf8');
        for (const m of text.matchAll(/\bt\('([a-z0-9_]+)'\s*[,)]/g)) if (!(m[1] in LANGS.en)) missing.push(`${f}: ${m[1]}`);
    }
    assert.deepEqual(missing, []);
});

test('dates are shown in the given zone, with the zone named', () => {
    const ms = Date.UTC(2026, 2, 2, 7, 30); // 2026-03-02 07:30Z
    assert.equal(fmtTime(ms, 'Asia/Shanghai'), '2026-03-02 15:30 Asia/Shanghai');
    assert.equal(fmtTime(ms, 'America/New_York'), '2026-03-02 02:30 America/New_York');
    assert.equal(fmtTime(ms, 'Not/AZone'), '2026-03-02 07:30 UTC'); // unknown zone: UTC, said so
    assert.equal(fmtTime(0, 'UTC'), '—');
    assert.equal(pickLang('zh-Hans-CN'), 'zh-CN');
    assert.equal(pickLang('en-GB'), 'en');
    assert.equal(pickLang(null), 'en');
});
