// An emulator of one Lambda execution environment, written from Lambda's documented lifecycle, around
// AWS's real Node.js runtime interface client (aws-lambda-ric). It serves the Runtime API and the
// Extensions API on 127.0.0.1 and drives one process of the function:
// - init: the process starts; extensions may register only until the runtime first asks for an event;
//   init ends when the runtime and every registered extension have called `next` (init timeout: reset);
// - invoke: the event goes to the runtime and an INVOKE event to every extension; the invocation ends
//   when the runtime has posted its response (or error) and the runtime and every extension have called
//   `next` again (invoke timeout: reset); then the process is frozen (SIGSTOP) until the next invoke thaws it (SIGCONT);
// - `exit/error` or `init/error` from an extension resets the environment after the invocation (the
//   next invoke is a cold start); `init/error` from the runtime fails the init.
// It reports what Lambda's REPORT line does: init duration, duration, billed duration and the
// post-runtime extensions duration.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { header, readBody } from '../support/http-request.ts';

const RIC = createRequire(import.meta.url).resolve('aws-lambda-ric');
const RUNTIME = '/2018-06-01/runtime';
const EXTENSION = '/2020-01-01/extension';

export interface FunctionConfig {
  /** Function name, as in `AWS_LAMBDA_FUNCTION_NAME`. */
  name: string;
  /** The folder Lambda unpacks the code into (`LAMBDA_TASK_ROOT`). */
  codeDir: string;
  handler: string;
  memoryMb: number;
  timeoutMs: number;
  /** The function's own environment variables (from the template), plus endpoint overrides. */
  environment: Record<string, string>;
  /** Lambda's log format and application log level (`LoggingConfig`). */
  logFormat?: 'JSON' | 'Text';
  logLevel?: string;
}

export interface EmulatorOptions {
  /** Lambda's init phase limit is 10 s. */
  initTimeoutMs?: number;
  /** Answer extension registration with this status instead of accepting it. */
  refuseRegistration?: number;
  /** Extra Node.js options for the function's process (for benchmarks, e.g. the compile cache). */
  nodeOptions?: string[];
}

export type InvokeStatus = 'success' | 'error' | 'timeout' | 'init-error';

export interface InvokeReport {
  requestId: string;
  status: InvokeStatus;
  /** Present on a cold start: from process start to the end of init. */
  initDurationMs?: number;
  /**
   * Present on a cold start: CPU time the process used during init (all its threads). Unlike the wall time it
   * does not grow when other processes load the machine, so benchmarks compare it too.
   */
  initCpuMs?: number;
  /** From the invoke to the end of the invocation (runtime response, then `next` from the runtime and every extension). */
  durationMs: number;
  billedDurationMs: number;
  /** From the runtime's response to the end of the invocation. */
  postRuntimeExtensionsDurationMs: number;
  /** The runtime's response (or error) body, parsed. */
  response?: unknown;
  /** `performance.now()` times in this process, for ordering against other observers. */
  invokedAt: number;
  respondedAt?: number;
  endedAt: number;
}

/** One lifecycle step, in order, with its `performance.now()` time. */
export interface LifecycleEvent {
  at: number;
  what:
    | 'start'
    | 'register'
    | 'register-refused'
    | 'init-done'
    | 'init-error'
    | 'invoke'
    | 'response'
    | 'extensions-done'
    | 'freeze'
    | 'thaw'
    | 'exit-error'
    | 'reset';
  detail?: string;
}

interface Extension {
  id: string;
  name: string;
  events: string[];
  held?: ServerResponse;
  exited: boolean;
}

interface Invocation {
  requestId: string;
  deadlineMs: number;
  invokedAt: number;
  respondedAt?: number;
  response?: unknown;
  status?: 'success' | 'error';
  extensionsPending: Set<string>;
  settle: () => void;
}

export class LambdaEmulator {
  readonly lifecycle: LifecycleEvent[] = [];
  /** Every line the function's process wrote on stdout or stderr, in order. */
  readonly output: string[] = [];
  /** Called right before each freeze: the moment a test checks that nothing is left in flight. */
  onFreeze: (() => void) | undefined;

  private server: Server;
  private runtimeApi = '';
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private frozen = false;
  private phase: 'none' | 'init' | 'ready' | 'invoking' = 'none';
  private runtimeHeld: ServerResponse | undefined;
  private runtimeAskedNext = false;
  private extensions = new Map<string, Extension>();
  private initSettled: ((error?: Error) => void) | undefined;
  private invocation: Invocation | undefined;
  private resetAfterInvoke = false;
  private failingExtensionCalls = 0;

