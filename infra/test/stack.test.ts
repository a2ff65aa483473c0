import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { EDGE_CONFIG_FILE, VIEWER_FUNCTION_MAX_BYTES } from '../lib/bundles.js';
import { type Synthesised, synthesise, TEST_ACCOUNT } from './support/synth.js';

let s: Synthesised;
type Resource = { Type: string; Properties: Record<string, unknown> };

beforeAll(() => {
  s = synthesise();
});

function resources(template: Synthesised['main'], type: string): Array<[string, Resource]> {
  return Object.entries(template.findResources(type)) as Array<[string, Resource]>;
}

function logicalId(template: Synthesised['main'], type: string, idPrefix: string): string {
  const found = resources(template, type).find(([id]) => id.startsWith(idPrefix));
  if (!found) throw new Error(`no ${type} with id ${idPrefix}*`);
  return found[0];
}

describe('buckets', () => {
  test('blocks every kind of public access and encrypts all three buckets', () => {
    const buckets = resources(s.main, 'AWS::S3::Bucket');

    expect(buckets).toHaveLength(3);
    for (const [, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(JSON.stringify(bucket.Properties.BucketEncryption)).toContain('AES256');
    }
  });

  test('denies every request without TLS on each bucket', () => {
    const policies = resources(s.main, 'AWS::S3::BucketPolicy');

    expect(policies).toHaveLength(3);
    for (const [, policy] of policies) {
      const statements = (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  test('names the buckets after account and region and versions only the exchange bucket', () => {
    s.main.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: `vetrina-exchange-${TEST_ACCOUNT}-eu-central-1`,
      VersioningConfiguration: { Status: 'Enabled' },
    });
    s.main.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: `vetrina-renditions-${TEST_ACCOUNT}-eu-central-1`,
      VersioningConfiguration: Match.absent(),
    });
  });

  test('lets CloudFront read renditions only through Origin Access Control of this distribution', () => {
    const renditions = logicalId(s.main, 'AWS::S3::Bucket', 'StorageRenditions');
    const distribution = logicalId(s.main, 'AWS::CloudFront::Distribution', 'DeliveryDistribution');

    s.main.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    s.main.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: renditions },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    const policy = resources(s.main, 'AWS::S3::BucketPolicy').find(
      ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: renditions }),
    );
    expect(JSON.stringify(policy)).toContain(distribution);
  });
});

describe('S3 events', () => {
  test('sends created and removed events of the exchange bucket to the queue, and nothing of the renditions bucket', () => {
    const exchange = logicalId(s.main, 'AWS::S3::Bucket', 'StorageExchange');
    const queue = logicalId(s.main, 'AWS::SQS::Queue', 'ProcessingEvents');
    const notifications = resources(s.main, 'Custom::S3BucketNotifications');

    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.[1].Properties.BucketName).toEqual({ Ref: exchange });
    expect(notifications[0]?.[1].Properties.NotificationConfiguration).toEqual({
      QueueConfigurations: [
        { Events: ['s3:ObjectCreated:*'], QueueArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        { Events: ['s3:ObjectRemoved:*'], QueueArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
      ],
    });
  });

  test('feeds the S3-event Lambda from SQS with partial batch responses and a dead-letter queue after 5 tries', () => {
    const queue = logicalId(s.main, 'AWS::SQS::Queue', 'ProcessingEvents');
    const dlq = logicalId(s.main, 'AWS::SQS::Queue', 'ProcessingDeadLetters');

    s.main.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    s.main.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 720,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  test('runs the S3-event Lambda on Node.js 22 with reserved concurrency and the four variables it reads', () => {
    const [, fn] = resources(s.main, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ProcessingHandler')) ?? [];

    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['x86_64'],
      MemorySize: 2048,
      Timeout: 120,
      ReservedConcurrentExecutions: 10,
    });
    const variables =
      (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining(['EXCHANGE_BUCKET', 'RENDITIONS_BUCKET', 'DISTRIBUTION_ID', 'VETRINA_CONFIG']),
    );
    expect(variables.VETRINA_CONFIG).toBe('{}');
    expect(variables.INVALIDATE_BY).toBe('tag');
  });
});

describe('IAM', () => {
  const S3_ACTIONS = new Set(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket']);

  test('grants the regional Lambdas single S3 actions on the exchange and renditions buckets only', () => {
    const exchange = logicalId(s.main, 'AWS::S3::Bucket', 'StorageExchange');
    const renditions = logicalId(s.main, 'AWS::S3::Bucket', 'StorageRenditions');
    const policies = resources(s.main, 'AWS::IAM::Policy').filter(([id]) =>
      /^(Processing|Backfill|Audit)Handler/.test(id),
    );

    expect(policies).toHaveLength(3);
    for (const [id, policy] of policies) {
      const statements = (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
      for (const statement of statements) {
        const actions = [statement.Action].flat() as string[];
        if (!actions.some((a) => a.startsWith('s3:'))) continue;
        expect(
          actions.every((a) => S3_ACTIONS.has(a)),
          `${id}: ${actions}`,
        ).toBe(true);
        const targets = JSON.stringify(statement.Resource);
        expect(targets.includes(exchange) || targets.includes(renditions), `${id}: ${targets}`).toBe(true);
        expect(targets.includes('StorageOperations'), `${id}: ${targets}`).toBe(false);
      }
    }
  });

  test('lets only the S3-event Lambda delete renditions and never lets any Lambda write originals', () => {
    const exchange = logicalId(s.main, 'AWS::S3::Bucket', 'StorageExchange');
    const writers = resources(s.main, 'AWS::IAM::Policy').flatMap(([id, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement.filter((st) =>
        ([st.Action].flat() as string[]).some((a) => a === 's3:PutObject' || a === 's3:DeleteObject'),
      ).map((st) => ({ id, actions: [st.Action].flat(), resource: JSON.stringify(st.Resource) })),
    );

    expect(writers.filter((w) => w.resource.includes(exchange))).toEqual([]);
    expect(writers.filter((w) => w.actions.includes('s3:DeleteObject')).map((w) => w.id)).toEqual([
      expect.stringMatching(/^ProcessingHandler/),
    ]);
  });

  test('limits CloudFront invalidation to this distribution', () => {
    const distribution = logicalId(s.main, 'AWS::CloudFront::Distribution', 'DeliveryDistribution');

    s.main.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'cloudfront:CreateInvalidation',
            Resource: {
              'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':distribution/$'), { Ref: distribution }])],
            },
          }),
        ]),
      },
    });
  });
});

