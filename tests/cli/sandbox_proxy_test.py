#!/usr/bin/python3
"""`barrage sandbox-proxy` as a game developer runs it, in front of a real `barrage serve`.

Starts the server on a temporary data directory, creates an approved app and the demo room's
identity code with the CLI, and starts the proxy with --upstream at the server. Then, signing
requests as blivedm does (json.dumps bodies with spaces; Python's own hmac and hashlib):

  * a game's life through the proxy on one keep-alive connection (start, heartbeats, end:
    code 0), and refusals (7007 wrong identity code, 7003 unknown game, 4002 bad signature);
  * the refusals sent again straight to the server answer with the same status, Content-Type
    and bytes but for the random request_id, and a REST answer is identical to the byte;
  * a body one byte over 1 MiB is refused with 413 from its headers alone;
  * a second proxy whose upstream has nobody listening answers 502 "connection refused";
  * an https upstream and a bad --listen are refused at start with clear messages;
  * SIGTERM: both proxies exit 0 and write their reports, whose calls, HTTP statuses, codes,
    latency fields, refusals and upstream failures are checked.

Standard library only. Usage: sandbox_proxy_test.py BARRAGE_BINARY. Waits are blocking reads of
the processes' own "listening" lines; no assertion depends on timing.
"""

import hashlib
import hmac
import http.client
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SERVER_RE = re.compile(r"HTTP \(REST, WebSocket /sub, /metrics\) listening on [^:\s]+:(\d+)")
PROXY_RE = re.compile(r"sandbox-proxy: listening on 127\.0\.0\.1:(\d+)")
REQUEST_ID_RE = re.compile(r'"request_id":"[0-9a-f]*"')

failures = []


def check(name, condition, detail=""):
    if condition:
        print(f"ok: {name}")
    else:
        print(f"FAIL: {name} {detail}")
        failures.append(name)


def start(args, pattern):
    """Starts a process and returns it with the port its first matching stderr line names."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    for line in process.stderr:  # blocks until the line comes, or the process ends
        seen.append(line)
        found = pattern.search(line)
        if found:
            # Keep reading, so a chatty process never blocks on a full pipe.
            threading.Thread(target=lambda: seen.extend(process.stderr), daemon=True).start()
            return process, int(found.group(1))
    raise RuntimeError(f"{args[1]} did not start: {''.join(seen)}")


def run(args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


class Signer:
    def __init__(self, key_id, secret):
        self.key_id = key_id
        self.secret = secret
        self.nonce = 0

    def headers(self, body):
        self.nonce += 1
        signed = {
            "x-bili-accesskeyid": self.key_id,
            "x-bili-content-md5": hashlib.md5(body).hexdigest(),
            "x-bili-signature-method": "HMAC-SHA256",
            "x-bili-signature-nonce": f"py-{self.nonce}-{time.time_ns()}",
            "x-bili-signature-version": "1.0",
            "x-bili-timestamp": str(int(time.time())),
        }
        canonical = "\n".join(f"{name}:{signed[name]}" for name in sorted(signed))
        signed["Authorization"] = hmac.new(self.secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()
        signed["Content-Type"] = "application/json"
        signed["Accept"] = "application/json"
        return signed


def exchange(connection, method, path, body=b"", headers=None):
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type"), response.read()


def signed_post(connection, signer, path, document):
    body = json.dumps(document).encode()  # blivedm's spelling: spaces after ':' and ','
    return exchange(connection, "POST", path, body, signer.headers(body))


def code_of(answer):
    return json.loads(answer[2])["code"]


def masked(body):
    return REQUEST_ID_RE.sub('"request_id":"-"', body.decode())


def over_limit_status(port):
    """Sends only the headers of a 1 MiB + 1 body and returns the status answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(b"POST /v2/app/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 1048577\r\n\r\n")
        head = raw.recv(4096).decode(errors="replace")
    return int(head.split(" ")[1]) if head.startswith("HTTP/1.1 ") else 0


def stop(process):
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


