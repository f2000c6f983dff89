// Draws danmaku over a player element: one absolutely placed <span> per danmaku, its text set
// with textContent (never HTML: a chat line is always text), moved by the Web Animations API
// (allowed by the pages' Content-Security-Policy, which refuses inline style attributes in
// markup but not the CSSOM) and removed when its animation ends, so a stage running for hours
// holds only what is on screen. Where each goes is TrackPlanner's decision.

import { DEFAULT_PLANNER_OPTIONS, modeOf, TrackPlanner, type PlannerOptions } from "./track_planner.js";

export interface StageDanmaku {
    text: string;
    wireMode: number; // 1 scroll, 4 bottom, 5 top
    color: number; // 0xRRGGBB
    fontSize: number; // px as sent (25 is the usual size, 18 small, 36 large)
    own?: boolean; // the viewer's own: always shown, outlined
}

export interface StageOptions extends Partial<Omit<PlannerOptions, "stageWidth" | "stageHeight">> {
    fontScale?: number; // the overlay's font size setting multiplies the sent size
    speed?: number; // 1 = the usual crossing time; 2 = twice as fast
}

export class DanmakuStage {
    private readonly planner: TrackPlanner;
    private readonly fontScale: number;
    private readonly resizeObserver: ResizeObserver;
    private shown = 0;
    private dropped = 0;

    constructor(
        private readonly host: HTMLElement,
        options: StageOptions = {},
    ) {
        this.fontScale = options.fontScale ?? 1;
        const speed = options.speed ?? 1;
        const defaults = DEFAULT_PLANNER_OPTIONS;
        const scrollDurationMs = (options.scrollDurationMs ?? defaults.scrollDurationMs) / speed;
        const lineHeight = options.lineHeight ?? Math.round(defaults.lineHeight * this.fontScale);
        this.planner = new TrackPlanner({
            ...defaults,
            ...options,
            lineHeight,
            scrollDurationMs,
            stageWidth: host.clientWidth,
            stageHeight: host.clientHeight,
        });
        this.resizeObserver = new ResizeObserver(() => this.planner.resize(host.clientWidth, host.clientHeight));
        this.resizeObserver.observe(host);
    }

    // Shows one danmaku, or counts it as dropped when the stage is full.
    show(danmaku: StageDanmaku): boolean {
        const element = document.createElement("span");
        element.className = danmaku.own ? "danmaku own" : "danmaku";
        element.textContent = danmaku.text;
        element.style.color = `#${(danmaku.color & 0xffffff).toString(16).padStart(6, "0")}`;
        element.style.fontSize = `${Math.round(Math.min(64, Math.max(12, danmaku.fontSize)) * this.fontScale)}px`;
        element.style.visibility = "hidden";
        this.host.appendChild(element);
        const placement = this.planner.place(
            { mode: modeOf(danmaku.wireMode), widthPx: element.offsetWidth },
            performance.now(),
            danmaku.own === true,
        );
        if (placement === undefined) {
            element.remove();
            ++this.dropped;
            return false;
        }
        element.style.top = `${placement.y}px`;
        element.style.left = "0px";
        element.style.visibility = "visible";
        const animation = element.animate(
            [{ transform: `translateX(${placement.fromX}px)` }, { transform: `translateX(${placement.toX}px)` }],
            { duration: placement.durationMs, easing: "linear" },
        );
        animation.onfinish = () => element.remove();
        animation.oncancel = () => element.remove();
        ++this.shown;
        return true;
    }

    // What the stage did, for the page's own counters and the tests.
    counts(): { shown: number; dropped: number; onScreen: number } {
        return { shown: this.shown, dropped: this.dropped, onScreen: this.host.childElementCount };
    }

    dispose(): void {
        this.resizeObserver.disconnect();
        this.host.replaceChildren();
    }
}
