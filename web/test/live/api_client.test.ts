// The HTTP API client against a fake fetch: routes, bodies, the token, the envelope, error
// mapping, and a paid action's request_id kept across a retry.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApiClient, isRetryable, parseEnvelope, type FetchLike, type RequestLike, type ResponseLike } from "../../src/live/api_client.js";
import { PaidAction } from "../../src/live/paid_action.js";

interface Call {
    readonly url: string;
    readonly init: RequestLike;
    readonly json: unknown;
}

// A fetch that records each call and answers from a queue (a thrown Error = a network error).
function fakeFetch(answers: (ResponseLike | Error)[]): { fetch: FetchLike; calls: Call[] } {
    const calls: Call[] = [];
    const fetch: FetchLike = async (url, init) => {
        calls.push({ url, init, json: init.body === undefined ? undefined : JSON.parse(init.body) });
        const answer = answers.shift();
        if (answer === undefined) {
            throw new Error("no answer queued");
        }
        if (answer instanceof Error) {
            throw answer;
        }
        return answer;
    };
    return { fetch, calls };
}

function answer(status: number, body: unknown): ResponseLike {
    return { status, text: async () => (typeof body === "string" ? body : JSON.stringify(body)) };
}

const ok = (data: unknown) => answer(200, { code: 0, message: "ok", data });

describe("requests", () => {
    test("the token goes as Authorization: Bearer, the body as JSON, to the documented route", async () => {
        const { fetch, calls } = fakeFetch([ok({ seq: 9 })]);
        const api = new ApiClient({ baseUrl: "https://barrage.test", token: "tok" }, fetch);
        const result = await api.sendDanmaku(7, { msg: "hello", mode: 4 });
        assert.deepEqual(result, { ok: true, data: { seq: 9 } });
        assert.equal(calls[0]?.url, "https://barrage.test/api/v1/rooms/7/danmaku");
        assert.equal(calls[0]?.init.method, "POST");
        assert.equal(calls[0]?.init.headers["Authorization"], "Bearer tok");
        assert.equal(calls[0]?.init.headers["Content-Type"], "application/json");
        assert.deepEqual(calls[0]?.json, { msg: "hello", mode: 4 });
    });

    test("anonymous calls carry no Authorization; GETs carry no body; queries are encoded", async () => {
        const { fetch, calls } = fakeFetch([ok([]), ok({ room: 7, period: "day", entries: [] }), ok({}), ok({})]);
        const api = new ApiClient({ baseUrl: "" }, fetch);
        await api.gifts();
        await api.leaderboard(7, { period: "day", limit: 10 });
        await api.wallet({ before: 55 });
        await api.room(7);
        assert.deepEqual(
            calls.map((call) => `${call.init.method} ${call.url}`),
            ["GET /api/v1/gifts", "GET /api/v1/rooms/7/leaderboard?period=day&limit=10", "GET /api/v1/wallet?before=55", "GET /api/v1/rooms/7"],
        );
        assert.ok(calls.every((call) => !("Authorization" in call.init.headers) && call.init.body === undefined));
    });

    test("likes, super chats and guards go to their routes with their bodies", async () => {
        const { fetch, calls } = fakeFetch([ok({ accepted: 3, capped: 0, click_count: 10 }), ok({}), ok({})]);
        const api = new ApiClient({ baseUrl: "", token: "t" }, fetch);
        await api.sendLikes(7, 3);
        await api.sendSuperChat(7, PaidAction.withId("sc-1", { price_yuan: 30, message: "hi" }));
        await api.buyGuard(7, PaidAction.withId("g-1", { level: 3, months: 1 }));
        assert.deepEqual(
            calls.map((call) => [call.url, call.json]),
            [
                ["/api/v1/rooms/7/likes", { count: 3 }],
                ["/api/v1/rooms/7/super-chats", { price_yuan: 30, message: "hi", request_id: "sc-1" }],
                ["/api/v1/rooms/7/guards", { level: 3, months: 1, request_id: "g-1" }],
            ],
        );
    });
});

