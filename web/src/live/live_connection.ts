// One page's long connection to a room (docs/protocol.md, "Long connections"): auth (op 7),
// heartbeats (op 2 every 30 s), the online count (op 3), pushes (op 5), answers to sends
// (op 1000 for op 4), and reconnecting with capped exponential backoff and jitter, resuming
// with last_seq so that nothing is missed and nothing is emitted twice.
//
// No DOM: the WebSocket constructor and the clock are injected (tests pass fakes). Nothing grows
// with time: seen seqs, pending sends and queued messages all have a maximum (LiveLimits).
// Owner thread only (the page's).
import type { Clock, TimerHandle } from "../presenter/clock.js";
import {
    decodeMessage,
    encodeJsonPacket,
    encodePacket,
    kDefaultPacketLimits,
    Operation,
    Version,
    type Packet,
    type PacketLimits,
    type PacketProblem,
} from "./packet.js";
import { SeenWindow } from "./seen_window.js";

// What the connection needs of a WebSocket; the browser's satisfies it (checked against
// lib.dom's types by hand). One overload per event, so each listener sees its event's shape.
export interface WebSocketLike {
    binaryType: string;
    send(data: Uint8Array): void;
    close(code?: number, reason?: string): void;
    addEventListener(type: "open", listener: (event: unknown) => void): void;
    addEventListener(type: "message", listener: (event: { readonly data: unknown }) => void): void;
    addEventListener(type: "close", listener: (event: { readonly code: number; readonly reason: string }) => void): void;
    addEventListener(type: "error", listener: (event: unknown) => void): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export type Dialect = "web" | "native";
// 3 (brotli) is left out on purpose: browsers cannot inflate it.
export type BrowserProtover = 0 | 2;

export interface LiveLimits {
    readonly packet: PacketLimits;
    readonly seenKeysMax: number; // seq+cmd keys remembered to drop repeats
    readonly pendingSendsMax: number; // op 4 sends waiting for their op 1000
    readonly queuedMessagesMax: number; // WebSocket messages waiting to be decoded
}

export const kDefaultLiveLimits: LiveLimits = {
    packet: kDefaultPacketLimits,
    // A replay is at most the room's history (rooms.history_length, 1000 by default) times the
    // few cmds one event may carry.
    seenKeysMax: 4096,
    pendingSendsMax: 64,
    // Inflating is asynchronous; a page that falls this far behind is better off reconnecting
    // and resuming than holding an ever longer queue.
    queuedMessagesMax: 256,
};

export interface LiveOptions {
    readonly url: string; // ws(s)://host/sub
    readonly roomId: number;
    readonly token?: string;
    readonly dialect?: Dialect;
    readonly protover?: BrowserProtover;
    readonly lastSeq?: number; // resume from here on the first connect too (e.g. after history)
    readonly heartbeatIntervalMs?: number; // 30 s: the server closes after 70 s without one
    readonly authTimeoutMs?: number; // no op 8 this long after opening: reconnect
    readonly silenceTimeoutMs?: number; // nothing received this long while joined: reconnect
    readonly sendTimeoutMs?: number; // an op 4 without its op 1000 this long: "timeout"
    readonly backoffInitialMs?: number;
    readonly backoffMaxMs?: number;
    readonly limits?: LiveLimits;
    readonly random?: () => number; // [0, 1), for jitter
}

export type LiveState = "connecting" | "joined" | "waiting" | "closed";

export interface HistoryGap {
    readonly requestedAfter: number;
    readonly firstAvailable: number;
}

export type LiveError =
    | { readonly kind: "auth_refused"; readonly code: number; readonly error: number; readonly message: string; readonly retrying: boolean }
    | { readonly kind: "bad_message"; readonly problem: PacketProblem | "bad_json" | "queue_full" }
    | { readonly kind: "timeout"; readonly what: "auth" | "silence" }
    | { readonly kind: "closed"; readonly code: number; readonly reason: string };

export type SendOutcome =
    | { readonly kind: "ok"; readonly data: unknown }
    | { readonly kind: "refused"; readonly code: number; readonly message: string; readonly data: unknown }
    | { readonly kind: "not_joined" } // nothing was sent
    | { readonly kind: "busy" } // pendingSendsMax sends already wait; nothing was sent
    | { readonly kind: "timeout" } // sent, no answer in time: it may or may not have been taken
    | { readonly kind: "connection_lost" }; // sent, the connection ended before the answer

export interface LiveEvents {
    onMessage?(message: Record<string, unknown>): void;
    onOnline?(count: number): void;
    onGap?(gap: HistoryGap): void;
    onState?(state: LiveState): void;
    onError?(error: LiveError): void;
}

// op 8 codes after which joining again later may work; any other refusal (a bad token 2001..2004,
// an unknown room 3000, a ban 3101, a kick 3102, ...) stops the connection for good.
const kRetryableAuthErrors: ReadonlySet<number> = new Set([3002, 4017, 5000, 5001]);
const kBackoffExponentMax = 16;
const kSequenceFirst = 2; // 1 is the auth's

interface PendingSend {
    readonly resolve: (outcome: SendOutcome) => void;
    readonly timer: TimerHandle;
}

const textDecoder = new TextDecoder();

export class LiveConnection {
    private readonly limits: LiveLimits;
    private readonly seen: SeenWindow;
    private readonly random: () => number;
    private stateNow: LiveState = "closed";
    private stopped = true;
    private socket: WebSocketLike | undefined;
    private generation = 0; // which socket the callbacks belong to
    private attempt = 0; // failures since the last successful join
    private nextSequence = kSequenceFirst;
    private readonly pending = new Map<number, PendingSend>();
    private queued = 0;
    private chain: Promise<void> = Promise.resolve();
    private heartbeatTimer: TimerHandle | undefined;
    private watchTimer: TimerHandle | undefined;
    private reconnectTimer: TimerHandle | undefined;
    private lastReceivedMs = 0;

