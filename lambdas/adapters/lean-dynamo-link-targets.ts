import { LINKS_TABLE } from '../declarations/storage.ts';
import type { LinkStore, LinkTarget } from '../ports.ts';
import type { AwsJsonClient } from './aws-json-client.ts';

const { attributes: A } = LINKS_TABLE;

type AttributeValue = { S?: string };

/**
 * The redirect's one read, on the lean JSON client: GetItem of the link's `url` and incarnation. The same
 * request DynamoLinkStore.findTarget sends through the SDK, retried once when DynamoDB throttles or fails.
 */
export class LeanDynamoLinkTargets implements Pick<LinkStore, 'findTarget'> {
  constructor(
    private readonly client: AwsJsonClient,
    private readonly tableName: string,
  ) {}

  async findTarget(link: string): Promise<LinkTarget | undefined> {
    const input = {
      TableName: this.tableName,
      Key: { [A.link]: { S: link } },
      // The incarnation rides along in the same read: clicks carry it so that they count only on this life
      // of the code (`created` names links stored before incarnations had ids).
      ProjectionExpression: '#url, #incarnation, #created',
      ExpressionAttributeNames: { '#url': A.url, '#incarnation': A.incarnation, '#created': A.created },
    };
    const read = () => this.client.call<{ Item?: Record<string, AttributeValue> }>('GetItem', input);
    const { Item } = await read().catch((error: unknown) => {
      if (!isRetryable(error)) throw error;
      return read();
    });
    const url = Item?.[A.url]?.S;
    const incarnation = Item?.[A.incarnation]?.S ?? Item?.[A.created]?.S;
    return typeof url === 'string' && typeof incarnation === 'string' ? { url, incarnation } : undefined;
  }
}

/** Throttling, a server error or a broken connection: worth one more try; a 4xx is not. */
function isRetryable(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  if (status === undefined) return true;
  return status >= 500 || /Throughput|Throttl|LimitExceeded/.test((error as Error).name);
}
