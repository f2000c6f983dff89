// A like storm seen by a real client: 100 signed-in viewers tap (batched, over HTTP) while
// bilibili-live-ws@6.3.1 LiveWS watches the room. The room says its running total in
// LIKE_INFO_V3_UPDATE once per like window (run.sh sets 300 ms), never once per batch, and the
// last update carries every accepted tap.
//
// Set by run.sh: BARRAGE_LIKE_TOKENS (a file of 100 viewer tokens, one per line) besides the
// usual server environment.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { LiveWS } from 'bilibili-live-ws';

import { Checklist, HOST, TEST_TIMEOUT_MS, failOnUncaught, serverFromEnv } from './harness.mjs';

const WINDOW_MS = 300;  // run.sh's [likes] window_ms
const TAPPERS = 100;
const BATCHES = 5;
const TAPS_PER_BATCH = 3;

async function post(server, path, body, token) {
    const response = await fetch(`http://${HOST}:${server.httpPort}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (answer.code !== 0) {
        throw new Error(`${path} answered ${JSON.stringify(answer)}`);
    }
    return answer.data;
}

test('LiveWS hears a like storm once per window with the running total', { timeout: TEST_TIMEOUT_MS },
    async (t) => {
        const server = serverFromEnv();
        const tokens = readFileSync(process.env.BARRAGE_LIKE_TOKENS, 'utf8').split('\n').filter(Boolean);
        assert.equal(tokens.length, TAPPERS);
        const before = (await post(server, `/api/v1/rooms/${server.room}`, undefined, tokens[0])).like_count;
        const expectedTotal = before + TAPPERS * BATCHES * TAPS_PER_BATCH;
        const expected = {
            live: 'auth reply ("live" event)',
            total: `LIKE_INFO_V3_UPDATE with click_count ${expectedTotal}`,
            click: 'a sampled LIKE_INFO_V3_CLICK from one of the tappers',
        };
        const checklist = new Checklist(Object.values(expected));
        t.after(failOnUncaught(checklist, 'LiveWS (likes)'));

        const live = new LiveWS(server.room, { address: `ws://${HOST}:${server.wsPort}/sub`, protover: 3 });
        t.after(() => {
            live.closed = true;
            live.ws.ws.terminate();
        });
        live.on('error', (error) => checklist.fail(new Error(`LiveWS error: ${error?.message ?? 'no detail'}`)));
        live.on('msg', (data) => checklist.saw(String(data?.cmd)));
        const updates = [];
        let stormStarted = 0;
        live.on('live', () => {
            checklist.met(expected.live);
            stormStarted = Date.now();
            // Every tapper sends its batches one after another, all tappers at once.
            Promise.all(tokens.map(async (token) => {
                for (let batch = 0; batch < BATCHES; ++batch) {
                    const answer = await post(server, `/api/v1/rooms/${server.room}/likes`,
                        { count: TAPS_PER_BATCH }, token);
                    assert.equal(answer.accepted, TAPS_PER_BATCH);
                }
            })).catch((error) => checklist.fail(error));
        });
        live.on('LIKE_INFO_V3_CLICK', ({ data }) => {
            if (typeof data?.uid === 'number' && data.msg_type === 6) {
                checklist.met(expected.click);
            }
        });
        live.on('LIKE_INFO_V3_UPDATE', ({ data }) => {
            updates.push(data.click_count);
            if (data.click_count === expectedTotal) {
                checklist.met(expected.total);
            }
        });

        await checklist.wait('LiveWS (likes)', server.timeoutMs);
        const stormMs = Date.now() - stormStarted;
        // 500 batches: at most one update per window (and one for the window in flight).
        assert.ok(updates.length <= Math.ceil(stormMs / WINDOW_MS) + 1,
            `${updates.length} updates in ${stormMs} ms of ${WINDOW_MS} ms windows`);
        assert.ok(updates.length < TAPPERS * BATCHES);
        for (let i = 1; i < updates.length; ++i) {
            assert.ok(updates[i] > updates[i - 1], `updates go up: ${updates}`);
        }
    });
