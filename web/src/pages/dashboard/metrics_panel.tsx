// The live charts: GET /metrics (public) every 2 s, one request at a time, fed to the pure
// DashboardModel, which keeps the last five minutes.
import { useEffect, useMemo, useState } from 'preact/hooks';

import { DashboardModel } from '../../dashboard/charts';
import { Chart } from './chart';

const kPollMs = 2000;

export function MetricsPanel() {
    const model = useMemo(() => new DashboardModel(), []);
    const [, setTick] = useState(0);

    useEffect(() => {
        let busy = false;
        let stopped = false;
        const poll = async () => {
            if (busy) {
                return;
            }
            busy = true;
            try {
                const response = await fetch('/metrics', { cache: 'no-store' });
                const text = await response.text();
                if (response.ok) {
                    model.ingest(text, Date.now());
                } else {
                    model.failed(Date.now(), `HTTP ${response.status}`);
                }
            } catch (caught) {
                model.failed(Date.now(), caught instanceof Error ? caught.message : String(caught));
            } finally {
                busy = false;
            }
            if (!stopped) {
                setTick((tick) => tick + 1);
            }
        };
        void poll();
        const timer = window.setInterval(() => void poll(), kPollMs);
        return () => {
            stopped = true;
            window.clearInterval(timer);
        };
    }, [model]);

    const status = model.status;
    return (
        <section class="metrics">
            <p class="status" data-testid="metrics-status">
                {status.okAtMs === undefined && status.problem === ''
                    ? 'Reading /metrics…'
                    : status.problem !== ''
                      ? `/metrics did not answer (${status.problem}); retrying every 2 s`
                      : `From /metrics every 2 s; last at ${new Date(status.okAtMs ?? 0).toLocaleTimeString()}; the last 5 minutes`}
            </p>
            <div class="charts">
                {model.charts.map((spec) => (
                    <Chart key={spec.name} spec={spec} data={model.data(spec.name)} latest={model.latest(spec.name)} />
                ))}
            </div>
        </section>
    );
}
