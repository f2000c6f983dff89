#!/usr/bin/python3
"""A like storm against a running `barrage serve`: N signed-in clients on the TCP port each send a
batch of like taps (op 4 {"type":"like","count":T}) B times a second for a bounded time, while
one anonymous watcher in the same room counts what the room says. Loopback only.

    bench/like_storm.py --tcp-port 2243 --tokens FILE [--room 1] [--clients 1000] \
        [--taps 1000] [--batches-per-s 1] [--seconds 10] [--sources 8]

FILE holds one user token per line (at least --clients of them; `barrage token --uid N` mints
them). The server's [likes] per_user_per_second must allow taps × batches-per-s, and its
[security] join limits must let the clients in (docs/PERFORMANCE.md shows the configuration).
Prints one JSON line: taps sent, accepted and capped per second, the batch answers' latency
percentiles, and the messages the watcher received per second (bounded by the like window,
whatever the taps). Clients spread over 127.0.0.1..127.0.0.K as source addresses."""
import argparse, asyncio, json, struct, time

HEADER = struct.Struct(">IHHII")
OP_HEARTBEAT, OP_SEND, OP_MESSAGE, OP_AUTH, OP_AUTH_REPLY, OP_SEND_REPLY = 2, 4, 5, 7, 8, 1000


def packet(operation, body, sequence=1):
    data = body.encode()
    return HEADER.pack(HEADER.size + len(data), HEADER.size, 1, operation, sequence) + data


async def read_packet(reader):
    header = await reader.readexactly(HEADER.size)
    length, header_length, protover, operation, sequence = HEADER.unpack(header)
    body = await reader.readexactly(length - header_length)
    return protover, operation, sequence, body


async def connect(args, source, token):
    reader, writer = await asyncio.open_connection("127.0.0.1", args.tcp_port, local_addr=(source, 0))
    auth = {"roomid": args.room, "protover": 0}
    if token:
        auth["key"] = token
    writer.write(packet(OP_AUTH, json.dumps(auth)))
    while True:
        _, operation, _, body = await read_packet(reader)
        if operation == OP_AUTH_REPLY:
            reply = json.loads(body)
            if reply.get("code") != 0:
                raise SystemExit(f"auth refused: {reply}")
            return reader, writer


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tcp-port", type=int, default=2243)
    parser.add_argument("--room", type=int, default=1)
    parser.add_argument("--tokens", required=True)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--taps", type=int, default=1000)
    parser.add_argument("--batches-per-s", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--sources", type=int, default=8)
    args = parser.parse_args()
    if not 1 <= args.clients <= 5000 or not 0 < args.seconds <= 120 or not 1 <= args.taps <= 1000:
        raise SystemExit("--clients 1..5000, --seconds up to 120, --taps 1..1000")
    tokens = [line.strip() for line in open(args.tokens) if line.strip()]
    if len(tokens) < args.clients:
        raise SystemExit(f"{args.tokens} holds {len(tokens)} tokens, fewer than --clients")
    sources = [f"127.0.0.{1 + i % args.sources}" for i in range(args.clients)]

    watcher_reader, watcher_writer = await connect(args, "127.0.0.1", None)
    clients = []
    for i in range(args.clients):
        clients.append(await connect(args, sources[i], tokens[i]))

    seen = {"messages": 0, "updates": 0, "clicks": 0, "last_total": 0}
    stop = asyncio.Event()

    async def watch():
        while not stop.is_set():
            try:
                _, operation, _, body = await asyncio.wait_for(read_packet(watcher_reader), 0.5)
            except asyncio.TimeoutError:
                continue
            if operation != OP_MESSAGE:
                continue
            seen["messages"] += 1
            message = json.loads(body)
            if message.get("cmd") == "LIKE_INFO_V3_UPDATE":
                seen["updates"] += 1
                seen["last_total"] = message["data"]["click_count"]
            elif message.get("cmd") == "LIKE_INFO_V3_CLICK":
                seen["clicks"] += 1

    totals = {"sent": 0, "accepted": 0, "capped": 0, "errors": 0}
    latencies = []
    interval = 1.0 / args.batches_per_s
    body = json.dumps({"type": "like", "count": args.taps})
    start = time.monotonic()
    deadline = start + args.seconds

    async def tap(index, reader, writer):
        # Each client starts at its own offset in the interval, as real clients would.
        next_at = start + interval * index / args.clients
        sequence = 0
        while next_at < deadline:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            sequence += 1
            sent = time.monotonic()
            writer.write(packet(OP_SEND, body, sequence))
            totals["sent"] += args.taps
            while True:
                _, operation, _, answer = await read_packet(reader)
                if operation == OP_SEND_REPLY:
                    break
            latencies.append(time.monotonic() - sent)
            reply = json.loads(answer)
            if reply.get("code") != 0:
                totals["errors"] += 1
            else:
                totals["accepted"] += reply["data"]["accepted"]
                totals["capped"] += reply["data"]["capped"]
            next_at += interval

    watching = asyncio.create_task(watch())
    await asyncio.gather(*(tap(i, r, w) for i, (r, w) in enumerate(clients)))
    elapsed = time.monotonic() - start
    await asyncio.sleep(1.0)  # the last window
    stop.set()
    await watching
    for _, writer in clients + [(watcher_reader, watcher_writer)]:
        writer.close()
    latencies.sort()

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2) if latencies else None

    print(json.dumps({
        "clients": args.clients,
        "taps_per_batch": args.taps,
        "seconds": round(elapsed, 2),
        "taps_sent_per_s": round(totals["sent"] / elapsed),
        "taps_accepted_per_s": round(totals["accepted"] / elapsed),
        "taps_capped": totals["capped"],
        "batch_errors": totals["errors"],
        "batch_answer_ms": {"p50": percentile(0.50), "p99": percentile(0.99), "max": percentile(1.0)},
        "watcher_messages_per_s": round(seen["messages"] / elapsed, 1),
        "like_updates": seen["updates"],
        "like_clicks": seen["clicks"],
        "room_total_seen": seen["last_total"],
    }))


asyncio.run(main())
