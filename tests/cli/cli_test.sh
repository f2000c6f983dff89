#!/usr/bin/env bash
# The `barrage` command as a user runs it: bad flags and config values are clear errors with a
# non-zero exit; token/send/watch work against a served data directory; SIGTERM flushes what
# was sent, closes connections and exits 0.
# Usage: cli_test.sh BARRAGE_BINARY
set -uo pipefail
barrage=$1
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
failures=0
passes=0
check() {  # check NAME CONDITION-EXIT-CODE
  if [[ $2 -eq 0 ]]; then passes=$((passes + 1)); else echo "FAIL: $1"; failures=$((failures + 1)); fi
}
expect_error() {  # expect_error NAME NEEDLE -- command...
  local name=$1 needle=$2; shift 3
  local out rc
  out=$("$@" 2>&1); rc=$?
  [[ $rc -ne 0 && $out == *"$needle"* ]]
  check "$name (rc=$rc, output: $out)" $?
}

expect_error "port out of range names the flag" "--http-port" -- "$barrage" serve --http-port 70000
expect_error "unknown flag is named" "--bogus" -- "$barrage" serve --bogus
expect_error "token needs --uid" "--uid" -- "$barrage" token --data-dir "$work/d0"
expect_error "bad role is named" "--role" -- "$barrage" token --data-dir "$work/d0" --uid 5 --role emperor
# Tokens name users 1..2^63-1 (identity::kUidMax); the commands that mint one say so up front.
expect_error "token refuses uid 0" "--uid" -- "$barrage" token --data-dir "$work/d0" --uid 0
expect_error "token refuses uid 2^63" "--uid" -- "$barrage" token --data-dir "$work/d0" --uid 9223372036854775808
expect_error "send refuses uid 0" "--uid" -- "$barrage" send --data-dir "$work/d0" --room 1 --msg hi --uid 0
expect_error "grant refuses operator 0" "--operator" -- "$barrage" wallet grant --data-dir "$work/d0" --uid 3 --coins 1 --reason r --operator 0
printf '[rooms]\nbatch_interval_ms = "fast"\n' > "$work/bad.toml"
expect_error "bad config value names the key" "rooms.batch_interval_ms" -- "$barrage" serve --config "$work/bad.toml" --data-dir "$work/d1"
printf '[server]\nhttp_prot = 1\n' > "$work/typo.toml"
expect_error "unknown config key is named" "server.http_prot" -- "$barrage" serve --config "$work/typo.toml" --data-dir "$work/d1"
expect_error "missing config file" "--config" -- "$barrage" serve --config "$work/none.toml"
"$barrage" --help | grep -q "serve"; check "--help lists serve" $?
"$barrage" bench --help | grep -q -- "--connections"; check "bench --help lists --connections" $?
"$barrage" bench --help | grep -q -- "--publish-via"; check "bench --help lists --publish-via" $?
"$barrage" bench --publishers 2 --token x >/dev/null 2>&1; [[ $? -eq 1 ]]; check "bench refuses --publishers 2 without --publish-via http" $?

# A served data directory: token, send and watch, then SIGTERM.
data=$work/data
# Interactive gifts pay their app 30 % of the platform's part (docs/open-platform.md, "Settlement").
printf '[open]\napp_share_per_mille = 300\n' > "$work/open.toml"
"$barrage" serve --config "$work/open.toml" --data-dir "$data" --http-port 0 --tcp-port 0 >"$work/serve.log" 2>&1 &
server=$!; pids+=("$server")
for _ in $(seq 1 100); do grep -q "TCP (packet protocol) listening" "$work/serve.log" && break; sleep 0.1; done
tcp_port=$(sed -n 's/.*TCP .* listening on .*:\([0-9]*\)$/\1/p' "$work/serve.log")
[[ -n $tcp_port ]]; check "server started" $?

