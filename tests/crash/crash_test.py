#!/usr/bin/python3
"""Crash test of the coin ledger through the real server.

Starts `barrage serve` on a temporary data directory, grants coins to a few viewers, then runs
client threads that send gifts over HTTP, each with its own request id, retrying the SAME
request (same id, same body) until the server answers: the answer is the only acknowledgment.
Meanwhile the server is killed with SIGKILL several times at random points and restarted on
the same data directory. At the end the server is stopped and the database is read (read-only)
to check that:

  * every answer, replayed or not, carries its room event's sequence and gift number (a replay
    of a gift whose event a kill cut off shows the event then);
  * every acknowledged gift is in the journal exactly once (two legs, host share + platform
    share, with the order id of its answer, the count and price it was sent with);
  * every request id appears at most once in `requests`, every journal order has its request
    row and every gift request row its journal legs (nothing half applied);
  * each viewer's gift orders are exactly the acknowledged ones, plus at most the requests
    still unanswered when the load stopped;
  * every balance equals the replay of the journal, balances sum to zero, no wallet (or any
    account but external) is negative, and each wallet holds granted - 1000 x gifts;
  * `barrage ledger verify` exits 0;
  * every round between kills acknowledged at least --min-acks-per-round gifts: a server that
    answers nothing cannot pass by having nothing to check.

Standard library only. Usage: crash_test.py BARRAGE_BINARY [--kills N] [--seconds S] ...
Waits are bounded loops; no assertion depends on timing.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

GIFT_ID = 3
GIFT_PRICE = 1000
ROOM = 1
HOST_UID = 1
GRANT_COINS = 100_000_000  # the largest single grant (payments.top_up_coins_max default)
GRANTS_PER_USER = 3        # 300,000 gifts of 1,000 coins: more than a run can send
LISTEN_RE = re.compile(r"HTTP \(REST, WebSocket /sub, /metrics\) listening on [^:\s]+:(\d+)")

# Account kinds and transfer codes, by their stored numbers (docs/ledger.md).
EXTERNAL, PLATFORM, WALLET, EARNINGS = 1, 2, 3, 4
CODE_GRANT, CODE_GIFT, CODE_GIFT_PLATFORM = 2, 3, 4
INSUFFICIENT = 6000
LEDGER_UNAVAILABLE = 6011


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


class Server:
    """The barrage process on one data directory; restartable."""

    def __init__(self, binary, data_dir, work):
        self.binary = binary
        self.data_dir = data_dir
        self.work = work
        self.proc = None
        self.port = None
        self.starts = 0
        self.lock = threading.Lock()

    def start(self, timeout_s=30.0):
        self.starts += 1
        log_path = os.path.join(self.work, f"serve-{self.starts}.log")
        out = open(log_path, "w")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--data-dir", self.data_dir, "--http-port", "0", "--tcp-port", "0"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        out.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with open(log_path, errors="replace") as f:
                found = LISTEN_RE.search(f.read())
            if found:
                with self.lock:
                    self.port = int(found.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        with open(log_path, errors="replace") as f:
            tail = f.read()[-2000:]
        raise RuntimeError(f"server start {self.starts} failed (exit {self.proc.poll()}):\n{tail}")

    def current_port(self):
        with self.lock:
            return self.port

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self, timeout_s=30.0):
        """SIGTERM and wait; SIGKILL if it does not exit in time. Returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=30)
            return None


