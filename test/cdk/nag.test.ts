// cdk-nag's AWS Solutions rules, run on the construct tree the way `cdk synth` runs them.
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nagFindings, type Synthesized, synthesize } from './synth.ts';

let defaults: Synthesized;

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
});

describe('aws-deployment', () => {
  it('R9.1 the default deployment has zero unacknowledged AwsSolutions findings', () => {
    expect(nagFindings(defaults)).toEqual([]);
  });

  it('R9.1 the check is live: an unhardened bucket is reported', () => {
    const app = new App();
    const stack = new Stack(app, 'Probe');
    new s3.Bucket(stack, 'UnhardenedBucket');
    const findings = nagFindings({ app, stack });
    expect(findings).toContain('AwsSolutions-S1 at Probe/UnhardenedBucket/Resource');
    expect(findings).toContain('AwsSolutions-S10 at Probe/UnhardenedBucket/Resource');
  });

  it('R9.2 every acknowledgement names one rule and gives a specific reason', () => {
    const acknowledged = acknowledgements(defaults.stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect(id, path).toMatch(/^Annotation::AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(60);
    }
    // A reason is written for its finding, not pasted everywhere.
    const reasons = acknowledged.map((entry) => `${entry.id.replace(/\[.*$/, '')} ${entry.reason}`);
    expect(new Set(reasons).size).toBe(reasons.length);
  });

  it('R9.2 nothing is acknowledged on the stack as a whole, only on the construct concerned', () => {
    const onStack = acknowledgements(defaults.stack).filter((entry) => entry.path === defaults.stack.node.path);
    expect(onStack).toEqual([]);
  });
});
