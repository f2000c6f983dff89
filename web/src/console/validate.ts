// Checks a console form makes before it sends anything, with the server's own bounds
// (docs/protocol.md): a wrong value is said next to the form, not found out from a 400.
// Pure: strings in, a value or a sentence out.

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

// A user id: a whole number from 1 to 2^53 - 1 (what a page can hold exactly).
export function parseUid(text: string): Checked<number> {
    const trimmed = text.trim();
    if (!/^\d{1,16}$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed)) || Number(trimmed) <= 0) {
        return { ok: false, error: "a user id is a whole number above 0" };
    }
    return { ok: true, value: Number(trimmed) };
}

// A whole number in [min, max], named in the error.
export function parseWhole(text: string, name: string, min: number, max: number): Checked<number> {
    const trimmed = text.trim();
    const value = Number(trimmed);
    if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < min || value > max) {
        return { ok: false, error: `${name} must be a whole number in ${min}..${max}` };
    }
    return { ok: true, value };
}

function codePoints(text: string): number {
    return [...text].length;
}

// The live title: 1..40 characters, one line.
export function checkTitle(text: string): Checked<string> {
    const trimmed = text.trim();
    if (codePoints(trimmed) < 1 || codePoints(trimmed) > 40 || /[\r\n]/.test(trimmed)) {
        return { ok: false, error: "the title is one line of 1 to 40 characters" };
    }
    return { ok: true, value: trimmed };
}

// The area name: at most 20 characters, one line (empty allowed: left as it is).
export function checkAreaName(text: string): Checked<string> {
    const trimmed = text.trim();
    if (codePoints(trimmed) > 20 || /[\r\n]/.test(trimmed)) {
        return { ok: false, error: "the area name is one line of at most 20 characters" };
    }
    return { ok: true, value: trimmed };
}

// A moderation reason: optional, one line, at most 200 characters.
export function checkReason(text: string): Checked<string> {
    const trimmed = text.trim();
    if (codePoints(trimmed) > 200 || /[\r\n]/.test(trimmed)) {
        return { ok: false, error: "the reason is one line of at most 200 characters" };
    }
    return { ok: true, value: trimmed };
}

export interface WordEntry {
    readonly pattern: string;
    readonly action: "block" | "mask";
    readonly regex: boolean;
}

// A word list as typed: one entry a line, "pattern", "mask: pattern", "block: pattern",
// "regex: pattern" or "mask regex: pattern"; blank lines skipped.
export function parseWordLines(text: string): Checked<WordEntry[]> {
    const entries: WordEntry[] = [];
    const lines = text.split("\n");
    for (let index = 0; index < lines.length; index++) {
        const line = lines[index]!.trim();
        if (line === "") {
            continue;
        }
        const prefixed = /^((?:block|mask)?\s*(?:regex)?)\s*:\s*(.*)$/i.exec(line);
        let pattern = line;
        let action: "block" | "mask" = "block";
        let regex = false;
        if (prefixed !== null && prefixed[1]!.trim() !== "") {
            const flags = prefixed[1]!.toLowerCase();
            action = flags.includes("mask") ? "mask" : "block";
            regex = flags.includes("regex");
            pattern = prefixed[2]!.trim();
        }
        if (pattern === "") {
            return { ok: false, error: `line ${index + 1}: the pattern is empty` };
        }
        entries.push({ pattern, action, regex });
    }
    return { ok: true, value: entries };
}

// The inverse of parseWordLines, for showing a stored list.
export function formatWordLines(entries: readonly WordEntry[]): string {
    return entries
        .map((entry) => {
            const flags = [entry.action === "mask" ? "mask" : "", entry.regex ? "regex" : ""].filter((flag) => flag !== "");
            return flags.length === 0 && !entry.pattern.includes(":") ? entry.pattern : `${flags.length === 0 ? "block" : flags.join(" ")}: ${entry.pattern}`;
        })
        .join("\n");
}

// A JSON object typed in an editor (the bot's rules).
export function parseJsonObject(text: string): Checked<Record<string, unknown>> {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (caught) {
        return { ok: false, error: `not JSON: ${caught instanceof Error ? caught.message : String(caught)}` };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return { ok: false, error: "the rules are a JSON object ({} turns the bot off)" };
    }
    return { ok: true, value: value as Record<string, unknown> };
}
