// cdk-nag's AWS Solutions rules, run on the construct tree the way `cdk synth` runs them.
import { Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nagFindings, type Synthesized, synthesize } from './synth.ts';

let defaults: Synthesized;
let everyOption: Synthesized;

/** Every acknowledged rule in a construct tree, with its reason. */
function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

beforeAll(() => {
  defaults = synthesize();
  everyOption = synthesize({
    stage: 'dev-nag',
    kinesisMode: 'on-demand',
    removalPolicy: 'destroy',
    domainName: 'go.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  });
});

describe('aws-deployment', () => {
  it('R9.1 the default deployment has zero unacknowledged AwsSolutions findings', () => {
    expect(nagFindings(defaults)).toEqual([]);
  });

  it('R9.1 with every option switched (on-demand, destroy, custom domain) there are still zero findings', () => {
    expect(nagFindings(everyOption)).toEqual([]);
  });

  it('R9.1 the check is live: an unhardened bucket added to the stack is reported', () => {
    const probe = synthesize({ stage: 'probe' });
    new s3.Bucket(probe.stack, 'UnhardenedBucket');
    const findings = nagFindings(probe);
    expect(findings).toContainEqual(
      expect.stringMatching(/AwsSolutions-S1.* at probe-stack|AwsSolutions-S1 at .*UnhardenedBucket/),
    );
    expect(findings).toContainEqual(expect.stringMatching(/AwsSolutions-S10 at .*UnhardenedBucket/));
  });

  it('R9.2 every acknowledgement names one rule and gives a specific reason', () => {
    for (const synth of [defaults, everyOption]) {
      const acknowledged = acknowledgements(synth.stack);
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const { path, id, reason } of acknowledged) {
        expect(id, path).toMatch(/^Annotation::AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
        expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(60);
      }
      // A reason is written for its finding, not pasted everywhere.
      const reasons = acknowledged.map((entry) => `${entry.id.replace(/\[.*$/, '')} ${entry.reason}`);
      expect(new Set(reasons).size).toBe(reasons.length);
    }
  });

  it('R9.2 nothing is acknowledged on the stack as a whole, only on the construct concerned', () => {
    for (const synth of [defaults, everyOption]) {
      expect(acknowledgements(synth.stack).filter((entry) => entry.path === synth.stack.node.path)).toEqual([]);
    }
  });
});
