// The baseline: a bare node:http server that answers every request with the same small JSON body (200,
// application/json) once the request body is read. It listens on 127.0.0.1 on a free port and prints
// "listening <port>" on stdout. Run: node --import tsx bench/bare-server.ts
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const BODY = Buffer.from('{"status":"ok"}');

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.on("end", () => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(BODY.length) });
    res.end(BODY);
  });
  req.resume();
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
