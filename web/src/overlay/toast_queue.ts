// Short-lived notices (the overlay's guard toasts): at most `visibleMax` on screen, each for
// `holdMs`, the rest waiting in order, at most `waitingMax` of them (past it the oldest waiting
// one is dropped: a burst shows its latest). Bounded whatever arrives, so an overlay left
// running for hours holds a handful. Time comes from a Clock (FakeClock in tests).
// Owner thread only (the page's).
import type { Clock, TimerHandle } from "../presenter/clock.js";

export interface ToastOptions {
    visibleMax: number;
    waitingMax: number;
    holdMs: number;
}

export const kDefaultToastOptions: ToastOptions = { visibleMax: 3, waitingMax: 20, holdMs: 5000 };

export interface Toast<T> {
    readonly id: number;
    readonly item: T;
}

export class ToastQueue<T> {
    private readonly options: ToastOptions;
    private readonly shown: { toast: Toast<T>; timer: TimerHandle }[] = [];
    private readonly waiting: Toast<T>[] = [];
    private nextId = 1;
    private droppedCount = 0;

    // onChange gets what shows now, oldest first, after every change.
    constructor(
        private readonly clock: Clock,
        options: Partial<ToastOptions>,
        private readonly onChange: (visible: readonly Toast<T>[]) => void,
    ) {
        this.options = { ...kDefaultToastOptions, ...options };
    }

    push(item: T): void {
        this.waiting.push({ id: this.nextId++, item });
        if (this.waiting.length > this.options.waitingMax) {
            this.waiting.shift();
            ++this.droppedCount;
        }
        this.fill();
    }

    visible(): Toast<T>[] {
        return this.shown.map((entry) => entry.toast);
    }

    counts(): { visible: number; waiting: number; dropped: number } {
        return { visible: this.shown.length, waiting: this.waiting.length, dropped: this.droppedCount };
    }

    dispose(): void {
        this.shown.forEach((entry) => this.clock.cancelTimer(entry.timer));
        this.shown.length = 0;
        this.waiting.length = 0;
    }

    private fill(): void {
        let changed = false;
        while (this.shown.length < this.options.visibleMax && this.waiting.length > 0) {
            const toast = this.waiting.shift()!;
            const timer = this.clock.setTimer(this.options.holdMs, () => this.expire(toast.id));
            this.shown.push({ toast, timer });
            changed = true;
        }
        if (changed) {
            this.onChange(this.visible());
        }
    }

    private expire(id: number): void {
        const index = this.shown.findIndex((entry) => entry.toast.id === id);
        if (index < 0) {
            return;
        }
        this.shown.splice(index, 1);
        this.onChange(this.visible());
        this.fill();
    }
}
