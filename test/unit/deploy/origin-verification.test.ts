// The functions' half of "the API only through CloudFront": the secret header is required when configured,
// accepted in both its current and previous value, removed before the handler runs; local mode needs none.
import { describe, expect, it } from 'vitest';
import { DISTRIBUTION_HOST_HEADER, ORIGIN_VERIFY_HEADER } from '../../../lambdas/declarations/routes.ts';
import { ENV } from '../../../lambdas/declarations/runtime.ts';
import { apiHandler } from '../../../lambdas/http/handle.ts';
import { originSecretsFromEnv, requestOrigins, verifyOrigin } from '../../../lambdas/http/origin-verification.ts';
import { json } from '../../../lambdas/http/responses.ts';
import { apiEvent, CapturingLogger } from '../../handlers/links/fakes.ts';
import { seededRandom } from '../../support/seeded.ts';

const CURRENT = 'cUrReNt0123456789abcdefghijklmnopqrstuvwxyzABCD';
const PREVIOUS = 'pReViOuS0123456789abcdefghijklmnopqrstuvwxyzABC';
const deployed = originSecretsFromEnv({ [ENV.originSecret]: CURRENT });

/** A handler that echoes the headers it was given, behind the origin check. */
const echo = (secrets = deployed) =>
  apiHandler(async (event) => json(200, { headers: event.headers }), new CapturingLogger(), secrets);

describe('aws-deployment', () => {
  it('R12.3 a request without the header, or with a wrong value, gets 403 and never reaches the handler', async () => {
    let reached = 0;
    const handler = apiHandler(
      async () => {
        reached += 1;
        return json(200, {});
      },
      new CapturingLogger(),
      deployed,
    );
    const attempts: Record<string, string>[] = [
      {},
      { [ORIGIN_VERIFY_HEADER]: '' },
      { [ORIGIN_VERIFY_HEADER]: `${CURRENT}x` },
    ];
    for (const headers of attempts) {
      const response = await handler(apiEvent({ headers }));
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body ?? '{}')).toEqual({ error: expect.stringMatching(/public address/) });
    }
    expect(reached).toBe(0);
  });

  it('R12.3 a request carrying the secret reaches the handler, with the header removed', async () => {
    const response = await echo()(apiEvent({ headers: { [ORIGIN_VERIFY_HEADER]: CURRENT } }));
    expect(response.statusCode).toBe(200);
    const { headers } = JSON.parse(response.body ?? '{}') as { headers: Record<string, string> };
    expect(headers[ORIGIN_VERIFY_HEADER]).toBeUndefined();
    expect(response.body).not.toContain(CURRENT);
  });

  it('R12.4 local mode sets no secret, and then its own gateway is trusted', async () => {
    const local = originSecretsFromEnv({});
    expect(local.digests).toHaveLength(0);
    expect((await echo(local)(apiEvent())).statusCode).toBe(200);
  });

  it('R12.5 during a rotation both the current and the previous value are accepted, nothing else', async () => {
    const rotating = originSecretsFromEnv({ [ENV.originSecret]: CURRENT, [ENV.originSecretPrevious]: PREVIOUS });
    for (const value of [CURRENT, PREVIOUS]) {
      expect(verifyOrigin(apiEvent({ headers: { [ORIGIN_VERIFY_HEADER]: value } }), rotating), value).toBe(true);
    }
    expect(verifyOrigin(apiEvent({ headers: { [ORIGIN_VERIFY_HEADER]: 'older' } }), rotating)).toBe(false);
  });

  it('R12.3 for any secret and any presented value, the request passes exactly when they are equal', () => {
    const random = seededRandom(12);
    const alphabet = 'abcXYZ019';
    const word = () => Array.from({ length: random.int(1, 6) }, () => random.pick([...alphabet])).join('');
    for (let run = 0; run < 500; run++) {
      const secret = word();
      const presented = random.chance(0.3) ? secret : word();
      const secrets = originSecretsFromEnv({ [ENV.originSecret]: secret });
      const passed = verifyOrigin(apiEvent({ headers: { [ORIGIN_VERIFY_HEADER]: presented } }), secrets);
      expect(passed, `seed 12 run ${run}: ${secret} vs ${presented}`).toBe(presented === secret);
    }
  });

  it('R12.6 the origins a request shows: the viewer host, the distribution domain and the execute-api domain', () => {
    const event = apiEvent({
      headers: { 'x-forwarded-host': 'go.example.com', [DISTRIBUTION_HOST_HEADER]: 'd111.cloudfront.net' },
    });
    expect(requestOrigins(event)).toEqual([
      'https://go.example.com',
      'https://d111.cloudfront.net',
      'https://abc123.execute-api.us-east-1.amazonaws.com',
    ]);
  });
});
