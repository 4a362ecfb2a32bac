// The handlers wired to the real DynamoLinkStore on an in-process dynalite: the table semantics the
// in-memory fake only imitates (conditional writes, GSI order and paging, start keys of deleted items).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLinkStore } from '../../../lambdas/adapters/dynamo-link-store.ts';
import { DEFAULT_LIMITS } from '../../../lambdas/domain/rules.ts';
import { createLinkHandler } from '../../../lambdas/handlers/create-link.ts';
import { deleteLinkHandler } from '../../../lambdas/handlers/delete-link.ts';
import { listLinksHandler } from '../../../lambdas/handlers/list-links.ts';
import { redirectHandler } from '../../../lambdas/handlers/redirect.ts';
import { createTableInput } from '../../../lib/local/schema.ts';
import { apiEvent, bodyOf, FakeClickRecorder, InMemoryUsageCounters, LOCAL_POLICY } from './fakes.ts';

const quota = () => ({ usage: new InMemoryUsageCounters(), limits: DEFAULT_LIMITS });

const TABLE = 'links-test';
let server: Server;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let store: DynamoLinkStore;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new CreateTableCommand(createTableInput(TABLE)));
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName: TABLE });
  doc = DynamoDBDocumentClient.from(client);
  store = new DynamoLinkStore(doc, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

let tick = 0;
/** A strictly increasing clock, so that every link has its own `created`. */
const now = () => new Date(Date.UTC(2026, 10, 22, 5, 0, 0, tick++));

const create = (sub: string, body: unknown) =>
  createLinkHandler({ ...quota(), links: store, policy: LOCAL_POLICY, now })(
    apiEvent({ method: 'POST', sub, body: JSON.stringify(body) }),
  );
const list = (sub: string, query: Record<string, string> = {}) =>
  listLinksHandler({ links: store })(apiEvent({ method: 'GET', sub, query }));
const remove = (sub: string, link: string) =>
  deleteLinkHandler({ links: store })(apiEvent({ method: 'DELETE', sub, link, routeKey: 'DELETE /links/{link}' }));

describe('links-api', () => {
  describe('handlers on DynamoLinkStore and dynalite', () => {
    it('R1.1 R1.4 R8.1 creates, refuses a taken alias with 409 and keeps the stored item unchanged', async () => {
      expect((await create('owner-1', { url: 'https://first.example/', alias: 'dyn-promo' })).statusCode).toBe(201);
      const before = await doc.send(new GetCommand({ TableName: TABLE, Key: { link: 'dyn-promo' } }));
      expect(before.Item).toEqual({
        link: 'dyn-promo',
        url: 'https://first.example/',
        creator: 'owner-1',
        created: expect.stringMatching(/^2026-11-22T05:00:00\.\d{3}Z$/),
        count: 0,
      });
      const taken = await create('owner-2', { url: 'https://second.example/', alias: 'dyn-promo' });
      expect(taken.statusCode).toBe(409);
      const after = await doc.send(new GetCommand({ TableName: TABLE, Key: { link: 'dyn-promo' } }));
      expect(after.Item).toEqual(before.Item);
    });

    it('R4.1 R4.4 R4.5 R8.4 pages newest first with no empty last page, and survives deletions', async () => {
      const made: string[] = [];
      for (let i = 0; i < 6; i++) {
        made.push(String(bodyOf(await create('pager', { url: `https://example.com/${i}` })).link));
      }
      const newestFirst = [...made].reverse();

      const pages: unknown[][] = [];
      let cursor: string | undefined;
      do {
        const body = bodyOf(await list('pager', cursor ? { limit: '3', cursor } : { limit: '3' }));
        pages.push((body.items as { link: string }[]).map((item) => item.link));
        cursor = body.nextCursor as string | undefined;
      } while (cursor);
      // Exactly 6 items in pages of 3: dynalite's LastEvaluatedKey after a full page must not add an empty page.
      expect(pages).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6)]);

      const first = bodyOf(await list('pager', { limit: '2' }));
      for (const link of newestFirst.slice(0, 3)) expect((await remove('pager', link)).statusCode).toBe(204);
      const rest = bodyOf(await list('pager', { limit: '5', cursor: String(first.nextCursor) }));
      expect((rest.items as { link: string }[]).map((item) => item.link)).toEqual(newestFirst.slice(3));
      expect(rest).not.toHaveProperty('nextCursor');
    });

    it('R4.4 R4.5 pages through links created in the same millisecond without gaps or repeats', async () => {
      const sameTime = () => new Date(Date.UTC(2026, 10, 22, 6, 0, 0, 0));
      const made = new Set<string>();
      for (let i = 0; i < 7; i++) {
        const response = await createLinkHandler({ ...quota(), links: store, policy: LOCAL_POLICY, now: sameTime })(
          apiEvent({ method: 'POST', sub: 'tied', body: JSON.stringify({ url: `https://tie.example/${i}` }) }),
        );
        made.add(String(bodyOf(response).link));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const body = bodyOf(await list('tied', cursor ? { limit: '2', cursor } : { limit: '2' }));
        seen.push(...(body.items as { link: string }[]).map((item) => item.link));
        cursor = body.nextCursor as string | undefined;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen)).toEqual(made);
    });

    it("R4.7 R4.8 never lists another creator's links, whatever the cursor", async () => {
      await create('lister-a', { url: 'https://a.example/' });
      await create('lister-b', { url: 'https://b.example/' });
      await create('lister-b', { url: 'https://b.example/2' });
      const mine = bodyOf(await list('lister-a'));
      expect((mine.items as { url: string }[]).map((item) => item.url)).toEqual(['https://a.example/']);
      const theirs = bodyOf(await list('lister-b', { limit: '1' }));
      expect((await list('lister-a', { cursor: String(theirs.nextCursor) })).statusCode).toBe(400);
    });

    it('R1.3 R4.1 shows the count the click pipeline wrote', async () => {
      const link = String(bodyOf(await create('counter', { url: 'https://count.example/' })).link);
      await doc.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: { link },
          UpdateExpression: 'ADD #count :n',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':n': 5 },
        }),
      );
      const body = bodyOf(await list('counter'));
      expect((body.items as { count: number }[])[0]?.count).toBe(5);
    });

    it('R5.1 R5.2 R5.3 R12.1 deletes only for the creator; someone else gets 404 and the link stays', async () => {
      const link = String(bodyOf(await create('deleter', { url: 'https://keep.example/' })).link);
      expect((await remove('intruder', link)).statusCode).toBe(404);
      expect((await doc.send(new GetCommand({ TableName: TABLE, Key: { link } }))).Item?.url).toBe(
        'https://keep.example/',
      );
      expect((await remove('deleter', 'unknown1')).statusCode).toBe(404);
      expect((await remove('deleter', link)).statusCode).toBe(204);
      // Only the retired code is left: who may create it again, and when it was deleted.
      expect((await doc.send(new GetCommand({ TableName: TABLE, Key: { link } }))).Item).toEqual({
        link,
        retiredBy: 'deleter',
        retiredAt: expect.any(String),
      });
    });

    it('R6.1 R6.5 R6.7 redirects a stored link and 404s an unknown one', async () => {
      const created = bodyOf(await create('visitor', { url: 'https://bücher.example/ä' }));
      const clicks = new FakeClickRecorder();
      const redirect = redirectHandler({ links: store, clicks });
      const hit = await redirect(apiEvent({ method: 'GET', link: String(created.link), sub: null }));
      expect(hit.statusCode).toBe(301);
      expect(hit.headers?.location).toBe('https://xn--bcher-kva.example/%C3%A4');
      expect(clicks.recorded.map((click) => click.link)).toEqual([created.link]);
      expect((await redirect(apiEvent({ method: 'GET', link: 'nothere1', sub: null }))).statusCode).toBe(404);
    });
  });
});
