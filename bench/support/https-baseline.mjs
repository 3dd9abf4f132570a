// The baseline of the runner-API benchmark: a plain node:https server with
// the runner's server options, answering every request with one fixed JSON
// body and the runner's response headers. Plain JavaScript, run by plain Node,
// so that nothing but Node and the server is in its memory and CPU time (no
// TypeScript loader or type stripping):
//   node bench/support/https-baseline.mjs KEY.pem CERT.pem BODY.json
// Prints `listening on <port>` when ready; SIGTERM ends it.
import fs from 'node:fs';
import https from 'node:https';

const [keyFile, certFile, bodyFile] = process.argv.slice(2);
if (!keyFile || !certFile || !bodyFile) throw new Error('usage: node https-baseline.mjs KEY.pem CERT.pem BODY.json');
const body = fs.readFileSync(bodyFile);

// The same options as the runner's remote-mode server (electron/runner/serve.ts).
const server = https.createServer(
  { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), minVersion: 'TLSv1.2', handshakeTimeout: 10_000, connectionsCheckingInterval: 5_000 },
  (request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      response.end(body);
    });
  },
);
server.maxConnections = 256;
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening on ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
