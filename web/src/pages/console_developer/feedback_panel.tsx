// Streamers' reports about this app, newest first, and an answer to each (the feedback channel
// of docs/open-platform.md). Reports and answers are rendered as text.
import { useEffect, useState } from 'preact/hooks';

import type { App } from '../../developer/developer_api';
import type { FeedbackEntry } from '../../live/feedback';
import type { ConsoleContext } from './developer_console';

export function FeedbackPanel({ app, context }: { app: App; context: ConsoleContext }) {
    const [reports, setReports] = useState<readonly FeedbackEntry[]>([]);
    const [drafts, setDrafts] = useState<Record<number, string>>({});
    const load = async () => {
        const listed = await context.developer.feedback(app.app_id);
        if (listed.ok) {
            setReports(listed.data.feedback);
        } else {
            context.failed("streamers' reports", listed.error);
        }
    };
    useEffect(() => void load(), [app.app_id]);

    const answer = async (entry: FeedbackEntry) => {
        const text = (drafts[entry.id] ?? '').trim();
        if (text === '') {
            context.report('write an answer first');
            return;
        }
        const answered = await context.developer.answerFeedback(app.app_id, entry.id, text);
        if (!answered.ok) {
            context.failed('the answer', answered.error);
            return;
        }
        context.report('');
        await load();
    };

    return (
        <section class="card" data-testid="feedback-panel">
            <h2>Streamers' reports</h2>
            {reports.length === 0 && <p class="hint">No reports about this app.</p>}
            <ul class="stack">
                {reports.map((entry) => (
                    <li data-testid={`feedback-${entry.id}`}>
                        <p>
                            room {entry.room}: {entry.text}
                        </p>
                        {entry.answer !== '' && <p class="hint">your answer: {entry.answer}</p>}
                        <div class="row">
                            <input
                                data-testid={`feedback-answer-${entry.id}`}
                                maxLength={1000}
                                placeholder="Answer"
                                value={drafts[entry.id] ?? ''}
                                onInput={(event) => setDrafts((all) => ({ ...all, [entry.id]: (event.target as HTMLInputElement).value }))}
                            />
                            <button type="button" data-testid={`feedback-send-${entry.id}`} onClick={() => void answer(entry)}>
                                Answer
                            </button>
                        </div>
                    </li>
                ))}
            </ul>
        </section>
    );
}
