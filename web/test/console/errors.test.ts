// Every kind of API failure reads as one line with its code, message and details.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeError } from "../../src/console/errors.js";

test("api errors carry code, message and data details", () => {
    assert.equal(
        describeError({ kind: "api", code: 3111, message: "a word list entry does not compile", status: 400, data: { entry: 2, position: 5, error: "bad" } }),
        "error 3111: a word list entry does not compile — entry: 2, position: 5, error: bad",
    );
    assert.equal(describeError({ kind: "api", code: 2005, message: "not allowed for this role", status: 403, data: undefined }), "error 2005: not allowed for this role");
    assert.equal(describeError({ kind: "api", code: 1000, message: "", status: 400, data: ["x"] }), "error 1000: (no message)");
});

test("network and non-envelope answers say so", () => {
    assert.match(describeError({ kind: "network", message: "offline" }), /^no answer from the server \(offline\)/);
    assert.equal(describeError({ kind: "bad_answer", status: 502, message: "not JSON (HTTP 502)" }), "HTTP 502: not JSON (HTTP 502)");
});
