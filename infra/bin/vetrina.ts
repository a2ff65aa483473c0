/**
 * CDK entry point (`npx cdk synth` / `npx cdk deploy --all` from the repository root).
 *
 * Settings come from the JSON file named by the context value `settings` (default
 * `infra/vetrina.settings.json` if present), with `bundlesDir` overridable by context. The account
 * comes from the CLI profile (CDK_DEFAULT_ACCOUNT) or `-c account=…`; the region from `-c region=…`, the
 * settings file's `region`, or eu-central-1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Annotations, App } from 'aws-cdk-lib';
import { buildVetrinaApp } from '../lib/app.js';
import type { VetrinaSettings } from '../lib/props.js';

// Offline synth (no credentials) has no account; the bucket names then use this placeholder and
// the template is for inspection only. A deploy always has credentials, hence the real account.
const OFFLINE_ACCOUNT = '000000000000';

const app = new App();
const context = (name: string): string | undefined => app.node.tryGetContext(name);

const settingsPath = context('settings') ?? 'infra/vetrina.settings.json';
const fileSettings: Partial<VetrinaSettings> & { region?: string } = existsSync(settingsPath)
  ? JSON.parse(readFileSync(settingsPath, 'utf8'))
  : {};
const { region: fileRegion, ...rest } = fileSettings;
const settings: VetrinaSettings = {
  ...rest,
  bundlesDir: context('bundlesDir') ?? fileSettings.bundlesDir ?? 'dist/bundles',
};

const account = context('account') ?? process.env.CDK_DEFAULT_ACCOUNT ?? OFFLINE_ACCOUNT;
// The region is part of the deployment, not of whoever runs the CLI: the CLI's default region
// (CDK_DEFAULT_REGION falls back to us-east-1) is deliberately ignored.
const region = context('region') ?? fileRegion ?? 'eu-central-1';

try {
  const { main } = buildVetrinaApp(app, settings, { account, region }, context('stackName') ?? 'Vetrina');
  if (account === OFFLINE_ACCOUNT) {
    Annotations.of(main).addWarningV2(
      'vetrina:offline-account',
      `no AWS account known: bucket names use the placeholder account ${OFFLINE_ACCOUNT}; do not deploy this synth`,
    );
  }
} catch (error) {
  process.stderr.write(`vetrina: ${(error as Error).message}\n`);
  process.exit(1);
}
