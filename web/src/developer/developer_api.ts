// The developer console's calls (docs/protocol.md, `/api/v1/open`; docs/open-platform.md,
// "Developers and apps", "Debug tool", "Interactive gifts", "The asset library"): typed
// wrappers over ApiClient.call, and the pure helpers the page uses to build a debug event and to
// read call statistics. No DOM.
//
// Secrets: createApp and rotateSecret answer the access key secret once; nothing here keeps it.
import type { FeedbackPage } from "../live/feedback.js";
import type { ApiClient, ApiError, ApiResult } from "../live/api_client.js";

export type ReviewStatus = "draft" | "in_review" | "approved" | "rejected";

export interface App {
    app_id: number;
    developer: number;
    name: string;
    description: string;
    access_key_id: string;
    status: ReviewStatus;
    reject_reason: string;
    submitted_ms: number;
    whitelist: number[];
}

// The answer of create and rotate: the only time the secret is seen.
export interface AppKeys {
    app_id: number;
    access_key_id: string;
    access_key_secret: string;
    status: ReviewStatus;
}

export interface AuditEntry {
    id: number;
    at_ms: number;
    actor: number;
    action: string;
    app_id: number;
    room: number;
    subject: number;
    detail: string;
}

export interface AuditPage {
    entries: AuditEntry[];
    next_before?: number;
}

export interface InteractiveGift {
    gift_id: number;
    app_id: number;
    name: string;
    price: number;
    asset_id: number;
    effect_asset_id: number;
    animated: boolean;
    comboable: boolean;
    icon_url: string;
    effect_url: string;
    status: ReviewStatus;
    reject_reason: string;
    submitted_ms: number;
}

export interface GiftDraft {
    name: string;
    price: number;
    asset_id: number;
    effect_asset_id?: number;
    comboable?: boolean;
}

export interface Asset {
    asset_id: number;
    name: string;
    url: string;
    sha256: string;
    media_type: string;
    bytes: number;
    width: number;
    height: number;
    created_ms: number;
}

export interface EndpointStats {
    endpoint: string;
    calls: number;
    errors: Record<string, number>;
    p50_ms: number;
    p99_ms: number;
}

export interface AppStats {
    app_id: number;
    since_ms: number;
    endpoints: EndpointStats[];
}

export interface ShareChange {
    effective_ms: number;
    per_mille: number;
    set_by: number;
    created_ms: number;
}

// What share of its interactive gifts' platform part the app earns (docs/open-platform.md,
// "Settlement"), read-only for the developer.
export interface AppShare {
    app_id: number;
    in_force: { per_mille: number; effective_ms: number; from_default: boolean };
    changes: ShareChange[];
    default_changes: ShareChange[];
}

// "30 %" for 300 per mille, "2.5 %" for 25. Pure.
export function perMilleText(perMille: number): string {
    return `${perMille / 10} %`;
}

export interface DebugAnswer {
    seq: number;
    test: boolean;
}

export const kReviewStatusText: Record<ReviewStatus, string> = {
    draft: "draft (not submitted)",
    in_review: "in review",
    approved: "approved",
    rejected: "rejected",
};

// May the developer edit or submit it? Not while in review (9004); approved apps may be
// edited (they become drafts again) but not submitted.
export function maySubmit(status: ReviewStatus): boolean {
    return status === "draft" || status === "rejected";
}
export function mayEdit(status: ReviewStatus): boolean {
    return status !== "in_review";
}

// What starting a test game answers: /v2/app/start's data.
export interface TestGameStart {
    readonly game_info: { readonly game_id: string };
    readonly websocket_info: { readonly auth_body: string; readonly wss_link: readonly string[] };
}

// One UTC day of an app's bill: its interactive gifts' gross and the app's cut, in coins.
export interface BillDay {
    readonly day: number; // YYYYMMDD
    readonly gross: number;
    readonly app_coins: number;
}

export class DeveloperApi {
    constructor(private readonly api: ApiClient) {}

