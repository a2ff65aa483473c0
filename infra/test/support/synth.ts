/**
 * Synthesises the app once for a test file, with stand-in bundles and a fixed account, and
 * returns the templates of its stacks.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildVetrinaApp, type VetrinaApp } from '../../lib/app.js';
import type { VetrinaSettings } from '../../lib/props.js';
import { makeStandInBundles } from './bundles.js';

/** Account used by every test synth. */
export const TEST_ACCOUNT = '123456789012';

/** The synthesised deployment. */
export interface Synthesised {
  readonly app: App;
  readonly stacks: VetrinaApp;
  readonly main: Template;
  /** The stack holding the Lambda@Edge function (us-east-1): its own, or the main one in us-east-1. */
  readonly edge: Template;
  readonly edgeStack: Stack;
  /** The CloudFront alarms stack (us-east-1); undefined when the main region is us-east-1. */
  readonly edgeAlarms: Template | undefined;
}

/** Builds and synthesises the app for `settings` (bundlesDir defaults to fresh stand-ins). */
export function synthesise(settings: Partial<VetrinaSettings> = {}, region = 'eu-central-1'): Synthesised {
  const app = new App();
  const stacks = buildVetrinaApp(
    app,
    { bundlesDir: makeStandInBundles(), ...settings },
    { account: TEST_ACCOUNT, region },
    'Vetrina',
  );
  // EdgeFunction only makes a separate stack when the main one is not already in us-east-1.
  const edgeStack =
    region === 'us-east-1'
      ? stacks.main
      : app.node.children.find((child): child is Stack => Stack.isStack(child) && child.node.id === 'Vetrina-Edge');
  if (!edgeStack) throw new Error('synthesise: the Lambda@Edge stack Vetrina-Edge was not created');

  return {
    app,
    stacks,
    main: Template.fromStack(stacks.main),
    edge: Template.fromStack(edgeStack),
    edgeStack,
    edgeAlarms: stacks.edgeAlarms ? Template.fromStack(stacks.edgeAlarms) : undefined,
  };
}
