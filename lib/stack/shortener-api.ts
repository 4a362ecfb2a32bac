// The HTTP API: routes generated from ROUTES in the definitions (the local gateway routes by the same list),
// a native JWT authorizer on exactly the authorized ones.
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  type ApiFunctionName,
  CATCH_ALL_ROUTES,
  type CatchAllRoute,
  ROUTES,
  type Route,
} from '../../lambdas/declarations/routes.ts';
import type { Auth } from './auth.ts';
import { acknowledge } from './nag.ts';
import type { ShortenerFunction } from './shortener-function.ts';

/**
 * Stage-wide limits, which redirects get: the default account quota of API Gateway in most regions
 * (10,000 requests/s, burst 5,000), so the stage never caps short links below what the account allows.
 */
export const REDIRECT_THROTTLE = { rateLimit: 10_000, burstLimit: 5_000 } as const;

/** Per-route limits for the signed-in API: generous for people, low enough to blunt a runaway script. */
export const AUTHORIZED_ROUTE_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

export const routeKey = (route: Route | CatchAllRoute): string => `${route.method} ${route.path}`;

export interface ShortenerApiProps {
  readonly functions: Record<ApiFunctionName, ShortenerFunction>;
  readonly auth: Auth;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class ShortenerApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ShortenerApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'URL shortener: links API and short-link redirects (served through CloudFront)',
      // A `$default` stage is added below with access logs; the built-in one cannot have them.
      createDefaultStage: false,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: REDIRECT_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        // No Authorization header and no query string: tokens and cursors stay out of the logs.
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.auth.userPool, {
      userPoolClients: [props.auth.client],
      identitySource: ['$request.header.Authorization'],
    });

    const integrations = new Map<ApiFunctionName, HttpLambdaIntegration>();
    const integrationFor = (handler: ApiFunctionName) => {
      let integration = integrations.get(handler);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${handler}-integration`, props.functions[handler].function, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(handler, integration);
      }
      return integration;
    };

    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    for (const definition of [...ROUTES, ...CATCH_ALL_ROUTES]) {
      const [route] = this.api.addRoutes({
        path: definition.path,
        methods: [apigw.HttpMethod[definition.method]],
        integration: integrationFor(definition.function),
        ...(definition.authorized ? { authorizer } : {}),
      });
      // API Gateway rejects route settings for a route key that does not exist yet.
      if (route && definition.authorized) cfnStage.node.addDependency(route);
      if (route && !definition.authorized) {
        acknowledge(
          route,
          'AwsSolutions-APIG4',
          `${routeKey(definition)} is public on purpose: ${
            definition.function === 'redirect'
              ? 'short links are public by contract, anyone with the link is redirected without signing in.'
              : 'it answers 405 for methods the path does not serve; it reads nothing and its role grants nothing, so it must also answer callers without a token.'
          }`,
        );
      }
    }

    cfnStage.routeSettings = Object.fromEntries(
      ROUTES.filter((route) => route.authorized).map((route) => [
        routeKey(route),
        // A raw CloudFormation map: its keys are not converted, so they are spelled as CloudFormation wants them.
        {
          ThrottlingRateLimit: AUTHORIZED_ROUTE_THROTTLE.rateLimit,
          ThrottlingBurstLimit: AUTHORIZED_ROUTE_THROTTLE.burstLimit,
        },
      ]),
    );
  }

  /** Host name of the execute-api endpoint, which CloudFront uses as its origin. */
  get originDomainName(): string {
    return `${this.api.apiId}.execute-api.${this.api.stack.region}.${this.api.stack.urlSuffix}`;
  }
}
