<?php

declare(strict_types=1);

namespace Vetrina\Tests\Portal;

use PHPUnit\Framework\TestCase;

/**
 * The example portal served by PHP's built-in server on a free port of 127.0.0.1: pages
 * render with the SDK's markup, and original.php never serves a file outside the originals.
 */
final class PortalTest extends TestCase
{
    private const CDN = 'http://127.0.0.1:8080';

    /** @var resource|null */
    private static $server = null;
    private static string $base = '';
    private static string $log = '';

    public static function setUpBeforeClass(): void
    {
        $command = [PHP_BINARY, '-S', '127.0.0.1:0', '-t', dirname(__DIR__)];
        $env = ['VETRINA_CDN' => self::CDN, 'PATH' => (string) getenv('PATH')];
        // The server logs to stderr; a file, unlike a pipe, never fills up and blocks it.
        self::$log = (string) tempnam(sys_get_temp_dir(), 'vetrina-portal-');
        $io = [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', self::$log, 'w']];
        $server = proc_open($command, $io, $pipes, null, $env);
        if ($server === false) {
            throw new \RuntimeException('cannot start php -S');
        }
        self::$server = $server;
        $log = '';
        // The server prints its address once it listens; wait at most 5 s for it.
        for ($i = 0; $i < 100 && preg_match('#http://(127\.0\.0\.1:\d+)#', $log, $m) !== 1; $i++) {
            usleep(50_000);
            $log = (string) file_get_contents(self::$log);
        }
        if (!isset($m[1])) {
            throw new \RuntimeException("php -S did not report its address: $log");
        }
        self::$base = 'http://' . $m[1];
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$server !== null) {
            proc_terminate(self::$server);
            proc_close(self::$server);
        }
        if (self::$log !== '') {
            unlink(self::$log);
        }
    }

    /** @return array{0: int, 1: string, 2: array<string, string>} status, body, lower-case headers */
    private static function get(string $path): array
    {
        $context = stream_context_create(['http' => ['ignore_errors' => true, 'timeout' => 5]]);
        $body = (string) file_get_contents(self::$base . $path, false, $context);
        $status = (int) explode(' ', $http_response_header[0])[1];
        $headers = [];
        foreach (array_slice($http_response_header, 1) as $line) {
            [$name, $value] = explode(':', $line, 2);
            $headers[strtolower($name)] = trim($value);
        }

        return [$status, $body, $headers];
    }

    public function testListingHasOneEagerHeroAndSizedLazyCardsFromTheCdn(): void
    {
        [$status, $body] = self::get('/listing.php');

        preg_match_all('/<img [^>]+>/', $body, $images);
        $this->assertSame(200, $status);
        $this->assertCount(10, $images[0]);
        $this->assertSame(1, substr_count($body, 'fetchpriority="high"'));
        $this->assertStringContainsString('<img src="' . self::CDN . '/w1280/La%20strada%20%C3%A8%20vuota%20%E2%80%93'
            . '%20California%203200px.jpg" srcset="', $images[0][0]);
        $this->assertStringContainsString(' width="1280" height="854" ', $images[0][0]);
        foreach (array_slice($images[0], 1) as $img) {
            $this->assertMatchesRegularExpression(
                '/ width="\d+" height="\d+" .* loading="lazy" decoding="async">$/',
                $img
            );
            $this->assertStringContainsString(' srcset="' . self::CDN . '/w', $img);
        }
    }

    public function testNarrowOriginalKeepsItsOwnWidthInTheCard(): void
    {
        [, $body] = self::get('/listing.php');

        preg_match('/<img src="[^"]+\/card\/D%C3%A9coupe[^>]+>/', $body, $card);
        $this->assertStringContainsString(' width="206" height="155" ', $card[0] ?? '');
        $this->assertStringContainsString('/w240,cover-4x3/D%C3%A9coupe%20%E2%80%93%20voiture%20blanche%20vue%20du'
            . '%20dessus.png?s=dev.', $card[0] ?? '');
        $this->assertStringEndsWith(' 206w" sizes="(max-width: 600px) 100vw, (max-width: 1000px) 50vw, 380px"'
            . ' width="206" height="155" alt="Weißer Sportwagen von oben, freigestellt" loading="lazy"'
            . ' decoding="async">', $card[0] ?? '');
    }

    public function testBeforePageLinksEveryOriginalWithoutSizes(): void
    {
        [$status, $body] = self::get('/before.php');

        preg_match_all('/<img [^>]+>/', $body, $images);
        $this->assertSame(200, $status);
        $this->assertCount(10, $images[0]);
        foreach ($images[0] as $img) {
            $this->assertMatchesRegularExpression(
                '/^<img src="original\.php\?key=[^"]+" alt="[^"]+"( class="hero-img")?>$/',
                $img,
            );
        }
    }

    public function testVehiclePageWritesAPictureAndAnUnknownVehicleIs404(): void
    {
        [$status, $body] = self::get('/vehicle.php?id=limousine-weiss&photo=1');
        [$missing] = self::get('/vehicle.php?id=trabant');

        $this->assertSame(200, $status);
        $this->assertStringContainsString('<picture><source type="image/avif" srcset="' . self::CDN
            . '/w480,avif/udacity-highway-test6.jpg 480w, ', $body);
        $this->assertStringContainsString('<img src="' . self::CDN . '/large,jpeg/udacity-highway-test6.jpg"', $body);
        $this->assertSame(3, substr_count($body, '/thumb/'));
        $this->assertSame(404, $missing);
    }

    public function testOriginalServesTheExactFile(): void
    {
        $file = dirname(__DIR__, 2) . '/originals/falcon9-dscovr-launch.jpg';

        [$status, $body, $headers] = self::get('/original.php?key=falcon9-dscovr-launch.jpg');

        $this->assertSame(200, $status);
        $this->assertSame('image/jpeg', $headers['content-type']);
        $this->assertSame('nosniff', $headers['x-content-type-options']);
        $this->assertSame(hash_file('sha256', $file), hash('sha256', $body));
    }

    /** @return array<string, array{0: string, 1: int}> */
    public static function escapes(): array
    {
        return [
            'parent folder' => ['../php-portal/original.php', 404],
            'two levels up' => ['../../sdk/php/composer.json', 404],
            'absolute path' => ['/etc/hostname', 404],
            'dot segment and back in' => ['./../originals/falcon9-dscovr-launch.jpg', 404],
            'not an image' => ['LICENSES.md', 404],
            'missing' => ['nope.jpg', 404],
            'NUL byte' => ["falcon9-dscovr-launch.jpg\0.png", 400],
            'empty key' => ['', 400],
        ];
    }

    /** @dataProvider escapes */
    public function testOriginalRefusesKeysOutsideTheOriginals(string $key, int $expected): void
    {
        [$status, $body, $headers] = self::get('/original.php?key=' . rawurlencode($key));

        $this->assertSame($expected, $status);
        $this->assertSame('text/plain; charset=utf-8', $headers['content-type']);
        $this->assertLessThan(100, strlen($body));
    }
}
