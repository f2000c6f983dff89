// Like taps, counted on the page and sent as one `likes` request per window (500 ms), never one
// request per tap. At most one request is in flight; taps made meanwhile wait for the next
// window. A failed request puts its taps back (they are neither lost nor counted twice on the
// page) and tries again after a growing delay; a refused one drops them (nothing would change
// on a retry: an anonymous viewer, 2006).
//
// The server's likes call carries no request_id: when an answer is lost in the network, the
// retry may count those taps a second time on the server. Likes are not money; a lost tap
// would be the worse mistake.
// Owner thread only (the page's).
import type { Clock, TimerHandle } from "../presenter/clock.js";
import { isRetryable, type ApiClient, type LikesAnswer } from "./api_client.js";

// What a flush did: "sent" (taken), "retry" (not taken, try again), "drop" (refused for good).
export type FlushOutcome = "sent" | "retry" | "drop";
export type LikeFlush = (count: number) => Promise<FlushOutcome>;

export interface LikeBatcherOptions {
    readonly windowMs: number; // taps gathered into one request
    readonly countMax: number; // taps per request: the API's bound (6003 past 1000)
    readonly waitingMax: number; // taps held while the network is down; past it taps are dropped
    readonly retryMaxMs: number; // the longest wait between failed flushes
}

export const kDefaultLikeBatcherOptions: LikeBatcherOptions = {
    windowMs: 500,
    countMax: 1000,
    waitingMax: 10_000,
    retryMaxMs: 8000,
};

export class LikeBatcher {
    private readonly options: LikeBatcherOptions;
    private waiting = 0; // taps not yet in a request
    private inFlight = 0; // taps in the request under way
    private failures = 0; // failed flushes in a row
    private dropped = 0; // taps given up (refused or over waitingMax)
    private timer: TimerHandle | undefined;
    private stopped = false;

    constructor(
        private readonly clock: Clock,
        options: Partial<LikeBatcherOptions>,
        private readonly flush: LikeFlush,
    ) {
        this.options = { ...kDefaultLikeBatcherOptions, ...options };
    }

    // Counts `count` taps; they go out with the window's request.
    tap(count = 1): void {
        if (this.stopped || !(count > 0)) {
            return;
        }
        const room = this.options.waitingMax - this.waiting;
        const taken = Math.min(count, Math.max(0, room));
        this.waiting += taken;
        this.dropped += count - taken;
        this.schedule(this.options.windowMs);
    }

    // Taps counted on the page and not yet taken by the server, and taps given up.
    counts(): { waiting: number; inFlight: number; dropped: number } {
        return { waiting: this.waiting, inFlight: this.inFlight, dropped: this.dropped };
    }

    // Stops the window timer; taps still waiting are not sent.
    stop(): void {
        this.stopped = true;
        if (this.timer !== undefined) {
            this.clock.cancelTimer(this.timer);
            this.timer = undefined;
        }
    }

    private schedule(delayMs: number): void {
        if (this.timer !== undefined || this.inFlight > 0 || this.waiting === 0 || this.stopped) {
            return; // one timer at a time; a request under way schedules when it ends
        }
        this.timer = this.clock.setTimer(delayMs, () => {
            this.timer = undefined;
            void this.send();
        });
    }

    private async send(): Promise<void> {
        const count = Math.min(this.waiting, this.options.countMax);
        this.waiting -= count;
        this.inFlight = count;
        let outcome: FlushOutcome;
        try {
            outcome = await this.flush(count);
        } catch {
            outcome = "retry";
        }
        this.inFlight = 0;
        if (outcome === "retry") {
            this.waiting = Math.min(this.waiting + count, this.options.waitingMax);
            this.failures++;
            const delayMs = Math.min(this.options.retryMaxMs, this.options.windowMs * 2 ** Math.min(this.failures, 16));
            this.schedule(delayMs);
            return;
        }
        if (outcome === "drop") {
            this.dropped += count;
        }
        this.failures = 0;
        this.schedule(this.options.windowMs);
    }
}

// The flush a page gives a LikeBatcher: one `POST /api/v1/rooms/{room}/likes` per window.
// Answers with no reply or a transient refusal are retried; other refusals drop the taps.
export function likesFlush(api: ApiClient, room: number, onAnswer: (answer: LikesAnswer) => void = () => {}): LikeFlush {
    return async (count) => {
        const result = await api.sendLikes(room, count);
        if (result.ok) {
            onAnswer(result.data);
            return "sent";
        }
        return isRetryable(result.error) ? "retry" : "drop";
    };
}
