// The redirect function's bundle, as synthesized, under AWS's runtime interface client and an emulated
// Lambda lifecycle (freeze included), on dynalite and kinesalite: the 301 goes out first, the click put
// lands before the environment is frozen, and every failure of the stream or the extension is bounded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLICK_PUT } from '../../lambdas/domain/click.ts';
import { deployedFunctions } from './functions.ts';
import { type EmulatorOptions, type InvokeReport, LambdaEmulator } from './lambda-emulator.ts';
import { redirectEvent, startWorld, type World } from './world.ts';

let world: World;
let redirect: LambdaEmulator | undefined;
/** At each freeze: puts the proxy had not answered yet, and clicks written so far, per link. */
let freezes: { at: number; inFlight: number; written: Map<string, number> }[];

beforeAll(async () => {
  deployedFunctions();
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});
afterEach(async () => {
  await redirect?.close();
  redirect = undefined;
  world.proxy.fault = { kind: 'none' };
});

async function startRedirect(options: EmulatorOptions = {}): Promise<LambdaEmulator> {
  const config = deployedFunctions().functions.redirect;
  const emulator = await LambdaEmulator.start(
    { ...config, environment: { ...config.environment, ...world.endpoints } },
    options,
  );
  freezes = [];
  emulator.onFreeze = () => {
    const written = new Map<string, number>();
    for (const put of world.proxy.puts) {
      if (put.outcome !== 'written') continue;
      const link = String(put.click.link);
      written.set(link, (written.get(link) ?? 0) + 1);
    }
    freezes.push({ at: performance.now(), inFlight: world.proxy.inFlight(), written });
  };
  redirect = emulator;
  return emulator;
}

const putsFor = (link: string) => world.proxy.puts.filter((put) => put.click.link === link);

function expect301(report: InvokeReport, url: string): void {
  expect(report.status).toBe('success');
  expect(report.response).toMatchObject({ statusCode: 301, headers: { location: url } });
}

