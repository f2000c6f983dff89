// What the presenter tells a renderer: plain values, no DOM. The overlay draws them with
// HTML and CSS, the viewer page with its own components, and tests read them directly.

// Lane A shows static gifts' banners, lane B animated gifts' banner + animation pairs (seed
// 003's areas A and B). The lanes run side by side and never wait for each other.
export type Lane = "a" | "b";

// A gift banner (礼物提示特效): "userName 投喂 giftName x count".
export interface BannerView {
    readonly id: number; // unique per presenter; an update keeps the id
    readonly lane: Lane;
    readonly userId: string;
    readonly userName: string;
    readonly userFace: string;
    readonly giftId: number;
    readonly giftName: string;
    readonly iconUrl: string;
    readonly giftNumber: number; // the highest giftNumber of the combo shown so far
    readonly count: number; // the combo's total at that giftNumber: what the banner prints
    // Hits the combo had when this view was made. More than one is a combo (连击特效),
    // which a renderer marks (a bouncing counter) as the seed asks.
    readonly comboHits: number;
}

// A gift animation (礼物动画特效), one per animated hit, even when its banner was skipped.
export interface AnimationView {
    readonly id: number;
    readonly lane: "b";
    readonly userId: string;
    readonly userName: string;
    readonly giftId: number;
    readonly giftName: string;
    readonly effectUrl: string;
    readonly giftNumber: number; // of this hit
    readonly bannerId: number | undefined; // the banner started with it; undefined if skipped
}

export type BannerChange = {
    readonly kind: "show" | "update" | "hide";
    readonly banner: BannerView;
};

export type AnimationChange = {
    // "end" comes after the renderer's animationEnded(id), or after the presenter's time-out
    // when that call never came.
    readonly kind: "start" | "end";
    readonly animation: AnimationView;
};

// The renderer's side. Called synchronously from push(), animationEnded() and the clock's
// timers; a callback may call back into the presenter.
export interface PresenterOutput {
    onBanner(change: BannerChange): void;
    onAnimation(change: AnimationChange): void;
}

// What is on screen and waiting, for a page that redraws from state rather than events.
export interface LaneSnapshot {
    readonly banner: BannerView | undefined;
    readonly animation: AnimationView | undefined; // always undefined in lane A
    readonly waitingHits: number; // hits queued behind what is showing
}
export interface PresenterSnapshot {
    readonly a: LaneSnapshot;
    readonly b: LaneSnapshot;
}
