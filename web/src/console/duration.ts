// Durations as a streamer types them ("10m", "1h", "1d", "permanent") and as the moderation
// routes take them (`for_s`, 0 = until lifted), and how a running mute's end reads back.
// Pure: no DOM, no clock of its own (the caller passes now).

// The routes' bound: at most ten years (docs/protocol.md, mutes).
export const DURATION_S_MAX = 10 * 366 * 24 * 3600;

const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 };

export type DurationParse = { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly error: string };

// "90" (seconds), "30s", "10m", "1h", "1d", "2w", "1h30m", or "permanent" / "0" (until lifted,
// seconds 0). Case and spaces are ignored.
export function parseDuration(text: string): DurationParse {
    const trimmed = text.trim().toLowerCase().replace(/\s+/g, "");
    if (trimmed === "") {
        return { ok: false, error: "a duration is required (e.g. 10m, 1h, 1d or permanent)" };
    }
    if (trimmed === "permanent" || trimmed === "forever" || trimmed === "0") {
        return { ok: true, seconds: 0 };
    }
    if (/^\d+$/.test(trimmed)) {
        return bounded(Number(trimmed));
    }
    if (!/^(\d+[smhdw])+$/.test(trimmed)) {
        return { ok: false, error: `"${text.trim()}" is not a duration (e.g. 10m, 1h, 1d or permanent)` };
    }
    let seconds = 0;
    for (const part of trimmed.matchAll(/(\d+)([smhdw])/g)) {
        seconds += Number(part[1]) * UNIT_S[part[2]!]!;
    }
    return bounded(seconds);
}

function bounded(seconds: number): DurationParse {
    if (!Number.isSafeInteger(seconds) || seconds <= 0) {
        return { ok: false, error: "a duration must be above zero (or permanent)" };
    }
    if (seconds > DURATION_S_MAX) {
        return { ok: false, error: "a duration may be at most ten years" };
    }
    return { ok: true, seconds };
}

// 600 → "10m", 5400 → "1h 30m", 0 → "permanent".
export function formatDuration(seconds: number): string {
    if (seconds <= 0) {
        return "permanent";
    }
    const parts: string[] = [];
    let rest = Math.floor(seconds);
    for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
        if (rest >= size) {
            parts.push(`${Math.floor(rest / size)}${unit}`);
            rest %= size;
        }
    }
    return parts.slice(0, 2).join(" ");
}

// A running mute's or ban's end: "until lifted" (until_ms 0), "ends in 9m 58s (UTC time)".
export function formatUntil(untilMs: number, nowMs: number): string {
    if (untilMs <= 0) {
        return "until lifted";
    }
    const left = Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
    const at = new Date(untilMs).toISOString().replace("T", " ").slice(0, 19);
    return left === 0 ? `ended (${at} UTC)` : `ends in ${formatDuration(left)} (${at} UTC)`;
}
