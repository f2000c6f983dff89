// One app in the developer console: its review status and edit form, keys and rotation, test
// rooms, the debug tool, interactive gifts, call statistics and the audit log.
import { TestGame } from './test_game';
import { useEffect, useState } from 'preact/hooks';

import {
    kReviewStatusText,
    mayEdit,
    maySubmit,
    perMilleText,
    statsRows,
    statsUnavailable,
    type App,
    type AppKeys,
    type AppShare,
    type AuditEntry,
    type StatsRow,
} from '../../developer/developer_api';
import type { ApiResult } from '../../live/index';
import type { ConsoleContext } from './developer_console';
import { FeedbackPanel } from './feedback_panel';
import { DebugTool } from './debug_tool';
import { GiftsPanel } from './gifts_panel';

interface AppPanelProps {
    app: App;
    context: ConsoleContext;
    onApp: (app: App) => void;
    onKeys: (keys: AppKeys) => void;
}

function when(ms: number): string {
    return ms > 0 ? new Date(ms).toLocaleString() : '—';
}

export function AppPanel({ app, context, onApp, onKeys }: AppPanelProps) {
    const { developer } = context;
    const [name, setName] = useState(app.name);
    const [description, setDescription] = useState(app.description);
    const [confirmRotate, setConfirmRotate] = useState(false);
    const [room, setRoom] = useState('');
    const [auditEntries, setAuditEntries] = useState<AuditEntry[]>([]);

    const loadAudit = async () => {
        const answer = await developer.audit(app.app_id);
        if (answer.ok) {
            setAuditEntries(answer.data.entries);
        }
    };
    useEffect(() => {
        void loadAudit();
    }, [app]);

    const changed = async (what: string, call: () => Promise<ApiResult<App>>) => {
        const answer = await call();
        if (answer.ok) {
            context.report('');
            onApp(answer.data);
        } else {
            context.failed(what, answer.error);
        }
    };

    const save = (event: Event) => {
        event.preventDefault();
        const body = description.trim() === '' ? { name: name.trim() } : { name: name.trim(), description };
        void changed('could not save the app', () => developer.editApp(app.app_id, body));
    };

    const rotate = async () => {
        setConfirmRotate(false);
        const answer = await developer.rotateSecret(app.app_id);
        if (answer.ok) {
            context.report('');
            onKeys(answer.data);
            void loadAudit();
        } else {
            context.failed('could not rotate the secret', answer.error);
        }
    };

    const addRoom = (event: Event) => {
        event.preventDefault();
        const number = Number(room.trim());
        if (!/^[0-9]{1,16}$/.test(room.trim()) || number < 1) {
            context.report('a test room is a room number (1 and up)');
            return;
        }
        setRoom('');
        void changed(`could not add room ${number}`, () => developer.addTestRoom(app.app_id, number));
    };

    return (
        <div class="app-panel" data-testid="app-panel">
            <section class="card">
                <h2>
                    {app.name} <span class="muted">#{app.app_id}</span>
                </h2>
                <p>
                    Review:{' '}
                    <span class={`status status-${app.status}`} data-testid="review-status">
                        {kReviewStatusText[app.status]}
                    </span>
                    {app.submitted_ms > 0 && <span class="muted"> · submitted {when(app.submitted_ms)}</span>}
                </p>
                {app.reject_reason !== '' && (
                    <p class="warning" data-testid="reject-reason">
                        Rejected: {app.reject_reason}
                    </p>
                )}
                {app.status === 'approved' && <p class="hint">Approved: games run in any room. Editing makes the app a draft again.</p>}
                {app.status !== 'approved' && (
                    <p class="hint">Until it is approved, the app starts games only in your own rooms and its test rooms.</p>
                )}
                {maySubmit(app.status) && (
                    <button
                        type="button"
                        data-testid="app-submit"
                        onClick={() => void changed('could not submit the app', () => developer.submitApp(app.app_id))}
                    >
                        Submit for review
                    </button>
                )}
                <form class="stack" onSubmit={save}>
                    <h3>Edit</h3>
                    <input
                        data-testid="edit-name"
                        maxLength={64}
                        required
                        disabled={!mayEdit(app.status)}
                        value={name}
                        onInput={(event) => setName((event.target as HTMLInputElement).value)}
                    />
                    <textarea
                        data-testid="edit-description"
                        maxLength={1000}
                        disabled={!mayEdit(app.status)}
                        value={description}
                        onInput={(event) => setDescription((event.target as HTMLTextAreaElement).value)}
                    />
                    <button type="submit" data-testid="edit-save" disabled={!mayEdit(app.status)}>
                        Save
                    </button>
                    {!mayEdit(app.status) && <p class="hint">An app in review cannot be edited.</p>}
                </form>
            </section>

            <section class="card">
                <h2>Keys</h2>
                <dl class="keys">
                    <dt>access_key_id</dt>
                    <dd>
                        <code data-testid="key-id">{app.access_key_id}</code>
                    </dd>
                    <dt>access_key_secret</dt>
                    <dd class="muted">shown only when the app is created or the key rotated</dd>
                </dl>
                {confirmRotate ? (
                    <div class="row">
                        <span class="warning">The old secret stops working at once, running games included.</span>
                        <button type="button" data-testid="rotate-confirm" onClick={() => void rotate()}>
                            Rotate now
                        </button>
                        <button type="button" onClick={() => setConfirmRotate(false)}>
                            Cancel
                        </button>
                    </div>
                ) : (
                    <button type="button" data-testid="rotate" onClick={() => setConfirmRotate(true)}>
                        Rotate the secret…
                    </button>
                )}
            </section>

            <section class="card">
                <h2>Test rooms</h2>
                <p class="hint">Besides your own rooms, up to 10 rooms where the app may run and the debug tool may inject events.</p>
                {app.whitelist.length === 0 ? (
                    <p class="hint">No test rooms.</p>
                ) : (
                    <ul class="rooms" data-testid="whitelist">
                        {app.whitelist.map((each) => (
                            <li data-testid={`whitelist-${each}`}>
                                <span>room {each}</span>
                                <button
                                    type="button"
                                    onClick={() =>
                                        void changed(`could not remove room ${each}`, () => developer.removeTestRoom(app.app_id, each))
                                    }
                                >
                                    Remove
                                </button>
                            </li>
                        ))}
                    </ul>
                )}
                <form class="row" onSubmit={addRoom}>
                    <input
                        data-testid="whitelist-room"
                        inputMode="numeric"
                        placeholder="room number"
                        value={room}
                        onInput={(event) => setRoom((event.target as HTMLInputElement).value)}
                    />
                    <button type="submit" data-testid="whitelist-add">
                        Add test room
                    </button>
                </form>
            </section>

            <DebugTool app={app} context={context} />
            <TestGame app={app} context={context} />
            <GiftsPanel app={app} context={context} />
            <StatsSection app={app} context={context} />
            <FeedbackPanel app={app} context={context} />
            <ShareSection app={app} context={context} />

            <section class="card">
                <h2>Audit log</h2>
                {auditEntries.length === 0 ? (
                    <p class="hint">Nothing yet.</p>
                ) : (
                    <ul class="audit" data-testid="audit">
                        {auditEntries.map((entry) => (
                            <li>
                                <span class="muted">{when(entry.at_ms)}</span> <strong>{entry.action}</strong>
                                {entry.room > 0 && <span> room {entry.room}</span>}
                                {entry.detail !== '' && <span> · {entry.detail}</span>}
                                <span class="muted"> · by uid {entry.actor}</span>
                            </li>
                        ))}
                    </ul>
                )}
            </section>
        </div>
    );
}