describe('Lambda@Edge', () => {
  test('lives in us-east-1, on x86_64 and Node.js 22, with no environment and at most 30 s', () => {
    const functions = resources(s.edge, 'AWS::Lambda::Function');

    expect(s.edgeStack.region).toBe('us-east-1');
    expect(functions).toHaveLength(1);
    const props = functions[0]?.[1].Properties;
    expect(props?.Environment).toBeUndefined();
    expect(props?.Architectures ?? ['x86_64']).toEqual(['x86_64']);
    expect(props).toMatchObject({ Runtime: 'nodejs22.x', MemorySize: 1536, Timeout: 30, Handler: 'index.handler' });
  });

  test('may be assumed by edgelambda.amazonaws.com and reads originals, writes renditions by bucket name', () => {
    s.edge.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: Match.arrayWith(['edgelambda.amazonaws.com']) },
            Action: 'sts:AssumeRole',
          }),
        ]),
      },
    });
    const policy = JSON.stringify(s.edge.findResources('AWS::IAM::Policy'));
    expect(policy).toContain(`:s3:::vetrina-exchange-${TEST_ACCOUNT}-eu-central-1/*`);
    expect(policy).toContain(`:s3:::vetrina-renditions-${TEST_ACCOUNT}-eu-central-1/*`);
  });

  test('ships the deployment (buckets, region, overrides) as vetrina-edge.json inside its asset', () => {
    const deployment = JSON.parse(
      readFileSync(join(s.stacks.main.delivery.originResponseDir, EDGE_CONFIG_FILE), 'utf8'),
    );

    expect(deployment).toEqual({
      exchange: { bucket: `vetrina-exchange-${TEST_ACCOUNT}-eu-central-1`, region: 'eu-central-1' },
      renditions: { bucket: `vetrina-renditions-${TEST_ACCOUNT}-eu-central-1`, region: 'eu-central-1' },
      edge: {},
    });
  });
});

