// The CDK app: one ShortenerStack per stage, checked by cdk-nag's AWS Solutions rules on every synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from '../lib/stack/config.ts';
import { ShortenerStack, stackName } from '../lib/stack/shortener-stack.ts';

const app = new App();
let config: ReturnType<typeof configFromContext>;
try {
  config = configFromContext(app.node);
} catch (error) {
  // A bad -c option is the deployer's input, not a crash: say what is wrong, without a stack trace.
  console.error(`Invalid deployment option: ${(error as Error).message}`);
  process.exit(1);
}
new ShortenerStack(app, stackName(config), {
  config,
  description: `Serverless URL shortener (${config.stage})`,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
