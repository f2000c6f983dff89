// The host mutes a viewer from the streamer console and the viewer's next message is refused in
// their own room page: the console's mute form (mute-uid, mute-duration, mute-submit) adds the
// user's row to the mutes list; the viewer types in send-input and clicks send-button, and the
// page's notice shows the server's refusal (code 3100, muted). The host then lifts the mute
// from the row's button. The muted viewer is bob (uid 5), whom no other test sends as.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openLivePage, openSignedInPage, screenshot, waitForPage } from './browser.mjs';
import { ROOM, baseUrl, tokens, uniqueText } from './server.mjs';

const MUTED_UID = 5;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('a user muted from the streamer console has their next message refused in their room page', async () => {
    const console_ = await openSignedInPage(browser, `${baseUrl()}/console/streamer?room=${ROOM}`, { token: tokens.host });
    const viewer = await openLivePage(browser, `${baseUrl()}/room/${ROOM}`, { token: tokens.muted });
    try {
        const host = console_.page;
        await waitForPage(host, 'the mute form', () => document.querySelector('[data-testid="mute-submit"]') !== null);
        await host.fill('[data-testid="mute-uid"]', String(MUTED_UID));
        await host.fill('[data-testid="mute-duration"]', '10m');
        await host.click('[data-testid="mute-submit"]');
        await waitForPage(host, `uid ${MUTED_UID}'s row in the mutes list`, (uid) =>
            document.querySelector(`[data-testid="mutes"] [data-testid="mute-row"][data-uid="${uid}"]`) !== null, MUTED_UID);
        await screenshot(host, 'console-streamer-mute');

        const text = uniqueText('muted');
        await viewer.page.fill('[data-testid="send-input"]', text);
        await viewer.page.click('[data-testid="send-button"]');
        // The notice may already say so from the room's moderation push; the send's own refusal
        // starts with "not sent".
        await waitForPage(viewer.page, 'a notice refusing the send as muted', () => {
            const notice = document.querySelector('[data-testid="notice"]')?.textContent ?? '';
            return notice.includes('not sent') && (notice.includes('3100') || /muted/i.test(notice));
        });
        await screenshot(viewer.page, 'room-muted');
        const chat = await viewer.page.evaluate(() => document.querySelector('[data-testid="chat"]')?.textContent ?? '');
        assert.ok(!chat.includes(text), 'the muted message reached the chat list');

        await host.click(`[data-testid="mute-row"][data-uid="${MUTED_UID}"] [data-testid="mute-lift"]`);
        await waitForPage(host, `uid ${MUTED_UID}'s row gone from the mutes list`, (uid) =>
            document.querySelector(`[data-testid="mute-row"][data-uid="${uid}"]`) === null, MUTED_UID);

        assert.deepEqual(console_.problems, [], `console:\n${console_.problems.join('\n')}`);
        // The refused send is a 403 that chromium reports as a failed resource load: expected.
        const unexpected = viewer.problems.filter((problem) => !/status of 403/.test(problem));
        assert.deepEqual(unexpected, [], `room:\n${unexpected.join('\n')}`);
    } finally {
        await console_.context.close();
        await viewer.context.close();
    }
});
