// The guard toasts' queue: a few at a time, each for its hold time, the rest in order, bounded.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "../../src/presenter/fake_clock.js";
import { ToastQueue, type Toast } from "../../src/overlay/toast_queue.js";

test("shows up to visibleMax, then the next when one expires", () => {
    const clock = new FakeClock();
    const seen: string[][] = [];
    const queue = new ToastQueue<string>(clock, { visibleMax: 2, holdMs: 1000 }, (visible) => seen.push(visible.map((t) => t.item)));
    queue.push("a");
    clock.advance(100);
    queue.push("b");
    queue.push("c");
    assert.deepEqual(queue.visible().map((t) => t.item), ["a", "b"]);
    assert.equal(queue.counts().waiting, 1);
    clock.advance(900); // a ends
    assert.deepEqual(queue.visible().map((t) => t.item), ["b", "c"]);
    clock.advance(1100);
    assert.deepEqual(queue.visible(), []);
    assert.deepEqual(seen, [["a"], ["a", "b"], ["b"], ["b", "c"], ["c"], []]);
    assert.equal(clock.pendingCount(), 0);
});

test("a burst keeps its latest: waiting is bounded, the oldest waiting dropped", () => {
    const clock = new FakeClock();
    const queue = new ToastQueue<number>(clock, { visibleMax: 1, waitingMax: 3, holdMs: 1000 }, () => {});
    for (let i = 1; i <= 10; ++i) queue.push(i);
    assert.deepEqual(queue.counts(), { visible: 1, waiting: 3, dropped: 6 });
    const order: number[] = [];
    for (let i = 0; i < 4; ++i) {
        order.push(queue.visible()[0]!.item);
        clock.advance(1000);
    }
    assert.deepEqual(order, [1, 8, 9, 10]);
});

test("hours of toasts hold a bounded number of toasts and timers", () => {
    const clock = new FakeClock();
    let last: readonly Toast<number>[] = [];
    const queue = new ToastQueue<number>(clock, {}, (visible) => (last = visible));
    let most = 0;
    for (let second = 0; second < 3 * 3600; ++second) {
        for (let i = 0; i < (second % 60 === 0 ? 50 : 1); ++i) queue.push(second);
        clock.advance(1000);
        const counts = queue.counts();
        most = Math.max(most, counts.visible + counts.waiting, clock.pendingCount());
        assert.ok(last.length <= 3);
    }
    assert.ok(most <= 23, `most ${most}`);
    clock.advance(60_000 * 60);
    assert.deepEqual(queue.counts().visible + queue.counts().waiting, 0);
    assert.equal(clock.pendingCount(), 0);
});

test("dispose cancels every timer", () => {
    const clock = new FakeClock();
    const queue = new ToastQueue<number>(clock, {}, () => {});
    [1, 2, 3, 4].forEach((i) => queue.push(i));
    queue.dispose();
    assert.equal(clock.pendingCount(), 0);
    assert.deepEqual(queue.counts(), { visible: 0, waiting: 0, dropped: 0 });
});
