#!/usr/bin/python3
"""A small open-platform game client of our own that behaves like blivedm 1.1.7's OpenLiveClient.

It is written for Barrage's tests (issue 11 §7) from the behaviour PROTOCOL.md §1-§4 describes,
not from blivedm's code, and uses only Debian packages: python3-aiohttp (what blivedm itself is
built on) and, when installed, python3-brotli.

What it does, as blivedm does:
  * signs POST /v2/app/start, /v2/app/heartbeat and /v2/app/end with signature version 1.0 (the
    six x-bili-* headers sorted by name, "name:value" joined by "\\n", HMAC-SHA256 under the
    secret) over a json.dumps body, which has spaces after ':' and ',';
  * raises AuthError when /v2/app/start answers a non-zero code, and when the op 8 auth reply's
    code is not 0;
  * opens websocket_info.wss_link[0], sends auth_body verbatim as op 7, sends op 2 with body
    "{}" right after the auth reply and then every 30 s, and /v2/app/heartbeat every 20 s;
  * treats 35 s (the heartbeat interval + 5) without any message as a dead connection;
  * decodes protover 2 (zlib) and 3 (brotli, when python3-brotli is installed) batches of inner
    packets and dispatches each op 5 JSON by its cmd to the handlers registered with on();
  * reads the fields of the LIVE_OPEN_PLATFORM_* cmds the way blivedm's models do, with
    data['key'], and drops (and records) an event that lacks one;
  * stops when LIVE_OPEN_PLATFORM_INTERACTION_END names its own game_id, and calls /v2/app/end on
    close() (7000 and 7003 count as already ended).

Where it differs on purpose: it does not reconnect (a dead connection, an auth failure or a
server close ends run(); blivedm would start again), since a test wants to see each ending.
"""

import asyncio
import collections
import hashlib
import hmac
import json
import logging
import random
import struct
import time
import zlib

import aiohttp

try:
    import brotli
except ImportError:  # python3-brotli is optional: the open platform's auth_body asks for zlib
    brotli = None

logger = logging.getLogger("open_live_client")

# The 16-byte big-endian packet header: length, header length, protover, operation, sequence.
HEADER = struct.Struct(">IHHII")

OP_HEARTBEAT = 2
OP_HEARTBEAT_REPLY = 3
OP_MESSAGE = 5
OP_AUTH = 7
OP_AUTH_REPLY = 8

PROTOVER_JSON = 0
PROTOVER_CLIENT = 1
PROTOVER_ZLIB = 2
PROTOVER_BROTLI = 3

INTERACTION_END = "LIVE_OPEN_PLATFORM_INTERACTION_END"
# The client's own pseudo-cmds, dispatched like the server's: an op 3 reply {popularity} (as
# blivedm's "_HEARTBEAT") and a /v2/app/heartbeat answer {code}.
HEARTBEAT_REPLY = "_HEARTBEAT"
GAME_HEARTBEAT = "_GAME_HEARTBEAT"

# Codes /v2/app/end may answer for a game that has already ended: blivedm treats them as done.
ALREADY_ENDED_CODES = (7000, 7003)

# A batch packet nests at most this deep (a zlib batch holds plain packets); deeper is malformed.
NESTING_MAX = 4

# The fields blivedm 1.1.7's open-live models read with data['key'] for each cmd: those PROTOCOL.md
# §4 marks (R). A nested object is given as (name, its fields). Fields blivedm reads with
# data.get() (combo_gift, combo_info; msg_id of enter, like and live start/end) are left out.
_USER = ("open_id", "union_id", "uname", "uface")
_ANCHOR = ("uid", *_USER)
_MEDAL = ("fans_medal_level", "fans_medal_name", "fans_medal_wearing_status")
BLIVEDM_FIELDS = {
    "LIVE_OPEN_PLATFORM_DM": (
        *_USER, "timestamp", "room_id", "msg", "msg_id", "guard_level", *_MEDAL, "emoji_img_url", "dm_type",
        "glory_level", "reply_open_id", "reply_uname", "is_admin"),
    "LIVE_OPEN_PLATFORM_SEND_GIFT": (
        "room_id", *_USER, "gift_id", "gift_name", "gift_num", "price", "r_price", "paid", *_MEDAL, "guard_level",
        "timestamp", ("anchor_info", _ANCHOR), "msg_id", "gift_icon"),
    "LIVE_OPEN_PLATFORM_SUPER_CHAT": (
        "room_id", *_USER, "message_id", "message", "rmb", "timestamp", "start_time", "end_time", "guard_level",
        *_MEDAL, "msg_id"),
    "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL": ("room_id", "message_ids", "msg_id"),
    "LIVE_OPEN_PLATFORM_GUARD": (
        ("user_info", _USER), "guard_level", "guard_num", "guard_unit", "price", *_MEDAL, "room_id", "msg_id",
        "timestamp"),
    "LIVE_OPEN_PLATFORM_LIKE": (*_USER, "timestamp", "room_id", "like_text", "like_count", *_MEDAL),
    "LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER": ("room_id", "uface", "uname", "union_id", "open_id", "timestamp"),
    "LIVE_OPEN_PLATFORM_LIVE_START": ("room_id", "open_id", "union_id", "timestamp", "area_name", "title"),
    "LIVE_OPEN_PLATFORM_LIVE_END": ("room_id", "open_id", "union_id", "timestamp", "area_name", "title"),
    INTERACTION_END: ("game_id", "timestamp"),
}


