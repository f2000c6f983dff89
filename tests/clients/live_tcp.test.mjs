// bilibili-live-ws@6.3.1 LiveTCP over raw TCP with protover 2 (zlib batches), anonymous.
import { test } from 'node:test';

import { LiveTCP } from 'bilibili-live-ws';

import {
    Checklist, HOST, TEST_TIMEOUT_MS, checkDanmaku, failOnUncaught, openCompanion, postDanmaku,
    serverFromEnv, uniqueText,
} from './harness.mjs';

test('LiveTCP receives our danmaku, heartbeat replies, enter and online count',
    { timeout: TEST_TIMEOUT_MS }, async (t) => {
        const server = serverFromEnv();
        const text = uniqueText('hello-tcp');
        const expected = {
            live: 'auth reply ("live" event)',
            danmaku: `DANMU_MSG with info[1] "${text}" from "${server.senderName}"`,
            heartbeat: 'heartbeat reply ("heartbeat" event with a number)',
            enter: 'INTERACT_WORD with data.msg_type 1',
            rank: 'ONLINE_RANK_COUNT with a numeric data.count',
        };
        const checklist = new Checklist(Object.values(expected));
        t.after(failOnUncaught(checklist, 'LiveTCP'));

        const live = new LiveTCP(server.room, { host: HOST, port: server.tcpPort, protover: 2 });
        let companion = null;
        t.after(() => {
            live.closed = true;
            live.socket.destroy();
            companion?.socket.destroy();
        });

        live.on('error', (error) => checklist.fail(new Error(
            `LiveTCP connection error on ${HOST}:${server.tcpPort}: ${error?.message ?? error}`)));
        live.on('close', () => checklist.fail(new Error('the server closed the TCP connection')));
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

        await checklist.wait('bilibili-live-ws LiveTCP', server.timeoutMs);
    });
