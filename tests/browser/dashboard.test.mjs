// The operator dashboard's charts follow real traffic: the admin (uid 10) opens /dashboard,
// waits for the first figures, then `barrage bench` (a child process: 20 WebSocket subscribers
// on room 1 and 50 danmaku a second for 6 s) loads the server, and value-messages-in and
// value-connections rise while it runs (the page scrapes /metrics every 2 s). A screenshot is
// taken while the charts move.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';

import { launchBrowser, openSignedInPage, screenshot, waitForPage } from './browser.mjs';
import { HOST, ROOM, baseUrl, required, tokens } from './server.mjs';

const CONNECTIONS = 20;
const RATE = 50;
// The bench runs 6 s; the page needs two scrapes 2 s apart for a rate, so 15 s is ample.
const LOAD_TIMEOUT_MS = 15_000;
const BENCH_EXIT_TIMEOUT_MS = 30_000;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Runs `barrage bench` against the test server; resolves with its exit code and output.
function startBench() {
    const child = spawn(required('BARRAGE_BINARY'), [
        'bench', '--target', 'barrage', '--host', HOST, '--port', required('BARRAGE_HTTP_PORT'), '--room', String(ROOM),
        '--token', tokens.host, '--connections', String(CONNECTIONS), '--rate', String(RATE),
        '--duration', '6', '--warmup', '0', '--drain', '1',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const exited = new Promise((resolve) => {
        child.on('error', (error) => resolve({ code: -1, output: `${output}\n${error.message}` }));
        child.on('close', (code) => resolve({ code, output }));
    });
    return { child, exited };
}

// In the page: the number a figure (value-<name>) shows, or NaN while it reads "–".
const FIGURE_SOURCE = `(name) => {
    const text = document.querySelector('[data-testid="value-' + name + '"]')?.textContent ?? '';
    const match = /^(-?[0-9.]+)([kMG]?)/.exec(text.trim());
    if (!match) return NaN;
    return Number(match[1]) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9 })[match[2]];
}`;

test('the dashboard\'s messages-in and connections figures rise while barrage bench runs', async () => {
    const dashboard = await openSignedInPage(browser, `${baseUrl()}/dashboard`, { token: tokens.admin });
    let bench;
    try {
        const page = dashboard.page;
        await page.evaluate(`window.__figure = ${FIGURE_SOURCE}`);
        await waitForPage(page, 'a number in value-messages-in', () => Number.isFinite(window.__figure('messages-in')));
        const before_ = await page.evaluate(() => ({
            messages: window.__figure('messages-in'), connections: window.__figure('connections'),
        }));

        bench = startBench();
        await waitForPage(page, `value-connections at ${CONNECTIONS} or more and value-messages-in above 0`,
            (connections) => window.__figure('connections') >= connections && window.__figure('messages-in') > 0,
            CONNECTIONS, LOAD_TIMEOUT_MS);
        await screenshot(page, 'dashboard-load');
        const during = await page.evaluate(() => ({
            messages: window.__figure('messages-in'), connections: window.__figure('connections'),
        }));
        assert.ok(during.connections > before_.connections,
            `connections did not rise: ${before_.connections} before, ${during.connections} during the bench`);

        let timer;
        const result = await Promise.race([
            bench.exited,
            new Promise((_, reject) => {
                timer = setTimeout(() => reject(new Error(`barrage bench did not finish within ${BENCH_EXIT_TIMEOUT_MS} ms`)),
                    BENCH_EXIT_TIMEOUT_MS);
            }),
        ]).finally(() => clearTimeout(timer));
        assert.equal(result.code, 0, `barrage bench failed:\n${result.output}`);
        assert.deepEqual(dashboard.problems, [], dashboard.problems.join('\n'));
    } finally {
        if (bench && bench.child.exitCode === null) {
            bench.child.kill();
        }
        await dashboard.context.close();
    }
});
