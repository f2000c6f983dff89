#!/usr/bin/python3
"""Adversarial suite: hostile clients against the real `barrage serve`.

Each attack is a small function below (`@attack`) with a comment saying what it proves. Around
every attack the runner keeps a polite client busy in another room: a WebSocket subscriber in
room 2 and a bot publisher sending it a danmaku every 20 ms over TCP. The subscriber records the
largest gap between consecutive deliveries and checks that every acknowledged sequence number
arrived. After each attack the runner asserts: what the server had to answer (in the attack),
largest gap < 100 ms, nothing lost, the process alive and `GET /healthz` answering 200.

The test machine can delay delivery too: two cores shared by the server, the attack, the polite
client and whatever else runs there, and in a virtual machine the host may not run a virtual
CPU at all for tens of milliseconds. So while the suite runs, `cpu_probe` (C++, next to this
file) keeps one thread pinned to each CPU waking every 2 ms and records how late it woke; the
runner samples how long each server thread waited for a CPU (/proc/PID/task/*/schedstat), and
the polite client does the same for its own threads. A gap over the limit is blamed on the
machine only when one of those delays inside the gap is at least its excess over 100 ms; then,
and only then, the attack is run again (at most twice, each rerun reported with its figures).
Any other failure fails the suite at once. Attack code runs at a lower priority (nice) than the
server and the polite client, since on a real network an attacker does not spend the server's
CPU.

Why Python and not GoogleTest: like tests/crash, the suite drives the binary users run (its
config file, its descriptor limit, its log, its /proc figures) rather than an in-process server
whose threads would share an address space and a scheduler priority with the attacks; the
polite client runs in its own process (this script with --polite), so neither attack code nor
Python's GIL can hold it up. Standard library only: the brotli bodies come from
`attack_payloads` (C++, built next to this file), since Python's standard library has no brotli.

Usage: adversarial_test.py BARRAGE ATTACK_PAYLOADS CPU_PROBE [--only NAME,...] [--keep]
Every count and wait is bounded; a run takes 30-60 s.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import math
import os
import re
import resource
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

HEADER = struct.Struct(">IHHII")
OP_HEARTBEAT, OP_HEARTBEAT_REPLY, OP_SEND, OP_MESSAGE, OP_AUTH, OP_AUTH_REPLY = 2, 3, 4, 5, 7, 8
OP_SEND_REPLY = 1000
V_JSON, V_CONTROL, V_ZLIB, V_BROTLI = 0, 1, 2, 3
WS_TEXT, WS_BINARY, WS_CLOSE, WS_PING, WS_PONG = 1, 2, 8, 9, 10

ATTACK_ROOM = 1    # where the attacks join
POLITE_ROOM = 2    # the polite client's room; no attack touches it
HISTORY_ROOM = 3   # filled with a full history for the join storm
BOT_UID = 9        # the demo bot: its send rate raised in server_config, exempt from the packet rate
POLITE_SOURCE = "127.0.0.100"  # the polite client's own address, so no per-address limit is shared
GAP_MAX_MS = 100.0
PUBLISH_INTERVAL_S = 0.020
POLITE_TAIL_S = 0.5      # the polite client keeps measuring this long after each attack
ATTACK_NICE = 5          # attack threads' nice value (see run_attack)
ATTACK_TIMEOUT_S = 60
MACHINE_RERUNS_MAX = 2   # reruns of an attack whose only failure the test machine explains
TOKEN_SECRET = "adversarial-suite-secret-0123456789abcdef"

HTTP_LISTEN_RE = re.compile(r"HTTP \(REST, WebSocket /sub, /metrics\) listening on [^:\s]+:(\d+)")
TCP_LISTEN_RE = re.compile(r"TCP \(packet protocol\) listening on [^:\s]+:(\d+)")


class Failure(Exception):
    """An expectation the server did not meet."""


def check(condition, text):
    if not condition:
        raise Failure(text)


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- Wire format -------------------------------------------------------------------------------

def packet(operation, body=b"", version=V_CONTROL, sequence=1):
    if isinstance(body, str):
        body = body.encode()
    return HEADER.pack(HEADER.size + len(body), HEADER.size, version, operation, sequence) + body


def auth_packet(fields):
    return packet(OP_AUTH, json.dumps(fields, separators=(",", ":")))


def split_packets(data):
    """(version, operation, sequence, body) of each packet in `data` (whole packets); a zlib body
    (version 2) is inflated into its inner packets. Brotli bodies stay as they are."""
    out = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < HEADER.size:
            raise Failure(f"server sent a truncated packet header ({len(data) - offset} bytes)")
        length, header_length, version, operation, sequence = HEADER.unpack_from(data, offset)
        if header_length != HEADER.size or length < HEADER.size or offset + length > len(data):
            raise Failure(f"server sent a bad packet header: length {length}, header {header_length}")
        body = bytes(data[offset + HEADER.size:offset + length])
        offset += length
        if version == V_ZLIB:
            out.extend(split_packets(zlib.decompress(body)))
        else:
            out.append((version, operation, sequence, body))
    return out


def mask(payload, key):
    if not payload:
        return b""
    n = len(payload)
    repeated = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(repeated, "little")).to_bytes(n, "little")


def ws_frame(opcode, payload, fin=True):
    """A masked client frame (RFC 6455 §5.2)."""
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        head = bytes([first, 0x80 | n])
    elif n < 65536:
        head = bytes([first, 0x80 | 126]) + struct.pack(">H", n)
    else:
        head = bytes([first, 0x80 | 127]) + struct.pack(">Q", n)
    key = os.urandom(4)
    return head + key + mask(payload, key)


def ws_key():
    return base64.b64encode(os.urandom(16)).decode()


def upgrade_request(port, key=None, path="/sub"):
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key or ws_key()}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()


def connect(port, source, timeout=5.0):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0))


class Conn:
    """One long connection (raw TCP packets, or WebSocket /sub) from a blocking socket."""

    def __init__(self, sock, websocket, buffered=b""):
        self.sock = sock
        self.websocket = websocket
        self.buffer = bytearray(buffered)
        self.heartbeat_replies = 0

    @classmethod
    def open(cls, server, transport, source, timeout=5.0):
        if transport == "tcp":
            return cls(connect(server.tcp_port, source, timeout), False)
        sock = connect(server.http_port, source, timeout)
        try:
            sock.sendall(upgrade_request(server.http_port))
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    raise Failure("the server closed the connection during the WebSocket upgrade")
                data += chunk
        except BaseException:
            sock.close()
            raise
        head, _, rest = data.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            sock.close()
            raise Failure(f"upgrade refused: {head[:200]!r}")
        return cls(sock, True, rest)

    def close(self):
        self.sock.close()

    def send(self, data):
        """Packets as one WebSocket message, or as bytes on the TCP stream."""
        self.sock.sendall(ws_frame(WS_BINARY, data) if self.websocket else data)

    def send_raw(self, data):
        self.sock.sendall(data)

    def _parse(self):
        buffer = self.buffer
        if not self.websocket:
            packets = []
            offset = 0
            while len(buffer) - offset >= HEADER.size:
                length = HEADER.unpack_from(buffer, offset)[0]
                if length < HEADER.size:
                    raise Failure(f"server sent a packet of length {length}")
                if len(buffer) - offset < length:
                    break
                packets.extend(split_packets(buffer[offset:offset + length]))
                offset += length
            del buffer[:offset]
            return ("packets", packets) if packets else None
        while len(buffer) >= 2:
            opcode = buffer[0] & 0x0F
            check(buffer[1] & 0x80 == 0, "server frames must not be masked")
            n = buffer[1] & 0x7F
            at = 2
            if n == 126:
                if len(buffer) < 4:
                    return None
                n = struct.unpack_from(">H", buffer, 2)[0]
                at = 4
            elif n == 127:
                if len(buffer) < 10:
                    return None
                n = struct.unpack_from(">Q", buffer, 2)[0]
                at = 10
            if len(buffer) < at + n:
                return None
            payload = bytes(buffer[at:at + n])
            del buffer[:at + n]
            if opcode in (WS_BINARY, WS_TEXT):
                return ("packets", split_packets(payload))
            if opcode == WS_CLOSE:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None
                return ("close", code, payload[2:].decode(errors="replace"))
            # pings and pongs: nothing to do
        return None

    def next_event(self, deadline):
        """The next thing the server did: ("packets", [...]), ("close", code, reason) for a
        WebSocket close frame, ("eof", how) when the socket ended, or ("timeout",)."""
        while True:
            event = self._parse()
            if event is not None:
                if event[0] == "packets":
                    self.heartbeat_replies += sum(1 for p in event[1] if p[1] == OP_HEARTBEAT_REPLY)
                return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return ("timeout",)
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(256 * 1024)
            except socket.timeout:
                return ("timeout",)
            except ConnectionResetError:
                return ("eof", "reset")
            except OSError as error:
                return ("eof", str(error))
            if not chunk:
                return ("eof", "fin")
            self.buffer += chunk

    def auth(self, fields, timeout=5.0):
        """Sends op 7 and returns the op 8 answer's JSON."""
        self.send(auth_packet(fields))
        return self.auth_reply(timeout)

    def auth_reply(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while True:
            event = self.next_event(deadline)
            if event[0] != "packets":
                raise Failure(f"no auth reply: {event}")
            for _, operation, _, body in event[1]:
                if operation == OP_AUTH_REPLY:
                    return json.loads(body)

    def until_closed(self, timeout=5.0):
        """Reads until the server ends the connection. Returns ("close", code, reason) when a
        WebSocket close frame came first, else ("eof", how); ("timeout",) if it never did."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next_event(deadline)
            if event[0] == "packets":
                continue
            if event[0] == "close":
                after = self.next_event(deadline)
                while after[0] == "packets":
                    after = self.next_event(deadline)
                if after[0] != "eof":
                    raise Failure(f"close frame {event[1]} but the connection stayed open: {after}")
            return event


def expect_closed(conn, transport, ws_codes, reason_prefixes, timeout=5.0):
    """The server ends `conn`; over WebSocket with a close frame whose code is in `ws_codes`
    and whose reason starts with one of `reason_prefixes`. Returns what ended it."""
    ended = conn.until_closed(timeout)
    check(ended[0] != "timeout", f"{transport}: the server did not close the connection in {timeout} s")
    if transport == "ws":
        check(ended[0] == "close", f"ws: the connection ended without a close frame ({ended})")
        check(ended[1] in ws_codes and ended[2].startswith(tuple(reason_prefixes)),
              f"ws: close {ended[1]} {ended[2]!r}, expected {ws_codes} with a reason starting {reason_prefixes}")
    return ended


# --- HTTP ----------------------------------------------------------------------------------------

def http_raw(port, request, source="127.0.0.1", timeout=5.0):
    """Sends `request` bytes as they are; returns (status, headers with lower-case names, body).
    The server may answer before it has read everything (413, 431): a send cut short by its
    close is not an error as long as an answer arrives."""
    sock = connect(port, source, timeout)
    try:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        sock.close()


def http_call(port, method, path, body=None, headers=None, source="127.0.0.1", timeout=5.0):
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    data = body.encode() if isinstance(body, str) else (body or b"")
    if body is not None:
        lines.append(f"Content-Length: {len(data)}")
    return http_raw(port, ("\r\n".join(lines) + "\r\n\r\n").encode() + data, source, timeout)


# --- The server ----------------------------------------------------------------------------------

class Server:
    """One `barrage serve` process on its own data directory and config."""

    def __init__(self, binary, work, name, config, nofile=None):
        self.binary = binary
        self.name = name
        self.dir = os.path.join(work, name)
        self.data_dir = os.path.join(self.dir, "data")
        self.config_path = os.path.join(self.dir, "barrage.toml")
        self.log_path = os.path.join(self.dir, "serve.log")
        self.nofile = nofile
        os.makedirs(self.data_dir)
        with open(self.config_path, "w") as f:
            f.write(config)
        self.proc = None
        self.http_port = self.tcp_port = None

    def start(self, timeout_s=30.0):
        nofile = self.nofile

        def limit_descriptors():
            if nofile is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        with open(self.log_path, "w") as out:
            self.proc = subprocess.Popen(
                [self.binary, "serve", "--config", self.config_path, "--data-dir", self.data_dir,
                 "--http-port", "0", "--tcp-port", "0"],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=limit_descriptors)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            text = self.log_text()
            http_port, tcp_port = HTTP_LISTEN_RE.search(text), TCP_LISTEN_RE.search(text)
            if http_port and tcp_port:
                self.http_port, self.tcp_port = int(http_port.group(1)), int(tcp_port.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"{self.name}: server did not start (exit {self.proc.poll()}):\n{self.log_text()[-2000:]}")

    def token(self, uid, role=None, name=None):
        args = [self.binary, "token", "--config", self.config_path, "--data-dir", self.data_dir, "--uid", str(uid)]
        if role:
            args += ["--role", role]
        if name:
            args += ["--name", name]
        done = subprocess.run(args, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise RuntimeError(f"barrage token failed: {done.stderr}")
        return done.stdout.strip()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_text(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def http(self, method, path, body=None, headers=None, source="127.0.0.1", timeout=5.0):
        return http_call(self.http_port, method, path, body, headers, source, timeout)

    def healthz_within(self, seconds, source="127.0.0.1"):
        """Seconds until GET /healthz answered 200 (retrying refused or cut connections), or None."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            try:
                status, _, _ = self.http("GET", "/healthz", source=source, timeout=1.0)
                if status == 200:
                    return time.monotonic() - started
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        return None

    def metrics(self):
        status, _, body = self.http("GET", "/metrics")
        check(status == 200, f"/metrics answered {status}")
        values = {}
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                values[name] = float(value)
        return values

    def metric(self, name):
        return self.metrics().get(name, 0.0)

    def proc_status(self, field):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def rss_kib(self):
        return self.proc_status("VmRSS")

    def cpu_s(self):
        """User + system CPU seconds the process has used."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def descriptors(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def stop(self, timeout_s=20.0):
        if not self.alive():
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=30)
            return None


def server_config(security=""):
    return f"""
[server]
listen_address = "127.0.0.1"
log_level = "info"

[auth]
token_secret = "{TOKEN_SECRET}"

[security]
{security}

[danmaku]
# The bot publisher and the history filler are load generators, not a room's helper.
bot_rate_per_s = 1000000
bot_burst = 1000000

[[room]]
id = {ATTACK_ROOM}
title = "attacked"
host = 1

[[room]]
id = {POLITE_ROOM}
title = "polite"
host = 1

[[room]]
id = {HISTORY_ROOM}
title = "full history"
host = 1
"""


# --- Run-queue waits: how long the test machine kept a thread from its CPU -------------------------

def run_queue_wait_ns(task_dir):
    """Nanoseconds the thread has spent runnable but waiting for a CPU (/proc/.../schedstat)."""
    try:
        with open(f"{task_dir}/schedstat") as f:
            return int(f.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None


class WaitTimeline:
    """Samples of run-queue waits of some threads, to say how much of a window the machine took."""

    def __init__(self):
        self.samples = []  # (time.monotonic(), {thread: wait_ns})

    def add(self, waits):
        self.samples.append((time.monotonic(), waits))

    def worst_in(self, start, end):
        """The most any one thread waited for a CPU between `start` and `end`, in ms."""
        samples = list(self.samples)
        if not samples:
            return 0.0
        first = ([w for t, w in samples if t <= start] or [samples[0][1]])[-1]
        last = ([w for t, w in samples if t >= end] or [samples[-1][1]])[0]
        return max((last[k] - first[k] for k in last if k in first), default=0) / 1e6


class ServerWaits(threading.Thread):
    """Samples every thread of the server process every 10 ms while it runs."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.timeline = WaitTimeline()
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            try:
                tasks = os.listdir(f"/proc/{self.pid}/task")
            except OSError:
                return
            waits = {}
            for task in tasks:
                wait = run_queue_wait_ns(f"/proc/{self.pid}/task/{task}")
                if wait is not None:
                    waits[task] = wait
            self.timeline.add(waits)
            time.sleep(0.01)

    def stop(self):
        self.done.set()
        self.join(timeout=5)


class MachineProbe:
    """The cpu_probe process (one thread pinned to each CPU, noting every wake-up more than 2 ms
    late), and what it saw."""

    def __init__(self, binary, work):
        self.path = os.path.join(work, "late-wakeups.txt")
        open(self.path, "w").close()
        self.proc = subprocess.Popen([binary, self.path], stdin=subprocess.PIPE)

    def stall_in(self, start, end):
        """The most time any one CPU was late for the probe between `start` and `end`, in ms."""
        late = {}
        with open(self.path) as f:
            for line in f:
                try:
                    cpu, due, woke = line.split()
                    overlap = min(float(woke), end) - max(float(due), start)
                except ValueError:
                    continue
                if overlap > 0:
                    late[cpu] = late.get(cpu, 0.0) + overlap
        return max(late.values(), default=0.0) * 1000

    def stop(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --- The polite client (its own process) ---------------------------------------------------------

class PoliteClient:
    """Subscriber (WebSocket, native dialect) and bot publisher (TCP, op 4 every 20 ms) in room 2,
    run by this script with --polite. Prints "ready" once messages flow, stops at "stop" (or EOF)
    on stdin, then prints one JSON line: the largest gap between deliveries and when it was, loss,
    latency, how late its own sends were and how long the machine kept its threads waiting."""

    def __init__(self, args):
        server = argparse.Namespace(http_port=args.http_port, tcp_port=args.tcp_port)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.publishing_done = threading.Event()  # the publisher sent its last danmaku
        self.answers_done = threading.Event()     # every send answered, or the drain timed out
        self.drain_deadline = float("inf")
        self.sent = {}       # k -> time.monotonic() when the k-th danmaku was written
        self.acked = {}      # k -> room sequence from its op 1000 answer
        self.arrivals = []   # time.monotonic() of each frame carrying publisher danmaku
        self.received = set()
        self.latencies = []
        self.errors = []
        self.publish_late = 0.0
        self.waits = WaitTimeline()
        self.subscriber = Conn.open(server, "ws", POLITE_SOURCE)
        answer = self.subscriber.auth({"roomid": POLITE_ROOM, "protover": 0, "dialect": "native"})
        if answer.get("code") != 0:
            raise SystemExit(f"polite subscriber refused: {answer}")
        self.publisher = Conn.open(server, "tcp", POLITE_SOURCE)
        answer = self.publisher.auth({"roomid": POLITE_ROOM, "protover": 0, "dialect": "native", "key": args.token})
        if answer.get("code") != 0:
            raise SystemExit(f"polite publisher refused: {answer}")

    def subscribe(self):
        last_beat = time.monotonic()
        while True:
            if self.answers_done.is_set():
                with self.lock:
                    complete = set(self.acked.values()) <= self.received
                if complete or time.monotonic() > self.drain_deadline:
                    return
            event = self.subscriber.next_event(time.monotonic() + 0.1)
            now = time.monotonic()
            if event[0] in ("close", "eof"):
                self.errors.append(f"subscriber connection ended: {event}")
                return
            if now - last_beat > 20:
                self.subscriber.send(packet(OP_HEARTBEAT))
                last_beat = now
            if event[0] == "packets":
                self.take(event[1], now)

    def take(self, packets, now):
        carried = False
        with self.lock:
            for _, operation, _, body in packets:
                if operation != OP_MESSAGE:
                    continue
                message = json.loads(body)
                if "seq" in message:
                    self.received.add(message["seq"])
                text = message.get("data", {}).get("text", "") if message.get("cmd") == "danmaku" else ""
                if text.startswith("p") and text[1:].isdigit():
                    carried = True
                    k = int(text[1:])
                    if k in self.sent:
                        self.latencies.append(now - self.sent[k])
            if carried:
                self.arrivals.append(now)
                if len(self.arrivals) >= 3:
                    self.ready.set()

    def read_answers(self):
        try:
            while True:
                if self.publishing_done.is_set():
                    with self.lock:
                        complete = len(self.acked) >= len(self.sent)
                    if complete or time.monotonic() > self.drain_deadline:
                        return
                event = self.publisher.next_event(time.monotonic() + 0.1)
                if event[0] in ("close", "eof"):
                    self.errors.append(f"publisher connection ended: {event}")
                    return
                if event[0] != "packets":
                    continue
                for _, operation, sequence, body in event[1]:
                    if operation != OP_SEND_REPLY:
                        continue
                    answer = json.loads(body)
                    if answer.get("code") != 0:
                        self.errors.append(f"send {sequence} refused: {answer}")
                        continue
                    with self.lock:
                        self.acked[sequence] = answer["data"]["seq"]
        finally:
            self.answers_done.set()

    def publish(self):
        started = last_beat = time.monotonic()
        k = 0
        while not self.stop.is_set():
            k += 1
            due = started + k * PUBLISH_INTERVAL_S
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            now = time.monotonic()
            self.publish_late = max(self.publish_late, now - due)
            data = packet(OP_SEND, json.dumps({"msg": f"p{k}"}), sequence=k)
            if now - last_beat > 20:
                data += packet(OP_HEARTBEAT)
                last_beat = now
            with self.lock:
                self.sent[k] = now
            try:
                self.publisher.send(data)
            except OSError as error:
                self.errors.append(f"publisher send failed: {error}")
                return

    def sample_waits(self):
        # Every thread of this process: one that holds the GIL while it waits for a CPU holds
        # up the others too.
        while not self.stop.is_set():
            waits = {}
            for task in os.listdir("/proc/self/task"):
                wait = run_queue_wait_ns(f"/proc/self/task/{task}")
                if wait is not None:
                    waits[task] = wait
            self.waits.add(waits)
            time.sleep(0.005)

    def run(self):
        workers = [threading.Thread(target=f, daemon=True)
                   for f in (self.subscribe, self.read_answers, self.publish, self.sample_waits)]
        for worker in workers:
            worker.start()
        if not self.ready.wait(10):
            self.errors.append("no message arrived within 10 s of the start")
        print("ready", flush=True)
        began = time.monotonic()
        sys.stdin.readline()
        self.stop.set()
        for worker in workers[2:]:
            worker.join(timeout=5)
        self.drain_deadline = time.monotonic() + 2.0
        self.publishing_done.set()
        for worker in workers[:2]:
            worker.join(timeout=5)
        print(json.dumps(self.result(time.monotonic() - began)), flush=True)
        self.subscriber.close()
        self.publisher.close()

    def result(self, seconds):
        with self.lock:
            missing = sorted(set(self.acked.values()) - self.received)
            holes = []
            if self.received:
                holes = sorted(set(range(min(self.received), max(self.received) + 1)) - self.received)
            gaps = [(b - a, a, b) for a, b in zip(self.arrivals, self.arrivals[1:])]
            gap, gap_start, gap_end = max(gaps, default=(0.0, 0.0, 0.0))
            return {
                "max_gap_ms": round(gap * 1000, 1),
                "gap_window": [gap_start, gap_end],  # time.monotonic(), as the runner's clock
                "polite_wait_in_gap_ms": round(self.waits.worst_in(gap_start, gap_end), 1),
                "max_latency_ms": round(max(self.latencies, default=0.0) * 1000, 1),
                "max_publish_late_ms": round(self.publish_late * 1000, 1),
                "sent": len(self.sent),
                "acked": len(self.acked),
                "delivered": len(self.latencies),
                "missing": missing[:20],
                "missing_count": len(missing),
                "unanswered": len(self.sent) - len(self.acked),
                "holes": holes[:20],
                "errors": self.errors[:10],
                "seconds": round(seconds, 2),
            }


class Polite:
    """The polite client's process, seen from the runner."""

    def __init__(self, script, server, token):
        self.proc = subprocess.Popen(
            [sys.executable, script, "--polite", "--http-port", str(server.http_port), "--tcp-port",
             str(server.tcp_port), "--token", token],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self._line(15)
        if line.strip() != "ready":
            self.proc.kill()
            raise RuntimeError(f"polite client did not start: {line!r}")

    def _line(self, timeout):
        got = []
        reader = threading.Thread(target=lambda: got.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        return got[0] if got else ""

    def stop(self):
        try:
            self.proc.stdin.write("stop\n")
            self.proc.stdin.flush()
        except OSError:
            pass
        line = self._line(15)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        try:
            return json.loads(line)
        except ValueError:
            return {"errors": [f"polite client gave no result: {line!r} (exit {self.proc.returncode})"]}


# --- What attacks share ----------------------------------------------------------------------------

class Context:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.servers = {}
        self.tokens = {}
        self.payloads = {}
        self.marks = []     # (time.monotonic(), phase) of the running attack
        self.attempt = 0    # 0, or how many times the running attack was started again
        self.probe = None   # MachineProbe

    def server(self, kind):
        """The main server, or the one run under a low descriptor limit ("exhaustion")."""
        if kind not in self.servers:
            if kind == "main":
                config = server_config("http_idle_timeout_ms = 2000  # slowloris: slow headers are cut off soon")
                server = Server(self.args.barrage, self.work, "main", config)
            else:
                config = server_config(f"connections_per_address = {EXHAUSTION_PER_ADDRESS}")
                server = Server(self.args.barrage, self.work, "exhaustion", config, nofile=EXHAUSTION_NOFILE)
            server.start()
            self.servers[kind] = server
            self.tokens[kind] = server.token(BOT_UID, role="bot")
        return self.servers[kind]

    def address(self, n):
        """The loopback address attacks use as their n-th source: 127.0.0.n on the first run of an
        attack, 127.<attempt>.0.n on a rerun, so that per-address join buckets start full."""
        return f"127.{self.attempt}.0.{n}"

    def prepare_payloads(self):
        """Bodies that take seconds of CPU to make, made before any polite client runs."""
        def brotli(kind, count):
            done = subprocess.run([self.args.payloads, kind, str(count)], capture_output=True, timeout=120)
            if done.returncode != 0 or not done.stdout:
                raise RuntimeError(f"attack_payloads {kind} {count} failed: {done.stderr!r}")
            return done.stdout

        self.payloads = {
            "zlib 64 MiB of zeros": zlib_zeros(64 << 20),
            "brotli 64 MiB of zeros": brotli("zeros", 64 << 20),
            "brotli 16 MiB of zeros": brotli("zeros", 16 << 20),
            "brotli 524,287 heartbeats": brotli("heartbeats", 524_287),
        }

    def mark(self, phase):
        """Notes that the running attack enters `phase`: a gap is reported with its phase."""
        self.marks.append((time.monotonic(), phase))

    def phase_at(self, when):
        phase = "before the attack"
        for at, name in self.marks:
            if at <= when:
                phase = name
        return phase


def zlib_zeros(count):
    compressor = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = [compressor.compress(chunk) for _ in range(count >> 20)]
    parts.append(compressor.compress(bytes(count & ((1 << 20) - 1))))
    parts.append(compressor.flush())
    return b"".join(parts)


def closed_metric(cause, code):
    return f'barrage_connections_closed_total{{cause="{cause}",code="{code}"}}'


def authed(server, transport, source, room=ATTACK_ROOM, **fields):
    conn = Conn.open(server, transport, source)
    answer = conn.auth({"roomid": room, "protover": 0, **fields})
    check(answer.get("code") == 0, f"{transport}: auth refused: {answer}")
    return conn


def forged_token(uid, role):
    """An HS256 token with good claims signed with a secret that is not the server's."""
    return hs256_token(uid, role, os.urandom(32), f"forger{uid}")


def hs256_token(uid, role, secret, name, extra=None):
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    now = int(time.time())
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"uid": uid, "name": name, "face": "", "role": role, "iat": now,
                             "exp": now + 3600, **(extra or {})}).encode())
    signature = hmac.new(secret, f"{head}.{claims}".encode(), hashlib.sha256).digest()
    return f"{head}.{claims}.{b64(signature)}"


def in_parallel(count, workers, job):
    """job(i) for i in range(count) on `workers` threads; the results in order (an exception
    raised by a job is its result)."""
    results = [None] * count
    next_index = [0]
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= count:
                return
            try:
                results[i] = job(i)
            except Exception as error:  # noqa: BLE001 - reported per job by the caller
                results[i] = error

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def ended(sock):
    """True when the server has closed `sock` (end of stream or reset); never blocks."""
    try:
        sock.setblocking(False)
        try:
            return sock.recv(1, socket.MSG_PEEK) == b""
        finally:
            sock.setblocking(True)
    except BlockingIOError:
        return False
    except OSError:
        return True


# --- The attacks ---------------------------------------------------------------------------------

ATTACKS = []
EXHAUSTION_NOFILE = 512
EXHAUSTION_PER_ADDRESS = 100


def attack(server="main", setup=None):
    """Registers an attack, run in this order against the "main" or "exhaustion" server; `setup`
    runs before the polite client starts."""
    def register(function):
        ATTACKS.append((function.__name__, function, server, setup))
        return function
    return register


@attack()
def no_attack(ctx, server):
    # Proves the measuring stick: with nobody attacking, the polite client's largest gap (the
    # room's 50 ms batch interval plus scheduling) is well under the limit.
    time.sleep(2.0)
    return {}


@attack()
def compression_bombs(ctx, server):
    # Proves a signed-in client cannot make the server inflate a bomb: 64 MiB of zeros in one
    # zlib (65 KB) or brotli (53 bytes) packet is cut off at the packet limit, over TCP and over
    # WebSocket; the connection is closed (WS 1009 "4006 ...") and the cause is counted.
    metric = closed_metric("decompressed_too_large", 4006)
    before = server.metric(metric)
    bodies = {"zlib": (V_ZLIB, ctx.payloads["zlib 64 MiB of zeros"]),
              "brotli": (V_BROTLI, ctx.payloads["brotli 64 MiB of zeros"])}
    for transport in ("tcp", "ws"):
        for version, body in bodies.values():
            conn = authed(server, transport, ctx.address(11))
            conn.send(packet(OP_HEARTBEAT, body, version=version))
            expect_closed(conn, transport, {1009}, ["4006 "])
            conn.close()
    after = server.metric(metric)
    check(after - before == 4, f"{metric} rose by {after - before}, expected 4")
    return {"zlib_bytes": len(bodies["zlib"][1]), "brotli_bytes": len(bodies["brotli"][1])}


@attack()
def zlib_auth_body(ctx, server):
    # Proves the first packet, before any token is looked at, is bounded too: an auth whose
    # body is 1 MiB inside zlib (about 1 KB on the wire) closes the connection at the packet
    # limit, over TCP and WebSocket.
    metric = closed_metric("decompressed_too_large", 4006)
    before = server.metric(metric)
    inner = auth_packet({"roomid": ATTACK_ROOM, "protover": 0, "pad": "a" * (1 << 20)})
    wrapped = packet(OP_AUTH, zlib.compress(inner, 9), version=V_ZLIB)
    for transport in ("tcp", "ws"):
        conn = Conn.open(server, transport, ctx.address(12))
        conn.send(wrapped)
        expect_closed(conn, transport, {1009}, ["4006 "])
        conn.close()
    after = server.metric(metric)
    check(after - before == 2, f"{metric} rose by {after - before}, expected 2")
    return {"wire_bytes": len(wrapped)}


@attack()
def heartbeat_bomb(ctx, server):
    # Proves 36 bytes cannot stand for half a million heartbeats: one brotli packet holding
    # 524,287 of them, sent 20 times on fresh signed-in connections (TCP and WebSocket in
    # turn), closes each one (too large, or too many inner packets) and earns no heartbeat
    # replies, let alone thousands.
    bomb = packet(OP_HEARTBEAT, ctx.payloads["brotli 524,287 heartbeats"], version=V_BROTLI)
    metrics = (closed_metric("decompressed_too_large", 4006), closed_metric("too_many_inner_packets", 4016))
    before = server.metrics()
    replies = 0
    reasons = {}
    for i in range(20):
        transport = ("tcp", "ws")[i % 2]
        conn = authed(server, transport, ctx.address(13))
        conn.send(bomb)
        ended_by = expect_closed(conn, transport, {1009}, ["4006 ", "4016 "])
        reason = ended_by[2][:4] if ended_by[0] == "close" else "tcp closed"
        reasons[reason] = reasons.get(reason, 0) + 1
        replies += conn.heartbeat_replies
        conn.close()
    after = server.metrics()
    rise = sum(after.get(m, 0.0) - before.get(m, 0.0) for m in metrics)
    check(rise == 20, f"closes for 4006 and 4016 rose by {rise}, expected 20")
    check(replies <= 20, f"the server sent {replies} heartbeat replies to 20 bombs")
    return {"bomb_bytes": len(bomb), "heartbeat_replies": replies, "endings": reasons}


@attack()
def brotli_bombs_memory(ctx, server):
    # Proves bombs cost no memory: 50 WebSocket connections, each sending 16 messages of a
    # 30-byte brotli bomb (16 MiB of zeros) before any auth, leave the server's RSS within 30 MB
    # of where it was (sampled every 5 ms); each is closed 1009 "4006".
    body = ctx.payloads["brotli 16 MiB of zeros"]
    bomb = packet(OP_AUTH, body, version=V_BROTLI)
    messages = b"".join(ws_frame(WS_BINARY, bomb) for _ in range(16))
    baseline = server.rss_kib()
    peak = [baseline]
    sampling = threading.Event()

    def sample():
        while not sampling.is_set():
            peak[0] = max(peak[0], server.rss_kib())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        conns = [Conn.open(server, "ws", ctx.address(14)) for _ in range(50)]
        for conn in conns:
            try:
                conn.send_raw(messages)
            except (BrokenPipeError, ConnectionResetError):
                pass  # closed after the first bomb, before the rest went out
        for conn in conns:
            expect_closed(conn, "ws", {1009}, ["4006 "])
            conn.close()
        time.sleep(0.2)
    finally:
        sampling.set()
        sampler.join()
    growth_mb = (peak[0] - baseline) / 1024
    check(growth_mb < 30, f"RSS grew by {growth_mb:.1f} MB (from {baseline} KiB to a peak of {peak[0]} KiB)")
    return {"bomb_packet_bytes": len(bomb), "rss_before_kib": baseline, "rss_peak_kib": peak[0],
            "rss_after_kib": server.rss_kib()}


@attack()
def packet_flood(ctx, server):
    # Proves the per-connection packet rate (20/s, burst 60) holds: 200 heartbeats in one write
    # after auth close the connection for packet_flood (WS 1008 "4015 ...") before any of them
    # is answered, over WebSocket and TCP.
    metric = closed_metric("packet_flood", 4015)
    before = server.metric(metric)
    flood = packet(OP_HEARTBEAT) * 200
    replies = 0
    for transport in ("ws", "tcp"):
        conn = authed(server, transport, ctx.address(15))
        conn.send(flood)
        expect_closed(conn, transport, {1008}, ["4015 "])
        replies += conn.heartbeat_replies
        conn.close()
    after = server.metric(metric)
    check(after - before == 2, f"{metric} rose by {after - before}, expected 2")
    check(replies == 0, f"{replies} heartbeat replies to two floods")
    return {"heartbeat_replies": replies}


def fill_history(ctx, server):
    """Publishes 1,000 danmaku to the history room as the bot, over one long connection."""
    status, _, body = server.http("GET", f"/api/v1/rooms/{HISTORY_ROOM}")
    check(status == 200, f"room {HISTORY_ROOM}: {status}")
    if json.loads(body)["data"]["last_seq"] >= 1000:
        return
    conn = authed(server, "tcp", "127.0.0.16", room=HISTORY_ROOM, key=ctx.tokens["main"])
    for start in range(1, 1001, 100):
        conn.send(b"".join(packet(OP_SEND, json.dumps({"msg": f"history {k}"}), sequence=k)
                           for k in range(start, start + 100)))
        answered = 0
        deadline = time.monotonic() + 10
        while answered < 100:
            event = conn.next_event(deadline)
            check(event[0] == "packets", f"filling history: {event}")
            for _, operation, _, answer in event[1]:
                if operation == OP_SEND_REPLY:
                    check(json.loads(answer).get("code") == 0, f"filling history: {answer!r}")
                    answered += 1
    conn.close()


@attack(setup=fill_history)
def join_storm(ctx, server):
    # Proves the per-address join rate (20/s, burst 100, the defaults) holds against a reconnect
    # storm that asks for the whole history each time: of 200 joins with last_seq 0 from one
    # address into a room holding 1,000 messages, those past the burst (and what refilled while
    # the storm lasted) get op 8 {"code":-101,"error":3002}, and each refusal is counted.
    metric = "barrage_joins_refused_total"
    before = server.metric(metric)
    source = ctx.address(17)

    def join(i):
        conn = Conn.open(server, ("tcp", "ws")[i % 2], source)
        try:
            return conn.auth({"roomid": HISTORY_ROOM, "protover": 3, "last_seq": 0})
        finally:
            conn.close()

    started = time.monotonic()
    answers = in_parallel(200, 8, join)
    elapsed = time.monotonic() - started
    errors = [a for a in answers if not isinstance(a, dict)]
    check(not errors, f"{len(errors)} joins got no answer, e.g. {errors[:3]}")
    admitted = sum(1 for a in answers if a.get("code") == 0)
    refused = sum(1 for a in answers if a.get("code") == -101 and a.get("error") == 3002)
    check(admitted + refused == 200, f"unexpected answers: {[a for a in answers if a.get('code') != 0][:3]}")
    allowed = 100 + 20 * elapsed + 1  # the burst, what refilled while the storm lasted, rounding
    check(admitted <= allowed, f"{admitted} of 200 joins admitted in {elapsed:.2f} s; the rate allows {allowed:.0f}")
    check(admitted >= 100, f"only {admitted} joins admitted: the burst is 100")
    after = server.metric(metric)
    check(after - before == refused, f"{metric} rose by {after - before}, {refused} refused")
    return {"admitted": admitted, "refused": refused, "seconds": round(elapsed, 2)}


@attack(server="exhaustion")
def connection_exhaustion(ctx, server):
    # Proves the per-address cap, idle-HTTP shedding and the descriptor reserve, on a server
    # with connections_per_address = 100 and 512 descriptors:
    #  1. 150 idle HTTP connections from 127.0.0.1: 100 stay open, the rest are closed at once.
    #  2. Idle HTTP connections from 127.0.0.2-9, reopened as fast as the server closes them,
    #     drive it to its descriptor limit: it sheds idle HTTP connections (127.0.0.1's too),
    #     /healthz from 127.0.0.1 answers within a few seconds, and the server's CPU stays well
    #     under a core while the flood lasts.
    #  3. Signed-in long connections (nothing can shed them) hold every descriptor; a burst of
    #     200 more connections is refused at once through the reserve descriptor, and the
    #     server then sits idle: its accept loop does not spin.
    # The log names both kinds of refusal.
    ctx.mark("150 idle from 127.0.0.1")
    first = [connect(server.http_port, "127.0.0.1") for _ in range(150)]
    time.sleep(0.5)
    open_first = [s for s in first if not ended(s)]
    check(len(open_first) == EXHAUSTION_PER_ADDRESS,
          f"{len(open_first)} of 150 idle connections from 127.0.0.1 stayed open, expected 100")
    check("closed a connection from 127.0.0.1 at once: too many connections from that address"
          in server.log_text(), "no refusal line for 127.0.0.1 in the log")

    sources = [ctx.address(i) for i in range(2, 10)]
    held = {source: [] for source in sources}
    connects = [0]
    at_limit = threading.Event()
    stop_flood = threading.Event()
    refusal = "closed a connection from a waiting client at once: out of file descriptors"

    def flood(seconds):
        """Keeps every source at 100 open idle connections, for at most `seconds`."""
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at and not stop_flood.is_set():
            for source in sources:
                still_open = []
                for sock in held[source]:
                    if ended(sock):
                        sock.close()
                    else:
                        still_open.append(sock)
                held[source] = still_open
                while len(held[source]) < EXHAUSTION_PER_ADDRESS:
                    try:
                        held[source].append(connect(server.http_port, source, timeout=1.0))
                        connects[0] += 1
                    except OSError:
                        break
            if not at_limit.is_set() and refusal in server.log_text():
                at_limit.set()
            time.sleep(0.01)

    ctx.mark("idle HTTP flood")
    flooding = threading.Thread(target=flood, args=(8.0,), daemon=True)
    flooding.start()
    check(at_limit.wait(5.0), "the server did not reach its descriptor limit in 5 s of flooding")
    connects_before, cpu_before = connects[0], server.cpu_s()
    healthz_s = server.healthz_within(5.0)
    time.sleep(max(0.0, 2.0 - (healthz_s or 0.0)))
    cpu_flood_s = server.cpu_s() - cpu_before
    flood_rate = (connects[0] - connects_before) / 2.0
    stop_flood.set()
    flooding.join()
    check(healthz_s is not None, "/healthz from 127.0.0.1 did not answer within 5 s at the descriptor limit")
    check(all(ended(s) for s in open_first), "idle HTTP connections from 127.0.0.1 were not shed under pressure")
    check("descriptors short: closed" in server.log_text(), "no line about shedding idle HTTP connections")
    ctx.mark("closing the flood")
    for sockets in [first] + list(held.values()):
        for sock in sockets:
            sock.close()
    time.sleep(1.5)  # under pressure the idle timeout is 1 s: what was left open is gone by now

    ctx.mark("opening long connections")
    pending = []
    for source in sources:
        for _ in range(EXHAUSTION_PER_ADDRESS):
            try:
                conn = Conn.open(server, "tcp", source, timeout=2.0)
                conn.send(auth_packet({"roomid": ATTACK_ROOM, "protover": 0}))
                pending.append(conn)
            except OSError:
                break
    kept = []
    for conn in pending:
        try:
            if conn.auth_reply(2.0).get("code") == 0:
                kept.append(conn)
                continue
        except (Failure, OSError):
            pass
        conn.close()
    descriptors = server.descriptors()
    check(descriptors >= EXHAUSTION_NOFILE - 2, f"signed-in connections hold only {descriptors} descriptors")
    ctx.mark("knocking at the limit")
    cpu_before = server.cpu_s()
    knocks = [connect(server.http_port, ctx.address(10)) for _ in range(200)]
    time.sleep(0.5)
    refused = sum(1 for s in knocks if ended(s))
    time.sleep(1.5)
    cpu_held_s = server.cpu_s() - cpu_before
    ctx.mark("closing long connections")
    for sock in knocks:
        sock.close()
    for conn in kept:
        conn.close()
    check(refused >= 195, f"only {refused} of 200 connections to a server without descriptors were closed at once")
    check(cpu_held_s < 0.2, f"the server used {cpu_held_s:.2f} s of CPU in 2 s holding its descriptor limit")
    check(cpu_flood_s < 1.5, f"the server used {cpu_flood_s:.2f} s of CPU in 2 s of flood at its limit")
    return {"flood_connects_per_s": round(flood_rate), "cpu_s_in_2s_of_flood": round(cpu_flood_s, 2),
            "healthz_s": round(healthz_s, 2), "long_connections_held": len(kept),
            "refused_of_200": refused, "cpu_s_in_2s_held": round(cpu_held_s, 2)}


@attack()
def slowloris(ctx, server):
    # Proves slow headers cannot hold connections: 50 clients sending one header byte a second
    # are closed by the HTTP header deadline (http_idle_timeout_ms = 2000 here) within a few
    # seconds, long before their request is complete, and none of them is answered.
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 60 + b"\r\n\r\n"
    socks = [connect(server.http_port, ctx.address(18)) for _ in range(50)]
    started = time.monotonic()
    closed_after = {}
    sent = 0
    while len(closed_after) < len(socks) and time.monotonic() - started < 6.0:
        for i, sock in enumerate(socks):
            if i in closed_after:
                continue
            if ended(sock):
                closed_after[i] = time.monotonic() - started
                continue
            try:
                sock.send(request[sent:sent + 1])
            except OSError:
                closed_after[i] = time.monotonic() - started
        sent += 1
        time.sleep(max(0.0, sent - (time.monotonic() - started)))
    answered = 0
    for sock in socks:
        try:
            sock.setblocking(False)
            answered += sock.recv(64).startswith(b"HTTP/")
        except OSError:
            pass
        sock.close()
    check(len(closed_after) == len(socks), f"{len(socks) - len(closed_after)} slow clients still open after "
                                           f"{time.monotonic() - started:.1f} s")
    latest = max(closed_after.values())
    check(latest < 4.5, f"the last slow client was closed after {latest:.1f} s")
    check(answered == 0, f"{answered} slow clients got an answer")
    return {"closed_after_s": [round(min(closed_after.values()), 1), round(latest, 1)], "bytes_sent": sent}


@attack()
def http_limits(ctx, server):
    # Proves the HTTP listener refuses what RFC 9110/9112 let a server refuse, with the status a
    # client can act on: 414 for a 10 KiB request line, 431 for 20 KiB of headers, 413 (JSON code
    # 1011) for a body over 64 KiB, 400 for a WebSocket upgrade with a bad Sec-WebSocket-Key; and
    # a WebSocket text frame that is not UTF-8 is closed with 1007.
    port = server.http_port
    status, _, _ = http_raw(port, b"GET /healthz?" + b"a" * 10240 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check(status == 414, f"10 KiB request line: {status}, expected 414")
    headers = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"h" * 1000) for i in range(20))
    status, _, _ = http_raw(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    check(status == 431, f"20 KiB of headers: {status}, expected 431")
    status, _, body = server.http("POST", f"/api/v1/rooms/{ATTACK_ROOM}/danmaku", body="x" * (64 * 1024 + 1),
                                  headers={"Authorization": f"Bearer {ctx.tokens['main']}"})
    check(status == 413 and json.loads(body).get("code") == 1011, f"64 KiB + 1 body: {status} {body[:100]!r}")
    status, _, _ = http_raw(port, upgrade_request(port, key="not-a-valid-key"))
    check(status == 400, f"upgrade with an invalid Sec-WebSocket-Key: {status}, expected 400")
    conn = authed(server, "ws", ctx.address(19))
    conn.send_raw(ws_frame(WS_TEXT, packet(OP_HEARTBEAT, b"{\"x\":\"\xc3\"}")))
    expect_closed(conn, "ws", {1007}, ["1001 "])
    conn.close()

    # Methods a path does not serve are 405 with Allow; OPTIONS is a CORS preflight; the Bearer
    # scheme is case-insensitive (RFC 7235).
    def method_not_allowed(method, path):
        def run():
            status, headers, _ = server.http(method, path)
            check(status == 405 and "allow" in headers, f"{method} {path}: {status}, Allow {headers.get('allow')}")
        return run

    def preflight():
        status, headers, _ = server.http("OPTIONS", "/api/v1/rooms", headers={
            "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type"})
        check(status == 204 and "access-control-allow-methods" in headers,
              f"CORS preflight: {status}, Access-Control-Allow-Methods {headers.get('access-control-allow-methods')}")

    def lower_case_bearer():
        status, _, body = server.http("POST", f"/api/v1/rooms/{ATTACK_ROOM}/danmaku", body='{"msg":"bearer"}',
                                      headers={"Authorization": f"bearer {ctx.tokens['main']}"})
        check(status == 200, f"Authorization: bearer (lower case): {status} {body[:100]!r}")

    method_not_allowed("TRACE", "/healthz")()
    method_not_allowed("DELETE", "/metrics")()
    preflight()
    lower_case_bearer()
    return {}


@attack()
def asset_uploads(ctx, server):
    # Proves the asset library's upload path, the one route whose body may be 512 KiB, is no lever:
    # 300 strangers' uploads announcing 512 KiB (a viewer's token, a forged admin token, none), 8
    # at a time, are each refused with 413 (1011) from their header, before the body is read; and
    # 24 admin uploads of 512 KiB each (distinct images), 8 at a time, are all stored and served
    # back whole, while the polite client in another room keeps receiving.
    size = 512 * 1024
    header = (b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + b"IHDR" + (64).to_bytes(4, "big") +
              (64).to_bytes(4, "big") + b"\x08\x06\x00\x00\x00" + b"\0\0\0\0")

    def image(i):
        return header + i.to_bytes(4, "big") * ((size - len(header)) // 4)

    strangers = [{"Authorization": f"Bearer {ctx.tokens['main']}"},
                 {"Authorization": f"Bearer {forged_token(10, 'admin')}"}, {}]

    def stranger(i):
        status, _, body = http_call(server.http_port, "POST", f"/api/v1/admin/assets?name=s{i}", image(0),
                                    strangers[i % 3], ctx.address(26))
        return status, json.loads(body).get("code")

    refused = in_parallel(300, 8, stranger)
    wrong = [r for r in refused if r != (413, 1011)]
    check(not wrong, f"{len(wrong)} strangers' uploads not refused with 413/1011: {wrong[:3]}")
    admin = {"Authorization": f"Bearer {server.token(10, 'admin', 'adversarial-admin')}"}

    def upload(i):
        status, _, body = http_call(server.http_port, "POST", f"/api/v1/admin/assets?name=a{i}", image(i + 1),
                                    admin, ctx.address(27), timeout=15.0)
        return status, json.loads(body)

    stored = in_parallel(24, 8, upload)
    bad = [r for r in stored if not isinstance(r, tuple) or r[0] != 200 or not r[1]["data"]["created"]]
    check(not bad, f"{len(bad)} admin uploads not stored: {str(bad[:2])[:300]}")
    url = stored[0][1]["data"]["url"]
    status, headers, body = server.http("GET", url)
    check(status == 200 and len(body) == len(image(1)) and headers.get("x-content-type-options") == "nosniff",
          f"GET {url}: {status}, {len(body)} bytes")
    return {"refused": len(refused), "stored": len(stored)}


@attack()
def forged_tokens(ctx, server):
    # Proves forged tokens are refused one by one without disturbing anyone: 1,000 auths whose
    # token claims admin but is signed with another secret each get op 8
    # {"code":-101,"error":2002}, over TCP and WebSocket, 8 at a time.
    tokens = [forged_token(1000 + i, "admin") for i in range(1000)]
    source = ctx.address(20)

    def try_token(i):
        conn = Conn.open(server, ("tcp", "ws")[i % 2], source)
        try:
            return conn.auth({"roomid": ATTACK_ROOM, "protover": 0, "key": tokens[i]})
        finally:
            conn.close()

    started = time.monotonic()
    answers = in_parallel(len(tokens), 8, try_token)
    elapsed = time.monotonic() - started
    wrong = [a for a in answers if not (isinstance(a, dict) and a.get("code") == -101 and a.get("error") == 2002)]
    check(not wrong, f"{len(wrong)} forged tokens not refused with 2002, e.g. {wrong[:3]}")
    return {"refused": len(answers) - len(wrong), "seconds": round(elapsed, 2)}


def open_signed(app, body, nonce, secret=None, timestamp=None):
    """The headers of an open-platform request signed as blivedm signs it (PROTOCOL.md §2)."""
    headers = {
        "x-bili-accesskeyid": app["access_key_id"],
        "x-bili-content-md5": hashlib.md5(body.encode()).hexdigest(),
        "x-bili-signature-method": "HMAC-SHA256",
        "x-bili-signature-nonce": nonce,
        "x-bili-signature-version": "1.0",
        "x-bili-timestamp": str(int(time.time()) if timestamp is None else timestamp),
    }
    canonical = "\n".join(f"{name}:{headers[name]}" for name in sorted(headers))
    key = (secret if secret is not None else app["access_key_secret"]).encode()
    headers["Authorization"] = hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
    headers["Content-Type"] = "application/json"
    headers["Accept"] = "application/json"
    return headers


def open_app_and_code(server, name):
    """An approved app (its keys) and room 1's identity code, made with the operator CLI."""
    made = subprocess.run([server.binary, "open", "app", "create", "--config", server.config_path, "--data-dir",
                           server.data_dir, "--developer-uid", "7", "--name", name, "--approve"],
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    check(made.returncode == 0, f"barrage open app create failed: {made.stderr}")
    coded = subprocess.run([server.binary, "open", "code", "--config", server.config_path, "--data-dir",
                            server.data_dir, "--uid", "1"],
                           capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    check(coded.returncode == 0, f"barrage open code failed: {coded.stderr}")
    return json.loads(made.stdout), json.loads(coded.stdout)["code"]


@attack()
def open_platform_forgeries(ctx, server):
    # Proves the open platform's signed API refuses what an attacker can send without the app's
    # secret, each answered by its code, and that the security centre cuts a flood off by its
    # address while a polite game elsewhere keeps its answers: 2,000 starts from one address,
    # 16 at a time, half with unknown keys (4001) and half with a real key but a wrong secret
    # (4002), until the address passes its limit (100/s, burst 400) and every later call from it
    # is 4009 (banned for a minute), while a game started from another address heartbeats every
    # 100 ms and is answered 0 every time. Then, from a third address: a captured request
    # replayed (4004) and one from 20 minutes ago (4003); and, with the secret, identity codes
    # guessed: ten wrong ones are 7007, then the app is refused every start, the right code
    # included (4009).
    app, code = open_app_and_code(server, "attacked")
    flooder, polite, careful = ctx.address(21), ctx.address(24), ctx.address(25)
    start_body = json.dumps({"code": code, "app_id": app["app_id"]})

    def call(path, headers, body, source):
        status, _, reply = http_call(server.http_port, "POST", path, body=body, headers=headers, source=source)
        check(status == 200, f"{path} answered HTTP {status}, not 200")
        return json.loads(reply)

    def answer_code(headers, body=start_body, source=careful):
        return call("/v2/app/start", headers, body, source)["code"]

    started_game = call("/v2/app/start", open_signed(app, start_body, "polite-start"), start_body, polite)
    check(started_game["code"] == 0, f"the polite game's start: {started_game}")
    game_id = started_game["data"]["game_info"]["game_id"]
    beats, stop_beating = [], threading.Event()

    def beat():
        body = json.dumps({"game_id": game_id})
        while not stop_beating.is_set():
            beats.append(call("/v2/app/heartbeat", open_signed(app, body, f"beat{len(beats)}"), body, polite)["code"])
            stop_beating.wait(0.1)

    beating = threading.Thread(target=beat, daemon=True)
    beating.start()

    def forged(i):
        if i % 2 == 0:
            return answer_code(open_signed(dict(app, access_key_id=f"nobody{i}"), start_body, f"n{i}"), source=flooder)
        return answer_code(open_signed(app, start_body, f"f{i}", secret=f"guess{i}"), source=flooder)

    started = time.monotonic()
    try:
        codes = in_parallel(2000, 16, forged)
    finally:
        elapsed = time.monotonic() - started
        stop_beating.set()
        beating.join(10)
    wrong = [c for i, c in enumerate(codes) if c not in (4001 if i % 2 == 0 else 4002, 4009)]
    check(not wrong, f"{len(wrong)} forged starts not refused with 4001/4002/4009, e.g. {wrong[:3]}")
    answered = sum(1 for c in codes if c != 4009)
    check(answered <= 400 + 100 * elapsed + 16,
          f"{answered} forged starts from one address reached the signature check in {elapsed:.1f} s "
          f"(burst 400, 100/s)")
    check(codes.count(4009) > 0, "a flood of 2,000 forged starts from one address was never cut off")
    heartbeat = json.dumps({"game_id": game_id})
    banned = call("/v2/app/heartbeat", open_signed(app, heartbeat, "from-the-flooder"), heartbeat, flooder)
    check(banned["code"] == 4009 and "banned until" in banned["message"],
          f"a signed call from the banned address: {banned}")
    check(beats and all(c == 0 for c in beats), f"the polite game's heartbeats during the flood: {beats}")
    end_body = json.dumps({"app_id": app["app_id"], "game_id": game_id})
    ended = call("/v2/app/end", open_signed(app, end_body, "polite-end"), end_body, polite)
    check(ended["code"] == 0, f"the polite game's end: {ended}")

    captured = open_signed(app, heartbeat, "captured-once")
    first = http_call(server.http_port, "POST", "/v2/app/heartbeat", body=heartbeat, headers=captured,
                      source=careful)
    again = http_call(server.http_port, "POST", "/v2/app/heartbeat", body=heartbeat, headers=captured,
                      source=careful)
    check(json.loads(first[2])["code"] == 7003 and json.loads(again[2])["code"] == 4004,
          f"a replayed request: {first[2]!r} then {again[2]!r}")
    stale = open_signed(app, heartbeat, "stale", timestamp=int(time.time()) - 1200)
    check(answer_code(stale, heartbeat) == 4003, "a request from 20 minutes ago was not refused with 4003")

    def guess(i):
        body = json.dumps({"code": f"GUESS{i:09d}", "app_id": app["app_id"]})
        return answer_code(open_signed(app, body, f"g{i}"), body)

    guesses = [guess(i) for i in range(12)]
    check(guesses[:10] == [7007] * 10 and guesses[10:] == [4009, 4009], f"wrong identity codes: {guesses}")
    check(answer_code(open_signed(app, start_body, "right-code")) == 4009,
          "the right identity code was accepted after ten wrong ones")
    return {"forged": len(codes), "cut_off": codes.count(4009), "polite_heartbeats": len(beats),
            "seconds": round(elapsed, 2)}


@attack()
def open_game_keys(ctx, server):
    # Proves a game's long connection opens only with the key /v2/app/start gave, for its room,
    # while its game runs, each refusal an op 8 with its error, 8 connections at a time over TCP
    # and WebSocket: 600 keys with a guessed MAC (2002), 200 keys past 256 bytes (2002), 200 real
    # keys moved to another room (2005), 200 viewers asking for the open dialect without a game
    # (1000), and after /v2/app/end 90 auths with the ended game's key (3004; the key is real, so
    # these count against the address's joins, 20/s with a burst of 100, like any join).
    app, code = open_app_and_code(server, "keyed")
    source = ctx.address(22)
    body = json.dumps({"code": code, "app_id": app["app_id"]})
    _, _, reply = http_call(server.http_port, "POST", "/v2/app/start", body=body,
                            headers=open_signed(app, body, "start-keys"), source=source)
    started_game = json.loads(reply)
    check(started_game["code"] == 0, f"/v2/app/start: {reply!r}")
    auth_body = json.loads(started_game["data"]["websocket_info"]["auth_body"])
    game_id = started_game["data"]["game_info"]["game_id"]
    key = auth_body["key"]
    mac_at = key.rindex(".") + 1

    def guessed(i):
        return dict(auth_body, key=key[:mac_at] + f"{i:032x}")

    def oversized(i):
        return dict(auth_body, key=key + "0" * (300 + i))

    def moved(_):
        return dict(auth_body, roomid=999)

    def viewer(_):
        return {"roomid": ATTACK_ROOM, "protover": 0, "dialect": "open_platform"}

    def refused(make, count, error, address=source):
        def try_auth(i):
            conn = Conn.open(server, ("tcp", "ws")[i % 2], address)
            try:
                return conn.auth(make(i))
            finally:
                conn.close()

        answers = in_parallel(count, 8, try_auth)
        wrong = [a for a in answers if not (isinstance(a, dict) and a.get("code") == -101 and a.get("error") == error)]
        check(not wrong, f"{len(wrong)} of {count} auths not refused with {error}, e.g. {wrong[:3]}")
        return count

    started = time.monotonic()
    total = refused(guessed, 600, 2002) + refused(oversized, 200, 2002) + refused(moved, 200, 2005)
    total += refused(viewer, 200, 1000)
    end_body = json.dumps({"app_id": app["app_id"], "game_id": game_id})
    _, _, ended = http_call(server.http_port, "POST", "/v2/app/end", body=end_body,
                            headers=open_signed(app, end_body, "end-keys"), source=source)
    check(json.loads(ended)["code"] == 0, f"/v2/app/end: {ended!r}")
    # The end was posted to the room's home loop before the answer was sent, so every auth from
    # now on finds the game ended.
    total += refused(lambda _: auth_body, 90, 3004, ctx.address(23))
    return {"refused": total, "seconds": round(time.monotonic() - started, 2)}


@attack()
def like_storm(ctx, server):
    # Proves a like storm costs the room a few messages a second, not one per tap, and its
    # tappers no more than their cap: 200 signed-in viewers on 4 addresses each send 40 op 4
    # batches of 1,000 taps in one write (8 million taps in under a second or two); every batch
    # is answered, taps past 50 a second per user are answered as capped, and an anonymous
    # watcher in the room hears at most one LIKE_INFO_V3_UPDATE per 300 ms window.
    viewers, batches, taps, cap = 200, 40, 1000, 50
    tokens = [hs256_token(50_000 + i, "viewer", TOKEN_SECRET.encode(), f"tapper{i}") for i in range(viewers)]
    watcher = authed(server, "tcp", ctx.address(26))
    before = server.metric("barrage_like_taps_total")
    like = packet(OP_SEND, json.dumps({"type": "like", "count": taps}).encode())

    def tap(i):
        conn = authed(server, ("tcp", "ws")[i % 2], ctx.address(27 + i % 4), key=tokens[i])
        try:
            conn.send(like * batches)
            accepted = capped = answered = 0
            deadline = time.monotonic() + 10
            while answered < batches:
                event = conn.next_event(deadline)
                check(event[0] == "packets", f"tapper {i}: {event} after {answered} answers")
                for _, operation, _, body in event[1]:
                    if operation == OP_SEND_REPLY:
                        reply = json.loads(body)
                        check(reply.get("code") == 0, f"tapper {i}: {reply}")
                        accepted += reply["data"]["accepted"]
                        capped += reply["data"]["capped"]
                        answered += 1
            return accepted, capped
        finally:
            conn.close()

    started = time.monotonic()
    results = in_parallel(viewers, 16, tap)
    elapsed = time.monotonic() - started
    failed = [r for r in results if not isinstance(r, tuple)]
    check(not failed, f"{len(failed)} tappers failed, e.g. {failed[:2]}")
    accepted = sum(a for a, _ in results)
    capped = sum(c for _, c in results)
    check(accepted + capped == viewers * batches * taps, f"{accepted} accepted + {capped} capped")
    # Each tapper's batches came within a second or two: at most its cap per started second.
    allowed = viewers * cap * (math.ceil(elapsed) + 1)
    check(0 < accepted <= allowed, f"{accepted} taps accepted, at most {allowed} allowed")
    # Every accepted tap reaches the total, and the watcher hears it in a handful of updates.
    total = before + accepted
    updates = 0
    deadline = time.monotonic() + 5
    seen_total = 0
    while seen_total < total:
        event = watcher.next_event(deadline)
        check(event[0] == "packets", f"watcher: {event}, last total {seen_total} of {total}")
        for _, operation, _, body in event[1]:
            if operation == OP_MESSAGE and b"LIKE_INFO_V3_UPDATE" in body:
                updates += 1
                seen_total = json.loads(body)["data"]["click_count"]
    heard_s = time.monotonic() - started
    check(updates <= heard_s / 0.3 + 2, f"{updates} updates in {heard_s:.1f} s of 300 ms windows")
    watcher.close()
    return {"taps_sent": viewers * batches * taps, "accepted": accepted, "capped": capped,
            "updates": updates, "seconds": round(elapsed, 2)}


@attack()
def stalled_readers(ctx, server):
    # Proves viewers that stop reading in a busy room cost the server a bounded queue each and
    # nothing else: 100 connections (TCP and WebSocket, 4 KiB receive buffers) join the attacked
    # room and never read while the bot publishes 3,000 danmaku there (about 1.2 MB for each of
    # them). Each one's writes wait for its full socket, which caps what the kernel keeps of it
    # unsent (connection.behind_unsent_bytes); the rest is shed in the outbound queue or, past
    # connection.outbound_bytes_max, the connection is closed. Every danmaku is still answered.
    readers, messages, window = 100, 3000, 100
    before = {name: server.metric(name) for name in
              ("barrage_writes_waited_total", "barrage_shed_sampled_total", "barrage_outbound_overflow_total")}
    stalled = []
    try:
        for i in range(readers):
            conn = authed(server, ("tcp", "ws")[i % 2], ctx.address(39 + i % 2))
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            stalled.append(conn)
        bot = authed(server, "tcp", ctx.address(41), key=ctx.tokens["main"])
        text = "stalled " + "x" * 90
        for start in range(1, messages + 1, window):
            bot.send(b"".join(packet(OP_SEND, json.dumps({"msg": text}), sequence=k)
                              for k in range(start, start + window)))
            answered = 0
            deadline = time.monotonic() + 10
            while answered < window:
                event = bot.next_event(deadline)
                check(event[0] == "packets", f"publishing: {event} after {start - 1 + answered} answers")
                for _, operation, _, answer in event[1]:
                    if operation == OP_SEND_REPLY:
                        check(json.loads(answer).get("code") == 0, f"publishing: {answer!r}")
                        answered += 1
        bot.close()
    finally:
        for conn in stalled:
            conn.close()
    rose = {name: server.metric(name) - value for name, value in before.items()}
    check(rose["barrage_writes_waited_total"] >= readers,
          f"writes waited {rose['barrage_writes_waited_total']} times for {readers} stalled readers")
    check(rose["barrage_shed_sampled_total"] + rose["barrage_outbound_overflow_total"] > 0,
          f"nothing was shed or closed for the stalled readers: {rose}")
    return {"readers": readers, "messages": messages, **rose}


@attack()
def moderation_storm(ctx, server):
    # Proves the moderation routes bound what their callers can make the server do: the attacked
    # room's host mutes 2,000 users as fast as 8 connections allow (each one home-loop turn and
    # one stored row, all answered), asks 30 times for a 400-regex word list to be compiled (3 are
    # compiled, the rest answered 3002 at once: compiling costs the store thread seconds), and 200
    # viewers follow and unfollow; a viewer's attempt to mute is refused. The polite client in
    # another room keeps receiving throughout.
    host = hs256_token(1, "viewer", TOKEN_SECRET.encode(), "host")
    auth = {"Authorization": f"Bearer {host}", "Content-Type": "application/json"}

    def answer(status_headers_body):
        return json.loads(status_headers_body[2])

    def mute(i):
        body = json.dumps({"uid": 100_000 + i, "for_s": 600, "reason": "storm"})
        return answer(http_call(server.http_port, "POST", f"/api/v1/rooms/{ATTACK_ROOM}/mutes", body=body,
                                headers=auth, source=ctx.address(30)))["code"]

    started = time.monotonic()
    muted = in_parallel(2000, 8, mute)
    check(all(code == 0 for code in muted), f"mutes not all answered 0: {[c for c in muted if c != 0][:5]}")
    words = json.dumps({"entries": [{"pattern": f"w{i}[a-z]{{1,3}}x", "regex": True} for i in range(400)]})

    def replace(_):
        return answer(http_call(server.http_port, "PUT", f"/api/v1/rooms/{ATTACK_ROOM}/words", body=words,
                                headers=auth, source=ctx.address(31), timeout=30.0))["code"]

    replaced = in_parallel(30, 4, replace)
    compiled = sum(1 for code in replaced if code == 0)
    check(all(code in (0, 3002) for code in replaced), f"word list answers: {replaced}")
    compile_s = time.monotonic() - started
    check(1 <= compiled <= 3 + compile_s / 10 + 1, f"{compiled} lists compiled in {compile_s:.1f} s")

    def follow(i):
        viewer = hs256_token(60_000 + i, "viewer", TOKEN_SECRET.encode(), f"fan{i}")
        headers = {"Authorization": f"Bearer {viewer}"}
        path = f"/api/v1/rooms/{ATTACK_ROOM}/follow"
        first = answer(http_call(server.http_port, "PUT", path, headers=headers, source=ctx.address(32)))["code"]
        second = answer(http_call(server.http_port, "DELETE", path, headers=headers, source=ctx.address(32)))["code"]
        return first, second

    follows = in_parallel(200, 8, follow)
    check(all(f == (0, 0) for f in follows), f"follows: {[f for f in follows if f != (0, 0)][:5]}")
    viewer = hs256_token(70_000, "viewer", TOKEN_SECRET.encode(), "nobody")
    refused = answer(http_call(server.http_port, "POST", f"/api/v1/rooms/{ATTACK_ROOM}/mutes",
                               body=json.dumps({"uid": 3}),
                               headers={"Authorization": f"Bearer {viewer}"}, source=ctx.address(32)))
    check(refused["code"] == 2005, f"a viewer's mute: {refused}")
    return {"mutes": len(muted), "lists_compiled": compiled, "lists_refused": len(replaced) - compiled,
            "follows": 2 * len(follows), "seconds": round(time.monotonic() - started, 2)}


@attack()
def bot_storm(ctx, server):
    # Proves the bots' input paths bound what their callers can make the server do. The attacked
    # room's host asks 30 times for bot rules with 20 regexes and 50 triggers to be compiled (3
    # compile, the rest answer 3002 at once), then sets 50 always-matching replies with no
    # cool-down and a welcome; 200 viewers then enter and send danmaku that match every rule
    # (each message gets one reply at most, and viewers stay inside their own rate); a bot token
    # for the attacked room floods system notices and replies, some with 10,000-byte names
    # (refused), and is refused in the polite room; a viewer's system notice is refused. (This
    # server's bot rate is raised for the load-generating attacks; the bot rate itself is tested
    # in integration_bots_test.) The polite client in another room keeps receiving throughout.
    host = hs256_token(1, "viewer", TOKEN_SECRET.encode(), "host")
    auth = {"Authorization": f"Bearer {host}", "Content-Type": "application/json"}
    path = f"/api/v1/rooms/{ATTACK_ROOM}/bots"

    def answer(status_headers_body):
        return json.loads(status_headers_body[2])

    heavy = json.dumps({"replies": [{"match": "regex" if i < 20 else "contains",
                                     "pattern": f"(a|b|c)*[0-9]{{2,40}}x{i}(y|z){{1,20}}" if i < 20 else f"k{i}",
                                     "reply": "r", "cooldown_s": 0} for i in range(50)]})

    def replace(_):
        return answer(http_call(server.http_port, "PUT", path, body=heavy, headers=auth, source=ctx.address(33),
                                timeout=30.0))["code"]

    started = time.monotonic()
    replaced = in_parallel(30, 4, replace)
    compiled = sum(1 for code in replaced if code == 0)
    check(all(code in (0, 3002) for code in replaced), f"bot rule answers: {replaced}")
    check(1 <= compiled <= 3 + (time.monotonic() - started) / 10 + 1, f"{compiled} rule sets compiled")

    # The host's replacements are spent; an admin (a limit of their own) sets the rules under attack.
    admin = hs256_token(11, "admin", TOKEN_SECRET.encode(), "admin")
    rules = json.dumps({"welcome": {"text": "hi {name}", "user_cooldown_s": 0, "gap_s": 1},
                        "replies": [{"pattern": "a", "reply": f"reply {i} to {{name}}", "cooldown_s": 0}
                                    for i in range(50)]})
    code = answer(http_call(server.http_port, "PUT", path, body=rules,
                            headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"},
                            source=ctx.address(33)))["code"]
    check(code == 0, f"the attack's rules were not set: {code}")

    def chat(i):
        viewer = hs256_token(80_000 + i, "viewer", TOKEN_SECRET.encode(), "v" * 16)
        headers = {"Authorization": f"Bearer {viewer}", "Content-Type": "application/json"}
        codes = []
        for _ in range(6):
            codes.append(answer(http_call(server.http_port, "POST", f"/api/v1/rooms/{ATTACK_ROOM}/danmaku",
                                          body=json.dumps({"msg": "aaaa"}), headers=headers,
                                          source=ctx.address(34)))["code"])
        return codes

    chats = in_parallel(200, 8, chat)
    sent = sum(c.count(0) for c in chats)
    check(all(code in (0, 3002) for c in chats for code in c), f"chat answers: {chats[:3]}")
    check(sent <= 200 * 5, f"{sent} danmaku accepted from 200 viewers with a burst of 5")
    bots = json.loads(http_call(server.http_port, "GET", path, headers=auth, source=ctx.address(33))[2])["data"]
    replies = bots["counters"]["replies"]
    check(replies <= sent, f"{replies} replies to {sent} danmaku: more than one reply per message")

    bot = hs256_token(90_000, "bot", TOKEN_SECRET.encode(), "helper", {"room": ATTACK_ROOM})
    bot_headers = {"Authorization": f"Bearer {bot}", "Content-Type": "application/json"}

    def notice(i):
        body = ({"type": "system", "msg": "n" * 100} if i % 2 == 0
                else {"msg": "x", "reply_to": {"uid": 3, "name": "n" * (10 if i % 4 == 1 else 10_000)}})
        return answer(http_call(server.http_port, "POST", f"/api/v1/rooms/{ATTACK_ROOM}/messages",
                                body=json.dumps(body), headers=bot_headers, source=ctx.address(35)))["code"]

    notices = in_parallel(400, 8, notice)
    accepted = notices.count(0)
    check(all(code in (0, 1000, 3002) for code in notices), f"bot answers: {sorted(set(notices))}")
    check(notices[3::4].count(1000) == len(notices[3::4]), "a reply name of 10,000 bytes was not refused")
    elsewhere = answer(http_call(server.http_port, "POST", f"/api/v1/rooms/{POLITE_ROOM}/danmaku",
                                 body=json.dumps({"msg": "hi"}), headers=bot_headers, source=ctx.address(35)))
    check(elsewhere["code"] == 2005, f"the room's bot token in another room: {elsewhere}")
    viewer = hs256_token(70_001, "viewer", TOKEN_SECRET.encode(), "nobody")
    refused = answer(http_call(server.http_port, "POST", f"/api/v1/rooms/{ATTACK_ROOM}/messages",
                               body=json.dumps({"type": "system", "msg": "fake"}),
                               headers={"Authorization": f"Bearer {viewer}", "Content-Type": "application/json"},
                               source=ctx.address(35)))
    check(refused["code"] == 2005, f"a viewer's system notice: {refused}")
    return {"rule_sets_compiled": compiled, "rule_sets_refused": len(replaced) - compiled, "danmaku": sent,
            "replies": replies, "bot_messages_accepted": accepted, "seconds": round(time.monotonic() - started, 2)}


@attack()
def console_storm(ctx, server):
    # Proves the routes the web consoles added this far bound what their callers can make the
    # server do: 30 admins' requests at once to verify the ledger (each reads the whole journal:
    # 3 run, the rest answer 3002 at once); the attacked room's host filing 40 feedback reports
    # of 1,000 bytes (5 written, then 3002) and one of 1,001 bytes (1000); viewers reading the
    # room's chat modes and running games, starting test games and reading another app's
    # statistics and bills (all refused); the demo log-in, absent from a configured server. The
    # polite client in another room keeps receiving throughout.
    def answer(status_headers_body):
        return json.loads(status_headers_body[2])

    def with_token(token):
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    started = time.monotonic()
    admin = hs256_token(11, "admin", TOKEN_SECRET.encode(), "admin")

    def verify(_):
        return answer(http_call(server.http_port, "POST", "/api/v1/admin/ledger/verify", body="",
                                headers=with_token(admin), source=ctx.address(36), timeout=30.0))["code"]

    verified = in_parallel(30, 6, verify)
    ran = verified.count(0)
    check(all(code in (0, 3002) for code in verified), f"ledger verify answers: {sorted(set(verified))}")
    check(1 <= ran <= 3 + (time.monotonic() - started) / 10 + 1, f"{ran} ledger verifications ran")

    host = hs256_token(1, "viewer", TOKEN_SECRET.encode(), "host")
    apps = answer(http_call(server.http_port, "GET", "/api/v1/open/review", headers=with_token(admin),
                            source=ctx.address(36)))
    # The host becomes a developer with an app of their own, which their reports are about.
    http_call(server.http_port, "PUT", "/api/v1/open/developers/1", body=json.dumps({"reason": "attack"}),
              headers=with_token(admin), source=ctx.address(36))
    made = answer(http_call(server.http_port, "POST", "/api/v1/open/apps", body=json.dumps({"name": "storm"}),
                            headers=with_token(host), source=ctx.address(36)))
    check(made["code"] == 0, f"the attack's app: {made}")
    app_id = made["data"]["app_id"]

    def report(i):
        return answer(http_call(server.http_port, "POST", f"/api/v1/open/apps/{app_id}/feedback",
                                body=json.dumps({"room": ATTACK_ROOM, "text": "f" * 1000}), headers=with_token(host),
                                source=ctx.address(37)))["code"]

    feedback_started = time.monotonic()
    reports = in_parallel(40, 4, report)
    written = reports.count(0)
    check(all(code in (0, 3002) for code in reports), f"feedback answers: {sorted(set(reports))}")
    check(1 <= written <= 5 + (time.monotonic() - feedback_started) / 60 + 1, f"{written} feedback reports written")
    too_long = answer(http_call(server.http_port, "POST", f"/api/v1/open/apps/{app_id}/feedback",
                                body=json.dumps({"room": ATTACK_ROOM, "text": "f" * 1001}), headers=with_token(host),
                                source=ctx.address(37)))["code"]
    check(too_long == 1000, f"a 1,001-byte report: {too_long}")

    viewer = hs256_token(70_002, "viewer", TOKEN_SECRET.encode(), "nobody")
    refused = []
    for method, path, body in [("GET", f"/api/v1/rooms/{ATTACK_ROOM}/chat-modes", None),
                               ("GET", f"/api/v1/rooms/{ATTACK_ROOM}/games", None),
                               ("POST", f"/api/v1/open/apps/{app_id}/test-game", json.dumps({"room": ATTACK_ROOM})),
                               ("GET", f"/api/v1/open/apps/{app_id}/stats", None),
                               ("GET", f"/api/v1/open/apps/{app_id}/bills", None)]:
        for _ in range(20):
            status, _, text = http_call(server.http_port, method, path, body=body, headers=with_token(viewer),
                                        source=ctx.address(38))
            refused.append((path, status, json.loads(text)["code"]))
    check(all(status in (403, 404) for _, status, _ in refused), f"a viewer's console reads: {refused[:3]}")
    demo = http_call(server.http_port, "POST", "/api/v1/demo/login", body=json.dumps({"uid": 11}),
                     headers={"Content-Type": "application/json"}, source=ctx.address(38))
    check(demo[0] == 404, f"the demo log-in on a configured server: {demo[0]}")
    return {"verifications_ran": ran, "verifications_refused": len(verified) - ran, "reports_written": written,
            "review_queue": len(apps.get("data", {}).get("apps", [])), "viewer_refusals": len(refused),
            "seconds": round(time.monotonic() - started, 2)}


# --- The runner ----------------------------------------------------------------------------------

def run_attack(ctx, name, function, kind, setup):
    """One attempt: polite client up, attack, polite client down, then every check."""
    server = ctx.server(kind)
    if setup is not None:
        setup(ctx, server)
    server_waits = ServerWaits(server.proc.pid)
    server_waits.start()
    polite = Polite(os.path.abspath(__file__), server, ctx.tokens[kind])
    machine_before, server_cpu_before = machine_cpu(), server.cpu_s()
    started = time.monotonic()
    ctx.marks = [(started, "attack")]
    outcome = {}

    def attacker():
        # Attack code runs at a lower priority than the server and the polite client (Linux nice
        # values are per thread; threads it starts inherit it): on a real network the attacker's
        # CPU is not the server's, while here they share two cores.
        try:
            os.nice(ATTACK_NICE)
        except OSError:
            pass
        try:
            outcome["figures"] = function(ctx, server) or {}
        except Failure as error:
            outcome["failure"] = str(error)
        except Exception as error:  # noqa: BLE001 - a harness error fails this attack, with its text
            outcome["failure"] = f"harness error: {error!r}"

    attacking = threading.Thread(target=attacker, name=name, daemon=True)
    attacking.start()
    attacking.join(ATTACK_TIMEOUT_S)
    if attacking.is_alive():
        outcome["failure"] = f"the attack did not finish in {ATTACK_TIMEOUT_S} s"
    seconds = time.monotonic() - started
    machine_after = machine_cpu()
    server_cpu_after = server.cpu_s() if server.alive() else server_cpu_before
    ctx.mark("after the attack")
    time.sleep(POLITE_TAIL_S)  # what an attack leaves behind shows in the polite client too
    report = polite.stop()
    server_waits.stop()

    failures = [outcome["failure"]] if "failure" in outcome else []
    window = report.pop("gap_window", [0.0, 0.0])
    report["max_gap_phase"] = ctx.phase_at(window[1])
    report["server_wait_in_gap_ms"] = round(server_waits.timeline.worst_in(*window), 1)
    report["cpu_stall_in_gap_ms"] = round(ctx.probe.stall_in(*window), 1)
    gap_failure = None
    if report.get("max_gap_ms", float("inf")) >= GAP_MAX_MS:
        gap_failure = (f"polite client: largest gap {report.get('max_gap_ms')} ms ({report['max_gap_phase']}; "
                       f"limit {GAP_MAX_MS:.0f} ms); in that gap a CPU was late for the probe "
                       f"{report['cpu_stall_in_gap_ms']} ms, the server's busiest thread waited for one "
                       f"{report['server_wait_in_gap_ms']} ms and the polite client's "
                       f"{report.get('polite_wait_in_gap_ms')} ms")
        failures.append(gap_failure)
    if report.get("missing_count") or report.get("holes") or report.get("unanswered"):
        failures.append(f"polite client lost messages: {report}")
    failures += [f"polite client: {error}" for error in report.get("errors", [])]
    if not server.alive():
        failures.append(f"the server exited ({server.proc.returncode})")
    elif server.healthz_within(5.0) is None:
        failures.append("GET /healthz did not answer 200 within 5 s")
    busy, total = machine_after[0] - machine_before[0], machine_after[1] - machine_before[1]
    return {"name": name, "failures": failures, "figures": outcome.get("figures", {}), "polite": report,
            "seconds": seconds, "machine_busy": f"{busy / total:.0%}" if total >= 20 else "n/a",
            "server_cpu_s": server_cpu_after - server_cpu_before,
            "machine_explains_gap": gap_failure is not None and failures == [gap_failure] and
            machine_wait_ms(report) >= report["max_gap_ms"] - GAP_MAX_MS}


def machine_wait_ms(report):
    """How long the test machine withheld a CPU during the worst gap: the most of what the probe
    saw on any one CPU, the longest run-queue wait of a server thread and that of a polite
    thread. Each alone is time the message could not move for reasons outside the server."""
    return max(report.get("cpu_stall_in_gap_ms", 0.0), report.get("server_wait_in_gap_ms", 0.0),
               report.get("polite_wait_in_gap_ms", 0.0))


def machine_cpu():
    """(busy, total) jiffies of all CPUs together, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:8]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def describe(result):
    polite = result["polite"]
    return (f"{result['name']}: {'ok' if not result['failures'] else 'FAILED'} in {result['seconds']:.1f} s; "
            f"polite gap {polite.get('max_gap_ms')} ms ({polite.get('max_gap_phase')}; machine in it: CPU late "
            f"{polite.get('cpu_stall_in_gap_ms')} ms, server waited {polite.get('server_wait_in_gap_ms')} ms, polite "
            f"{polite.get('polite_wait_in_gap_ms')} ms), latency "
            f"{polite.get('max_latency_ms')} ms, publisher late {polite.get('max_publish_late_ms')} ms, "
            f"{polite.get('delivered')} delivered; machine {result['machine_busy']} busy, server "
            f"{result['server_cpu_s']:.2f} s CPU; "
            f"{json.dumps(result['figures'])}")


def main():
    if "--polite" in sys.argv:
        parser = argparse.ArgumentParser()
        parser.add_argument("--polite", action="store_true")
        parser.add_argument("--http-port", type=int, required=True)
        parser.add_argument("--tcp-port", type=int, required=True)
        parser.add_argument("--token", required=True)
        PoliteClient(parser.parse_args()).run()
        return 0

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("barrage")
    parser.add_argument("payloads", help="the attack_payloads helper")
    parser.add_argument("probe", help="the cpu_probe helper")
    parser.add_argument("--only", default="", help="comma-separated attack names")
    parser.add_argument("--keep", action="store_true", help="keep the servers' directories")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    unknown = only - {name for name, *_ in ATTACKS}
    if unknown:
        parser.error(f"unknown attacks: {sorted(unknown)}")
    # Enough descriptors for the exhaustion attack's ~1,000 client sockets.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 4096), hard), hard))

    work = tempfile.mkdtemp(prefix="barrage-adversarial-")
    ctx = Context(args, work)
    results = []
    reruns = []
    suite_started = time.monotonic()
    ctx.probe = MachineProbe(args.probe, work)
    try:
        ctx.prepare_payloads()
        for name, function, kind, setup in ATTACKS:
            if only and name not in only:
                continue
            for attempt in range(MACHINE_RERUNS_MAX + 1):
                ctx.attempt = attempt
                try:
                    result = run_attack(ctx, name, function, kind, setup)
                except (RuntimeError, OSError, Failure) as error:  # the server or polite client did not start
                    result = {"name": name, "failures": [f"harness error: {error!r}"], "figures": {}, "polite": {},
                              "seconds": 0.0, "machine_busy": "n/a", "server_cpu_s": 0.0,
                              "machine_explains_gap": False}
                log(describe(result))
                for failure in result["failures"]:
                    log(f"  FAIL: {failure}")
                if not result["machine_explains_gap"] or attempt == MACHINE_RERUNS_MAX:
                    break
                reruns.append(f"{name}: gap {result['polite']['max_gap_ms']} ms, machine wait "
                              f"{machine_wait_ms(result['polite'])} ms")
                log(f"  the test machine withheld the CPU for {machine_wait_ms(result['polite'])} ms of that gap, "
                    f"which is what took it over the limit: running {name} again")
            results.append(result)
    finally:
        ctx.probe.stop()
        for server in ctx.servers.values():
            code = server.stop()
            if code != 0:
                results.append({"name": f"{server.name} shutdown", "failures": [f"serve exited {code}"]})
    for rerun in reruns:
        log(f"rerun because of the test machine: {rerun}")
    failed = [r for r in results if r["failures"]]
    log(f"adversarial suite: {len(results) - len(failed)} of {len(results)} passed in "
        f"{time.monotonic() - suite_started:.0f} s ({len(reruns)} reruns)")
    if failed or args.keep:
        log(f"server directories kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
