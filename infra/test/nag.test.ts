import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { describe, expect, test } from 'vitest';
import { buildVetrinaApp } from '../lib/app.js';
import { makeStandInBundles } from './support/bundles.js';
import { TEST_ACCOUNT } from './support/synth.js';

function allConstructs(root: IConstruct): IConstruct[] {
  return [root, ...root.node.children.flatMap(allConstructs)];
}

describe('cdk-nag AwsSolutions', () => {
  test('passes with zero unacknowledged findings, and every acknowledgement names its reason', () => {
    const app = new App();
    buildVetrinaApp(app, { bundlesDir: makeStandInBundles() }, { account: TEST_ACCOUNT, region: 'eu-central-1' });

    const assembly = app.synth();

    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
    const acknowledgements = allConstructs(app).flatMap((c) =>
      c.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>)),
    );
    expect(acknowledgements.length).toBeGreaterThan(10);
    for (const [rule, reason] of acknowledgements) {
      expect(rule).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(reason.length, rule).toBeGreaterThan(50);
    }
  });

  test('fails the synth on a finding nobody acknowledged', () => {
    const app = new App();
    const { main } = buildVetrinaApp(
      app,
      { bundlesDir: makeStandInBundles() },
      { account: TEST_ACCOUNT, region: 'eu-central-1' },
    );
    new Queue(main, 'Careless', { enforceSSL: false });

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3|AwsSolutions-SQS4/);
  });
});