    apps(): Promise<ApiResult<App[]>> {
        return this.api.call("GET", "/api/v1/open/apps");
    }
    app(app: number): Promise<ApiResult<App>> {
        return this.api.call("GET", `/api/v1/open/apps/${app}`);
    }
    createApp(body: { name: string; description?: string }): Promise<ApiResult<AppKeys>> {
        return this.api.call("POST", "/api/v1/open/apps", body);
    }
    editApp(app: number, body: { name: string; description?: string }): Promise<ApiResult<App>> {
        return this.api.call("PUT", `/api/v1/open/apps/${app}`, body);
    }
    submitApp(app: number): Promise<ApiResult<App>> {
        return this.api.call("POST", `/api/v1/open/apps/${app}/submit`);
    }
    rotateSecret(app: number): Promise<ApiResult<AppKeys>> {
        return this.api.call("POST", `/api/v1/open/apps/${app}/rotate`);
    }
    addTestRoom(app: number, room: number): Promise<ApiResult<App>> {
        return this.api.call("PUT", `/api/v1/open/apps/${app}/whitelist/${room}`);
    }
    removeTestRoom(app: number, room: number): Promise<ApiResult<App>> {
        return this.api.call("DELETE", `/api/v1/open/apps/${app}/whitelist/${room}`);
    }
    audit(app: number, limit = 20): Promise<ApiResult<AuditPage>> {
        return this.api.call("GET", `/api/v1/open/apps/${app}/audit?limit=${limit}`);
    }
    debug(app: number, room: number, body: DebugBody): Promise<ApiResult<DebugAnswer>> {
        return this.api.call("POST", `/api/v1/open/apps/${app}/debug/${room}`, body);
    }
    gifts(app: number): Promise<ApiResult<InteractiveGift[]>> {
        return this.api.call("GET", `/api/v1/open/apps/${app}/gifts`);
    }
    createGift(app: number, body: GiftDraft): Promise<ApiResult<InteractiveGift>> {
        return this.api.call("POST", `/api/v1/open/apps/${app}/gifts`, body);
    }
    submitGift(app: number, gift: number): Promise<ApiResult<InteractiveGift>> {
        return this.api.call("POST", `/api/v1/open/apps/${app}/gifts/${gift}/submit`);
    }
    assets(): Promise<ApiResult<{ assets: Asset[] }>> {
        return this.api.call("GET", "/api/v1/open/assets");
    }
    share(app: number): Promise<ApiResult<AppShare>> {
        return this.api.call("GET", `/api/v1/open/apps/${app}/share`);
    }
    // 404 (HTTP) on a server without the route: see statsUnavailable.
    stats(app: number): Promise<ApiResult<AppStats>> {
        return this.api.call("GET", `/api/v1/open/apps/${app}/stats`);
    }
    // A game of this app started in one of its test rooms (POST .../test-game), and kept alive.
    startTestGame(app: number, room: number): Promise<ApiResult<TestGameStart>> {
        return this.api.call("POST", `/api/v1/open/apps/${app}/test-game`, { room });
    }
    testGameHeartbeat(app: number, gameId: string): Promise<ApiResult<{ game_id: string }>> {
        return this.api.call("POST", `/api/v1/open/apps/${app}/test-game/heartbeat`, { game_id: gameId });
    }
    bills(app: number): Promise<ApiResult<{ app_id: number; days: readonly BillDay[] }>> {
        return this.api.call("GET", `/api/v1/open/apps/${app}/bills`);
    }
    feedback(app: number): Promise<ApiResult<FeedbackPage>> {
        return this.api.call("GET", `/api/v1/open/apps/${app}/feedback`);
    }
    answerFeedback(app: number, id: number, text: string): Promise<ApiResult<{ id: number; answer: string }>> {
        return this.api.call("POST", `/api/v1/open/apps/${app}/feedback/${id}/answer`, { text });
    }
}

// True when the answer says the server has no statistics route (an older build): HTTP 404 that
// is not the "no such app" code 9000.
export function statsUnavailable(result: ApiResult<AppStats>): boolean {
    if (result.ok) {
        return false;
    }
    const error = result.error;
    return (error.kind === "api" && error.status === 404 && error.code !== 9000) || (error.kind === "bad_answer" && error.status === 404);
}

// ---- The debug tool's form -------------------------------------------------------------------

export type DebugKind = "danmaku" | "gift" | "super_chat" | "guard" | "like";
export const kDebugKinds: readonly DebugKind[] = ["danmaku", "gift", "super_chat", "guard", "like"];

export type DebugBody =
    | { kind: "danmaku"; text: string; uname?: string }
    | { kind: "gift"; gift_id: number; gift_name: string; count?: number; price?: number; interactive?: boolean; uname?: string }
    | { kind: "super_chat"; text: string; price_yuan: number; uname?: string }
    | { kind: "guard"; level: number; months?: number; uname?: string }
    | { kind: "like"; count?: number; uname?: string };

// What the form holds, all as typed text.
export interface DebugForm {
    kind: DebugKind;
    room: string;
    text: string; // danmaku and super chat text
    uname: string;
    giftId: string;
    giftName: string;
    count: string; // gift count, guard months, like taps
    price: string; // gift price (coins) or super chat price (yuan)
    level: string; // guard level 1..3
    interactive: boolean;
}

