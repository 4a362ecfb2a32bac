// Template assertions on the default deployment (stage prod, provisioned stream, retained data).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATCH_ALL_ROUTES, ROUTES } from '../../lambdas/declarations/routes.ts';
import { ENV } from '../../lambdas/declarations/runtime.ts';
import { LINKS_TABLE } from '../../lambdas/declarations/storage.ts';
import { CLICK_STREAM } from '../../lambdas/declarations/stream.ts';
import { lostClicksMetricLine } from '../../lambdas/domain/pending-clicks.ts';
import { STREAM_READ_ACTIONS } from '../../lib/stack/click-stream.ts';
import { DEFAULT_QUOTAS } from '../../lib/stack/config.ts';
import { AUTHORIZED_ROUTE_THROTTLE, REDIRECT_THROTTLE } from '../../lib/stack/shortener-api.ts';
import { FUNCTION_ENTRIES, type FunctionEntry } from '../../lib/stack/shortener-function.ts';
import { OUTPUT_NAMES } from '../../lib/stack/shortener-stack.ts';
import { PAGE_CACHE_CONTROL } from '../../lib/stack/web-site.ts';
import { pageSecurityHeaders } from '../../lib/web/security-headers.ts';
import { onlyResource, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

const ALL_ROUTES = [...ROUTES, ...CATCH_ALL_ROUTES];

let synth: Synthesized;
let ids: {
  table: string;
  stream: string;
  failedBatches: string;
  functions: Record<FunctionEntry, { fn: string; role: string; logGroup: string }>;
};

const ENTRIES = FUNCTION_ENTRIES;

beforeAll(() => {
  synth = synthesize();
  const { template, stack } = synth;
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
  ids = {
    table: onlyResource(template, 'AWS::DynamoDB::Table').logicalId,
    stream: onlyResource(template, 'AWS::Kinesis::Stream').logicalId,
    failedBatches:
      Object.keys(resourcesOfType(template, 'AWS::S3::Bucket')).find((id) => id.includes('FailedBatches')) ?? '',
    functions: Object.fromEntries(
      ENTRIES.map((entry) => {
        const construct = stack.functions[entry];
        return [
          entry,
          {
            fn: logicalId(construct.function),
            role: logicalId(construct.role),
            logGroup: logicalId(construct.logGroup),
          },
        ];
      }),
    ) as Record<FunctionEntry, { fn: string; role: string; logGroup: string }>,
  };
});

/** Renders an IAM resource expression as text: `{Fn::GetAtt:[X,Arn]}` -> `X.Arn`, joins concatenated. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(render).join(',');
  const object = value as Record<string, unknown>;
  if ('Fn::GetAtt' in object) return (object['Fn::GetAtt'] as string[]).join('.');
  if ('Ref' in object) return `Ref:${String(object.Ref)}`;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  return JSON.stringify(value);
}

/** Every `action on resource` pair granted to a role, by any policy in the template or inline on the role. */
function grantsOf(roleId: string): string[] {
  const { template } = synth;
  const statements: Array<{ Effect: string; Action: string | string[]; Resource: unknown }> = [];
  for (const policy of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
    const roles = (policy.Properties.Roles ?? []) as Array<{ Ref?: string }>;
    if (roles.some((role) => role.Ref === roleId)) {
      statements.push(...(policy.Properties.PolicyDocument as { Statement: typeof statements }).Statement);
    }
  }
  const role = resourcesOfType(template, 'AWS::IAM::Role')[roleId];
  for (const inline of (role?.Properties.Policies ?? []) as Array<{
    PolicyDocument: { Statement: typeof statements };
  }>) {
    statements.push(...inline.PolicyDocument.Statement);
  }
  return statements.flatMap((statement) => {
    expect(statement.Effect).toBe('Allow');
    const actions = [statement.Action].flat();
    const resources = [statement.Resource].flat();
    return actions.flatMap((action) => resources.map((resource) => `${action} on ${render(resource)}`));
  });
}

describe('aws-deployment', () => {
  describe('links table', () => {
    it('R4.1 has the partition key and the byCreator index (keys, INCLUDE projection) from LINKS_TABLE', () => {
      const { properties } = onlyResource(synth.template, 'AWS::DynamoDB::Table');
      const { partitionKey, creatorIndex } = LINKS_TABLE;
      expect(properties.KeySchema).toEqual([{ AttributeName: partitionKey.name, KeyType: 'HASH' }]);
      expect(properties.GlobalSecondaryIndexes).toEqual([
        {
          IndexName: creatorIndex.name,
          KeySchema: [
            { AttributeName: creatorIndex.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: creatorIndex.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...creatorIndex.nonKeyAttributes] },
        },
      ]);
      expect(properties.AttributeDefinitions).toEqual(
        expect.arrayContaining([
          { AttributeName: 'link', AttributeType: 'S' },
          { AttributeName: 'creator', AttributeType: 'S' },
          { AttributeName: 'created', AttributeType: 'S' },
        ]),
      );
    });

    it('R4.2 bills on demand and has point-in-time recovery', () => {
      const { properties } = onlyResource(synth.template, 'AWS::DynamoDB::Table');
      expect(properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    });

    it('R4.3 is deletion-protected and retained by default', () => {
      const [table] = Object.values(resourcesOfType(synth.template, 'AWS::DynamoDB::Table'));
      expect(table?.Properties.DeletionProtectionEnabled).toBe(true);
      expect(table?.DeletionPolicy).toBe('Retain');
      expect(table?.UpdateReplacePolicy).toBe('Retain');
    });

    it('R4.3 by default the user pool and the failed click batches are retained too', () => {
      const [pool] = Object.values(resourcesOfType(synth.template, 'AWS::Cognito::UserPool'));
      expect(pool?.Properties.DeletionProtection).toBe('ACTIVE');
      expect(pool?.DeletionPolicy).toBe('Retain');
      const failedBatches = resourcesOfType(synth.template, 'AWS::S3::Bucket')[ids.failedBatches];
      expect(failedBatches?.DeletionPolicy).toBe('Retain');
    });
  });

  describe('click stream', () => {
    it('R5.1 is encrypted at rest with the AWS managed Kinesis key', () => {
      const { properties } = onlyResource(synth.template, 'AWS::Kinesis::Stream');
      expect(properties.StreamEncryption).toEqual({ EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' });
    });

    it('R5.2 has one provisioned shard by default', () => {
      const { properties } = onlyResource(synth.template, 'AWS::Kinesis::Stream');
      expect(properties.StreamModeDetails).toEqual({ StreamMode: 'PROVISIONED' });
      expect(properties.ShardCount).toBe(CLICK_STREAM.shardCount);
      expect(properties.RetentionPeriodHours).toBe(CLICK_STREAM.retentionHours);
    });

    it('R5.4 feeds count-clicks with exactly the CLICK_STREAM.consumer settings', () => {
      const { properties } = onlyResource(synth.template, 'AWS::Lambda::EventSourceMapping');
      const settings = CLICK_STREAM.consumer;
      expect(properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [ids.stream, 'Arn'] },
        FunctionName: { Ref: ids.functions['count-clicks'].fn },
        BatchSize: settings.batchSize,
        MaximumBatchingWindowInSeconds: settings.maxBatchingWindowSeconds,
        ParallelizationFactor: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: settings.maxRetryAttempts,
        MaximumRecordAgeInSeconds: settings.maxRecordAgeSeconds,
        StartingPosition: settings.startingPosition,
      });
    });

    it('R5.5 sends failed invocations to the failed-batch S3 bucket', () => {
      const { properties } = onlyResource(synth.template, 'AWS::Lambda::EventSourceMapping');
      expect(properties.DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': [ids.failedBatches, 'Arn'] } },
      });
    });

    it('R5.6 announces every failed-batch object on an SNS topic', () => {
      const notifications = onlyResource(synth.template, 'Custom::S3BucketNotifications').properties;
      expect(notifications.BucketName).toEqual({ Ref: ids.failedBatches });
      const config = notifications.NotificationConfiguration as { TopicConfigurations: Array<Record<string, unknown>> };
      expect(config.TopicConfigurations).toHaveLength(1);
      expect(config.TopicConfigurations[0]?.Events).toEqual(['s3:ObjectCreated:*']);
    });
  });

  describe('functions', () => {
    const memory: Record<FunctionEntry, number> = {
      'create-link': 256,
      'bulk-create-links': 512,
      'list-links': 256,
      'get-link': 256,
      'edit-link': 256,
      'delete-link': 256,
      'moderate-link': 256,
      openapi: 128,
      redirect: 512,
      'not-allowed': 128,
      'count-clicks': 256,
    };

    it('R6.1 there is one function per entry point, on the newest Node.js runtime the CDK knows, arm64', () => {
      const functions = resourcesOfType(synth.template, 'AWS::Lambda::Function');
      const newest = Runtime.ALL.map((runtime) => /^nodejs(\d+)\.x$/.exec(runtime.name)?.[1])
        .filter((version): version is string => version !== undefined)
        .map(Number)
        .sort((a, b) => b - a)[0];
      for (const entry of ENTRIES) {
        const properties = functions[ids.functions[entry].fn]?.Properties;
        expect(properties?.Runtime, entry).toBe(`nodejs${newest}.x`);
        expect(properties?.Architectures, entry).toEqual(['arm64']);
        expect(properties?.Handler, entry).toBe('index.handler');
      }
    });

    it('R6.1 each function has the memory size chosen for it', () => {
      const functions = resourcesOfType(synth.template, 'AWS::Lambda::Function');
      for (const entry of ENTRIES) {
        expect(functions[ids.functions[entry].fn]?.Properties.MemorySize, entry).toBe(memory[entry]);
      }
    });

    it('R6.3 each function logs JSON to its own log group with a retention', () => {
      const functions = resourcesOfType(synth.template, 'AWS::Lambda::Function');
      const logGroups = resourcesOfType(synth.template, 'AWS::Logs::LogGroup');
      for (const entry of ENTRIES) {
        const { fn, logGroup } = ids.functions[entry];
        expect(functions[fn]?.Properties.LoggingConfig, entry).toMatchObject({
          LogFormat: 'JSON',
          LogGroup: { Ref: logGroup },
        });
        expect(logGroups[logGroup]?.Properties.RetentionInDays, entry).toBe(30);
      }
    });

    it('R6.6 each function gets exactly the environment variables (names from ENV) it reads', () => {
      const functions = resourcesOfType(synth.template, 'AWS::Lambda::Function');
      const env = (entry: FunctionEntry) =>
        (functions[ids.functions[entry].fn]?.Properties.Environment as { Variables?: Record<string, unknown> })
          ?.Variables ?? {};
      const table = { Ref: ids.table };
      // Every API function checks the origin-verification secret (R12.2); the consumer is not reachable over HTTP.
      const origin = { [ENV.originSecret]: env('redirect')[ENV.originSecret] };
      const signedIn = { ...origin, [ENV.requestsPerMinute]: String(DEFAULT_QUOTAS.requestsPerMinute) };
      const destinations = { [ENV.selfOrigins]: '', [ENV.blockedHosts]: '' };
      expect(env('create-link')).toEqual({
        ...signedIn,
        ...destinations,
        [ENV.tableName]: table,
        [ENV.linksPerDay]: String(DEFAULT_QUOTAS.linksPerDay),
      });
      expect(env('bulk-create-links')).toEqual({
        ...signedIn,
        ...destinations,
        [ENV.tableName]: table,
        [ENV.bulkRowsPerDay]: String(DEFAULT_QUOTAS.bulkRowsPerDay),
      });
      expect(env('edit-link')).toEqual({ ...signedIn, ...destinations, [ENV.tableName]: table });
      expect(env('list-links')).toEqual({ ...signedIn, [ENV.tableName]: table });
      expect(env('get-link')).toEqual({ ...signedIn, [ENV.tableName]: table });
      expect(env('delete-link')).toEqual({ ...signedIn, [ENV.tableName]: table });
      expect(env('moderate-link')).toEqual({ ...signedIn, [ENV.tableName]: table });
      expect(env('openapi')).toEqual(origin);
      expect(env('redirect')).toEqual({ ...origin, [ENV.tableName]: table, [ENV.streamName]: { Ref: ids.stream } });
      expect(env('count-clicks')).toEqual({ [ENV.tableName]: table });
      expect(env('not-allowed')).toEqual(origin);
    });

    it('R6.4 each role grants exactly the actions its function uses, on exactly its resources', () => {
      const table = `${ids.table}.Arn`;
      const stream = `${ids.stream}.Arn`;
      const bucket = `${ids.failedBatches}.Arn`;
      const onTable = (...actions: string[]) => actions.map((action) => `dynamodb:${action} on ${table}`);
      const logs = (entry: FunctionEntry) => [
        `logs:CreateLogStream on ${ids.functions[entry].logGroup}.Arn`,
        `logs:PutLogEvents on ${ids.functions[entry].logGroup}.Arn`,
      ];
      const expected: Record<FunctionEntry, string[]> = {
        'create-link': [...logs('create-link'), ...onTable('PutItem', 'UpdateItem', 'GetItem')],
        'bulk-create-links': [...logs('bulk-create-links'), ...onTable('PutItem', 'UpdateItem', 'GetItem')],
        'list-links': [
          ...logs('list-links'),
          `dynamodb:Query on ${table}/index/${LINKS_TABLE.creatorIndex.name}`,
          ...onTable('UpdateItem', 'GetItem'),
        ],
        'get-link': [...logs('get-link'), ...onTable('GetItem', 'UpdateItem')],
        'edit-link': [...logs('edit-link'), ...onTable('UpdateItem', 'GetItem')],
        'delete-link': [...logs('delete-link'), ...onTable('PutItem', 'GetItem', 'UpdateItem')],
        'moderate-link': [...logs('moderate-link'), ...onTable('UpdateItem', 'GetItem')],
        openapi: logs('openapi'),
        redirect: [...logs('redirect'), `dynamodb:GetItem on ${table}`, `kinesis:PutRecord on ${stream}`],
        'not-allowed': logs('not-allowed'),
        'count-clicks': [
          ...logs('count-clicks'),
          `dynamodb:UpdateItem on ${table}`,
          `dynamodb:GetItem on ${table}`,
          ...STREAM_READ_ACTIONS.map((action) => `${action} on ${stream}`),
          `s3:PutObject on ${bucket}/*`,
          `s3:ListBucket on ${bucket}`,
        ],
      };
      for (const entry of ENTRIES) {
        expect(grantsOf(ids.functions[entry].role).sort(), entry).toEqual(expected[entry].sort());
      }
    });

    it('R6.5 no function role has a wildcard action or an AWS managed policy', () => {
      const roles = resourcesOfType(synth.template, 'AWS::IAM::Role');
      for (const entry of ENTRIES) {
        const { role } = ids.functions[entry];
        expect(roles[role]?.Properties.ManagedPolicyArns, entry).toBeUndefined();
        for (const grant of grantsOf(role)) expect(grant.split(' on ')[0], entry).not.toContain('*');
      }
    });

    it('R5.5 the consumer can write failed batches but never delete or read them', () => {
      const s3Actions = grantsOf(ids.functions['count-clicks'].role)
        .map((grant) => grant.split(' on ')[0] ?? '')
        .filter((action) => action.startsWith('s3:'));
      expect(s3Actions.sort()).toEqual(['s3:ListBucket', 's3:PutObject']);
    });
  });

  describe('HTTP API', () => {
    const routes = () =>
      Object.values(resourcesOfType(synth.template, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties);

    it('R3.1 has exactly the routes of ROUTES, each integrated with its handler function', () => {
      const integrations = resourcesOfType(synth.template, 'AWS::ApiGatewayV2::Integration');
      expect(
        routes()
          .map((route) => route.RouteKey)
          .sort(),
      ).toEqual(ALL_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
      for (const definition of ALL_ROUTES) {
        const route = routes().find((candidate) => candidate.RouteKey === `${definition.method} ${definition.path}`);
        const integrationId = render(route?.Target).replace('integrations/', '').replace('Ref:', '');
        const integration = integrations[integrationId]?.Properties;
        expect(integration?.IntegrationUri, definition.function).toEqual({
          'Fn::GetAtt': [ids.functions[definition.function].fn, 'Arn'],
        });
        expect(integration?.PayloadFormatVersion).toBe('2.0');
      }
    });

    it('R3.2 the Cognito JWT authorizer trusts this pool as issuer and this app client as audience', () => {
      const { properties } = onlyResource(synth.template, 'AWS::ApiGatewayV2::Authorizer');
      const pool = onlyResource(synth.template, 'AWS::Cognito::UserPool').logicalId;
      const client = onlyResource(synth.template, 'AWS::Cognito::UserPoolClient').logicalId;
      expect(properties.AuthorizerType).toBe('JWT');
      expect(properties.IdentitySource).toEqual(['$request.header.Authorization']);
      const jwt = properties.JwtConfiguration as { Audience: unknown; Issuer: unknown };
      expect(jwt.Audience).toEqual([{ Ref: client }]);
      expect(render(jwt.Issuer)).toMatch(new RegExp(`^https://cognito-idp\\..+\\.amazonaws\\.com/Ref:${pool}$`));
    });

    it('R3.2 R3.3 exactly the authorized routes use the authorizer; public ones have none', () => {
      const authorizer = onlyResource(synth.template, 'AWS::ApiGatewayV2::Authorizer').logicalId;
      for (const definition of ALL_ROUTES) {
        const route = routes().find((candidate) => candidate.RouteKey === `${definition.method} ${definition.path}`);
        const key = `${definition.method} ${definition.path}`;
        if (definition.authorized) {
          expect(route?.AuthorizationType, key).toBe('JWT');
          expect(route?.AuthorizerId, key).toEqual({ Ref: authorizer });
        } else {
          expect(route?.AuthorizationType, key).toBe('NONE');
          expect(route?.AuthorizerId, key).toBeUndefined();
        }
      }
      expect(ROUTES.filter((route) => route.authorized).map((route) => `${route.method} ${route.path}`)).toEqual([
        'POST /links',
        'POST /links/bulk',
        'GET /links',
        'GET /links/{link}',
        'PATCH /links/{link}',
        'DELETE /links/{link}',
        'POST /links/{link}/disable',
        'POST /links/{link}/enable',
      ]);
    });

    it('R3.4 the $default stage writes JSON access logs without the Authorization header', () => {
      const { properties } = onlyResource(synth.template, 'AWS::ApiGatewayV2::Stage');
      expect(properties.StageName).toBe('$default');
      expect(properties.AutoDeploy).toBe(true);
      const settings = properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
      expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiAccessLogs/), 'Arn'] });
      const format = JSON.parse(settings.Format) as Record<string, string>;
      expect(format).toMatchObject({ status: '$context.status', routeKey: '$context.routeKey' });
      expect(settings.Format.toLowerCase()).not.toContain('authorization');
    });

    it('R3.5 redirects get the account-level throttle; only the authorized routes have lower limits', () => {
      const { properties } = onlyResource(synth.template, 'AWS::ApiGatewayV2::Stage');
      expect(properties.DefaultRouteSettings).toEqual({
        ThrottlingRateLimit: REDIRECT_THROTTLE.rateLimit,
        ThrottlingBurstLimit: REDIRECT_THROTTLE.burstLimit,
      });
      expect(REDIRECT_THROTTLE.rateLimit).toBeGreaterThanOrEqual(10_000);
      const perRoute = properties.RouteSettings as Record<string, unknown>;
      expect(Object.keys(perRoute).sort()).toEqual(
        ROUTES.filter((route) => route.authorized)
          .map((route) => `${route.method} ${route.path}`)
          .sort(),
      );
      for (const limits of Object.values(perRoute)) {
        expect(limits).toEqual({
          ThrottlingRateLimit: AUTHORIZED_ROUTE_THROTTLE.rateLimit,
          ThrottlingBurstLimit: AUTHORIZED_ROUTE_THROTTLE.burstLimit,
        });
      }
    });
  });

  describe('Cognito', () => {
    it('R2.1 R2.2 users sign up themselves with an email address, verified by code, under a strong password policy', () => {
      const { properties } = onlyResource(synth.template, 'AWS::Cognito::UserPool');
      expect(properties.UsernameAttributes).toEqual(['email']);
      expect(properties.AutoVerifiedAttributes).toEqual(['email']);
      expect(properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false });
      expect(properties.Policies).toEqual({
        PasswordPolicy: expect.objectContaining({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      });
    });

    it('R2.3 the app client has no secret, allows USER_PASSWORD_AUTH and refresh only, and no OAuth', () => {
      const { properties } = onlyResource(synth.template, 'AWS::Cognito::UserPoolClient');
      expect(properties.GenerateSecret).toBe(false);
      expect([...(properties.ExplicitAuthFlows as string[])].sort()).toEqual([
        'ALLOW_REFRESH_TOKEN_AUTH',
        'ALLOW_USER_PASSWORD_AUTH',
      ]);
      expect(properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
      expect(properties.AllowedOAuthFlows).toBeUndefined();
      expect(properties.CallbackURLs).toBeUndefined();
    });
  });

  describe('web site', () => {
    const distributionConfig = () =>
      onlyResource(synth.template, 'AWS::CloudFront::Distribution').properties.DistributionConfig as {
        DefaultCacheBehavior: Record<string, unknown>;
        CacheBehaviors: Array<Record<string, unknown>>;
        Origins: Array<Record<string, unknown> & { Id: string }>;
      };
    const originKind = (originId: unknown) => {
      const origin = distributionConfig().Origins.find((candidate) => candidate.Id === originId);
      return origin?.S3OriginConfig ? 's3' : origin?.CustomOriginConfig ? 'api' : 'unknown';
    };
    const viewerFunction = () => ({
      'Fn::GetAtt': [onlyResource(synth.template, 'AWS::CloudFront::Function').logicalId, 'FunctionARN'],
    });

    it('R7.2 serves / (and /index.html), /assets/* and /config.json from S3 and everything else from the API', () => {
      const config = distributionConfig();
      const routing = Object.fromEntries(
        config.CacheBehaviors.map((behavior) => [behavior.PathPattern, originKind(behavior.TargetOriginId)]),
      );
      expect(routing).toEqual({
        '/': 's3',
        '/index.html': 's3',
        '/assets/*': 's3',
        '/config.json': 's3',
        '/links': 'api',
        '/links/*': 'api',
      });
      expect(originKind(config.DefaultCacheBehavior.TargetOriginId)).toBe('api');
    });

    it('R7.2 API and short-link behaviours never cache; API behaviours forward every viewer header but Host', () => {
      const config = distributionConfig();
      const apiBehaviors = config.CacheBehaviors.filter((behavior) => originKind(behavior.TargetOriginId) === 'api');
      expect(apiBehaviors).toHaveLength(2);
      for (const behavior of [config.DefaultCacheBehavior, ...apiBehaviors]) {
        expect(behavior.CachePolicyId).toBe(cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId);
        expect(behavior.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'DELETE']));
      }
      for (const behavior of apiBehaviors) {
        expect(behavior.OriginRequestPolicyId).toBe(
          cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
        );
      }
    });

    it('R7.3 the viewer-request function runs on / and on every API behaviour', () => {
      const config = distributionConfig();
      const association = [{ EventType: 'viewer-request', FunctionARN: viewerFunction() }];
      expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual(association);
      for (const pattern of ['/', '/links', '/links/*']) {
        const behavior = config.CacheBehaviors.find((candidate) => candidate.PathPattern === pattern);
        expect(behavior?.FunctionAssociations, pattern).toEqual(association);
      }
      const { properties } = onlyResource(synth.template, 'AWS::CloudFront::Function');
      expect((properties.FunctionConfig as { Runtime: string }).Runtime).toBe('cloudfront-js-2.0');
    });

    it('R7.1 the page bucket is reached only through Origin Access Control', () => {
      const config = distributionConfig();
      const oac = onlyResource(synth.template, 'AWS::CloudFront::OriginAccessControl');
      expect(oac.properties.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
      const s3Origins = config.Origins.filter((origin) => origin.S3OriginConfig);
      expect(s3Origins).toHaveLength(1);
      expect(s3Origins[0]?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oac.logicalId, 'Id'] });
    });

    it('R7.1 no bucket is public: all public access blocked, TLS enforced, only CloudFront may read the page', () => {
      const buckets = resourcesOfType(synth.template, 'AWS::S3::Bucket');
      expect(Object.keys(buckets)).toHaveLength(2);
      for (const [id, bucket] of Object.entries(buckets)) {
        expect(bucket.Properties?.PublicAccessBlockConfiguration, id).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
      }
      for (const policy of Object.values(resourcesOfType(synth.template, 'AWS::S3::BucketPolicy'))) {
        const statements = (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> })
          .Statement;
        expect(statements).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
        for (const statement of statements.filter((candidate) => candidate.Effect === 'Allow')) {
          expect(statement.Principal).not.toBe('*');
          expect(JSON.stringify(statement.Principal)).not.toContain('"*"');
        }
      }
    });

    it('R7.4 viewers are always moved to HTTPS and CloudFront talks TLS 1.2 to the API', () => {
      const config = distributionConfig();
      for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
        expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      }
      const api = config.Origins.find((origin) => origin.CustomOriginConfig);
      expect(api?.CustomOriginConfig).toMatchObject({
        OriginProtocolPolicy: 'https-only',
        OriginSSLProtocols: ['TLSv1.2'],
      });
      expect(render(api?.DomainName)).toMatch(/^Ref:ApiHttpApi\w+\.execute-api\./);
    });

    it('R7.5 every behaviour sends the page security headers from lib/web/security-headers.ts', () => {
      const policy = onlyResource(synth.template, 'AWS::CloudFront::ResponseHeadersPolicy');
      const config = distributionConfig();
      for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
        expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policy.logicalId });
      }
      const headers = (policy.properties.ResponseHeadersPolicyConfig as Record<string, Record<string, unknown>>) ?? {};
      const security = headers.SecurityHeadersConfig as Record<string, Record<string, unknown>>;
      const expected = pageSecurityHeaders('https://cognito-idp.REGION.amazonaws.com/');
      expect(render(security.ContentSecurityPolicy?.ContentSecurityPolicy)).toBe(
        expected['Content-Security-Policy']?.replace('REGION', render({ Ref: 'AWS::Region' })),
      );
      expect(security.StrictTransportSecurity).toMatchObject({
        AccessControlMaxAgeSec: 63072000,
        IncludeSubdomains: true,
      });
      expect(security.ContentTypeOptions).toEqual({ Override: true });
      expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      const custom = (headers.CustomHeadersConfig as { Items: Array<{ Header: string }> }).Items.map(
        (item) => item.Header,
      );
      expect(custom.sort()).toEqual(['Cross-Origin-Opener-Policy', 'Permissions-Policy']);
    });

    it('R7.6 /config.json is written at deploy time from the real user pool and app client, and browsers revalidate the page', () => {
      const deployment = onlyResource(synth.template, 'Custom::CDKBucketDeployment').properties;
      const markers = Object.assign({}, ...(deployment.SourceMarkers as Array<Record<string, unknown>>));
      const pool = onlyResource(synth.template, 'AWS::Cognito::UserPool').logicalId;
      const client = onlyResource(synth.template, 'AWS::Cognito::UserPoolClient').logicalId;
      expect(Object.values(markers)).toEqual(
        expect.arrayContaining([{ Ref: pool }, { Ref: client }, { Ref: 'AWS::Region' }]),
      );
      expect(deployment.DistributionPaths).toEqual(['/*']);
      expect(deployment.SystemMetadata).toEqual({ 'cache-control': PAGE_CACHE_CONTROL });
      expect(deployment.DestinationBucketName).toEqual({
        Ref: expect.stringMatching(/^SitePageBucket/),
      });
    });
    it('R7.6 the generated /config.json has exactly the contract shape, filled with the deployed values', () => {
      const deployment = onlyResource(synth.template, 'Custom::CDKBucketDeployment').properties;
      const sources = (deployment.SourceObjectKeys as string[]).map((key) =>
        join(synth.app.outdir, `asset.${key.replace(/\.zip$/, '')}`),
      );
      const markers = deployment.SourceMarkers as Array<Record<string, unknown>>;
      const configIndex = sources.findIndex((dir) => existsSync(join(dir, 'config.json')));
      expect(configIndex).toBeGreaterThanOrEqual(0);
      // The page's own files never include a config.json that could shadow the generated one.
      expect(sources.filter((dir) => existsSync(join(dir, 'config.json')))).toHaveLength(1);
      expect(sources.some((dir) => existsSync(join(dir, 'index.html')))).toBe(true);

      const text = readFileSync(join(sources[configIndex] ?? '', 'config.json'), 'utf8');
      const resolved = text.replace(/<<marker:0xbaba:\d+>>/g, (marker) =>
        render(markers[configIndex]?.[marker] ?? marker),
      );
      const pool = onlyResource(synth.template, 'AWS::Cognito::UserPool').logicalId;
      const client = onlyResource(synth.template, 'AWS::Cognito::UserPoolClient').logicalId;
      const region = render({ Ref: 'AWS::Region' });
      expect(JSON.parse(resolved)).toEqual({
        region,
        cognito: {
          endpoint: `https://cognito-idp.${region}.amazonaws.com/`,
          userPoolId: `Ref:${pool}`,
          clientId: `Ref:${client}`,
        },
      });
    });
  });

  describe('observability', () => {
    const alarms = () =>
      Object.values(resourcesOfType(synth.template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const alarmTopic = () =>
      Object.keys(resourcesOfType(synth.template, 'AWS::SNS::Topic')).find((id) => id.startsWith('AlarmsAlarmTopic'));

    it('R8.1 alarms on the consumer iterator age', () => {
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          MetricName: 'IteratorAge',
          Namespace: 'AWS/Lambda',
          Statistic: 'Maximum',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.functions['count-clicks'].fn } }],
        }),
      );
    });

    it('R8.1 alarms on exactly the LostClicks metric that the redirect writes as EMF', () => {
      // The log line the redirect prints when clicks are lost, parsed as CloudWatch would.
      const line = JSON.parse(lostClicksMetricLine(2)) as {
        _aws: {
          CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }>;
        };
        [field: string]: unknown;
      };
      const [directive] = line._aws.CloudWatchMetrics;
      const dimensions = (directive?.Dimensions[0] ?? []).map((name) => ({ Name: name, Value: line[name] }));
      expect(directive?.Namespace).toBe('Shortener');
      expect(dimensions).toEqual([{ Name: 'Service', Value: 'redirect' }]);
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          MetricName: directive?.Metrics[0]?.Name,
          Namespace: directive?.Namespace,
          Dimensions: dimensions,
          Statistic: 'Sum',
          Threshold: 1,
        }),
      );
    });

    it('R8.1 alarms when a failed batch is delivered to the bucket (its SNS topic publishes)', () => {
      const topic = Object.keys(resourcesOfType(synth.template, 'AWS::SNS::Topic')).find((id) =>
        id.startsWith('ClicksFailedBatchTopic'),
      );
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          MetricName: 'NumberOfMessagesPublished',
          Namespace: 'AWS/SNS',
          Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [topic, 'TopicName'] } }],
        }),
      );
    });

    it('R8.1 alarms on API 5xx and on errors and throttles of every function', () => {
      expect(alarms()).toContainEqual(expect.objectContaining({ MetricName: '5xx', Namespace: 'AWS/ApiGateway' }));
      for (const entry of ENTRIES) {
        for (const metric of ['Errors', 'Throttles']) {
          expect(alarms(), `${entry} ${metric}`).toContainEqual(
            expect.objectContaining({
              MetricName: metric,
              Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.functions[entry].fn } }],
            }),
          );
        }
      }
    });

    it('R8.2 R8.3 every alarm notifies the alarm topic and treats missing data as healthy', () => {
      expect(alarms().length).toBe(4 + 2 * ENTRIES.length);
      for (const alarm of alarms()) {
        expect(alarm.AlarmActions).toEqual([{ Ref: alarmTopic() }]);
        expect(alarm.TreatMissingData).toBe('notBreaching');
      }
    });

    it('R8.4 a dashboard shows the API, the functions and the click pipeline', () => {
      const { properties } = onlyResource(synth.template, 'AWS::CloudWatch::Dashboard');
      const body = render(properties.DashboardBody);
      for (const text of ['IteratorAge', 'LostClicks', 'NumberOfMessagesPublished', '5xx', 'Throttles']) {
        expect(body).toContain(text);
      }
    });
  });

  it('R1.4 outputs the site URL, API URL, user pool id and app client id', () => {
    const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const distribution = onlyResource(synth.template, 'AWS::CloudFront::Distribution').logicalId;
    expect(render(outputs[OUTPUT_NAMES.siteUrl]?.Value)).toBe(`https://${distribution}.DomainName`);
    expect(render(outputs[OUTPUT_NAMES.apiUrl]?.Value)).toBe(`https://${distribution}.DomainName/links`);
    expect(outputs[OUTPUT_NAMES.userPoolId]?.Value).toEqual({
      Ref: onlyResource(synth.template, 'AWS::Cognito::UserPool').logicalId,
    });
    expect(outputs[OUTPUT_NAMES.userPoolClientId]?.Value).toEqual({
      Ref: onlyResource(synth.template, 'AWS::Cognito::UserPoolClient').logicalId,
    });
  });
});
