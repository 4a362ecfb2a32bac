// Page config, Cognito through the advertised endpoint, and which bearer tokens the API accepts.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  bootWithUser,
  claims,
  cognito,
  errorBody,
  eventually,
  newEmail,
  newUser,
  otherClient,
  otherPool,
  PASSWORD,
  type PageConfig,
  resign,
  type Shortener,
  signIn,
  tamper,
  type User,
} from './harness.ts';

let shortener: Shortener;
let config: PageConfig;
let user: User;

beforeAll(async () => {
  ({ shortener, config, user } = await bootWithUser());
});

afterAll(async () => {
  await shortener?.stop();
});

describe('contract', () => {
  it('Page config: GET /config.json is 200 JSON without auth, with region and cognito endpoint/pool/client', async () => {
    const response = await fetch(`${shortener.url}/config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as PageConfig;
    expect(Object.keys(body).sort()).toEqual(['cognito', 'region']);
    expect(body.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    expect(Object.keys(body.cognito).sort()).toEqual(['clientId', 'endpoint', 'userPoolId']);
    expect(new URL(body.cognito.endpoint).protocol).toMatch(/^https?:$/);
    expect(body.cognito.userPoolId).not.toBe('');
    expect(body.cognito.clientId).not.toBe('');
  });

  it('Page config: SignUp prints the confirmation code on the console and ConfirmSignUp with it works', async () => {
    const email = newEmail('confirm');
    const signUp = await cognito(config.cognito.endpoint, 'SignUp', {
      ClientId: config.cognito.clientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    expect(signUp.status).toBe(200);
    const code = await eventually(
      async () => {
        const out = shortener.stdout();
        const at = out.lastIndexOf(email);
        return at < 0 ? undefined : /Code:\s*(\d{4,8})/.exec(out.slice(at))?.[1];
      },
      5_000,
      'confirmation code on stdout',
    );
    const beforeConfirm = await cognito(config.cognito.endpoint, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: config.cognito.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: PASSWORD },
    });
    expect(beforeConfirm.status).toBe(400);
    const confirm = await cognito(config.cognito.endpoint, 'ConfirmSignUp', {
      ClientId: config.cognito.clientId,
      Username: email,
      ConfirmationCode: code,
    });
    expect(confirm.status).toBe(200);
    const tokens = await signIn(config.cognito, email);
    expect((await api(shortener.url, tokens.accessToken).list()).status).toBe(200);
  });

  it('Page config: the cognito endpoint accepts cross-origin calls from the page origin (CORS preflight)', async () => {
    const response = await fetch(config.cognito.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: shortener.url,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target',
      },
    });
    expect(response.status).toBeLessThan(300);
    expect(['*', shortener.url]).toContain(response.headers.get('access-control-allow-origin'));
    const allowed = String(response.headers.get('access-control-allow-headers')).toLowerCase();
    expect(allowed === '*' || (allowed.includes('x-amz-target') && allowed.includes('content-type'))).toBe(true);
  });

  it('Page config: InitiateAuth USER_PASSWORD_AUTH gives an access token of this pool and client', () => {
    const access = claims(user.accessToken);
    expect(access.token_use).toBe('access');
    expect(access.client_id).toBe(config.cognito.clientId);
    expect(String(access.iss)).toMatch(new RegExp(`/${config.cognito.userPoolId}$`));
  });

  it('R7.1 API: a request without Authorization gets 401 {"error"} on every authenticated route', async () => {
    const anonymous = api(shortener.url);
    for (const response of [
      await anonymous.create({ url: 'https://example.com/' }),
      await anonymous.list(),
      await anonymous.remove('whatever'),
    ]) {
      expect(response.status).toBe(401);
      await errorBody(response);
    }
  });

  it('API: a malformed Authorization header (not a JWT, empty bearer, Basic) gets 401', async () => {
    for (const header of ['Bearer', 'Bearer not-a-jwt', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', 'Bearer ']) {
      const response = await api(shortener.url).send('GET', '/links', undefined, { authorization: header });
      expect(response.status, header).toBe(401);
      await errorBody(response);
    }
  });

  it('API: a tampered access token (payload changed, signature kept) gets 401', async () => {
    const response = await api(shortener.url, tamper(user.accessToken)).list();
    expect(response.status).toBe(401);
    await errorBody(response);
  });

  it('API: an expired access token gets 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await resign(user.accessToken, { iat: now - 7200, exp: now - 3600 });
    const response = await api(shortener.url, expired).list();
    expect(response.status).toBe(401);
    await errorBody(response);
    // The re-signing itself is sound: the same token with a future exp is accepted.
    const fresh = await resign(user.accessToken, { exp: now + 3600 });
    expect((await api(shortener.url, fresh).list()).status).toBe(200);
  });

  it("API: another pool's access token gets 401", async () => {
    const pool = await otherPool(config.cognito);
    const stranger = await newUser(pool);
    const response = await api(shortener.url, stranger.accessToken).list();
    expect(response.status).toBe(401);
    await errorBody(response);
  });

  it("API: another app client's access and ID tokens of the same pool get 401", async () => {
    const client = await otherClient(config.cognito);
    const tokens = await signIn(client, user.email);
    expect(claims(tokens.accessToken).client_id).toBe(client.clientId);
    for (const token of [tokens.accessToken, tokens.idToken]) {
      const response = await api(shortener.url, token).list();
      expect(response.status).toBe(401);
      await errorBody(response);
    }
  });

  it('API: an ID token with aud = the page client is accepted and acts as the same user', async () => {
    expect(claims(user.idToken).aud).toBe(config.cognito.clientId);
    const created = await api(shortener.url, user.idToken).create({ url: 'https://example.com/id-token' });
    expect(created.status).toBe(201);
    const { link } = (await created.json()) as { link: string };
    const mine = (await (await api(shortener.url, user.accessToken).list()).json()) as { items: { link: string }[] };
    expect(mine.items.map((item) => item.link)).toContain(link);
  });

  it('API: forged tokens are refused with 401 (alg none, HS256, wrong issuer, wrong client_id, future nbf, ID token for another aud)', async () => {
    const [header = '', payload = ''] = user.accessToken.split('.');
    const withAlg = (alg: string) =>
      Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), alg })).toString(
        'base64url',
      );
    const hs256Input = `${withAlg('HS256')}.${payload}`;
    const now = Math.floor(Date.now() / 1000);
    const forged = {
      algNone: `${withAlg('none')}.${payload}.`,
      hs256: `${hs256Input}.${createHmac('sha256', 'guess').update(hs256Input).digest('base64url')}`,
      wrongIssuer: await resign(user.accessToken, { iss: `http://127.0.0.1:1/${config.cognito.userPoolId}` }),
      wrongClientId: await resign(user.accessToken, { client_id: 'someone-else' }),
      notYetValid: await resign(user.accessToken, { nbf: now + 3600 }),
      idTokenOtherAud: await resign(user.idToken, { aud: 'someone-else' }),
    };
    for (const [name, token] of Object.entries(forged)) {
      const response = await api(shortener.url, token).list();
      expect(response.status, name).toBe(401);
      await errorBody(response);
    }
  });

  it('R7.1 API: a token with the wrong token_use or without a sub is refused with 401', async () => {
    const noUse = await resign(user.accessToken, { token_use: 'refresh' });
    expect((await api(shortener.url, noUse).list()).status).toBe(401);
    const noSub = await resign(user.accessToken, { sub: undefined });
    expect((await api(shortener.url, noSub).list()).status).toBe(401);
  });
});