  private constructor(
    readonly config: FunctionConfig,
    private readonly options: EmulatorOptions,
  ) {
    this.server = createServer((req, res) => {
      readBody(req).then((body) => this.route(req, res, body));
    });
  }

  static async start(config: FunctionConfig, options: EmulatorOptions = {}): Promise<LambdaEmulator> {
    const emulator = new LambdaEmulator(config, options);
    await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', resolve));
    emulator.runtimeApi = `127.0.0.1:${(emulator.server.address() as AddressInfo).port}`;
    return emulator;
  }

  /** The function's log lines that are JSON (Lambda's JSON log format, EMF metrics), parsed. */
  jsonLines(): Record<string, unknown>[] {
    return this.output.flatMap((line) => {
      try {
        const value = JSON.parse(line) as unknown;
        return value !== null && typeof value === 'object' ? [value as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  }

  /** The next `count` extension `event/next` calls are answered with a 500, as a broken Extensions API would. */
  failExtensionNext(count = 1): void {
    this.failingExtensionCalls = count;
  }

  /** `host:port` of the emulated Runtime and Extensions APIs (`AWS_LAMBDA_RUNTIME_API`). */
  get runtimeApiAddress(): string {
    return this.runtimeApi;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** Invokes the function once, starting (cold) or thawing its environment as Lambda would. */
  async invoke(event: unknown): Promise<InvokeReport> {
    let initDurationMs: number | undefined;
    let initCpuMs: number | undefined;
    if (!this.child) {
      const started = performance.now();
      const initError = await this.init();
      initDurationMs = performance.now() - started;
      initCpuMs = cpuMs((this.child as ChildProcess | undefined)?.pid);
      if (initError) {
        const endedAt = performance.now();
        return {
          requestId: '',
          status: 'init-error',
          initDurationMs,
          durationMs: 0,
          billedDurationMs: 0,
          postRuntimeExtensionsDurationMs: 0,
          response: initError.message,
          invokedAt: endedAt,
          endedAt,
        };
      }
    } else if (this.frozen) {
      this.mark('thaw');
      this.child.kill('SIGCONT');
      this.frozen = false;
    }

    const requestId = randomUUID();
    const invokedAt = performance.now();
    const deadlineMs = Date.now() + this.config.timeoutMs;
    const done = new Promise<void>((resolve) => {
      this.invocation = {
        requestId,
        deadlineMs,
        invokedAt,
        extensionsPending: new Set(this.liveExtensions().map((extension) => extension.id)),
        settle: resolve,
      };
    });
    const invocation = this.invocation as unknown as Invocation;
    this.phase = 'invoking';
    this.mark('invoke', requestId);
    for (const extension of this.liveExtensions()) {
      if (!extension.events.includes('INVOKE')) {
        invocation.extensionsPending.delete(extension.id);
        continue;
      }
      this.answer(extension.held, 200, {
        eventType: 'INVOKE',
        deadlineMs,
        requestId,
        invokedFunctionArn: this.functionArn(),
        tracing: { type: 'X-Amzn-Trace-Id', value: `Root=1-${requestId.slice(0, 8)}` },
      });
      extension.held = undefined;
    }
    const runtime = this.runtimeHeld;
    this.runtimeHeld = undefined;
    this.runtimeAskedNext = false;
    runtime?.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': requestId,
      'lambda-runtime-deadline-ms': String(deadlineMs),
      'lambda-runtime-invoked-function-arn': this.functionArn(),
      'lambda-runtime-trace-id': `Root=1-${requestId.slice(0, 8)};Sampled=0`,
    });
    runtime?.end(JSON.stringify(event));

    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      done.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), this.config.timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const endedAt = performance.now();
    this.invocation = undefined;
    const report: InvokeReport = {
      requestId,
      status: timedOut ? 'timeout' : (invocation.status ?? 'error'),
      initDurationMs,
      initCpuMs,
      durationMs: endedAt - invokedAt,
      billedDurationMs: Math.ceil(endedAt - invokedAt),
      postRuntimeExtensionsDurationMs: invocation.respondedAt === undefined ? 0 : endedAt - invocation.respondedAt,
      response: invocation.response,
      invokedAt,
      respondedAt: invocation.respondedAt,
      endedAt,
    };
    if (timedOut || this.resetAfterInvoke) {
      await this.reset(timedOut ? 'invoke timeout' : 'an extension exited with an error');
    } else {
      this.phase = 'ready';
      this.mark('extensions-done');
      this.onFreeze?.();
      this.mark('freeze');
      this.child?.kill('SIGSTOP');
      this.frozen = true;
    }
    return report;
  }

  /** Ends the environment (the next invoke is a cold start). */
  async reset(reason = 'reset'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.mark('reset', reason);
    child.kill('SIGKILL');
    await this.exited;
    this.child = undefined;
    this.frozen = false;
    this.phase = 'none';
    this.runtimeHeld = undefined;
    this.runtimeAskedNext = false;
    this.extensions.clear();
    this.resetAfterInvoke = false;
    this.server.closeAllConnections();
  }

  async close(): Promise<void> {
    await this.reset('close');
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async init(): Promise<Error | undefined> {
    this.phase = 'init';
    this.mark('start');
    const { config } = this;
    const child = spawn(process.execPath, [...(this.options.nodeOptions ?? []), RIC], {
      cwd: config.codeDir,
      env: this.environment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        this.output.push(...lines.filter(Boolean));
      });
    }
    const initTimeoutMs = this.options.initTimeoutMs ?? 10_000;
    const error = await new Promise<Error | undefined>((resolve) => {
      const timer = setTimeout(
        () => settle(new Error(`init did not finish within ${initTimeoutMs} ms`)),
        initTimeoutMs,
      );
      const onExit = (code: number | null) => settle(new Error(`the runtime process exited during init (${code})`));
      child.once('exit', onExit);
      const settle = (failure?: Error) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        this.initSettled = undefined;
        resolve(failure);
      };
      this.initSettled = settle;
    });
    if (error) {
      this.mark('init-error', error.message);
      await this.reset('init failed');
      return error;
    }
    this.mark('init-done');
    this.phase = 'ready';
    return undefined;
  }

  /** What Lambda sets for a Node.js function, plus the function's own variables. */
  private environment(): NodeJS.ProcessEnv {
    const { config } = this;
    return {
      PATH: process.env.PATH,
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      LAMBDA_TASK_ROOT: config.codeDir,
      _HANDLER: config.handler,
      AWS_LAMBDA_RUNTIME_API: this.runtimeApi,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: config.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: 'emulated',
      AWS_LAMBDA_LOG_FORMAT: config.logFormat ?? 'Text',
      ...(config.logLevel ? { AWS_LAMBDA_LOG_LEVEL: config.logLevel } : {}),
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
      ...config.environment,
    };
  }

  private route(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = req.url ?? '';
    const method = req.method ?? 'GET';
    if (method === 'POST' && url === `${EXTENSION}/register`) return this.register(req, res, body);
    if (method === 'GET' && url === `${EXTENSION}/event/next`) return this.extensionNext(req, res);
    if (method === 'POST' && (url === `${EXTENSION}/exit/error` || url === `${EXTENSION}/init/error`)) {
      return this.extensionError(req, res, url.endsWith('init/error') ? 'init' : 'exit', body);
    }
    if (method === 'GET' && url === `${RUNTIME}/invocation/next`) return this.runtimeNext(res);
    const posted = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (method === 'POST' && posted) {
      return this.runtimeResult(res, decodeURIComponent(posted[1] ?? ''), posted[2] as string, body);
    }
    if (method === 'POST' && url === `${RUNTIME}/init/error`) {
      this.answer(res, 202, { status: 'OK' });
      this.initSettled?.(new Error(`runtime init error: ${body}`));
      return;
    }
    this.answer(res, 404, { errorMessage: `unknown ${method} ${url}`, errorType: 'InvalidRequest' });
  }

  private register(req: IncomingMessage, res: ServerResponse, body: string) {
    const name = header(req, 'lambda-extension-name') ?? '';
    if (this.options.refuseRegistration) {
      this.mark('register-refused', name);
      return this.answer(res, this.options.refuseRegistration, {
        errorMessage: 'registration refused by the test',
        errorType: 'Extension.Refused',
      });
    }
    // Registration is part of init: once the runtime has asked for its first event it is too late.
    if (this.phase !== 'init' || this.runtimeAskedNext) {
      this.mark('register-refused', name);
      return this.answer(res, 403, {
        errorMessage: 'extensions can only register during init, before the runtime asks for its first event',
        errorType: 'Extension.InvalidState',
      });
    }
    const events = (JSON.parse(body || '{}') as { events?: string[] }).events ?? [];
    // Lambda stops internal extensions (registered from the runtime's process) with the runtime.
    if (events.includes('SHUTDOWN')) {
      this.mark('register-refused', name);
      return this.answer(res, 400, {
        errorMessage: 'internal extensions cannot register for SHUTDOWN',
        errorType: 'Extension.ShutdownEventNotSupportedForInternalExtension',
      });
    }
    const id = randomUUID();
    this.extensions.set(id, { id, name, events, exited: false });
    this.mark('register', name);
    res.writeHead(200, { 'content-type': 'application/json', 'lambda-extension-identifier': id });
    res.end(
      JSON.stringify({ functionName: this.config.name, functionVersion: '$LATEST', handler: this.config.handler }),
    );
  }

  private extensionNext(req: IncomingMessage, res: ServerResponse) {
    const extension = this.extensions.get(header(req, 'lambda-extension-identifier') ?? '');
    if (!extension || extension.exited) {
      return this.answer(res, 403, { errorMessage: 'unknown extension', errorType: 'Extension.Unknown' });
    }
    if (this.failingExtensionCalls > 0) {
      this.failingExtensionCalls--;
      return this.answer(res, 500, { errorMessage: 'failure injected by the test', errorType: 'ServiceException' });
    }
    extension.held = res;
    if (this.phase === 'init') this.checkInitDone();
    else if (this.invocation) {
      this.invocation.extensionsPending.delete(extension.id);
      this.checkInvocationDone();
    }
  }

  private extensionError(req: IncomingMessage, res: ServerResponse, kind: 'init' | 'exit', body: string): void {
    const extension = this.extensions.get(header(req, 'lambda-extension-identifier') ?? '');
    this.answer(res, 202, { status: 'OK' });
    if (!extension) return;
    extension.exited = true;
    this.mark('exit-error', `${kind}: ${header(req, 'lambda-extension-function-error-type') ?? ''} ${body}`);
    // Lambda resets the environment once an extension has failed; the invocation under way still ends.
    this.resetAfterInvoke = true;
    if (kind === 'init') this.initSettled?.(new Error(`extension init error: ${body}`));
    if (this.invocation) {
      this.invocation.extensionsPending.delete(extension.id);
      this.checkInvocationDone();
    } else if (this.phase === 'init') this.checkInitDone();
  }

  private runtimeNext(res: ServerResponse): void {
    this.runtimeHeld = res;
    this.runtimeAskedNext = true;
    if (this.phase === 'init') this.checkInitDone();
    else this.checkInvocationDone();
  }

  private runtimeResult(res: ServerResponse, requestId: string, kind: string, body: string) {
    const invocation = this.invocation;
    if (!invocation || invocation.requestId !== requestId || invocation.respondedAt !== undefined) {
      return this.answer(res, 400, { errorMessage: 'no such invocation under way', errorType: 'InvalidRequestID' });
    }
    invocation.respondedAt = performance.now();
    invocation.status = kind === 'response' ? 'success' : 'error';
    try {
      invocation.response = JSON.parse(body);
    } catch {
      invocation.response = body;
    }
    this.mark('response', requestId);
    this.answer(res, 202, { status: 'OK' });
    this.checkInvocationDone();
  }

  private checkInitDone(): void {
    if (!this.runtimeAskedNext) return;
    if (this.liveExtensions().some((extension) => !extension.held)) return;
    this.initSettled?.();
  }

  /** Lambda ends an invocation once the runtime and every extension have signalled it with `next`. */
  private checkInvocationDone(): void {
    const invocation = this.invocation;
    if (!invocation || invocation.respondedAt === undefined || !this.runtimeAskedNext) return;
    if (invocation.extensionsPending.size > 0) return;
    invocation.settle();
  }

  private liveExtensions(): Extension[] {
    return [...this.extensions.values()].filter((extension) => !extension.exited);
  }

  private functionArn(): string {
    return `arn:aws:lambda:us-east-1:123456789012:function:${this.config.name}`;
  }

  private answer(res: ServerResponse | undefined, status: number, body: unknown): void {
    res?.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private mark(what: LifecycleEvent['what'], detail?: string): void {
    this.lifecycle.push({ at: performance.now(), what, ...(detail === undefined ? {} : { detail }) });
  }
}

/** CPU time of every thread of a (Linux) process so far, from the scheduler's nanosecond counters. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}
