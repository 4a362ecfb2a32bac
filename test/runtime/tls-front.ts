// TLS in front of an emulator, so that a function under the harness reaches DynamoDB and Kinesis over HTTPS as
// it does on AWS (the TLS module loaded at init, a handshake on the first call, keep-alive after). The emulators
// speak plain HTTP; this terminates TLS with a certificate made for 127.0.0.1 by the openssl command, trusted by
// the function's process alone (NODE_EXTRA_CA_CERTS), never by this one.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, connect, type Socket } from 'node:net';
import path from 'node:path';
import { createServer, type Server } from 'node:tls';

export interface TlsCertificate {
  /** The certificate's file, for NODE_EXTRA_CA_CERTS (it is its own authority). */
  certFile: string;
  cert: string;
  key: string;
}

/** A self-signed certificate for 127.0.0.1, valid for a day, written into `dir`. */
export function localCertificate(dir: string): TlsCertificate {
  const certFile = path.join(dir, 'harness-cert.pem');
  const keyFile = path.join(dir, 'harness-key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(`the openssl command could not make the harness's certificate: ${(error as Error).message}`);
  }
  return { certFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

export interface TlsFront {
  /** `https://127.0.0.1:<port>`. */
  endpoint: string;
  close(): Promise<void>;
}

/** Accepts TLS connections and pipes each one, decrypted, to the plain HTTP endpoint `upstream`. */
export async function startTlsFront(upstream: string, certificate: TlsCertificate): Promise<TlsFront> {
  const target = new URL(upstream);
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, (socket) => {
    // No Nagle on either leg: a request written in two pieces would otherwise wait for a delayed ACK (40 ms).
    socket.setNoDelay(true);
    const plain = connect({ port: Number(target.port), host: target.hostname, noDelay: true });
    socket.pipe(plain).pipe(socket);
    socket.on('error', () => plain.destroy());
    plain.on('error', () => socket.destroy());
    socket.on('close', () => plain.destroy());
    plain.on('close', () => socket.destroy());
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
