// The long connection against a fake WebSocket on a fake clock: auth, heartbeats, pushes, op
// 1000 answers, reconnecting with last_seq, dedupe, refusals and bounded memory.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deflateSync } from "node:zlib";
import { concatBytes, encodePacket, Operation, Version } from "../../src/live/packet.js";
import { authReply, danmaku, harness, joined, onlineReply, push, sendReply } from "./fake_socket.js";

function seqs(messages: readonly Record<string, unknown>[]): unknown[] {
    return messages.map((message) => message["seq"]);
}

describe("auth", () => {
    test("sends op 7 first with room, token, protover 2 and the web dialect, and no last_seq", () => {
        const h = harness({ token: "tok" });
        h.connection.start();
        const socket = h.socket();
        assert.equal(socket.url, "ws://barrage.test/sub");
        assert.equal(socket.binaryType, "arraybuffer");
        assert.equal(socket.sent.length, 0);
        socket.open();
        assert.deepEqual(socket.sentOps(), [Operation.auth]);
        assert.equal(socket.sent[0]?.sequence, 1);
        assert.deepEqual(socket.sentJson(Operation.auth), [
            { roomid: 7, uid: 0, protover: 2, platform: "web", type: 2, dialect: "web", key: "tok" },
        ]);
    });

    test("passes the native dialect and protover 0, and sends no key when anonymous", () => {
        const h = harness({ dialect: "native", protover: 0 });
        h.connection.start();
        h.socket().open();
        const [auth] = h.socket().sentJson(Operation.auth);
        assert.equal(auth?.["dialect"], "native");
        assert.equal(auth?.["protover"], 0);
        assert.equal("key" in (auth ?? {}), false);
    });

    test("a given lastSeq is resumed from on the first connect", () => {
        const h = harness({ lastSeq: 41 });
        h.connection.start();
        h.socket().open();
        assert.equal(h.socket().sentJson(Operation.auth)[0]?.["last_seq"], 41);
    });

    test("code 0 joins; states go connecting then joined", async () => {
        const h = harness();
        await joined(h);
        assert.equal(h.connection.state(), "joined");
        assert.deepEqual(h.states, ["connecting", "joined"]);
    });

    test("a bad token (2002) is an error and is never retried", async () => {
        const h = harness({ token: "forged" });
        h.connection.start();
        h.socket().open();
        h.socket().receive(authReply({ code: -101, message: "token signature does not verify", error: 2002 }));
        await h.connection.drained();
        h.socket().serverClose(1000);
        h.clock.advance(3_600_000);
        assert.equal(h.sockets.length, 1);
        assert.equal(h.connection.state(), "closed");
        assert.deepEqual(h.errors, [
            { kind: "auth_refused", code: -101, error: 2002, message: "token signature does not verify", retrying: false },
        ]);
    });

    test("joining too fast (3002) is retried after a backoff", async () => {
        const h = harness();
        h.connection.start();
        h.socket().open();
        h.socket().receive(authReply({ code: -101, error: 3002 }));
        await h.connection.drained();
        assert.equal(h.connection.state(), "waiting");
        h.clock.advance(500);
        assert.equal(h.sockets.length, 2);
    });

    test("no auth reply in time: reconnects", () => {
        const h = harness({ authTimeoutMs: 5000 });
        h.connection.start();
        h.socket().open();
        h.clock.advance(4999);
        assert.equal(h.sockets.length, 1);
        h.clock.advance(1);
        assert.deepEqual(h.errors, [{ kind: "timeout", what: "auth" }]);
        assert.equal(h.sockets[0]?.closed, true);
        h.clock.advance(500);
        assert.equal(h.sockets.length, 2);
    });
});

