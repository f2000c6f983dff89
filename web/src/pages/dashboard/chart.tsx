// One uPlot chart of a ChartSpec, sized to its box (it follows the box's width, so the charts
// shrink on a phone), with the chart's latest figure as text beside its title.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { type ChartSpec, formatFigure } from '../../dashboard/charts';
import type { ChartData } from '../../dashboard/history';

const kColours = ['#2b7bd6', '#d6532b', '#2ba36b', '#a33bc2', '#c29a1d'];
const kHeightPx = 150;

function lastOf(column: ArrayLike<number | null | undefined> | undefined): number | undefined {
    const value = column === undefined || column.length === 0 ? undefined : column[column.length - 1];
    return value === null ? undefined : value;
}

export function Chart({ spec, data, latest }: { spec: ChartSpec; data: ChartData; latest: number | undefined }) {
    const box = useRef<HTMLDivElement>(null);
    const plot = useRef<uPlot | undefined>(undefined);

    useEffect(() => {
        const element = box.current;
        if (element === null) {
            return undefined;
        }
        const width = () => Math.max(160, Math.floor(element.clientWidth));
        const created = new uPlot(
            {
                width: width(),
                height: kHeightPx,
                series: [
                    {},
                    ...spec.series.map((series, i) => ({
                        label: series.label,
                        stroke: kColours[i % kColours.length]!,
                        width: 1.5,
                        spanGaps: false,
                        // Under the cursor its point's value; elsewhere the newest.
                        value: (self: uPlot, value: number | null, series: number, index: number | null) =>
                            formatFigure(index === null ? lastOf(self.data[series]) : (value ?? undefined), spec.unit),
                    })),
                ],
                axes: [
                    {},
                    { size: 56, values: (_: uPlot, ticks: number[]) => ticks.map((tick) => formatFigure(tick, '')) },
                ],
                scales: { y: { range: (_: uPlot, min: number, max: number) => [Math.min(0, min), Math.max(1, max)] } },
                cursor: { drag: { x: false, y: false } },
            },
            data as uPlot.AlignedData,
            element,
        );
        plot.current = created;
        let lastWidth = width();
        const observer = new ResizeObserver(() => {
            const next = width();
            if (next !== lastWidth) {
                lastWidth = next;
                created.setSize({ width: next, height: kHeightPx });
            }
        });
        observer.observe(element);
        return () => {
            observer.disconnect();
            created.destroy();
            plot.current = undefined;
        };
    }, [spec]);

    useEffect(() => {
        plot.current?.setData(data as uPlot.AlignedData);
    }, [data]);

    return (
        <section class="chart">
            <h2>
                <span>{spec.title}</span>
                <span class="figure" data-testid={`value-${spec.name}`}>
                    {formatFigure(latest, spec.unit)}
                </span>
            </h2>
            <div class="plot" ref={box} data-testid={`chart-${spec.name}`} />
        </section>
    );
}
