// Deployment options given as CDK context: each changes exactly what it promises.
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/declarations/routes.ts';
import { ENV } from '../../lambdas/declarations/runtime.ts';
import { parseConfig } from '../../lib/stack/config.ts';
import { FUNCTION_ENTRIES } from '../../lib/stack/shortener-function.ts';
import { OUTPUT_NAMES } from '../../lib/stack/shortener-stack.ts';
import { WAF_RATE_LIMITS } from '../../lib/stack/web-acl.ts';
import { nagFindings, onlyResource, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const ROTATED_VERSION = 'a1b2c3d4-1111-2222-3333-444455556666';
/** One synth with every option switched away from its default. */
let dev: Synthesized;

beforeAll(() => {
  dev = synthesize({
    stage: 'dev-alice',
    kinesisMode: 'on-demand',
    removalPolicy: 'destroy',
    domainName: 'Go.Example.com',
    certificateArn: CERTIFICATE,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    streamRetentionHours: '48',
    logRetentionDays: '7',
    linksPerDay: '50',
    bulkRowsPerDay: '200',
    requestsPerMinute: '30',
    blockedHosts: 'evil.example, .phish.example',
    sesFromEmail: 'no-reply@mail.example.com',
    sesVerifiedDomain: 'mail.example.com',
    sesRegion: 'eu-west-1',
    waf: 'true',
    alarmEmail: 'ops@example.com',
    reservedConcurrency: 'redirect=50,count-clicks=2',
    originSecretVersion: ROTATED_VERSION,
  });
});

describe('aws-deployment', () => {
  it('R1.2 the stage names the stack, the table, the stream, the user pool and the dashboard', () => {
    expect(dev.stack.stackName).toBe('Shortener-dev-alice');
    expect(onlyResource(dev.template, 'AWS::DynamoDB::Table').properties.TableName).toBe('links-dev-alice');
    expect(onlyResource(dev.template, 'AWS::Kinesis::Stream').properties.Name).toBe('clicks-dev-alice');
    expect(onlyResource(dev.template, 'AWS::Cognito::UserPool').properties.UserPoolName).toBe('shortener-dev-alice');
    expect(onlyResource(dev.template, 'AWS::CloudWatch::Dashboard').properties.DashboardName).toBe(
      'shortener-dev-alice',
    );
  });

  it('R5.3 kinesisMode=on-demand makes an on-demand stream, still encrypted, without a shard count', () => {
    const { properties } = onlyResource(dev.template, 'AWS::Kinesis::Stream');
    expect(properties.StreamModeDetails).toEqual({ StreamMode: 'ON_DEMAND' });
    expect(properties.ShardCount).toBeUndefined();
    expect(properties.StreamEncryption).toEqual({ EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' });
  });

  it('R4.4 removalPolicy=destroy drops deletion protection and deletes table, pool and failed batches with the stack', () => {
    const [table] = Object.values(resourcesOfType(dev.template, 'AWS::DynamoDB::Table'));
    expect(table?.Properties.DeletionProtectionEnabled).toBe(false);
    expect(table?.DeletionPolicy).toBe('Delete');
    const [pool] = Object.values(resourcesOfType(dev.template, 'AWS::Cognito::UserPool'));
    expect(pool?.Properties.DeletionProtection).toBe('INACTIVE');
    expect(pool?.DeletionPolicy).toBe('Delete');
    for (const [id, bucket] of Object.entries(resourcesOfType(dev.template, 'AWS::S3::Bucket'))) {
      expect(bucket.DeletionPolicy, id).toBe('Delete');
    }
    // Emptied first, or CloudFormation could not delete the buckets.
    expect(Object.keys(resourcesOfType(dev.template, 'Custom::S3AutoDeleteObjects'))).toHaveLength(2);
  });

  it('R7.7 a custom domain becomes a CloudFront alias with its certificate and TLS 1.2 as the minimum', () => {
    const config = onlyResource(dev.template, 'AWS::CloudFront::Distribution').properties.DistributionConfig as {
      Aliases: string[];
      ViewerCertificate: Record<string, unknown>;
    };
    expect(config.Aliases).toEqual(['go.example.com']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('R7.7 a custom domain counts as the shortener itself (SELF_ORIGINS) and is the site URL', () => {
    const functions = Object.values(resourcesOfType(dev.template, 'AWS::Lambda::Function'));
    const selfOrigins = functions
      .map((fn) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables)
      .map((variables) => variables?.[ENV.selfOrigins])
      .filter((value) => value !== undefined);
    // Every function that checks destinations: create, bulk create and edit.
    expect(selfOrigins).toEqual(['https://go.example.com', 'https://go.example.com', 'https://go.example.com']);
    const outputs = dev.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs[OUTPUT_NAMES.siteUrl]?.Value).toBe('https://go.example.com');
    expect(outputs[OUTPUT_NAMES.apiUrl]?.Value).toBe('https://go.example.com/links');
  });

  it('R15.3 a dev stage has no termination protection', () => {
    expect(dev.stack.terminationProtection).toBe(false);
  });

  it('R15.8 with a hosted zone the stack creates the A and AAAA alias records to the distribution', () => {
    const distribution = onlyResource(dev.template, 'AWS::CloudFront::Distribution').logicalId;
    const records = Object.values(resourcesOfType(dev.template, 'AWS::Route53::RecordSet'));
    expect(records.map((record) => record.Properties.Type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record.Properties).toMatchObject({ Name: 'go.example.com.', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
      expect(JSON.stringify(record.Properties.AliasTarget)).toContain(distribution);
    }
  });

  it('R5.7 R8.5 stream and log retention follow the options', () => {
    expect(onlyResource(dev.template, 'AWS::Kinesis::Stream').properties.RetentionPeriodHours).toBe(48);
    for (const [id, group] of Object.entries(resourcesOfType(dev.template, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays, id).toBe(7);
    }
  });

  it('R14.4 quotas, rate and blocklist reach exactly the functions that enforce them', () => {
    const environments = Object.values(resourcesOfType(dev.template, 'AWS::Lambda::Function')).map(
      (fn) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
    );
    const values = (name: string) => environments.map((env) => env[name]).filter((value) => value !== undefined);
    expect(values(ENV.linksPerDay)).toEqual(['50']);
    expect(values(ENV.blockedHosts)).toEqual(['evil.example,.phish.example']);
    expect(new Set(values(ENV.requestsPerMinute))).toEqual(new Set(['30']));
    expect(values(ENV.requestsPerMinute).length).toBe(
      new Set(ROUTES.filter((route) => route.authorized).map((route) => route.function)).size,
    );
  });

  it('R14.2 with an SES identity Cognito sends its e-mail through SES from that address', () => {
    const { properties } = onlyResource(dev.template, 'AWS::Cognito::UserPool');
    const email = properties.EmailConfiguration as Record<string, unknown>;
    expect(email.EmailSendingAccount).toBe('DEVELOPER');
    expect(email.From).toBe('no-reply@mail.example.com');
    expect(JSON.stringify(email.SourceArn)).toMatch(/:ses:eu-west-1:.*identity\/mail\.example\.com/);
  });

  it('R14.3 waf=true attaches a web ACL with per-IP rate rules on link creation and on visits', () => {
    const acl = onlyResource(dev.template, 'AWS::WAFv2::WebACL');
    expect(acl.properties.Scope).toBe('CLOUDFRONT');
    expect(acl.properties.DefaultAction).toEqual({ Allow: {} });
    const rules = acl.properties.Rules as Array<{
      Name: string;
      Statement: { RateBasedStatement: { Limit: number; AggregateKeyType: string; ScopeDownStatement: unknown } };
      Action: unknown;
    }>;
    expect(rules.map((rule) => rule.Name)).toEqual(['LinkWritesPerIp', 'VisitsPerIp']);
    const [writes, visits] = rules;
    expect(writes?.Statement.RateBasedStatement).toMatchObject({
      Limit: WAF_RATE_LIMITS.linkWrites,
      AggregateKeyType: 'IP',
    });
    expect(JSON.stringify(writes?.Statement.RateBasedStatement.ScopeDownStatement)).toMatch(
      /"SearchString":"POST"[\s\S]*"SearchString":"\/links"/,
    );
    expect(visits?.Statement.RateBasedStatement).toMatchObject({
      Limit: WAF_RATE_LIMITS.visits,
      AggregateKeyType: 'IP',
    });
    expect(JSON.stringify(visits?.Statement.RateBasedStatement.ScopeDownStatement)).toContain('NotStatement');
    for (const rule of rules) {
      expect(rule.Action).toMatchObject({ Block: { CustomResponse: { ResponseCode: 429 } } });
    }
    const config = onlyResource(dev.template, 'AWS::CloudFront::Distribution').properties.DistributionConfig as {
      WebACLId: unknown;
    };
    expect(config.WebACLId).toEqual({ 'Fn::GetAtt': [acl.logicalId, 'Arn'] });
    // A web ACL for CloudFront can only be created in us-east-1: the template says so before anything is built.
    expect(JSON.stringify(dev.template.toJSON().Rules)).toContain('us-east-1');
  });

  it('R14.3 waf=true in another region stops the synth with a clear message', () => {
    expect(() => synthesize({ waf: 'true' }, { env: { account: '123456789012', region: 'eu-west-1' } })).toThrow(
      /waf=true needs the stack in us-east-1/,
    );
  });

  it('R14.5 reservedConcurrency reserves exactly for the functions it names', () => {
    const reserved = Object.fromEntries(
      FUNCTION_ENTRIES.map((entry) => {
        const fn = dev.stack.functions[entry].function.node.defaultChild as { reservedConcurrentExecutions?: number };
        return [entry, fn.reservedConcurrentExecutions];
      }).filter(([, count]) => count !== undefined),
    );
    expect(reserved).toEqual({ redirect: 50, 'count-clicks': 2 });
  });

  it('R12.5 originSecretVersion deploys that version: CloudFront sends its current value, functions accept current and previous', () => {
    const config = onlyResource(dev.template, 'AWS::CloudFront::Distribution').properties.DistributionConfig as {
      Origins: Array<{ OriginCustomHeaders?: Array<{ HeaderValue: unknown }> }>;
    };
    const header = JSON.stringify(config.Origins.find((origin) => origin.OriginCustomHeaders)?.OriginCustomHeaders);
    expect(header).toContain(`:SecretString:current::${ROTATED_VERSION}}}`);
    const redirect = dev.stack.functions.redirect.function.node.defaultChild as unknown as {
      environment: { variables: Record<string, string> };
    };
    const variables = JSON.stringify(dev.stack.resolve(redirect.environment));
    expect(variables).toContain(`:SecretString:current::${ROTATED_VERSION}}}`);
    expect(variables).toContain(`:SecretString:previous::${ROTATED_VERSION}}}`);
  });

  it('R8.6 alarmEmail subscribes that address to the alarm topic', () => {
    const { properties } = onlyResource(dev.template, 'AWS::SNS::Subscription');
    expect(properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('R9.1 with every option switched there are still zero unacknowledged cdk-nag findings', () => {
    expect(nagFindings(dev)).toEqual([]);
  });

  it('R1.3 invalid options are rejected with a message naming the option', () => {
    expect(() => parseConfig({ kinesisMode: 'serverless' })).toThrow(/kinesisMode/);
    expect(() => parseConfig({ removalPolicy: 'snapshot' })).toThrow(/removalPolicy/);
    expect(() => parseConfig({ stage: 'Prod_1' })).toThrow(/stage/);
    expect(() => parseConfig({ domainName: 'go.example.com' })).toThrow(/certificateArn/);
    expect(() =>
      parseConfig({
        domainName: 'go.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      }),
    ).toThrow(/us-east-1/);
    expect(() => parseConfig({ domainName: 'https://go.example.com', certificateArn: CERTIFICATE })).toThrow(
      /domainName/,
    );
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ hostedZoneId: 'Z123' }, /hostedZoneId needs domainName/],
      [{ domainName: 'go.example.com', certificateArn: CERTIFICATE, hostedZoneId: 'zone-1' }, /hostedZoneId/],
      [{ kinesisMode: 'on-demand', shardCount: '2' }, /shardCount/],
      [{ shardCount: '0' }, /shardCount must be between 1/],
      [{ shardCount: 'two' }, /shardCount must be a whole number/],
      [{ streamRetentionHours: '12' }, /streamRetentionHours must be between 24/],
      [{ logRetentionDays: '31' }, /logRetentionDays must be one of/],
      [{ terminationProtection: 'yes' }, /terminationProtection must be one of true, false/],
      [{ linksPerDay: '-1' }, /linksPerDay/],
      [{ bulkRowsPerDay: '1.5' }, /bulkRowsPerDay/],
      [{ requestsPerMinute: '0' }, /requestsPerMinute/],
      [{ blockedHosts: 'http://evil.example/' }, /blockedHosts/],
      [{ sesFromEmail: 'not-an-address' }, /sesFromEmail/],
      [{ sesFromEmail: 'a@b.example.com', sesVerifiedDomain: 'other.example' }, /sesVerifiedDomain/],
      [{ sesRegion: 'eu-west-1' }, /need sesFromEmail/],
      [{ sesFromEmail: 'a@b.example.com', sesRegion: 'Europe' }, /sesRegion/],
      [{ waf: 'on' }, /waf must be one of true, false/],
      [{ alarmEmail: 'ops' }, /alarmEmail/],
      [{ reservedConcurrency: 'redirect:5' }, /reservedConcurrency/],
      [{ reservedConcurrency: 'shortener=5' }, /unknown function "shortener"/],
      [{ reservedConcurrency: 'redirect=5,redirect=6' }, /given twice/],
      [{ originSecretVersion: 'v2' }, /originSecretVersion/],
    ];
    for (const [raw, message] of bad) expect(() => parseConfig(raw), JSON.stringify(raw)).toThrow(message);
  });

  it('R1.2 without options the defaults are stage prod, one provisioned shard, retained data', () => {
    expect(parseConfig({})).toMatchObject({
      stage: 'prod',
      kinesisMode: 'provisioned',
      shardCount: 1,
      removalPolicy: 'retain',
      terminationProtection: true,
      waf: false,
      reservedConcurrency: {},
    });
  });

  it('R15.3 any other stage tears down completely by default', () => {
    expect(parseConfig({ stage: 'dev-alice' })).toMatchObject({
      removalPolicy: 'destroy',
      terminationProtection: false,
    });
    expect(parseConfig({ stage: 'staging', removalPolicy: 'retain' })).toMatchObject({ terminationProtection: true });
  });
});
