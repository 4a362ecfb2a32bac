// The one origin of the contract: CloudFront serves the page from a private bucket and sends the API
// and every short link to the HTTP API, uncached.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import {
  DISTRIBUTION_HOST_HEADER,
  FORWARDED_HOST_HEADER,
  ROUTE_PATHS,
  STATIC_PATHS,
  VIEWER_COUNTRY_HEADER,
} from '../../lambdas/declarations/routes.ts';
import { pageSecurityHeaders } from '../web/security-headers.ts';
import { acknowledge } from './nag.ts';
import { PROJECT_ROOT } from './shortener-function.ts';
import { PAGE_OBJECT, VIEWER_REQUEST_CODE } from './viewer-request.ts';

export const PAGE_CACHE_CONTROL = 'public, max-age=0, s-maxage=86400, must-revalidate';

/** What `/config.json` holds (see the contract's "Page config"). */
export interface PageConfig {
  readonly region: string;
  readonly cognito: { readonly endpoint: string; readonly userPoolId: string; readonly clientId: string };
}

/**
 * What a short-link visit forwards to the API: what the click records (browser, referrer, country), the
 * host headers the viewer function sets, and `Accept`. Authorization and cookies are not needed there.
 */
export const VISIT_HEADERS = [
  'user-agent',
  'referer',
  'accept',
  FORWARDED_HOST_HEADER,
  DISTRIBUTION_HOST_HEADER,
  VIEWER_COUNTRY_HEADER,
] as const;

/**
 * The status codes CloudFront caches errors for (10 s by default): every one is set to 0, so an API error
 * (a 503 under load, a 404 before a link is created) is never served again from the edge.
 */
export const CACHED_ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504] as const;

/**
 * CloudFront path patterns of the API besides short links, from the route catalog: `/links` and `/links/*`
 * for `/links/{link}`. Short links (`/{link}`) are the default behaviour.
 */
export function apiPathPatterns(paths: readonly string[] = ROUTE_PATHS): string[] {
  const patterns = new Set<string>();
  for (const path of paths) {
    const [first, ...rest] = path.split('/').slice(1);
    if (!first || first.startsWith('{')) continue;
    patterns.add(`/${first}`);
    if (rest.length > 0) patterns.add(`/${first}/*`);
  }
  return [...patterns];
}

export interface WebSiteProps {
  readonly apiOriginDomainName: string;
  /** The header CloudFront adds to every API request and its value (a dynamic reference, never clear text). */
  readonly originVerification: { readonly header: string; readonly value: string };
  readonly pageConfig: PageConfig;
  readonly customDomain?: {
    readonly domainName: string;
    readonly certificateArn: string;
    /** When given, the stack creates the A and AAAA alias records for the domain in this zone. */
    readonly hostedZoneId?: string;
  };
  /** ARN of a WAF web ACL (scope CLOUDFRONT) to attach. */
  readonly webAclArn?: string;
  /** Retention and removal of the page deployment handler's log group, like every other log group. */
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class WebSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly viewerRequest: cloudfront.Function;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  readonly visitRequestPolicy: cloudfront.OriginRequestPolicy;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'PageBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only build output lives here; every deploy uploads it again.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'CloudFront is the only reader (Origin Access Control, public access blocked) and the only writer is the deployment; the files are the public page itself, so access logs would record nothing worth keeping.',
    );

    this.viewerRequest = new cloudfront.Function(this, 'ViewerRequest', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Forward the viewer Host as x-forwarded-host; serve / as /index.html',
      code: cloudfront.FunctionCode.fromInline(VIEWER_REQUEST_CODE),
    });

    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Security headers of the page and the short-link 404 page (lib/web/security-headers.ts)',
      ...responseHeadersFrom(pageSecurityHeaders(props.pageConfig.cognito.endpoint)),
    });

    const viewerRequest = [{ function: this.viewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }];
    const pageBehavior: cloudfront.BehaviorOptions = {
      origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.responseHeaders,
      compress: true,
    };
    const apiOrigin = new origins.HttpOrigin(props.apiOriginDomainName, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: { [props.originVerification.header]: props.originVerification.value },
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      // Every redirect must reach the handler (a cached one would hide clicks and outlive a deleted link).
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Forwards Authorization (allowed because caching is off) but not Host, which API Gateway would reject.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.responseHeaders,
      functionAssociations: viewerRequest,
      compress: true,
    };

    // The managed all-viewer policy cannot add CloudFront's own headers, and the viewer Host must stay out
    // (API Gateway answers 403 to it), so visits name exactly what they forward.
    this.visitRequestPolicy = new cloudfront.OriginRequestPolicy(this, 'VisitRequestPolicy', {
      comment: 'Short-link visits: what the click records (browser, referrer, country) and the host headers',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...VISIT_HEADERS),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
    });
    const visitBehavior: cloudfront.BehaviorOptions = {
      ...apiBehavior,
      originRequestPolicy: this.visitRequestPolicy,
    };

    const certificate = props.customDomain
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn)
      : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `URL shortener ${Stack.of(this).stackName}`,
      // Short links and anything not listed below go to the API.
      defaultBehavior: visitBehavior,
      additionalBehaviors: {
        [STATIC_PATHS.root]: { ...pageBehavior, functionAssociations: viewerRequest },
        // The page itself, also reached when CloudFront applies the default root object before matching.
        [PAGE_OBJECT]: pageBehavior,
        [STATIC_PATHS.config]: pageBehavior,
        [`${STATIC_PATHS.assetsPrefix}*`]: pageBehavior,
        ...Object.fromEntries(apiPathPatterns().map((pattern) => [pattern, apiBehavior])),
      },
      errorResponses: CACHED_ERROR_CODES.map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) })),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      defaultRootObject: PAGE_OBJECT.slice(1),
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(props.customDomain && certificate
        ? {
            domainNames: [props.customDomain.domainName],
            certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.acknowledgeDistributionFindings(Boolean(props.customDomain), Boolean(props.webAclArn));

    if (props.customDomain?.hostedZoneId) {
      const zone = route53.HostedZone.fromHostedZoneId(this, 'Zone', props.customDomain.hostedZoneId);
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      // The trailing dot makes the name absolute, so the zone's name need not be known here.
      const recordName = `${props.customDomain.domainName}.`;
      new route53.ARecord(this, 'AliasA', { zone, recordName, target });
      new route53.AaaaRecord(this, 'AliasAAAA', { zone, recordName, target });
    }

    new s3deploy.BucketDeployment(this, 'DeployPage', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.asset(`${PROJECT_ROOT}frontend`, { exclude: ['config.json'] }),
        // Written at deploy time from the real pool, client and region.
        s3deploy.Source.jsonData('config.json', props.pageConfig),
      ],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // Browsers revalidate on every load (a stale app.js or config.json would outlive a redeploy); the edge keeps
      // its copy for a day, and each deploy invalidates it.
      cacheControl: [s3deploy.CacheControl.fromString(PAGE_CACHE_CONTROL)],
      memoryLimit: 256,
      // Otherwise CDK gives its handler a log group kept for two years, and kept after `cdk destroy`.
      logGroup: new logs.LogGroup(this, 'DeployPageLogs', {
        retention: props.logRetention,
        removalPolicy: props.logRemovalPolicy,
      }),
    });
  }

  private acknowledgeDistributionFindings(hasCustomDomain: boolean, hasWebAcl: boolean): void {
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'A URL shortener is meant to be reachable from everywhere; operators who need geo restrictions can add them.',
    );
    if (!hasWebAcl) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR2',
        'AWS WAF is off by default: its web ACL costs $7/month with the two rate rules plus $0.60 per million requests, about half the idle stack; redirects are throttled by API Gateway and the API by per-user limits behind Cognito JWTs. Deploy with -c waf=true for public production use.',
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR3',
      'Every API and short-link request is logged by the HTTP API access log; the remaining requests fetch the public page, whose logs would only add storage cost.',
    );
    if (!hasCustomDomain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain CloudFront must use its default *.cloudfront.net certificate, which does not let the minimum TLS version be set; pass domainName and certificateArn to get TLSv1.2_2021.',
      );
    }
  }
}

