// The friendly half of the bot editor: the room bot's rules (docs/bots.md) changed one part at
// a time — the welcome, a keyword reply, an announcement — and summed up in a line each. The
// rules stay a plain JSON object, so anything the forms do not cover is kept as it was.
// Pure: rules in, new rules out (never changed in place).

export type Rules = Record<string, unknown>;

export interface ReplyRule {
    readonly match: "exact" | "contains" | "regex";
    readonly pattern: string;
    readonly reply: string;
    readonly cooldown_s?: number;
}
export type AnnouncementRule =
    | { readonly text: string; readonly every_min: number; readonly live_only?: boolean }
    | { readonly text: string; readonly cron: string; readonly live_only?: boolean };

function listOf(rules: Rules, key: string): unknown[] {
    const value = rules[key];
    return Array.isArray(value) ? value : [];
}

// The welcome's text set (other welcome fields kept), or the welcome removed for "".
export function withWelcome(rules: Rules, text: string): Rules {
    const copy: Rules = { ...rules };
    if (text.trim() === "") {
        delete copy.welcome;
        return copy;
    }
    const old = typeof rules.welcome === "object" && rules.welcome !== null ? (rules.welcome as Rules) : {};
    copy.welcome = { ...old, text: text.trim() };
    return copy;
}

export function withReply(rules: Rules, reply: ReplyRule): Rules {
    return { ...rules, replies: [...listOf(rules, "replies"), reply] };
}

export function withAnnouncement(rules: Rules, announcement: AnnouncementRule): Rules {
    return { ...rules, announcements: [...listOf(rules, "announcements"), announcement] };
}

export function withoutItem(rules: Rules, key: "replies" | "announcements", index: number): Rules {
    return { ...rules, [key]: listOf(rules, key).filter((_, at) => at !== index) };
}

// One line a rule, as text, for the list under the editor.
export function summarize(rules: Rules): { welcome: string | undefined; replies: string[]; announcements: string[] } {
    const welcome = typeof rules.welcome === "object" && rules.welcome !== null ? (rules.welcome as Rules).text : undefined;
    return {
        welcome: typeof welcome === "string" ? welcome : undefined,
        replies: listOf(rules, "replies").map((rule) => {
            const r = (rule ?? {}) as Rules;
            return `${String(r.match ?? "contains")} "${String(r.pattern ?? "")}" → ${String(r.reply ?? "")}`;
        }),
        announcements: listOf(rules, "announcements").map((rule) => {
            const a = (rule ?? {}) as Rules;
            const when = a.cron !== undefined ? `cron ${String(a.cron)}` : `every ${String(a.every_min ?? "?")} min`;
            return `${when}${a.live_only === true ? " (live only)" : ""}: ${String(a.text ?? "")}`;
        }),
    };
}
