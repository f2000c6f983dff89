// One gift as the presenter takes it: a single hit (one send) of one user. Adapters build it
// from the server's messages (bilibili_adapter.ts); the presenter never sees wire JSON.
export interface GiftEvent {
    readonly userId: string;
    readonly userName: string;
    readonly userFace: string; // avatar URL; "" when unknown
    readonly giftId: number;
    readonly giftName: string;
    // The sender's running count of this gift (Barrage's `giftNum`, seed 003's "该用户的第几个礼物").
    // Hits of one combo are ordered by it, and a banner never goes back to a lower one.
    readonly giftNumber: number;
    readonly count: number; // gifts in this hit
    // Gifts of the combo so far, this hit included: the count a banner prints ("x5"). It rises
    // with giftNumber inside a combo, so the hit with the highest giftNumber carries the
    // highest total.
    readonly comboTotal: number;
    // False for a gift the catalogue says cannot combo: every hit is then its own banner.
    readonly comboable: boolean;
    // Static gifts have a banner only (lane A); animated ones also play effectUrl (lane B).
    readonly animated: boolean;
    readonly iconUrl: string;
    readonly effectUrl: string; // "" for a static gift
}

// The reason a GiftEvent cannot be presented, or undefined when it can. Adapters check what
// they build; push() refuses what fails, because a NaN giftNumber would silently break the
// ordering every later hit of the combo relies on.
export function giftEventProblem(event: GiftEvent): string | undefined {
    if (event.userId === "") {
        return "userId is empty";
    }
    if (!Number.isSafeInteger(event.giftId) || event.giftId < 0) {
        return "giftId is not a non-negative integer";
    }
    if (!Number.isSafeInteger(event.giftNumber) || event.giftNumber < 1) {
        return "giftNumber is not a positive integer";
    }
    if (!Number.isSafeInteger(event.count) || event.count < 1) {
        return "count is not a positive integer";
    }
    if (!Number.isSafeInteger(event.comboTotal) || event.comboTotal < event.count) {
        return "comboTotal is not an integer at least count";
    }
    if (event.animated && event.effectUrl === "") {
        return "an animated gift has no effectUrl";
    }
    return undefined;
}
