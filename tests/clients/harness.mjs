// Shared set-up for the real-client tests: where the server is, how to send a danmaku, and a
// checklist of things a client must receive within a deadline.
//
// The server is started by the caller (ctest), which sets:
//   BARRAGE_HTTP_PORT   HTTP API port; also the WebSocket port (/sub) unless BARRAGE_WS_PORT
//   BARRAGE_TCP_PORT    raw TCP broadcast port
//   BARRAGE_HOST_TOKEN  a bearer token allowed to send danmaku in the room
// Optional: BARRAGE_WS_PORT, BARRAGE_ROOM (default 1), BARRAGE_HOST_NAME (default: the token's
// "name" claim), BARRAGE_CLIENT_TIMEOUT_MS (default 15000).

import { randomBytes } from 'node:crypto';

import { LiveTCP } from 'bilibili-live-ws';

export const HOST = '127.0.0.1';

function required(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set: start \`barrage serve\` and export ${name} ` +
            '(see tests/clients/harness.mjs)');
    }
    return value;
}

function port(name, fallback) {
    const text = process.env[name] ?? fallback ?? required(name);
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0 || value > 65535) {
        throw new Error(`${name}=${text} is not a port number`);
    }
    return value;
}

// Reads the environment; throws with the missing variable's name.
export function serverFromEnv() {
    const httpPort = port('BARRAGE_HTTP_PORT');
    const token = required('BARRAGE_HOST_TOKEN');
    return {
        httpPort,
        wsPort: port('BARRAGE_WS_PORT', String(httpPort)),
        tcpPort: port('BARRAGE_TCP_PORT'),
        token,
        room: Number(process.env.BARRAGE_ROOM ?? 1),
        senderName: process.env.BARRAGE_HOST_NAME ?? nameClaim(token),
        timeoutMs: Number(process.env.BARRAGE_CLIENT_TIMEOUT_MS ?? 15000),
    };
}

// The "name" claim of a JWT, read without verifying: it is what the server shows as sender.
function nameClaim(token) {
    const parts = token.split('.');
    if (parts.length !== 3) {
        throw new Error('BARRAGE_HOST_TOKEN is not a JWT (three dot-separated parts)');
    }
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof claims.name !== 'string') {
        throw new Error('BARRAGE_HOST_TOKEN has no string "name" claim; set BARRAGE_HOST_NAME');
    }
    return claims.name;
}

// A text no other test (or earlier run) sends, so a match proves this send arrived.
export function uniqueText(prefix = 'hello') {
    return `${prefix}-${randomBytes(6).toString('hex')}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// POSTs a danmaku as the host. The test files run in parallel with one token, so a
// rate-limited answer (HTTP 429 or code 3002) is retried a few times; anything else that is not
// 2xx throws with the status and body.
export async function postDanmaku(server, text) {
    const url = `http://${HOST}:${server.httpPort}/api/v1/rooms/${server.room}/danmaku`;
    for (let attempt = 1; ; ++attempt) {
        const response = await fetch(url, {
            method: 'POST',
            headers: {
                Authorization: `Bearer ${server.token}`,
                'Content-Type': 'application/json',
            },
            body: JSON.stringify({ msg: text }),
        });
        const body = await response.text();
        if (response.ok) {
            return body;
        }
        const rateLimited = response.status === 429 || /"code"\s*:\s*3002\b/.test(body);
        if (!rateLimited || attempt === 4) {
            throw new Error(`POST ${url} answered ${response.status}: ${body}`);
        }
        await sleep(1100);
    }
}

// A checklist of named things that must happen before a deadline. `met(name)` ticks one off;
// `fail(error)` ends the wait at once (a wrong value is better reported than timed out);
// `saw(what)` keeps a short log of what did arrive, for the failure message.
export class Checklist {
    constructor(names) {
        this.pending = new Set(names);
        this.seen = new Map();
        this.finished = new Promise((resolve, reject) => {
            this.resolve = resolve;
            this.reject = reject;
        });
        if (this.pending.size === 0) {
            this.resolve();
        }
    }

    met(name) {
        if (this.pending.delete(name) && this.pending.size === 0) {
            this.resolve();
        }
    }

    fail(error) {
        this.reject(error instanceof Error ? error : new Error(String(error)));
    }

    saw(what) {
        this.seen.set(what, (this.seen.get(what) ?? 0) + 1);
    }

    async wait(client, timeoutMs) {
        let timer;
        const deadline = new Promise((_, reject) => {
            timer = setTimeout(() => {
                const seen = [...this.seen].map(([what, count]) => `${what} x${count}`);
                reject(new Error(`${client}: within ${timeoutMs} ms did not receive: ` +
                    `${[...this.pending].join('; ')}. Received: ${seen.join(', ') || 'nothing'}`));
            }, timeoutMs);
        });
        try {
            await Promise.race([this.finished, deadline]);
        } finally {
            clearTimeout(timer);
        }
    }
}

// Checks one DANMU_MSG body against the text we sent: info[1] is the text, info[2][1] the
// sender's name. Returns true on our danmaku, false on someone else's; fails the checklist when
// our text arrives with the wrong sender.
export function checkDanmaku(checklist, data, text, senderName) {
    const info = data?.info;
    if (!Array.isArray(info) || info[1] !== text) {
        return false;
    }
    const name = Array.isArray(info[2]) ? info[2][1] : undefined;
    if (name !== senderName) {
        checklist.fail(new Error(`DANMU_MSG "${text}" arrived with sender ` +
            `${JSON.stringify(name)} in info[2][1], expected ${JSON.stringify(senderName)}`));
        return false;
    }
    return true;
}

// An INTERACT_WORD enter (msg_type 1) is sent for signed-in users. This opens a second,
// signed-in connection (bilibili-live-ws LiveTCP with the token as "key") so the client under
// test sees one even when it is anonymous itself. Resolves once that connection is live.
export function openCompanion(server) {
    const companion = new LiveTCP(server.room, {
        host: HOST,
        port: server.tcpPort,
        protover: 2,
        key: server.token,
    });
    companion.on('error', () => {});
    const live = new Promise((resolve, reject) => {
        companion.once('live', resolve);
        companion.once('close', () => reject(new Error('companion connection closed before auth')));
    });
    live.catch(() => {});
    return { companion, live };
}

// Errors thrown inside a client library's message handlers surface as unhandled rejections or
// exceptions (for example a parser reading a DANMU_MSG field we did not send). Routes them to
// the checklist so the failure names the cause instead of timing out. Returns the remover.
export function failOnUncaught(checklist, client) {
    const onError = (error) => {
        const detail = error?.stack ?? String(error);
        checklist.fail(new Error(`${client} threw while handling a packet: ${detail}`));
    };
    process.on('unhandledRejection', onError);
    process.on('uncaughtException', onError);
    return () => {
        process.off('unhandledRejection', onError);
        process.off('uncaughtException', onError);
    };
}

// The per-test deadline node:test enforces: the checklist's own deadline plus time to clean up,
// so the checklist's message (which names what is missing) is the one reported.
export const TEST_TIMEOUT_MS = Number(process.env.BARRAGE_CLIENT_TIMEOUT_MS ?? 15000) + 5000;
