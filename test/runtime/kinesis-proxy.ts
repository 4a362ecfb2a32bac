// A man in the middle between a function and kinesalite that can slow Kinesis down, throttle it, or
// lose an answer after the record was written, and that keeps a timeline of the PutRecord calls it saw.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type KinesisFault =
  | { kind: 'none' }
  /** Forwards at once, answers `ms` later (the record lands, the caller waits). */
  | { kind: 'delay'; ms: number }
  /** Never answers a PutRecord (and never writes it): a stream that hangs. */
  | { kind: 'hang' }
  /** Answers every PutRecord with ProvisionedThroughputExceededException, writing nothing. */
  | { kind: 'throttle' }
  /** Forwards, lets kinesalite write the record, then drops the connection instead of answering. */
  | { kind: 'lose-answer'; times: number };

export interface PutSeen {
  /** `performance.now()` when the request arrived and when its answer went back (or was dropped). */
  receivedAt: number;
  answeredAt?: number;
  outcome?: 'written' | 'throttled' | 'answer-lost';
  /** The click as the function encoded it. */
  click: Record<string, unknown>;
}

export interface KinesisProxy {
  endpoint: string;
  fault: KinesisFault;
  puts: PutSeen[];
  /** PutRecord calls received and not yet answered. */
  inFlight(): number;
  close(): Promise<void>;
}

export async function startKinesisProxy(upstream: string): Promise<KinesisProxy> {
  const puts: PutSeen[] = [];
  let open = 0;
  const proxy: KinesisProxy = {
    endpoint: '',
    fault: { kind: 'none' },
    puts,
    inFlight: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isPut = req.headers['x-amz-target'] === 'Kinesis_20131202.PutRecord';
      const seen: PutSeen | undefined = isPut ? { receivedAt: performance.now(), click: decodeData(body) } : undefined;
      if (seen) {
        puts.push(seen);
        open++;
      }
      const done = (outcome: PutSeen['outcome']) => {
        if (!seen) return;
        seen.answeredAt = performance.now();
        seen.outcome = outcome;
        open--;
      };
      const fault = proxy.fault;
      if (seen && fault.kind === 'throttle') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({ __type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard' }),
        );
        done('throttled');
        return;
      }
      if (seen && fault.kind === 'hang') {
        req.socket.once('close', () => done('answer-lost'));
        return;
      }
      const upstreamUrl = new URL(req.url ?? '/', upstream);
      const forward = request(
        upstreamUrl,
        { method: req.method, headers: { ...req.headers, host: upstreamUrl.host } },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const reply = () => {
              res.writeHead(answer.statusCode ?? 500, answer.headers);
              res.end(Buffer.concat(answerChunks));
              done('written');
            };
            if (seen && fault.kind === 'lose-answer' && fault.times > 0) {
              fault.times--;
              res.socket?.destroy();
              done('answer-lost');
            } else if (seen && fault.kind === 'delay') setTimeout(reply, fault.ms);
            else reply();
          });
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502).end(String(error));
        done('answer-lost');
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function decodeData(body: Buffer): Record<string, unknown> {
  try {
    const { Data } = JSON.parse(body.toString('utf8')) as { Data?: string };
    return JSON.parse(Buffer.from(Data ?? '', 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
