// XSS payloads sent as chat, as a super chat's message and as a user's name stay text in the
// viewer room page and the overlay: each shows up in the page's text, nothing runs
// (window.__xss stays undefined, no CSP refusal or other console error) and no <img src="x">
// exists or is requested. Chat and names go through the WebSocket pushes; the pages must put
// them in the DOM as text (textContent), never as markup.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, openLivePage, screenshot, waitForChatLine, waitForDanmaku, waitForText } from './browser.mjs';
import { ROOM, api, baseUrl, tokens, uniqueText } from './server.mjs';

const IMG_PAYLOAD = '<img src=x onerror="window.__xss=1">';
const SCRIPT_PAYLOAD = '</script><script>window.__xss=2</script>';
const NAME_PAYLOAD = '<img src=x onerror=window.__xss=3>';   // run.sh mints BARRAGE_XSS_NAME_TOKEN with it
const SUPER_CHAT_PAYLOAD = '<img src=x onerror="window.__xss=4"></script><script>window.__xss=5</script>';

let browser;
before(async () => {
    browser = await launchBrowser();
    await api('/api/v1/admin/grants',
        { uid: 3, coins: 100_000, reason: 'browser xss test', request_id: uniqueText('grant') }, tokens.admin);
});
after(async () => { await browser?.close(); });

// Nothing ran and no image was made from a payload, so far.
async function assertInert(watched, what) {
    const { page, problems, requests } = watched;
    const state = await page.evaluate(() => ({
        xss: window.__xss,
        images: [...document.querySelectorAll('img')].filter((image) => image.getAttribute('src') === 'x').length,
    }));
    assert.equal(state.xss, undefined, `${what}: a payload ran (window.__xss = ${state.xss})`);
    assert.equal(state.images, 0, `${what}: an <img src="x"> was made from a payload`);
    const fetched = requests.filter((url) => new URL(url).pathname.endsWith('/x'));
    assert.deepEqual(fetched, [], `${what}: a payload's image was requested`);
    assert.deepEqual(problems, [], `${what}:\n${problems.join('\n')}`);
}

const PAGES = [
    {
        name: 'room',
        path: `/room/${ROOM}`,
        token: () => tokens.viewer,
        // The viewer page shows chat and names in its chat list, and danmaku in flight.
        showsChat: (page, text) => Promise.all([waitForChatLine(page, text), waitForDanmaku(page, text)]),
        showsName: (page, name, text) => waitForChatLine(page, name).then(() => waitForChatLine(page, text)),
    },
    {
        name: 'overlay',
        path: `/overlay/${ROOM}`,
        token: () => undefined,
        showsChat: (page, text) => waitForDanmaku(page, text),
        // An overlay need not print names; the danmaku must still fly and nothing may run.
        showsName: (page, _name, text) => waitForDanmaku(page, text),
    },
];

for (const { name, path, token, showsChat, showsName } of PAGES) {
    describe(`XSS in ${path}`, () => {
        let watched;
        before(async () => { watched = await openLivePage(browser, `${baseUrl()}${path}`, { token: token() }); });
        after(async () => {
            if (watched) {
                await screenshot(watched.page, `${name}-xss`);
                await watched.context.close();
            }
        });

        for (const [label, payload] of [['an <img onerror> chat', IMG_PAYLOAD], ['a </script> chat', SCRIPT_PAYLOAD]]) {
            test(`${label} stays text`, async () => {
                const text = `${payload} ${uniqueText(name)}`;
                await api(`/api/v1/rooms/${ROOM}/danmaku`, { msg: text }, tokens.viewer);
                await showsChat(watched.page, text);
                await assertInert(watched, `${path}, ${label}`);
            });
        }

        test('a super chat message with markup stays text', async () => {
            const text = `${SUPER_CHAT_PAYLOAD} ${uniqueText(name)}`;
            await api(`/api/v1/rooms/${ROOM}/super-chats`,
                { price_yuan: 30, message: text, request_id: uniqueText('sc') }, tokens.viewer);
            await waitForText(watched.page, text);
            await assertInert(watched, `${path}, super chat`);
        });

        test('a user name with markup stays text', async () => {
            const text = uniqueText(`${name}-from-markup-name`);
            await api(`/api/v1/rooms/${ROOM}/danmaku`, { msg: text }, tokens.xssName);
            await showsName(watched.page, NAME_PAYLOAD, text);
            await assertInert(watched, `${path}, name`);
        });
    });
}
