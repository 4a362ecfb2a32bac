// A stand-in for Lambda's Extensions API on 127.0.0.1: answers register, holds `event/next` open
// until the test sends the next lifecycle event, and keeps a log of what it was asked, in order.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { header, readBody } from '../../support/http-request.ts';

export interface FakeExtensionsApi {
  runtimeApi: string;
  log: string[];
  /** How many `event/next` calls are currently held open. */
  waiting(): number;
  send(event: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startFakeExtensionsApi(): Promise<FakeExtensionsApi> {
  const log: string[] = [];
  const held: ServerResponse[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    await readBody(req);
    if (req.method === 'POST' && req.url === '/2020-01-01/extension/register') {
      log.push('register');
      res.writeHead(200, { 'Lambda-Extension-Identifier': 'ext-1', 'content-type': 'application/json' });
      res.end(JSON.stringify({ functionName: 'redirect', functionVersion: '$LATEST', handler: 'index.handler' }));
    } else if (req.method === 'GET' && req.url === '/2020-01-01/extension/event/next') {
      log.push(`next(${header(req, 'lambda-extension-identifier')})`);
      held.push(res);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    runtimeApi: `127.0.0.1:${port}`,
    log,
    waiting: () => held.length,
    send(event) {
      const res = held.shift();
      if (!res) throw new Error('no extension is waiting for an event');
      log.push(`event:${String(event.eventType)}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(event));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
