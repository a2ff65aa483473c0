import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import { describe, expect, test } from 'vitest';
import { EDGE_CONFIG_FILE, locateBundles, stageEdgeBundle } from '../lib/bundles.js';
import { resolveSettings } from '../lib/props.js';
import { makeStandInBundles } from './support/bundles.js';

const deployment = {
  exchange: { bucket: 'vetrina-exchange-test', region: 'eu-central-1' },
  renditions: { bucket: 'vetrina-renditions-test', region: 'eu-central-1' },
  edge: {},
};

describe('resolveSettings', () => {
  test('fills the documented defaults', () => {
    const settings = resolveSettings({ bundlesDir: 'dist/bundles' });

    expect(settings).toMatchObject({
      priceClass: PriceClass.PRICE_CLASS_100,
      s3EventConcurrency: 10,
      s3EventMemoryMb: 2048,
      originResponseMemoryMb: 1536,
      backfillConcurrency: 40,
      backfillBatchSize: 25,
      backfillToleratedFailurePercent: 1,
      auditSchedule: 'cron(30 3 * * ? *)',
      logRetentionDays: 30,
      cloudFrontAdditionalMetrics: true,
      alarmEmails: [],
      alarmPhoneNumbers: [],
    });
  });

  test('rejects signing keys in the edge config, because the template would carry them', () => {
    expect(() => resolveSettings({ bundlesDir: 'x', edgeConfig: { signing: { keys: { k1: 'secret' } } } })).toThrow(
      'vetrina settings edgeConfig.signing.keys: expected no keys (secrets never go into the template); put them in the KeyValueStore under "signing-keys" instead',
    );
  });

  test('rejects a phone number that is not E.164 and names it', () => {
    expect(() => resolveSettings({ bundlesDir: 'x', alarmPhoneNumbers: ['0170 1234567'] })).toThrow(
      'vetrina settings alarmPhoneNumbers: expected E.164 such as +491701234567, got "0170 1234567"',
    );
  });

  test('rejects a custom domain without a us-east-1 certificate', () => {
    expect(() => resolveSettings({ bundlesDir: 'x', domainNames: ['img.example.com'] })).toThrow(
      'vetrina settings certificateArn: required with domainNames [img.example.com]',
    );
    expect(() =>
      resolveSettings({
        bundlesDir: 'x',
        domainNames: ['img.example.com'],
        certificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/abc',
      }),
    ).toThrow('expected an ACM certificate ARN in us-east-1');
  });

  test('rejects a log retention CloudWatch does not offer and an invalid preset from the edge config', () => {
    expect(() => resolveSettings({ bundlesDir: 'x', logRetentionDays: 31 })).toThrow(
      'vetrina settings logRetentionDays: expected one of 1, 3, 5, 7, 14, 30,',
    );
    expect(() =>
      resolveSettings({
        bundlesDir: 'x',
        edgeConfig: { presets: { w640: { desktopWidth: 640, mobileWidth: 480, fit: 'inside', eager: true } } },
      }),
    ).toThrow('config presets: name "w640" must match');
  });
});

describe('locateBundles', () => {
  test('tells the operator to build first when the directory is missing', () => {
    expect(() => locateBundles('/nonexistent/vetrina-bundles')).toThrow(
      'bundles directory "/nonexistent/vetrina-bundles" does not exist: run npm run build first',
    );
  });

  test('names a missing bundle inside an existing directory', () => {
    const dir = makeStandInBundles();
    rmSync(join(dir, 'audit'), { recursive: true });

    expect(() => locateBundles(dir)).toThrow(`bundle "${join(dir, 'audit')}" is missing: run npm run build first`);
  });

  test('refuses a viewer function over the 10 KB CloudFront Functions limit', () => {
    const dir = makeStandInBundles();
    writeFileSync(
      join(dir, 'viewer-request/index.js'),
      `function handler(e) { return e.request; }\n//${'x'.repeat(10_240)}`,
    );

    expect(() => locateBundles(dir)).toThrow('a CloudFront Function may hold at most 10240 bytes, got 10284');
  });
});

describe('stageEdgeBundle', () => {
  test('copies the bundle and writes the deployment next to index.mjs, once per content', () => {
    const dir = makeStandInBundles();

    const first = stageEdgeBundle(join(dir, 'origin-response'), deployment, dir);
    const second = stageEdgeBundle(join(dir, 'origin-response'), deployment, dir);

    expect(second).toBe(first);
    expect(existsSync(join(first, 'index.mjs'))).toBe(true);
    expect(JSON.parse(readFileSync(join(first, EDGE_CONFIG_FILE), 'utf8'))).toEqual(deployment);
  });

  test('gives a different directory when the deployment changes', () => {
    const dir = makeStandInBundles();

    const a = stageEdgeBundle(join(dir, 'origin-response'), deployment, dir);
    const b = stageEdgeBundle(join(dir, 'origin-response'), { ...deployment, edge: { background: '#000000' } }, dir);

    expect(b).not.toBe(a);
  });

  test('refuses an unresolved bucket name', () => {
    const dir = makeStandInBundles();

    expect(() =>
      stageEdgeBundle(
        join(dir, 'origin-response'),
        { ...deployment, exchange: { bucket: ['${Token', '[TOKEN.123]}'].join(''), region: 'eu-central-1' } },
        dir,
      ),
    ).toThrow('edge deployment exchange.bucket: expected an S3 bucket name');
  });
});
