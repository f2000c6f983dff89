// The recent messages a live connection has already emitted, so that a replay after a reconnect
// (or any repeat) is not shown twice. Keyed by seq and cmd together: the web dialect sends
// COMBO_SEND beside its hit's SEND_GIFT and USER_TOAST_MSG beside GUARD_BUY with the same seq.
//
// Bounded: at most `keysMax` keys; the oldest are forgotten first, and `floorSeq` remembers the
// highest seq forgotten, so anything at or below it still counts as seen. Room sequences only
// grow, and a resume asks for what follows the highest seq seen, so nothing new is ever that old.
// Owner thread only (the page's).
export class SeenWindow {
    private readonly keys = new Set<string>();
    private floor = 0;
    private highest = 0;

    constructor(private readonly keysMax: number) {
        if (!(keysMax >= 1)) {
            throw new RangeError("SeenWindow needs room for at least one key");
        }
    }

    // Records (seq, cmd); false when it was seen before (or is older than the window).
    admit(seq: number, cmd: string): boolean {
        const key = `${seq}:${cmd}`;
        if (seq <= this.floor || this.keys.has(key)) {
            return false;
        }
        this.keys.add(key);
        this.highest = Math.max(this.highest, seq);
        while (this.keys.size > this.keysMax) {
            this.forgetOldest();
        }
        return true;
    }

    // The highest seq admitted: a resume's last_seq. 0 before any.
    highestSeq(): number {
        return this.highest;
    }

    // Starts from a seq the page already has (e.g. from GET .../history): nothing at or below it
    // is emitted again.
    startAfter(seq: number): void {
        this.floor = Math.max(this.floor, seq);
        this.highest = Math.max(this.highest, seq);
    }

    size(): number {
        return this.keys.size;
    }

    // Sets iterate in insertion order, and messages arrive in about seq order, so the first key
    // is about the oldest. Raising the floor to its seq forgets every key at or below it.
    private forgetOldest(): void {
        const oldest = this.keys.values().next().value as string;
        const seq = Number(oldest.slice(0, oldest.indexOf(":")));
        this.floor = Math.max(this.floor, seq);
        for (const key of this.keys) {
            if (Number(key.slice(0, key.indexOf(":"))) <= this.floor) {
                this.keys.delete(key);
            } else {
                break;
            }
        }
        this.keys.delete(oldest);
    }
}