describe("heartbeats and the online count", () => {
    test("op 2 right after joining and every 30 s", async () => {
        const h = harness();
        const socket = await joined(h);
        assert.deepEqual(socket.sentOps(), [Operation.auth, Operation.heartbeat]);
        for (let i = 0; i < 3; i++) {
            h.clock.advance(29_999);
            socket.receive(onlineReply(10 + i)); // keeps the silence watchdog quiet
            await h.connection.drained();
            assert.equal(socket.sentOps().filter((op) => op === Operation.heartbeat).length, 1 + i);
            h.clock.advance(1);
        }
        assert.equal(socket.sentOps().filter((op) => op === Operation.heartbeat).length, 4);
        assert.deepEqual(h.online, [10, 11, 12]);
    });

    test("silence past the timeout is a dead connection: reconnect", async () => {
        const h = harness({ silenceTimeoutMs: 75_000 });
        await joined(h);
        h.clock.advance(60_000); // heartbeats at 30 s and 60 s: still within 75 s
        assert.equal(h.sockets.length, 1);
        h.clock.advance(30_000); // 90 s: 90 s of silence
        assert.deepEqual(h.errors, [{ kind: "timeout", what: "silence" }]);
        assert.equal(h.connection.state(), "waiting");
    });
});

describe("pushes", () => {
    test("each message of a zlib batch is emitted, in order", async () => {
        const h = harness();
        const socket = await joined(h);
        const inner = concatBytes([push(danmaku(1)), push({ cmd: "ONLINE_RANK_COUNT", data: { count: 3 } }), push(danmaku(2))]);
        socket.receive(encodePacket({ version: Version.zlib, operation: Operation.message, sequence: 0, body: new Uint8Array(deflateSync(inner)) }));
        await h.connection.drained();
        assert.deepEqual(
            h.messages.map((message) => message["cmd"]),
            ["DANMU_MSG", "ONLINE_RANK_COUNT", "DANMU_MSG"],
        );
    });

    test("a repeated seq is dropped, but COMBO_SEND beside its SEND_GIFT (same seq) is not", async () => {
        const h = harness();
        const socket = await joined(h);
        socket.receive(push(danmaku(1)), push({ cmd: "SEND_GIFT", seq: 2 }), push({ cmd: "COMBO_SEND", seq: 2 }), push(danmaku(1)));
        await h.connection.drained();
        assert.deepEqual(
            h.messages.map((message) => `${message["cmd"]}:${message["seq"]}`),
            ["DANMU_MSG:1", "SEND_GIFT:2", "COMBO_SEND:2"],
        );
    });

    test("messages without seq (online, likes) are always emitted", async () => {
        const h = harness();
        const socket = await joined(h);
        const like = push({ cmd: "LIKE_INFO_V3_UPDATE", data: { click_count: 5 } });
        socket.receive(like, like);
        await h.connection.drained();
        assert.equal(h.messages.length, 2);
    });

    test("a gap notice goes to onGap in either dialect, not to onMessage", async () => {
        const h = harness();
        const socket = await joined(h);
        socket.receive(
            push({ cmd: "BARRAGE_HISTORY_GAP", data: { requested_after: 5, first_available: 90 } }),
            push({ cmd: "history_gap", room: 7, data: { requested_after: 6, first_available: 91 } }),
        );
        await h.connection.drained();
        assert.deepEqual(h.gaps, [
            { requestedAfter: 5, firstAvailable: 90 },
            { requestedAfter: 6, firstAvailable: 91 },
        ]);
        assert.deepEqual(h.messages, []);
    });

    test("a malformed message closes the socket and reconnects", async () => {
        const h = harness();
        const socket = await joined(h);
        socket.receive(encodePacket({ version: 3, operation: Operation.message, sequence: 0, body: new Uint8Array(8) }));
        await h.connection.drained();
        assert.deepEqual(h.errors, [{ kind: "bad_message", problem: "brotli_unsupported" }]);
        assert.equal(socket.closed, true);
        h.clock.advance(500);
        assert.equal(h.sockets.length, 2);
    });
});

