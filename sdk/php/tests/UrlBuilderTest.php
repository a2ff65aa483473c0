<?php

declare(strict_types=1);

namespace Vetrina\Tests;

use PHPUnit\Framework\TestCase;
use Vetrina\Config;
use Vetrina\Preset;
use Vetrina\SdkException;
use Vetrina\UrlBuilder;

final class UrlBuilderTest extends TestCase
{
    private const BASE = 'https://img.example.com';
    private const SIGNING = ['keyId' => 'k1', 'secret' => 'vetrina-test-secret-1'];

    public function testSnapsAnExplicitWidthUpToTheLadder(): void
    {
        $builder = new UrlBuilder(['baseUrl' => self::BASE . '/']);

        $urls = [$builder->url('a.jpg', ['width' => 700]), $builder->url('a.jpg', ['width' => 2560])];

        $this->assertSame([self::BASE . '/w800/a.jpg', self::BASE . '/w2560/a.jpg'], $urls);
    }

    public function testWritesOptionsInCanonicalOrderWhateverTheArrayOrder(): void
    {
        $builder = new UrlBuilder(['baseUrl' => self::BASE, 'signing' => self::SIGNING]);

        $url = $builder->url('a.jpg', ['format' => 'webp', 'density' => 1.5, 'quality' => 60, 'aspect' => [16, 9],
            'fit' => 'contain', 'width' => 640, 'version' => 1733318400]);

        $this->assertStringStartsWith(self::BASE . '/w640,contain-16x9,q60,x1.5,webp/a.jpg?v=1733318400&s=k1.', $url);
    }

    public function testLeavesOutOptionsEqualToTheirDefault(): void
    {
        $builder = new UrlBuilder(['baseUrl' => self::BASE]);

        $url = $builder->url('a.jpg', ['preset' => 'large', 'density' => 1, 'mobile' => false]);

        $this->assertSame(self::BASE . '/large/a.jpg', $url);
    }

    public function testSignsEveryUrlWhenSignaturesAreAlwaysRequired(): void
    {
        $config = ['baseUrl' => self::BASE, 'signing' => self::SIGNING, 'requireSignature' => 'always'];
        $builder = new UrlBuilder($config);
        $hmac = hash_hmac('sha256', 'thumb/a%20b.jpg', 'vetrina-test-secret-1', true);
        $mac = rtrim(strtr(base64_encode($hmac), '+/', '-_'), '=');

        $url = $builder->url('a b.jpg', ['preset' => 'thumb']);

        $this->assertSame(self::BASE . "/thumb/a%20b.jpg?s=k1.$mac", $url);
    }

    public function testRefusesACustomOptionWithoutASigningKey(): void
    {
        $builder = new UrlBuilder(['baseUrl' => self::BASE]);

        $this->expectException(SdkException::class);
        $this->expectExceptionMessage('signing { keyId, secret } is required');

        $builder->url('a.jpg', ['width' => 640, 'quality' => 60]);
    }

    public function testEmitsACustomOptionUnsignedWhenTheDeploymentNeverRequiresSignatures(): void
    {
        $builder = new UrlBuilder(['baseUrl' => self::BASE, 'requireSignature' => 'never']);

        $url = $builder->url('a.jpg', ['width' => 640, 'fit' => 'cover', 'aspect' => [1, 1]]);

        $this->assertSame(self::BASE . '/w640,cover-1x1/a.jpg', $url);
    }

