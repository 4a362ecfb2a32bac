// Real dynalite, in-process on 127.0.0.1 port 0, with the links table created from the definitions,
// for running the fault scenarios through the real DynamoCounterStore.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { DynamoCounterStore } from '../../lambdas/adapters/dynamo-counter-store.ts';
import { DynamoDayStore } from '../../lambdas/adapters/dynamo-day-store.ts';
import { ensureTable } from '../../lib/local/provision.ts';

export interface DynaliteTable {
  doc: DynamoDBDocumentClient;
  tableName: string;
  counters: DynamoCounterStore;
  days: DynamoDayStore;
  /** Puts a new item, as a create does, of the given incarnation (default: a random one). */
  addLink(link: string, incarnation?: string): Promise<void>;
  deleteLink(link: string): Promise<void>;
  item(link: string): Promise<Record<string, unknown> | undefined>;
  count(link: string): Promise<number | undefined>;
  close(): Promise<void>;
}

export async function startDynaliteTable(tableName = 'links'): Promise<DynaliteTable> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, tableName);
  const doc = DynamoDBDocumentClient.from(client);
  const item = async (link: string) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: { link }, ConsistentRead: true }))).Item;
  return {
    doc,
    tableName,
    counters: new DynamoCounterStore(doc, tableName),
    days: new DynamoDayStore(doc, tableName),
    addLink: async (link, incarnation = globalThis.crypto.randomUUID()) => {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            link,
            url: `https://example.com/${link}`,
            creator: 'u',
            created: new Date().toISOString(),
            count: 0,
            bots: 0,
            incarnation,
          },
        }),
      );
    },
    deleteLink: async (link) => {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { link } }));
    },
    item,
    count: async (link) => (await item(link))?.count as number | undefined,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
