#!/usr/bin/env node
// A loopback webhook peer for measuring Barrage's webhook (docs/hooks.md, docs/PERFORMANCE.md
// "A webhook in the whole server"): answers every POST with 200 {"action":"allow"} on a
// keep-alive connection, as fast as it can. Node's own modules only (no npm install).
//
//   node bench/peers/webhook-allow/server.js PORT [--secret S]
//
// Listens on 127.0.0.1:PORT and prints "webhook-allow ready on 127.0.0.1:PORT" once it does.
// With --secret it also checks X-Barrage-Signature (HMAC-SHA256 of "timestamp.body") and counts
// the bad ones (still answering allow): off by default, as it costs the peer CPU, not Barrage.
// GET /stats answers the counts and the peer's own CPU so far as JSON; on SIGTERM or SIGINT the
// same line goes to stdout before it exits.
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');

const args = process.argv.slice(2);
const port = Number(args[0]);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: server.js PORT [--secret S]');
  process.exit(2);
}
const secretAt = args.indexOf('--secret');
const secret = secretAt >= 0 ? args[secretAt + 1] : null;

const ANSWER = Buffer.from('{"action":"allow"}');
const started = process.hrtime.bigint();
const counts = { requests: 0, bad_signatures: 0, connections: 0 };

function stats() {
  const cpu = process.cpuUsage();
  return JSON.stringify({
    ...counts,
    cpu_user_s: cpu.user / 1e6,
    cpu_system_s: cpu.system / 1e6,
    wall_s: Number(process.hrtime.bigint() - started) / 1e9,
  });
}

function verify(request, body) {
  const timestamp = request.headers['x-barrage-timestamp'] || '';
  const header = request.headers['x-barrage-signature'] || '';
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(timestamp + '.').update(body).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(header);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const server = http.createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(stats());
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    ++counts.requests;
    if (secret !== null && !verify(request, Buffer.concat(chunks))) {
      ++counts.bad_signatures;
    }
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': ANSWER.length });
    response.end(ANSWER);
  });
});
server.headersTimeout = 60_000;
server.requestTimeout = 0;
server.on('connection', () => ++counts.connections);
server.listen(port, '127.0.0.1', () => {
  console.log(`webhook-allow ready on 127.0.0.1:${port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(stats());
    process.exit(0);
  });
}
