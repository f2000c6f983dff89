// Test helpers: a fake WebSocket the test plays the server through, and a LiveConnection on a
// FakeClock that records everything it emits.
import { FakeClock } from "../../src/presenter/fake_clock.js";
import {
    LiveConnection,
    type HistoryGap,
    type LiveError,
    type LiveOptions,
    type LiveState,
    type WebSocketLike,
} from "../../src/live/live_connection.js";
import { concatBytes, encodeJsonPacket, encodePacket, Operation, splitPackets, Version, type Packet } from "../../src/live/packet.js";

type Listener = (event: unknown) => void;

export class FakeSocket implements WebSocketLike {
    binaryType = "blob";
    readonly sent: Packet[] = [];
    closed = false;
    private readonly listeners = new Map<string, Listener[]>();

    constructor(readonly url: string) {}

    send(data: Uint8Array): void {
        const split = splitPackets(data);
        if (!split.ok) {
            throw new Error(`the client sent a bad packet: ${split.problem}`);
        }
        this.sent.push(...split.packets);
    }

    close(): void {
        this.closed = true;
    }

    addEventListener(type: string, listener: (event: never) => void): void {
        const list = this.listeners.get(type) ?? [];
        list.push(listener as Listener);
        this.listeners.set(type, list);
    }

    // The server's side.
    open(): void {
        this.emit("open", {});
    }
    receive(...packets: Uint8Array[]): void {
        const bytes = concatBytes(packets);
        this.emit("message", { data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
    }
    serverClose(code = 1006, reason = ""): void {
        this.emit("close", { code, reason });
    }
    fail(): void {
        this.emit("error", {});
    }

    // What the client sent, as JSON, for one operation.
    sentJson(operation: number): Record<string, unknown>[] {
        return this.sent
            .filter((packet) => packet.operation === operation)
            .map((packet) => JSON.parse(new TextDecoder().decode(packet.body)) as Record<string, unknown>);
    }
    sentOps(): number[] {
        return this.sent.map((packet) => packet.operation);
    }

    private emit(type: string, event: unknown): void {
        for (const listener of this.listeners.get(type) ?? []) {
            listener(event);
        }
    }
}

export interface Harness {
    readonly clock: FakeClock;
    readonly connection: LiveConnection;
    readonly sockets: FakeSocket[];
    readonly messages: Record<string, unknown>[];
    readonly online: number[];
    readonly gaps: HistoryGap[];
    readonly states: LiveState[];
    readonly errors: LiveError[];
    socket(): FakeSocket; // the latest
}

export function harness(options: Partial<LiveOptions> = {}): Harness {
    const clock = new FakeClock();
    const sockets: FakeSocket[] = [];
    const messages: Record<string, unknown>[] = [];
    const online: number[] = [];
    const gaps: HistoryGap[] = [];
    const states: LiveState[] = [];
    const errors: LiveError[] = [];
    const Socket = class extends FakeSocket {
        constructor(url: string) {
            super(url);
            sockets.push(this);
        }
    };
    const connection = new LiveConnection(
        { url: "ws://barrage.test/sub", roomId: 7, random: () => 0, ...options },
        Socket,
        clock,
        {
            onMessage: (message) => messages.push(message),
            onOnline: (count) => online.push(count),
            onGap: (gap) => gaps.push(gap),
            onState: (state) => states.push(state),
            onError: (error) => errors.push(error),
        },
    );
    return {
        clock,
        connection,
        sockets,
        messages,
        online,
        gaps,
        states,
        errors,
        socket: () => {
            const last = sockets[sockets.length - 1];
            if (last === undefined) {
                throw new Error("no socket yet");
            }
            return last;
        },
    };
}

// Server packets.
export function authReply(reply: Record<string, unknown> = { code: 0 }): Uint8Array {
    return encodePacket({ version: Version.control, operation: Operation.authReply, sequence: 1, body: new TextEncoder().encode(JSON.stringify(reply)) });
}
export function onlineReply(count: number): Uint8Array {
    const body = new Uint8Array(4);
    new DataView(body.buffer).setUint32(0, count);
    return encodePacket({ version: Version.control, operation: Operation.heartbeatReply, sequence: 0, body });
}
export function push(message: Record<string, unknown>): Uint8Array {
    return encodeJsonPacket(Operation.message, 0, message);
}
export function sendReply(sequence: number, reply: Record<string, unknown>): Uint8Array {
    return encodePacket({ version: Version.control, operation: Operation.sendReply, sequence, body: new TextEncoder().encode(JSON.stringify(reply)) });
}
export function danmaku(seq: number, text = `m${seq}`): Record<string, unknown> {
    return { cmd: "DANMU_MSG", seq, info: [[0, 1, 25, 16777215], text, [1, "alice"]] };
}

// Starts the connection, opens its socket and accepts the auth.
export async function joined(h: Harness): Promise<FakeSocket> {
    if (h.connection.state() === "closed") {
        h.connection.start();
    }
    const socket = h.socket();
    socket.open();
    socket.receive(authReply());
    await h.connection.drained();
    return socket;
}
