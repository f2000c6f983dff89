import type { GiftEvent } from "./gift_event.js";
import type { LaneEntry } from "./lane_entry.js";

// Replayed or duplicated hits are recognised by giftNumber; a combo remembers this many of
// them. A combo of more hits than this inside one window is not something people do, and a
// bound keeps a hostile stream from growing the set.
const kRememberedNumbersMax = 256;

// A combo (连击): hits of one gift by one user where no gap between two received hits
// reaches the combo window (seed 003: "两消息间隔小于2秒, 相同用户送相同的礼物").
// Owned by one Presenter; not shared.
export class Combo {
    readonly key: string;
    lastHitMs: number;
    hitCount = 0;
    highestHit: GiftEvent; // the highest giftNumber received: what a banner should say
    // giftNumber of the highest banner shown for this user and gift, carried over from the
    // previous combo: giftNumber is a running count, so anything at or below it is old news
    // (seed 003's x2 arriving after x3 was shown) and must not be announced again.
    highestShownNumber: number;
    // The lane entry holding this combo's hits that have not started yet, if any.
    entry: LaneEntry | undefined = undefined;
    private readonly numbers: Set<number>;

    constructor(key: string, first: GiftEvent, nowMs: number, previous: Combo | undefined) {
        this.key = key;
        this.lastHitMs = nowMs;
        this.highestHit = first;
        this.highestShownNumber = previous?.highestShownNumber ?? 0;
        this.numbers = new Set(previous?.numbers ?? []);
    }

    // Whether a hit received at nowMs still joins this combo. The seed says "less than 2 s",
    // so a gap of exactly the window starts a new combo.
    isOpenAt(nowMs: number, windowMs: number): boolean {
        return nowMs - this.lastHitMs < windowMs;
    }

    // Counts `hit` in. False, and nothing changes, when its giftNumber was already received:
    // that is the same gift delivered twice (a resume replaying history), not a new gift, so
    // neither its banner nor its animation may play again.
    record(hit: GiftEvent, nowMs: number): boolean {
        if (this.numbers.has(hit.giftNumber)) {
            return false;
        }
        this.numbers.add(hit.giftNumber);
        if (this.numbers.size > kRememberedNumbersMax) {
            const oldest = this.numbers.values().next().value;
            if (oldest !== undefined) {
                this.numbers.delete(oldest);
            }
        }
        this.lastHitMs = nowMs;
        this.hitCount += 1;
        if (hit.giftNumber > this.highestHit.giftNumber) {
            this.highestHit = hit;
        }
        return true;
    }
}