    constructor(
        private readonly options: LiveOptions,
        private readonly webSocket: WebSocketConstructor,
        private readonly clock: Clock,
        private readonly events: LiveEvents,
    ) {
        if (options.protover !== undefined && options.protover !== 0 && options.protover !== 2) {
            throw new RangeError("a browser asks protover 0 or 2: it cannot inflate brotli (3)");
        }
        this.limits = options.limits ?? kDefaultLiveLimits;
        this.seen = new SeenWindow(this.limits.seenKeysMax);
        this.random = options.random ?? Math.random;
        if (options.lastSeq !== undefined) {
            this.seen.startAfter(options.lastSeq);
        }
    }

    state(): LiveState {
        return this.stateNow;
    }

    // The highest seq emitted: what a reconnect resumes after.
    lastSeq(): number {
        return this.seen.highestSeq();
    }

    start(): void {
        if (!this.stopped) {
            return;
        }
        this.stopped = false;
        this.connect();
    }

    // Closes for good; pending sends answer "connection_lost".
    stop(): void {
        this.stopped = true;
        this.dropSocket();
        this.cancel("reconnectTimer");
        this.setState("closed");
    }

    // Sends an op 4 (a danmaku, likes, a custom message) and answers with its op 1000.
    send(body: unknown): Promise<SendOutcome> {
        if (this.stateNow !== "joined" || this.socket === undefined) {
            return Promise.resolve({ kind: "not_joined" });
        }
        if (this.pending.size >= this.limits.pendingSendsMax) {
            return Promise.resolve({ kind: "busy" });
        }
        const sequence = this.takeSequence();
        this.socket.send(encodeJsonPacket(Operation.send, sequence, body));
        return new Promise((resolve) => {
            const timer = this.clock.setTimer(this.options.sendTimeoutMs ?? 10_000, () => {
                this.settle(sequence, { kind: "timeout" });
            });
            this.pending.set(sequence, { resolve, timer });
        });
    }

    // Resolves once every message received so far has been decoded and emitted (for tests, and
    // for a page that wants to act after a burst).
    drained(): Promise<void> {
        return this.chain;
    }

    // Sizes of everything that holds data, for tests of boundedness.
    footprint(): { seenKeys: number; pendingSends: number; queuedMessages: number } {
        return { seenKeys: this.seen.size(), pendingSends: this.pending.size, queuedMessages: this.queued };
    }

    private connect(): void {
        this.setState("connecting");
        const generation = ++this.generation;
        const socket = new this.webSocket(this.options.url);
        this.socket = socket;
        socket.binaryType = "arraybuffer";
        const mine = () => generation === this.generation;
        // A dropped socket's late events find another generation and are ignored.
        socket.addEventListener("open", () => mine() && this.opened());
        socket.addEventListener("message", (event) => mine() && this.received(event.data, generation));
        socket.addEventListener("close", (event) => mine() && this.lost({ kind: "closed", code: event.code, reason: event.reason }));
        socket.addEventListener("error", () => mine() && this.lost({ kind: "closed", code: 1006, reason: "error" }));
    }