const REFERRER_POLICIES: Record<string, cloudfront.HeadersReferrerPolicy> = Object.fromEntries(
  Object.values(cloudfront.HeadersReferrerPolicy).map((policy) => [policy, policy]),
);

/**
 * Maps the page's header record onto a response headers policy: the headers CloudFront models as
 * security headers go there (it refuses them as custom headers), the rest become custom headers.
 */
export function responseHeadersFrom(
  headers: Record<string, string>,
): Pick<cloudfront.ResponseHeadersPolicyProps, 'securityHeadersBehavior' | 'customHeadersBehavior'> {
  const security: {
    -readonly [K in keyof cloudfront.ResponseSecurityHeadersBehavior]: cloudfront.ResponseSecurityHeadersBehavior[K];
  } = {};
  const custom: cloudfront.ResponseCustomHeader[] = [];
  for (const [name, value] of Object.entries(headers)) {
    switch (name.toLowerCase()) {
      case 'content-security-policy':
        security.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'strict-transport-security': {
        const maxAge = /max-age=(\d+)/i.exec(value)?.[1];
        if (!maxAge) throw new Error(`Strict-Transport-Security without max-age: ${value}`);
        security.strictTransportSecurity = {
          accessControlMaxAge: Duration.seconds(Number(maxAge)),
          includeSubdomains: /includeSubDomains/i.test(value),
          preload: /preload/i.test(value),
          override: true,
        };
        break;
      }
      case 'x-content-type-options':
        if (value.toLowerCase() !== 'nosniff') throw new Error(`unsupported X-Content-Type-Options: ${value}`);
        security.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options': {
        const option = value.toUpperCase() === 'DENY' ? cloudfront.HeadersFrameOption.DENY : undefined;
        const sameOrigin = value.toUpperCase() === 'SAMEORIGIN' ? cloudfront.HeadersFrameOption.SAMEORIGIN : undefined;
        const frameOption = option ?? sameOrigin;
        if (!frameOption) throw new Error(`unsupported X-Frame-Options: ${value}`);
        security.frameOptions = { frameOption, override: true };
        break;
      }
      case 'referrer-policy': {
        const referrerPolicy = REFERRER_POLICIES[value.toLowerCase()];
        if (!referrerPolicy) throw new Error(`unsupported Referrer-Policy: ${value}`);
        security.referrerPolicy = { referrerPolicy, override: true };
        break;
      }
      default:
        custom.push({ header: name, value, override: true });
    }
  }
  return {
    securityHeadersBehavior: security,
    ...(custom.length > 0 ? { customHeadersBehavior: { customHeaders: custom } } : {}),
  };
}
