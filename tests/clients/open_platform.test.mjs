// A game written for Bilibili's live open platform, with only its base URL changed: a signed
// /v2/app/start made with Node's crypto and fetch (as the official demos sign it), then
// bilibili-live-ws@6.3.1 on websocket_info.wss_link[0] with the parsed auth_body. The room's
// danmaku, gift, super chat, guard and likes (once the host is live) arrive as
// LIVE_OPEN_PLATFORM_* cmds; /v2/app/end sends
// LIVE_OPEN_PLATFORM_INTERACTION_END. Every refusal a game meets gets Bilibili's code.
//
// Set by run.sh: BARRAGE_OPEN_APP_ID, BARRAGE_OPEN_KEY_ID, BARRAGE_OPEN_SECRET, BARRAGE_OPEN_CODE
// (an approved app and room 1's identity code), BARRAGE_ADMIN_TOKEN, BARRAGE_VIEWER_TOKEN,
// BARRAGE_HOST_TOKEN.
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { LiveWS } from 'bilibili-live-ws';

import { Checklist, HOST, TEST_TIMEOUT_MS, failOnUncaught, serverFromEnv, uniqueText } from './harness.mjs';

function env(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set (tests/clients/run.sh sets it)`);
    }
    return value;
}

const app = {
    id: Number(env('BARRAGE_OPEN_APP_ID')),
    keyId: env('BARRAGE_OPEN_KEY_ID'),
    secret: env('BARRAGE_OPEN_SECRET'),
    code: env('BARRAGE_OPEN_CODE'),
};

// The v1.0 signature: the six x-bili-* headers sorted by name, "name:value" joined by "\n",
// HMAC-SHA256 under the secret, lowercase hex in Authorization.
function signedHeaders(body, { secret = app.secret, timestamp, nonce, md5 } = {}) {
    const headers = {
        'x-bili-accesskeyid': app.keyId,
        'x-bili-content-md5': md5 ?? createHash('md5').update(body).digest('hex'),
        'x-bili-signature-method': 'HMAC-SHA256',
        'x-bili-signature-nonce': nonce ?? randomBytes(12).toString('hex'),
        'x-bili-signature-version': '1.0',
        'x-bili-timestamp': String(timestamp ?? Math.floor(Date.now() / 1000)),
    };
    const canonical = Object.keys(headers).sort().map((name) => `${name}:${headers[name]}`).join('\n');
    return {
        ...headers,
        Authorization: createHmac('sha256', secret).update(canonical).digest('hex'),
        'Content-Type': 'application/json',
        Accept: 'application/json',
    };
}

async function call(server, path, body, headers = signedHeaders(body)) {
    const response = await fetch(`http://${HOST}:${server.httpPort}${path}`, { method: 'POST', headers, body });
    assert.equal(response.status, 200, `${path} answers HTTP 200 always`);
    const answer = await response.json();
    assert.equal(typeof answer.request_id, 'string');
    return answer;
}

