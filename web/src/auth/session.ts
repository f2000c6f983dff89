// Who the page acts as: a token kept in the browser's localStorage under "barrage.token", set
// by picking a demo user (POST /api/v1/demo/login, answered on the embedded demo to this
// machine only) or by pasting a token (`barrage token` prints one). Pages read it at start;
// without one they are anonymous (they can watch, not send). No DOM beyond a Storage.

export const TOKEN_KEY = "barrage.token";

export interface StorageLike {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
}

export interface SessionUser {
    uid: number;
    name: string;
    role: string;
    expiresAtS: number;
}

// The claims a token says of its user, read without verifying (the server verifies); nothing
// when it is not a JWT with a uid and an unexpired exp.
export function userOfToken(token: string, nowMs: number): SessionUser | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) {
        return undefined;
    }
    try {
        const json = JSON.parse(base64UrlDecode(parts[1]!)) as Record<string, unknown>;
        const uid = Number(json.uid);
        const exp = Number(json.exp);
        if (!Number.isSafeInteger(uid) || uid <= 0 || !Number.isFinite(exp) || exp * 1000 <= nowMs) {
            return undefined;
        }
        return {
            uid,
            name: typeof json.name === "string" ? json.name : String(uid),
            role: typeof json.role === "string" ? json.role : "viewer",
            expiresAtS: exp,
        };
    } catch {
        return undefined;
    }
}

export class Session {
    constructor(private readonly storage: StorageLike) {}

    token(): string | undefined {
        return this.storage.getItem(TOKEN_KEY) ?? undefined;
    }

    // The signed-in user, or nothing (no token, or one that expired: it is then forgotten).
    user(nowMs: number): SessionUser | undefined {
        const token = this.token();
        if (token === undefined) {
            return undefined;
        }
        const user = userOfToken(token, nowMs);
        if (user === undefined) {
            this.storage.removeItem(TOKEN_KEY);
        }
        return user;
    }

    // Keeps a pasted or demo token; false (nothing kept) when it is not a usable token.
    signIn(token: string, nowMs: number): boolean {
        const trimmed = token.trim();
        if (userOfToken(trimmed, nowMs) === undefined) {
            return false;
        }
        this.storage.setItem(TOKEN_KEY, trimmed);
        return true;
    }

    signOut(): void {
        this.storage.removeItem(TOKEN_KEY);
    }
}

function base64UrlDecode(text: string): string {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
}
