// The packet codec: round trips, real zlib batches made by node's zlib, and every refusal.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deflateSync } from "node:zlib";
import {
    concatBytes,
    decodeMessage,
    encodeJsonPacket,
    encodePacket,
    inflateZlib,
    Operation,
    splitPackets,
    Version,
    type Packet,
} from "../../src/live/packet.js";

const text = new TextEncoder();
const untext = new TextDecoder();

function jsonPacket(value: unknown, operation: number = Operation.message): Uint8Array {
    return encodeJsonPacket(operation, 0, value);
}

function zlibBatch(inner: readonly Uint8Array[], operation: number = Operation.message): Uint8Array {
    const body = new Uint8Array(deflateSync(concatBytes(inner)));
    return encodePacket({ version: Version.zlib, operation, sequence: 0, body });
}

function bodies(packets: readonly Packet[]): unknown[] {
    return packets.map((packet) => JSON.parse(untext.decode(packet.body)));
}

// A header with chosen fields, for refusals.
function header(fields: { length: number; headerLength?: number; version?: number }): Uint8Array {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, fields.length);
    view.setUint16(4, fields.headerLength ?? 16);
    view.setUint16(6, fields.version ?? 0);
    view.setUint32(8, Operation.message);
    return bytes;
}

describe("encoding", () => {
    test("the header is big-endian: length, 16, version, operation, sequence", () => {
        const bytes = encodePacket({ version: 1, operation: Operation.heartbeat, sequence: 0x01020304, body: text.encode("ab") });
        assert.deepEqual([...bytes], [0, 0, 0, 18, 0, 16, 0, 1, 0, 0, 0, 2, 1, 2, 3, 4, 97, 98]);
    });

    test("a packet round-trips through splitPackets with its fields and body", () => {
        const bytes = encodeJsonPacket(Operation.auth, 7, { roomid: 1 });
        const split = splitPackets(bytes);
        assert.ok(split.ok);
        assert.equal(split.packets.length, 1);
        const [packet] = split.packets;
        assert.equal(packet?.operation, Operation.auth);
        assert.equal(packet?.sequence, 7);
        assert.equal(packet?.version, Version.json);
        assert.deepEqual(bodies(split.packets), [{ roomid: 1 }]);
    });
});

describe("decoding a message", () => {
    test("several packets in one message come out in order", async () => {
        const message = concatBytes([jsonPacket({ n: 1 }), jsonPacket({ n: 2 }), jsonPacket({ n: 3 })]);
        const decoded = await decodeMessage(message);
        assert.ok(decoded.ok);
        assert.deepEqual(bodies(decoded.packets), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    });

    test("a zlib batch made by node's zlib opens in place between plain packets", async () => {
        const message = concatBytes([
            jsonPacket({ n: 1 }),
            zlibBatch([jsonPacket({ n: 2 }), jsonPacket({ n: 3, text: "弹幕" })]),
            jsonPacket({ n: 4 }),
        ]);
        const decoded = await decodeMessage(message);
        assert.ok(decoded.ok, JSON.stringify(decoded));
        assert.deepEqual(bodies(decoded.packets), [{ n: 1 }, { n: 2 }, { n: 3, text: "弹幕" }, { n: 4 }]);
    });

    test("an empty message is no packets", async () => {
        const decoded = await decodeMessage(new Uint8Array(0));
        assert.deepEqual(decoded, { ok: true, packets: [] });
    });
});

describe("refusals", () => {
    const cases: [string, Uint8Array, string][] = [
        ["fewer bytes than a header", new Uint8Array(15), "short"],
        ["a trailing partial header", concatBytes([jsonPacket({}), new Uint8Array(4)]), "short"],
        ["header length 12", concatBytes([header({ length: 16, headerLength: 12 })]), "header_length"],
        ["packet length 15", header({ length: 15 }), "length_below_header"],
        ["packet length over the limit", header({ length: (1 << 20) + 1 }), "too_large"],
        ["packet length past the message", header({ length: 40 }), "truncated"],
        ["version 4", header({ length: 16, version: 4 }), "unknown_version"],
        ["version 3 (brotli)", header({ length: 16, version: 3 }), "brotli_unsupported"],
        ["a corrupt zlib body", encodePacket({ version: 2, operation: 5, sequence: 0, body: text.encode("not zlib at all") }), "corrupt"],
        ["a zlib batch inside a zlib batch", zlibBatch([zlibBatch([jsonPacket({})])]), "nested"],
        [
            "a brotli packet inside a zlib batch",
            zlibBatch([encodePacket({ version: 3, operation: 5, sequence: 0, body: new Uint8Array(4) })]),
            "nested",
        ],
        [
            "a zlib body that inflates to a bad packet",
            encodePacket({ version: 2, operation: 5, sequence: 0, body: new Uint8Array(deflateSync(new Uint8Array(20))) }),
            "header_length",
        ],
    ];
    for (const [name, bytes, problem] of cases) {
        test(`${name} is refused as ${problem}`, async () => {
            assert.deepEqual(await decodeMessage(bytes), { ok: false, problem });
        });
    }

    test("the packet limit is the caller's: exactly the limit passes, one more is refused", async () => {
        const packet = jsonPacket({ pad: "x".repeat(100) });
        const limits = { packetBytesMax: packet.length, inflatedBytesMax: 1 << 20 };
        assert.ok((await decodeMessage(packet, limits)).ok);
        const smaller = { ...limits, packetBytesMax: packet.length - 1 };
        assert.deepEqual(await decodeMessage(packet, smaller), { ok: false, problem: "too_large" });
    });

    test("inflated bytes are limited across all batches of one message", async () => {
        const inner = jsonPacket({ pad: "y".repeat(1000) });
        const oneBatch = zlibBatch([inner]);
        const limits = { packetBytesMax: 1 << 20, inflatedBytesMax: inner.length * 2 };
        assert.ok((await decodeMessage(concatBytes([oneBatch, oneBatch]), limits)).ok);
        const three = concatBytes([oneBatch, oneBatch, oneBatch]);
        assert.deepEqual(await decodeMessage(three, limits), { ok: false, problem: "inflated_too_large" });
    });
});

describe("a zlib bomb", () => {
    // 256 MiB of zeros deflate to about 256 KiB: one packet well under the 1 MiB packet limit.
    const bombBytes = 256 << 20;
    const bomb = new Uint8Array(deflateSync(new Uint8Array(bombBytes), { level: 9 }));

    test("stops inflating just past the limit instead of inflating it all", async () => {
        const limitBytes = 1 << 20;
        const result = await inflateZlib(bomb, limitBytes);
        assert.equal(result.status, "too_large");
        assert.ok(result.status === "too_large");
        // One chunk past the limit at most (node hands out 16-64 KiB chunks), not 256 MiB.
        assert.ok(result.bytesRead > limitBytes && result.bytesRead <= limitBytes + (1 << 20), `read ${result.bytesRead}`);
    });

    test("in a message, is refused as inflated_too_large", async () => {
        assert.ok(bomb.length < 1 << 20);
        const message = encodePacket({ version: Version.zlib, operation: Operation.message, sequence: 0, body: bomb });
        assert.deepEqual(await decodeMessage(message), { ok: false, problem: "inflated_too_large" });
    });

    test("under the limit, the same stream inflates whole", async () => {
        const small = new Uint8Array(deflateSync(new Uint8Array(1000)));
        const result = await inflateZlib(small, 1000);
        assert.equal(result.status, "ok");
        assert.ok(result.status === "ok" && result.bytes.length === 1000);
    });
});
