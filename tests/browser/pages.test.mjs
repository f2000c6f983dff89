// Every page in chromium at a desktop size and a phone's: it is served (200, with the
// Content-Security-Policy), renders into #root, breaks nothing (no page errors, console errors,
// CSP refusals or failed requests) and is saved as a screenshot for a reviewer. At 375 px the
// page must not scroll sideways.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DESKTOP, PHONE, launchBrowser, screenshot, watchedPage } from './browser.mjs';
import { ROOM, baseUrl } from './server.mjs';

const PAGES = [
    { name: 'room', path: `/room/${ROOM}` },
    { name: 'overlay', path: `/overlay/${ROOM}` },
    { name: 'console-streamer', path: '/console/streamer' },
    { name: 'console-developer', path: '/console/developer' },
    { name: 'dashboard', path: '/dashboard' },
];

const RENDER_TIMEOUT_MS = 10_000;
const SETTLE_TIMEOUT_MS = 5_000;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Opens the page, checks the answer and that #root rendered, lets its first requests finish
// (bounded), and leaves the page open for the caller's own checks.
async function openPage(path, viewport) {
    const watched = await watchedPage(browser, viewport);
    const response = await watched.page.goto(`${baseUrl()}${path}`, { waitUntil: 'load' });
    assert.ok(response, `no response for ${path}`);
    assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
    const csp = response.headers()['content-security-policy'];
    assert.ok(csp && csp.includes("script-src 'self'"), `${path} has no Content-Security-Policy (got ${csp})`);
    await watched.page.waitForFunction(() => (document.querySelector('#root')?.childElementCount ?? 0) > 0,
        undefined, { timeout: RENDER_TIMEOUT_MS });
    // A WebSocket does not count as network activity, so a live page still goes idle.
    await watched.page.waitForLoadState('networkidle', { timeout: SETTLE_TIMEOUT_MS }).catch(() => {});
    return watched;
}

for (const { name, path } of PAGES) {
    describe(`${path}`, () => {
        for (const viewport of [DESKTOP, PHONE]) {
            test(`renders at ${viewport.width}x${viewport.height} without errors (screenshot ${name}-${viewport.width}.png)`, async () => {
                const { page, context, problems } = await openPage(path, viewport);
                try {
                    await screenshot(page, name);
                    assert.deepEqual(problems, [], `${path} at ${viewport.width} px:\n${problems.join('\n')}`);
                } finally {
                    await context.close();
                }
            });
        }
        test('does not scroll sideways at 375 px', async () => {
            const { page, context } = await openPage(path, PHONE);
            try {
                const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
                assert.ok(scrollWidth <= PHONE.width,
                    `${path} is ${scrollWidth} px wide at ${PHONE.width} px: it scrolls sideways on a phone`);
            } finally {
                await context.close();
            }
        });
    });
}
