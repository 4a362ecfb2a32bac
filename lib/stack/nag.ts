// cdk-nag acknowledgements go through here, so each carries a reason written for that one finding on that
// one construct. The bare rule id is used on purpose: CDK stores it as `Annotation::<rule>`, which both
// `cdk synth` (Validations plugin) and cdk-nag's own `validateScope` (used by the tests) recognise;
// the `AwsSolutions::<rule>` spelling the CLI suggests is not recognised by `validateScope` in cdk-nag 3.0.2.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `rule` is `AwsSolutions-XX` or a granular finding such as `AwsSolutions-IAM5[Resource::...]`. */
export function acknowledge(construct: IConstruct, rule: `AwsSolutions-${string}`, reason: string): void {
  Validations.of(construct).acknowledge({ id: rule, reason });
}
