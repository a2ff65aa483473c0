<?php

declare(strict_types=1);

namespace Vetrina\Tests;

use PHPUnit\Framework\TestCase;
use Vetrina\CloudFrontSigner;
use Vetrina\SdkException;

final class CloudFrontSignerTest extends TestCase
{
    private const URL = 'https://img.example.com/large/privat/4711.jpg?v=17';
    private const KEY_PAIR_ID = 'K2JCJMDEHXQW5F';

    private static function signer(): CloudFrontSigner
    {
        $pem = (string) file_get_contents(Vectors::DIR . '/cloudfront-test-key.pem');

        return new CloudFrontSigner(self::KEY_PAIR_ID, $pem);
    }

    /** Decodes CloudFront's base64 alphabet back to bytes. */
    private static function unbase64(string $text): string
    {
        return (string) base64_decode(strtr($text, '-_~', '+=/'), true);
    }

    public function testCannedPolicyUrlCarriesExpiresAndASignatureTheTestPublicKeyVerifies(): void
    {
        $publicKey = (string) file_get_contents(Vectors::DIR . '/cloudfront-test-key.pub.pem');

        $signed = self::signer()->sign(self::URL, ['expires' => 1767225600]);

        $this->assertMatchesRegularExpression(
            '#^' . preg_quote(self::URL, '#')
                . '&Expires=1767225600&Signature=([A-Za-z0-9~_-]+)&Key-Pair-Id=K2JCJMDEHXQW5F$#D',
            $signed,
        );
        preg_match('/Signature=([^&]+)/', $signed, $m);
        $policy = '{"Statement":[{"Resource":"' . self::URL
            . '","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600}}}]}';
        $this->assertSame(1, openssl_verify($policy, self::unbase64($m[1]), $publicKey, OPENSSL_ALGO_SHA1));
    }

    public function testCustomPolicyHoldsTheWindowAndTheAddressBlock(): void
    {
        $options = ['expires' => 1767225600, 'notBefore' => 1767222000, 'ipAddress' => '192.0.2.7'];

        $signed = self::signer()->sign(self::URL, $options);

        preg_match('/&Policy=([^&]+)&Signature=[^&]+&Key-Pair-Id=K2JCJMDEHXQW5F$/D', $signed, $m);
        $this->assertSame('{"Statement":[{"Resource":"' . self::URL . '","Condition":{"DateLessThan":'
            . '{"AWS:EpochTime":1767225600},"DateGreaterThan":{"AWS:EpochTime":1767222000},'
            . '"IpAddress":{"AWS:SourceIp":"192.0.2.7/32"}}}]}', self::unbase64($m[1] ?? ''));
        $this->assertStringNotContainsString('Expires=', $signed);
    }

    public function testStartsTheQueryWithAQuestionMarkWhenTheUrlHasNone(): void
    {
        $signed = self::signer()->sign('https://img.example.com/thumb/a.jpg', ['expires' => 1767225600]);

        $this->assertStringStartsWith('https://img.example.com/thumb/a.jpg?Expires=1767225600&Signature=', $signed);
    }

    /** @return array<string, array{0: array<string, mixed>, 1: string}> */
    public static function badOptions(): array
    {
        return [
            'no expiry' => [[], 'expires'],
            'expiry as string' => [['expires' => '1767225600'], 'expires'],
            'window the wrong way round' => [['expires' => 100, 'notBefore' => 200], 'notBefore'],
            'address out of range' => [['expires' => 100, 'ipAddress' => '300.0.0.1'], 'ipAddress'],
            'mask out of range' => [['expires' => 100, 'ipAddress' => '10.0.0.0/33'], 'ipAddress'],
            'IPv6 address' => [['expires' => 100, 'ipAddress' => '2001:db8::1'], 'ipAddress'],
            'misspelt option' => [['expire' => 100], 'expire'],
        ];
    }

    /**
     * @dataProvider badOptions
     * @param array<string, mixed> $options
     */
    public function testRefusesABadOptionNamingIt(array $options, string $argument): void
    {
        try {
            self::signer()->sign(self::URL, $options);
            $this->fail('no exception');
        } catch (SdkException $error) {
            $this->assertSame(['INVALID_ARGUMENT', $argument], [$error->errorCode, $error->argument]);
            $this->assertStringStartsWith($argument, $error->getMessage());
        }
    }

    public function testRefusesSomethingThatIsNotAnRsaPrivateKey(): void
    {
        $this->expectException(SdkException::class);
        $this->expectExceptionMessage('privateKey must be an RSA private key');

        new CloudFrontSigner(
            self::KEY_PAIR_ID,
            (string) file_get_contents(Vectors::DIR . '/cloudfront-test-key.pub.pem'),
        );
    }
}
