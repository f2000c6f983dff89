// The chat list of a room page: the last `capacity` lines, in the room's order, each once.
// Lines come from live pushes and, after a reconnect, from the replay of what was missed; a
// line already shown (same seq) is not shown again, and the list never outgrows its capacity,
// so a page open for hours holds the same few hundred lines.

export type ChatLineKind = "danmaku" | "gift" | "super_chat" | "guard" | "notice" | "moderation" | "enter";

export interface ChatLine {
    seq: number; // the room's sequence; 0 for lines the page makes itself (its own notices)
    kind: ChatLineKind;
    uid: number;
    name: string;
    text: string; // always rendered as text, never as HTML
    colour?: string;
    own?: boolean;
}

export class ChatLog {
    private lines: ChatLine[] = [];
    private readonly seen = new Set<number>();
    private readonly seenOrder: number[] = [];

    constructor(
        private readonly capacity = 200,
        private readonly seenMax = 2000,
    ) {}

    // Adds a line unless its seq was shown already; answers whether it was added.
    add(line: ChatLine): boolean {
        if (line.seq !== 0) {
            if (this.seen.has(line.seq)) {
                return false;
            }
            this.remember(line.seq);
        }
        // Replays can come after newer live lines only across a reconnect's gap; keep seq order.
        let at = this.lines.length;
        while (line.seq !== 0 && at > 0 && this.lines[at - 1]!.seq > line.seq) {
            --at;
        }
        this.lines.splice(at, 0, line);
        if (this.lines.length > this.capacity) {
            this.lines.splice(0, this.lines.length - this.capacity);
        }
        return true;
    }

    all(): readonly ChatLine[] {
        return this.lines;
    }

    private remember(seq: number): void {
        this.seen.add(seq);
        this.seenOrder.push(seq);
        if (this.seenOrder.length > this.seenMax) {
            this.seen.delete(this.seenOrder.shift()!);
        }
    }
}
