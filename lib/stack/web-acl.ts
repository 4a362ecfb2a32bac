// The optional AWS WAF web ACL on the distribution (context `waf=true`): per-IP rate limits on link creation
// and on short-link visits, in front of everything else (API Gateway throttling, per-user quotas).
// Web ACLs for CloudFront exist only in us-east-1, so the stack must be deployed there to use it.
import { Aws, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Requests per IP in a 5-minute window before WAF answers 429 for the rest of the window. */
export const WAF_RATE_LIMITS = {
  /** `POST /links*`: a person creates a few links a minute; a script creating thousands is stopped. */
  linkWrites: 100,
  /** Short-link visits: generous, since many visitors may share one IP (offices, carrier NAT). */
  visits: 2_000,
} as const;

export const WAF_WINDOW_SECONDS = 300;

export interface WebAclProps {
  /** Path prefixes of the links API (`/links`); a visit is a GET or HEAD outside them and the page's paths. */
  readonly apiPrefixes: readonly string[];
  /** Paths served from the page bucket: exact (`/config.json`) or prefixes ending in `/`. */
  readonly pagePaths: readonly string[];
}

export class WebAcl extends Construct {
  readonly acl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      throw new Error(
        `waf=true needs the stack in us-east-1 (CloudFront web ACLs live there); this stack is in ${region}`,
      );
    }
    // An environment-agnostic template is checked when it is deployed instead.
    new CfnRule(this, 'InUsEast1', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, 'us-east-1'),
          assertDescription: 'waf=true needs the stack in us-east-1: CloudFront web ACLs can only be created there',
        },
      ],
    });

    const uri = (path: string, constraint: 'STARTS_WITH' | 'EXACTLY'): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: constraint,
        searchString: path,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const apiPrefix = (prefix: string) => uri(prefix, 'STARTS_WITH');
    const pagePath = (path: string) => uri(path, path.endsWith('/') ? 'STARTS_WITH' : 'EXACTLY');
    const method = (name: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { method: {} },
        positionalConstraint: 'EXACTLY',
        searchString: name,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const anyOf = (statements: wafv2.CfnWebACL.StatementProperty[]): wafv2.CfnWebACL.StatementProperty =>
      statements.length === 1 ? (statements[0] as wafv2.CfnWebACL.StatementProperty) : { orStatement: { statements } };

    const linkWrites: wafv2.CfnWebACL.StatementProperty = {
      andStatement: { statements: [method('POST'), anyOf(props.apiPrefixes.map(apiPrefix))] },
    };
    const visits: wafv2.CfnWebACL.StatementProperty = {
      andStatement: {
        statements: [
          anyOf([method('GET'), method('HEAD')]),
          {
            notStatement: { statement: anyOf([...props.apiPrefixes.map(apiPrefix), ...props.pagePaths.map(pagePath)]) },
          },
        ],
      },
    };

    const rule = (name: string, priority: number, limit: number, scopeDown: wafv2.CfnWebACL.StatementProperty) => ({
      name,
      priority,
      statement: {
        rateBasedStatement: {
          limit,
          evaluationWindowSec: WAF_WINDOW_SECONDS,
          aggregateKeyType: 'IP',
          scopeDownStatement: scopeDown,
        },
      },
      action: {
        block: {
          customResponse: {
            responseCode: 429,
            responseHeaders: [{ name: 'Retry-After', value: String(WAF_WINDOW_SECONDS) }],
          },
        },
      },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
    });

    this.acl = new wafv2.CfnWebACL(this, 'Acl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Per-IP rate limits on link creation and short-link visits',
      rules: [
        rule('LinkWritesPerIp', 0, WAF_RATE_LIMITS.linkWrites, linkWrites),
        rule('VisitsPerIp', 1, WAF_RATE_LIMITS.visits, visits),
      ],
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'shortener', sampledRequestsEnabled: true },
    });
  }
}