class OpenLiveError(Exception):
    """An open-platform call answered a non-zero code (or no JSON envelope at all)."""

    def __init__(self, what, code, message=""):
        super().__init__(f"{what}: code {code} {message}".rstrip())
        self.code = code
        self.message = message


class AuthError(OpenLiveError):
    """The game could not be opened: /v2/app/start or the op 8 auth reply answered a non-zero code."""


class DeadConnectionError(ConnectionError):
    """Nothing arrived on the long connection for the receive timeout (35 s by default)."""


def read_fields(cmd, data):
    """Returns the fields blivedm reads for cmd, read with data['key']: a KeyError means blivedm
    would drop the event. Cmds blivedm has no model for are returned whole."""
    names = BLIVEDM_FIELDS.get(cmd)
    if names is None:
        return dict(data)
    return _read(data, names)


def _read(data, names):
    out = {}
    for name in names:
        if isinstance(name, tuple):
            nested, inner = name
            out[nested] = _read(data[nested], inner)
        else:
            out[name] = data[name]
    return out


def signed_headers(body, access_key_id, access_key_secret, *, timestamp=None, nonce=None, content_md5=None):
    """The headers of a signature-version-1.0 request over the exact body bytes. The keyword
    arguments replace a header's value (to make refusable requests in tests)."""
    signed = {
        "x-bili-accesskeyid": access_key_id,
        "x-bili-content-md5": content_md5 if content_md5 is not None else hashlib.md5(body).hexdigest(),
        "x-bili-signature-method": "HMAC-SHA256",
        "x-bili-signature-nonce": nonce if nonce is not None else str(random.SystemRandom().getrandbits(63)),
        "x-bili-signature-version": "1.0",
        "x-bili-timestamp": str(timestamp if timestamp is not None else int(time.time())),
    }
    canonical = "\n".join(f"{name}:{signed[name]}" for name in sorted(signed))
    signed["Authorization"] = hmac.new(access_key_secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()
    signed["Content-Type"] = "application/json"
    signed["Accept"] = "application/json"
    return signed


def make_packet(body, operation):
    """A client packet: protover 1, sequence 1, as blivedm sends every packet."""
    return HEADER.pack(HEADER.size + len(body), HEADER.size, PROTOVER_CLIENT, operation, 1) + body


def split_packets(data):
    """Yields (protover, operation, body) for each packet of a frame; raises ValueError on a
    packet whose lengths do not fit the frame."""
    offset = 0
    while offset < len(data):
        if len(data) - offset < HEADER.size:
            raise ValueError(f"a packet header cut short at byte {offset} of {len(data)}")
        length, header_length, protover, operation, _ = HEADER.unpack_from(data, offset)
        if header_length < HEADER.size or length < header_length or offset + length > len(data):
            raise ValueError(f"packet lengths {length}/{header_length} do not fit at byte {offset} of {len(data)}")
        yield protover, operation, data[offset + header_length:offset + length]
        offset += length


class OpenLiveClient:
    """One game on one room: start(), then run() until the game ends or the connection fails,
    then close(). One asyncio loop only; handlers run on it and must not block."""

    def __init__(self, access_key_id, access_key_secret, app_id, code, *, base_url, session=None,
                 heartbeat_interval_s=30.0, game_heartbeat_interval_s=20.0, receive_timeout_s=None):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.app_id = app_id
        self.code = code
        self.base_url = base_url.rstrip("/")
        self.heartbeat_interval_s = heartbeat_interval_s
        self.game_heartbeat_interval_s = game_heartbeat_interval_s
        # blivedm: aiohttp's receive_timeout = heartbeat interval + 5 s.
        self.receive_timeout_s = receive_timeout_s if receive_timeout_s is not None else heartbeat_interval_s + 5
        self._session = session or aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._own_session = session is None
        self._handlers = {}
        self._websocket = None
        self._heartbeat_task = None
        self._game_heartbeat_task = None
        self._run_task = None
        self._game_ended = False
        self._closed = False

        # Known after start().
        self.start_answer = None
        self.game_id = None
        self.auth_body = None
        self.wss_links = []
        self.anchor_info = None
        self.room_id = None

        # What happened, for whoever drives the client (tests read these).
        self.authenticated = asyncio.Event()
        self.pushes_by_protover = collections.Counter()  # op 5 packets as framed on the wire
        self.dropped = []  # (cmd, missing key, data): events blivedm would drop with a KeyError
        self.end_code = None  # the code /v2/app/end answered on close()
        self.stop_reason = None  # "interaction_end", "server_closed"

    def on(self, cmd, handler):
        """Calls handler(client, fields) for each cmd, fields read as blivedm reads them (see
        read_fields). Use "*" for every command, called with the whole JSON object."""
        self._handlers.setdefault(cmd, []).append(handler)

    # --- the HTTP API ---

    async def call(self, path, document):
        """Signs and POSTs document; returns the whole answer envelope. Raises OpenLiveError when
        the answer is not HTTP 200 with a JSON envelope."""
        body = json.dumps(document).encode()
        headers = signed_headers(body, self.access_key_id, self.access_key_secret)
        async with self._session.post(self.base_url + path, data=body, headers=headers) as response:
            if response.status != 200:
                raise OpenLiveError(path, f"HTTP {response.status}", await response.text())
            return await response.json()

    async def start(self):
        """POST /v2/app/start; raises AuthError on a non-zero code."""
        answer = await self.call("/v2/app/start", {"code": self.code, "app_id": self.app_id})
        if answer["code"] != 0:
            raise AuthError("/v2/app/start", answer["code"], answer.get("message", ""))
        data = answer["data"]
        self.start_answer = data
        self.game_id = data["game_info"]["game_id"]
        self.auth_body = data["websocket_info"]["auth_body"]
        self.wss_links = data["websocket_info"]["wss_link"]
        self.anchor_info = data["anchor_info"]
        self.room_id = data["anchor_info"]["room_id"]
        # A plugin (empty game_id) has no game to keep alive, as in blivedm.
        if self.game_id:
            self._game_heartbeat_task = asyncio.create_task(self._game_heartbeats())
        return data

    async def _game_heartbeats(self):
        while not self._game_ended:
            await asyncio.sleep(self.game_heartbeat_interval_s)
            try:
                answer = await self.call("/v2/app/heartbeat", {"game_id": self.game_id})
                self._dispatch({"cmd": GAME_HEARTBEAT, "data": {"code": answer["code"]}})
                if answer["code"] != 0:
                    logger.warning("game heartbeat answered %s", answer)
            except (aiohttp.ClientError, asyncio.TimeoutError, OpenLiveError) as error:
                logger.warning("game heartbeat failed: %r", error)

    async def close(self, run_wait_s=10.0):
        """Ends the game with /v2/app/end (unless it has already ended), waits up to run_wait_s
        for run() to see the INTERACTION_END and stop, and releases everything. Calling it again
        does nothing."""
        if self._closed:
            return
        self._closed = True
        if self._game_heartbeat_task is not None:
            self._game_heartbeat_task.cancel()
        try:
            if self.game_id and not self._game_ended:
                answer = await self.call("/v2/app/end", {"app_id": self.app_id, "game_id": self.game_id})
                self.end_code = answer["code"]
                if answer["code"] not in (0,) + ALREADY_ENDED_CODES:
                    logger.warning("/v2/app/end answered %s", answer)
            if self._run_task is not None and not self._run_task.done():
                try:
                    await asyncio.wait_for(asyncio.shield(self._run_task), run_wait_s)
                except asyncio.TimeoutError:
                    logger.warning("run() did not stop within %s s of /v2/app/end", run_wait_s)
                except Exception:  # noqa: BLE001 - run()'s own caller sees its error
                    pass
        finally:
            if self._websocket is not None:
                await self._websocket.close()
            if self._run_task is not None and not self._run_task.done():
                self._run_task.cancel()
            if self._own_session:
                await self._session.close()

    # --- the long connection ---

    async def run(self):
        """Connects to wss_link[0] and handles messages until the game ends (returns
        "interaction_end") or the server closes (returns "server_closed"). Raises AuthError on a
        non-zero op 8 code and DeadConnectionError after receive_timeout_s of silence."""
        self._run_task = asyncio.current_task()
        try:
            async with self._session.ws_connect(self.wss_links[0], receive_timeout=self.receive_timeout_s,
                                                autoping=True) as websocket:
                self._websocket = websocket
                await websocket.send_bytes(make_packet(self.auth_body.encode(), OP_AUTH))
                while True:
                    try:
                        message = await websocket.receive()
                    except asyncio.TimeoutError:
                        raise DeadConnectionError(f"nothing received for {self.receive_timeout_s} s") from None
                    if message.type == aiohttp.WSMsgType.BINARY:
                        if await self._on_frame(message.data, 0):
                            self.stop_reason = "interaction_end"
                            return self.stop_reason
                    elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING,
                                          aiohttp.WSMsgType.CLOSED):
                        self.stop_reason = "server_closed"
                        return self.stop_reason
                    elif message.type == aiohttp.WSMsgType.ERROR:
                        raise ConnectionError(f"WebSocket error: {websocket.exception()!r}")
                    else:
                        logger.warning("ignored a %s WebSocket message", message.type)
        finally:
            if self._heartbeat_task is not None:
                self._heartbeat_task.cancel()
            self._websocket = None

    async def _heartbeats(self, websocket):
        while not websocket.closed:
            try:
                await websocket.send_bytes(make_packet(b"{}", OP_HEARTBEAT))
            except (ConnectionError, aiohttp.ClientError) as error:
                # The read loop sees the closed connection and ends run(); nothing to do here.
                logger.warning("heartbeat not sent: %r", error)
                return
            await asyncio.sleep(self.heartbeat_interval_s)

    async def _on_frame(self, data, depth):
        """Handles one frame (or a decompressed batch); returns True once the game has ended."""
        if depth > NESTING_MAX:
            raise ValueError("packets nested too deep")
        ended = False
        for protover, operation, body in split_packets(data):
            if operation == OP_AUTH_REPLY:
                reply = json.loads(body)
                if reply.get("code") != 0:
                    raise AuthError("op 8 auth reply", reply.get("code"), json.dumps(reply))
                self.authenticated.set()
                # The first op 2 goes right after the reply, then every heartbeat_interval_s.
                self._heartbeat_task = asyncio.create_task(self._heartbeats(self._websocket))
            elif operation == OP_HEARTBEAT_REPLY:
                # Only the first 4 bytes count: the real server appends the client's body.
                self._dispatch({"cmd": HEARTBEAT_REPLY, "data": {"popularity": int.from_bytes(body[:4], "big")}})
                return ended  # blivedm reads nothing after an op 3 in the same frame
            elif operation == OP_MESSAGE:
                if depth == 0:
                    self.pushes_by_protover[protover] += 1
                ended = await self._on_message(protover, body, depth) or ended
            else:
                logger.warning("ignored operation %d", operation)
        return ended

    async def _on_message(self, protover, body, depth):
        if protover == PROTOVER_ZLIB:
            return await self._on_frame(zlib.decompress(body), depth + 1)
        if protover == PROTOVER_BROTLI:
            if brotli is None:
                raise ValueError("a brotli packet (protover 3) came, and python3-brotli is not installed")
            return await self._on_frame(brotli.decompress(body), depth + 1)
        if protover != PROTOVER_JSON or not body:
            logger.warning("ignored an op 5 packet with protover %d", protover)
            return False
        return self._dispatch(json.loads(body))

    def _dispatch(self, command):
        cmd = command.get("cmd", "")
        data = command.get("data", {})
        for handler in self._handlers.get("*", []):
            handler(self, command)
        handlers = self._handlers.get(cmd, [])
        if handlers or cmd in BLIVEDM_FIELDS:
            try:
                fields = read_fields(cmd, data)
            except (KeyError, TypeError) as error:
                logger.warning("dropped %s: no %s in %s", cmd, error, data)
                self.dropped.append((cmd, str(error), data))
                return False
            for handler in handlers:
                handler(self, fields)
        if cmd == INTERACTION_END and data.get("game_id") == self.game_id:
            self._game_ended = True
            return True
        return False