async function api(server, path, body, token, method = 'POST') {
    const response = await fetch(`http://${HOST}:${server.httpPort}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (answer.code !== 0) {
        throw new Error(`${method} ${path} answered ${JSON.stringify(answer)}`);
    }
    return answer.data;
}

test('refused calls get the codes Bilibili gives', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = serverFromEnv();
    const beat = JSON.stringify({ game_id: 'no-such-game' });
    assert.equal((await call(server, '/v2/app/heartbeat', beat)).code, 7003);
    const once = signedHeaders(beat);
    await call(server, '/v2/app/heartbeat', beat, once);
    assert.equal((await call(server, '/v2/app/heartbeat', beat, once)).code, 4004, 'replayed nonce');
    const stale = signedHeaders(beat, { timestamp: Math.floor(Date.now() / 1000) - 700 });
    assert.equal((await call(server, '/v2/app/heartbeat', beat, stale)).code, 4003, 'stale timestamp');
    const wrongMd5 = signedHeaders(beat, { md5: createHash('md5').update('other').digest('hex') });
    assert.equal((await call(server, '/v2/app/heartbeat', beat, wrongMd5)).code, 4012, 'body MD5 mismatch');
    const forged = signedHeaders(beat, { secret: 'not the secret' });
    assert.equal((await call(server, '/v2/app/heartbeat', beat, forged)).code, 4002, 'bad signature');
    const wrongCode = JSON.stringify({ code: 'ZZZZZZZZZZZZZZ', app_id: app.id });
    assert.equal((await call(server, '/v2/app/start', wrongCode)).code, 7007, 'wrong identity code');
    const stringId = JSON.stringify({ code: app.code, app_id: String(app.id) });
    assert.equal((await call(server, '/v2/app/start', stringId)).code, -400, 'string app_id');
});

test('bilibili-live-ws on wss_link receives the room as an interactive game',
    { timeout: TEST_TIMEOUT_MS }, async (t) => {
        const server = serverFromEnv();
        const viewer = env('BARRAGE_VIEWER_TOKEN');
        const admin = env('BARRAGE_ADMIN_TOKEN');
        const host = env('BARRAGE_HOST_TOKEN');
        // blivedm sends its JSON with spaces; the MD5 is of the bytes sent.
        const start = await call(server, '/v2/app/start', `{"code": "${app.code}", "app_id": ${app.id}}`);
        assert.equal(start.code, 0, JSON.stringify(start));
        assert.equal(start.message, '0');
        const gameId = start.data.game_info.game_id;
        const authBody = JSON.parse(start.data.websocket_info.auth_body);
        assert.equal(authBody.group, 'open');
        assert.equal(start.data.anchor_info.uid, 0);

        const text = uniqueText('attack');
        const expected = {
            live: 'auth reply ("live" event)',
            dm: `LIVE_OPEN_PLATFORM_DM "${text}" with open_id and uid 0`,
            gift: 'LIVE_OPEN_PLATFORM_SEND_GIFT with gift_num 2 and anchor_info',
            superChat: 'LIVE_OPEN_PLATFORM_SUPER_CHAT with rmb 30',
            guard: 'LIVE_OPEN_PLATFORM_GUARD with user_info.open_id',
            like: 'LIVE_OPEN_PLATFORM_LIKE with like_count 7 (3 + 4 taps summed over 2 s)',
            end: `LIVE_OPEN_PLATFORM_INTERACTION_END for ${gameId}`,
        };
        const checklist = new Checklist(Object.values(expected));
        t.after(failOnUncaught(checklist, 'LiveWS (open platform)'));

        const game = new LiveWS(authBody.roomid, { address: start.data.websocket_info.wss_link[0], authBody });
        t.after(() => {
            game.closed = true;
            game.ws.ws.terminate();
        });
        game.on('error', (error) => checklist.fail(new Error(`LiveWS error: ${error?.message ?? 'no detail'}`)));
        game.on('msg', (data) => checklist.saw(String(data?.cmd)));
        const openId = { dm: null };
        // The game is ended once the guard and the like have both arrived: the end must be the
        // last thing it hears.
        const heard = { guard: false, like: false };
        const endWhenHeard = () => {
            if (heard.guard && heard.like) {
                call(server, '/v2/app/end', JSON.stringify({ app_id: app.id, game_id: gameId }))
                    .then((answer) => assert.equal(answer.code, 0))
                    .catch((error) => checklist.fail(error));
            }
        };
        game.on('live', () => {
            checklist.met(expected.live);
            (async () => {
                // Likes reach games only while the host is live.
                await api(server, `/api/v1/rooms/${authBody.roomid}/live`, { live: true }, host, 'PUT');
                await api(server, `/api/v1/rooms/${authBody.roomid}/likes`, { count: 3 }, viewer);
                await api(server, `/api/v1/rooms/${authBody.roomid}/likes`, { count: 4 }, viewer);
                await api(server, '/api/v1/admin/grants',
                    { uid: 3, coins: 1_000_000, reason: 'npm open test', request_id: uniqueText('grant') }, admin);
                await api(server, `/api/v1/rooms/${authBody.roomid}/danmaku`, { msg: text }, viewer);
                await api(server, `/api/v1/rooms/${authBody.roomid}/gifts`,
                    { gift_id: 3, count: 2, request_id: uniqueText('gift') }, viewer);
                await api(server, `/api/v1/rooms/${authBody.roomid}/super-chats`,
                    { price_yuan: 30, message: 'gg', request_id: uniqueText('sc') }, viewer);
                await api(server, `/api/v1/rooms/${authBody.roomid}/guards`,
                    { level: 3, months: 1, request_id: uniqueText('guard') }, viewer);
            })().catch((error) => checklist.fail(error));
        });
        game.on('LIVE_OPEN_PLATFORM_DM', ({ data }) => {
            if (data.msg === text && data.uid === 0 && /^[0-9a-f]{32}$/.test(data.open_id)) {
                openId.dm = data.open_id;
                checklist.met(expected.dm);
            }
        });
        game.on('LIVE_OPEN_PLATFORM_SEND_GIFT', ({ data }) => {
            if (data.gift_num === 2 && data.anchor_info?.open_id === start.data.anchor_info.open_id) {
                checklist.met(expected.gift);
            }
        });
        game.on('LIVE_OPEN_PLATFORM_SUPER_CHAT', ({ data }) => {
            if (data.rmb === 30 && data.message === 'gg') {
                checklist.met(expected.superChat);
            }
        });
        game.on('LIVE_OPEN_PLATFORM_GUARD', ({ data }) => {
            if (data.guard_level === 3 && data.user_info?.open_id === openId.dm) {
                checklist.met(expected.guard);
                heard.guard = true;
                endWhenHeard();
            }
        });
        game.on('LIVE_OPEN_PLATFORM_LIKE', ({ data }) => {
            if (data.like_count === 7 && data.uid === 0 && /^[0-9a-f]{32}$/.test(data.open_id) &&
                data.room_id === authBody.roomid && typeof data.like_text === 'string') {
                checklist.met(expected.like);
                heard.like = true;
                endWhenHeard();
            }
        });
        game.on('LIVE_OPEN_PLATFORM_INTERACTION_END', ({ data }) => {
            if (data.game_id === gameId) {
                checklist.met(expected.end);
            }
        });
        await checklist.wait('LiveWS (open platform)', TEST_TIMEOUT_MS - 5000);
    });