describe('lambda-runtime', () => {
  it('R2.1 posts the 301 before its click put completes, and the put lands before the freeze (Kinesis +500 ms)', async () => {
    const url = 'https://example.com/slow-stream';
    await world.putLink('slow0001', url);
    const fn = await startRedirect();
    world.proxy.fault = { kind: 'delay', ms: 500 };

    const report = await fn.invoke(redirectEvent('slow0001'));
    expect301(report, url);
    const [put] = putsFor('slow0001');
    expect(put?.outcome).toBe('written');
    // The runtime posted the 301 while the put was still waiting for Kinesis' answer...
    expect(report.respondedAt).toBeLessThan(put?.answeredAt ?? 0);
    // ...and the invocation ended, and the environment froze, only after the answer.
    expect(put?.answeredAt).toBeLessThanOrEqual(report.endedAt);
    expect(freezes.at(-1)).toMatchObject({ inFlight: 0 });
    expect(freezes.at(-1)?.written.get('slow0001')).toBe(1);
    const records = await world.streamRecords();
    expect(records.filter((record) => JSON.parse(record.data).link === 'slow0001')).toHaveLength(1);
  });

  it('R2.2 R4.1 with every put throttled: the 301 goes out, the invocation ends at once, the click is reported lost at level ERROR and in LostClicks', async () => {
    const url = 'https://example.com/throttled';
    await world.putLink('thrott01', url);
    const fn = await startRedirect();
    world.proxy.fault = { kind: 'throttle' };

    const report = await fn.invoke(redirectEvent('thrott01'));
    expect301(report, url);
    // One HTTP request per recorder attempt: the SDK itself does not retry a throttled put.
    expect(putsFor('thrott01').map((put) => put.outcome)).toEqual(
      Array.from({ length: CLICK_PUT.attempts }, () => 'throttled'),
    );
    expect(report.durationMs).toBeLessThan(CLICK_PUT.attemptDeadlineMs);
    const lines = fn.jsonLines();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        requestId: report.requestId,
        message: expect.objectContaining({ message: 'click lost', link: 'thrott01', attempts: CLICK_PUT.attempts }),
      }),
    );
    const metric = lines.find((line) => 'LostClicks' in line);
    expect(metric).toMatchObject({
      LostClicks: 1,
      Service: 'redirect',
      _aws: { CloudWatchMetrics: [{ Namespace: 'Shortener', Metrics: [{ Name: 'LostClicks', Unit: 'Count' }] }] },
    });

    world.proxy.fault = { kind: 'none' };
    expect301(await fn.invoke(redirectEvent('thrott01')), url);
    expect(putsFor('thrott01').at(-1)?.outcome).toBe('written');
  });

  it('R2.2 with a stream that never answers: the invocation is held no longer than every attempt’s deadline, then ends', async () => {
    const url = 'https://example.com/hanging';
    await world.putLink('hang0001', url);
    const fn = await startRedirect();
    world.proxy.fault = { kind: 'hang' };

    const report = await fn.invoke(redirectEvent('hang0001'));
    expect301(report, url);
    expect(report.status).toBe('success');
    const bound = CLICK_PUT.attempts * CLICK_PUT.attemptDeadlineMs;
    expect(report.postRuntimeExtensionsDurationMs).toBeGreaterThanOrEqual(bound - 50);
    expect(report.durationMs).toBeLessThan(bound + 1_000);
    expect(putsFor('hang0001')).toHaveLength(CLICK_PUT.attempts);
    expect(fn.jsonLines().some((line) => line.LostClicks === 1)).toBe(true);
  });

  it('R1.3 R2.3 is never frozen with a put in flight, over many invocations back to back and after an idle freeze', async () => {
    const url = 'https://example.com/busy';
    await world.putLink('busy0001', url);
    const fn = await startRedirect();
    const invocations = 30;
    for (let i = 0; i < invocations; i++) {
      // Every third put is slow, so that some invocations end well after their response.
      world.proxy.fault = i % 3 === 2 ? { kind: 'delay', ms: 80 } : { kind: 'none' };
      expect301(await fn.invoke(redirectEvent('busy0001')), url);
    }
    // Idle while frozen: nothing may be left to finish when it thaws.
    expect(fn.isFrozen).toBe(true);
    const idleUntil = performance.now() + 1_500;
    while (performance.now() < idleUntil) await new Promise((resolve) => setTimeout(resolve, 100));
    world.proxy.fault = { kind: 'delay', ms: 80 };
    expect301(await fn.invoke(redirectEvent('busy0001')), url);

    expect(freezes).toHaveLength(invocations + 1);
    freezes.forEach((freeze, index) => {
      expect({ index, inFlight: freeze.inFlight, written: freeze.written.get('busy0001') }).toEqual({
        index,
        inFlight: 0,
        written: index + 1,
      });
    });
  });

  it('R2.4 HEAD answers 301 and puts nothing', async () => {
    const url = 'https://example.com/head';
    await world.putLink('head0001', url);
    const fn = await startRedirect();
    expect301(await fn.invoke(redirectEvent('head0001', 'HEAD')), url);
    expect(putsFor('head0001')).toEqual([]);
  });

  it('R2.5 when Lambda refuses the extension’s registration, the function still answers and its click lands before the freeze', async () => {
    const url = 'https://example.com/refused';
    await world.putLink('refuse01', url);
    const fn = await startRedirect({ refuseRegistration: 403 });
    world.proxy.fault = { kind: 'delay', ms: 100 };

    const report = await fn.invoke(redirectEvent('refuse01'));
    expect301(report, url);
    expect(fn.lifecycle.map((event) => event.what)).toContain('register-refused');
    expect(freezes.at(-1)?.written.get('refuse01')).toBe(1);
    expect(fn.jsonLines()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: expect.objectContaining({ message: expect.stringContaining('not registered') }),
      }),
    );
  });

  it('R1.5 R2.6 when the extension exits with an error, the invocation still ends, the environment is reset and the next request is answered', async () => {
    const url = 'https://example.com/broken-extension';
    await world.putLink('broken01', url);
    const fn = await startRedirect();
    expect301(await fn.invoke(redirectEvent('broken01')), url);

    fn.failExtensionNext();
    const broken = await fn.invoke(redirectEvent('broken01'));
    expect301(broken, url);
    expect(fn.lifecycle.map((event) => event.what)).toEqual(expect.arrayContaining(['exit-error', 'reset']));
    // The click of that invocation was flushed before the extension asked for its next event.
    expect(putsFor('broken01').map((put) => put.outcome)).toEqual(['written', 'written']);

    const after = await fn.invoke(redirectEvent('broken01'));
    expect301(after, url);
    expect(after.initDurationMs).toBeGreaterThan(0);
    expect(freezes.at(-1)?.written.get('broken01')).toBe(3);
  });

  it('R1.2 refuses an extension registration once init is over', async () => {
    await world.putLink('late0001', 'https://example.com/late');
    const fn = await startRedirect();
    await fn.invoke(redirectEvent('late0001', 'HEAD'));
    const late = await fetch(`http://${fn.runtimeApiAddress}/2020-01-01/extension/register`, {
      method: 'POST',
      headers: { 'Lambda-Extension-Name': 'late' },
      body: JSON.stringify({ events: ['INVOKE'] }),
    });
    expect(late.status).toBe(403);
    expect(fn.lifecycle.filter((event) => event.what === 'register').map((event) => event.detail)).toEqual([
      'after-response',
    ]);
  });

  it('R1.4 reports init duration on a cold start only, and duration, billed duration and post-runtime extensions time on each invoke', async () => {
    await world.putLink('report01', 'https://example.com/report');
    const fn = await startRedirect();
    const cold = await fn.invoke(redirectEvent('report01'));
    const warm = await fn.invoke(redirectEvent('report01'));
    expect(cold.initDurationMs).toBeGreaterThan(0);
    expect(warm.initDurationMs).toBeUndefined();
    for (const report of [cold, warm]) {
      expect(report.billedDurationMs).toBe(Math.ceil(report.durationMs));
      expect(report.postRuntimeExtensionsDurationMs).toBeGreaterThan(0);
      expect(report.postRuntimeExtensionsDurationMs).toBeLessThan(report.durationMs);
    }
    expect(fn.lifecycle.map((event) => event.what)).toEqual([
      'start',
      'register',
      'init-done',
      'invoke',
      'response',
      'extensions-done',
      'freeze',
      'thaw',
      'invoke',
      'response',
      'extensions-done',
      'freeze',
    ]);
  });
});
