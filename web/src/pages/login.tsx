// The sign-in box every page that acts for a user shows: who is signed in (and sign out), or a
// demo user to pick (the embedded demo answers /api/v1/demo/* to this machine only) or a token
// to paste. Signing in or out reloads the page, so each page reads its token once at start.
import { useEffect, useState } from 'preact/hooks';

import { Session, type SessionUser } from '../auth/session';

interface DemoUser {
    uid: number;
    name: string;
    role: string;
}

export function pageSession(): Session {
    return new Session(window.localStorage);
}

export function Login({ session }: { session: Session }) {
    const user: SessionUser | undefined = session.user(Date.now());
    const [demoUsers, setDemoUsers] = useState<DemoUser[]>([]);
    const [pasted, setPasted] = useState('');
    const [problem, setProblem] = useState('');

    useEffect(() => {
        if (user !== undefined) {
            return;
        }
        fetch('/api/v1/demo/users')
            .then((response) => (response.ok ? response.json() : undefined))
            .then((body: { data?: { users?: DemoUser[] } } | undefined) => setDemoUsers(body?.data?.users ?? []))
            .catch(() => setDemoUsers([]));
    }, [user === undefined]);

    if (user !== undefined) {
        return (
            <div class="login" data-testid="login">
                <span data-testid="signed-in">
                    {user.name} ({user.role})
                </span>
                <button
                    type="button"
                    onClick={() => {
                        session.signOut();
                        window.location.reload();
                    }}
                >
                    Sign out
                </button>
            </div>
        );
    }

    const signInAs = async (uid: number) => {
        const response = await fetch('/api/v1/demo/login', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ uid }),
        }).catch(() => undefined);
        const body = (await response?.json().catch(() => undefined)) as { data?: { token?: string }; message?: string } | undefined;
        if (body?.data?.token !== undefined && session.signIn(body.data.token, Date.now())) {
            window.location.reload();
        } else {
            setProblem(body?.message ?? 'the demo log-in did not answer');
        }
    };

    return (
        <div class="login" data-testid="login">
            {demoUsers.length > 0 && (
                <select
                    data-testid="login-user"
                    aria-label="Sign in as a demo user"
                    onChange={(event) => {
                        const uid = Number((event.target as HTMLSelectElement).value);
                        if (uid > 0) {
                            void signInAs(uid);
                        }
                    }}
                >
                    <option value="0">Sign in as…</option>
                    {demoUsers.map((demo) => (
                        <option value={String(demo.uid)}>
                            {demo.name} ({demo.role})
                        </option>
                    ))}
                </select>
            )}
            <input
                data-testid="login-token"
                type="password"
                placeholder="or paste a token"
                value={pasted}
                onInput={(event) => setPasted((event.target as HTMLInputElement).value)}
            />
            <button
                type="button"
                data-testid="login-button"
                onClick={() => {
                    if (session.signIn(pasted, Date.now())) {
                        window.location.reload();
                    } else {
                        setProblem('that is not a usable token');
                    }
                }}
            >
                Sign in
            </button>
            {problem !== '' && <span class="problem">{problem}</span>}
        </div>
    );
}
