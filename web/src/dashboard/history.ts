// A bounded window of chart points: the last `windowMs` of scrapes and never more than
// `pointsMax` of them, so a dashboard left open for hours holds the same few arrays. Pure.

export interface HistoryOptions {
    readonly windowMs: number; // 5 minutes by default
    readonly pointsMax: number; // a hard cap whatever the polling interval
}

export const kDefaultHistory: HistoryOptions = { windowMs: 5 * 60_000, pointsMax: 300 };

// uPlot's data layout: times in seconds, then one array per series (null: no value then).
export type ChartData = [number[], ...(number | null)[][]];

export class History {
    private readonly times: number[] = [];
    private readonly columns: (number | null)[][];

    constructor(
        readonly seriesCount: number,
        private readonly options: HistoryOptions = kDefaultHistory,
    ) {
        this.columns = Array.from({ length: seriesCount }, () => []);
    }

    push(atMs: number, values: readonly (number | undefined)[]): void {
        this.times.push(atMs / 1000);
        this.columns.forEach((column, i) => {
            const value = values[i];
            column.push(value === undefined || !Number.isFinite(value) ? null : value);
        });
        const oldestS = (atMs - this.options.windowMs) / 1000;
        let drop = Math.max(0, this.times.length - this.options.pointsMax);
        while (drop < this.times.length && this.times[drop]! < oldestS) {
            drop += 1;
        }
        if (drop > 0) {
            this.times.splice(0, drop);
            for (const column of this.columns) {
                column.splice(0, drop);
            }
        }
    }

    get length(): number {
        return this.times.length;
    }

    // Copies, so a chart may keep them while the history moves on.
    data(): ChartData {
        return [this.times.slice(), ...this.columns.map((column) => column.slice())];
    }

    // The newest value of series `i`, or undefined.
    latest(i: number): number | undefined {
        const column = this.columns[i];
        const value = column?.[column.length - 1];
        return value === null || value === undefined ? undefined : value;
    }
}