"$barrage" watch --room 1 --port "$tcp_port" >"$work/watch.out" 2>"$work/watch.err" &
watcher=$!; pids+=("$watcher")
# A watcher that has joined prints the room's counts first; send only then, so the danmaku is
# live for it rather than racing its join.
for _ in $(seq 1 100); do [[ -s $work/watch.out ]] && break; sleep 0.1; done
[[ -s $work/watch.out ]]; check "watch joined and printed the room's counts" $?
reply=$("$barrage" send --data-dir "$data" --room 1 --msg "before-sigterm" --port "$tcp_port")
[[ $reply == *'"code":0'* ]]; check "send answers code 0 (got $reply)" $?
expect_error "send to an unknown room fails" "3000" -- "$barrage" send --data-dir "$data" --room 999 --msg x --port "$tcp_port"
token=$("$barrage" token --data-dir "$data" --uid 3 --role viewer)
[[ $(tr -cd '.' <<<"$token" | wc -c) -eq 2 ]]; check "token is a JWT" $?

# The watcher must see the message; the bounded loop only waits for it to arrive.
for _ in $(seq 1 100); do grep -q "before-sigterm" "$work/watch.out" && break; sleep 0.1; done
grep -q '"cmd":"danmaku"' "$work/watch.out" && grep -q "before-sigterm" "$work/watch.out"
check "watch printed the danmaku" $?

http_port=$(sed -n 's/.*HTTP .* listening on .*:\([0-9]*\)$/\1/p' "$work/serve.log")
granted=$("$barrage" wallet grant --data-dir "$data" --http-port "$http_port" --uid 3 --coins 5000 \
          --reason "cli test" --request-id cli-grant-1)
[[ $granted == *'"code":0'* && $granted == *'"balance":5000'* ]]; check "wallet grant credits (got $granted)" $?
again=$("$barrage" wallet grant --data-dir "$data" --http-port "$http_port" --uid 3 --coins 5000 \
        --reason "cli test" --request-id cli-grant-1)
[[ $again == *'"replayed":true'* && $again == *'"balance":5000'* ]]; check "a repeated grant id credits nothing (got $again)" $?
# Without --request-id the CLI makes a random id and says it on stderr: a retry after a timeout
# passes it and credits nothing more.
fresh=$("$barrage" wallet grant --data-dir "$data" --http-port "$http_port" --uid 4 --coins 700 \
        --reason "cli test" 2>"$work/grant.err")
id=$(sed -n 's/^request id: //p' "$work/grant.err")
[[ $fresh == *'"replayed":false'* && $id =~ ^grant-[0-9a-f]{32}$ ]]; check "a grant without an id prints a random one (got $id, $fresh)" $?
retry=$("$barrage" wallet grant --data-dir "$data" --http-port "$http_port" --uid 4 --coins 700 \
        --reason "cli test" --request-id "$id" 2>/dev/null)
[[ $retry == *'"replayed":true'* && $retry == *'"balance":700'* ]]; check "retrying with the printed id credits nothing (got $retry)" $?
"$barrage" wallet grant --data-dir "$data" --http-port "$http_port" --uid 4 --coins 1 --reason "cli test" \
  >/dev/null 2>"$work/grant2.err"
other=$(sed -n 's/^request id: //p' "$work/grant2.err")
[[ -n $other && $other != "$id" ]]; check "each grant without an id gets its own (got $other)" $?
expect_error "grant needs a reason" "--reason" -- "$barrage" wallet grant --data-dir "$data" --uid 3 --coins 1
# barrage mod acts on the running server at once: a muted user's next send is refused.
muted=$("$barrage" mod mute --data-dir "$data" --http-port "$http_port" --room 1 --uid 3 --for 10m --reason "cli test")
[[ $muted == *'"code":0'* && $muted == *'"until_ms":'* && $muted == *'"reason":"cli test"'* ]]; check "mod mute (got $muted)" $?
# (barrage send signs as the host, whom mutes do not reach: the viewer's own token over HTTP.)
refused=$(curl -s -X POST -H "Authorization: Bearer $token" -d '{"msg":"while muted"}' \
          "http://127.0.0.1:$http_port/api/v1/rooms/1/danmaku")
