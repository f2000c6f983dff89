// Native pushes as the room page reads them (src/message/native_dialect.cpp's shapes).
import assert from "node:assert/strict";
import { test } from "node:test";
import { roomEvent } from "../../src/room/room_events.js";

const alice = { uid: 3, name: "alice", face: "", role: "viewer", guard_level: 0 };

test("a danmaku keeps its text as text, its colour, mode and size", () => {
    const event = roomEvent({
        cmd: "danmaku",
        room: 1,
        seq: 7,
        user: alice,
        data: { text: "<img src=x onerror=alert(1)>", color: 0xff0000, mode: 5, fontsize: 36 },
    });
    assert.deepEqual(event, {
        kind: "danmaku",
        seq: 7,
        user: { uid: 3, name: "alice" },
        text: "<img src=x onerror=alert(1)>",
        color: 0xff0000,
        mode: 5,
        fontSize: 36,
    });
});

test("gifts, super chats, their removal and guards", () => {
    assert.deepEqual(
        roomEvent({ cmd: "gift", seq: 8, user: alice, data: { name: "小心心", count: 1, combo_total: 10, total: 10 } }),
        { kind: "gift", seq: 8, user: { uid: 3, name: "alice" }, giftName: "小心心", count: 1, comboTotal: 10, price: 10 },
    );
    const chat = roomEvent({
        cmd: "super_chat",
        seq: 9,
        user: alice,
        data: { id: 4, text: "hi", price: 300, price_yuan: 30, start_ms: 1000, end_ms: 61_000 },
    });
    assert.deepEqual(chat, {
        kind: "super_chat",
        seq: 9,
        chat: { id: 4, uid: 3, name: "alice", text: "hi", priceYuan: 30, startMs: 1000, endMs: 61_000 },
    });
    assert.deepEqual(roomEvent({ cmd: "super_chat_delete", seq: 10, data: { ids: [4, 5] } }), {
        kind: "super_chat_delete",
        ids: [4, 5],
    });
    assert.deepEqual(roomEvent({ cmd: "guard_buy", seq: 11, user: alice, data: { level: 3, months: 1 } }), {
        kind: "guard",
        seq: 11,
        user: { uid: 3, name: "alice" },
        level: 3,
        months: 1,
    });
});

test("moderation events read as sentences, chat modes included", () => {
    const muted = roomEvent({
        cmd: "moderation",
        seq: 12,
        user: { uid: 1, name: "host" },
        data: { action: "mute", target: { uid: 3, name: "alice" }, until_ms: Date.UTC(2026, 0, 1, 12, 30), reason: "" },
    });
    assert.equal(muted?.kind, "moderation");
    assert.equal(muted?.kind === "moderation" ? muted.text : "", "alice was muted until 12:30 UTC");
    const slow = roomEvent({
        cmd: "moderation",
        seq: 13,
        data: { action: "chat_mode", target: { uid: 0, name: "" }, modes: { slow_s: 5, followers_only_min: -1, guards_only: false, min_level: 0 } },
    });
    assert.equal(slow?.kind === "moderation" ? slow.text : "", "slow mode: one message every 5 s");
});

test("counts and status; unknown kinds and malformed fields are harmless", () => {
    assert.deepEqual(roomEvent({ cmd: "like_total", room: 1, data: { click_count: 12345 } }), { kind: "likes", total: 12345 });
    assert.deepEqual(roomEvent({ cmd: "online", room: 1, data: { online: 9, watched: 20 } }), { kind: "online", count: 9 });
    assert.equal(roomEvent({ cmd: "something_new", data: {} }), undefined);
    const odd = roomEvent({ cmd: "danmaku", seq: "x", user: 5, data: { text: 42 } });
    assert.deepEqual(odd, { kind: "danmaku", seq: 0, user: { uid: 0, name: "" }, text: "", color: 0xffffff, mode: 1, fontSize: 25 });
});
