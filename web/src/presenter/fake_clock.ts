import type { Clock, TimerHandle } from "./clock.js";

interface PendingTimer {
    readonly dueMs: number;
    readonly order: number; // ties run in the order they were set, as real timers do
    readonly callback: () => void;
    cancelled: boolean;
}

// A clock that moves only when told to, for tests. advance() runs every timer that falls due,
// in due order, at its due time (nowMs() reads that time inside the callback), including
// timers set by callbacks during the advance. One test owns one FakeClock.
export class FakeClock implements Clock {
    private currentMs: number;
    private nextOrder = 0;
    private pending: PendingTimer[] = [];

    constructor(startMs = 0) {
        this.currentMs = startMs;
    }

    nowMs(): number {
        return this.currentMs;
    }

    setTimer(delayMs: number, callback: () => void): TimerHandle {
        const timer: PendingTimer = {
            dueMs: this.currentMs + Math.max(0, delayMs),
            order: this.nextOrder++,
            callback,
            cancelled: false,
        };
        this.pending.push(timer);
        return { timer };
    }

    cancelTimer(handle: TimerHandle): void {
        (handle.timer as PendingTimer).cancelled = true;
    }

    // Moves time forward by `ms`, running what falls due on the way.
    advance(ms: number): void {
        const targetMs = this.currentMs + ms;
        for (;;) {
            const next = this.nextDue(targetMs);
            if (next === undefined) {
                break;
            }
            this.pending = this.pending.filter((timer) => timer !== next);
            this.currentMs = next.dueMs;
            next.callback();
        }
        this.currentMs = targetMs;
    }

    // Timers still waiting (cancelled ones excluded).
    pendingCount(): number {
        return this.pending.filter((timer) => !timer.cancelled).length;
    }

    private nextDue(targetMs: number): PendingTimer | undefined {
        let best: PendingTimer | undefined;
        for (const timer of this.pending) {
            if (timer.cancelled || timer.dueMs > targetMs) {
                continue;
            }
            const earlier =
                best === undefined ||
                timer.dueMs < best.dueMs ||
                (timer.dueMs === best.dueMs && timer.order < best.order);
            if (earlier) {
                best = timer;
            }
        }
        return best;
    }
}
