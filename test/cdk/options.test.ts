// Deployment options given as CDK context: each changes exactly what it promises.
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/declarations/runtime.ts';
import { parseConfig } from '../../lib/stack/config.ts';
import { OUTPUT_NAMES } from '../../lib/stack/shortener-stack.ts';
import { nagFindings, onlyResource, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
/** One synth with every option switched away from its default. */
let dev: Synthesized;

beforeAll(() => {
  dev = synthesize({
    stage: 'dev-alice',
    kinesisMode: 'on-demand',
    removalPolicy: 'destroy',
    domainName: 'Go.Example.com',
    certificateArn: CERTIFICATE,
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
  });

  it('R1.2 without options the defaults are stage prod, one provisioned shard, retained data', () => {
    expect(parseConfig({})).toEqual({ stage: 'prod', kinesisMode: 'provisioned', removalPolicy: 'retain' });
  });
});
