// The operator dashboard (docs/web.md, "The operator dashboard"): live charts from /metrics
// (public), and for an admin the ledger's verify and the open platform's review queue.
import '../page.css';
import './dashboard.css';
import { useMemo } from 'preact/hooks';

import { ApiClient } from '../../live';
import { Login, pageSession } from '../login';
import { mount, Page } from '../shell';
import { LedgerPanel } from './ledger_panel';
import { MetricsPanel } from './metrics_panel';
import { ReviewPanel } from './review_panel';

function Dashboard() {
    const session = useMemo(() => pageSession(), []);
    const user = session.user(Date.now());
    const token = user === undefined ? undefined : session.token();
    const api = useMemo(
        () => new ApiClient(token === undefined ? { baseUrl: '' } : { baseUrl: '', token }, fetch.bind(globalThis)),
        [token],
    );
    return (
        <Page title="Operator dashboard">
            <Login session={session} />
            <MetricsPanel />
            {user?.role === 'admin' ? (
                <div class="admin">
                    <LedgerPanel api={api} />
                    <ReviewPanel api={api} />
                </div>
            ) : (
                <p class="hint" data-testid="admin-needed">
                    Sign in as an admin to see the ledger's verify and the app review queue.
                </p>
            )}
        </Page>
    );
}

mount(<Dashboard />);
