// Time as the presenter sees it. The presenter never reads Date.now() or calls setTimeout
// itself: combo windows, banner hold times and animation time-outs all go through a Clock,
// so tests drive them with FakeClock and never sleep (STYLE.md, Tests).

// An opaque handle for a pending timer.
export type TimerHandle = { readonly timer: unknown };

export interface Clock {
    // Milliseconds on a monotonic scale; only differences matter.
    nowMs(): number;
    // Runs `callback` once, `delayMs` from now, unless cancelled first.
    setTimer(delayMs: number, callback: () => void): TimerHandle;
    cancelTimer(handle: TimerHandle): void;
}

// The real clock of a browser or of node. performance.now() rather than Date.now(): a wall
// clock that steps back (NTP, a user changing the time) must not reopen a finished combo.
export function systemClock(): Clock {
    return {
        nowMs: () => globalThis.performance.now(),
        setTimer: (delayMs, callback) => ({ timer: globalThis.setTimeout(callback, delayMs) }),
        cancelTimer: (handle) => globalThis.clearTimeout(handle.timer as ReturnType<typeof setTimeout>),
    };
}
