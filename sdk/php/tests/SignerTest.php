<?php

declare(strict_types=1);

namespace Vetrina\Tests;

use PHPUnit\Framework\TestCase;
use Vetrina\SdkException;
use Vetrina\Signer;

final class SignerTest extends TestCase
{
    private const RING = ['k1' => 'vetrina-test-secret-1', 'k2' => 'vetrina-test-secret-2'];

    public function testSignsWithUnpaddedBase64UrlOfTheHmac(): void
    {
        $signer = new Signer(self::RING);
        $message = 'w640,cover-1x1,q60/fahrzeuge/K%C3%BChler%3F.jpg';
        $mac = hash_hmac('sha256', $message, 'vetrina-test-secret-1', true);
        $expected = 'k1.' . rtrim(strtr(base64_encode($mac), '+/', '-_'), '=');

        $signature = $signer->sign($message, 'k1');

        $this->assertSame('k1.0UBUzxsk6aCGc7dAPTxl9CWF4r7wAtFv9ohSDcIFtUA', $signature);
        $this->assertSame($expected, $signature);
    }

    public function testVerifiesEitherKeyOfTheRingDuringRotation(): void
    {
        $old = new Signer(['k1' => 'vetrina-test-secret-1']);
        $new = new Signer(['k2' => 'vetrina-test-secret-2']);
        $ring = new Signer(self::RING);

        $fromOld = $old->sign('thumb/a.jpg', 'k1');
        $fromNew = $new->sign('thumb/a.jpg', 'k2');

        $this->assertTrue($ring->verify('thumb/a.jpg', $fromOld));
        $this->assertTrue($ring->verify('thumb/a.jpg', $fromNew));
        $this->assertFalse($new->verify('thumb/a.jpg', $fromOld));
    }

    /** @return array<string, array{0: string}> */
    public static function badSignatures(): array
    {
        $good = (new Signer(self::RING))->sign('w640,q60/a.jpg', 'k1');

        return [
            'wrong mac' => [substr($good, 0, -1) . (str_ends_with($good, 'A') ? 'B' : 'A')],
            'mac of another message' => [(new Signer(self::RING))->sign('w640,q61/a.jpg', 'k1')],
            'unknown key id' => ['k3' . substr($good, 2)],
            'key id swapped' => ['k2' . substr($good, 2)],
            'no dot' => ['k1' . substr($good, 3)],
            'empty key id' => [substr($good, 2)],
            'empty' => [''],
            'padded mac' => [$good . '='],
        ];
    }

    /** @dataProvider badSignatures */
    public function testRejectsAMalformedOrWrongSignature(string $signature): void
    {
        $signer = new Signer(self::RING);

        $valid = $signer->verify('w640,q60/a.jpg', $signature);

        $this->assertFalse($valid);
    }

    public function testMessageAppendsTheVersionTokenOnlyWhenGiven(): void
    {
        $without = Signer::message('card', 'a%20b.jpg');
        $with = Signer::message('card', 'a%20b.jpg', '17');

        $this->assertSame('card/a%20b.jpg', $without);
        $this->assertSame('card/a%20b.jpg?v=17', $with);
    }

    public function testRefusesARingOfThreeKeysAndABadKeyId(): void
    {
        $three = ['k1' => 'a', 'k2' => 'b', 'k3' => 'c'];

        foreach ([$three, ['K1' => 'a'], ['k1' => '']] as $keys) {
            try {
                new Signer($keys);
                $this->fail('accepted ' . json_encode($keys));
            } catch (SdkException $error) {
                $this->assertSame(['INVALID_ARGUMENT', 'keys'], [$error->errorCode, $error->argument]);
            }
        }
    }
}
