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
  // Cross-region references (distribution id → us-east-1 alarms) stay strong: the alarm stack
  // must be removed before the distribution can be.
  if (
    app.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences') === undefined &&
    app.node.children.length === 0
  ) {
    app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
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
  if (edgeAlarms) edgeAlarms.addDependency(main);

  acknowledgeFindings(main);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { main, edgeAlarms };
}