[[ $refused == *'3100'* ]]; check "a muted user's send is refused (got $refused)" $?
unmuted=$("$barrage" mod unmute --data-dir "$data" --http-port "$http_port" --room 1 --uid 3)
[[ $unmuted == *'"lifted":true'* ]]; check "mod unmute (got $unmuted)" $?
banned=$("$barrage" mod ban --data-dir "$data" --http-port "$http_port" --global --uid 7 --for 1h)
[[ $banned == *'"code":0'* ]]; check "mod ban --global (got $banned)" $?
expect_error "mod needs --room or --global" "--room" -- "$barrage" mod ban --data-dir "$data" --uid 3
expect_error "mod --for is checked" "--for" -- "$barrage" mod mute --data-dir "$data" --room 1 --uid 3 --for 10x
# A gift over HTTP (python3's standard library), then the streamer's earnings from the CLI.
gift=$(python3 - "$http_port" "$token" <<'PY'
import http.client, json, sys
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
body = json.dumps({"gift_id": 3, "count": 1, "request_id": "cli-gift-1"})
connection.request("POST", "/api/v1/rooms/1/gifts", body, {"Authorization": "Bearer " + sys.argv[2]})
print(connection.getresponse().read().decode())
PY
)
[[ $gift == *'"code":0'* ]]; check "a gift goes through (got $gift)" $?
earned=$("$barrage" earnings --data-dir "$data" --uid 1); rc=$?
python3 -c '
import json, sys
report = json.loads(sys.argv[1])
assert report["uid"] == 1 and report["balance"] == 500, report
assert report["total"]["gifts"]["orders"] == 1 and report["total"]["net"] == 500, report
assert report["total"]["rooms"][0]["share_per_mille"] == 500, report
' "$earned"
check "earnings prints the streamer's gift (rc=$rc, got $earned)" $?
expect_error "earnings refuses a day that is not one" "from" -- "$barrage" earnings --data-dir "$data" --uid 1 --from 20251302
# The README's game: the demo app's keys and room 1's identity code from the serve log, and a
# start signed by scripts/open_call.sh (curl + openssl), as a newcomer runs it.
scripts=$(cd "$(dirname "$0")/../../scripts" && pwd)
BARRAGE_OPEN_KEY_ID=$(sed -n 's/.*open platform demo.* access_key_id \([0-9A-Za-z]*\) .*/\1/p' "$work/serve.log")
BARRAGE_OPEN_SECRET=$(sed -n 's/.*open platform demo.* access_key_secret \([0-9A-Za-z]*\)$/\1/p' "$work/serve.log")
demo_app=$(sed -n 's/.*open platform demo.* app_id \([0-9]*\) .*/\1/p' "$work/serve.log")
demo_code=$(sed -n "s/.*open platform demo: room 1's identity code \([0-9A-Z]*\) .*/\1/p" "$work/serve.log")
export BARRAGE_OPEN_KEY_ID BARRAGE_OPEN_SECRET
started=$(BARRAGE_URL="http://127.0.0.1:$http_port" "$scripts/open_call.sh" /v2/app/start "{\"code\":\"$demo_code\",\"app_id\":$demo_app}")
python3 -c '
import json, sys
answer = json.loads(sys.argv[1])
assert answer["code"] == 0 and answer["message"] == "0", answer
auth = json.loads(answer["data"]["websocket_info"]["auth_body"])
assert auth["roomid"] == 1 and auth["group"] == "open" and auth["key"], auth
' "$started"
check "the serve log's demo app starts a game with scripts/open_call.sh (got $started)" $?

