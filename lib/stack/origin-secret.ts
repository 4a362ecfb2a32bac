// The origin-verification secret: CloudFront sends it to the API in a header, the functions refuse requests
// without it. Both take it from Secrets Manager through CloudFormation dynamic references, so the template
// only ever holds `{{resolve:secretsmanager:…}}`, never the value.
//
// Rotation (docs/runbooks.md#rotating-the-origin-secret): write a new version whose JSON has `current` (the new
// value) and `previous` (the old one), then deploy with `-c originSecretVersion=<VersionId>`. Naming the version
// changes the template, so CloudFormation resolves the references again; the functions accept both values
// while CloudFront's edges switch over, so no request is refused during the rotation.
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/declarations/runtime.ts';
import { acknowledge } from './nag.ts';

/** The JSON keys of the secret's value. */
export const ORIGIN_SECRET_KEYS = { current: 'current', previous: 'previous' } as const;

export interface OriginSecretProps {
  /** The secret version to deploy; unset: the current version (the generated one on the first deploy). */
  readonly version?: string;
}

export class OriginSecret extends Construct {
  readonly secret: secretsmanager.Secret;
  /** The value CloudFront sends, as a dynamic reference. */
  readonly headerValue: string;
  /** The function environment naming the accepted values, as dynamic references. */
  readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: OriginSecretProps = {}) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Origin verification: CloudFront sends it to the HTTP API, which refuses requests without it',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: ORIGIN_SECRET_KEYS.current,
        excludePunctuation: true,
        passwordLength: 48,
      },
      // Nothing depends on the value outliving the stack: a new deployment generates a new one.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'CloudFront and the functions read the value when the stack is deployed (dynamic references), so an automatic rotation would cut the API off until the next deploy; rotation is the documented two-value procedure followed by a deploy naming the new version.',
    );

    const reference = (jsonField: string) =>
      SecretValue.secretsManager(this.secret.secretArn, {
        jsonField,
        ...(props.version ? { versionId: props.version } : {}),
      }).unsafeUnwrap();
    this.headerValue = reference(ORIGIN_SECRET_KEYS.current);
    this.environment = {
      [ENV.originSecret]: this.headerValue,
      // Only a rotated version has a previous value; the generated first one has none.
      ...(props.version ? { [ENV.originSecretPrevious]: reference(ORIGIN_SECRET_KEYS.previous) } : {}),
    };
  }
}
