/**
 * Builds the vetrina app: the main stack, the us-east-1 alarm stack when the main region is
 * elsewhere, and the cdk-nag AWS Solutions checks over everything (findings fail the synth
 * unless acknowledged with a reason in nag.ts).
 */
import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeFindings } from './nag.js';
import type { VetrinaSettings } from './props.js';
import { EdgeAlarmsStack, VetrinaStack } from './vetrina-stack.js';

/** CDK feature flags the app is written for; set here so tests and the CLI synth alike. */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = Object.freeze({
  // Without it the distributed map silently drops its result writer (the backfill report).
  '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2': true,
  // Cross-region references (distribution id → us-east-1 alarms) stay strong: the alarm stack
  // must be removed before the distribution can be.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  '@aws-cdk/core:enablePartitionLiterals': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
});

/** The stacks of one deployment. */
export interface VetrinaApp {
  readonly main: VetrinaStack;
  /** Undefined when the main region is us-east-1 (the alarms are then in the main stack). */
  readonly edgeAlarms: EdgeAlarmsStack | undefined;
}

/** Adds the stacks for `settings` to `app`; `stackName` prefixes every stack. Throws on bad settings. */
export function buildVetrinaApp(
  app: App,
  settings: VetrinaSettings,
  env: Environment,
  stackName = 'Vetrina',
): VetrinaApp {
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) {
    if (app.node.tryGetContext(flag) !== undefined) continue;
    if (app.node.children.length > 0) throw new Error(`buildVetrinaApp: expected an empty App to set ${flag} on`);
    app.node.setContext(flag, value);
  }
  const main = new VetrinaStack(app, stackName, {
    env,
    settings,
    description: 'vetrina image delivery: buckets, Lambdas, CloudFront, alarms, backfill',
  });
  const edgeAlarms =
    main.region === 'us-east-1'
      ? undefined
      : new EdgeAlarmsStack(app, `${stackName}-EdgeAlarms`, {
          main,
          description: 'vetrina CloudFront and Lambda@Edge alarms (us-east-1, where CloudFront publishes metrics)',
        });
  if (edgeAlarms) edgeAlarms.addStackDependency(main);

  acknowledgeFindings(main);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { main, edgeAlarms };
}
