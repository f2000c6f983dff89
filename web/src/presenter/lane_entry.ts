import type { Combo } from "./combo.js";
import type { GiftEvent } from "./gift_event.js";

// A combo's place in a lane's queue: its hits that have not started yet, lowest giftNumber
// first. Keeping a combo's hits in one entry is what puts A2 right after A1 and ahead of B1
// when they arrive A1, B1, A2 (seed 003, case 3).
export interface LaneEntry {
    readonly combo: Combo;
    readonly hits: GiftEvent[];
}

// Puts `hit` into `hits` by giftNumber: arrival order x1, x3, x2 still plays x1, x2, x3.
export function insertByGiftNumber(hits: GiftEvent[], hit: GiftEvent): void {
    let index = hits.length;
    while (index > 0 && (hits[index - 1] as GiftEvent).giftNumber > hit.giftNumber) {
        index -= 1;
    }
    hits.splice(index, 0, hit);
}