# The open platform's operator actions, beside the running server.
app=$("$barrage" open app create --data-dir "$data" --developer-uid 7 --name "Duel" --approve 2>/dev/null); rc=$?
python3 -c '
import json, re, sys
app = json.loads(sys.argv[1])
assert isinstance(app["app_id"], int) and app["app_id"] > 0, app
assert re.fullmatch(r"[0-9A-Za-z]{24}", app["access_key_id"]), app
assert re.fullmatch(r"[0-9A-Za-z]{30}", app["access_key_secret"]), app
assert app["status"] == "approved", app
' "$app"
check "open app create prints an approved app with its keys (rc=$rc, got $app)" $?
code=$("$barrage" open code --data-dir "$data" --uid 1 2>/dev/null)
same=$("$barrage" open code --data-dir "$data" --uid 1 2>/dev/null)
fresh=$("$barrage" open code --data-dir "$data" --uid 1 --refresh 2>/dev/null)
python3 -c '
import json, re, sys
code, same, fresh = (json.loads(a) for a in sys.argv[1:4])
assert code["room_id"] == 1 and re.fullmatch(r"[0-9A-Z]{14}", code["code"]), code
assert same == code, (same, code)
assert fresh["room_id"] == 1 and fresh["code"] != code["code"], (fresh, code)
' "$code" "$same" "$fresh"
check "open code is the demo streamer's, stable until --refresh (got $code, $same, $fresh)" $?
expect_error "open code refuses a uid that hosts no room" "hosts no room" -- "$barrage" open code --data-dir "$data" --uid 99
# The developer role, granted and revoked from the command line beside the running server, which
# sees each change on the next request.
developer_create() {  # developer_create TOKEN: POST /api/v1/open/apps as that user, the answer
  python3 - "$http_port" "$1" <<'PY'
import http.client, json, sys
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
connection.request("POST", "/api/v1/open/apps", json.dumps({"name": "CLI duel"}),
                   {"Authorization": "Bearer " + sys.argv[2]})
print(connection.getresponse().read().decode())
PY
}
token7=$("$barrage" token --data-dir "$data" --uid 7)
before=$(developer_create "$token7")
[[ $before == *'"code":2007'* ]]; check "a user who is not a developer is refused (got $before)" $?
granted=$("$barrage" open developer grant --data-dir "$data" --uid 7 --reason "cli test" 2>/dev/null); rc=$?
[[ $rc -eq 0 && $granted == '{"uid":7,"developer":true,"changed":true}' ]]; check "open developer grant (rc=$rc, got $granted)" $?
again=$("$barrage" open developer grant --data-dir "$data" --uid 7 2>/dev/null)
[[ $again == '{"uid":7,"developer":true,"changed":false}' ]]; check "a second grant changes nothing (got $again)" $?
made=$(developer_create "$token7")
[[ $made == *'"code":0'* && $made == *'"status":"draft"'* ]]; check "the granted developer creates an app (got $made)" $?
revoked=$("$barrage" open developer revoke --data-dir "$data" --uid 7 2>/dev/null); rc=$?
[[ $rc -eq 0 && $revoked == '{"uid":7,"developer":false,"changed":true}' ]]; check "open developer revoke (rc=$rc, got $revoked)" $?
after=$(developer_create "$token7")
[[ $after == *'"code":2007'* ]]; check "the revoked developer is refused again (got $after)" $?
expect_error "developer grant needs --uid" "--uid" -- "$barrage" open developer grant --data-dir "$data"
expect_error "developer grant refuses uid 0" "--uid" -- "$barrage" open developer grant --data-dir "$data" --uid 0
expect_error "open developer needs grant or revoke" "subcommand" -- "$barrage" open developer

