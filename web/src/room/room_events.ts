// What a native-dialect push (docs/protocol.md; src/message/native_dialect.cpp lists every kind)
// means to a room page: one typed event, or nothing for kinds the page does not show. Pure, so
// the page's reactions are tested without a browser. Strings stay strings: the page renders
// them as text.

import type { PinnedSuperChat } from "./super_chat_board.js";

export interface Speaker {
    uid: number;
    name: string;
}

export type RoomEvent =
    | { kind: "danmaku"; seq: number; user: Speaker; text: string; color: number; mode: number; fontSize: number }
    | { kind: "gift"; seq: number; user: Speaker; giftName: string; count: number; comboTotal: number; price: number }
    | { kind: "super_chat"; seq: number; chat: PinnedSuperChat }
    | { kind: "super_chat_delete"; ids: number[] }
    | { kind: "guard"; seq: number; user: Speaker; level: number; months: number }
    | { kind: "moderation"; seq: number; action: string; target: Speaker; untilMs: number; text: string }
    | { kind: "system"; seq: number; text: string }
    | { kind: "likes"; total: number }
    | { kind: "live"; seq: number; live: boolean; title: string }
    | { kind: "online"; count: number };

const GUARD_NAMES = ["", "总督", "提督", "舰长"];

export function roomEvent(message: Record<string, unknown>): RoomEvent | undefined {
    const data = object(message.data);
    const seq = number(message.seq);
    const user = speaker(message.user);
    switch (message.cmd) {
        case "danmaku":
            return {
                kind: "danmaku",
                seq,
                user,
                text: string(data.text),
                color: number(data.color, 0xffffff),
                mode: number(data.mode, 1),
                fontSize: number(data.fontsize, 25),
            };
        case "gift":
            return {
                kind: "gift",
                seq,
                user,
                giftName: string(data.name),
                count: number(data.count, 1),
                comboTotal: number(data.combo_total, number(data.count, 1)),
                price: number(data.total),
            };
        case "super_chat":
            return {
                kind: "super_chat",
                seq,
                chat: {
                    id: number(data.id),
                    uid: user.uid,
                    name: user.name,
                    text: string(data.text),
                    priceYuan: number(data.price_yuan),
                    startMs: number(data.start_ms),
                    endMs: number(data.end_ms),
                },
            };
        case "super_chat_delete":
            return { kind: "super_chat_delete", ids: Array.isArray(data.ids) ? data.ids.map((id) => number(id)) : [] };
        case "guard_buy":
            return { kind: "guard", seq, user, level: number(data.level), months: number(data.months, 1) };
        case "moderation":
            return moderation(seq, user, data);
        case "system":
            return { kind: "system", seq, text: string(data.text) };
        case "like_total":
            return { kind: "likes", total: number(data.click_count) };
        case "live_status":
            return { kind: "live", seq, live: data.live === true, title: string(data.title) };
        case "online":
            return { kind: "online", count: number(data.online) };
        default:
            return undefined;
    }
}

export function guardName(level: number): string {
    return GUARD_NAMES[level] ?? "guard";
}

function moderation(seq: number, by: Speaker, data: Record<string, unknown>): RoomEvent {
    const action = string(data.action);
    const target = speaker(data.target);
    const untilMs = number(data.until_ms);
    const until = untilMs > 0 ? ` until ${new Date(untilMs).toISOString().slice(11, 16)} UTC` : "";
    const who = target.name !== "" ? target.name : `uid ${target.uid}`;
    const modes = object(data.modes);
    const texts: Record<string, string> = {
        mute: `${who} was muted${until}`,
        unmute: `${who} may speak again`,
        ban: `${who} was banned${until}`,
        unban: `${who} was unbanned`,
        kick: `${who} was removed from the room`,
        room_mute: `the room is muted${until}`,
        room_unmute: "the room may speak again",
        chat_mode: chatModeText(modes),
        managers: "the room's managers changed",
        message_delete: "a message was removed",
        warning: `the host was warned: ${string(data.reason)}`,
        cut_off: `the stream was cut off: ${string(data.reason)}`,
    };
    void by;
    return { kind: "moderation", seq, action, target, untilMs, text: texts[action] ?? `moderation: ${action}` };
}

function chatModeText(modes: Record<string, unknown>): string {
    const parts: string[] = [];
    const slow = number(modes.slow_s);
    if (slow > 0) {
        parts.push(`slow mode: one message every ${slow} s`);
    }
    if (number(modes.followers_only_min, -1) >= 0) {
        parts.push("followers only");
    }
    if (modes.guards_only === true) {
        parts.push("guards only");
    }
    if (number(modes.min_level) > 0) {
        parts.push(`level ${number(modes.min_level)} and up`);
    }
    return parts.length === 0 ? "chat is open to everyone" : parts.join(", ");
}

function object(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function number(value: unknown, fallback = 0): number {
    return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function string(value: unknown): string {
    return typeof value === "string" ? value : "";
}

function speaker(value: unknown): Speaker {
    const user = object(value);
    return { uid: number(user.uid), name: string(user.name) };
}
