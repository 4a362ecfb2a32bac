// The page side of local mode: the static page, its config, and a Cognito endpoint the page can call.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCognito } from '../../lib/local/cognito-api.ts';
import { pageSecurityHeaders } from '../../lib/web/security-headers.ts';
import { TEST_PASSWORD, uniqueEmail } from '../support/cognito.ts';
import { rawGet, startTestSystem, type TestSystem, waitFor } from '../support/local-system.ts';

const FRONTEND = fileURLToPath(new URL('../../frontend', import.meta.url));

describe('local-mode', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.dispose());

  const expectSecurityHeaders = (response: Response) => {
    for (const [name, value] of Object.entries(pageSecurityHeaders(system.pageConfig.cognito.endpoint))) {
      expect(response.headers.get(name)).toBe(value);
    }
  };

  it('R5.3 serves /config.json with the region and the Cognito endpoint, pool and client, without auth', async () => {
    const response = await fetch(`${system.url}/config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const config = await response.json();
    expect(config).toEqual({
      region: 'us-east-1',
      cognito: {
        endpoint: `${system.endpoints.cognito}/`,
        userPoolId: expect.stringMatching(/^local_/),
        clientId: expect.any(String),
      },
    });
    expect(config).toEqual(system.pageConfig);
  });

  it('R5.1 serves frontend/index.html at / with the page security headers', async () => {
    const response = await fetch(`${system.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe(await readFile(path.join(FRONTEND, 'index.html'), 'utf8'));
    expectSecurityHeaders(response);
  });

  it('R5.2 serves every file under frontend/assets with its content type', async () => {
    const types: Record<string, RegExp> = {
      '.js': /^text\/javascript/,
      '.css': /^text\/css/,
      '.svg': /^image\/svg\+xml/,
      '.png': /^image\/png/,
      '.json': /^application\/json/,
    };
    const files = (await readdir(path.join(FRONTEND, 'assets'))).filter((file) => path.extname(file) in types);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const response = await fetch(`${system.url}/assets/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(types[path.extname(file)] as RegExp);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(await readFile(path.join(FRONTEND, 'assets', file)));
      expectSecurityHeaders(response);
    }
  });

  it('R5.2 never serves a file outside frontend/assets', async () => {
    const attempts = [
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/assets/%00index.html',
      '/assets/',
      '/assets/missing.js',
    ];
    for (const attempt of attempts) {
      const { status, body } = await rawGet(system.url, attempt);
      expect(status, attempt).toBe(404);
      expect(body).not.toContain('"devDependencies"');
    }
  });

  it('R5.4 lets the page origin call the Cognito endpoint cross-origin (CORS preflight and response)', async () => {
    const endpoint = system.pageConfig.cognito.endpoint;
    const preflight = await fetch(endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: system.url,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toMatch(new RegExp(`^(\\*|${system.url})$`));
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/x-amz-target/);

    const call = await fetch(endpoint, {
      method: 'POST',
      headers: {
        origin: system.url,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPoolClient',
      },
      body: JSON.stringify({
        UserPoolId: system.pageConfig.cognito.userPoolId,
        ClientId: system.pageConfig.cognito.clientId,
      }),
    });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toMatch(new RegExp(`^(\\*|${system.url})$`));
  });

  it('R5.5 prints the confirmation code of a sign-up on the console', async () => {
    const email = uniqueEmail('code');
    await callCognito(system.pageConfig.cognito.endpoint, 'SignUp', {
      ClientId: system.pageConfig.cognito.clientId,
      Username: email,
      Password: TEST_PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    const line = await waitFor(async () => system.logs.find((entry) => entry.includes(email)), {
      what: 'confirmation code logged',
    });
    const code = /Code:\s+(\d{6})/.exec(line)?.[1];
    expect(code).toBeDefined();
    // The printed code is the real one: ConfirmSignUp accepts it.
    await expect(
      callCognito(system.pageConfig.cognito.endpoint, 'ConfirmSignUp', {
        ClientId: system.pageConfig.cognito.clientId,
        Username: email,
        ConfirmationCode: code,
      }),
    ).resolves.toBeDefined();
  });
});
