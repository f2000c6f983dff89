// The routes the streamer console uses (docs/protocol.md, "HTTP API"; docs/bots.md), typed, on
// top of the shared ApiClient's `call`: every answer is an ApiResult, never a throw.
import type { FeedbackEntry, FeedbackPage } from "../live/feedback.js";
import type { ApiClient, ApiResult, RoomInfo } from "../live/api_client.js";
import type { WordEntry } from "./validate.js";

// A running mute or ban.
export interface Restriction {
    readonly uid: number;
    readonly until_ms: number; // 0: until lifted
    readonly by: number;
    readonly by_role: string;
    readonly reason: string;
    readonly at_ms: number;
}
export interface RestrictionOrder {
    readonly uid: number;
    readonly for_s: number; // 0: until lifted
    readonly reason?: string;
}
export type RestrictionKind = "mutes" | "bans";

export interface LiveStatus {
    readonly live: boolean;
    readonly title: string;
    readonly area_id: number;
    readonly area_name: string;
    readonly seq?: number;
}
export interface LiveChange {
    readonly live: boolean;
    readonly title?: string;
    readonly area_id?: number;
    readonly area_name?: string;
}

export interface RunningGame {
    readonly game_id: string;
    readonly app_id: number;
    readonly app_name: string;
    readonly running_ms: number;
    readonly since_heartbeat_ms: number;
}

export interface ChatModes {
    readonly slow_s?: number; // 0..3600, 0 off
    readonly followers_only_min?: number; // -1 off, else 0..43200
    readonly guards_only?: boolean;
    readonly min_level?: number; // 0..100
}

export interface IdentityCode {
    readonly room_id: number;
    readonly code: string;
}

export interface BotCounters {
    readonly welcomes: number;
    readonly welcomes_skipped: number;
    readonly replies: number;
    readonly replies_cooling: number;
    readonly announcements: number;
    readonly announcements_offline: number;
}
export interface BotState {
    readonly rules: Record<string, unknown> | null;
    readonly counters: BotCounters;
}

// One sheet of the earnings object: gifts, super_chats, guards or paid_danmaku.
export interface EarningsLine {
    readonly orders: number;
    readonly gross: number;
    readonly earned: number;
    readonly refunds: number;
    readonly refunded_gross: number;
    readonly refunded_earned: number;
    readonly net: number;
}
export interface EarningsSheet {
    readonly gifts: EarningsLine;
    readonly super_chats: EarningsLine;
    readonly guards: EarningsLine;
    readonly paid_danmaku: EarningsLine;
    readonly net: number;
}
export interface Earnings {
    readonly uid: number;
    readonly days: readonly (EarningsSheet & { readonly day: number })[];
    readonly total: EarningsSheet & { readonly paid_out: number };
    readonly balance: number;
}

export class StreamerApi {
    constructor(
        private readonly api: ApiClient,
        readonly room: number,
    ) {}

    private path(rest: string): string {
        return `/api/v1/rooms/${this.room}${rest}`;
    }

    // A problem with a game in this room, for its developer; and the host's reports with answers.
    reportGameProblem(app: number, text: string): Promise<ApiResult<FeedbackEntry>> {
        return this.api.call("POST", `/api/v1/open/apps/${app}/feedback`, { room: this.room, text });
    }
    myReports(): Promise<ApiResult<FeedbackPage>> {
        return this.api.call("GET", "/api/v1/open/feedback");
    }

    roomInfo(): Promise<ApiResult<RoomInfo>> {
        return this.api.call("GET", this.path(""));
    }
    setLive(change: LiveChange): Promise<ApiResult<LiveStatus>> {
        return this.api.call("PUT", this.path("/live"), change);
    }

    restrictions(kind: RestrictionKind): Promise<ApiResult<Restriction[]>> {
        return this.api.call("GET", this.path(`/${kind}`));
    }
    restrict(kind: RestrictionKind, order: RestrictionOrder): Promise<ApiResult<Restriction>> {
        return this.api.call("POST", this.path(`/${kind}`), order);
    }
    lift(kind: RestrictionKind, uid: number): Promise<ApiResult<{ uid: number; lifted: boolean }>> {
        return this.api.call("DELETE", this.path(`/${kind}/${uid}`));
    }

    addManager(uid: number): Promise<ApiResult<{ managers: number[] }>> {
        return this.api.call("PUT", this.path(`/managers/${uid}`));
    }
    removeManager(uid: number): Promise<ApiResult<{ managers: number[] }>> {
        return this.api.call("DELETE", this.path(`/managers/${uid}`));
    }

    // The open-platform games running in the room now (GET .../games).
    games(): Promise<ApiResult<{ games: readonly RunningGame[] }>> {
        return this.api.call("GET", this.path("/games"));
    }

    // The modes in force and the room mute, if any (GET .../chat-modes).
    chatModes(): Promise<ApiResult<ChatModes & { room_mute: { until_ms: number; reason: string } | null }>> {
        return this.api.call("GET", this.path("/chat-modes"));
    }
    setChatModes(modes: ChatModes): Promise<ApiResult<ChatModes>> {
        return this.api.call("PUT", this.path("/chat-modes"), modes);
    }
    muteRoom(forS: number, reason?: string): Promise<ApiResult<unknown>> {
        return this.api.call("PUT", this.path("/room-mute"), reason === undefined ? { for_s: forS } : { for_s: forS, reason });
    }
    unmuteRoom(): Promise<ApiResult<unknown>> {
        return this.api.call("DELETE", this.path("/room-mute"));
    }

    words(): Promise<ApiResult<{ entries: WordEntry[] }>> {
        return this.api.call("GET", this.path("/words"));
    }
    setWords(entries: readonly WordEntry[]): Promise<ApiResult<{ entries: number }>> {
        return this.api.call("PUT", this.path("/words"), { entries });
    }

    identityCode(): Promise<ApiResult<IdentityCode>> {
        return this.api.call("GET", this.path("/open/code"));
    }
    refreshIdentityCode(): Promise<ApiResult<IdentityCode>> {
        return this.api.call("POST", this.path("/open/code/refresh"));
    }

    bots(): Promise<ApiResult<BotState>> {
        return this.api.call("GET", this.path("/bots"));
    }
    setBots(rules: Record<string, unknown>): Promise<ApiResult<{ rules: Record<string, unknown> | null }>> {
        return this.api.call("PUT", this.path("/bots"), rules);
    }

    earnings(query: { from?: number; to?: number } = {}): Promise<ApiResult<Earnings>> {
        const parts = Object.entries(query).map(([key, value]) => `${key}=${value}`);
        return this.api.call("GET", `/api/v1/earnings${parts.length === 0 ? "" : `?${parts.join("&")}`}`);
    }
}
