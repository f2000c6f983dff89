#!/usr/bin/python3
"""Our blivedm-like open-platform client (open_live_client.py) against the real `barrage serve`.

The same flow as open_platform.test.mjs, from Python with python3-aiohttp (issue 11 §7):

  * refusals get Bilibili's codes: replayed nonce 4004, stale timestamp 4003, body-MD5 mismatch
    4012, bad signature 4002; and the client's own start raises AuthError with 7007 for a wrong
    identity code and -400 for a string app_id;
  * a game started with blivedm's defaults (op 2 every 30 s, /v2/app/heartbeat every 20 s, 35 s
    receive timeout) authenticates (op 8 code 0, then op 3 for its first "{}" heartbeat) and
    receives a danmaku, a gift, a super chat, its removal and a guard caused through the HTTP
    API, each checked field by field as blivedm's models read them (every data['key'] present,
    no event dropped) and against what the API answered; close() calls /v2/app/end, the
    INTERACTION_END for its game_id arrives and run() returns cleanly;
  * a tampered auth key makes run() raise AuthError (op 8 code not 0);
  * with short intervals the client's two heartbeat timers are seen working (op 3 replies and
    /v2/app/heartbeat code 0), and a connection silent past a short receive timeout raises
    DeadConnectionError;
  * the decoder alone: two packets in one frame, a brotli batch (when python3-brotli is
    installed), a packet longer than its frame refused.

Starts the server itself on free ports with a fresh data directory; makes the app and room 1's
identity code with `barrage open app create` / `barrage open code` and tokens with
`barrage token`. Every wait has a deadline; nothing sleeps for timing and no assertion measures
time. Usage: open_live_client_test.py BARRAGE_BINARY
"""

import asyncio
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import aiohttp

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open_live_client as olc  # noqa: E402

