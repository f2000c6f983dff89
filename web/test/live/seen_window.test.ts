// The bounded window of emitted (seq, cmd) keys behind the connection's dedupe.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SeenWindow } from "../../src/live/seen_window.js";

test("a key is admitted once; the same seq with another cmd is another key", () => {
    const seen = new SeenWindow(8);
    assert.equal(seen.admit(1, "SEND_GIFT"), true);
    assert.equal(seen.admit(1, "SEND_GIFT"), false);
    assert.equal(seen.admit(1, "COMBO_SEND"), true);
    assert.equal(seen.highestSeq(), 1);
});

test("past keysMax the oldest are forgotten, and anything at or below them still counts as seen", () => {
    const seen = new SeenWindow(3);
    for (let seq = 1; seq <= 10; seq++) {
        assert.equal(seen.admit(seq, "DANMU_MSG"), true);
        assert.ok(seen.size() <= 3);
    }
    assert.equal(seen.admit(2, "DANMU_MSG"), false, "older than the window");
    assert.equal(seen.admit(9, "DANMU_MSG"), false, "inside the window");
    assert.equal(seen.admit(11, "DANMU_MSG"), true);
    assert.equal(seen.highestSeq(), 11);
});

test("startAfter makes everything up to that seq old", () => {
    const seen = new SeenWindow(3);
    seen.startAfter(50);
    assert.equal(seen.admit(50, "DANMU_MSG"), false);
    assert.equal(seen.admit(51, "DANMU_MSG"), true);
    assert.equal(seen.highestSeq(), 51);
});