    /** @return array<string, array{0: array<string, mixed>, 1: string, 2: string, 3: string}> */
    public static function badOptions(): array
    {
        $w = ['width' => 640];
        $cover = ['width' => 640, 'fit' => 'cover'];

        return [
            'width 0' => [
                ['width' => 0],
                'WIDTH_OUT_OF_RANGE',
                'width',
                'width must be a number of px from 1 to 2560, got 0',
            ],
            'width 2561' => [['width' => 2561], 'WIDTH_OUT_OF_RANGE', 'width', 'got 2561'],
            'width as string' => [['width' => '640'], 'INVALID_ARGUMENT', 'width', 'got "640"'],
            'width infinite' => [['width' => INF], 'WIDTH_OUT_OF_RANGE', 'width', 'from 1 to 2560'],
            'unknown preset' => [
                ['preset' => 'hero'],
                'UNKNOWN_SIZE',
                'preset',
                'thumb, card, large, auto, got "hero"',
            ],
            'both sizes' => [['preset' => 'card', 'width' => 640], 'INVALID_ARGUMENT', 'preset', 'give exactly one'],
            'no size' => [[], 'INVALID_ARGUMENT', 'preset', 'got preset null and width null'],
            'quality 0' => [$w + ['quality' => 0], 'BAD_OPTION_VALUE', 'quality', 'from 1 to 100, got 0'],
            'quality 101' => [$w + ['quality' => 101], 'BAD_OPTION_VALUE', 'quality', 'got 101'],
            'quality as string' => [$w + ['quality' => '60'], 'BAD_OPTION_VALUE', 'quality', 'got "60"'],
            'aspect 0x3' => [$cover + ['aspect' => [0, 3]], 'BAD_OPTION_VALUE', 'aspect', 'got [0,3]'],
            'aspect 33x1' => [$cover + ['aspect' => [33, 1]], 'BAD_OPTION_VALUE', 'aspect', 'got [33,1]'],
            'fit without aspect' => [$cover, 'BAD_OPTION_VALUE', 'aspect', 'got null'],
            'aspect without fit' => [
                $w + ['aspect' => [1, 1]],
                'OPTION_NOT_ALLOWED',
                'aspect',
                'only applies with fit',
            ],
            'fit fill' => [$w + ['fit' => 'fill', 'aspect' => [1, 1]], 'BAD_OPTION_VALUE', 'fit', 'got "fill"'],
            'fit inside' => [$w + ['fit' => 'inside'], 'BAD_OPTION_VALUE', 'fit', 'got "inside"'],
            'fit after preset' => [
                ['preset' => 'card', 'fit' => 'cover', 'aspect' => [1, 1]],
                'OPTION_NOT_ALLOWED',
                'fit',
                'fit cannot follow preset "card"',
            ],
            'aspect after preset' => [['preset' => 'card', 'aspect' => [1, 1]], 'OPTION_NOT_ALLOWED', 'aspect', 'card'],
            'mobile after width' => [
                $w + ['mobile' => true],
                'OPTION_NOT_ALLOWED',
                'mobile',
                'only applies to presets',
            ],
            'mobile as string' => [['preset' => 'card', 'mobile' => 'yes'], 'INVALID_ARGUMENT', 'mobile', 'got "yes"'],
            'density 4' => [
                $w + ['density' => 4],
                'BAD_OPTION_VALUE',
                'density',
                'density must be 1, 1.5, 2 or 3, got 4',
            ],
            'format gif' => [$w + ['format' => 'gif'], 'BAD_OPTION_VALUE', 'format', 'got "gif"'],
            'version with space' => [$w + ['version' => 'a b'], 'BAD_VERSION', 'version', 'got "a b"'],
            'version of 33 characters' => [
                $w + ['version' => str_repeat('1', 33)],
                'BAD_VERSION',
                'version',
                '1 to 32',
            ],
            'version with a newline' => [$w + ['version' => "17\n"], 'BAD_VERSION', 'version', '1 to 32'],
            'negative version' => [$w + ['version' => -1], 'BAD_VERSION', 'version', 'got -1'],
            'misspelt option' => [
                $w + ['qualty' => 60],
                'INVALID_ARGUMENT',
                'qualty',
                'qualty is not an option of url()',
            ],
        ];
    }

