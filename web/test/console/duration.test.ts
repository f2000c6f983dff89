// Durations typed in the console, their bounds, and how a running mute's end reads back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DURATION_S_MAX, formatDuration, formatUntil, parseDuration } from "../../src/console/duration.js";

test("units, combinations and plain seconds parse to for_s", () => {
    assert.deepEqual(parseDuration("10m"), { ok: true, seconds: 600 });
    assert.deepEqual(parseDuration("1h"), { ok: true, seconds: 3600 });
    assert.deepEqual(parseDuration(" 1D "), { ok: true, seconds: 86400 });
    assert.deepEqual(parseDuration("1h30m"), { ok: true, seconds: 5400 });
    assert.deepEqual(parseDuration("2w"), { ok: true, seconds: 14 * 86400 });
    assert.deepEqual(parseDuration("90"), { ok: true, seconds: 90 });
});

test("permanent is for_s 0", () => {
    assert.deepEqual(parseDuration("permanent"), { ok: true, seconds: 0 });
    assert.deepEqual(parseDuration("Permanent"), { ok: true, seconds: 0 });
    assert.deepEqual(parseDuration("0"), { ok: true, seconds: 0 });
});

test("nonsense, zero units and more than ten years are refused with a sentence", () => {
    for (const bad of ["", "  ", "ten minutes", "10x", "m", "-5m", "1.5h", "0m", "<img>"]) {
        const parsed = parseDuration(bad);
        assert.equal(parsed.ok, false, bad);
        assert.ok(!parsed.ok && parsed.error.length > 0);
    }
    assert.equal(parseDuration(`${DURATION_S_MAX}`).ok, true);
    assert.equal(parseDuration(`${DURATION_S_MAX + 1}`).ok, false);
    assert.equal(parseDuration("99999999999999999999d").ok, false);
});

test("formatting durations and ends", () => {
    assert.equal(formatDuration(600), "10m");
    assert.equal(formatDuration(5400), "1h 30m");
    assert.equal(formatDuration(90061), "1d 1h");
    assert.equal(formatDuration(0), "permanent");
    assert.equal(formatUntil(0, 1000), "until lifted");
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(formatUntil(now + 598_500, now), "ends in 9m 59s (2026-01-01 12:09:58 UTC)");
    assert.match(formatUntil(now - 1, now), /^ended/);
});
