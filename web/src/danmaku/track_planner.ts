// Where a flying danmaku goes on the player: which line (track) and when, so that none covers
// another. Pure: the caller passes the time and each danmaku's measured width, and draws the
// answer (stage.ts in a page, the tests directly).
//
// The three modes of the wire format (PROTOCOL.md: mode 1 scroll, 5 top, 4 bottom):
// - scroll: enters at the right edge and crosses the stage in `scrollDurationMs` whatever its
//   length, as Bilibili's player does, so a longer one moves faster. A line takes the next one
//   when (a) the previous one's tail is `gapPx` inside the stage, and (b) the faster newcomer
//   will not catch it before it leaves (both move linearly: checking now and the moment the
//   previous one leaves is enough).
// - top / bottom: still and centred for `fixedDurationMs`, filling lines from the top edge or
//   from the bottom edge; a line is free again when its danmaku is gone.
// When every line is taken a danmaku is dropped (a busy room shows what fits, as the real
// player does) unless `force` is given (the viewer's own: shown on the line that frees first).

export type DanmakuMode = "scroll" | "top" | "bottom";

export interface PlannerOptions {
    stageWidth: number;
    stageHeight: number;
    lineHeight: number; // px per line; a danmaku takes one line
    scrollDurationMs: number;
    fixedDurationMs: number;
    gapPx: number; // free space kept between two danmaku on one scroll line
    maxLines?: number; // at most this many lines (the overlay's "maximum lines"); default: all that fit
}

export const DEFAULT_PLANNER_OPTIONS: Omit<PlannerOptions, "stageWidth" | "stageHeight"> = {
    lineHeight: 32,
    scrollDurationMs: 8000,
    fixedDurationMs: 4000,
    gapPx: 24,
};

export interface DanmakuBox {
    mode: DanmakuMode;
    widthPx: number;
}

export interface Placement {
    mode: DanmakuMode;
    line: number; // 0 = the top line for scroll and top, the bottom line for bottom
    y: number; // px from the stage's top edge
    startMs: number;
    durationMs: number;
    // scroll: x of the left edge at start (the stage's width) and at the end (minus its width)
    fromX: number;
    toX: number;
}

// What a line remembers: its last scroll danmaku, or until when its still one stays.
interface ScrollLine {
    startMs: number;
    widthPx: number;
    speed: number; // px per ms
}

export class TrackPlanner {
    private options: PlannerOptions;
    private scroll: (ScrollLine | undefined)[] = [];
    private topUntil: number[] = [];
    private bottomUntil: number[] = [];

    constructor(options: PlannerOptions) {
        this.options = { ...options };
        this.layOut();
    }

    lineCount(): number {
        return this.scroll.length;
    }

    // The stage changed size: lines are recounted; what flies keeps its course.
    resize(stageWidth: number, stageHeight: number): void {
        this.options = { ...this.options, stageWidth, stageHeight };
        this.layOut();
    }

    place(box: DanmakuBox, nowMs: number, force = false): Placement | undefined {
        if (this.scroll.length === 0) {
            return undefined;
        }
        return box.mode === "scroll" ? this.placeScroll(box, nowMs, force) : this.placeFixed(box, nowMs, force);
    }

    private layOut(): void {
        const { stageHeight, lineHeight, maxLines } = this.options;
        const fit = Math.max(0, Math.floor(stageHeight / lineHeight));
        const count = maxLines === undefined ? fit : Math.min(fit, Math.max(0, Math.floor(maxLines)));
        this.scroll = resized(this.scroll, count, undefined);
        this.topUntil = resized(this.topUntil, count, 0);
        this.bottomUntil = resized(this.bottomUntil, count, 0);
    }

    private placeScroll(box: DanmakuBox, nowMs: number, force: boolean): Placement | undefined {
        const { stageWidth, scrollDurationMs } = this.options;
        const speed = (stageWidth + box.widthPx) / scrollDurationMs;
        let line = this.scroll.findIndex((last) => this.scrollFits(last, speed, nowMs));
        if (line < 0) {
            if (!force) {
                return undefined;
            }
            line = this.earliestFreeScrollLine();
        }
        this.scroll[line] = { startMs: nowMs, widthPx: box.widthPx, speed };
        return {
            mode: "scroll",
            line,
            y: line * this.options.lineHeight,
            startMs: nowMs,
            durationMs: scrollDurationMs,
            fromX: stageWidth,
            toX: -box.widthPx,
        };
    }

    private scrollFits(last: ScrollLine | undefined, speed: number, nowMs: number): boolean {
        if (last === undefined) {
            return true;
        }
        const { stageWidth, scrollDurationMs, gapPx } = this.options;
        const entered = last.speed * (nowMs - last.startMs) >= last.widthPx + gapPx;
        // Until the previous one's tail leaves the left edge, the newcomer's head stays gapPx
        // behind it: its head must not have crossed more than stageWidth - gapPx by then.
        const leavesAt = last.startMs + scrollDurationMs;
        const notCaught = speed * Math.max(0, leavesAt - nowMs) <= stageWidth - gapPx;
        return entered && notCaught;
    }

    private earliestFreeScrollLine(): number {
        let best = 0;
        let bestStart = Infinity;
        this.scroll.forEach((last, line) => {
            const start = last === undefined ? -Infinity : last.startMs;
            if (start < bestStart) {
                bestStart = start;
                best = line;
            }
        });
        return best;
    }

    private placeFixed(box: DanmakuBox, nowMs: number, force: boolean): Placement | undefined {
        const until = box.mode === "top" ? this.topUntil : this.bottomUntil;
        let line = until.findIndex((end) => end <= nowMs);
        if (line < 0) {
            if (!force) {
                return undefined;
            }
            line = until.indexOf(Math.min(...until));
        }
        const { fixedDurationMs, lineHeight, stageHeight, stageWidth } = this.options;
        until[line] = nowMs + fixedDurationMs;
        const y = box.mode === "top" ? line * lineHeight : stageHeight - (line + 1) * lineHeight;
        const x = Math.max(0, (stageWidth - box.widthPx) / 2);
        return { mode: box.mode, line, y, startMs: nowMs, durationMs: fixedDurationMs, fromX: x, toX: x };
    }
}

function resized<T>(values: T[], count: number, fill: T): T[] {
    return values.length >= count ? values.slice(0, count) : [...values, ...new Array<T>(count - values.length).fill(fill)];
}

// The wire's mode number (1 scroll, 4 bottom, 5 top; others scroll, as the players do).
export function modeOf(wireMode: number): DanmakuMode {
    return wireMode === 5 ? "top" : wireMode === 4 ? "bottom" : "scroll";
}