function StatsSection({ app, context }: { app: App; context: ConsoleContext }) {
    const [state, setState] = useState<{ kind: 'loading' } | { kind: 'none' } | { kind: 'failed'; text: string } | { kind: 'rows'; since: number; rows: StatsRow[] }>({
        kind: 'loading',
    });
    const load = async () => {
        const answer = await context.developer.stats(app.app_id);
        if (answer.ok) {
            setState({ kind: 'rows', since: answer.data.since_ms, rows: statsRows(answer.data) });
        } else if (statsUnavailable(answer)) {
            setState({ kind: 'none' });
        } else {
            setState({ kind: 'failed', text: answer.error.kind === 'api' ? `${answer.error.message} (code ${answer.error.code})` : answer.error.message });
        }
    };
    useEffect(() => {
        void load();
    }, [app.app_id]);

    return (
        <section class="card" data-testid="stats">
            <h2>Calls</h2>
            {state.kind === 'loading' && <p class="hint">Loading…</p>}
            {state.kind === 'none' && <p class="hint" data-testid="stats-none">no statistics route on this server</p>}
            {state.kind === 'failed' && <p class="warning">could not read the statistics: {state.text}</p>}
            {state.kind === 'rows' && (
                <>
                    <p class="hint">Signed open-platform calls since {when(state.since)} (the server's start).</p>
                    <table class="stats">
                        <thead>
                            <tr>
                                <th>endpoint</th>
                                <th>calls</th>
                                <th>errors</th>
                                <th>codes</th>
                                <th>p50</th>
                                <th>p99</th>
                            </tr>
                        </thead>
                        <tbody>
                            {state.rows.map((row) => (
                                <tr data-testid={`stats-${row.endpoint}`}>
                                    <td data-label="endpoint">
                                        <code>{row.endpoint}</code>
                                    </td>
                                    <td data-label="calls">{row.calls}</td>
                                    <td data-label="errors">{row.errorRate}</td>
                                    <td data-label="codes">{row.errorCodes === '' ? '—' : row.errorCodes}</td>
                                    <td data-label="p50">{row.p50}</td>
                                    <td data-label="p99">{row.p99}</td>
                                </tr>
                            ))}
                        </tbody>
                    </table>
                </>
            )}
            <button type="button" onClick={() => void load()}>
                Refresh
            </button>
        </section>
    );
}

function ShareSection({ app, context }: { app: App; context: ConsoleContext }) {
    const [share, setShare] = useState<AppShare | undefined>(undefined);
    const [problem, setProblem] = useState('');
    useEffect(() => {
        void context.developer.share(app.app_id).then((answer) => {
            if (answer.ok) {
                setShare(answer.data);
            } else {
                setProblem(answer.error.kind === 'api' ? `${answer.error.message} (code ${answer.error.code})` : answer.error.message);
            }
        });
    }, [app.app_id]);
    const upcoming = share?.changes.filter((change) => change.effective_ms > Date.now()) ?? [];
    return (
        <section class="card" data-testid="share">
            <h2>Revenue share</h2>
            {problem !== '' && <p class="warning">could not read the share: {problem}</p>}
            {share !== undefined && (
                <>
                    <p>
                        In force: <strong>{perMilleText(share.in_force.per_mille)}</strong> of the platform's part of this app's interactive
                        gifts{share.in_force.from_default ? " (the server's default)" : ''}, since {when(share.in_force.effective_ms)}.
                    </p>
                    {upcoming.map((change) => (
                        <p class="hint">
                            From {when(change.effective_ms)}: {perMilleText(change.per_mille)}
                        </p>
                    ))}
                    <p class="hint">Set by an operator; changes never apply to gifts already sent.</p>
                </>
            )}
        </section>
    );
}
