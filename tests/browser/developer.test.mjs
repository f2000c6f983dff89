// The developer console's debug tool injects a test danmaku into a room and it arrives in that
// room's viewer page: the demo streamer (uid 1), made a developer, owns the demo app; they pick
// it in /console/developer, send a danmaku into room 1 (their own room, so a test room without
// whitelisting), debug-result reports the seq, and the text flies in /room/1 and lands in its
// chat list.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openLivePage, openSignedInPage, screenshot, waitForChatLine, waitForDanmaku, waitForPage } from './browser.mjs';
import { ROOM, api, baseUrl, tokens, uniqueText } from './server.mjs';

let browser;
let appId;
before(async () => {
    browser = await launchBrowser();
    await api('/api/v1/open/developers/1', { reason: 'browser developer test' }, tokens.admin, 'PUT');
    const apps = await api('/api/v1/open/apps', undefined, tokens.host, 'GET');
    assert.ok(Array.isArray(apps) && apps.length > 0, `uid 1 owns no app: ${JSON.stringify(apps)}`);
    appId = apps[0].app_id;
});
after(async () => { await browser?.close(); });

// Opens the app's row in the developer console, once the console has listed it.
async function openApp(page) {
    await waitForPage(page, `the app row app-${appId}`, (id) =>
        document.querySelector(`[data-testid="app-${id}"] button`) !== null, appId);
    await page.click(`[data-testid="app-${appId}"] button`);
}

test('a danmaku injected with the developer console\'s debug tool arrives in the room page', async () => {
    const room = await openLivePage(browser, `${baseUrl()}/room/${ROOM}`, { token: tokens.viewer });
    const developer = await openSignedInPage(browser, `${baseUrl()}/console/developer`, { token: tokens.host });
    try {
        const page = developer.page;
        await openApp(page);
        await waitForPage(page, 'the debug tool', () => document.querySelector('[data-testid="debug-send"]') !== null);
        await page.selectOption('[data-testid="debug-kind"]', 'danmaku');
        await page.fill('[data-testid="debug-room"]', String(ROOM));
        const text = uniqueText('debug');
        await page.fill('[data-testid="debug-text"]', text);
        await page.click('[data-testid="debug-send"]');
        await waitForPage(page, 'a debug-result reporting the seq', () =>
            /^sent .* seq \d+/.test(document.querySelector('[data-testid="debug-result"]')?.textContent ?? ''));
        await screenshot(page, 'console-developer-debug');

        await waitForDanmaku(room.page, text);
        await waitForChatLine(room.page, text);
        await screenshot(room.page, 'room-debug-danmaku');

        assert.deepEqual(developer.problems, [], `console:\n${developer.problems.join('\n')}`);
        assert.deepEqual(room.problems, [], `room:\n${room.problems.join('\n')}`);
    } finally {
        await developer.context.close();
        await room.context.close();
    }
});

test('a test game started from the developer console hears the debug tool\'s events', async () => {
    const developer = await openSignedInPage(browser, `${baseUrl()}/console/developer`, { token: tokens.host });
    try {
        const page = developer.page;
        await openApp(page);
        await waitForPage(page, 'the test game panel', () => document.querySelector('[data-testid="test-game-start"]') !== null);
        await page.fill('[data-testid="test-game-room"]', String(ROOM));
        await page.click('[data-testid="test-game-start"]');
        await waitForPage(page, 'the test game joined', () =>
            (document.querySelector('[data-testid="test-game-state"]')?.textContent ?? '').startsWith('running'));
        await page.selectOption('[data-testid="debug-kind"]', 'danmaku');
        await page.fill('[data-testid="debug-room"]', String(ROOM));
        const text = uniqueText('game');
        await page.fill('[data-testid="debug-text"]', text);
        await page.click('[data-testid="debug-send"]');
        await waitForPage(page, 'the game hearing LIVE_OPEN_PLATFORM_DM', (wanted) =>
            [...document.querySelectorAll('[data-testid="test-game-events"] li')].some((li) =>
                (li.textContent ?? '').startsWith('LIVE_OPEN_PLATFORM_DM') && (li.textContent ?? '').includes(wanted)), text);
        await screenshot(page, 'console-developer-test-game');
        assert.deepEqual(developer.problems, [], `console:\n${developer.problems.join('\n')}`);
    } finally {
        await developer.context.close();
    }
});
