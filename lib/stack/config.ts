// Deployment options: read from CDK context (`cdk deploy -c key=value` or `cdk.json`), validated once here,
// so every construct receives plain, checked values.
import type { Node } from 'constructs';

export type KinesisMode = 'provisioned' | 'on-demand';
export type DataRemovalPolicy = 'retain' | 'destroy';

export interface ShortenerConfig {
  /** Suffix of the stack name and of resource names, e.g. `prod`, `dev-alice`. */
  readonly stage: string;
  /** Optional custom domain served by CloudFront; needs `certificateArn` (an ACM certificate in us-east-1). */
  readonly domainName?: string;
  readonly certificateArn?: string;
  readonly kinesisMode: KinesisMode;
  /** `retain` keeps the table (and its deletion protection) and the failed-batch bucket on `cdk destroy`. */
  readonly removalPolicy: DataRemovalPolicy;
}

export const CONTEXT_KEYS = {
  stage: 'stage',
  domainName: 'domainName',
  certificateArn: 'certificateArn',
  kinesisMode: 'kinesisMode',
  removalPolicy: 'removalPolicy',
} as const;

export const DEFAULT_CONFIG: ShortenerConfig = {
  stage: 'prod',
  kinesisMode: 'provisioned',
  removalPolicy: 'retain',
};

export function configFromContext(node: Node): ShortenerConfig {
  const read = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value);
  };
  return parseConfig({
    stage: read(CONTEXT_KEYS.stage),
    domainName: read(CONTEXT_KEYS.domainName),
    certificateArn: read(CONTEXT_KEYS.certificateArn),
    kinesisMode: read(CONTEXT_KEYS.kinesisMode),
    removalPolicy: read(CONTEXT_KEYS.removalPolicy),
  });
}

export function parseConfig(raw: Partial<Record<keyof ShortenerConfig, string | undefined>>): ShortenerConfig {
  const stage = raw.stage ?? DEFAULT_CONFIG.stage;
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(stage)) {
    throw new Error(`stage "${stage}" must be 1-21 lowercase letters, digits or hyphens, starting with a letter`);
  }
  const kinesisMode = oneOf('kinesisMode', raw.kinesisMode ?? DEFAULT_CONFIG.kinesisMode, [
    'provisioned',
    'on-demand',
  ] as const);
  const removalPolicy = oneOf('removalPolicy', raw.removalPolicy ?? DEFAULT_CONFIG.removalPolicy, [
    'retain',
    'destroy',
  ] as const);
  if (Boolean(raw.domainName) !== Boolean(raw.certificateArn)) {
    throw new Error('domainName and certificateArn must be given together');
  }
  if (raw.domainName && !/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i.test(raw.domainName)) {
    throw new Error(`domainName "${raw.domainName}" is not a host name`);
  }
  if (raw.certificateArn && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(raw.certificateArn)) {
    throw new Error('certificateArn must be an ACM certificate in us-east-1 (CloudFront only uses that region)');
  }
  return {
    stage,
    kinesisMode,
    removalPolicy,
    ...(raw.domainName ? { domainName: raw.domainName.toLowerCase(), certificateArn: raw.certificateArn } : {}),
  };
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value);
  if (!match) throw new Error(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  return match;
}
