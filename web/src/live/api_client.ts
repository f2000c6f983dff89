// The HTTP API calls the viewer page makes (docs/protocol.md, "HTTP API"): every answer is the
// envelope {"code","message","data"}; code 0 gives the typed data, anything else an ApiError
// with the code, message and HTTP status. Failures are returned, never thrown.
//
// No DOM: fetch is injected (the browser's `fetch.bind(globalThis)`, a fake in tests).
// Owner thread only (the page's).
import type { PaidAction } from "./paid_action.js";

export interface ResponseLike {
    readonly status: number;
    text(): Promise<string>;
}
export interface RequestLike {
    readonly method: string;
    readonly headers: Record<string, string>;
    readonly body?: string;
}
export type FetchLike = (url: string, init: RequestLike) => Promise<ResponseLike>;

export type ApiError =
    // The server answered with its envelope and a non-zero code.
    | { readonly kind: "api"; readonly code: number; readonly message: string; readonly status: number; readonly data: unknown }
    // No answer (offline, DNS, reset): the request may or may not have been done.
    | { readonly kind: "network"; readonly message: string }
    // An answer that is not the envelope (a proxy's HTML error page).
    | { readonly kind: "bad_answer"; readonly status: number; readonly message: string };

export type ApiResult<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: ApiError };

// Worth trying again with the same request (the same PaidAction): nothing was answered, the
// ledger was unavailable (6011), the server was shutting down (5001) or busy (3002, 429).
export function isRetryable(error: ApiError): boolean {
    if (error.kind === "network") {
        return true;
    }
    if (error.kind === "bad_answer") {
        return error.status >= 500;
    }
    return error.code === 6011 || error.code === 5001 || error.code === 3002;
}

export interface DanmakuBody {
    readonly msg: string;
    readonly color?: number;
    readonly mode?: 1 | 4 | 5;
    readonly fontsize?: number;
    readonly reply_to?: { readonly uid: number; readonly name: string };
}
export interface GiftOrder {
    readonly gift_id: number;
    readonly count?: number;
}
export interface SuperChatOrder {
    readonly price_yuan: number;
    readonly message: string;
}
export interface GuardOrder {
    readonly level: 1 | 2 | 3;
    readonly months?: number;
}

export interface Seq {
    readonly seq: number;
}
export interface LikesAnswer {
    readonly accepted: number;
    readonly capped: number;
    readonly click_count: number;
}
export interface WalletEntry {
    readonly id: number;
    readonly order_id: number;
    readonly code: number;
    readonly amount: number;
    readonly room: number;
    readonly item: number;
    readonly count: number;
    readonly created_ms: number;
}
export interface Wallet {
    readonly uid: number;
    readonly balance: number; // coins
    readonly entries: readonly WalletEntry[];
    readonly next_before?: number;
}
export interface Gift {
    readonly id: number;
    readonly name: string;
    readonly price: number; // coins
    readonly animated: boolean;
    readonly icon_url: string;
    readonly effect_url: string;
    readonly comboable: boolean;
    readonly app_id?: number;
}
interface Receipt {
    readonly order_id: number;
    readonly replayed: boolean; // true: an earlier attempt with this request_id was the one charged
    readonly balance: number;
    readonly seq: number;
}
export interface GiftReceipt extends Receipt {
    readonly gift_number: number;
    readonly combo_id: string;
    readonly combo_count: number;
    readonly total: number;
}
export interface SuperChatReceipt extends Receipt {
    readonly super_chat_id: number;
    readonly end_ms: number;
}
export interface GuardReceipt extends Receipt {
    readonly end_ms: number;
}
export interface Leaderboard {
    readonly room: number;
    readonly period: "day" | "all";
    readonly entries: readonly { readonly uid: number; readonly coins: number }[];
}
export interface RoomInfo {
    readonly id: number;
    readonly title: string;
    readonly host: number;
    readonly managers: readonly number[];
    readonly live: boolean;
    readonly area_id: number;
    readonly area_name: string;
    readonly online: number;
    readonly watched: number;
    readonly last_seq: number;
    readonly like_count: number;
}
export interface History {
    readonly messages: readonly Record<string, unknown>[]; // native bodies
    readonly gap: boolean;
    readonly first_available: number;
    readonly last_seq: number;
}

export interface ApiClientOptions {
    readonly baseUrl: string; // "" for the page's own origin, or "https://host"
    readonly token?: string;
}

export class ApiClient {
    constructor(
        private readonly options: ApiClientOptions,
        private readonly fetch: FetchLike,
    ) {}

    room(room: number): Promise<ApiResult<RoomInfo>> {
        return this.call("GET", `/api/v1/rooms/${room}`);
    }

