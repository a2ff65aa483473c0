<?php

declare(strict_types=1);

namespace Vetrina\Tests;

use PHPUnit\Framework\TestCase;
use Vetrina\KeyEncoder;
use Vetrina\SdkException;

final class KeyEncoderTest extends TestCase
{
    public function testKeepsExactlyTheUnreservedBytesAndSlash(): void
    {
        $kept = '';
        $encoded = '';
        for ($byte = 0; $byte < 256; $byte++) {
            $char = chr($byte);
            $out = KeyEncoder::encode($char);
            if ($out === $char) {
                $kept .= $char;
                continue;
            }
            $encoded .= $out;
            $this->assertSame(sprintf('%%%02X', $byte), $out, "byte $byte");
        }

        $this->assertSame('-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~', $kept);
        $this->assertSame(3 * (256 - 67), strlen($encoded));
    }

    public function testEncodesTheHostileKeysOfCaseSeventeen(): void
    {
        $keys = [
            'fahrzeuge/E+P-003_D.jpeg' => 'fahrzeuge/E%2BP-003_D.jpeg',
            'fahrzeuge/some-name (1).png' => 'fahrzeuge/some-name%20%281%29.png',
            'fahrzeuge/100%_neu.jpg' => 'fahrzeuge/100%25_neu.jpg',
            'fahrzeuge/#1 front.jpg' => 'fahrzeuge/%231%20front.jpg',
            'fahrzeuge/Kühler?.jpg' => 'fahrzeuge/K%C3%BChler%3F.jpg',
        ];

        $encoded = array_map([KeyEncoder::class, 'encode'], array_keys($keys));

        $this->assertSame(array_values($keys), $encoded);
    }

    public function testKeepsNfcAndNfdApartAndSlashesAsTheyAre(): void
    {
        $nfc = "/a//strada \u{E8}.jpg";
        $nfd = "/a//strada e\u{300}.jpg";

        $this->assertSame('/a//strada%20%C3%A8.jpg', KeyEncoder::encode($nfc));
        $this->assertSame('/a//strada%20e%CC%80.jpg', KeyEncoder::encode($nfd));
    }

    public function testRoundTripsThroughRawUrlDecode(): void
    {
        $key = "fahrzeuge/\u{1F697} a+b%c&d=e;f,g(h)i'j!k*l\\m.jpg";

        $decoded = rawurldecode(KeyEncoder::encode($key));

        $this->assertSame($key, $decoded);
    }

    /** @return array<string, array{0: string, 1: string}> */
    public static function refusedKeys(): array
    {
        return [
            'empty' => ['', 'BAD_KEY'],
            'control character' => ["a\tb.jpg", 'BAD_KEY'],
            'delete' => ["a\x7Fb.jpg", 'BAD_KEY'],
            'dot segment' => ['a/./b.jpg', 'BAD_KEY'],
            'dot-dot segment' => ['../b.jpg', 'BAD_KEY'],
            'reserved _r segment' => ['a.jpg/_r/w320.jpg', 'BAD_KEY'],
            'trailing slash' => ['fahrzeuge/', 'BAD_KEY'],
            'invalid UTF-8' => ["a\xC3.jpg", 'BAD_KEY'],
            'UTF-8 surrogate' => ["a\xED\xA0\x80.jpg", 'BAD_KEY'],
            '961 bytes' => [str_repeat('a', 961), 'KEY_TOO_LONG'],
        ];
    }

    /** @dataProvider refusedKeys */
    public function testCheckRefusesKeysTheEdgeWouldReject(string $key, string $code): void
    {
        try {
            KeyEncoder::check($key);
            $this->fail('no exception');
        } catch (SdkException $error) {
            $this->assertSame([$code, 'key'], [$error->errorCode, $error->argument]);
            $this->assertStringStartsWith('key must', $error->getMessage());
        }
    }

    public function testCheckAcceptsDotsInsideNamesAnd960Bytes(): void
    {
        $keys = ['a/..b/c..jpg', 'a/_rx/b.jpg', str_repeat('ä', 480)];

        foreach ($keys as $key) {
            KeyEncoder::check($key);
        }

        $this->assertSame(960, strlen($keys[2]));
    }
}
