// The links table, built from LINKS_TABLE in the definitions (local mode creates its table from the same).
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { LINKS_TABLE } from '../../lambdas/declarations/storage.ts';

export interface LinksTableProps {
  /** Physical table name (`links-<stage>`): a retained table stays recognisable after `cdk destroy`. */
  readonly tableName: string;
  /** `retain`: deletion protection on and the table outlives `cdk destroy`. */
  readonly retainData: boolean;
}

const ATTRIBUTE_TYPES = { S: dynamodb.AttributeType.STRING } as const;

export class LinksTable extends Construct {
  readonly table: dynamodb.Table;
  /** ARN of the `byCreator` index: the only resource the list function may query. */
  readonly creatorIndexArn: string;

  constructor(scope: Construct, id: string, props: LinksTableProps) {
    super(scope, id);
    const { partitionKey, creatorIndex } = LINKS_TABLE;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: partitionKey.name, type: ATTRIBUTE_TYPES[partitionKey.type] },
      // On-demand: nothing to pay while idle, no capacity to tune for bursts of redirects.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Usage counters and per-day click items carry an expiry; links never do. Reads filter on it too,
      // since TTL deletes within days, not on time (and local mode's dynalite never deletes).
      timeToLiveAttribute: LINKS_TABLE.timeToLiveAttribute,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: creatorIndex.name,
      partitionKey: { name: creatorIndex.partitionKey.name, type: ATTRIBUTE_TYPES[creatorIndex.partitionKey.type] },
      sortKey: { name: creatorIndex.sortKey.name, type: ATTRIBUTE_TYPES[creatorIndex.sortKey.type] },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...creatorIndex.nonKeyAttributes],
    });
    this.creatorIndexArn = `${this.table.tableArn}/index/${creatorIndex.name}`;
  }
}
