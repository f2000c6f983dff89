import type { Clock } from "./clock.js";
import { ComboBook } from "./combo_book.js";
import { giftEventProblem, type GiftEvent } from "./gift_event.js";
import { GiftLane, type IdSource } from "./lane.js";
import type { PresenterOutput, PresenterSnapshot } from "./views.js";

export interface PresenterOptions {
    // Seed 003: two hits of one user's gift less than 2 s apart (as received) are one combo.
    readonly comboWindowMs?: number;
    // How long a banner stays after it shows or last climbs. As long as the combo window, so a
    // banner is still up when its combo's next hit can still arrive.
    readonly bannerHoldMs?: number;
    // The longest an animation may hold lane B when the renderer never calls animationEnded().
    readonly animationTimeoutMs?: number;
    // Hits waiting per lane; past it new ones are not shown (push() answers "overflow").
    readonly waitingHitsMax?: number;
    // How long a user's gift is remembered after its last hit, to know a late duplicate.
    readonly comboMemoryMs?: number;
}

export const kDefaultPresenterOptions: Required<PresenterOptions> = {
    comboWindowMs: 2_000,
    bannerHoldMs: 2_000,
    // The longest full-screen effects (SVGA rockets and the like) run under ten seconds.
    animationTimeoutMs: 15_000,
    // At a few seconds a step, 200 waiting hits are already ten minutes behind the room.
    waitingHitsMax: 200,
    comboMemoryMs: 60_000,
};

// What push() did with an event.
//   accepted:  shown, queued, or merged into a combo (a late one may add an animation only)
//   duplicate: the same giftNumber of this user's gift was already received; nothing plays
//   overflow:  the lane's queue is full; nothing plays
//   invalid:   the event breaks GiftEvent's rules (giftEventProblem says which)
export type PushOutcome = "accepted" | "duplicate" | "overflow" | "invalid";

// The gift presenter of seed 003, without a screen: it takes gift hits as they arrive and
// tells a renderer (PresenterOutput) when banners show, climb and hide and when animations
// start, keeping static gifts in lane A and animated ones in lane B. See docs/web.md.
//
// Not shared between pages; every call on the caller's thread (a browser's only one).
export class Presenter {
    private readonly clock: Clock;
    private readonly combos: ComboBook;
    private readonly laneA: GiftLane;
    private readonly laneB: GiftLane;

    constructor(clock: Clock, options: PresenterOptions, output: PresenterOutput) {
        const settings = { ...kDefaultPresenterOptions, ...options };
        this.clock = clock;
        this.combos = new ComboBook(settings.comboWindowMs, settings.comboMemoryMs);
        let lastId = 0;
        const ids: IdSource = { next: () => ++lastId };
        this.laneA = new GiftLane("a", clock, settings, ids, output);
        this.laneB = new GiftLane("b", clock, settings, ids, output);
    }

    // Takes one hit, in the order the page received it.
    push(event: GiftEvent): PushOutcome {
        if (giftEventProblem(event) !== undefined) {
            return "invalid";
        }
        const nowMs = this.clock.nowMs();
        const combo = this.combos.comboFor(event, nowMs);
        if (!combo.record(event, nowMs)) {
            return "duplicate";
        }
        return (event.animated ? this.laneB : this.laneA).add(combo, event);
    }

    // The renderer finished playing animation `animationId`; lane B may move on. False when
    // that animation is not the one playing (already ended or timed out).
    animationEnded(animationId: number): boolean {
        return this.laneB.animationEnded(animationId);
    }

    snapshot(): PresenterSnapshot {
        return { a: this.laneA.snapshot(), b: this.laneB.snapshot() };
    }

    // Stops every timer and forgets what waits; call when the page goes away, and push no more.
    dispose(): void {
        this.laneA.dispose();
        this.laneB.dispose();
    }
}
