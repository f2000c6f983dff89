// The room page's models: the chat list (each line once, in order, bounded) and the pinned
// super chats (by tier, for their paid time, taken down on request, bounded).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ChatLog, type ChatLine } from "../../src/room/chat_log.js";
import { SuperChatBoard, tierColour, tierOf, type PinnedSuperChat } from "../../src/room/super_chat_board.js";

const line = (seq: number, text = `line ${seq}`): ChatLine => ({ seq, kind: "danmaku", uid: 3, name: "alice", text });

describe("chat log", () => {
    test("a line replayed after a reconnect is not shown twice, and replays keep the room's order", () => {
        const log = new ChatLog();
        assert.equal(log.add(line(1)), true);
        assert.equal(log.add(line(4)), true);
        // The reconnect's replay: 2 and 3 were missed, 4 was not.
        assert.equal(log.add(line(2)), true);
        assert.equal(log.add(line(3)), true);
        assert.equal(log.add(line(4)), false);
        assert.deepEqual(
            log.all().map((l) => l.seq),
            [1, 2, 3, 4],
        );
    });

    test("it keeps only its capacity, and its memory of shown seqs is bounded too", () => {
        const log = new ChatLog(3, 5);
        for (let seq = 1; seq <= 10; ++seq) {
            log.add(line(seq));
        }
        assert.deepEqual(
            log.all().map((l) => l.seq),
            [8, 9, 10],
        );
        // seq 1 fell out of the remembered window: a (very) late copy would show again, the price
        // of a bounded page.
        assert.equal(log.add(line(1)), true);
        assert.equal(log.add(line(9)), false);
    });

    test("the page's own notices (seq 0) are always added", () => {
        const log = new ChatLog();
        log.add({ seq: 0, kind: "notice", uid: 0, name: "", text: "you are muted" });
        log.add({ seq: 0, kind: "notice", uid: 0, name: "", text: "you are muted" });
        assert.equal(log.all().length, 2);
    });
});

const chat = (id: number, priceYuan: number, startMs: number, endMs: number): PinnedSuperChat => ({
    id,
    uid: id,
    name: `u${id}`,
    text: `sc ${id}`,
    priceYuan,
    startMs,
    endMs,
});

describe("super chat board", () => {
    test("higher tiers first, then the earlier; each until its end", () => {
        const board = new SuperChatBoard();
        board.add(chat(1, 30, 0, 60_000), 0);
        board.add(chat(2, 100, 1000, 300_000), 1000);
        board.add(chat(3, 30, 2000, 62_000), 2000);
        assert.deepEqual(
            board.visible(3000).map((c) => c.id),
            [2, 1, 3],
        );
        assert.equal(board.nextEndMs(), 60_000);
        assert.deepEqual(
            board.visible(61_000).map((c) => c.id),
            [2, 3],
        );
        assert.deepEqual(
            board.visible(300_000).map((c) => c.id),
            [],
        );
    });

    test("taken down on request, ignored when already ended or already shown", () => {
        const board = new SuperChatBoard();
        board.add(chat(1, 50, 0, 120_000), 0);
        board.add(chat(1, 50, 0, 999_999), 10);
        board.add(chat(2, 50, 0, 5), 10);
        assert.deepEqual(
            board.visible(20).map((c) => [c.id, c.endMs]),
            [[1, 120_000]],
        );
        board.remove([1]);
        assert.deepEqual(board.visible(20), []);
    });

    test("a flood of super chats keeps the board bounded, dropping the one that ends first", () => {
        const board = new SuperChatBoard(2);
        board.add(chat(1, 30, 0, 10_000), 0);
        board.add(chat(2, 30, 0, 20_000), 0);
        board.add(chat(3, 30, 0, 30_000), 0);
        assert.deepEqual(
            board.visible(1).map((c) => c.id),
            [2, 3],
        );
    });

    test("tiers follow the price in yuan", () => {
        assert.deepEqual([30, 50, 100, 500, 1000, 2000].map(tierOf), [0, 1, 2, 3, 4, 5]);
        assert.equal(tierColour(2000), "#ab1a32");
        assert.equal(tierColour(30), "#2a60b2");
    });
});
