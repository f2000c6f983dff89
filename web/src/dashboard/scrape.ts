// Successive scrapes of /metrics turned into values and per-second rates. A counter's rate is
// its increase over the time between two scrapes; a counter that went down (the server
// restarted) is taken to have started again from zero, as Prometheus's rate() does, so a
// restart shows its new counts rather than a negative spike. Pure: times are passed in.
import { type Exposition, type Labels, type Sample, seriesKey } from "./prometheus.js";

export type LabelFilter = (labels: Labels) => boolean;

export interface Scrape {
    readonly atMs: number;
    readonly samples: readonly Sample[];
    // Per-second rates of counters seen in the previous scrape too, by seriesKey.
    readonly rates: ReadonlyMap<string, number>;
}

export function isCounter(name: string, types: ReadonlyMap<string, string>): boolean {
    const type = types.get(name);
    return type !== undefined ? type === "counter" : name.endsWith("_total");
}

export class RateComputer {
    private previous = new Map<string, number>();
    private previousMs: number | undefined;

    // The scrape received at `atMs` with the rates since the last one (none the first time, or
    // when the clock did not move forward).
    next(exposition: Exposition, atMs: number): Scrape {
        const current = new Map<string, number>();
        const rates = new Map<string, number>();
        const seconds = this.previousMs === undefined ? 0 : (atMs - this.previousMs) / 1000;
        for (const sample of exposition.samples) {
            if (!isCounter(sample.name, exposition.types) || !Number.isFinite(sample.value)) {
                continue;
            }
            const key = seriesKey(sample.name, sample.labels);
            current.set(key, sample.value);
            const before = this.previous.get(key);
            if (before !== undefined && seconds > 0) {
                const increase = sample.value >= before ? sample.value - before : sample.value;
                rates.set(key, increase / seconds);
            }
        }
        this.previous = current; // series that disappeared are forgotten
        this.previousMs = atMs;
        return { atMs, samples: exposition.samples, rates };
    }

    // After a failed scrape nothing changes: the next rate spans the gap.
    reset(): void {
        this.previous = new Map();
        this.previousMs = undefined;
    }
}

const kAll: LabelFilter = () => true;

// The sum of the samples of `name` whose labels pass `filter`; undefined when none is present.
export function valueOf(scrape: Scrape, name: string, filter: LabelFilter = kAll): number | undefined {
    let total: number | undefined;
    for (const sample of scrape.samples) {
        if (sample.name === name && filter(sample.labels)) {
            total = (total ?? 0) + sample.value;
        }
    }
    return total;
}

// The sum of the per-second rates of `name`'s series passing `filter`; undefined when none has
// a rate yet (the first scrape, or a metric the server does not export).
export function rateOf(scrape: Scrape, name: string, filter: LabelFilter = kAll): number | undefined {
    let total: number | undefined;
    for (const sample of scrape.samples) {
        if (sample.name !== name || !filter(sample.labels)) {
            continue;
        }
        const rate = scrape.rates.get(seriesKey(sample.name, sample.labels));
        if (rate !== undefined) {
            total = (total ?? 0) + rate;
        }
    }
    return total;
}

export function labelIs(name: string, value: string): LabelFilter {
    return (labels) => labels[name] === value;
}