    history(room: number, query: { after: number; limit?: number }): Promise<ApiResult<History>> {
        return this.call("GET", `/api/v1/rooms/${room}/history${queryString(query)}`);
    }

    gifts(): Promise<ApiResult<Gift[]>> {
        return this.call("GET", "/api/v1/gifts");
    }

    wallet(query: { before?: number; limit?: number } = {}): Promise<ApiResult<Wallet>> {
        return this.call("GET", `/api/v1/wallet${queryString(query)}`);
    }

    // The signed-in user's coins: the wallet's first page, one row.
    async walletBalance(): Promise<ApiResult<number>> {
        const wallet = await this.wallet({ limit: 1 });
        return wallet.ok ? { ok: true, data: wallet.data.balance } : wallet;
    }

    leaderboard(room: number, query: { period?: "day" | "all"; limit?: number } = {}): Promise<ApiResult<Leaderboard>> {
        return this.call("GET", `/api/v1/rooms/${room}/leaderboard${queryString(query)}`);
    }

    // A free danmaku. In a room that charges for danmaku (6012) use sendPaidDanmaku.
    sendDanmaku(room: number, body: DanmakuBody): Promise<ApiResult<Seq>> {
        return this.call("POST", `/api/v1/rooms/${room}/danmaku`, body);
    }

    sendPaidDanmaku(room: number, action: PaidAction<DanmakuBody>): Promise<ApiResult<Seq>> {
        return this.call("POST", `/api/v1/rooms/${room}/danmaku`, action.requestBody());
    }

    // `count` taps in 1..1000 as one request (LikeBatcher makes the batches).
    sendLikes(room: number, count: number): Promise<ApiResult<LikesAnswer>> {
        return this.call("POST", `/api/v1/rooms/${room}/likes`, { count });
    }

    sendGift(room: number, action: PaidAction<GiftOrder>): Promise<ApiResult<GiftReceipt>> {
        return this.call("POST", `/api/v1/rooms/${room}/gifts`, action.requestBody());
    }

    sendSuperChat(room: number, action: PaidAction<SuperChatOrder>): Promise<ApiResult<SuperChatReceipt>> {
        return this.call("POST", `/api/v1/rooms/${room}/super-chats`, action.requestBody());
    }

    buyGuard(room: number, action: PaidAction<GuardOrder>): Promise<ApiResult<GuardReceipt>> {
        return this.call("POST", `/api/v1/rooms/${room}/guards`, action.requestBody());
    }

    // One request and its envelope. `T` is what the route's documented `data` is; the server is
    // trusted for its shape (the envelope itself is checked).
    async call<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
        const headers: Record<string, string> = { Accept: "application/json" };
        if (this.options.token !== undefined) {
            headers["Authorization"] = `Bearer ${this.options.token}`;
        }
        const init: { method: string; headers: Record<string, string>; body?: string } = { method, headers };
        if (body !== undefined) {
            headers["Content-Type"] = "application/json";
            init.body = JSON.stringify(body);
        }
        let status: number;
        let text: string;
        try {
            const response = await this.fetch(`${this.options.baseUrl}${path}`, init);
            status = response.status;
            text = await response.text();
        } catch (caught) {
            return { ok: false, error: { kind: "network", message: caught instanceof Error ? caught.message : String(caught) } };
        }
        return parseEnvelope<T>(status, text);
    }
}

// The envelope of one answer. Pure.
export function parseEnvelope<T>(status: number, text: string): ApiResult<T> {
    let envelope: unknown;
    try {
        envelope = JSON.parse(text);
    } catch {
        return { ok: false, error: { kind: "bad_answer", status, message: `not JSON (HTTP ${status})` } };
    }
    if (typeof envelope !== "object" || envelope === null || typeof (envelope as { code?: unknown }).code !== "number") {
        return { ok: false, error: { kind: "bad_answer", status, message: `no code in the answer (HTTP ${status})` } };
    }
    const { code, message, data } = envelope as { code: number; message?: unknown; data?: unknown };
    if (code === 0 && status >= 200 && status < 300) {
        return { ok: true, data: data as T };
    }
    const messageText = typeof message === "string" ? message : "";
    return { ok: false, error: { kind: "api", code: code === 0 ? -1 : code, message: messageText, status, data } };
}

function queryString(query: Record<string, string | number | undefined>): string {
    const parts: string[] = [];
    for (const [name, value] of Object.entries(query)) {
        if (value !== undefined) {
            parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
        }
    }
    return parts.length === 0 ? "" : `?${parts.join("&")}`;
}