# An interactive gift (the demo's gift 6, 1000 coins, app 1): 500 to the streamer, 150 to the
# app, 350 to the platform; `settle day` bills it beside the running server.
today=$(date -u +%F)
app_gift=$(python3 - "$http_port" "$token" <<'PY'
import http.client, json, sys
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
body = json.dumps({"gift_id": 6, "count": 1, "request_id": "cli-gift-app"})
connection.request("POST", "/api/v1/rooms/1/gifts", body, {"Authorization": "Bearer " + sys.argv[2]})
print(connection.getresponse().read().decode())
PY
)
[[ $app_gift == *'"code":0'* ]]; check "an interactive gift goes through (got $app_gift)" $?
bill=$("$barrage" settle day --data-dir "$data" --date "$today" --out "$work/bills"); rc=$?
python3 -c '
import json, sys
bill = json.loads(sys.argv[1])
assert bill["ok"] and bill["discrepancies"] == [], bill
app = [a for a in bill["apps"] if a["app_id"] == 1][0]
assert app["orders"] == 1 and app["gross_coins"] == 1000 and app["app_coins"] == 150, app
assert app["revenue_counter"] == 150 and app["ratios"][0]["per_mille"] == 300, app
assert len(bill["files"]) == 2 * len(bill["apps"]), bill
' "$bill"
check "settle day bills the interactive gift beside the server (rc=$rc, got $bill)" $?
grep -q "^$today,1,total,,,1,1,1000,150$" "$work/bills/app-1-$today.csv"; check "the app's CSV bill has its total" $?
expect_error "settle day refuses a day that is not one" "--date" -- "$barrage" settle day --data-dir "$data" --date 2026-02-30

verified=$("$barrage" ledger verify --data-dir "$data"); rc=$?
[[ $rc -eq 0 && $verified == *"ledger OK"* && $verified == *"balance sum 0"* ]]; check "ledger verify passes beside the server (rc=$rc)" $?

kill -TERM "$server"
wait "$server"; rc=$?
[[ $rc -eq 0 ]]; check "SIGTERM exits 0 (rc=$rc)" $?
grep -q "barrage: stopped" "$work/serve.log"; check "server logged its stop" $?
wait "$watcher"; check "watcher saw the connection end" $(( $? == 0 ? 1 : 0 ))

# A planted discrepancy: the app leg raised by 7 coins, with both balances moved to match, so
# balances still equal the journal; the app's running total (150) and the gift's cut (30 % of
# 507 = 152) no longer do.
planted=$(python3 - "$data/barrage.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row_id, debit_owner, app = db.execute(
    "SELECT id, debit_owner, credit_owner FROM journal WHERE code = 13 ORDER BY id LIMIT 1").fetchone()
db.execute("UPDATE journal SET amount = amount + 7 WHERE id = ?", (row_id,))
db.execute("UPDATE accounts SET balance = balance + 7 WHERE kind = 5 AND owner = ?", (app,))
db.execute("UPDATE accounts SET balance = balance - 7 WHERE kind = 3 AND owner = ?", (debit_owner,))
db.commit()
print(row_id)
PY
)
damaged=$("$barrage" ledger verify --data-dir "$data"); rc=$?
[[ $rc -eq 1 && $damaged == *"app 1 counter 150 journal 157"* && $damaged == *"expected 152 written 157"* && $damaged == *" $planted"* ]]
check "ledger verify reports the planted app leg with its journal id (rc=$rc, got $damaged)" $?
bill=$("$barrage" settle day --data-dir "$data" --date "$today"); rc=$?
python3 -c '
import json, sys
bill, planted = json.loads(sys.argv[1]), int(sys.argv[2])
assert not bill["ok"], bill
kinds = {d["kind"]: d for d in bill["discrepancies"]}
assert kinds["app_cut"]["expected"] == 152 and kinds["app_cut"]["actual"] == 157, bill
assert planted in kinds["app_cut"]["entry_ids"], bill
assert kinds["revenue_counter"]["expected"] == 157 and kinds["revenue_counter"]["actual"] == 150, bill
assert planted in kinds["revenue_counter"]["entry_ids"], bill
' "$bill" "$planted"
[[ $? -eq 0 && $rc -eq 1 ]]; check "settle day reports the planted app leg with its journal id (rc=$rc, got $bill)" $?

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