describe("sends (op 4) and their answers (op 1000)", () => {
    test("answers are matched by header sequence, whatever their order", async () => {
        const h = harness();
        const socket = await joined(h);
        const first = h.connection.send({ msg: "one" });
        const second = h.connection.send({ msg: "two" });
        const sends = socket.sent.filter((packet) => packet.operation === Operation.send);
        assert.equal(sends.length, 2);
        const [a, b] = sends.map((packet) => packet.sequence);
        assert.notEqual(a, b);
        assert.deepEqual(socket.sentJson(Operation.send), [{ msg: "one" }, { msg: "two" }]);
        socket.receive(sendReply(b ?? 0, { code: 3002, message: "sending too fast" }), sendReply(a ?? 0, { code: 0, message: "ok", data: { seq: 12 } }));
        await h.connection.drained();
        assert.deepEqual(await first, { kind: "ok", data: { seq: 12 } });
        assert.deepEqual(await second, { kind: "refused", code: 3002, message: "sending too fast", data: undefined });
        assert.equal(h.connection.footprint().pendingSends, 0);
    });

    test("an answer never arriving is a timeout; a lost connection settles what waits", async () => {
        const h = harness({ sendTimeoutMs: 10_000 });
        await joined(h);
        const late = h.connection.send({ msg: "late" });
        h.clock.advance(10_000);
        assert.deepEqual(await late, { kind: "timeout" });
        const cut = h.connection.send({ msg: "cut" });
        h.socket().serverClose(1006);
        assert.deepEqual(await cut, { kind: "connection_lost" });
    });

    test("before joining nothing is sent; past pendingSendsMax sends are refused as busy", async () => {
        const h = harness({ limits: { packet: { packetBytesMax: 1 << 20, inflatedBytesMax: 1 << 20 }, seenKeysMax: 10, pendingSendsMax: 2, queuedMessagesMax: 10 } });
        assert.deepEqual(await h.connection.send({ msg: "x" }), { kind: "not_joined" });
        const socket = await joined(h);
        void h.connection.send({ msg: "1" });
        void h.connection.send({ msg: "2" });
        assert.deepEqual(await h.connection.send({ msg: "3" }), { kind: "busy" });
        assert.equal(socket.sentJson(Operation.send).length, 2);
    });
});

describe("reconnecting", () => {
    test("resumes with last_seq = the highest seq seen and emits nothing twice", async () => {
        const h = harness();
        const first = await joined(h);
        first.receive(push(danmaku(5)), push(danmaku(7)), push(danmaku(6)));
        await h.connection.drained();
        first.serverClose(1006);
        assert.equal(h.connection.state(), "waiting");
        h.clock.advance(500);
        const second = h.socket();
        assert.notEqual(second, first);
        second.open();
        assert.equal(second.sentJson(Operation.auth)[0]?.["last_seq"], 7);
        // The replay overlaps what was shown (a server may resend around the cut).
        second.receive(authReply(), push(danmaku(6)), push(danmaku(7)), push(danmaku(8)));
        await h.connection.drained();
        assert.deepEqual(seqs(h.messages), [5, 7, 6, 8]);
        assert.equal(h.connection.lastSeq(), 8);
    });

    test("a dropped socket's late messages are ignored", async () => {
        const h = harness();
        const first = await joined(h);
        first.serverClose(1006);
        first.receive(push(danmaku(1)));
        await h.connection.drained();
        assert.deepEqual(h.messages, []);
    });

    test("backoff doubles from 1 s up to the cap, with jitter in its upper half, and resets on join", async () => {
        let random = 0;
        const h = harness({ backoffInitialMs: 1000, backoffMaxMs: 8000, random: () => random });
        h.connection.start();
        const delays: number[] = [];
        for (let i = 0; i < 6; i++) {
            const before = h.sockets.length;
            const from = h.clock.nowMs();
            h.socket().fail();
            while (h.sockets.length === before) {
                h.clock.advance(1);
            }
            delays.push(h.clock.nowMs() - from);
        }
        assert.deepEqual(delays, [500, 1000, 2000, 4000, 4000, 4000]);
        random = 0.999;
        const from = h.clock.nowMs();
        h.socket().fail();
        h.clock.advance(7990);
        assert.equal(h.sockets.length, 7, "the top of the jitter waits nearly the whole cap");
        h.clock.advance(10);
        assert.equal(h.sockets.length, 8);
        assert.ok(h.clock.nowMs() - from <= 8000);
        random = 0;
        await joined(h);
        h.socket().serverClose(1006);
        h.clock.advance(500);
        assert.equal(h.sockets.length, 9, "a join resets the backoff");
    });

    test("stop() closes for good", async () => {
        const h = harness();
        const socket = await joined(h);
        h.connection.stop();
        assert.equal(socket.closed, true);
        h.clock.advance(3_600_000);
        assert.equal(h.sockets.length, 1);
        assert.equal(h.connection.state(), "closed");
        assert.equal(h.clock.pendingCount(), 0);
    });
});

