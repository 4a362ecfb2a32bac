import { afterEach, describe, expect, it } from 'vitest';
import { PendingClicks } from '../../../lambdas/domain/pending-clicks.ts';
import { registerAfterResponseExtension } from '../../../lambdas/runtime/after-response-extension.ts';
import { type FakeExtensionsApi, startFakeExtensionsApi } from './fake-extensions-api.ts';
import { capturingLogger, click, type Deferred, deferred, eventually } from './support.ts';

/** A click put that finishes only when the test says so, logging into the API's log for ordering. */
function heldSink(api: FakeExtensionsApi) {
  const puts: Deferred[] = [];
  return {
    puts,
    sink: {
      put: async () => {
        const put = deferred();
        puts.push(put);
        await put.promise;
        api.log.push('put-done');
      },
    },
  };
}

/** Closing the fake API at teardown breaks the held event/next call; that is expected here. */
const stoppedByTeardown = () => {};

const invoke = (requestId: string) => ({
  eventType: 'INVOKE',
  requestId,
  deadlineMs: Date.now() + 60_000,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:redirect',
});

// Orderings the runtime harness (test/runtime/) cannot force: these drive the extension against a
// stand-in Extensions API that sends each event when the test says so.
describe('click-pipeline', () => {
  let api: FakeExtensionsApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('R2.2 waits for a handler that returns after the INVOKE event reached the extension, invocation after invocation', async () => {
    const fake = await startFakeExtensionsApi();
    api = fake;
    const { sink, puts } = heldSink(fake);
    const clicks = new PendingClicks(sink, capturingLogger());
    const afterResponse = await registerAfterResponseExtension(() => clicks.flush(), {
      runtimeApi: fake.runtimeApi,
      onError: stoppedByTeardown,
    });
    const gate = deferred();
    const handler = afterResponse(async (link: string) => {
      await gate.promise;
      clicks.record(click(link));
      return 'done';
    });
    await eventually(() => fake.waiting() === 1, 'init to finish');

    fake.send(invoke('r1'));
    const first = handler('a');
    // The extension has the INVOKE but the handler has not recorded anything: flushing now would end
    // the invocation before the put exists, so it must keep waiting.
    await eventually(() => fake.log.includes('event:INVOKE'), 'the INVOKE to be sent');
    expect(fake.waiting()).toBe(0);
    gate.resolve();
    await first;
    await eventually(() => puts.length === 1, 'the put to start');
    expect(fake.waiting()).toBe(0);
    puts[0]?.resolve();
    await eventually(() => fake.waiting() === 1, 'the first invocation to end');

    // Second invocation: the handler finishes before the extension hears of the INVOKE.
    await handler('b');
    fake.send(invoke('r2'));
    await eventually(() => puts.length === 2, 'the second put to start');
    expect(fake.waiting()).toBe(0);
    puts[1]?.resolve();
    await eventually(() => fake.waiting() === 1, 'the second invocation to end');
    expect(fake.log.filter((line) => line === 'put-done')).toHaveLength(2);
  });

  it('R2.2 never holds an invocation past its deadline, even for a handler that was left unwrapped', async () => {
    const fake = await startFakeExtensionsApi();
    api = fake;
    let flushes = 0;
    await registerAfterResponseExtension(
      async () => {
        flushes++;
      },
      { runtimeApi: fake.runtimeApi, onError: stoppedByTeardown },
    );
    await eventually(() => fake.waiting() === 1, 'init to finish');
    // No wrapped handler ever returns; the INVOKE's deadline is already close.
    fake.send({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: Date.now() + 250 });
    await eventually(() => fake.waiting() === 1, 'the extension to give up waiting and finish the invocation');
    expect(flushes).toBe(1);
  });

  it('R2.5 is a no-op outside Lambda: no registration, the handler is returned unchanged', async () => {
    const handler = async () => 'ok';
    const afterResponse = await registerAfterResponseExtension(async () => {}, { runtimeApi: undefined });
    expect(afterResponse(handler)).toBe(handler);
  });
});
