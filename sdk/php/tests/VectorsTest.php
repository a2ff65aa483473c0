<?php

declare(strict_types=1);

namespace Vetrina\Tests;

use PHPUnit\Framework\TestCase;
use Vetrina\CloudFrontSigner;
use Vetrina\KeyEncoder;
use Vetrina\Signer;
use Vetrina\UrlBuilder;

/**
 * Every case of every builder-side vector file, one PHPUnit test per case. The TypeScript SDK
 * runs the same files, so the two SDKs cannot disagree without one of these failing.
 */
final class VectorsTest extends TestCase
{
    /** @return array<string, array{0: array<string, mixed>, 1: array<string, mixed>}> */
    public static function keyCases(): array
    {
        return Vectors::cases('keys.json');
    }

    /** @return array<string, array{0: array<string, mixed>, 1: array<string, mixed>}> */
    public static function builderCases(): array
    {
        return Vectors::cases('builder.json');
    }

    /** @return array<string, array{0: array<string, mixed>, 1: array<string, mixed>}> */
    public static function htmlCases(): array
    {
        return Vectors::cases('html.json');
    }

    /** @return array<string, array{0: array<string, mixed>, 1: array<string, mixed>}> */
    public static function signingCases(): array
    {
        return Vectors::cases('signing.json');
    }

    /** @return array<string, array{0: array<string, mixed>, 1: array<string, mixed>}> */
    public static function cloudFrontCases(): array
    {
        return Vectors::cases('cloudfront.json');
    }

    /**
     * @dataProvider keyCases
     * @param array<string, mixed> $case
     * @param array<string, mixed> $config
     */
    public function testKeysVector(array $case, array $config): void
    {
        $url = static fn (): string => (new UrlBuilder($config))->url($case['key'], ['width' => 640]);

        if (isset($case['expect']['error'])) {
            Vectors::assertRefused($case['expect'], $url);
            return;
        }
        $this->assertSame($case['expect']['encoded'], KeyEncoder::encode($case['key']));
        $this->assertSame($case['expect']['url'], $url());
    }

    /**
     * @dataProvider builderCases
     * @param array<string, mixed> $case
     * @param array<string, mixed> $config
     */
    public function testBuilderVector(array $case, array $config): void
    {
        $url = static fn (): string => (new UrlBuilder($config))->url($case['key'], $case['options'] ?? []);

        if (isset($case['expect']['error'])) {
            Vectors::assertRefused($case['expect'], $url);
            return;
        }
        $this->assertSame($case['expect']['url'], $url());
    }

    /**
     * @dataProvider htmlCases
     * @param array<string, mixed> $case
     * @param array<string, mixed> $config
     */
    public function testHtmlVector(array $case, array $config): void
    {
        $call = static function () use ($case, $config): string {
            $builder = new UrlBuilder($config);
            return match ($case['call']) {
                'srcset' => $builder->srcset($case['key'], $case['options']),
                'sizes' => $builder->sizes($case['entries'], $case['fallback']),
                'img' => $builder->img($case['key'], $case['options']),
                'picture' => $builder->picture($case['key'], $case['options']),
            };
        };

        if (isset($case['expect']['error'])) {
            Vectors::assertRefused($case['expect'], $call);
            return;
        }
        $this->assertSame($case['expect']['output'], $call());
    }

    /**
     * @dataProvider signingCases
     * @param array<string, mixed> $case
     * @param array<string, mixed> $config
     */
    public function testSigningVector(array $case, array $config): void
    {
        $signer = new Signer($config['keys']);
        $input = $case['input'];

        if ($case['op'] === 'verify') {
            $this->assertSame($case['expect']['valid'], $signer->verify($input['message'], $input['signature']));
            return;
        }
        $message = Signer::message($input['spec'], KeyEncoder::encode($input['key']), $input['version'] ?? null);
        $this->assertSame($case['expect']['message'], $message);
        $this->assertSame($case['expect']['signature'], $signer->sign($message, $input['keyId']));
    }

    /**
     * @dataProvider cloudFrontCases
     * @param array<string, mixed> $case
     * @param array<string, mixed> $config
     */
    public function testCloudFrontVector(array $case, array $config): void
    {
        $pem = (string) file_get_contents(Vectors::DIR . '/' . $config['privateKeyFile']);
        $sign = static fn (): string => (new CloudFrontSigner($config['keyPairId'], $pem))
            ->sign($case['url'], $case['options']);

        if (isset($case['expect']['error'])) {
            Vectors::assertRefused($case['expect'], $sign);
            return;
        }
        $signer = new CloudFrontSigner($config['keyPairId'], $pem);
        $this->assertSame($case['expect']['policy'], $signer->policy($case['url'], $case['options']));
        $this->assertSame($case['expect']['url'], $sign());
    }
}
