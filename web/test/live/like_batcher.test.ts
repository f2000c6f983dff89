// Like taps batched per window on a fake clock: one request per window, never one per tap, and
// failed flushes retried without losing or doubling taps.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApiClient, type FetchLike } from "../../src/live/api_client.js";
import { LikeBatcher, likesFlush, type FlushOutcome } from "../../src/live/like_batcher.js";
import { FakeClock } from "../../src/presenter/fake_clock.js";

// A flush the test answers by hand: each call waits until the test settles it.
function manualFlush(): { flush: (count: number) => Promise<FlushOutcome>; counts: number[]; settle: (outcome: FlushOutcome) => Promise<void> } {
    const counts: number[] = [];
    const waiting: ((outcome: FlushOutcome) => void)[] = [];
    return {
        counts,
        flush: (count) => {
            counts.push(count);
            return new Promise((resolve) => waiting.push(resolve));
        },
        settle: async (outcome) => {
            const next = waiting.shift();
            assert.ok(next, "a flush is waiting");
            next(outcome);
            await new Promise((resolve) => setImmediate(resolve));
        },
    };
}

describe("windows", () => {
    test("taps within a window go as one request when the window ends", async () => {
        const clock = new FakeClock();
        const sink = manualFlush();
        const batcher = new LikeBatcher(clock, { windowMs: 500 }, sink.flush);
        for (let i = 0; i < 37; i++) {
            batcher.tap();
            clock.advance(10);
        }
        clock.advance(129);
        assert.deepEqual(sink.counts, [], "nothing before the window ends");
        clock.advance(1);
        assert.deepEqual(sink.counts, [37], "one request at 500 ms for the 37 taps");
        await sink.settle("sent");
        assert.deepEqual(batcher.counts(), { waiting: 0, inFlight: 0, dropped: 0 });
        clock.advance(10_000);
        assert.deepEqual(sink.counts, [37], "no taps, no requests");
    });

    test("taps made while a request is under way wait for the next window, never a second request at once", async () => {
        const clock = new FakeClock();
        const sink = manualFlush();
        const batcher = new LikeBatcher(clock, { windowMs: 500 }, sink.flush);
        batcher.tap(5);
        clock.advance(500);
        batcher.tap(3);
        clock.advance(2000);
        assert.deepEqual(sink.counts, [5]);
        await sink.settle("sent");
        clock.advance(499);
        assert.deepEqual(sink.counts, [5]);
        clock.advance(1);
        assert.deepEqual(sink.counts, [5, 3]);
    });

    test("a request carries at most countMax taps; the rest follow", async () => {
        const clock = new FakeClock();
        const sink = manualFlush();
        const batcher = new LikeBatcher(clock, { windowMs: 500, countMax: 1000 }, sink.flush);
        batcher.tap(2500);
        clock.advance(500);
        await sink.settle("sent");
        clock.advance(500);
        await sink.settle("sent");
        clock.advance(500);
        await sink.settle("sent");
        assert.deepEqual(sink.counts, [1000, 1000, 500]);
    });
});

describe("failures", () => {
    test("a failed flush puts its taps back with those tapped meanwhile, once, and retries later", async () => {
        const clock = new FakeClock();
        const sink = manualFlush();
        const batcher = new LikeBatcher(clock, { windowMs: 500, retryMaxMs: 8000 }, sink.flush);
        batcher.tap(4);
        clock.advance(500);
        batcher.tap(2);
        assert.deepEqual(batcher.counts(), { waiting: 2, inFlight: 4, dropped: 0 });
        await sink.settle("retry");
        assert.deepEqual(batcher.counts(), { waiting: 6, inFlight: 0, dropped: 0 });
        clock.advance(999);
        assert.deepEqual(sink.counts, [4], "the retry waits longer than a window");
        clock.advance(1);
        assert.deepEqual(sink.counts, [4, 6]);
        await sink.settle("sent");
        assert.deepEqual(batcher.counts(), { waiting: 0, inFlight: 0, dropped: 0 });
        assert.equal(sink.counts.reduce((a, b) => a + b) - 4, 6, "6 taps were made, 6 were taken");
    });

    test("a thrown flush counts as a failure too", async () => {
        const clock = new FakeClock();
        let calls = 0;
        const batcher = new LikeBatcher(clock, { windowMs: 500 }, async () => {
            calls++;
            throw new Error("boom");
        });
        batcher.tap(3);
        clock.advance(500);
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(batcher.counts(), { waiting: 3, inFlight: 0, dropped: 0 });
        assert.equal(calls, 1);
    });

    test("a refused flush drops its taps; past waitingMax taps are dropped, not held", async () => {
        const clock = new FakeClock();
        const sink = manualFlush();
        const batcher = new LikeBatcher(clock, { windowMs: 500, waitingMax: 10 }, sink.flush);
        batcher.tap(4);
        clock.advance(500);
        await sink.settle("drop");
        assert.deepEqual(batcher.counts(), { waiting: 0, inFlight: 0, dropped: 4 });
        batcher.tap(25);
        assert.deepEqual(batcher.counts(), { waiting: 10, inFlight: 0, dropped: 19 });
    });
});

test("likesFlush posts the count and maps answers: sent, retry on a network error, drop on 2006", async () => {
    const answers: (() => Promise<{ status: number; text: () => Promise<string> }>)[] = [
        async () => ({ status: 200, text: async () => JSON.stringify({ code: 0, message: "ok", data: { accepted: 2, capped: 0, click_count: 9 } }) }),
        async () => {
            throw new TypeError("offline");
        },
        async () => ({ status: 403, text: async () => JSON.stringify({ code: 2006, message: "anonymous connections are read-only" }) }),
    ];
    const bodies: unknown[] = [];
    const fetch: FetchLike = (url, init) => {
        bodies.push([url, init.body]);
        const next = answers.shift();
        assert.ok(next);
        return next();
    };
    const totals: number[] = [];
    const flush = likesFlush(new ApiClient({ baseUrl: "", token: "t" }, fetch), 7, (answer) => totals.push(answer.click_count));
    assert.equal(await flush(2), "sent");
    assert.equal(await flush(2), "retry");
    assert.equal(await flush(2), "drop");
    assert.deepEqual(totals, [9]);
    assert.deepEqual(bodies[0], ["/api/v1/rooms/7/likes", JSON.stringify({ count: 2 })]);
});
