// The feedback channel through both consoles: the demo streamer (uid 1, host of room 1) reports
// a problem with the demo app from /console/streamer; as the app's developer (the same uid,
// made a developer) they see it in /console/developer and answer; back in the streamer console
// the answer shows. Texts carry markup, which must stay text.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openSignedInPage, screenshot, waitForPage } from './browser.mjs';
import { api, baseUrl, tokens, uniqueText } from './server.mjs';

let browser;
let appId;
before(async () => {
    browser = await launchBrowser();
    await api('/api/v1/open/developers/1', { reason: 'browser feedback test' }, tokens.admin, 'PUT');
    const apps = await api('/api/v1/open/apps', undefined, tokens.host, 'GET');
    assert.ok(Array.isArray(apps) && apps.length > 0, `uid 1 owns no app: ${JSON.stringify(apps)}`);
    appId = apps[0].app_id;
});
after(async () => { await browser?.close(); });

test('a streamer reports a game problem, its developer answers, the streamer reads the answer', async () => {
    const problem = `${uniqueText('stuck')} <b>after round 2</b>`;
    const answer = uniqueText('fixed');
    const streamer = await openSignedInPage(browser, `${baseUrl()}/console/streamer?room=1`, { token: tokens.host });
    try {
        const page = streamer.page;
        await waitForPage(page, 'the feedback form', () => document.querySelector('[data-testid="feedback-submit"]') !== null);
        await page.fill('[data-testid="feedback-app"]', String(appId));
        await page.fill('[data-testid="feedback-text"]', problem);
        await page.click('[data-testid="feedback-submit"]');
        await waitForPage(page, 'the report in the list', (text) =>
            (document.querySelector('[data-testid="feedback-list"]')?.textContent ?? '').includes(text), problem);

        const developer = await openSignedInPage(browser, `${baseUrl()}/console/developer`, { token: tokens.host });
        try {
            const console = developer.page;
            await waitForPage(console, `the app row app-${appId}`, (id) =>
                document.querySelector(`[data-testid="app-${id}"] button`) !== null, appId);
            await console.click(`[data-testid="app-${appId}"] button`);
            await waitForPage(console, 'the report in the developer console', (text) =>
                (document.querySelector('[data-testid="feedback-panel"]')?.textContent ?? '').includes(text), problem);
            const id = await console.evaluate(() =>
                document.querySelector('[data-testid^="feedback-answer-"]')?.getAttribute('data-testid')?.slice('feedback-answer-'.length));
            assert.ok(id, 'an answer box');
            await console.fill(`[data-testid="feedback-answer-${id}"]`, answer);
            await console.click(`[data-testid="feedback-send-${id}"]`);
            await waitForPage(console, 'the answer shown', (text) =>
                (document.querySelector('[data-testid="feedback-panel"]')?.textContent ?? '').includes(text), answer);
            await screenshot(console, 'console-developer-feedback');
            assert.equal(await console.locator('[data-testid="feedback-panel"] b').count(), 0, 'markup stayed text');
            assert.deepEqual(developer.problems, [], `developer console:\n${developer.problems.join('\n')}`);
        } finally {
            await developer.context.close();
        }

        await page.reload();
        await waitForPage(page, 'the answer in the streamer console', (text) =>
            (document.querySelector('[data-testid="feedback-list"]')?.textContent ?? '').includes(text), answer);
        await screenshot(page, 'console-streamer-feedback');
        assert.deepEqual(streamer.problems, [], `streamer console:\n${streamer.problems.join('\n')}`);
    } finally {
        await streamer.context.close();
    }
});
