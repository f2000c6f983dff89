import { Combo } from "./combo.js";
import type { GiftEvent } from "./gift_event.js";

// Users and gifts remembered at most, after which the least recently active go first. A room
// has many more senders in a minute than this only under a storm, and forgetting one only
// risks re-announcing a very late duplicate.
const kKeysMax = 10_000;

// Finds the combo each hit belongs to. Remembers each user's gift for `memoryMs` after its
// last hit, longer than the combo window, so that a duplicate arriving after its combo ended
// is still recognised. Owned by one Presenter.
export class ComboBook {
    private readonly windowMs: number;
    private readonly memoryMs: number;
    // Least recently hit first: a touched key is moved to the end, so pruning reads the front.
    private readonly latest = new Map<string, Combo>();

    constructor(windowMs: number, memoryMs: number) {
        this.windowMs = windowMs;
        this.memoryMs = Math.max(memoryMs, windowMs);
    }

    // The combo `event`, received at nowMs, belongs to: the open one of its user and gift, or
    // a new one when there is none or its window has passed. A gift that cannot combo gets a
    // combo of its own every time, still remembered so that its duplicates are known.
    comboFor(event: GiftEvent, nowMs: number): Combo {
        this.forgetBefore(nowMs - this.memoryMs);
        const key = `${event.userId}\u0000${event.giftId}`;
        const previous = this.latest.get(key);
        if (event.comboable && previous !== undefined && previous.isOpenAt(nowMs, this.windowMs)) {
            this.latest.delete(key);
            this.latest.set(key, previous);
            return previous;
        }
        const combo = new Combo(key, event, nowMs, previous);
        this.latest.delete(key);
        this.latest.set(key, combo);
        if (this.latest.size > kKeysMax) {
            const oldest = this.latest.keys().next().value;
            if (oldest !== undefined) {
                this.latest.delete(oldest);
            }
        }
        return combo;
    }

    private forgetBefore(cutoffMs: number): void {
        for (const [key, combo] of this.latest) {
            if (combo.lastHitMs >= cutoffMs) {
                break;
            }
            this.latest.delete(key);
        }
    }
}