class Client:
    """One keep-alive HTTP connection that follows the server across restarts."""

    def __init__(self, server, token):
        self.server = server
        self.token = token
        self.conn = None
        self.conn_port = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def post_once(self, path, body):
        """(http status, parsed JSON) or raises OSError/HTTPException/ValueError."""
        port = self.server.current_port()
        if self.conn is None or self.conn_port != port:
            self.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            self.conn_port = port
        self.conn.request("POST", path, body=body,
                          headers={"Authorization": f"Bearer {self.token}",
                                   "Content-Type": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        if response.getheader("connection", "").lower() == "close":
            self.close()
        return response.status, json.loads(data)

    def post_until_answered(self, path, payload, give_up, attempts_out=None):
        """Sends the same body until the server answers with anything but 'try again'.
        Returns the answer's JSON, or None if give_up() became true first."""
        body = json.dumps(payload, separators=(",", ":"))
        backoff = 0.02
        while True:
            if attempts_out is not None:
                attempts_out[0] += 1
            try:
                _, answer = self.post_once(path, body)
                if answer.get("code") != LEDGER_UNAVAILABLE:
                    return answer
            except (OSError, http.client.HTTPException, ValueError):
                self.close()  # refused, reset, timed out, cut mid-answer: nothing was acknowledged
            if give_up():
                return None
            time.sleep(backoff * random.uniform(0.5, 1.5))
            backoff = min(backoff * 2, 0.5)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}        # (uid, request_id) -> (order_id, count)
        self.refused = set()   # (uid, request_id) answered insufficient_balance
        self.unanswered = []   # (uid, request_id, count) still without an answer at the end
        self.sent = {}         # (uid, request_id) -> count, every request ever sent
        self.in_flight = {}    # thread index -> (uid, request_id) while unanswered
        self.replayed = 0
        self.attempts = 0
        self.errors = []


def gift_thread(index, uid, client, stats, stop_load, hard_stop, rng):
    n = 0
    attempts = [0]
    while not stop_load.is_set():
        n += 1
        request_id = f"crash-{uid}-{index}-{n}"
        count = rng.choice((1, 1, 2, 3))
        key = (uid, request_id)
        with stats.lock:
            stats.sent[key] = count
            stats.in_flight[index] = key
        answer = client.post_until_answered(
            f"/api/v1/rooms/{ROOM}/gifts", {"gift_id": GIFT_ID, "count": count, "request_id": request_id},
            hard_stop.is_set, attempts)
        with stats.lock:
            stats.in_flight.pop(index, None)
            if answer is None:
                stats.unanswered.append((uid, request_id, count))
                break
            code = answer.get("code")
            if code == 0:
                data = answer["data"]
                stats.acked[key] = (int(data["order_id"]), count)
                stats.replayed += bool(data.get("replayed"))
                # Every answer, a replay after a kill too, names the gift's room event.
                if int(data.get("seq", 0)) <= 0 or int(data.get("gift_number", 0)) <= 0:
                    stats.errors.append(f"{request_id}: answer without its event: {answer}")
            elif code == INSUFFICIENT:
                stats.refused.add(key)
                break
            else:
                stats.errors.append(f"{request_id}: unexpected answer {answer}")
                break
    with stats.lock:
        stats.attempts += attempts[0]
    client.close()


def run_cli(args, timeout_s=60):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout_s, stdin=subprocess.DEVNULL)