describe("errors", () => {
    test("a refusal maps to its code, message, HTTP status and data", async () => {
        const { fetch } = fakeFetch([answer(403, { code: 3100, message: "muted until ...", data: { until_ms: 5, reason: "spam" } })]);
        const result = await new ApiClient({ baseUrl: "", token: "t" }, fetch).sendDanmaku(7, { msg: "x" });
        assert.deepEqual(result, {
            ok: false,
            error: { kind: "api", code: 3100, message: "muted until ...", status: 403, data: { until_ms: 5, reason: "spam" } },
        });
    });

    test("no answer is a network error; a non-envelope answer is bad_answer", async () => {
        const { fetch } = fakeFetch([new TypeError("Failed to fetch"), answer(502, "<html>Bad Gateway</html>"), answer(200, { data: 1 })]);
        const api = new ApiClient({ baseUrl: "" }, fetch);
        assert.deepEqual(await api.gifts(), { ok: false, error: { kind: "network", message: "Failed to fetch" } });
        assert.deepEqual(await api.gifts(), { ok: false, error: { kind: "bad_answer", status: 502, message: "not JSON (HTTP 502)" } });
        assert.deepEqual(await api.gifts(), { ok: false, error: { kind: "bad_answer", status: 200, message: "no code in the answer (HTTP 200)" } });
    });

    test("code 0 with an error status is not a success", () => {
        const result = parseEnvelope(500, JSON.stringify({ code: 0, message: "ok" }));
        assert.equal(result.ok, false);
    });

    test("retryable: network, 6011, 5001, 3002 and 5xx non-answers; not 6000 or 6001", () => {
        assert.equal(isRetryable({ kind: "network", message: "" }), true);
        assert.equal(isRetryable({ kind: "bad_answer", status: 502, message: "" }), true);
        assert.equal(isRetryable({ kind: "bad_answer", status: 404, message: "" }), false);
        for (const [code, retryable] of [[6011, true], [5001, true], [3002, true], [6000, false], [6001, false], [2002, false]] as const) {
            assert.equal(isRetryable({ kind: "api", code, message: "", status: 400, data: undefined }), retryable, `code ${code}`);
        }
    });
});

describe("paid actions", () => {
    test("a retry after a network error sends the same request_id and body; a new action a new id", async () => {
        const receipt = { order_id: 3, replayed: true, balance: 90, seq: 12, gift_number: 1, combo_id: "c", combo_count: 1, total: 1 };
        const { fetch, calls } = fakeFetch([new TypeError("network down"), ok(receipt), ok({ ...receipt, replayed: false })]);
        const api = new ApiClient({ baseUrl: "", token: "t" }, fetch);
        const click = PaidAction.create({ gift_id: 1, count: 1 });
        const first = await api.sendGift(7, click);
        assert.equal(first.ok, false);
        assert.ok(!first.ok && isRetryable(first.error));
        const retry = await api.sendGift(7, click);
        assert.deepEqual(retry, { ok: true, data: receipt });
        assert.equal(click.attempts(), 2);
        const nextClick = PaidAction.create({ gift_id: 1, count: 1 });
        await api.sendGift(7, nextClick);
        const ids = calls.map((call) => (call.json as { request_id: string }).request_id);
        assert.equal(ids[0], click.requestId);
        assert.equal(ids[1], click.requestId);
        assert.notEqual(ids[2], click.requestId);
        assert.deepEqual(calls[0]?.json, calls[1]?.json, "the retry's body is identical");
        assert.equal(calls[0]?.url, "/api/v1/rooms/7/gifts");
    });

    test("request ids follow the server's rule and the body cannot change under the id", () => {
        const action = PaidAction.create({ gift_id: 1, count: 1 });
        assert.match(action.requestId, /^[A-Za-z0-9_\-:.]{1,64}$/);
        assert.ok(Object.isFrozen(action.body));
        assert.throws(() => PaidAction.withId("has space", { gift_id: 1 }), RangeError);
        assert.throws(() => PaidAction.withId("x".repeat(65), { gift_id: 1 }), RangeError);
        const ids = new Set(Array.from({ length: 100 }, () => PaidAction.create({}).requestId));
        assert.equal(ids.size, 100);
    });

    test("a paid danmaku carries its request_id", async () => {
        const { fetch, calls } = fakeFetch([ok({ seq: 4 })]);
        await new ApiClient({ baseUrl: "", token: "t" }, fetch).sendPaidDanmaku(7, PaidAction.withId("d-1", { msg: "paid" }));
        assert.deepEqual(calls[0]?.json, { msg: "paid", request_id: "d-1" });
    });
});

test("walletBalance reads the wallet's balance with one row", async () => {
    const { fetch, calls } = fakeFetch([ok({ uid: 1, balance: 1234, entries: [] }), answer(401, { code: 2000, message: "authentication required" })]);
    const api = new ApiClient({ baseUrl: "", token: "t" }, fetch);
    assert.deepEqual(await api.walletBalance(), { ok: true, data: 1234 });
    assert.equal(calls[0]?.url, "/api/v1/wallet?limit=1");
    const refused = await api.walletBalance();
    assert.ok(!refused.ok && refused.error.kind === "api" && refused.error.code === 2000 && refused.error.status === 401);
});
