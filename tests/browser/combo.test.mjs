// Ten gifts sent quickly, one after another, make one combo banner that counts up to x10 in
// order, in the viewer room page and in the overlay: a MutationObserver records every gift
// banner's text on every DOM change, and the xN numbers seen over time never go down and end
// at 10 (the seed-003 presenter merges a user's combo and never shows a superseded number).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { PUSH_TIMEOUT_MS, launchBrowser, openLivePage, screenshot } from './browser.mjs';
import { ROOM, api, baseUrl, tokens, uniqueText } from './server.mjs';

const GIFT = 1;
const HITS = 10;

let browser;
before(async () => {
    browser = await launchBrowser();
    await api('/api/v1/admin/grants',
        { uid: 3, coins: 100_000, reason: 'browser combo test', request_id: uniqueText('grant') }, tokens.admin);
});
after(async () => { await browser?.close(); });

// Records the text of every [data-testid=gift-banner] after each DOM mutation, in
// window.__banners (one array of texts per mutation batch that had any banner).
async function recordBanners(page) {
    await page.evaluate(() => {
        window.__banners = [];
        const record = () => {
            const texts = [...document.querySelectorAll('[data-testid="gift-banner"]')].map((element) => element.textContent ?? '');
            if (texts.length > 0) {
                window.__banners.push(texts);
            }
        };
        new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true });
        record();
    });
}

// The combo count a banner's text shows: "name sent gift xN" (then " · P coins" in the overlay).
function comboCount(text) {
    const match = / x(\d+)(?:\s|·|$)/.exec(text);
    return match ? Number(match[1]) : undefined;
}

test('ten quick gifts make one banner that counts up to x10 in order in the room page and the overlay', async () => {
    const room = await openLivePage(browser, `${baseUrl()}/room/${ROOM}`, { token: tokens.viewer });
    const overlay = await openLivePage(browser, `${baseUrl()}/overlay/${ROOM}`);
    try {
        await recordBanners(room.page);
        await recordBanners(overlay.page);
        for (let hit = 0; hit < HITS; hit += 1) {
            await api(`/api/v1/rooms/${ROOM}/gifts`, { gift_id: GIFT, request_id: uniqueText('combo') }, tokens.viewer);
        }
        for (const [name, watched] of [['room', room], ['overlay', overlay]]) {
            try {
                await watched.page.waitForFunction((hits) =>
                    [...document.querySelectorAll('[data-testid="gift-banner"]')]
                        .some((element) => new RegExp(` x${hits}(\\s|·|$)`).test(element.textContent ?? '')),
                HITS, { timeout: PUSH_TIMEOUT_MS });
            } catch (error) {
                const seen = await watched.page.evaluate(() => window.__banners);
                throw new Error(`${name}: no gift banner reached x${HITS} within ${PUSH_TIMEOUT_MS} ms `
                    + `(${error.message.split('\n')[0]}); banners seen: ${JSON.stringify(seen.slice(-20))}`);
            }
            await screenshot(watched.page, `${name}-combo`);
            const snapshots = await watched.page.evaluate(() => window.__banners);
            const counts = [];
            for (const texts of snapshots) {
                // The gift's banner: one lane shows it; any other banner's text is not this combo's.
                const numbers = texts.map(comboCount).filter((count) => count !== undefined);
                assert.ok(numbers.length <= 1, `${name}: more than one gift banner at once: ${JSON.stringify(texts)}`);
                if (numbers.length === 1 && counts.at(-1) !== numbers[0]) {
                    counts.push(numbers[0]);
                }
            }
            const sorted = [...counts].sort((a, b) => a - b);
            assert.deepEqual(counts, sorted, `${name}: the banner's count went down: ${counts.join(', ')}`);
            assert.equal(counts.at(-1), HITS, `${name}: the banner's last count is not ${HITS}: ${counts.join(', ')}`);
            assert.deepEqual(watched.problems, [], `${name}:\n${watched.problems.join('\n')}`);
        }
    } finally {
        await room.context.close();
        await overlay.context.close();
    }
});
