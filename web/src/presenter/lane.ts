import type { Clock, TimerHandle } from "./clock.js";
import type { Combo } from "./combo.js";
import type { GiftEvent } from "./gift_event.js";
import { insertByGiftNumber, type LaneEntry } from "./lane_entry.js";
import type { AnimationView, BannerView, Lane, LaneSnapshot, PresenterOutput } from "./views.js";

export interface LaneSettings {
    readonly bannerHoldMs: number;
    readonly animationTimeoutMs: number;
    readonly waitingHitsMax: number;
}

// Hands out ids unique across both lanes of one presenter.
export interface IdSource {
    next(): number;
}

interface ShowingBanner {
    view: BannerView;
    readonly combo: Combo;
    hideTimer: TimerHandle;
}

interface PlayingAnimation {
    readonly view: AnimationView;
    readonly timeoutTimer: TimerHandle;
}

export type AddOutcome = "accepted" | "overflow";

// One screen area of seed 003: a queue of combos played one step at a time.
//
// Lane A (static gifts): a step is one banner. It shows the combo's highest hit, climbs while
// more hits arrive, and hides bannerHoldMs after its last change; then the next combo shows.
// Lane B (animated gifts): a step is one hit's animation started together with the combo's
// banner, unless that banner already said as much (then the animation plays alone: the gift
// was still given). The next step waits until both have finished ("只有当二者都播放完后,
// 下条消息才可以播放").
//
// Owned by one Presenter; runs on its caller's thread only.
export class GiftLane {
    private readonly lane: Lane;
    private readonly clock: Clock;
    private readonly settings: LaneSettings;
    private readonly ids: IdSource;
    private readonly output: PresenterOutput;
    private readonly queue: LaneEntry[] = [];
    private waitingHits = 0;
    private stepCombo: Combo | undefined = undefined; // the combo of the step on screen
    private banner: ShowingBanner | undefined = undefined;
    private animation: PlayingAnimation | undefined = undefined;

    constructor(lane: Lane, clock: Clock, settings: LaneSettings, ids: IdSource, output: PresenterOutput) {
        this.lane = lane;
        this.clock = clock;
        this.settings = settings;
        this.ids = ids;
        this.output = output;
    }

    // Takes a new (not duplicate) hit of `combo`, already recorded in it.
    add(combo: Combo, hit: GiftEvent): AddOutcome {
        const banner = this.banner;
        if (banner !== undefined && banner.combo === combo && hit.giftNumber > combo.highestShownNumber) {
            // The combo's banner is up: it climbs to the new number (连击特效) instead of waiting
            // for a banner of its own.
            this.updateBanner(banner, combo);
        }
        if (this.lane === "a" && hit.giftNumber <= combo.highestShownNumber) {
            // Already said by a banner (just now, or earlier: a late arrival). A static gift has
            // nothing else to show, so this hit is done.
            return "accepted";
        }
        const needsSlot = this.lane === "b" || combo.entry === undefined; // a static merge is free
        if (needsSlot && this.waitingHits >= this.settings.waitingHitsMax) {
            // Past the bound the hit is not shown: a screen that is minutes behind helps nobody,
            // and the server's events and the ledger still count the gift.
            return "overflow";
        }
        this.enqueue(combo, hit);
        this.pump();
        return "accepted";
    }

    // The renderer's word that an animation finished. False if it is not the one playing
    // (finished already, timed out, or never ours).
    animationEnded(animationId: number): boolean {
        if (this.animation === undefined || this.animation.view.id !== animationId) {
            return false;
        }
        this.clock.cancelTimer(this.animation.timeoutTimer);
        this.endAnimation();
        return true;
    }

    snapshot(): LaneSnapshot {
        return {
            banner: this.banner?.view,
            animation: this.animation?.view,
            waitingHits: this.waitingHits,
        };
    }

    // Cancels the lane's timers and forgets what waits: for a page going away.
    dispose(): void {
        if (this.banner !== undefined) {
            this.clock.cancelTimer(this.banner.hideTimer);
        }
        if (this.animation !== undefined) {
            this.clock.cancelTimer(this.animation.timeoutTimer);
        }
        this.banner = undefined;
        this.animation = undefined;
        this.queue.length = 0;
        this.waitingHits = 0;
    }

