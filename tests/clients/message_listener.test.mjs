// blive-message-listener@0.5.5 startListen: tiny-bilibili-ws KeepLiveTCP over raw TCP with its
// default protover 3 (brotli batches), anonymous. Checks both the parsed messages the library
// hands to users and the raw DANMU_MSG fields they come from.
import { test } from 'node:test';

import { startListen } from 'blive-message-listener';

import {
    Checklist, HOST, TEST_TIMEOUT_MS, checkDanmaku, failOnUncaught, openCompanion, postDanmaku,
    serverFromEnv, uniqueText,
} from './harness.mjs';

test('blive-message-listener receives our danmaku, heartbeat replies, enter and online count',
    { timeout: TEST_TIMEOUT_MS }, async (t) => {
        const server = serverFromEnv();
        const text = uniqueText('hello-listener');
        const expected = {
            live: 'auth reply (onStartListen)',
            danmaku: `onIncomeDanmu with content "${text}" from "${server.senderName}"`,
            heartbeat: 'heartbeat reply (onAttentionChange with a number)',
            enter: 'onUserAction with action "enter" (INTERACT_WORD msg_type 1)',
            rank: 'onRankCountChange with a numeric count (ONLINE_RANK_COUNT)',
        };
        const checklist = new Checklist(Object.values(expected));
        t.after(failOnUncaught(checklist, 'blive-message-listener'));

        let companion = null;
        const listener = startListen(server.room, {
            onStartListen() {
                checklist.saw('live');
                checklist.met(expected.live);
                ({ companion } = openCompanion(server));
                postDanmaku(server, text).catch((error) => checklist.fail(error));
            },
            onClose() {
                checklist.fail(new Error('the server closed the TCP connection'));
            },
            onAttentionChange(message) {
                checklist.saw(`heartbeat(${typeof message.body.attention})`);
                if (typeof message.body.attention === 'number') {
                    checklist.met(expected.heartbeat);
                }
            },
            onIncomeDanmu(message) {
                if (!checkDanmaku(checklist, message.raw, text, server.senderName)) {
                    return;
                }
                // The library's own parse of the same fields.
                const { content, user } = message.body;
                if (content !== text || user.uname !== server.senderName) {
                    checklist.fail(new Error('blive-message-listener parsed our DANMU_MSG as ' +
                        JSON.stringify({ content, uname: user.uname })));
                    return;
                }
                checklist.met(expected.danmaku);
            },
            onUserAction(message) {
                if (message.body.action === 'enter' && message.raw?.data?.msg_type === 1) {
                    checklist.met(expected.enter);
                }
            },
            onRankCountChange(message) {
                if (typeof message.body.count === 'number') {
                    checklist.met(expected.rank);
                }
            },
        }, { ws: { url: { host: HOST, port: server.tcpPort } } });
        listener.live.on('msg', (packet) => checklist.saw(String(packet?.data?.cmd)));
        listener.live.on('error', (error) => {
            checklist.fail(new Error(`tiny-bilibili-ws error: ${error?.message ?? error}`));
        });
        t.after(() => {
            // KeepLiveTCP reconnects on close and its close() does nothing before auth; turn
            // reconnecting off and drop the socket so the test process can exit.
            listener.live.options.keepalive = false;
            listener.live.tcpSocket?.destroy();
            companion?.socket.destroy();
        });

        await checklist.wait('blive-message-listener', server.timeoutMs);
    });
