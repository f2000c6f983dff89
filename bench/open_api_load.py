#!/usr/bin/python3
"""Signed open-platform calls per second against a running `barrage serve`, with latency
percentiles: a game's /v2/app/heartbeat (one SQLite key lookup, MD5, HMAC, nonce, session
lookup on the store thread), or /v2/app/start (with --call start: the same plus the identity
code's lookup, the room, the session and the hub's game), from N concurrent clients for a
bounded time. Loopback only.

    bench/open_api_load.py --port 8080 --key-id ID --secret S --app-id 1 --code CODE \
        [--clients 8] [--seconds 10] [--call heartbeat|start]

Starts one game with the code, then heartbeats it as fast as the clients can sign (or starts
games, each ended again at once, untimed); prints one JSON line. Needs Debian's python3-aiohttp. The client signs in Python, so on a 2-core machine
shared with the server the figure is a floor, not the server's ceiling (say so with it). The
server's [open_limits] must be raised for the run (docs/PERFORMANCE.md), or its security centre
answers 4009 past 100 calls a second from one address."""
import argparse, asyncio, json, time

import aiohttp

from open_signing import signed


async def main():
    parser = argparse.ArgumentParser()
    for flag in ("--key-id", "--secret", "--code"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--app-id", type=int, required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--call", choices=("heartbeat", "start"), default="heartbeat")
    args = parser.parse_args()
    if not 1 <= args.clients <= 256 or not 0 < args.seconds <= 120:
        raise SystemExit("--clients 1..256, --seconds up to 120")
    if args.call == "start" and args.clients > 4:
        raise SystemExit("--call start: at most 4 clients (an app runs at most 5 games in a room, one is the held game)")
    base = f"http://127.0.0.1:{args.port}"
    async with aiohttp.ClientSession() as session:
        body = json.dumps({"code": args.code, "app_id": args.app_id})
        async with session.post(base + "/v2/app/start", data=body, headers=signed(args.key_id, args.secret, body)) as r:
            started = await r.json()
        if started["code"] != 0:
            raise SystemExit(f"start refused: {started}")
        game_id = started["data"]["game_info"]["game_id"]
        beat = json.dumps({"game_id": game_id})
        latencies, codes = [], {}
        deadline = time.monotonic() + args.seconds

        async def call(path, body):
            sent = time.perf_counter()
            async with session.post(base + path, data=body, headers=signed(args.key_id, args.secret, body)) as r:
                answer = await r.json()
            return answer, time.perf_counter() - sent

        async def client():
            while time.monotonic() < deadline:
                if args.call == "heartbeat":
                    answer, took = await call("/v2/app/heartbeat", beat)
                else:
                    # A start (timed), then the end of the game it started (not timed), so the
                    # room never holds more than --clients games of the app.
                    answer, took = await call("/v2/app/start", json.dumps({"code": args.code, "app_id": args.app_id}))
                    if answer["code"] == 0:
                        game = answer["data"]["game_info"]["game_id"]
                        await call("/v2/app/end", json.dumps({"app_id": args.app_id, "game_id": game}))
                latencies.append(took)
                codes[answer["code"]] = codes.get(answer["code"], 0) + 1

        began = time.monotonic()
        await asyncio.gather(*(client() for _ in range(args.clients)))
        elapsed = time.monotonic() - began
        end = json.dumps({"app_id": args.app_id, "game_id": game_id})
        async with session.post(base + "/v2/app/end", data=end, headers=signed(args.key_id, args.secret, end)) as r:
            await r.read()
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 2)
    print(json.dumps({"call": args.call, "calls": len(latencies), "per_second": round(len(latencies) / elapsed),
                      "p50_ms": pick(0.5), "p99_ms": pick(0.99), "max_ms": pick(1.0), "codes": codes,
                      "clients": args.clients, "seconds": round(elapsed, 1)}))


asyncio.run(main())
