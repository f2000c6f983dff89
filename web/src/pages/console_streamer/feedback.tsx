// Reporting a problem with a game to its developer, and reading the answers (the feedback
// channel of docs/open-platform.md). Reports and answers are rendered as text.
import { useEffect, useState } from 'preact/hooks';

import type { StreamerApi } from '../../console/streamer_api';
import type { FeedbackEntry } from '../../live/feedback';
import type { Reporter } from './report';

export function GameFeedback({ api, report }: { api: StreamerApi; report: Reporter }) {
    const [app, setApp] = useState('');
    const [text, setText] = useState('');
    const [reports, setReports] = useState<readonly FeedbackEntry[]>([]);
    const load = async () => {
        const mine = await api.myReports();
        if (mine.ok) {
            setReports(mine.data.feedback);
        }
    };
    useEffect(() => void load(), []);

    const send = async (event: Event) => {
        event.preventDefault();
        const appId = Number(app);
        if (!Number.isSafeInteger(appId) || appId <= 0 || text.trim() === '') {
            report.fail('Game feedback', 'an app id and a description of the problem are needed');
            return;
        }
        const sent = await api.reportGameProblem(appId, text.trim());
        if (!sent.ok) {
            report.fail('Game feedback', sent.error);
            return;
        }
        setText('');
        report.done('Game feedback', `reported to app ${appId}'s developer`);
        await load();
    };

    return (
        <section class="card" data-testid="feedback-section">
            <h2>Report a problem with a game</h2>
            <form class="stack" onSubmit={send}>
                <input
                    data-testid="feedback-app"
                    inputMode="numeric"
                    placeholder="app id"
                    value={app}
                    onInput={(event) => setApp((event.target as HTMLInputElement).value)}
                />
                <textarea
                    data-testid="feedback-text"
                    maxLength={1000}
                    placeholder="What went wrong?"
                    value={text}
                    onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
                />
                <button type="submit" data-testid="feedback-submit">
                    Report
                </button>
            </form>
            <ul data-testid="feedback-list">
                {reports.map((entry) => (
                    <li>
                        <span>
                            app {entry.app_id}: {entry.text}
                        </span>
                        <br />
                        <span class="hint">{entry.answer === '' ? 'no answer yet' : `answer: ${entry.answer}`}</span>
                    </li>
                ))}
            </ul>
        </section>
    );
}