    private opened(): void {
        const body: Record<string, unknown> = {
            roomid: this.options.roomId,
            uid: 0,
            protover: this.options.protover ?? 2,
            platform: "web",
            type: 2,
            dialect: this.options.dialect ?? "web",
        };
        if (this.options.token !== undefined) {
            body["key"] = this.options.token;
        }
        if (this.seen.highestSeq() > 0) {
            body["last_seq"] = this.seen.highestSeq();
        }
        this.lastReceivedMs = this.clock.nowMs();
        this.socket?.send(encodeJsonPacket(Operation.auth, 1, body));
        this.watch(this.options.authTimeoutMs ?? 10_000, "auth");
    }

    private received(data: unknown, generation: number): void {
        const bytes = toBytes(data);
        if (bytes === undefined) {
            return;
        }
        if (this.queued >= this.limits.queuedMessagesMax) {
            this.fail({ kind: "bad_message", problem: "queue_full" });
            return;
        }
        this.queued++;
        this.chain = this.chain.then(() => this.decodeAndHandle(bytes, generation)).catch(rethrowLater);
    }

    // One message, in its turn: decoded, then each packet handled, unless its socket was
    // dropped meanwhile.
    private async decodeAndHandle(bytes: Uint8Array, generation: number): Promise<void> {
        const decoded = await decodeMessage(bytes, this.limits.packet);
        if (generation !== this.generation) {
            return; // its socket was dropped (and the count reset) meanwhile
        }
        this.queued--;
        if (!decoded.ok) {
            this.fail({ kind: "bad_message", problem: decoded.problem });
            return;
        }
        for (const packet of decoded.packets) {
            if (generation !== this.generation) {
                return;
            }
            this.handle(packet);
        }
    }

    private handle(packet: Packet): void {
        this.lastReceivedMs = this.clock.nowMs();
        switch (packet.operation) {
            case Operation.authReply:
                this.authAnswered(packet);
                return;
            case Operation.heartbeatReply:
                if (packet.body.length >= 4) {
                    const view = new DataView(packet.body.buffer, packet.body.byteOffset, 4);
                    this.events.onOnline?.(view.getUint32(0));
                }
                return;
            case Operation.message:
                this.pushed(packet);
                return;
            case Operation.sendReply:
                this.sendAnswered(packet);
                return;
            default:
                return; // other ops are not for pages
        }
    }

    private authAnswered(packet: Packet): void {
        const reply = parseJson(packet.body);
        const code = typeof reply?.["code"] === "number" ? reply["code"] : -1;
        if (code === 0) {
            this.attempt = 0;
            this.setState("joined");
            this.cancel("watchTimer");
            this.heartbeat();
            return;
        }
        const error = typeof reply?.["error"] === "number" ? reply["error"] : 0;
        const message = typeof reply?.["message"] === "string" ? reply["message"] : "auth refused";
        const retrying = kRetryableAuthErrors.has(error);
        this.events.onError?.({ kind: "auth_refused", code, error, message, retrying });
        if (!retrying) {
            this.stop();
            return;
        }
        this.lost(undefined);
    }

    private pushed(packet: Packet): void {
        const message = parseJson(packet.body);
        if (message === undefined) {
            this.events.onError?.({ kind: "bad_message", problem: "bad_json" });
            return;
        }
        const cmd = typeof message["cmd"] === "string" ? message["cmd"] : "";
        if (cmd === "BARRAGE_HISTORY_GAP" || cmd === "history_gap") {
            const data = (message["data"] ?? {}) as Record<string, unknown>;
            this.events.onGap?.({
                requestedAfter: Number(data["requested_after"] ?? 0),
                firstAvailable: Number(data["first_available"] ?? 0),
            });
            return;
        }
        const seq = message["seq"];
        if (typeof seq === "number" && Number.isSafeInteger(seq) && seq > 0 && !this.seen.admit(seq, cmd)) {
            return; // already emitted
        }
        this.events.onMessage?.(message);
    }

