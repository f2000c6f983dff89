// The page build (scripts/build.mjs) into a temporary folder: a shell per page that loads only
// its own content-hashed bundle and stylesheet, with nothing inline for the Content-Security-
// Policy to forbid (docs/web.md, "Building the pages").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

// npm test runs in web/ (tests/web/run.sh changes there).
const web = process.cwd();
const pages = ['room', 'overlay', 'console-streamer', 'console-developer', 'dashboard'];
let out = '';

before(() => {
    out = mkdtempSync(join(tmpdir(), 'barrage-web-build-'));
    const run = spawnSync(process.execPath, [join(web, 'scripts', 'build.mjs'), out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
});

after(() => {
    rmSync(out, { recursive: true, force: true });
});

test('each page has a shell that loads only its own hashed bundle and stylesheet', () => {
    const shells = readdirSync(out).filter((name) => name.endsWith('.html')).sort();
    assert.deepEqual(shells, pages.map((page) => `${page}.html`).sort());
    for (const page of pages) {
        const html = readFileSync(join(out, `${page}.html`), 'utf8');
        const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
        assert.equal(scripts.length, 1, page);
        const [, attributes = '', body = ''] = scripts[0] ?? [];
        assert.equal(body.trim(), '', `${page}: an inline script`);
        const source = /src="\/static\/([^"]+)"/.exec(attributes)?.[1];
        assert.match(source ?? '', new RegExp(`^${page}-[A-Z0-9]{8}\\.js$`), page);
        const sheets = [...html.matchAll(/<link rel="stylesheet" href="\/static\/([^"]+)">/g)].map((m) => m[1]);
        assert.equal(sheets.length, 1, page);
        assert.match(sheets[0] ?? '', new RegExp(`^${page}-[A-Z0-9]{8}\\.css$`), page);
        for (const file of [source ?? '', sheets[0] ?? '']) {
            assert.ok(existsSync(join(out, 'static', file)), `${page}: ${file} missing`);
        }
        assert.doesNotMatch(html, /<style\b|\sstyle=|\son[a-z]+=/i, `${page}: inline style or handler`);
        assert.match(html, /<div id="root"><\/div>/, page);
    }
});

test('the bundles use no eval', () => {
    for (const name of readdirSync(join(out, 'static')).filter((file) => file.endsWith('.js'))) {
        const code = readFileSync(join(out, 'static', name), 'utf8');
        assert.doesNotMatch(code, /\beval\(|new Function\(/, name);
    }
});