export const kEmptyDebugForm: DebugForm = {
    kind: "danmaku",
    room: "",
    text: "",
    uname: "",
    giftId: "1",
    giftName: "",
    count: "1",
    price: "",
    level: "3",
    interactive: false,
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function positiveInteger(text: string, what: string, max: number): Parsed<number> {
    const trimmed = text.trim();
    if (!/^[0-9]{1,16}$/.test(trimmed)) {
        return { ok: false, problem: `${what} must be a whole number` };
    }
    const value = Number(trimmed);
    if (value < 1 || value > max) {
        return { ok: false, problem: `${what} must be 1..${max}` };
    }
    return { ok: true, value };
}

// The room and the body to POST, or what is wrong with the form. Pure.
export function debugRequest(form: DebugForm): Parsed<{ room: number; body: DebugBody }> {
    const room = positiveInteger(form.room, "the room", Number.MAX_SAFE_INTEGER);
    if (!room.ok) {
        return room;
    }
    const uname = form.uname.trim();
    const named = uname === "" ? {} : { uname };
    const optional = (text: string, what: string, max: number): Parsed<number | undefined> =>
        text.trim() === "" ? { ok: true, value: undefined } : positiveInteger(text, what, max);
    let body: DebugBody;
    switch (form.kind) {
        case "danmaku": {
            if (form.text.trim() === "") {
                return { ok: false, problem: "a danmaku needs text" };
            }
            body = { kind: "danmaku", text: form.text, ...named };
            break;
        }
        case "super_chat": {
            if (form.text.trim() === "") {
                return { ok: false, problem: "a super chat needs text" };
            }
            const price = positiveInteger(form.price, "the price (yuan)", 1_000_000);
            if (!price.ok) {
                return price;
            }
            body = { kind: "super_chat", text: form.text, price_yuan: price.value, ...named };
            break;
        }
        case "gift": {
            const giftId = positiveInteger(form.giftId, "the gift id", 2_147_483_647);
            if (!giftId.ok) {
                return giftId;
            }
            const count = optional(form.count, "the count", 1_000_000);
            const price = optional(form.price, "the price (coins)", 1_000_000_000);
            if (!count.ok) {
                return count;
            }
            if (!price.ok) {
                return price;
            }
            const name = form.giftName.trim() === "" ? `gift ${giftId.value}` : form.giftName.trim();
            body = {
                kind: "gift",
                gift_id: giftId.value,
                gift_name: name,
                ...(count.value === undefined ? {} : { count: count.value }),
                ...(price.value === undefined ? {} : { price: price.value }),
                ...(form.interactive ? { interactive: true } : {}),
                ...named,
            };
            break;
        }
        case "guard": {
            const level = positiveInteger(form.level, "the guard level", 3);
            if (!level.ok) {
                return level;
            }
            const months = optional(form.count, "the months", 120);
            if (!months.ok) {
                return months;
            }
            body = { kind: "guard", level: level.value, ...(months.value === undefined ? {} : { months: months.value }), ...named };
            break;
        }
        case "like": {
            const count = optional(form.count, "the taps", 1000);
            if (!count.ok) {
                return count;
            }
            body = { kind: "like", ...(count.value === undefined ? {} : { count: count.value }), ...named };
            break;
        }
    }
    return { ok: true, value: { room: room.value, body } };
}

// ---- Call statistics -------------------------------------------------------------------------

export interface StatsRow {
    endpoint: string;
    calls: number;
    errorCount: number;
    errorRate: string; // "0 %", "12.5 %", "—" with no calls
    errorCodes: string; // "4002 × 3, 7003 × 1", most frequent first; "" without errors
    p50: string;
    p99: string;
}

function milliseconds(value: number): string {
    if (!Number.isFinite(value)) {
        return "—";
    }
    return value >= 100 ? `${Math.round(value)} ms` : `${Math.round(value * 10) / 10} ms`;
}

// One printable row per endpoint, busiest first. Pure.
export function statsRows(stats: AppStats): StatsRow[] {
    return [...stats.endpoints]
        .sort((a, b) => b.calls - a.calls || a.endpoint.localeCompare(b.endpoint))
        .map((endpoint) => {
            const codes = Object.entries(endpoint.errors ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
            const errorCount = codes.reduce((sum, [, count]) => sum + count, 0);
            const rate = endpoint.calls === 0 ? "—" : `${Math.round((errorCount / endpoint.calls) * 1000) / 10} %`;
            return {
                endpoint: endpoint.endpoint,
                calls: endpoint.calls,
                errorCount,
                errorRate: rate,
                errorCodes: codes.map(([code, count]) => `${code} × ${count}`).join(", "),
                p50: milliseconds(endpoint.p50_ms),
                p99: milliseconds(endpoint.p99_ms),
            };
        });
}

// A failed answer as one line: the server's message, code and HTTP status. Pure.
export function describeError(error: ApiError): string {
    if (error.kind === "api") {
        return `${error.message || "refused"} (code ${error.code}, HTTP ${error.status})`;
    }
    if (error.kind === "bad_answer") {
        return `unexpected answer: ${error.message}`;
    }
    return `no answer from the server: ${error.message}`;
}
