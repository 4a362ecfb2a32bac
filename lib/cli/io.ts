// The process around the client, passed in so tests can run it in-process with fakes.

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  now: () => Date;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on stderr and reads one line from the terminal; `hidden` does not echo (passwords). */
export function prompt(io: Io, question: string, hidden: boolean): Promise<string> {
  const { stdin } = io;
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const raw = hidden && typeof stdin.setRawMode === 'function';
    const finish = () => {
      if (raw) stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      if (raw) io.stderr.write('\n');
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    if (raw) stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}