    private sendAnswered(packet: Packet): void {
        const reply = parseJson(packet.body);
        const code = typeof reply?.["code"] === "number" ? reply["code"] : -1;
        const data = reply?.["data"];
        if (code === 0) {
            this.settle(packet.sequence, { kind: "ok", data });
            return;
        }
        const message = typeof reply?.["message"] === "string" ? reply["message"] : "refused";
        this.settle(packet.sequence, { kind: "refused", code, message, data });
    }

    // Every heartbeatIntervalMs while joined. The server answers each with op 3, so silence
    // longer than silenceTimeoutMs means the connection is dead even if the socket says not.
    private heartbeat(): void {
        this.heartbeatTimer = undefined;
        if (this.clock.nowMs() - this.lastReceivedMs > (this.options.silenceTimeoutMs ?? 75_000)) {
            this.fail({ kind: "timeout", what: "silence" });
            return;
        }
        this.socket?.send(encodePacket({ version: Version.control, operation: Operation.heartbeat, sequence: this.takeSequence(), body: new Uint8Array(0) }));
        this.heartbeatTimer = this.clock.setTimer(this.options.heartbeatIntervalMs ?? 30_000, () => this.heartbeat());
    }

    // Arms the auth watchdog: no op 8 in time means reconnect.
    private watch(delayMs: number, what: "auth" | "silence"): void {
        this.cancel("watchTimer");
        this.watchTimer = this.clock.setTimer(delayMs, () => {
            this.watchTimer = undefined;
            this.fail({ kind: "timeout", what });
        });
    }

    private fail(error: LiveError): void {
        this.events.onError?.(error);
        this.lost(undefined);
    }

    // The socket ended (or is being given up): reconnect later unless stopped.
    private lost(error: LiveError | undefined): void {
        if (error !== undefined) {
            this.events.onError?.(error);
        }
        this.dropSocket();
        if (this.stopped) {
            return;
        }
        this.setState("waiting");
        const ceilingMs = Math.min(
            this.options.backoffMaxMs ?? 30_000,
            (this.options.backoffInitialMs ?? 1000) * 2 ** Math.min(this.attempt, kBackoffExponentMax),
        );
        this.attempt++;
        // Half fixed, half random: a room's pages dropped together do not return together.
        const delayMs = ceilingMs / 2 + (ceilingMs / 2) * this.random();
        this.reconnectTimer = this.clock.setTimer(delayMs, () => {
            this.reconnectTimer = undefined;
            this.connect();
        });
    }

    private dropSocket(): void {
        const socket = this.socket;
        this.socket = undefined;
        this.generation++;
        this.queued = 0;
        this.cancel("heartbeatTimer");
        this.cancel("watchTimer");
        for (const sequence of [...this.pending.keys()]) {
            this.settle(sequence, { kind: "connection_lost" });
        }
        socket?.close(1000, "");
    }

    private settle(sequence: number, outcome: SendOutcome): void {
        const waiting = this.pending.get(sequence);
        if (waiting === undefined) {
            return;
        }
        this.pending.delete(sequence);
        this.clock.cancelTimer(waiting.timer);
        waiting.resolve(outcome);
    }

    private cancel(name: "heartbeatTimer" | "watchTimer" | "reconnectTimer"): void {
        const timer = this[name];
        if (timer !== undefined) {
            this.clock.cancelTimer(timer);
            this[name] = undefined;
        }
    }

    private takeSequence(): number {
        const sequence = this.nextSequence;
        this.nextSequence = this.nextSequence >= 0xffff_ffff ? kSequenceFirst : this.nextSequence + 1;
        return sequence;
    }

    private setState(state: LiveState): void {
        if (state !== this.stateNow) {
            this.stateNow = state;
            this.events.onState?.(state);
        }
    }
}

// A page callback that throws is the page's bug: it is reported as uncaught (the console, a
// test's failure) and the chain of messages goes on rather than stopping for good.
function rethrowLater(error: unknown): void {
    queueMicrotask(() => {
        throw error;
    });
}

function toBytes(data: unknown): Uint8Array | undefined {
    if (data instanceof ArrayBuffer) {
        return new Uint8Array(data);
    }
    if (data instanceof Uint8Array) {
        return data;
    }
    return undefined; // text messages and Blobs: the server sends neither (binaryType arraybuffer)
}

function parseJson(body: Uint8Array): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(textDecoder.decode(body));
        return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}
