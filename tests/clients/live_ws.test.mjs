// bilibili-live-ws@6.3.1 LiveWS over WebSocket with protover 3 (brotli batches), anonymous.
import { test } from 'node:test';

import { LiveWS } from 'bilibili-live-ws';

import {
    Checklist, HOST, TEST_TIMEOUT_MS, checkDanmaku, failOnUncaught, openCompanion, postDanmaku,
    serverFromEnv, uniqueText,
} from './harness.mjs';

test('LiveWS receives our danmaku, heartbeat replies, enter and online counts',
    { timeout: TEST_TIMEOUT_MS }, async (t) => {
        const server = serverFromEnv();
        const text = uniqueText('hello-ws');
        const expected = {
            live: 'auth reply ("live" event)',
            danmaku: `DANMU_MSG with info[1] "${text}" from "${server.senderName}"`,
            heartbeat: 'heartbeat reply ("heartbeat" event with a number)',
            enter: 'INTERACT_WORD with data.msg_type 1',
            rank: 'ONLINE_RANK_COUNT with a numeric data.count',
            watched: 'WATCHED_CHANGE with a numeric data.num',
        };
        const checklist = new Checklist(Object.values(expected));
        t.after(failOnUncaught(checklist, 'LiveWS'));

        const address = `ws://${HOST}:${server.wsPort}/sub`;
        const live = new LiveWS(server.room, { address, protover: 3 });
        let companion = null;
        t.after(() => {
            // terminate, not close: a half-finished server must not keep the test process alive.
            live.closed = true;
            live.ws.ws.terminate();
            companion?.socket.destroy();
        });

        // The library's WebSocket wrapper drops the error object; name the address instead.
        live.on('error', (error) => checklist.fail(new Error(
            `LiveWS connection error on ${address}: ${error?.message ?? 'no detail'}`)));
        live.on('close', () => checklist.fail(new Error('the server closed the WebSocket')));
        live.on('msg', (data) => checklist.saw(String(data?.cmd)));
        live.on('live', () => {
            checklist.saw('live');
            checklist.met(expected.live);
            ({ companion } = openCompanion(server));
            postDanmaku(server, text).catch((error) => checklist.fail(error));
        });
        live.on('heartbeat', (online) => {
            checklist.saw(`heartbeat(${typeof online})`);
            if (typeof online === 'number' && Number.isFinite(online)) {
                checklist.met(expected.heartbeat);
            }
        });
        live.on('DANMU_MSG', (data) => {
            if (checkDanmaku(checklist, data, text, server.senderName)) {
                checklist.met(expected.danmaku);
            }
        });
        live.on('INTERACT_WORD', (data) => {
            if (data?.data?.msg_type === 1) {
                checklist.met(expected.enter);
            }
        });
        live.on('ONLINE_RANK_COUNT', (data) => {
            if (typeof data?.data?.count === 'number') {
                checklist.met(expected.rank);
            }
        });
        live.on('WATCHED_CHANGE', (data) => {
            if (typeof data?.data?.num === 'number') {
                checklist.met(expected.watched);
            }
        });

        await checklist.wait('bilibili-live-ws LiveWS', server.timeoutMs);
    });