def check_database(db_path, stats, users, granted):
    """Returns (failures, figures)."""
    failures = []
    figures = {}

    def fail(text):
        if len(failures) < 50:
            failures.append(text)

    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    db.execute("BEGIN")  # one snapshot for every query below

    # Requests: each (scope, request id) at most once; our gift ids are unique across scopes too.
    for scope, request_id, n in db.execute(
            "SELECT scope, request_id, COUNT(*) FROM requests GROUP BY scope, request_id HAVING COUNT(*) > 1"):
        fail(f"request {scope}/{request_id} recorded {n} times")
    for request_id, n in db.execute(
            "SELECT request_id, COUNT(*) FROM requests WHERE request_id LIKE 'crash-%' "
            "GROUP BY request_id HAVING COUNT(*) > 1"):
        fail(f"request id {request_id} recorded {n} times")
    request_orders = {}   # order id -> (scope, request_id, kind)
    for scope, request_id, kind, receipt in db.execute("SELECT scope, request_id, kind, receipt FROM requests"):
        try:
            order_id = int(json.loads(receipt)["order"])
        except (ValueError, KeyError, TypeError):
            fail(f"request {scope}/{request_id} has an unreadable receipt {receipt!r}")
            continue
        if order_id in request_orders:
            fail(f"order {order_id} is the receipt of two requests")
        request_orders[order_id] = (scope, request_id, kind)

    # Journal, by order.
    orders = {}  # order id -> list of legs
    for row in db.execute(
            "SELECT order_id, leg, debit_kind, debit_owner, credit_kind, credit_owner, amount, code, room, item, count "
            "FROM journal ORDER BY id"):
        orders.setdefault(row[0], []).append(row[1:])
    figures["journal_orders"] = len(orders)

    # Nothing half applied: journal orders have their request row and the other way round.
    for order_id in orders:
        if order_id not in request_orders:
            fail(f"journal order {order_id} has no request row")
    for order_id, (scope, request_id, kind) in request_orders.items():
        if kind == "gift" and order_id not in orders:
            fail(f"request {scope}/{request_id} (order {order_id}) has no journal rows")

    # Every gift order: two legs from one wallet, host share + platform share, price x count.
    gifts_by_user = {}  # uid -> {order_id: count}
    for order_id, legs in orders.items():
        codes = sorted(leg[6] for leg in legs)
        if CODE_GIFT not in codes and CODE_GIFT_PLATFORM not in codes:
            continue
        scope, request_id, kind = request_orders.get(order_id, (None, None, None))
        if codes != [CODE_GIFT, CODE_GIFT_PLATFORM]:
            fail(f"gift order {order_id} ({request_id}) has legs with codes {codes}")
            continue
        payers = {(leg[1], leg[2]) for leg in legs}
        credits = sorted((leg[3], leg[4]) for leg in legs)
        counts = {leg[9] for leg in legs}
        if len(payers) != 1 or next(iter(payers))[0] != WALLET:
            fail(f"gift order {order_id} debits {payers}")
            continue
        uid = next(iter(payers))[1]
        if credits != [(PLATFORM, 0), (EARNINGS, HOST_UID)]:
            fail(f"gift order {order_id} credits {credits}")
        if len(counts) != 1 or {leg[7] for leg in legs} != {ROOM} or {leg[8] for leg in legs} != {GIFT_ID}:
            fail(f"gift order {order_id} legs disagree on room/item/count: {legs}")
            continue
        count = next(iter(counts))
        if sum(leg[5] for leg in legs) != GIFT_PRICE * count:
            fail(f"gift order {order_id}: legs sum to {sum(leg[5] for leg in legs)}, count {count}")
        if scope != uid:
            fail(f"gift order {order_id} paid by uid {uid} but requested in scope {scope}")
        sent_count = stats.sent.get((uid, request_id))
        if sent_count is None:
            fail(f"gift order {order_id} has request id {request_id} that no client sent as uid {uid}")
        elif sent_count != count:
            fail(f"gift order {order_id} ({request_id}) has count {count}, sent {sent_count}")
        gifts_by_user.setdefault(uid, {})[order_id] = count

    # Every acknowledged gift is there exactly once, under the order id of its answer.
    found = 0
    journal_gift_orders = {o for per_user in gifts_by_user.values() for o in per_user}
    acked_orders = {}
    for (uid, request_id), (order_id, count) in stats.acked.items():
        if order_id in acked_orders:
            fail(f"order {order_id} acknowledged for two requests: {acked_orders[order_id]} and {request_id}")
        acked_orders[order_id] = request_id
        legs = orders.get(order_id)
        if legs is None or order_id not in journal_gift_orders:
            fail(f"acknowledged gift {request_id} (order {order_id}) is not in the journal")
            continue
        if len(legs) != 2:
            fail(f"acknowledged gift {request_id} (order {order_id}) has {len(legs)} journal rows")
            continue
        if request_orders.get(order_id, (None, None))[:2] != (uid, request_id):
            fail(f"acknowledged gift {request_id}: its order {order_id} belongs to {request_orders.get(order_id)}")
            continue
        found += 1
    for uid, request_id in stats.refused:
        if any(r[:2] == (uid, request_id) for r in request_orders.values()):
            fail(f"refused gift {request_id} has a request row")
    figures["found"] = found

    # Per user: journal gift orders = acknowledged + at most the ones never answered.
    unanswered_by_user = {}
    for uid, _, _ in stats.unanswered:
        unanswered_by_user[uid] = unanswered_by_user.get(uid, 0) + 1
    total_in_journal = 0
    for uid in users:
        in_journal = len(gifts_by_user.get(uid, {}))
        total_in_journal += in_journal
        acked = sum(1 for (u, _) in stats.acked if u == uid)
        extra = unanswered_by_user.get(uid, 0)
        if not acked <= in_journal <= acked + extra:
            fail(f"uid {uid}: {in_journal} gift orders in the journal, {acked} acknowledged, {extra} unanswered")
    for uid in gifts_by_user:
        if uid not in users:
            fail(f"gift orders from uid {uid}, who sent none")
    figures["gifts_in_journal"] = total_in_journal

    # Balances: the replay of the journal, sum zero, none negative but external.
    replay = {}
    for kind, owner, amount in db.execute(
            "SELECT credit_kind, credit_owner, SUM(amount) FROM journal GROUP BY credit_kind, credit_owner"):
        replay[(kind, owner)] = replay.get((kind, owner), 0) + amount
    for kind, owner, amount in db.execute(
            "SELECT debit_kind, debit_owner, SUM(amount) FROM journal GROUP BY debit_kind, debit_owner"):
        replay[(kind, owner)] = replay.get((kind, owner), 0) - amount
    balances = {(kind, owner): balance for kind, owner, balance in
                db.execute("SELECT kind, owner, balance FROM accounts")}
    for account in sorted(set(replay) | set(balances)):
        if balances.get(account, 0) != replay.get(account, 0):
            fail(f"account {account}: balance {balances.get(account)} but the journal replays to {replay.get(account)}")
        if account[0] != EXTERNAL and balances.get(account, 0) < 0:
            fail(f"account {account} is negative: {balances[account]}")
    if sum(balances.values()) != 0:
        fail(f"balances sum to {sum(balances.values())}, not 0")

    # Wallets: granted - price x gifts (counted by the journal).
    for uid in users:
        grants = db.execute(
            "SELECT COALESCE(SUM(amount), 0) FROM journal WHERE code = ? AND credit_kind = ? AND credit_owner = ?",
            (CODE_GRANT, WALLET, uid)).fetchone()[0]
        if grants != granted[uid]:
            fail(f"uid {uid}: journal holds {grants} granted coins, the grants answered {granted[uid]}")
        spent = GIFT_PRICE * sum(gifts_by_user.get(uid, {}).values())
        if balances.get((WALLET, uid), 0) != grants - spent:
            fail(f"uid {uid}: wallet {balances.get((WALLET, uid), 0)} != granted {grants} - spent {spent}")
    db.rollback()
    db.close()
    return failures, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("barrage")
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the gift load runs")
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--threads-per-user", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--min-acks-per-round", type=int, default=20,
                        help="gifts each round between kills must acknowledge at least")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    log(f"seed {seed}; {args.kills} kills over {args.seconds:.0f} s of load, "
        f"{args.users} users x {args.threads_per_user} threads")

    work = tempfile.mkdtemp(prefix="barrage-crash-")
    data_dir = os.path.join(work, "data")
    server = Server(args.barrage, data_dir, work)
    started = time.monotonic()
    failures = []
    try:
        server.start()
        users = [3 + i for i in range(args.users)]
        tokens = {}
        for uid in users + [10]:
            role = ["--role", "admin"] if uid == 10 else []
            done = run_cli([args.barrage, "token", "--data-dir", data_dir, "--uid", str(uid)] + role)
            if done.returncode != 0:
                raise RuntimeError(f"barrage token --uid {uid} failed: {done.stderr}")
            tokens[uid] = done.stdout.strip()

        never = threading.Event()
        admin = Client(server, tokens[10])
        granted = {uid: 0 for uid in users}
        for uid in users:
            for k in range(GRANTS_PER_USER):
                answer = admin.post_until_answered(
                    "/api/v1/admin/grants",
                    {"uid": uid, "coins": GRANT_COINS, "reason": "crash test", "request_id": f"crash-grant-{uid}-{k}"},
                    lambda: time.monotonic() - started > 60)
                if answer is None or answer.get("code") != 0:
                    raise RuntimeError(f"grant to uid {uid} failed: {answer}")
                granted[uid] += GRANT_COINS
        admin.close()

        stats = Stats()
        stop_load = threading.Event()
        hard_stop = threading.Event()
        threads = []
        for i in range(args.users * args.threads_per_user):
            uid = users[i % args.users]
            thread = threading.Thread(
                target=gift_thread, name=f"gifts-{i}",
                args=(i, uid, Client(server, tokens[uid]), stats, stop_load, hard_stop, random.Random(rng.random())))
            thread.start()
            threads.append(thread)

        # Kill at a random point of each of `kills` equal slices of the load, restart at once or
        # after a short pause, so some retries meet a refused port and some a fresh server.
        load_start = time.monotonic()
        slice_s = args.seconds / (args.kills + 1)
        kills = 0
        in_flight_at_kills = 0
        acked_per_round = []
        acked_at_last_kill = 0
        for k in range(args.kills):
            kill_at = load_start + slice_s * (k + rng.uniform(0.5, 1.5))
            time.sleep(max(0.0, kill_at - time.monotonic()))
            # Two random points can fall a second apart; a round then ends before the restarted
            # server was reached at all. The kill waits (at most 10 s) for the round's minimum,
            # so a round short of it means a server that did not recover, not a close draw.
            recover_deadline = time.monotonic() + 10
            while time.monotonic() < recover_deadline:
                with stats.lock:
                    if len(stats.acked) - acked_at_last_kill >= args.min_acks_per_round:
                        break
                time.sleep(0.05)
            with stats.lock:
                acked_before = len(stats.acked)
                in_flight = len(stats.in_flight)
            server.kill()
            kills += 1
            in_flight_at_kills += in_flight
            acked_per_round.append(acked_before - acked_at_last_kill)
            acked_at_last_kill = acked_before
            log(f"kill {kills}: SIGKILL with {in_flight} requests in flight, {acked_before} gifts acknowledged so far")
            time.sleep(rng.uniform(0.0, 0.5))
            server.start()
        time.sleep(max(0.0, load_start + args.seconds - time.monotonic()))

        with stats.lock:
            acked_per_round.append(len(stats.acked) - acked_at_last_kill)
        # Stop sending new gifts; every thread still waits for its current answer, bounded.
        stop_load.set()
        drain_deadline = time.monotonic() + 30
        for thread in threads:
            thread.join(timeout=max(0.1, drain_deadline - time.monotonic()))
        hard_stop.set()
        for thread in threads:
            thread.join(timeout=30)
        if any(thread.is_alive() for thread in threads):
            failures.append("client threads did not finish")
        rc = server.stop()
        if rc != 0:
            failures.append(f"the server's final stop exited {rc}")
        failures += stats.errors[:20]

        for round_index, acked in enumerate(acked_per_round):
            if acked < args.min_acks_per_round:
                failures.append(f"round {round_index} acknowledged {acked} gifts, fewer than {args.min_acks_per_round}")

        # The server's own check, always.
        done = run_cli([args.barrage, "ledger", "verify", "--data-dir", data_dir], timeout_s=120)
        verified = f"exit {done.returncode}"
        if done.returncode != 0:
            failures.append(f"barrage ledger verify exited {done.returncode}: {done.stdout}{done.stderr}")

        db_failures, figures = check_database(os.path.join(data_dir, "barrage.db"), stats, users, granted)
        failures += db_failures
        elapsed = time.monotonic() - started
        log(f"{stats.attempts} HTTP attempts, {stats.replayed} replayed answers, {len(stats.unanswered)} unanswered, "
            f"{len(stats.refused)} refused, {in_flight_at_kills} requests in flight at the kills; "
            f"ledger verify: {verified}")
        print(f"crash test: {kills} kills, {len(stats.acked)} gifts acknowledged (per round: {acked_per_round}), "
              f"{figures['found']} found "
              f"({figures['gifts_in_journal']} in journal), {elapsed:.0f} s", flush=True)
    except Exception as error:  # noqa: BLE001 - any harness error is a failure, with its text
        failures.append(f"harness error: {error!r}")
    finally:
        if server.proc is not None and server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(timeout=30)
        if failures:
            print(f"server logs kept in {work}", flush=True)
        elif not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    for failure in failures:
        print(f"FAIL: {failure}", flush=True)
    if failures:
        print(f"crash test FAILED ({len(failures)} failures; seed {seed})", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
