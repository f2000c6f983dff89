// The ledger's last verify (GET /api/v1/admin/ledger) and a button to run one now
// (POST /api/v1/admin/ledger/verify: it reads the whole journal, so the server allows one per
// 10 s). The same check as `barrage ledger verify`.
import { useEffect, useState } from 'preact/hooks';

import type { ApiClient, ApiError } from '../../live';

interface VerifyReport {
    ok: boolean;
    accounts: number;
    journal_rows: number;
    balance_sum: number;
    balance_mismatches: number;
    negative_balances: number;
    bad_rows: number;
    bad_accounts: number;
    app_revenue_mismatches: number;
    summary: string;
    at_ms: number;
    took_ms: number;
}

const describe = (error: ApiError) => (error.kind === 'api' ? `${error.code} ${error.message}` : error.message);

export function LedgerPanel({ api }: { api: ApiClient }) {
    const [report, setReport] = useState<VerifyReport | null | undefined>(undefined);
    const [problem, setProblem] = useState('');
    const [busy, setBusy] = useState(false);

    useEffect(() => {
        void api.call<{ last_verify: VerifyReport | null }>('GET', '/api/v1/admin/ledger').then((answer) => {
            if (answer.ok) {
                setReport(answer.data.last_verify);
            } else {
                setProblem(describe(answer.error));
            }
        });
    }, [api]);

    const verify = async () => {
        setBusy(true);
        const answer = await api.call<VerifyReport>('POST', '/api/v1/admin/ledger/verify');
        setBusy(false);
        if (answer.ok) {
            setReport(answer.data);
            setProblem('');
        } else {
            setProblem(describe(answer.error));
        }
    };

    return (
        <section class="panel ledger" data-testid="ledger-panel">
            <h2>Ledger</h2>
            {report === undefined && problem === '' && <p>Loading…</p>}
            {report === null && (
                <p data-testid="ledger-status">No verify has run since the server started. Run one here, or `barrage ledger verify` on the server.</p>
            )}
            {report !== undefined && report !== null && (
                <div>
                    <p data-testid="ledger-status" class={report.ok ? 'good' : 'bad'}>
                        {report.ok ? 'Consistent' : 'PROBLEMS FOUND'} at {new Date(report.at_ms).toLocaleString()} (took {report.took_ms} ms)
                    </p>
                    <p class="summary" data-testid="ledger-summary">
                        {report.summary}
                    </p>
                    <dl class="figures">
                        <dt>accounts</dt>
                        <dd data-testid="ledger-accounts">{report.accounts}</dd>
                        <dt>journal rows</dt>
                        <dd data-testid="ledger-journal-rows">{report.journal_rows}</dd>
                        <dt>balance sum (coins)</dt>
                        <dd data-testid="ledger-balance-sum">{report.balance_sum}</dd>
                        <dt>balance mismatches</dt>
                        <dd>{report.balance_mismatches}</dd>
                        <dt>negative balances</dt>
                        <dd>{report.negative_balances}</dd>
                        <dt>bad rows / accounts</dt>
                        <dd>
                            {report.bad_rows} / {report.bad_accounts}
                        </dd>
                        <dt>app revenue mismatches</dt>
                        <dd>{report.app_revenue_mismatches}</dd>
                    </dl>
                </div>
            )}
            <button type="button" data-testid="ledger-verify" disabled={busy} onClick={() => void verify()}>
                {busy ? 'Verifying…' : 'Verify now'}
            </button>
            {problem !== '' && <p class="problem">{problem}</p>}
        </section>
    );
}
