#!/usr/bin/python3
"""Events per second pushed to open-platform games: G game sessions in each of R rooms (started
with signed /v2/app/start calls, each connected C times on the TCP port with its auth_body,
protover 2), while one bot per room publishes danmaku at a fixed rate. Each danmaku reaches every game of its
room as LIVE_OPEN_PLATFORM_DM; the script counts them and their latency from a marker in the
text. Loopback only, bounded counts and time.

    bench/open_game_fanout.py --barrage build/ci/src/app/barrage --data-dir D [--config F] \
        --http-port 8080 --tcp-port 2243 [--rooms 100] [--games-per-room 5] \
        [--connections-per-game 2] [--rate-per-room 10] [--seconds 10] [--first-room 1000]

A room runs one app's games, at most 5 at once (7002, 7010, as on Bilibili): 1,000 game
connections in 100 rooms are 5 sessions per room with 2 connections each (a game may hold
several, as blivedm does while it reconnects), or 200 rooms of 5 with one each.

It needs a running `barrage serve` on D whose [open_limits] and [security] join limits let
1,000 starts and joins from loopback through (docs/PERFORMANCE.md shows the configuration). It
makes what it needs with the server's own tools: tokens (`barrage token`), an approved app
(`barrage open app create`), rooms R.. hosted by one user (POST /api/v1/rooms) and their identity codes (GET /api/v1/rooms/{id}/open/code).
Prints one JSON line. The game connections are read by --workers processes (default 2). The
client is Python on the same two cores as the server: the figures are a floor, and the line
says how busy the server was (its CPU seconds, with --server-pid)."""
import argparse, asyncio, json, multiprocessing, os, struct, subprocess, time, zlib

import aiohttp

from open_signing import signed

HEADER = struct.Struct(">IHHII")
OP_HEARTBEAT, OP_SEND, OP_MESSAGE, OP_AUTH, OP_AUTH_REPLY = 2, 4, 5, 7, 8
HOST_UID, BOT_UID, ADMIN_UID = 900_001, 900_002, 900_003


def packet(operation, body):
    data = body.encode()
    return HEADER.pack(HEADER.size + len(data), HEADER.size, 1, operation, 1) + data


async def read_packet(reader):
    header = await reader.readexactly(HEADER.size)
    length, header_length, protover, operation, _ = HEADER.unpack(header)
    return protover, operation, await reader.readexactly(length - header_length)


def inner_bodies(protover, body):
    """The op 5 bodies of one packet: a zlib batch holds plain packets."""
    if protover != 2:
        yield body
        return
    data = zlib.decompress(body)
    offset = 0
    while offset + HEADER.size <= len(data):
        length, header_length, _, operation, _ = HEADER.unpack_from(data, offset)
        if operation == OP_MESSAGE:
            yield data[offset + header_length:offset + length]
        offset += length


async def connect(port, auth_body, source):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    writer.write(packet(OP_AUTH, auth_body))
    while True:
        _, operation, body = await read_packet(reader)
        if operation == OP_AUTH_REPLY:
            if json.loads(body).get("code") != 0:
                raise SystemExit(f"auth refused: {body}")
            return reader, writer


