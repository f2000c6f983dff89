// The console's typed routes against a fake fetch: methods, paths, bodies, and errors passed on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiClient, type FetchLike, type RequestLike } from "../../src/live/api_client.js";
import { StreamerApi } from "../../src/console/streamer_api.js";

function recording(answer: { status: number; body: unknown }): { fetch: FetchLike; calls: { url: string; init: RequestLike }[] } {
    const calls: { url: string; init: RequestLike }[] = [];
    const fetch: FetchLike = async (url, init) => {
        calls.push({ url, init });
        return { status: answer.status, text: async () => JSON.stringify(answer.body) };
    };
    return { fetch, calls };
}

test("each call goes to its route with its body and the token", async () => {
    const { fetch, calls } = recording({ status: 200, body: { code: 0, message: "ok", data: {} } });
    const console = new StreamerApi(new ApiClient({ baseUrl: "", token: "tok" }, fetch), 7);
    await console.restrict("mutes", { uid: 3, for_s: 600, reason: "spam" });
    await console.restrictions("bans");
    await console.lift("mutes", 3);
    await console.addManager(4);
    await console.removeManager(4);
    await console.setLive({ live: true, title: "hi" });
    await console.setChatModes({ slow_s: 5 });
    await console.setWords([{ pattern: "x", action: "mask", regex: false }]);
    await console.identityCode();
    await console.refreshIdentityCode();
    await console.setBots({});
    await console.earnings({ from: 20260101 });
    assert.deepEqual(
        calls.map((call) => `${call.init.method} ${call.url} ${call.init.body ?? ""}`),
        [
            'POST /api/v1/rooms/7/mutes {"uid":3,"for_s":600,"reason":"spam"}',
            "GET /api/v1/rooms/7/bans ",
            "DELETE /api/v1/rooms/7/mutes/3 ",
            "PUT /api/v1/rooms/7/managers/4 ",
            "DELETE /api/v1/rooms/7/managers/4 ",
            'PUT /api/v1/rooms/7/live {"live":true,"title":"hi"}',
            'PUT /api/v1/rooms/7/chat-modes {"slow_s":5}',
            'PUT /api/v1/rooms/7/words {"entries":[{"pattern":"x","action":"mask","regex":false}]}',
            "GET /api/v1/rooms/7/open/code ",
            "POST /api/v1/rooms/7/open/code/refresh ",
            "PUT /api/v1/rooms/7/bots {}",
            "GET /api/v1/earnings?from=20260101 ",
        ],
    );
    assert.ok(calls.every((call) => call.init.headers["Authorization"] === "Bearer tok"));
});

test("a refusal comes back with its code, message and data", async () => {
    const { fetch } = recording({ status: 400, body: { code: 1000, message: "malformed request body", data: { field: "welcome.text", error: "empty" } } });
    const result = await new StreamerApi(new ApiClient({ baseUrl: "" }, fetch), 1).setBots({ welcome: { text: "" } });
    assert.ok(!result.ok && result.error.kind === "api");
    assert.equal(result.error.code, 1000);
    assert.deepEqual(result.error.data, { field: "welcome.text", error: "empty" });
});
