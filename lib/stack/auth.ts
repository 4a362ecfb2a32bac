// Cognito: who may create, list and delete links. The page signs users up and in through the
// Cognito Identity Provider API directly (USER_PASSWORD_AUTH), so there is no hosted UI and no OAuth.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { OPERATORS_GROUP, PASSWORD_POLICY } from '../../lambdas/declarations/identity.ts';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import type { SesSender } from './config.ts';
import { acknowledge } from './nag.ts';

export interface AuthProps {
  readonly stage: string;
  readonly retainData: boolean;
  /** Send Cognito's e-mail through this SES identity instead of Cognito's own small daily allowance. */
  readonly ses?: SesSender;
}

export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly operators: cognito.CfnUserPoolGroup;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `shortener-${props.stage}`,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: true,
      autoVerify: { email: true },
      // An email change takes effect only once the new address is verified.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: PASSWORD_POLICY.minLength,
        requireLowercase: PASSWORD_POLICY.requireLowercase,
        requireUppercase: PASSWORD_POLICY.requireUppercase,
        requireDigits: PASSWORD_POLICY.requireDigits,
        requireSymbols: PASSWORD_POLICY.requireSymbols,
        tempPasswordValidity: Duration.days(PASSWORD_POLICY.temporaryPasswordValidityDays),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      ...(props.ses
        ? {
            email: cognito.UserPoolEmail.withSES({
              fromEmail: props.ses.fromEmail,
              sesRegion: props.ses.region ?? Stack.of(this).region,
              ...(props.ses.verifiedDomain ? { sesVerifiedDomain: props.ses.verifiedDomain } : {}),
            }),
          }
        : {}),
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.userPool,
      'AwsSolutions-COG2',
      'MFA is not required: the page implements only the USER_PASSWORD_AUTH sign-in of the contract (no MFA challenge step), and an account can do no more than manage its own short links.',
    );
    acknowledge(
      this.userPool,
      'AwsSolutions-COG3',
      'Threat protection (advanced security) needs the Plus feature plan, billed per monthly active user; the strong password policy and email verification are the default, and operators can switch the plan on.',
    );
    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      'The Essentials plan is the cheapest plan with everything the contract uses; Plus adds per-user charges for threat protection, which operators can opt into.',
    );

    this.operators = new cognito.CfnUserPoolGroup(this, 'Operators', {
      userPoolId: this.userPool.userPoolId,
      groupName: OPERATORS_GROUP,
      description: 'May take down and restore any link; every such action is logged with who and why',
    });

    this.client = this.userPool.addClient('WebClient', {
      userPoolClientName: LOCAL_NAMES.appClient,
      // A browser page cannot keep a secret.
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }

  /** The token issuer the HTTP API authorizer trusts. */
  get issuerUrl(): string {
    return `https://cognito-idp.${this.userPool.stack.region}.${this.userPool.stack.urlSuffix}/${this.userPool.userPoolId}`;
  }
}
