// A stand-in for Lambda's Extensions API on 127.0.0.1: answers register, holds `event/next` open
// until the test sends the next lifecycle event, and keeps a log of what it was asked, in order.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
