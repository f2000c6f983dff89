// bilibili-live-ws@6.3.1 hears moderation as Bilibili's live servers send it: ROOM_BLOCK_MSG when
// the host mutes a viewer (root uid as a string and uname; data uid, uname, operator) and
// ROOM_SILENT_ON / ROOM_SILENT_OFF around a room mute (data type, level, second).
import { test } from 'node:test';

import { LiveWS } from 'bilibili-live-ws';

import { Checklist, HOST, TEST_TIMEOUT_MS, failOnUncaught, serverFromEnv } from './harness.mjs';

const MUTED_UID = 3;  // alice, as run.sh mints her token

async function call(server, method, path, body) {
    const response = await fetch(`http://${HOST}:${server.httpPort}${path}`, {
        method,
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (answer.code !== 0) {
        throw new Error(`${method} ${path} answered ${JSON.stringify(answer)}`);
    }
    return answer.data;
}

test('LiveWS sees ROOM_BLOCK_MSG and ROOM_SILENT_ON/OFF with the fields it reads', { timeout: TEST_TIMEOUT_MS },
    async (t) => {
        const server = serverFromEnv();
        const expected = {
            block: `ROOM_BLOCK_MSG naming uid ${MUTED_UID} (root uid "${MUTED_UID}", data.uid, data.uname, data.operator 2)`,
            silentOn: 'ROOM_SILENT_ON with data.type "member", data.level 0 and data.second the end in Unix seconds',
            silentOff: 'ROOM_SILENT_OFF',
        };
        const checklist = new Checklist(Object.values(expected));
        t.after(failOnUncaught(checklist, 'LiveWS'));
        const address = `ws://${HOST}:${server.wsPort}/sub`;
        const live = new LiveWS(server.room, { address, protover: 3 });
        t.after(async () => {
            live.closed = true;
            live.ws.ws.terminate();
            // Leave the room as it was for any later test.
            await call(server, 'DELETE', `/api/v1/rooms/${server.room}/mutes/${MUTED_UID}`).catch(() => {});
            await call(server, 'DELETE', `/api/v1/rooms/${server.room}/room-mute`).catch(() => {});
        });
        live.on('error', (error) => checklist.fail(new Error(`LiveWS error: ${error?.message ?? 'no detail'}`)));
        live.on('msg', (data) => checklist.saw(String(data?.cmd)));
        live.on('live', () => {
            call(server, 'POST', `/api/v1/rooms/${server.room}/mutes`, { uid: MUTED_UID, for_s: 600, reason: 'npm test' })
                .then(() => call(server, 'PUT', `/api/v1/rooms/${server.room}/room-mute`, { for_s: 60 }))
                .catch((error) => checklist.fail(error));
        });
        live.on('ROOM_BLOCK_MSG', (data) => {
            if (data?.uid === String(MUTED_UID) && data?.data?.uid === MUTED_UID &&
                typeof data?.data?.uname === 'string' && typeof data?.uname === 'string' &&
                data?.data?.operator === 2) {
                checklist.met(expected.block);
            }
        });
        live.on('ROOM_SILENT_ON', (data) => {
            const silent = data?.data;
            if (silent?.type === 'member' && silent?.level === 0 && typeof silent?.second === 'number' &&
                silent.second > Date.now() / 1000) {
                checklist.met(expected.silentOn);
                call(server, 'DELETE', `/api/v1/rooms/${server.room}/room-mute`).catch((error) => checklist.fail(error));
            }
        });
        live.on('ROOM_SILENT_OFF', () => checklist.met(expected.silentOff));
        await checklist.wait('LiveWS (moderation)', server.timeoutMs);
    });
