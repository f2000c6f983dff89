// The developer console's calls and pure helpers: routes and bodies as docs/protocol.md says,
// the debug form's validation, the statistics table and its "no route" case.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiClient, type FetchLike, type RequestLike } from "../../src/live/api_client.js";
import {
    DeveloperApi,
    debugRequest,
    describeError,
    kEmptyDebugForm,
    mayEdit,
    perMilleText,
    maySubmit,
    statsRows,
    statsUnavailable,
    type AppStats,
} from "../../src/developer/developer_api.js";

interface Call {
    url: string;
    init: RequestLike;
}

function fakeApi(status: number, body: string): { developer: DeveloperApi; calls: Call[] } {
    const calls: Call[] = [];
    const fetch: FetchLike = async (url, init) => {
        calls.push({ url, init });
        return { status, text: async () => body };
    };
    return { developer: new DeveloperApi(new ApiClient({ baseUrl: "", token: "t" }, fetch)), calls };
}

test("routes and methods are the documented ones", async () => {
    const { developer, calls } = fakeApi(200, '{"code":0,"message":"0","data":{}}');
    await developer.apps();
    await developer.createApp({ name: "game" });
    await developer.editApp(7, { name: "game 2", description: "d" });
    await developer.submitApp(7);
    await developer.rotateSecret(7);
    await developer.addTestRoom(7, 1);
    await developer.removeTestRoom(7, 1);
    await developer.audit(7);
    await developer.debug(7, 1, { kind: "danmaku", text: "hi" });
    await developer.gifts(7);
    await developer.createGift(7, { name: "crystal", price: 100, asset_id: 1 });
    await developer.submitGift(7, 1_000_000_001);
    await developer.assets();
    await developer.stats(7);
    await developer.share(7);
    assert.deepEqual(
        calls.map((call) => `${call.init.method} ${call.url}`),
        [
            "GET /api/v1/open/apps",
            "POST /api/v1/open/apps",
            "PUT /api/v1/open/apps/7",
            "POST /api/v1/open/apps/7/submit",
            "POST /api/v1/open/apps/7/rotate",
            "PUT /api/v1/open/apps/7/whitelist/1",
            "DELETE /api/v1/open/apps/7/whitelist/1",
            "GET /api/v1/open/apps/7/audit?limit=20",
            "POST /api/v1/open/apps/7/debug/1",
            "GET /api/v1/open/apps/7/gifts",
            "POST /api/v1/open/apps/7/gifts",
            "POST /api/v1/open/apps/7/gifts/1000000001/submit",
            "GET /api/v1/open/assets",
            "GET /api/v1/open/apps/7/stats",
            "GET /api/v1/open/apps/7/share",
        ],
    );
    assert.equal(calls[8]!.init.body, '{"kind":"danmaku","text":"hi"}');
    assert.equal(calls[0]!.init.headers["Authorization"], "Bearer t");
});

test("a 404 without code 9000 means no statistics route; a missing app does not", async () => {
    const missingRoute = await fakeApi(404, '{"code":1009,"message":"not found","data":null}').developer.stats(7);
    assert.equal(statsUnavailable(missingRoute), true);
    const htmlPage = await fakeApi(404, "<html>nope</html>").developer.stats(7);
    assert.equal(statsUnavailable(htmlPage), true);
    const missingApp = await fakeApi(404, '{"code":9000,"message":"no such app","data":null}').developer.stats(7);
    assert.equal(statsUnavailable(missingApp), false);
    assert.equal(statsUnavailable({ ok: true, data: { app_id: 7, since_ms: 0, endpoints: [] } }), false);
    assert.ok(!missingApp.ok && describeError(missingApp.error).includes("9000"));
});

test("the debug form builds each kind's body", () => {
    const form = { ...kEmptyDebugForm, room: "1" };
    assert.deepEqual(debugRequest({ ...form, text: "hello <b>" }), { ok: true, value: { room: 1, body: { kind: "danmaku", text: "hello <b>" } } });
    assert.deepEqual(debugRequest({ ...form, kind: "super_chat", text: "sc", price: "30", uname: "bob" }), {
        ok: true,
        value: { room: 1, body: { kind: "super_chat", text: "sc", price_yuan: 30, uname: "bob" } },
    });
    assert.deepEqual(debugRequest({ ...form, kind: "gift", giftId: "1000000001", giftName: "能量水晶", count: "5", interactive: true }), {
        ok: true,
        value: { room: 1, body: { kind: "gift", gift_id: 1_000_000_001, gift_name: "能量水晶", count: 5, interactive: true } },
    });
    assert.deepEqual(debugRequest({ ...form, kind: "guard", level: "1", count: "" }), { ok: true, value: { room: 1, body: { kind: "guard", level: 1 } } });
    assert.deepEqual(debugRequest({ ...form, kind: "like", count: "20" }), { ok: true, value: { room: 1, body: { kind: "like", count: 20 } } });
});

test("the debug form names what is wrong", () => {
    const form = { ...kEmptyDebugForm, room: "1" };
    assert.equal(debugRequest({ ...form, room: "" }).ok, false);
    assert.equal(debugRequest({ ...form, room: "-3" }).ok, false);
    assert.equal(debugRequest({ ...form, text: "  " }).ok, false);
    assert.equal(debugRequest({ ...form, kind: "super_chat", text: "x", price: "0" }).ok, false);
    assert.equal(debugRequest({ ...form, kind: "guard", level: "4" }).ok, false);
    assert.equal(debugRequest({ ...form, kind: "like", count: "1001" }).ok, false);
    const wrong = debugRequest({ ...form, kind: "gift", giftId: "1.5" });
    assert.ok(!wrong.ok && wrong.problem.includes("gift id"));
});

test("statistics rows: busiest first, error rate and codes, rounded times", () => {
    const stats: AppStats = {
        app_id: 7,
        since_ms: 0,
        endpoints: [
            { endpoint: "/v2/app/heartbeat", calls: 0, errors: {}, p50_ms: 0, p99_ms: 0 },
            { endpoint: "/v2/app/start", calls: 8, errors: { "7003": 1, "4002": 3 }, p50_ms: 1.234, p99_ms: 250.6 },
        ],
    };
    assert.deepEqual(statsRows(stats), [
        { endpoint: "/v2/app/start", calls: 8, errorCount: 4, errorRate: "50 %", errorCodes: "4002 × 3, 7003 × 1", p50: "1.2 ms", p99: "251 ms" },
        { endpoint: "/v2/app/heartbeat", calls: 0, errorCount: 0, errorRate: "—", errorCodes: "", p50: "0 ms", p99: "0 ms" },
    ]);
});

test("review status decides what the developer may do", () => {
    assert.equal(maySubmit("draft"), true);
    assert.equal(maySubmit("rejected"), true);
    assert.equal(maySubmit("in_review"), false);
    assert.equal(maySubmit("approved"), false);
    assert.equal(mayEdit("in_review"), false);
    assert.equal(mayEdit("approved"), true);
});

test("a share per mille reads as a percentage", () => {
    assert.equal(perMilleText(300), "30 %");
    assert.equal(perMilleText(25), "2.5 %");
    assert.equal(perMilleText(0), "0 %");
});
