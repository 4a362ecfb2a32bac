// The whole shortener in one stack, composed of constructs by concern. Stateful resources (table, stream,
// failed-batch bucket, user pool) follow the removal policy option; everything else is rebuilt on deploy.
import {
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Tags,
  Token,
} from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  API_FUNCTION_NAMES,
  API_FUNCTIONS,
  type ApiFunctionName,
  describeFunction,
  ORIGIN_VERIFY_HEADER,
  ROUTES,
  STATIC_PATHS,
} from '../../lambdas/declarations/routes.ts';
import { ENV, LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { Alarms } from './alarms.ts';
import { Auth } from './auth.ts';
import { ClickStream } from './click-stream.ts';
import type { ShortenerConfig } from './config.ts';
import { LinksTable } from './links-table.ts';
import { acknowledge } from './nag.ts';
import { OriginSecret } from './origin-secret.ts';
import { ShortenerApi } from './shortener-api.ts';
import {
  API_FUNCTION_TIMEOUT,
  type FunctionEntry,
  ShortenerFunction,
  type ShortenerFunctionProps,
} from './shortener-function.ts';
import { PAGE_OBJECT } from './viewer-request.ts';
import { WebAcl } from './web-acl.ts';
import { apiPathPatterns, WebSite } from './web-site.ts';

export interface ShortenerStackProps extends StackProps {
  readonly config: ShortenerConfig;
}

export const OUTPUT_NAMES = {
  siteUrl: 'SiteUrl',
  apiUrl: 'ApiUrl',
  distributionDomainName: 'DistributionDomainName',
  distributionId: 'DistributionId',
  apiEndpoint: 'ApiEndpoint',
  originSecretArn: 'OriginSecretArn',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  alarmTopicArn: 'AlarmTopicArn',
  failedBatchBucket: 'FailedBatchBucket',
  tableName: 'TableName',
  streamName: 'StreamName',
} as const;

/** The tags every resource carries (and the stack itself, so CloudFormation propagates them). */
export const APPLICATION_TAG = { key: 'application', value: 'retro-shortener' } as const;
export const STAGE_TAG_KEY = 'stage';

const dynamoActions = (actions: readonly string[]) => actions.map((action) => `dynamodb:${action}`);

export const stackName = (config: ShortenerConfig): string => `Shortener-${config.stage}`;

export class ShortenerStack extends Stack {
  readonly functions: Record<FunctionEntry, ShortenerFunction>;

  constructor(scope: Construct, id: string, props: ShortenerStackProps) {
    const { config } = props;
    const tags = { [APPLICATION_TAG.key]: APPLICATION_TAG.value, [STAGE_TAG_KEY]: config.stage };
    super(scope, id, {
      ...props,
      tags: { ...props.tags, ...tags },
      terminationProtection: props.terminationProtection ?? config.terminationProtection,
    });
    // Dashboards are left to the stack tags, which CloudFormation propagates: cfn-lint's resource schemas
    // (1.51) do not list Tags for AWS::CloudWatch::Dashboard yet and report the template as invalid.
    for (const [key, value] of Object.entries(tags)) {
      Tags.of(this).add(key, value, { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] });
    }
    const retainData = config.removalPolicy === 'retain';
    const logRemovalPolicy = retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    // The request itself shows the CloudFront and execute-api domains (see requestOrigins); only a custom
    // domain has to be configured.
    const selfOrigins = config.domainName ? [`https://${config.domainName}`] : [];

    // LOCAL_NAMES are the local mode's names and the deployed ones' prefixes.
    const links = new LinksTable(this, 'Links', { tableName: `${LOCAL_NAMES.table}-${config.stage}`, retainData });
    const auth = new Auth(this, 'Auth', {
      stage: config.stage,
      retainData,
      ...(config.ses ? { ses: config.ses } : {}),
    });
    const originSecret = new OriginSecret(this, 'OriginSecret', {
      ...(config.originSecretVersion ? { version: config.originSecretVersion } : {}),
    });

    const fn = (entry: FunctionEntry, description: string, options: Partial<ShortenerFunctionProps> = {}) =>
      new ShortenerFunction(this, entry, {
        entry,
        description,
        memorySize: 256,
        timeout: API_FUNCTION_TIMEOUT,
        logRetention,
        logRemovalPolicy,
        ...(config.reservedConcurrency[entry] === undefined
          ? {}
          : { reservedConcurrency: config.reservedConcurrency[entry] }),
        ...options,
      });
    const tableEnv = { [ENV.tableName]: links.table.tableName };

    const countClicks = fn('count-clicks', 'Applies batches of clicks from the stream to the link counters', {
      environment: tableEnv,
      timeout: Duration.minutes(1),
    });
    countClicks.allow(['dynamodb:UpdateItem', 'dynamodb:GetItem'], [links.table.tableArn]);
    const clicks = new ClickStream(this, 'Clicks', {
      streamName: `${LOCAL_NAMES.stream}-${config.stage}`,
      mode: config.kinesisMode,
      shardCount: config.shardCount,
      retentionHours: config.streamRetentionHours,
      consumer: countClicks,
      retainData,
    });

    // Each API function as the route catalog declares it: exactly the actions it uses, on exactly its
    // resources, and the environment that names those resources.
    const apiFunctions = {} as Record<ApiFunctionName, ShortenerFunction>;
    const signedIn = new Set(ROUTES.filter((route) => route.authorized).map((route) => route.function));
    for (const name of API_FUNCTION_NAMES) {
      const { access, memorySize, checksDestinations, quotas = [] } = API_FUNCTIONS[name];
      // Every API function refuses requests that did not come through CloudFront.
      const environment: Record<string, string> = { ...originSecret.environment };
      if (access.table || access.creatorIndex) environment[ENV.tableName] = links.table.tableName;
      if (access.stream) environment[ENV.streamName] = clicks.stream.streamName;
      if (checksDestinations) {
        environment[ENV.selfOrigins] = selfOrigins.join(',');
        environment[ENV.blockedHosts] = config.blockedHosts.join(',');
        environment[ENV.allowOtherShorteners] = String(config.allowOtherShorteners);
      }
      for (const quota of quotas) environment[ENV[quota]] = String(config.quotas[quota]);
      if (signedIn.has(name)) environment[ENV.requestsPerMinute] = String(config.quotas.requestsPerMinute);
      const created = fn(name, describeFunction(name), {
        environment,
        ...(memorySize === undefined ? {} : { memorySize }),
      });
      if (access.table) created.allow(dynamoActions(access.table), [links.table.tableArn]);
      if (access.creatorIndex) created.allow(dynamoActions(access.creatorIndex), [links.creatorIndexArn]);
      if (access.stream)
        created.allow(
          access.stream.map((a) => `kinesis:${a}`),
          [clicks.stream.streamArn],
        );
      apiFunctions[name] = created;
    }
    this.functions = { ...apiFunctions, 'count-clicks': countClicks };

    const api = new ShortenerApi(this, 'Api', {
      functions: apiFunctions,
      auth,
      logRetention,
      logRemovalPolicy,
    });

    const webAcl = config.waf
      ? new WebAcl(this, 'WebAcl', {
          apiPrefixes: apiPathPatterns().filter((pattern) => !pattern.endsWith('*')),
          pagePaths: [STATIC_PATHS.root, PAGE_OBJECT, STATIC_PATHS.config, STATIC_PATHS.assetsPrefix],
        })
      : undefined;

    const region = this.region;
    const site = new WebSite(this, 'Site', {
      apiOriginDomainName: api.originDomainName,
      originVerification: { header: ORIGIN_VERIFY_HEADER, value: originSecret.headerValue },
      logRetention,
      logRemovalPolicy,
      ...(webAcl ? { webAclArn: webAcl.acl.attrArn } : {}),
      pageConfig: {
        region,
        cognito: {
          endpoint: `https://cognito-idp.${region}.amazonaws.com/`,
          userPoolId: auth.userPool.userPoolId,
          clientId: auth.client.userPoolClientId,
        },
      },
      ...(config.domainName && config.certificateArn
        ? {
            customDomain: {
              domainName: config.domainName,
              certificateArn: config.certificateArn,
              ...(config.hostedZoneId ? { hostedZoneId: config.hostedZoneId } : {}),
            },
          }
        : {}),
    });

    const alarms = new Alarms(this, 'Alarms', {
      functions: this.functions,
      consumer: countClicks,
      failedBatchTopic: clicks.failedBatchTopic,
      stage: api.stage,
      dashboardName: `shortener-${config.stage}`,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });

    this.acknowledgeCdkInternals(site.bucket);

    const siteUrl = config.domainName
      ? `https://${config.domainName}`
      : `https://${site.distribution.distributionDomainName}`;
    new CfnOutput(this, OUTPUT_NAMES.siteUrl, { value: siteUrl, description: 'The page, the API and short links' });
    new CfnOutput(this, OUTPUT_NAMES.apiUrl, {
      value: `${siteUrl}/links`,
      description: 'The links API (same origin as the page)',
    });
    new CfnOutput(this, OUTPUT_NAMES.distributionDomainName, {
      value: site.distribution.distributionDomainName,
      description: 'Point the custom domain (CNAME or Route 53 alias) here',
    });
    new CfnOutput(this, OUTPUT_NAMES.distributionId, {
      value: site.distribution.distributionId,
      description: 'For invalidations and the CloudFront console',
    });
    new CfnOutput(this, OUTPUT_NAMES.apiEndpoint, {
      value: api.api.apiEndpoint,
      description: "The HTTP API's own endpoint: it answers 403 to anything that did not come through CloudFront",
    });
    new CfnOutput(this, OUTPUT_NAMES.originSecretArn, {
      value: originSecret.secret.secretArn,
      description: 'The origin-verification secret CloudFront sends to the API; see the rotation runbook',
    });
    new CfnOutput(this, OUTPUT_NAMES.userPoolId, { value: auth.userPool.userPoolId });
    new CfnOutput(this, OUTPUT_NAMES.userPoolClientId, { value: auth.client.userPoolClientId });
    new CfnOutput(this, OUTPUT_NAMES.alarmTopicArn, {
      value: alarms.topic.topicArn,
      description: 'Subscribe to get alarm notifications',
    });
    new CfnOutput(this, OUTPUT_NAMES.failedBatchBucket, {
      value: clicks.failedBatches.bucketName,
      description: 'Failed click batches, for npm run replay',
    });
    new CfnOutput(this, OUTPUT_NAMES.tableName, { value: links.table.tableName });
    new CfnOutput(this, OUTPUT_NAMES.streamName, { value: clicks.stream.streamName });
  }

  /** How cdk-nag spells the region in a finding id: the literal when the stack has one, else the pseudo parameter. */
  private regionForNag(): string {
    return Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
  }

  private partitionForNag(): string {
    return Token.isUnresolved(this.partition) ? '<AWS::Partition>' : this.partition;
  }

  /** Findings on the Lambda-backed custom resources that the CDK itself adds (none of them runs our code). */
  private acknowledgeCdkInternals(pageBucket: s3.Bucket): void {
    const child = (prefix: string) => {
      const found = this.node.children.find((c) => c.node.id.startsWith(prefix));
      if (!found) throw new Error(`no ${prefix}* construct in the stack`);
      return found;
    };
    const basicExecutionRole =
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]' as const;

    const notifications = child('BucketNotificationsHandler');
    acknowledge(
      notifications,
      basicExecutionRole,
      "CDK's own handler that configures the failed-batch bucket's event notification once per deployment; its only managed policy lets it write its own logs.",
    );

    const deployment = child('Custom::CDKBucketDeployment');
    acknowledge(
      deployment,
      basicExecutionRole,
      "CDK's BucketDeployment handler runs only during deployments; the managed policy only lets it write its logs.",
    );
    const deploymentWildcards: Record<string, string> = {
      'Action::s3:GetBucket*': 'reads the CDK asset bucket holding the page build',
      'Action::s3:GetObject*': 'reads the page build from the CDK asset bucket',
      'Action::s3:List*': 'lists the page bucket to find stale files to prune',
      'Action::s3:Abort*': 'aborts its own failed multipart uploads to the page bucket',
      'Action::s3:DeleteObject*': 'prunes files of a previous page build from the page bucket',
      [`Resource::arn:${this.partitionForNag()}:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-${this.regionForNag()}/*`]:
        'reads the page build from the bootstrap asset bucket, under a content-hash key known only at deploy time',
      [`Resource::<${this.getLogicalId(pageBucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`]:
        'writes every file of the page into the page bucket',
      'Resource::*':
        'creates the CloudFront invalidation after upload; CreateInvalidation has no resource-level permissions',
    };
    for (const [finding, reason] of Object.entries(deploymentWildcards)) {
      acknowledge(deployment, `AwsSolutions-IAM5[${finding}]`, `CDK's BucketDeployment handler ${reason}.`);
    }
    acknowledge(
      deployment,
      'AwsSolutions-L1',
      "The runtime of CDK's BucketDeployment handler is chosen by aws-cdk-lib (Python); it runs only during deployments.",
    );
  }
}
