'use strict';
// Broadcast peer for bench/run_fanout.sh: every message a client sends goes to every open
// client (the sender included, as a Barrage room also pushes a publisher's danmaku back to it).
// Usage: node server.js [port]   (or PORT=...; default 9002). Listens on 127.0.0.1 only.
//
// Deliberately the plainest broadcast there is: no compression (perMessageDeflate would cost
// the single Node thread far more than the sends), no batching, no backpressure policy. It is
// the baseline "what does a naive Node fan-out do", not a tuned server.

const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || process.env.PORT || 9002);
const host = process.env.HOST || '127.0.0.1';

const server = new WebSocketServer({ host, port, perMessageDeflate: false, clientTracking: true });

server.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
        for (const client of server.clients) {
            if (client.readyState === WebSocket.OPEN) {
                client.send(data, { binary: isBinary });
            }
        }
    });
    // A client closing mid-send is normal during a benchmark; do not crash the process.
    socket.on('error', () => {});
});

server.on('listening', () => {
    console.log(`ws-broadcast listening on ${host}:${port}`);
});

// The benchmark kills the peer when done; open sockets need no goodbye.
const shutdown = () => process.exit(0);
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
