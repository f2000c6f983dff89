// The super chats (醒目留言) pinned above a room's chat: each stays until the end_ms the server
// gave it (its price bought that time), higher tiers first, and goes when it ends or when a
// manager takes it down (super_chat_delete). Pure: the page passes wall-clock time in.

export interface PinnedSuperChat {
    id: number;
    uid: number;
    name: string;
    text: string;
    priceYuan: number;
    startMs: number; // wall clock, as the server sent it
    endMs: number;
}

// Bilibili's tiers by price in yuan, and the colour each is shown in.
const TIERS: readonly { minYuan: number; colour: string }[] = [
    { minYuan: 2000, colour: "#ab1a32" },
    { minYuan: 1000, colour: "#e54d4d" },
    { minYuan: 500, colour: "#e09443" },
    { minYuan: 100, colour: "#e2b52b" },
    { minYuan: 50, colour: "#427d9e" },
    { minYuan: 0, colour: "#2a60b2" },
];

export function tierOf(priceYuan: number): number {
    return TIERS.length - 1 - TIERS.findIndex((tier) => priceYuan >= tier.minYuan);
}

export function tierColour(priceYuan: number): string {
    return TIERS.find((tier) => priceYuan >= tier.minYuan)?.colour ?? TIERS[TIERS.length - 1]!.colour;
}

export class SuperChatBoard {
    private readonly pinned = new Map<number, PinnedSuperChat>();

    constructor(private readonly capacity = 50) {}

    // A super chat arrived (a replay after a reconnect may bring it again: same id, no change).
    add(chat: PinnedSuperChat, nowMs: number): void {
        if (chat.endMs <= nowMs || this.pinned.has(chat.id)) {
            return;
        }
        this.pinned.set(chat.id, chat);
        if (this.pinned.size > this.capacity) {
            // The one that ends first makes room: the board never grows without bound.
            const first = [...this.pinned.values()].reduce((a, b) => (a.endMs <= b.endMs ? a : b));
            this.pinned.delete(first.id);
        }
    }

    remove(ids: readonly number[]): void {
        ids.forEach((id) => this.pinned.delete(id));
    }

    // What shows now, highest tier first, then the earlier; ended ones are dropped.
    visible(nowMs: number): PinnedSuperChat[] {
        for (const [id, chat] of this.pinned) {
            if (chat.endMs <= nowMs) {
                this.pinned.delete(id);
            }
        }
        return [...this.pinned.values()].sort(
            (a, b) => tierOf(b.priceYuan) - tierOf(a.priceYuan) || a.startMs - b.startMs || a.id - b.id,
        );
    }

    // When the next one ends, so the page can redraw then rather than poll.
    nextEndMs(): number | undefined {
        let next: number | undefined;
        for (const chat of this.pinned.values()) {
            next = next === undefined ? chat.endMs : Math.min(next, chat.endMs);
        }
        return next;
    }
}