    /**
     * @dataProvider badOptions
     * @param array<string, mixed> $options
     */
    public function testRefusesABadOptionNamingIt(array $options, string $code, string $argument, string $message): void
    {
        $builder = new UrlBuilder(['baseUrl' => self::BASE, 'signing' => self::SIGNING]);

        try {
            $builder->url('a.jpg', $options);
            $this->fail('no exception');
        } catch (\InvalidArgumentException $error) {
            $this->assertInstanceOf(SdkException::class, $error);
            $this->assertSame([$code, $argument], [$error->errorCode, $error->argument]);
            $this->assertStringContainsString($message, $error->getMessage());
            $this->assertStringStartsWith($argument, $error->getMessage());
        }
    }

    public function testStrictTypesRefuseANonStringKey(): void
    {
        $builder = new UrlBuilder(['baseUrl' => self::BASE]);
        $key = 4711;

        $this->expectException(\TypeError::class);

        /** @phpstan-ignore-next-line the wrong type is the point of the test */
        $builder->url($key, ['width' => 640]);
    }

    public function testStrictTypesRefuseANonStringSizesFallback(): void
    {
        $builder = new UrlBuilder(['baseUrl' => self::BASE]);

        $this->expectException(\TypeError::class);

        /** @phpstan-ignore-next-line the wrong type is the point of the test */
        $builder->sizes([], 50);
    }

    /** @return array<string, array{0: array<string, mixed>, 1: string}> */
    public static function badConfigs(): array
    {
        return [
            'no baseUrl' => [[], 'baseUrl'],
            'baseUrl with query' => [['baseUrl' => 'https://img.example.com/?x=1'], 'baseUrl'],
            'baseUrl without scheme' => [['baseUrl' => 'img.example.com'], 'baseUrl'],
            'key id in upper case' => [
                ['baseUrl' => self::BASE, 'signing' => ['keyId' => 'K1', 'secret' => 's']],
                'signing.keyId',
            ],
            'empty secret' => [
                ['baseUrl' => self::BASE, 'signing' => ['keyId' => 'k1', 'secret' => '']],
                'signing.secret',
            ],
            'always without key' => [['baseUrl' => self::BASE, 'requireSignature' => 'always'], 'signing'],
            'unknown policy' => [['baseUrl' => self::BASE, 'requireSignature' => 'sometimes'], 'requireSignature'],
            'descending ladder' => [['baseUrl' => self::BASE, 'widthLadder' => [640, 320]], 'widthLadder'],
            'preset named like a width' => [
                ['baseUrl' => self::BASE, 'presets' => ['w640' => ['desktopWidth' => 640, 'mobileWidth' => 320]]],
                'presets.w640',
            ],
            'cover preset without aspect' => [
                ['baseUrl' => self::BASE, 'presets' => ['hero' => ['desktopWidth' => 9, 'mobileWidth' => 9,
                    'fit' => 'cover']]],
                'presets.hero.aspect',
            ],
            'baseUrl with a path' => [['baseUrl' => 'https://cdn.example.com/img'], 'baseUrl'],
            'empty signing' => [['baseUrl' => self::BASE, 'signing' => []], 'signing.keyId'],
            'unknown field' => [['baseUrl' => self::BASE, 'cdn' => 'x'], 'cdn'],
        ];
    }

    /**
     * @dataProvider badConfigs
     * @param array<string, mixed> $config
     */
    public function testRefusesABadConfigNamingTheField(array $config, string $field): void
    {
        try {
            new UrlBuilder($config);
            $this->fail('no exception');
        } catch (SdkException $error) {
            $this->assertSame(['INVALID_ARGUMENT', $field], [$error->errorCode, $error->argument]);
            $this->assertStringContainsString($field, $error->getMessage());
        }
    }

    public function testAcceptsAConfigObjectWithItsOwnPresetsAndLadder(): void
    {
        $config = new Config(self::BASE, ['hero' => new Preset(1200, 600, 'cover', [16, 9])], [300, 600, 1200]);
        $builder = new UrlBuilder($config);

        $urls = [
            $builder->url('a.jpg', ['preset' => 'hero', 'mobile' => true]),
            $builder->url('a.jpg', ['width' => 301]),
        ];

        $this->assertSame([self::BASE . '/hero,m/a.jpg', self::BASE . '/w600/a.jpg'], $urls);
    }
}
