// The developer console (/console/developer): the signed-in developer's apps (create, edit,
// submit for review), and for the chosen app its keys (rotation; the secret shown once), test
// rooms, the debug tool, interactive gifts with the asset library, call statistics and the audit
// log. Every name, description and answer is rendered as text.
import { useEffect, useMemo, useState } from 'preact/hooks';

import { DeveloperApi, describeError, kReviewStatusText, type App, type AppKeys, type BillDay } from '../../developer/developer_api';
import { ApiClient, type ApiError } from '../../live/index';
import { pageSession } from '../login';
import { AppPanel } from './app_panel';

export interface ConsoleContext {
    developer: DeveloperApi;
    // Shows a failure in the console's error line (data-testid="console-error"); "" clears it.
    report: (text: string) => void;
    failed: (what: string, error: ApiError) => void;
}

export function DeveloperConsole() {
    const session = useMemo(() => pageSession(), []);
    const user = session.user(Date.now());
    const token = session.token();
    const developer = useMemo(
        () => new DeveloperApi(new ApiClient(token === undefined ? { baseUrl: '' } : { baseUrl: '', token }, window.fetch.bind(window))),
        [],
    );
    const [error, setError] = useState('');
    const [apps, setApps] = useState<App[] | undefined>(undefined);
    const [listFailed, setListFailed] = useState(false);
    const [chosen, setChosen] = useState<number | undefined>(undefined);
    const [revealed, setRevealed] = useState<AppKeys | undefined>(undefined);
    const [name, setName] = useState('');
    const [description, setDescription] = useState('');

    const context: ConsoleContext = {
        developer,
        report: setError,
        failed: (what, failure) => setError(`${what}: ${describeError(failure)}`),
    };

    const reload = async () => {
        const answer = await developer.apps();
        if (answer.ok) {
            setApps(answer.data);
            setListFailed(false);
        } else {
            setListFailed(true);
            context.failed('could not list your apps', answer.error);
        }
    };

    useEffect(() => {
        if (user !== undefined) {
            void reload();
        }
    }, []);

    if (user === undefined) {
        return <p class="hint">Sign in as a developer to manage your apps.</p>;
    }

    const create = async (event: Event) => {
        event.preventDefault();
        const body = description.trim() === '' ? { name: name.trim() } : { name: name.trim(), description };
        const answer = await developer.createApp(body);
        if (!answer.ok) {
            context.failed('could not create the app', answer.error);
            return;
        }
        setError('');
        setName('');
        setDescription('');
        setRevealed(answer.data);
        setChosen(answer.data.app_id);
        await reload();
    };

    const replaced = (app: App) => setApps((list) => list?.map((each) => (each.app_id === app.app_id ? app : each)));
    const app = apps?.find((each) => each.app_id === chosen);

    return (
        <div class="developer">
            <p class="console-error" data-testid="console-error" role="alert" hidden={error === ''}>
                {error}
            </p>
            {revealed !== undefined && <SecretOnce keys={revealed} onDone={() => setRevealed(undefined)} />}
            <section class="card">
                <h2>Your apps</h2>
                {apps === undefined ? (
                    <p class="hint">{listFailed ? 'Your apps could not be listed (the reason is above).' : 'Loading…'}</p>
                ) : apps.length === 0 ? (
                    <p class="hint">No apps yet: create one below.</p>
                ) : (
                    <ul class="apps">
                        {apps.map((each) => (
                            <li data-testid={`app-${each.app_id}`} class={each.app_id === chosen ? 'app chosen' : 'app'}>
                                <button type="button" class="link" onClick={() => setChosen(each.app_id)}>
                                    {each.name}
                                </button>
                                <span class="muted">#{each.app_id}</span>
                                <span class={`status status-${each.status}`} data-testid="app-status">
                                    {kReviewStatusText[each.status]}
                                </span>
                            </li>
                        ))}
                    </ul>
                )}
                <form class="stack" onSubmit={create}>
                    <h3>New app</h3>
                    <input
                        data-testid="app-name"
                        placeholder="name (one line, up to 64 characters)"
                        maxLength={64}
                        required
                        value={name}
                        onInput={(event) => setName((event.target as HTMLInputElement).value)}
                    />
                    <textarea
                        data-testid="app-description"
                        placeholder="description (optional)"
                        maxLength={1000}
                        value={description}
                        onInput={(event) => setDescription((event.target as HTMLTextAreaElement).value)}
                    />
                    <button type="submit" data-testid="app-create">
                        Create app
                    </button>
                </form>
            </section>
            {app !== undefined && (
                <AppPanel key={app.app_id} app={app} context={context} onApp={replaced} onKeys={setRevealed} />
            )}
            {app !== undefined && <DailyBills key={`bills-${app.app_id}`} app={app} context={context} />}
        </div>
    );
}

// The secret of a new app or a rotation: shown here once, kept only in this component's state
// (never in storage), gone when dismissed or when the page reloads.
function SecretOnce({ keys, onDone }: { keys: AppKeys; onDone: () => void }) {
    const [copied, setCopied] = useState('');
    return (
        <section class="card secret" data-testid="secret-once">
            <h2>Copy the secret now</h2>
            <p class="warning">
                This is the only time the access key secret of app #{keys.app_id} is shown. Barrage does not show it again and this page
                does not keep it: store it in your game's configuration now. Lost, it can only be replaced by rotating the key (which
                stops the old secret at once).
            </p>
            <dl class="keys">
                <dt>access_key_id</dt>
                <dd>
                    <code data-testid="secret-key-id">{keys.access_key_id}</code>
                </dd>
                <dt>access_key_secret</dt>
                <dd>
                    <code data-testid="secret-value">{keys.access_key_secret}</code>
                </dd>
            </dl>
            <div class="row">
                <button
                    type="button"
                    onClick={() => {
                        navigator.clipboard
                            ?.writeText(keys.access_key_secret)
                            .then(() => setCopied('copied'))
                            .catch(() => setCopied('copy failed: select the text and copy it'));
                    }}
                >
                    Copy secret
                </button>
                <button type="button" data-testid="secret-done" onClick={onDone}>
                    I have stored it — hide
                </button>
                {copied !== '' && <span class="muted">{copied}</span>}
            </div>
        </section>
    );
}

// The selected app's bill per UTC day (GET /api/v1/open/apps/{app}/bills): gross and the app's
// cut in coins, from the ledger's day counters, newest day first.
function DailyBills({ app, context }: { app: App; context: ConsoleContext }) {
    const [days, setDays] = useState<readonly BillDay[] | undefined>(undefined);
    useEffect(() => {
        void context.developer.bills(app.app_id).then((bills) => {
            if (bills.ok) {
                setDays(bills.data.days);
            } else {
                context.failed('daily bills', bills.error);
            }
        });
    }, [app.app_id]);
    return (
        <section class="card" data-testid="bills">
            <h2>Daily bills</h2>
            {days !== undefined && days.length === 0 && <p class="hint">No interactive gift of this app was paid for yet.</p>}
            {days !== undefined && days.length > 0 && (
                <table>
                    <thead>
                        <tr>
                            <th>UTC day</th>
                            <th>gross (coins)</th>
                            <th>your cut (coins)</th>
                        </tr>
                    </thead>
                    <tbody>
                        {days.map((day) => (
                            <tr>
                                <td>{String(day.day).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')}</td>
                                <td>{day.gross}</td>
                                <td>{day.app_coins}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
        </section>
    );
}
