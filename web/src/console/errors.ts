// An ApiError as one line of text for the console's error bar: the code and message, and the
// details the server put in `data` (a word list's bad entry, a bot rule's field, a mute's end).
// Pure; the page renders the line as text.
import type { ApiError } from "../live/api_client.js";

export function describeError(error: ApiError): string {
    switch (error.kind) {
        case "network":
            return `no answer from the server (${error.message}); it may or may not have been done`;
        case "bad_answer":
            return `HTTP ${error.status}: ${error.message}`;
        case "api": {
            const details = detailsOf(error.data);
            return `error ${error.code}: ${error.message || "(no message)"}${details === "" ? "" : ` — ${details}`}`;
        }
    }
}

function detailsOf(data: unknown): string {
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
        return "";
    }
    return Object.entries(data as Record<string, unknown>)
        .filter(([, value]) => value !== null && value !== undefined && typeof value !== "object")
        .map(([key, value]) => `${key}: ${String(value)}`)
        .join(", ");
}