def receive_games(port, auth_bodies, index, ready, stop, results):
    """A worker process: connects its share of the game connections, waits for the start, then
    counts LIVE_OPEN_PLATFORM_DM carrying a marker and their latency until told to stop."""
    marker = b'"msg":"LG'

    async def run():
        connections = [await connect(port, body, f"127.0.0.{1 + (index + 2 * i) % 8}")
                       for i, body in enumerate(auth_bodies)]
        await asyncio.get_running_loop().run_in_executor(None, ready.wait)
        delivered, latencies = [0], []

        async def receive(reader):
            while not stop.is_set():
                try:
                    protover, operation, body = await asyncio.wait_for(read_packet(reader), 0.5)
                except asyncio.TimeoutError:
                    continue
                if operation != OP_MESSAGE:
                    continue
                now = time.monotonic_ns()
                for inner in inner_bodies(protover, body):
                    at = inner.find(marker)
                    if at >= 0:
                        sent_ns = int(inner[at + len(marker):inner.index(b":", at + len(marker))])
                        delivered[0] += 1
                        latencies.append(now - sent_ns)

        await asyncio.gather(*(receive(reader) for reader, _ in connections))
        for _, writer in connections:
            writer.close()
        # A sample of the latencies is enough for percentiles, and keeps the queue small.
        step = max(1, len(latencies) // 20000)
        results.put((delivered[0], latencies[::step]))

    asyncio.run(run())


def cli(args, *words):
    command = [args.barrage, *words, "--data-dir", args.data_dir]
    if args.config:
        command += ["--config", args.config]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def server_cpu_s(pid):
    if not pid:
        return None
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--barrage", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--config")
    parser.add_argument("--http-port", type=int, default=8080)
    parser.add_argument("--tcp-port", type=int, default=2243)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--games-per-room", type=int, default=5)
    parser.add_argument("--connections-per-game", type=int, default=2)
    parser.add_argument("--rate-per-room", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--first-room", type=int, default=1000)
    parser.add_argument("--server-pid", type=int)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not 1 <= args.rooms <= 500 or not 1 <= args.games_per_room <= 5 or not 0 < args.seconds <= 60:
        raise SystemExit("--rooms 1..500, --games-per-room 1..5, --seconds up to 60")
    if not 1 <= args.connections_per_game <= 10:
        raise SystemExit("--connections-per-game 1..10")
    per_room = args.games_per_room * args.connections_per_game
    if args.rooms * per_room > 5000:
        raise SystemExit("at most 5,000 game connections")

    admin = cli(args, "token", "--uid", str(ADMIN_UID), "--role", "admin")
    host = cli(args, "token", "--uid", str(HOST_UID), "--name", "bench-host", "--role", "host")
    bot = cli(args, "token", "--uid", str(BOT_UID), "--name", "bench-bot", "--role", "bot")
    app = json.loads(cli(args, "open", "app", "create", "--developer-uid", str(HOST_UID),
                         "--name", f"bench game {os.getpid()}", "--approve"))
    base = f"http://127.0.0.1:{args.http_port}"
    rooms = list(range(args.first_room, args.first_room + args.rooms))
    games = []  # (room, auth_body)
    async with aiohttp.ClientSession() as session:
        auth = {"Authorization": f"Bearer {admin}"}
        for room in rooms:
            async with session.post(base + "/api/v1/rooms", json={"id": room, "host": HOST_UID}, headers=auth) as r:
                answer = await r.json()
                if answer["code"] not in (0, 3001):  # 3001: the room exists from an earlier run
                    raise SystemExit(f"room {room}: {answer}")
            async with session.get(f"{base}/api/v1/rooms/{room}/open/code",
                                   headers={"Authorization": f"Bearer {host}"}) as r:
                code = (await r.json())["data"]["code"]
            for _ in range(args.games_per_room):
                body = json.dumps({"code": code, "app_id": app["app_id"]})
                headers = signed(app["access_key_id"], app["access_key_secret"], body)
                async with session.post(base + "/v2/app/start", data=body, headers=headers) as r:
                    started = await r.json()
                if started["code"] != 0:
                    raise SystemExit(f"start in room {room}: {started}")
                games += [(room, started["data"]["websocket_info"]["auth_body"])] * args.connections_per_game

    # The game connections are read by worker processes (one asyncio loop each), so the client's
    # JSON-free scanning is not held to one core; the publishers stay here.
    workers = []
    ready = multiprocessing.Barrier(args.workers + 1)
    stop = multiprocessing.Event()
    results = multiprocessing.Queue()
    for w in range(args.workers):
        share = [auth_body for i, (_, auth_body) in enumerate(games) if i % args.workers == w]
        worker = multiprocessing.Process(target=receive_games,
                                         args=(args.tcp_port, share, w, ready, stop, results))
        worker.start()
        workers.append(worker)
    publishers = {}
    for room in rooms:
        publishers[room] = await connect(args.tcp_port, json.dumps({"roomid": room, "key": bot, "protover": 0}),
                                         "127.0.0.9")
    await asyncio.get_running_loop().run_in_executor(None, ready.wait)

    async def drain(reader):
        while True:
            await read_packet(reader)

    async def publish(room):
        _, writer = publishers[room]
        interval = 1.0 / args.rate_per_room
        next_at = start + interval * (room - args.first_room) / args.rooms
        published = 0
        while next_at < deadline:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            text = f"LG{time.monotonic_ns()}:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            writer.write(packet(OP_SEND, json.dumps({"msg": text})))
            published += 1
            next_at += interval
        return published

    drains = [asyncio.create_task(drain(reader)) for reader, _ in publishers.values()]
    cpu_before = server_cpu_s(args.server_pid)
    start = time.monotonic()
    deadline = start + args.seconds
    published = sum(await asyncio.gather(*(publish(room) for room in rooms)))
    elapsed = time.monotonic() - start
    await asyncio.sleep(2.0)  # late deliveries
    cpu_after = server_cpu_s(args.server_pid)
    stop.set()
    delivered, latencies = 0, []
    for _ in workers:
        count, sample = results.get()
        delivered += count
        latencies += sample
    for worker in workers:
        worker.join()
    for task in drains:
        task.cancel()
    for _, writer in publishers.values():
        writer.close()
    latencies.sort()

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] / 1e6, 1) if latencies else None

    expected = published * per_room
    print(json.dumps({
        "rooms": args.rooms, "games": args.rooms * args.games_per_room, "game_connections": len(games),
        "published": published,
        "published_per_s": round(published / elapsed),
        "events_delivered": delivered, "events_expected": expected,
        "events_per_s": round(delivered / elapsed),
        "latency_ms": {"p50": percentile(0.5), "p99": percentile(0.99), "max": percentile(1.0)},
        "server_cpu_s": None if cpu_before is None else round(cpu_after - cpu_before, 2),
        "seconds": round(elapsed, 1),
    }))


asyncio.run(main())
