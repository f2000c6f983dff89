import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "../../src/presenter/fake_clock.js";

test("advance runs due timers in due order, ties in the order set, each at its own time", () => {
    const clock = new FakeClock(1000);
    const ran: string[] = [];
    clock.setTimer(300, () => ran.push(`b@${clock.nowMs()}`));
    clock.setTimer(100, () => ran.push(`a@${clock.nowMs()}`));
    clock.setTimer(300, () => ran.push(`c@${clock.nowMs()}`));
    clock.setTimer(301, () => ran.push(`late@${clock.nowMs()}`));
    clock.advance(300);
    assert.deepEqual(ran, ["a@1100", "b@1300", "c@1300"]);
    assert.equal(clock.nowMs(), 1300);
    assert.equal(clock.pendingCount(), 1);
});

test("a timer set by a callback during advance runs in the same advance when due", () => {
    const clock = new FakeClock();
    const ran: number[] = [];
    clock.setTimer(10, () => clock.setTimer(10, () => ran.push(clock.nowMs())));
    clock.advance(25);
    assert.deepEqual(ran, [20]);
});

test("a cancelled timer never runs", () => {
    const clock = new FakeClock();
    let ran = false;
    const handle = clock.setTimer(10, () => {
        ran = true;
    });
    clock.cancelTimer(handle);
    clock.advance(100);
    assert.equal(ran, false);
    assert.equal(clock.pendingCount(), 0);
});
