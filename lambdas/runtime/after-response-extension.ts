// An internal Lambda extension (Extensions API, in the function's own process) that lets work started
// by a handler finish after the response has gone out, inside the same invocation. Lambda ends an
// invocation, and may freeze the environment, only once the runtime has posted the response AND every
// registered extension has asked for its next event. So after each INVOKE this extension waits for the
// handler to return, then for `flush()`, and only then asks for the next event.
import { request } from 'node:http';

/** Wraps a handler so that the extension knows when the invocation's response is ready. */
export type AfterResponse = <H extends (...args: never[]) => Promise<unknown>>(handler: H) => H;

export interface AfterResponseOptions {
  /** `host:port` of the Runtime API; Lambda sets AWS_LAMBDA_RUNTIME_API. Unset: not on Lambda, a no-op. */
  runtimeApi?: string | undefined;
  /** Shown in Lambda's logs and errors. */
  name?: string;
  /** Where to report a broken extension; defaults to stderr. */
  onError?: (message: string, error: unknown) => void;
}

interface ExtensionEvent {
  eventType: 'INVOKE';
  deadlineMs?: number;
  requestId?: string;
}

const API_VERSION = '2020-01-01';
/** Time left for Lambda itself after the extension's wait for a handler that never signals. */
const DEADLINE_MARGIN_MS = 200;

/**
 * Registers the extension; call it during init (top-level await in the entry module), since Lambda
 * accepts registrations only then. Returns the wrapper to put around the exported handler. Internal
 * extensions can register only for INVOKE: Lambda stops them together with the runtime.
 * If Lambda refuses the registration, the function still answers: the wrapper then finishes the
 * flush before the handler returns, so the work still ends inside the invocation, only later.
 */
export async function registerAfterResponseExtension(
  flush: () => Promise<void>,
  options: AfterResponseOptions = {},
): Promise<AfterResponse> {
  const runtimeApi = 'runtimeApi' in options ? options.runtimeApi : process.env.AWS_LAMBDA_RUNTIME_API;
  if (!runtimeApi) return (handler) => handler;

  const onError =
    options.onError ??
    ((message: string, error: unknown) =>
      console.error({ message, error: error instanceof Error ? error.message : error }));
  const register = await call(runtimeApi, 'POST', `/${API_VERSION}/extension/register`, {
    headers: { 'Lambda-Extension-Name': options.name ?? 'after-response' },
    body: JSON.stringify({ events: ['INVOKE'] }),
  }).catch((error: unknown) => ({ status: 0, headers: {}, body: String(error) }) as RawResponse);
  const extensionId = register.headers['lambda-extension-identifier'];
  if (register.status !== 200 || typeof extensionId !== 'string') {
    onError('after-response extension not registered; flushing before each response instead', {
      status: register.status,
      body: register.body,
    });
    return flushBeforeReturning(flush);
  }

  const handlers = new HandlerProgress();
  void eventLoop(runtimeApi, extensionId, handlers, flush).catch(async (error) => {
    onError('after-response extension stopped', error);
    // Tells Lambda to reset the environment instead of waiting for this extension forever.
    await call(runtimeApi, 'POST', `/${API_VERSION}/extension/exit/error`, {
      headers: {
        'Lambda-Extension-Identifier': extensionId,
        'Lambda-Extension-Function-Error-Type': 'Extension.Stopped',
      },
      body: JSON.stringify({ errorMessage: `${error}`, errorType: 'Extension.Stopped' }),
    }).catch(() => {});
  });
  return handlers.wrap;
}

async function eventLoop(
  runtimeApi: string,
  extensionId: string,
  handlers: HandlerProgress,
  flush: () => Promise<void>,
): Promise<void> {
  for (;;) {
    // The first call also tells Lambda that this extension's init is done.
    const next = await call(runtimeApi, 'GET', `/${API_VERSION}/extension/event/next`, {
      headers: { 'Lambda-Extension-Identifier': extensionId },
    });
    if (next.status !== 200) throw new Error(`extension/event/next answered ${next.status}: ${next.body}`);
    const event = JSON.parse(next.body) as ExtensionEvent;
    // Bounded by the invocation's own deadline, in case a handler is ever left unwrapped.
    await handlers.nextCompleted(event.deadlineMs === undefined ? undefined : event.deadlineMs - DEADLINE_MARGIN_MS);
    await flush().catch(() => {});
  }
}

/** Without the extension: the invocation's response waits for the flush. */
function flushBeforeReturning(flush: () => Promise<void>): AfterResponse {
  return (handler) =>
    (async (...args: Parameters<typeof handler>) => {
      try {
        return await handler(...args);
      } finally {
        await flush().catch(() => {});
      }
    }) as typeof handler;
}

/**
 * Counts handler completions against INVOKE events. Lambda runs one invocation at a time per
 * environment, but the handler may finish before or after this extension hears of the INVOKE.
 */
class HandlerProgress {
  private completed = 0;
  private awaited = 0;
  private wake: (() => void) | undefined;

  readonly wrap: AfterResponse = (handler) =>
    (async (...args: Parameters<typeof handler>) => {
      try {
        return await handler(...args);
      } finally {
        this.completed++;
        this.wake?.();
      }
    }) as typeof handler;

  async nextCompleted(deadlineMs: number | undefined): Promise<void> {
    this.awaited++;
    if (this.completed >= this.awaited) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.wake = () => {
        if (this.completed >= this.awaited) resolve();
      };
      if (deadlineMs !== undefined) timer = setTimeout(resolve, Math.max(0, deadlineMs - Date.now()));
    });
    clearTimeout(timer);
    this.wake = undefined;
    // A handler that never signalled still counts as done, so the next INVOKE is not matched to it.
    this.completed = Math.max(this.completed, this.awaited);
  }
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Plain node:http, without a timeout: `event/next` is a long poll that can stay open for as long as
 * the environment sits idle (and frozen), which fetch's default header timeout would cut off.
 */
function call(
  runtimeApi: string,
  method: 'GET' | 'POST',
  path: string,
  { headers, body }: { headers: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`http://${runtimeApi}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
