// Where the server is and how to talk to it over HTTP, for the browser tests. run.sh starts
// `barrage serve` and sets:
//   BARRAGE_HTTP_PORT       the HTTP port (pages, API and the WebSocket /sub)
//   BARRAGE_HOST_TOKEN      room 1's host (uid 1)
//   BARRAGE_ADMIN_TOKEN     an admin (uid 10), to grant coins
//   BARRAGE_VIEWER_TOKEN    alice (uid 3), a viewer
//   BARRAGE_XSS_NAME_TOKEN  a viewer (uid 4) whose name is an XSS payload
//   BARRAGE_MUTED_TOKEN     bob (uid 5), a viewer the moderation test mutes
//   BARRAGE_BINARY          the barrage binary (for `barrage bench`)

import { randomBytes } from 'node:crypto';

export const HOST = '127.0.0.1';
export const ROOM = 1;

export function required(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set: run tests/browser/run.sh (it starts the server and sets it)`);
    }
    return value;
}

export function baseUrl() {
    return `http://${HOST}:${required('BARRAGE_HTTP_PORT')}`;
}

export const tokens = {
    get host() { return required('BARRAGE_HOST_TOKEN'); },
    get admin() { return required('BARRAGE_ADMIN_TOKEN'); },
    get viewer() { return required('BARRAGE_VIEWER_TOKEN'); },
    get xssName() { return required('BARRAGE_XSS_NAME_TOKEN'); },
    get muted() { return required('BARRAGE_MUTED_TOKEN'); },
};

// A text no other test sends, so a test finds its own message.
export function uniqueText(prefix) {
    return `${prefix}-${randomBytes(4).toString('hex')}`;
}

// Calls the API as `token`; throws unless the envelope says code 0, naming the route and the
// answer, so a refused request fails the test where it was made.
export async function api(path, body, token, method = 'POST') {
    const response = await fetch(`${baseUrl()}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let envelope;
    try {
        envelope = JSON.parse(text);
    } catch {
        throw new Error(`${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    }
    if (!response.ok || envelope.code !== 0) {
        throw new Error(`${method} ${path}: HTTP ${response.status}: ${text.slice(0, 300)}`);
    }
    return envelope.data;
}
