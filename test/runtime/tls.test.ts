// The harness's TLS fronts, which the bench's cold starts use: the bundled redirect reaches DynamoDB and Kinesis
// over HTTPS as on AWS (its lean client picks node:https for an https endpoint and signs host:port), and only the
// function's process trusts the certificate.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions } from './functions.ts';
import { LambdaEmulator } from './lambda-emulator.ts';
import { redirectEvent, startWorld, type World } from './world.ts';

let world: World;

beforeAll(async () => {
  deployedFunctions();
  world = await startWorld({ tls: true });
});
afterAll(async () => {
  await world?.close();
});

describe('lambda-runtime', () => {
  it('R1.6 over TLS fronts, the bundled redirect answers 301 and its click lands before the freeze', async () => {
    const url = 'https://example.com/over-tls';
    await world.putLink('tls00001', url);
    const config = deployedFunctions().functions.redirect;
    expect(world.endpoints.AWS_ENDPOINT_URL_DYNAMODB).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const fn = await LambdaEmulator.start({ ...config, environment: { ...config.environment, ...world.endpoints } });
    let writtenAtFreeze = 0;
    fn.onFreeze = () => {
      writtenAtFreeze = world.proxy.puts.filter((put) => put.outcome === 'written').length;
    };
    try {
      for (const cold of [true, false]) {
        const report = await fn.invoke(redirectEvent('tls00001'));
        expect(report.status, `cold: ${cold}`).toBe('success');
        expect(report.response).toMatchObject({ statusCode: 301, headers: { location: url } });
      }
      expect(writtenAtFreeze).toBe(2);
    } finally {
      await fn.close();
    }
  });

  it('R1.6 the certificate is trusted by the function alone: this process refuses it', async () => {
    const refused = await new Promise<string>((resolve) => {
      const req = request(world.endpoints.AWS_ENDPOINT_URL_DYNAMODB as string, { method: 'POST' }, () =>
        resolve('accepted'),
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end();
    });
    expect(refused).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });
});
