// The seed's app: a small Node.js service (no npm packages) with the endpoints the guide's
// Kubernetes and PM2 chapters use.
//   GET /            version, pod name, node
//   GET /health      200 while the process lives (liveness)
//   GET /ready       503 during a warm-up (WARMUP_MS, default 3000; "never" never gets ready), then 200
//   GET /crash       exits with status 1
//   GET /leak?mb=N   keeps N more MiB of memory (default 10)
//   GET /burn?ms=N   keeps a CPU busy for N ms (default 1000)
// PORT (default 3000) and HOST (default: all addresses) choose where it listens. On a node
// without network namespaces each pod has a loopback address of its own (POD_IP 127.x.y.z) and
// pods share the ports, so there it listens on that address only. SIGTERM closes the server and
// exits 0.
'use strict';
const http = require('http');
const os = require('os');

const version = process.env.APP_VERSION || require('./package.json').version;
const port = Number(process.env.PORT || 3000);
const warmupMs = process.env.WARMUP_MS === 'never' ? Infinity : Number(process.env.WARMUP_MS || 3000);
const pod = process.env.POD_NAME || os.hostname();
const node = process.env.NODE_NAME || 'unknown';
const started = Date.now();
const leaked = [];

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function mib(bytes) { return Math.round(bytes / 1048576); }

const server = http.createServer((req, res) => {
  const began = Date.now();
  res.on('finish', () => {
    console.log(`${new Date().toISOString()} ${req.method} ${req.url} ${res.statusCode} ${Date.now() - began}ms`);
  });
  const url = new URL(req.url, 'http://localhost');
  switch (url.pathname) {
    case '/':
      return send(res, 200, { app: 'myapp', version, pod, node, uptimeSeconds: Math.floor((Date.now() - started) / 1000) });
    case '/health':
      return send(res, 200, { status: 'ok' });
    case '/ready': {
      const left = started + warmupMs - Date.now();
      if (left > 0) return send(res, 503, { status: 'warming up', version, readyInMs: Number.isFinite(left) ? left : null });
      return send(res, 200, { status: 'ready', version });
    }
    case '/crash':
      console.error(`crashing on request (version ${version})`);
      send(res, 500, { status: 'crashing' });
      return setImmediate(() => process.exit(1));
    case '/leak': {
      const mb = Math.max(0, Math.min(Number(url.searchParams.get('mb') || 10), 4096));
      leaked.push(Buffer.alloc(mb * 1048576, 1));  // filled, so the pages are really resident
      const total = leaked.reduce((sum, b) => sum + b.length, 0);
      return send(res, 200, { leakedMb: mib(total), rssMb: mib(process.memoryUsage().rss) });
    }
    case '/burn': {
      const ms = Math.max(0, Math.min(Number(url.searchParams.get('ms') || 1000), 60000));
      const until = Date.now() + ms;
      let spins = 0;
      while (Date.now() < until) spins++;
      return send(res, 200, { burnedMs: ms, spins });
    }
    default:
      return send(res, 404, { error: 'not found', path: url.pathname });
  }
});

const podIP = process.env.POD_IP || '';
const host = process.env.HOST || (podIP.startsWith('127.') ? podIP : undefined);
server.listen(port, host, () => {
  console.log(`myapp ${version} listening on port ${port} (pod ${pod}, node ${node})`);
});

process.on('SIGTERM', () => {
  console.log('SIGTERM received: closing the server');
  server.close(() => {
    console.log('server closed, exiting');
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10000).unref();
});