def main():
    barrage = sys.argv[1]
    work = tempfile.mkdtemp(prefix="sandbox-proxy-test-")
    processes = []
    try:
        data = f"{work}/data"
        server, server_port = start([barrage, "serve", "--data-dir", data, "--http-port", "0", "--tcp-port", "0"],
                                    SERVER_RE)
        processes.append(server)
        made = run([barrage, "open", "app", "create", "--data-dir", data, "--developer-uid", "7", "--name", "Duel",
                    "--approve"])
        app = json.loads(made.stdout)
        code = json.loads(run([barrage, "open", "code", "--data-dir", data, "--uid", "1"]).stdout)["code"]
        signer = Signer(app["access_key_id"], app["access_key_secret"])
        forger = Signer(app["access_key_id"], "not-the-secret")

        # Refused at start, with a message that says why.
        https = run([barrage, "sandbox-proxy", "--upstream", "https://live-open.biliapi.com", "--report",
                     f"{work}/never.json"])
        check("an https upstream is refused at start", https.returncode != 0 and
              "https upstreams are not supported" in https.stderr, https.stderr)
        listen = run([barrage, "sandbox-proxy", "--listen", "localhost:1", "--upstream",
                      f"http://127.0.0.1:{server_port}", "--report", f"{work}/never.json"])
        check("a --listen that is not an IP address is refused", listen.returncode != 0 and
              "--listen" in listen.stderr and "not an IP address" in listen.stderr, listen.stderr)

        report_path = f"{work}/report.json"
        proxy, proxy_port = start([barrage, "sandbox-proxy", "--listen", "127.0.0.1:0", "--upstream",
                                   f"http://127.0.0.1:{server_port}", "--report", report_path], PROXY_RE)
        processes.append(proxy)
        via = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=30)  # one keep-alive connection
        direct = http.client.HTTPConnection("127.0.0.1", server_port, timeout=30)

        started = signed_post(via, signer, "/v2/app/start", {"code": code, "app_id": app["app_id"]})
        check("start through the proxy: 200, code 0", started[0] == 200 and code_of(started) == 0, started)
        game_id = json.loads(started[2])["data"]["game_info"]["game_id"]
        for _ in range(3):
            beat = signed_post(via, signer, "/v2/app/heartbeat", {"game_id": game_id})
            check("heartbeat through the proxy: code 0", code_of(beat) == 0, beat)
        wrong = signed_post(via, signer, "/v2/app/start", {"code": "WRONGCODE12345", "app_id": app["app_id"]})
        check("a wrong identity code: 7007", code_of(wrong) == 7007, wrong)

        for name, who, expected in (("unknown game", signer, 7003), ("bad signature", forger, 4002)):
            proxied = signed_post(via, who, "/v2/app/heartbeat", {"game_id": "no-such-game"})
            straight = signed_post(direct, who, "/v2/app/heartbeat", {"game_id": "no-such-game"})
            check(f"{name}: {expected} through the proxy", code_of(proxied) == expected, proxied)
            check(f"{name}: the same answer as the server's own but for request_id",
                  proxied[:2] == straight[:2] and masked(proxied[2]) == masked(straight[2]), (proxied, straight))
        proxied = exchange(via, "GET", "/api/v1/rooms")
        straight = exchange(direct, "GET", "/api/v1/rooms")
        check("a REST answer through the proxy is identical to the byte", proxied == straight, (proxied, straight))

        check("a body over 1 MiB is refused with 413", over_limit_status(proxy_port) == 413)
        ended = signed_post(via, signer, "/v2/app/end", {"app_id": app["app_id"], "game_id": game_id})
        check("end through the proxy: code 0", code_of(ended) == 0, ended)

        # An upstream with nobody listening.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        lost_path = f"{work}/lost.json"
        lost, lost_port = start([barrage, "sandbox-proxy", "--listen", "0", "--upstream",
                                 f"http://127.0.0.1:{closed_port}", "--report", lost_path], PROXY_RE)
        processes.append(lost)
        unreachable = signed_post(http.client.HTTPConnection("127.0.0.1", lost_port, timeout=30), signer,
                                  "/v2/app/heartbeat", {"game_id": game_id})
        check("an unreachable upstream: 502 naming the refusal",
              unreachable[0] == 502 and b"connection refused" in unreachable[2], unreachable)

        rc = stop(proxy)
        check("SIGTERM: the proxy exits 0", rc == 0, rc)
        rc = stop(lost)
        check("SIGTERM: the second proxy exits 0", rc == 0, rc)

        with open(report_path) as file:
            report = json.load(file)
        endpoints = report["endpoints"]
        check("report: 9 calls", report["calls"] == 9, report)
        check("report: the upstream and the listening address",
              report["upstream"] == f"http://127.0.0.1:{server_port}" and
              report["listen"] == f"127.0.0.1:{proxy_port}", report)
        expected = {
            "POST /v2/app/start": (2, {"200": 2}, {"0": 1, "7007": 1}),
            "POST /v2/app/heartbeat": (5, {"200": 5}, {"0": 3, "4002": 1, "7003": 1}),
            "POST /v2/app/end": (1, {"200": 1}, {"0": 1}),
            "GET /api/v1/rooms": (1, {"200": 1}, {"0": 1}),
        }
        check("report: exactly the endpoints called", sorted(endpoints) == sorted(expected), sorted(endpoints))
        for key, (calls, statuses, codes) in expected.items():
            endpoint = endpoints.get(key, {})
            latency = endpoint.get("latency_ms", {})
            check(f"report: {key} calls, statuses and codes",
                  endpoint.get("calls") == calls and endpoint.get("http_status") == statuses and
                  endpoint.get("code") == codes, endpoint)
            check(f"report: {key} latency count, p50 <= p99 <= max",
                  latency.get("count") == calls and 0 <= latency["p50"] <= latency["p99"] <= latency["max"] and
                  latency["max"] > 0, latency)
        check("report: the 413 counted as the proxy's refusal", report["refused"] == {"413": 1}, report["refused"])
        check("report: no upstream failures", not any(report["upstream_failures"].values()), report)
        check("report: nothing unanswered at stop", report["unanswered_at_stop"] == 0, report)

        with open(lost_path) as file:
            lost_report = json.load(file)
        heartbeat = lost_report["endpoints"].get("POST /v2/app/heartbeat", {})
        check("lost report: the refused connection counted as such",
              lost_report["upstream_failures"]["connection_refused"] == 1 and
              heartbeat.get("http_status") == {"502": 1} and
              heartbeat.get("upstream_failures", {}).get("connection_refused") == 1, lost_report)

        rc = stop(server)
        check("the server stops", rc == 0, rc)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
