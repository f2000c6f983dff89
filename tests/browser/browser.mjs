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
