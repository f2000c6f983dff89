// A danmaku sent over HTTP flies over the player in the viewer room page and in the overlay
// (each shows it as a span.danmaku reading the text), and the viewer page's chat list gets it.
// One test per page, so each page's state is told apart.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openLivePage, screenshot, waitForChatLine, waitForDanmaku } from './browser.mjs';
import { ROOM, api, baseUrl, tokens, uniqueText } from './server.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('a danmaku sent over HTTP flies in the viewer room page and reaches its chat list', async () => {
    const room = await openLivePage(browser, `${baseUrl()}/room/${ROOM}`, { token: tokens.viewer });
    try {
        const text = uniqueText('fly-room');
        await api(`/api/v1/rooms/${ROOM}/danmaku`, { msg: text }, tokens.host);
        await waitForDanmaku(room.page, text);
        await screenshot(room.page, 'room-danmaku');
        await waitForChatLine(room.page, text);
        assert.deepEqual(room.problems, [], room.problems.join('\n'));
    } finally {
        await room.context.close();
    }
});

test('a danmaku sent over HTTP flies in the overlay', async () => {
    const overlay = await openLivePage(browser, `${baseUrl()}/overlay/${ROOM}`);
    try {
        const text = uniqueText('fly-overlay');
        await api(`/api/v1/rooms/${ROOM}/danmaku`, { msg: text }, tokens.host);
        await waitForDanmaku(overlay.page, text);
        await screenshot(overlay.page, 'overlay-danmaku');
        assert.deepEqual(overlay.problems, [], overlay.problems.join('\n'));
    } finally {
        await overlay.context.close();
    }
});