describe('distribution', () => {
  test('keys the cache on the URI and v only: no header, no cookie, no other query parameter', () => {
    s.main.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 31_536_000,
        MinTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: {
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['v'] },
          EnableAcceptEncodingBrotli: false,
          EnableAcceptEncodingGzip: false,
        },
      }),
    });
  });

  test('forwards x-vetrina-public-uri and the device header to the origin without caching on them', () => {
    s.main.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({
        HeadersConfig: {
          HeaderBehavior: 'whitelist',
          Headers: ['x-vetrina-public-uri', 'CloudFront-Is-Mobile-Viewer'],
        },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
      }),
    });
  });

  test('extracts cache tags from x-amz-meta-cache-tag for tag invalidation', () => {
    s.main.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ CacheTagConfig: { HeaderName: 'x-amz-meta-cache-tag' } }),
    });
  });

  test('runs the viewer function on viewer-request and the edge Lambda on origin-response', () => {
    const fn = logicalId(s.main, 'AWS::CloudFront::Function', 'DeliveryViewerRequest');

    s.main.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fn, 'FunctionARN'] } }],
          LambdaFunctionAssociations: [
            { EventType: 'origin-response', LambdaFunctionARN: { 'Fn::GetAtt': [Match.anyValue(), 'FunctionArn'] } },
          ],
        }),
      }),
    });
  });

  test('caches a missing original for 10 s and every other error not at all', () => {
    const [, distribution] = resources(s.main, 'AWS::CloudFront::Distribution')[0] as [string, Resource];
    const errors = (
      distribution.Properties.DistributionConfig as { CustomErrorResponses: Array<Record<string, number>> }
    ).CustomErrorResponses;

    expect(Object.fromEntries(errors.map((e) => [e.ErrorCode, e.ErrorCachingMinTTL]))).toEqual({
      400: 0,
      403: 0,
      404: 10,
      405: 0,
      414: 0,
      500: 0,
      502: 0,
      503: 0,
      504: 0,
    });
  });

  test('serves HTTP/2 and HTTP/3 over IPv6 in the cheapest price class with nosniff', () => {
    s.main.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        HttpVersion: 'http2and3',
        IPV6Enabled: true,
        PriceClass: 'PriceClass_100',
      }),
    });
    s.main.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({ ContentTypeOptions: { Override: true } }),
        CorsConfig: Match.absent(),
      }),
    });
  });

  test('ships the viewer function as cloudfront-js-2.0 under 10 KB, bound to the signing-key store', () => {
    const store = logicalId(s.main, 'AWS::CloudFront::KeyValueStore', 'DeliverySigningKeys');
    const [, fn] = resources(s.main, 'AWS::CloudFront::Function')[0] as [string, Resource];

    expect(Buffer.byteLength(fn.Properties.FunctionCode as string)).toBeLessThanOrEqual(VIEWER_FUNCTION_MAX_BYTES);
    expect(fn.Properties.FunctionConfig).toMatchObject({
      Runtime: 'cloudfront-js-2.0',
      KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [store, 'Arn'] } }],
    });
  });
});

describe('backfill and audit', () => {
  test('fans out over the exchange bucket listing with a distributed map, a concurrency cap and a failure budget', () => {
    const [, machine] = resources(s.main, 'AWS::StepFunctions::StateMachine')[0] as [string, Resource];
    const definition = JSON.stringify(machine.Properties.DefinitionString);

    expect(definition).toContain('\\"Mode\\":\\"DISTRIBUTED\\"');
    expect(definition).toContain('\\"ExecutionType\\":\\"EXPRESS\\"');
    expect(definition).toContain('\\"MaxConcurrency\\":40');
    expect(definition).toContain('\\"ToleratedFailurePercentage\\":1');
    expect(definition).toContain('\\"MaxItemsPerBatch\\":25');
    expect(definition).toContain(':states:::s3:listObjectsV2');
    expect(definition).toContain('\\"ResultWriter\\"');
    expect(definition).toContain('backfill-reports/');
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  test('runs the audit on a daily schedule with read-only access', () => {
    const audit = logicalId(s.main, 'AWS::Lambda::Function', 'AuditHandler');

    s.main.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 3 * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [audit, 'Arn'] } })],
    });
    const policy = resources(s.main, 'AWS::IAM::Policy').find(([id]) => id.startsWith('AuditHandler'));
    const actions = JSON.stringify(policy?.[1].Properties.PolicyDocument);
    expect(actions).not.toContain('s3:PutObject');
    expect(actions).not.toContain('s3:DeleteObject');
  });
});

describe('outputs', () => {
  test('lists what the PHP config and the operators need', () => {
    const outputs = Object.keys(s.main.findOutputs('*'));

    expect(outputs).toEqual(
      expect.arrayContaining([
        'CdnBaseUrl',
        'DistributionId',
        'ExchangeBucketName',
        'SigningKeyStoreArn',
        'BackfillStateMachineArn',
        'AlarmTopicArn',
      ]),
    );
  });
});