    private enqueue(combo: Combo, hit: GiftEvent): void {
        let entry = combo.entry;
        if (entry === undefined) {
            entry = { combo, hits: [] };
            combo.entry = entry;
            // A combo on screen keeps going before anyone queued behind it (A1, A2, then B1).
            if (this.stepCombo === combo) {
                this.queue.unshift(entry);
            } else {
                this.queue.push(entry);
            }
        }
        if (this.lane === "a") {
            // A static step shows only the highest hit; the lower ones need no place in memory.
            if (entry.hits.length === 0) {
                this.waitingHits += 1;
            }
            entry.hits.length = 0;
            entry.hits.push(combo.highestHit);
            return;
        }
        insertByGiftNumber(entry.hits, hit);
        this.waitingHits += 1;
    }

    // Starts steps while the lane is free and something waits. A loop, not recursion: a run of
    // already-announced static entries is skipped without growing the stack.
    private pump(): void {
        while (this.banner === undefined && this.animation === undefined && this.queue.length > 0) {
            const entry = this.queue[0] as LaneEntry;
            const hit = this.takeHit(entry);
            this.startStep(entry.combo, hit);
        }
        if (this.banner === undefined && this.animation === undefined) {
            this.stepCombo = undefined;
        }
    }

    // The next hit of the entry at the head of the queue; the entry leaves when it is empty.
    private takeHit(entry: LaneEntry): GiftEvent {
        const hit = (this.lane === "a" ? entry.hits.pop() : entry.hits.shift()) as GiftEvent;
        this.waitingHits -= 1;
        if (this.lane === "a") {
            entry.hits.length = 0;
        }
        if (entry.hits.length === 0) {
            this.queue.shift();
            entry.combo.entry = undefined;
        }
        return hit;
    }

    private startStep(combo: Combo, hit: GiftEvent): void {
        this.stepCombo = combo;
        // "The banner shows the highest number reached": the combo's best, which may be above
        // this hit when later hits already arrived. Anything not above what was shown is a
        // superseded banner and is skipped.
        let bannerId: number | undefined;
        if (combo.highestHit.giftNumber > combo.highestShownNumber) {
            bannerId = this.showBanner(combo);
        }
        if (this.lane === "b") {
            this.startAnimation(hit, bannerId);
        }
    }

    private showBanner(combo: Combo): number {
        const view = this.bannerView(this.ids.next(), combo);
        combo.highestShownNumber = view.giftNumber;
        const banner: ShowingBanner = { view, combo, hideTimer: this.holdTimer() };
        this.banner = banner;
        this.output.onBanner({ kind: "show", banner: view });
        return view.id;
    }

    private updateBanner(banner: ShowingBanner, combo: Combo): void {
        this.clock.cancelTimer(banner.hideTimer);
        banner.view = this.bannerView(banner.view.id, combo);
        banner.hideTimer = this.holdTimer();
        combo.highestShownNumber = banner.view.giftNumber;
        this.output.onBanner({ kind: "update", banner: banner.view });
    }

    private holdTimer(): TimerHandle {
        return this.clock.setTimer(this.settings.bannerHoldMs, () => this.hideBanner());
    }

    private hideBanner(): void {
        const banner = this.banner as ShowingBanner;
        this.banner = undefined;
        this.output.onBanner({ kind: "hide", banner: banner.view });
        this.pump();
    }

    private startAnimation(hit: GiftEvent, bannerId: number | undefined): void {
        const view: AnimationView = {
            id: this.ids.next(),
            lane: "b",
            userId: hit.userId,
            userName: hit.userName,
            giftId: hit.giftId,
            giftName: hit.giftName,
            effectUrl: hit.effectUrl,
            giftNumber: hit.giftNumber,
            bannerId,
        };
        // The time-out stands in for a renderer that never reports the end (a failed download,
        // a closed tab in OBS): without it lane B would stop for good.
        const timeoutTimer = this.clock.setTimer(this.settings.animationTimeoutMs, () => this.endAnimation());
        this.animation = { view, timeoutTimer };
        this.output.onAnimation({ kind: "start", animation: view });
    }

    private endAnimation(): void {
        const animation = this.animation as PlayingAnimation;
        this.animation = undefined;
        this.output.onAnimation({ kind: "end", animation: animation.view });
        this.pump();
    }

    private bannerView(id: number, combo: Combo): BannerView {
        const top = combo.highestHit;
        return {
            id,
            lane: this.lane,
            userId: top.userId,
            userName: top.userName,
            userFace: top.userFace,
            giftId: top.giftId,
            giftName: top.giftName,
            iconUrl: top.iconUrl,
            giftNumber: top.giftNumber,
            count: top.comboTotal,
            comboHits: combo.hitCount,
        };
    }
}
