// One user action that spends coins (a gift, a super chat, a guard, a paid danmaku), with the
// request_id the server uses to charge it at most once (docs/protocol.md, "Money").
//
// Make one per click and keep it until the action is settled: a retry after a network error or
// a 6011 (ledger unavailable) passes the same PaidAction, so the same request_id with the same
// body goes again and the server answers the first result without charging twice. A new click
// is a new PaidAction. The body is frozen with the id because the same id with other content is
// its own error (6001).
export class PaidAction<Body> {
    private attemptsMade = 0;

    private constructor(
        readonly requestId: string,
        readonly body: Readonly<Body>,
    ) {}

    // A fresh action with a random id (128 bits from crypto.getRandomValues).
    static create<Body>(body: Body): PaidAction<Body> {
        return PaidAction.withId(newRequestId(), body);
    }

    // An action with a known id (a page restoring an unsettled action, tests).
    static withId<Body>(requestId: string, body: Body): PaidAction<Body> {
        if (!/^[A-Za-z0-9_\-:.]{1,64}$/.test(requestId)) {
            throw new RangeError(`request_id must be 1..64 of [A-Za-z0-9_-:.]: ${requestId}`);
        }
        return new PaidAction(requestId, Object.freeze({ ...body }));
    }

    // How many times it was sent; the API client counts.
    attempts(): number {
        return this.attemptsMade;
    }

    // The JSON body of the request: the action's fields and its request_id.
    requestBody(): Record<string, unknown> {
        this.attemptsMade++;
        return { ...(this.body as Record<string, unknown>), request_id: this.requestId };
    }
}

function newRequestId(): string {
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    return `web-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
