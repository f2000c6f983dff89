// The page's sign-in: a token kept under "barrage.token", its claims read for display, expired
// or malformed tokens refused or forgotten.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Session, TOKEN_KEY, userOfToken, type StorageLike } from "../../src/auth/session.js";

function memoryStorage(): StorageLike & { items: Map<string, string> } {
    const items = new Map<string, string>();
    return {
        items,
        getItem: (key) => items.get(key) ?? null,
        setItem: (key, value) => void items.set(key, value),
        removeItem: (key) => void items.delete(key),
    };
}

// A token as Barrage signs them; the signature is not checked here (the server checks it).
function token(claims: Record<string, unknown>): string {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}.signature`;
}

const NOW = 1_700_000_000_000;
const alice = token({ uid: 3, name: "小明 alice", role: "viewer", iat: 1_699_999_000, exp: 1_700_086_400 });

test("a token's user is read from its claims, names in any script", () => {
    assert.deepEqual(userOfToken(alice, NOW), { uid: 3, name: "小明 alice", role: "viewer", expiresAtS: 1_700_086_400 });
});

test("expired, malformed or uid-less tokens give no user", () => {
    assert.equal(userOfToken(token({ uid: 3, exp: 1_600_000_000 }), NOW), undefined);
    assert.equal(userOfToken("not-a-token", NOW), undefined);
    assert.equal(userOfToken(token({ name: "x", exp: 1_800_000_000 }), NOW), undefined);
    assert.equal(userOfToken("a.!!!.c", NOW), undefined);
});

test("signing in keeps only usable tokens; an expired one is forgotten when read", () => {
    const storage = memoryStorage();
    const session = new Session(storage);
    assert.equal(session.signIn("garbage", NOW), false);
    assert.equal(storage.items.size, 0);
    assert.equal(session.signIn(`  ${alice}\n`, NOW), true);
    assert.equal(storage.items.get(TOKEN_KEY), alice);
    assert.equal(session.user(NOW)?.uid, 3);
    assert.equal(session.user(1_700_086_400_000), undefined, "expired now");
    assert.equal(storage.items.has(TOKEN_KEY), false);
    session.signIn(alice, NOW);
    session.signOut();
    assert.equal(session.token(), undefined);
});