describe("bounded memory", () => {
    test("an hour of pushes, sends and reconnects leaves every structure within its bound", async () => {
        const seenKeysMax = 64;
        const h = harness({ limits: { packet: { packetBytesMax: 1 << 20, inflatedBytesMax: 1 << 20 }, seenKeysMax, pendingSendsMax: 8, queuedMessagesMax: 16 } });
        let socket = await joined(h);
        let seq = 0;
        let emittedBefore = 0;
        for (let second = 1; second <= 3600; second++) {
            const batch = [];
            for (let i = 0; i < 5; i++) {
                batch.push(push(danmaku(++seq)));
            }
            batch.push(onlineReply(second));
            socket.receive(...batch);
            if (second % 10 === 0) {
                const answer = h.connection.send({ msg: "hi" });
                const sent = socket.sent.filter((packet) => packet.operation === Operation.send).at(-1);
                socket.receive(sendReply(sent?.sequence ?? 0, { code: 0, data: { seq: 0 } }));
                await h.connection.drained();
                assert.equal((await answer).kind, "ok");
            }
            if (second % 300 === 0) {
                // A reconnect whose replay repeats the last 20 messages.
                socket.serverClose(1006);
                h.clock.advance(1000);
                socket = await joined(h);
                socket.receive(...Array.from({ length: 20 }, (_, i) => push(danmaku(seq - 19 + i))));
            }
            await h.connection.drained();
            h.clock.advance(1000);
        }
        emittedBefore = h.messages.filter((message) => message["cmd"] === "DANMU_MSG").length;
        assert.equal(emittedBefore, seq, "every danmaku exactly once");
        const footprint = h.connection.footprint();
        assert.ok(footprint.seenKeys <= seenKeysMax, `seen ${footprint.seenKeys}`);
        assert.equal(footprint.pendingSends, 0);
        assert.equal(footprint.queuedMessages, 0);
        assert.ok(h.clock.pendingCount() <= 2, `timers ${h.clock.pendingCount()}`);
        assert.equal(h.sockets.filter((s) => !s.closed).length, 1);
    });

    test("messages arriving faster than they decode past queuedMessagesMax reconnect rather than queue", async () => {
        const h = harness({ limits: { packet: { packetBytesMax: 1 << 20, inflatedBytesMax: 1 << 20 }, seenKeysMax: 64, pendingSendsMax: 8, queuedMessagesMax: 4 } });
        const socket = await joined(h);
        for (let i = 1; i <= 5; i++) {
            socket.receive(push(danmaku(i))); // synchronously: none decoded yet
        }
        assert.deepEqual(h.errors, [{ kind: "bad_message", problem: "queue_full" }]);
        assert.equal(socket.closed, true);
        await h.connection.drained();
        assert.deepEqual(h.messages, [], "what was queued for the dropped socket is not emitted");
        assert.equal(h.connection.footprint().queuedMessages, 0);
    });
});

describe("robustness", () => {
    test("a page callback that throws is reported as uncaught and later messages still arrive", async () => {
        const h = harness();
        const socket = await joined(h);
        let calls = 0;
        h.messages.push = () => {
            calls++;
            throw new Error("page bug");
        };
        // node:test fails a test on an uncaught exception: hold its listeners while this runs.
        const uncaught: unknown[] = [];
        const held = process.listeners("uncaughtException");
        process.removeAllListeners("uncaughtException");
        process.on("uncaughtException", (error) => uncaught.push(error));
        try {
            socket.receive(push(danmaku(1)));
            socket.receive(push(danmaku(2)));
            await h.connection.drained();
            await new Promise((resolve) => setImmediate(resolve));
        } finally {
            process.removeAllListeners("uncaughtException");
            for (const listener of held) {
                process.on("uncaughtException", listener);
            }
        }
        assert.equal(calls, 2, "the second message still reached the page");
        assert.equal(uncaught.length, 2);
    });

    test("protover 3 is refused when the connection is made", () => {
        assert.throws(() => harness({ protover: 3 as 2 }), RangeError);
    });
});
