// Debian's chromium, driven by playwright-core. playwright's own browser download does not work
// here (and would not be Debian's), so the executable is /usr/bin/chromium unless
// BARRAGE_CHROMIUM names another.

import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

export const DESKTOP = { width: 1280, height: 720 };
export const PHONE = { width: 375, height: 667 };

export async function launchBrowser() {
    return chromium.launch({
        executablePath: process.env.BARRAGE_CHROMIUM ?? '/usr/bin/chromium',
        // Tests run as root in CI, where chromium refuses its sandbox.
        args: ['--no-sandbox'],
    });
}

// A page that records what went wrong in it: uncaught errors, console errors (a refused
// Content-Security-Policy shows there too) and failed requests. Tests assert the lists are
// empty, so a page that breaks quietly still fails its test.
export async function watchedPage(browser, viewport = DESKTOP) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
        if (message.type() === 'error') {
            problems.push(`console error: ${message.text()}`);
        }
    });
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    return { page, context, problems };
}

// Saves a screenshot where the run keeps its artefacts (BARRAGE_SCREENSHOT_DIR, set by run.sh
// to the build tree), named for the page and the viewport.
export async function screenshot(page, name) {
    const directory = process.env.BARRAGE_SCREENSHOT_DIR;
    if (!directory) {
        return;
    }
    mkdirSync(directory, { recursive: true });
    const { width } = page.viewportSize();
    await page.screenshot({ path: path.join(directory, `${name}-${width}.png`), fullPage: false });
}

// Opens a page signed in as `token` (put in localStorage under barrage.token before the page's
// own script runs), checks it answered 200 and waits until it rendered into #root.
export async function openSignedInPage(browser, url, { token, viewport = DESKTOP } = {}) {
    const watched = await watchedPage(browser, viewport);
    const { page } = watched;
    await page.addInitScript((value) => localStorage.setItem('barrage.token', value), token);
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response?.status() !== 200) {
        throw new Error(`${url} answered ${response?.status()}`);
    }
    await waitFor(page, 'render into #root', () => (document.querySelector('#root')?.childElementCount ?? 0) > 0,
        undefined, PUSH_TIMEOUT_MS);
    return watched;
}

// Waits until `predicate(argument)` (run in the page) is true; `what` names it in the failure.
export async function waitForPage(page, what, predicate, argument, timeout = PUSH_TIMEOUT_MS) {
    await waitFor(page, what, predicate, argument, timeout);
}

// How long a page gets to show something the server pushed.
export const PUSH_TIMEOUT_MS = 10_000;

// Opens a live page (the viewer room page or the overlay) and resolves once its WebSocket to
// /sub has received a frame (the join's answer), so a message sent after this reaches it. With
// `token`, the page starts signed in: the token is put in localStorage under barrage.token before
// the page's own script runs.
export async function openLivePage(browser, url, { token, viewport = DESKTOP } = {}) {
    const watched = await watchedPage(browser, viewport);
    const { page } = watched;
    if (token !== undefined) {
        await page.addInitScript((value) => localStorage.setItem('barrage.token', value), token);
    }
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    let joined;
    const joinedPromise = new Promise((resolve) => { joined = resolve; });
    page.on('websocket', (socket) => {
        if (new URL(socket.url()).pathname === '/sub') {
            socket.on('framereceived', () => joined());
        }
    });
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response?.status() !== 200) {
        throw new Error(`${url} answered ${response?.status()}`);
    }
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${url} did not join its room over /sub within ${PUSH_TIMEOUT_MS} ms`)),
            PUSH_TIMEOUT_MS);
    });
    try {
        await Promise.race([joinedPromise, timeout]);
    } finally {
        clearTimeout(timer);
    }
    return { ...watched, requests };
}

// Waits until a flying danmaku (span.danmaku) reads exactly `text`.
export async function waitForDanmaku(page, text, timeout = PUSH_TIMEOUT_MS) {
    await waitFor(page, `a span.danmaku reading ${JSON.stringify(text)}`, (wanted) =>
        [...document.querySelectorAll('span.danmaku')].some((element) => element.textContent === wanted), text, timeout);
}

// Waits until a line of the viewer page's chat list ([data-testid="chat"]) contains `text`.
export async function waitForChatLine(page, text, timeout = PUSH_TIMEOUT_MS) {
    await waitFor(page, `a chat line containing ${JSON.stringify(text)}`, (wanted) =>
        [...(document.querySelector('[data-testid="chat"]')?.children ?? [])]
            .some((element) => element.textContent?.includes(wanted)), text, timeout);
}

// Waits until the page's text (as text, not markup) contains `text`.
export async function waitForText(page, text, timeout = PUSH_TIMEOUT_MS) {
    await waitFor(page, `text ${JSON.stringify(text)}`, (wanted) => document.body.textContent?.includes(wanted) ?? false,
        text, timeout);
}

async function waitFor(page, what, predicate, argument, timeout) {
    try {
        await page.waitForFunction(predicate, argument, { timeout });
    } catch (error) {
        throw new Error(`${page.url()}: no ${what} within ${timeout} ms (${error.message.split('\n')[0]})`);
    }
}
