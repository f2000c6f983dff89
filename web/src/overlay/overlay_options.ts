// The OBS overlay's settings, read from its URL (a browser source is configured by its URL):
//
//   /overlay/{room}?layers=danmaku,gifts,superchats,guards&speed=1&font=1&lines=8&prices=1
//
//   layers   which layers show (default: all four); unknown names are ignored
//   speed    danmaku speed factor, 0.25..4 (default 1: across the screen in 8 s)
//   font     font size factor, 0.5..3 (default 1)
//   lines    most danmaku lines, 1..30 (default 8: the upper part of the scene)
//   prices   1 shows gift and super chat prices, 0 hides them (default 1)
//   dialect  not a setting: the overlay always reads the native dialect
//
// A value out of range is clamped, a value that is not a number keeps the default: a typo in a
// browser source must give a working overlay, not a blank one.

export type OverlayLayer = "danmaku" | "gifts" | "superchats" | "guards";

export interface OverlayOptions {
    layers: ReadonlySet<OverlayLayer>;
    speed: number;
    fontScale: number;
    maxLines: number;
    showPrices: boolean;
}

const ALL_LAYERS: readonly OverlayLayer[] = ["danmaku", "gifts", "superchats", "guards"];

export function overlayOptions(search: string): OverlayOptions {
    const query = new URLSearchParams(search);
    const named = (query.get("layers") ?? "")
        .split(",")
        .map((name) => name.trim().toLowerCase())
        .filter((name): name is OverlayLayer => (ALL_LAYERS as readonly string[]).includes(name));
    return {
        layers: new Set(query.has("layers") ? named : ALL_LAYERS),
        speed: bounded(query.get("speed"), 1, 0.25, 4),
        fontScale: bounded(query.get("font"), 1, 0.5, 3),
        maxLines: Math.round(bounded(query.get("lines"), 8, 1, 30)),
        showPrices: query.get("prices") !== "0",
    };
}

function bounded(text: string | null, fallback: number, min: number, max: number): number {
    const value = text === null || text.trim() === "" ? NaN : Number(text);
    return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}
