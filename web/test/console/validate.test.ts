// The console's form checks: the server's bounds, said before sending.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
    checkAreaName,
    checkReason,
    checkTitle,
    formatWordLines,
    parseJsonObject,
    parseUid,
    parseWhole,
    parseWordLines,
} from "../../src/console/validate.js";

test("user ids are whole numbers above 0", () => {
    assert.deepEqual(parseUid(" 3 "), { ok: true, value: 3 });
    for (const bad of ["", "0", "-1", "1.5", "abc", "3 4", "99999999999999999"]) {
        assert.equal(parseUid(bad).ok, false, bad);
    }
});

test("whole numbers in a range name the field", () => {
    assert.deepEqual(parseWhole("-1", "followers-only", -1, 43200), { ok: true, value: -1 });
    const bad = parseWhole("3601", "slow mode", 0, 3600);
    assert.ok(!bad.ok && bad.error.includes("slow mode") && bad.error.includes("0..3600"));
    assert.equal(parseWhole("1e3", "x", 0, 5000).ok, false);
});

test("title, area and reason bounds", () => {
    assert.deepEqual(checkTitle(" 今晚唱歌 "), { ok: true, value: "今晚唱歌" });
    assert.equal(checkTitle("").ok, false);
    assert.equal(checkTitle("字".repeat(40)).ok, true);
    assert.equal(checkTitle("字".repeat(41)).ok, false);
    assert.equal(checkTitle("a\nb").ok, false);
    assert.equal(checkAreaName("").ok, true);
    assert.equal(checkAreaName("x".repeat(21)).ok, false);
    assert.equal(checkReason("spam").ok, true);
    assert.equal(checkReason("a\nb").ok, false);
});

test("word lines round-trip with their actions", () => {
    const parsed = parseWordLines("badword\nmask: 傻\nregex: ^spam+$\nmask regex: a.b\n\n");
    assert.deepEqual(parsed, {
        ok: true,
        value: [
            { pattern: "badword", action: "block", regex: false },
            { pattern: "傻", action: "mask", regex: false },
            { pattern: "^spam+$", action: "block", regex: true },
            { pattern: "a.b", action: "mask", regex: true },
        ],
    });
    assert.ok(parsed.ok);
    assert.deepEqual(parseWordLines(formatWordLines(parsed.value)), parsed);
    const colon = [{ pattern: "a:b", action: "block" as const, regex: false }];
    assert.deepEqual(parseWordLines(formatWordLines(colon)), { ok: true, value: colon });
    assert.equal(parseWordLines("mask:   ").ok, false);
});

test("the bot's rules editor takes a JSON object only", () => {
    assert.deepEqual(parseJsonObject("{}"), { ok: true, value: {} });
    assert.equal(parseJsonObject("[]").ok, false);
    assert.equal(parseJsonObject("null").ok, false);
    assert.match((parseJsonObject("{") as { error: string }).error, /^not JSON/);
});
