// The long connection's packets (docs/protocol.md, "Long connections"), as a browser sees them.
//
//   offset  size  field (big-endian)
//   0       4     packet length = 16 + body length
//   4       2     header length, always 16
//   6       2     version: 0 JSON, 1 control, 2 zlib batch, 3 brotli batch
//   8       4     operation
//   12      4     sequence
//   16      ...   body
//
// One WebSocket message holds one or more whole packets. A version 2 packet's body inflates to
// whole inner packets, one level only. Browsers cannot inflate brotli (DecompressionStream knows
// gzip and deflate only), so a page asks for protover 2 or 0 and a version 3 packet is refused.
// No DOM: DecompressionStream is in browsers and in node 18+.

export const kHeaderBytes = 16;

export const Operation = {
    heartbeat: 2,
    heartbeatReply: 3,
    send: 4,
    message: 5,
    auth: 7,
    authReply: 8,
    sendReply: 1000,
} as const;

export const Version = { json: 0, control: 1, zlib: 2, brotli: 3 } as const;

export interface Packet {
    readonly version: number;
    readonly operation: number;
    readonly sequence: number;
    readonly body: Uint8Array;
}

export interface PacketLimits {
    // Largest packet accepted, header included. The server's pushes are batches; at 20,000
    // msg/s one compressed batch is hundreds of KB (PERFORMANCE.md), so 1 MiB leaves room.
    readonly packetBytesMax: number;
    // Largest total a compressed body may inflate to. Past it the inflater is stopped: a zlib
    // bomb costs at most this much memory and one chunk more.
    readonly inflatedBytesMax: number;
}

export const kDefaultPacketLimits: PacketLimits = {
    packetBytesMax: 1 << 20,
    inflatedBytesMax: 8 << 20,
};

// Why a message was refused. Each ends the connection that sent it (the client reconnects).
export type PacketProblem =
    | "short" // fewer bytes than a header
    | "header_length" // header length field is not 16
    | "too_large" // packet length over packetBytesMax
    | "length_below_header" // packet length under 16
    | "truncated" // packet length runs past the message's end
    | "unknown_version" // version above 3
    | "brotli_unsupported" // version 3: a browser cannot inflate it
    | "nested" // a compressed packet inside a compressed body
    | "corrupt" // the zlib stream does not inflate
    | "inflated_too_large"; // the zlib stream inflates past inflatedBytesMax

export type DecodeResult =
    | { readonly ok: true; readonly packets: Packet[] }
    | { readonly ok: false; readonly problem: PacketProblem };

const textEncoder = new TextEncoder();

// One packet's bytes. Bodies are whatever the caller made them (JSON text as UTF-8 usually).
export function encodePacket(packet: Packet): Uint8Array {
    const bytes = new Uint8Array(kHeaderBytes + packet.body.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, bytes.length);
    view.setUint16(4, kHeaderBytes);
    view.setUint16(6, packet.version);
    view.setUint32(8, packet.operation);
    view.setUint32(12, packet.sequence >>> 0);
    bytes.set(packet.body, kHeaderBytes);
    return bytes;
}

// A version 0 packet whose body is `value` as JSON.
export function encodeJsonPacket(operation: number, sequence: number, value: unknown): Uint8Array {
    const body = textEncoder.encode(JSON.stringify(value));
    return encodePacket({ version: Version.json, operation, sequence, body });
}

// Several packets as one message.
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
        bytes.set(part, offset);
        offset += part.length;
    }
    return bytes;
}

type SplitResult = { readonly ok: true; readonly packets: Packet[] } | { readonly ok: false; readonly problem: PacketProblem };

// Cuts a message into whole packets, checking every header; no inflating. Pure.
export function splitPackets(bytes: Uint8Array, limits: PacketLimits = kDefaultPacketLimits): SplitResult {
    const packets: Packet[] = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = 0;
    while (offset < bytes.length) {
        if (bytes.length - offset < kHeaderBytes) {
            return { ok: false, problem: "short" };
        }
        const length = view.getUint32(offset);
        if (view.getUint16(offset + 4) !== kHeaderBytes) {
            return { ok: false, problem: "header_length" };
        }
        if (length < kHeaderBytes) {
            return { ok: false, problem: "length_below_header" };
        }
        if (length > limits.packetBytesMax) {
            return { ok: false, problem: "too_large" };
        }
        if (length > bytes.length - offset) {
            return { ok: false, problem: "truncated" };
        }
        const version = view.getUint16(offset + 6);
        if (version > Version.brotli) {
            return { ok: false, problem: "unknown_version" };
        }
        packets.push({
            version,
            operation: view.getUint32(offset + 8),
            sequence: view.getUint32(offset + 12),
            body: bytes.subarray(offset + kHeaderBytes, offset + length),
        });
        offset += length;
    }
    return { ok: true, packets };
}

export type InflateResult =
    | { readonly status: "ok"; readonly bytes: Uint8Array }
    | { readonly status: "too_large"; readonly bytesRead: number }
    | { readonly status: "corrupt" };

// Inflates a zlib stream (RFC 1950, DecompressionStream's "deflate") and stops reading as soon
// as the output passes `bytesMax`: the rest is never inflated. `bytesRead` says how far it got.
export async function inflateZlib(compressed: Uint8Array, bytesMax: number): Promise<InflateResult> {
    const stream = new DecompressionStream("deflate");
    const writer = stream.writable.getWriter();
    // Not awaited: the writer waits on the reader (backpressure); errors surface on the reader.
    // A copy: lib.dom's BufferSource wants a plain ArrayBuffer behind the view.
    writer.write(new Uint8Array(compressed)).catch(() => {});
    writer.close().catch(() => {});
    const reader = stream.readable.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done) {
                break;
            }
            total += value.length;
            if (total > bytesMax) {
                await reader.cancel().catch(() => {});
                return { status: "too_large", bytesRead: total };
            }
            chunks.push(value);
        }
    } catch {
        return { status: "corrupt" };
    }
    return { status: "ok", bytes: concatBytes(chunks) };
}

// Decodes one WebSocket message into its plain packets (versions 0 and 1), zlib batches opened
// in place, in order. Anything malformed refuses the whole message.
export async function decodeMessage(bytes: Uint8Array, limits: PacketLimits = kDefaultPacketLimits): Promise<DecodeResult> {
    const outer = splitPackets(bytes, limits);
    if (!outer.ok) {
        return outer;
    }
    const packets: Packet[] = [];
    let inflatedBytes = 0;
    for (const packet of outer.packets) {
        if (packet.version === Version.brotli) {
            return { ok: false, problem: "brotli_unsupported" };
        }
        if (packet.version !== Version.zlib) {
            packets.push(packet);
            continue;
        }
        const inflated = await inflateZlib(packet.body, limits.inflatedBytesMax - inflatedBytes);
        if (inflated.status === "too_large") {
            return { ok: false, problem: "inflated_too_large" };
        }
        if (inflated.status === "corrupt") {
            return { ok: false, problem: "corrupt" };
        }
        inflatedBytes += inflated.bytes.length;
        const inner = splitPackets(inflated.bytes, { ...limits, packetBytesMax: limits.inflatedBytesMax });
        if (!inner.ok) {
            return inner;
        }
        for (const innerPacket of inner.packets) {
            if (innerPacket.version === Version.zlib || innerPacket.version === Version.brotli) {
                return { ok: false, problem: "nested" };
            }
            packets.push(innerPacket);
        }
    }
    return { ok: true, packets };
}