SERVER_RE = re.compile(r"HTTP \(REST, WebSocket /sub, /metrics\) listening on [^:\s]+:(\d+)")
HEX32_RE = re.compile(r"^[0-9a-f]{32}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ROOM = 1
VIEWER_UID = 3
VIEWER_NAME = "alice"
VIEWER_FACE = "https://faces.example/alice.png"
DEADLINE_S = 15.0  # for any one thing the test waits for

passed = []
failures = []


def check(name, condition, detail=""):
    if condition:
        passed.append(name)
        print(f"ok: {name}")
    else:
        failures.append(name)
        print(f"FAIL: {name} {detail}")
    return condition


class Missing(Exception):
    """Something the test waited for did not come before its deadline; the flow stops."""


def start_server(barrage, data):
    config = f"{data}/loopback.toml"
    with open(config, "w", encoding="utf-8") as file:
        file.write('[server]\nlisten_address = "127.0.0.1"\n')
    process = subprocess.Popen([barrage, "serve", "--config", config, "--data-dir", data, "--http-port", "0",
                                "--tcp-port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    for line in process.stdout:  # blocks until the line comes, or the server exits
        seen.append(line)
        found = SERVER_RE.search(line)
        if found:
            # Keep reading, so the server never blocks on a full pipe; the tail is shown on failure.
            reader = threading.Thread(target=lambda: seen.extend(process.stdout), daemon=True)
            reader.start()
            process.reader = reader
            return process, int(found.group(1)), seen
    raise RuntimeError(f"barrage serve did not start:\n{''.join(seen)}")


def cli(barrage, *args):
    done = subprocess.run([barrage, *args], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"barrage {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


class Game:
    """One client with a queue per cmd it hears, and its run() as a task."""

    CMDS = ("LIVE_OPEN_PLATFORM_DM", "LIVE_OPEN_PLATFORM_SEND_GIFT", "LIVE_OPEN_PLATFORM_SUPER_CHAT",
            "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL", "LIVE_OPEN_PLATFORM_GUARD", olc.INTERACTION_END,
            olc.HEARTBEAT_REPLY, olc.GAME_HEARTBEAT)

    def __init__(self, env, **options):
        self.client = olc.OpenLiveClient(env["key_id"], env["secret"], options.pop("app_id", env["app_id"]),
                                         options.pop("code", env["code"]), base_url=env["base_url"], **options)
        self.queues = {cmd: asyncio.Queue() for cmd in self.CMDS}
        self.all = []  # every command, whole, in order
        for cmd, queue in self.queues.items():
            self.client.on(cmd, lambda _client, fields, queue=queue: queue.put_nowait(fields))
        self.client.on("*", lambda _client, command: self.all.append(command))
        self.task = None

    def run(self):
        self.task = asyncio.create_task(self.client.run())

    async def next(self, cmd, what):
        """The next `cmd` the client dispatches; raises Missing past the deadline or if run() ends."""
        if not self.queues[cmd].empty():
            return self.queues[cmd].get_nowait()
        getter = asyncio.ensure_future(self.queues[cmd].get())
        waiting = {getter} | ({self.task} if self.task is not None else set())
        done, _ = await asyncio.wait(waiting, timeout=DEADLINE_S, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            return getter.result()
        getter.cancel()
        ending = "" if self.task not in done else f" (run() ended: {self.task.exception() or self.task.result()!r})"
        check(f"{what} arrives within {DEADLINE_S} s", False, ending)
        raise Missing(what)

    async def authenticated(self):
        waiter = asyncio.ensure_future(self.client.authenticated.wait())
        done, _ = await asyncio.wait({waiter, self.task}, timeout=DEADLINE_S, return_when=asyncio.FIRST_COMPLETED)
        if waiter in done:
            return True
        waiter.cancel()
        return False


async def api(http, env, method, path, token, body=None):
    async with http.request(method, env["base_url"] + path, json=body,
                            headers={"Authorization": f"Bearer {token}"}) as response:
        answer = await response.json()
    if answer.get("code") != 0:
        raise RuntimeError(f"{method} {path} answered {answer}")
    return answer["data"]


async def raw_call(http, env, path, body, headers):
    async with http.post(env["base_url"] + path, data=body, headers=headers) as response:
        answer = await response.json(content_type=None)
        ok = response.status == 200 and isinstance(answer.get("request_id"), str)
    return answer["code"] if ok else f"HTTP {response.status} {answer}"


async def refusals(http, env):
    beat = json.dumps({"game_id": "no-such-game"}).encode()
    sign = lambda **changes: olc.signed_headers(beat, env["key_id"], env["secret"], **changes)  # noqa: E731
    check("a heartbeat for an unknown game: 7003", await raw_call(http, env, "/v2/app/heartbeat", beat, sign()) == 7003)
    once = sign()
    await raw_call(http, env, "/v2/app/heartbeat", beat, once)
    code = await raw_call(http, env, "/v2/app/heartbeat", beat, once)
    check("a replayed nonce: 4004", code == 4004, code)
    code = await raw_call(http, env, "/v2/app/heartbeat", beat, sign(timestamp=int(time.time()) - 700))
    check("a timestamp 700 s old: 4003", code == 4003, code)
    code = await raw_call(http, env, "/v2/app/heartbeat", beat, sign(content_md5=hashlib.md5(b"other").hexdigest()))
    check("a body whose MD5 is not the header's: 4012", code == 4012, code)
    forged = olc.signed_headers(beat, env["key_id"], "not the secret")
    code = await raw_call(http, env, "/v2/app/heartbeat", beat, forged)
    check("a signature under another secret: 4002", code == 4002, code)

    for what, options, expected in (("a wrong identity code", {"code": "ZZZZZZZZZZZZZZ"}, 7007),
                                    ("a string app_id", {"app_id": str(env["app_id"])}, -400)):
        client = olc.OpenLiveClient(env["key_id"], env["secret"], options.get("app_id", env["app_id"]),
                                    options.get("code", env["code"]), base_url=env["base_url"])
        try:
            await client.start()
            check(f"{what}: start raises AuthError", False, "it did not raise")
        except olc.AuthError as error:
            check(f"{what}: start raises AuthError with code {expected}", error.code == expected, error)
        finally:
            await client.close()


def check_user(label, fields, open_id):
    check(f"{label}: open_id is the viewer's (32 hex digits), union_id ''", fields["open_id"] == open_id and
          HEX32_RE.match(open_id) is not None and fields["union_id"] == "", fields)
    check(f"{label}: uname, uface are the viewer's", fields["uname"] == VIEWER_NAME and fields["uface"] == VIEWER_FACE,
          fields)


def check_medal(label, fields, guard_level=0):
    check(f"{label}: no fan medal (level 0, name '', not worn), guard_level {guard_level}",
          fields["fans_medal_level"] == 0 and fields["fans_medal_name"] == "" and
          fields["fans_medal_wearing_status"] is False and fields["guard_level"] == guard_level, fields)


def check_context(label, fields, started_s, msg_ids):
    now_s = int(time.time())
    check(f"{label}: room_id {ROOM}", fields["room_id"] == ROOM, fields["room_id"])
    if "timestamp" in fields:
        check(f"{label}: timestamp in seconds, during the test", isinstance(fields["timestamp"], int) and
              started_s - 1 <= fields["timestamp"] <= now_s + 1, fields["timestamp"])
    check(f"{label}: msg_id is UUID-shaped and not seen before", UUID_RE.match(fields["msg_id"]) is not None and
          fields["msg_id"] not in msg_ids, fields["msg_id"])
    msg_ids.add(fields["msg_id"])


async def game_flow(http, env):
    game = Game(env)
    client = game.client
    check("blivedm's intervals by default: op 2 every 30 s, game heartbeat every 20 s, 35 s receive timeout",
          (client.heartbeat_interval_s, client.game_heartbeat_interval_s, client.receive_timeout_s) == (30, 20, 35))
    started_s = int(time.time())
    try:
        start = await client.start()
        auth = json.loads(client.auth_body)
        anchor = start["anchor_info"]
        check("start: a game_id, the room's auth_body (protover 2, group open, a key)", bool(client.game_id) and
              auth.get("roomid") == ROOM and auth.get("protover") == 2 and auth.get("group") == "open" and
              isinstance(auth.get("key"), str) and auth["key"] != "", start)
        check("start: wss_link[0] is this server's /sub",
              client.wss_links[0] == f"ws://127.0.0.1:{env['port']}/sub", client.wss_links)
        check("start: anchor_info as blivedm reads it (room_id, uid 0, a 32-hex open_id, uname, uface)",
              anchor["room_id"] == ROOM and anchor["uid"] == 0 and HEX32_RE.match(anchor["open_id"]) is not None and
              isinstance(anchor["uname"], str) and isinstance(anchor["uface"], str) and
              anchor["union_id"] == "", anchor)

        game.run()
        if not check("op 8 answers code 0", await game.authenticated()):
            raise Missing("auth reply")
        reply = await game.next(olc.HEARTBEAT_REPLY, "op 3 for the first '{}' heartbeat")
        check("op 3 carries a 4-byte count", isinstance(reply["popularity"], int), reply)

        msg_ids = set()
        granted = await api(http, env, "POST", "/api/v1/admin/grants", env["admin"],
                            {"uid": VIEWER_UID, "coins": 1_000_000, "reason": "python open client test",
                             "request_id": f"grant-{secrets.token_hex(6)}"})
        text = f"attack-{secrets.token_hex(6)}"
        await api(http, env, "POST", f"/api/v1/rooms/{ROOM}/danmaku", env["viewer"], {"msg": text})
        dm = await game.next("LIVE_OPEN_PLATFORM_DM", "LIVE_OPEN_PLATFORM_DM")
        open_id = dm["open_id"]
        label = "DM"
        check(f"{label}: msg is the text sent", dm["msg"] == text, dm["msg"])
        check_user(label, dm, open_id)
        check_medal(label, dm)
        check_context(label, dm, started_s, msg_ids)
        check(f"{label}: a text danmaku (dm_type 0, emoji_img_url ''), no reply, glory_level 0",
              dm["dm_type"] == 0 and dm["emoji_img_url"] == "" and dm["reply_open_id"] == "" and
              dm["reply_uname"] == "" and dm["glory_level"] == 0, dm)
        check(f"{label}: is_admin 0 for a viewer", dm["is_admin"] == 0, dm["is_admin"])
        check(f"{label}: open_id is not the anchor's", open_id != anchor["open_id"])

        catalogue = {gift["id"]: gift for gift in await api(http, env, "GET", "/api/v1/gifts", env["viewer"])}
        sent = await api(http, env, "POST", f"/api/v1/rooms/{ROOM}/gifts", env["viewer"],
                         {"gift_id": 3, "count": 2, "request_id": f"gift-{secrets.token_hex(6)}"})
        gift = await game.next("LIVE_OPEN_PLATFORM_SEND_GIFT", "LIVE_OPEN_PLATFORM_SEND_GIFT")
        label = "SEND_GIFT"
        spec = catalogue[3]
        check(f"{label}: gift_id 3, gift_name and gift_icon from the catalogue, gift_num 2",
              gift["gift_id"] == 3 and gift["gift_name"] == spec["name"] and gift["gift_icon"] == spec["icon_url"] and
              gift["gift_num"] == 2, (gift, spec))
        check(f"{label}: price and r_price are the unit price, paid", gift["price"] == spec["price"] and
              gift["r_price"] == spec["price"] and gift["paid"] is (spec["price"] > 0), (gift, spec))
        check(f"{label}: the viewer paid gift_num x price", granted["balance"] - sent["balance"] == 2 * gift["price"],
              (granted, sent))
        check(f"{label}: anchor_info is start's anchor", gift["anchor_info"] ==
              {name: anchor[name] for name in ("uid", "open_id", "union_id", "uname", "uface")}, gift["anchor_info"])
        check_user(label, gift, open_id)
        check_medal(label, gift)
        check_context(label, gift, started_s, msg_ids)

        bought = await api(http, env, "POST", f"/api/v1/rooms/{ROOM}/super-chats", env["viewer"],
                           {"price_yuan": 30, "message": "gg", "request_id": f"sc-{secrets.token_hex(6)}"})
        chat = await game.next("LIVE_OPEN_PLATFORM_SUPER_CHAT", "LIVE_OPEN_PLATFORM_SUPER_CHAT")
        label = "SUPER_CHAT"
        check(f"{label}: message 'gg', rmb 30", chat["message"] == "gg" and chat["rmb"] == 30, chat)
        check(f"{label}: message_id is the API's super_chat_id", chat["message_id"] == bought["super_chat_id"] and
              isinstance(chat["message_id"], int), (chat["message_id"], bought))
        check(f"{label}: start_time <= end_time, end_time is the API's end_ms in seconds",
              chat["start_time"] <= chat["end_time"] == bought["end_ms"] // 1000 and
              started_s - 1 <= chat["start_time"], (chat, bought))
        check(f"{label}: the viewer paid 30 yuan", sent["balance"] - bought["balance"] == 30 * 1000, bought)
        check_user(label, chat, open_id)
        check_medal(label, chat)
        check_context(label, chat, started_s, msg_ids)

        await api(http, env, "DELETE", f"/api/v1/rooms/{ROOM}/super-chats/{bought['super_chat_id']}", env["host"])
        removal = await game.next("LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL", "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL")
        label = "SUPER_CHAT_DEL"
        check(f"{label}: message_ids names the super chat", removal["message_ids"] == [bought["super_chat_id"]],
              removal)
        check_context(label, removal, started_s, msg_ids)

        guarded = await api(http, env, "POST", f"/api/v1/rooms/{ROOM}/guards", env["viewer"],
                            {"level": 3, "months": 1, "request_id": f"guard-{secrets.token_hex(6)}"})
        guard = await game.next("LIVE_OPEN_PLATFORM_GUARD", "LIVE_OPEN_PLATFORM_GUARD")
        label = "GUARD"
        check(f"{label}: guard_level 3, guard_num 1, guard_unit 月", guard["guard_level"] == 3 and
              guard["guard_num"] == 1 and guard["guard_unit"] == "月", guard)
        check(f"{label}: price is what the viewer paid", isinstance(guard["price"], int) and guard["price"] > 0 and
              bought["balance"] - guarded["balance"] == guard["price"], (guard, guarded))
        check_user(f"{label} user_info", guard["user_info"], open_id)
        check_medal(label, guard, guard_level=3)
        check_context(label, guard, started_s, msg_ids)

        check("the pushes came as zlib batches (protover 2), as auth_body asks",
              client.pushes_by_protover[2] >= 5 and set(client.pushes_by_protover) <= {0, 2},
              dict(client.pushes_by_protover))
        check("every event carries every field blivedm reads (none dropped)", client.dropped == [], client.dropped)
        check("every event is a LIVE_OPEN_PLATFORM_* cmd with uid 0 and union_id '' for its users", all(
            command["cmd"].startswith("LIVE_OPEN_PLATFORM_") and
            all(user.get("uid", 0) == 0 and user.get("union_id", "") == ""
                for user in (command["data"], command["data"].get("user_info", {})))
            for command in game.all if not command["cmd"].startswith("_")), game.all)

        await client.close()
        check("close(): /v2/app/end answers 0", client.end_code == 0, client.end_code)
        end = await game.next(olc.INTERACTION_END, "LIVE_OPEN_PLATFORM_INTERACTION_END")
        check("INTERACTION_END names the game, with a timestamp", end["game_id"] == client.game_id and
              isinstance(end["timestamp"], int) and started_s - 1 <= end["timestamp"] <= int(time.time()) + 1, end)
        done, _ = await asyncio.wait({game.task}, timeout=DEADLINE_S)
        check("run() returns 'interaction_end' without an error", game.task in done and
              game.task.exception() is None and game.task.result() == "interaction_end",
              game.task.exception() if game.task.done() else "still running")
        last_end = max(index for index, command in enumerate(game.all) if command["cmd"] == olc.INTERACTION_END)
        later = [command["cmd"] for command in game.all[last_end + 1:]]
        check("INTERACTION_END is the last thing the game hears", later == [], later)
        beat = await client_call(http, env, "/v2/app/heartbeat", {"game_id": client.game_id})
        check("a heartbeat for the ended game: 7003", beat == 7003, beat)
    finally:
        if game.task is not None and not game.task.done():
            game.task.cancel()
        await client.close(run_wait_s=0)


async def client_call(http, env, path, document):
    body = json.dumps(document).encode()
    return await raw_call(http, env, path, body, olc.signed_headers(body, env["key_id"], env["secret"]))


async def bad_key(env):
    game = Game(env)
    try:
        await game.client.start()
        auth = json.loads(game.client.auth_body)
        key = auth["key"]
        tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
        game.client.auth_body = game.client.auth_body.replace(key, tampered)
        game.run()
        done, _ = await asyncio.wait({game.task}, timeout=DEADLINE_S)
        error = game.task.exception() if game.task in done else None
        check("a tampered auth key: run() raises AuthError (op 8 code not 0)",
              isinstance(error, olc.AuthError) and error.code not in (0, None), error or "run() did not end")
    finally:
        await game.client.close(run_wait_s=0)
        check("the refused game still ends with /v2/app/end: 0", game.client.end_code == 0, game.client.end_code)


async def timers(env):
    game = Game(env, heartbeat_interval_s=0.2, game_heartbeat_interval_s=0.2)
    try:
        await game.client.start()
        game.run()
        for round_number in (1, 2, 3):
            await game.next(olc.HEARTBEAT_REPLY, f"op 3 reply #{round_number} (op 2 every 0.2 s)")
        codes = [(await game.next(olc.GAME_HEARTBEAT, f"/v2/app/heartbeat #{n} (every 0.2 s)"))["code"]
                 for n in (1, 2)]
        check("the op 2 timer repeats: three op 3 replies", True)
        check("the game heartbeat timer repeats: /v2/app/heartbeat answers 0 twice", codes == [0, 0], codes)
    finally:
        await game.client.close()
        check("the heartbeating game ends cleanly", game.client.end_code == 0 and game.client.stop_reason ==
              "interaction_end", (game.client.end_code, game.client.stop_reason))


async def dead_connection(env):
    game = Game(env, receive_timeout_s=1.0)
    try:
        await game.client.start()
        game.run()
        await game.authenticated()
        done, _ = await asyncio.wait({game.task}, timeout=DEADLINE_S)
        error = game.task.exception() if game.task in done else None
        check("a connection silent past the receive timeout raises DeadConnectionError",
              isinstance(error, olc.DeadConnectionError), error or "run() did not end")
    finally:
        await game.client.close(run_wait_s=0)


async def decoder(env):
    """The decoder alone, on frames made here: a brotli batch (Barrage's open connections send
    zlib, as auth_body asks) and a frame of two plain packets; a malformed length is refused."""
    game = Game(env)
    try:
        def packet(command, protover=olc.PROTOVER_JSON):
            body = json.dumps(command).encode()
            return olc.HEADER.pack(olc.HEADER.size + len(body), olc.HEADER.size, protover, olc.OP_MESSAGE, 0) + body
        first = {"cmd": "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL", "data": {"room_id": 1, "message_ids": [7], "msg_id": "a"}}
        second = {"cmd": "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL", "data": {"room_id": 1, "message_ids": [8], "msg_id": "b"}}
        await game.client._on_frame(packet(first) + packet(second), 0)
        seen = [game.queues["LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL"].get_nowait()["message_ids"] for _ in (1, 2)]
        check("a frame of two plain packets dispatches both, in order", seen == [[7], [8]], seen)
        if olc.brotli is not None:
            inner = packet(first)
            batch = olc.brotli.compress(inner)
            frame = olc.HEADER.pack(olc.HEADER.size + len(batch), olc.HEADER.size, olc.PROTOVER_BROTLI,
                                    olc.OP_MESSAGE, 0) + batch
            await game.client._on_frame(frame, 0)
            got = game.queues["LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL"].get_nowait()
            check("a brotli batch (protover 3) is decoded", got["message_ids"] == [7], got)
        else:
            print("skip: python3-brotli is not installed; brotli batches are not decoded")
        try:
            await game.client._on_frame(packet(first)[:-1], 0)
            check("a packet longer than its frame is refused", False)
        except ValueError:
            check("a packet longer than its frame is refused", True)
    finally:
        await game.client.close()


async def flow(env):
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=DEADLINE_S)) as http:
        for part in (lambda: refusals(http, env), lambda: game_flow(http, env), lambda: bad_key(env),
                     lambda: timers(env), lambda: dead_connection(env), lambda: decoder(env)):
            try:
                await part()
            except Missing:
                pass  # already counted as a failure; the next part starts afresh
            except Exception as error:  # noqa: BLE001 - any other error fails the part, named
                check(f"no unexpected error ({type(error).__name__})", False, repr(error))


def main():
    barrage = sys.argv[1]
    work = tempfile.mkdtemp(prefix="py-open-client-")
    server = None
    seen = []
    try:
        data = f"{work}/data"
        # An approved app and room 1's identity code, made with the operator CLI before the
        # server opens the database (as tests/clients/run.sh does).
        app = json.loads(cli(barrage, "open", "app", "create", "--data-dir", data, "--developer-uid", "1",
                             "--name", "python test game", "--approve"))
        code = json.loads(cli(barrage, "open", "code", "--data-dir", data, "--uid", "1"))["code"]
        server, port, seen = start_server(barrage, data)
        token = lambda uid, role, *extra: cli(barrage, "token", "--data-dir", data, "--uid", str(uid),  # noqa: E731
                                              "--role", role, *extra)
        env = {
            "base_url": f"http://127.0.0.1:{port}", "port": port,
            "app_id": app["app_id"], "key_id": app["access_key_id"], "secret": app["access_key_secret"], "code": code,
            "host": token(1, "host"), "admin": token(10, "admin"),
            "viewer": token(VIEWER_UID, "viewer", "--name", VIEWER_NAME, "--face", VIEWER_FACE),
        }
        asyncio.run(asyncio.wait_for(flow(env), 240))
        server.send_signal(signal.SIGTERM)
        check("the server stops cleanly", server.wait(timeout=30) == 0)
    finally:
        if server is not None:
            if server.poll() is None:
                server.kill()
                server.wait()
            server.reader.join(timeout=10)  # it ends at the pipe's end, once the server has exited
            server.stdout.close()
        if failures:
            print("--- server log (tail) ---\n" + "".join(seen[-40:]))
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(passed)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
