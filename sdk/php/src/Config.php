<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * Everything a {@see UrlBuilder} needs, validated once: the CDN base URL, the preset table,
 * the width ladder and the signing key.
 *
 * @example
 *   $config = Config::fromArray([
 *       'baseUrl' => 'https://img.example.com',
 *       'signing' => ['keyId' => 'k1', 'secret' => getenv('VETRINA_SIGNING_KEY')],
 *   ]);
 */
final class Config
{
    /** The width ladder of SPEC.md §3.2, in px, ascending. */
    public const WIDTH_LADDER = [160, 240, 320, 480, 640, 800, 960, 1280, 1600, 1920, 2560];

    /** Signature policies: sign custom options only, every URL, or nothing. */
    public const REQUIRE_SIGNATURE = ['custom', 'always', 'never'];

    private const FIELDS = ['baseUrl', 'presets', 'widthLadder', 'signing', 'requireSignature'];
    private const PRESET_NAME = '/^[a-z][a-z0-9-]{0,15}$/D';
    private const WIDTH_TOKEN = '/^w[0-9]/';

    /** The CDN base URL without a trailing `/`, e.g. `https://img.example.com`. */
    public readonly string $baseUrl;

    /** @var array<string, Preset> preset name => preset */
    public readonly array $presets;

    /**
     * @param string $baseUrl `http(s)://host[:port]`, no path; a trailing `/` is dropped
     * @param array<string, Preset> $presets preset name => preset; empty means SPEC.md §3.1's table
     * @param list<int> $widthLadder allowed widths in px, strictly ascending, 1–9999
     * @param string|null $keyId HMAC key id, `[a-z0-9]{1,8}`; null when URLs are not signed
     * @param string|null $secret HMAC secret; required with `$keyId`
     * @param string $requireSignature `custom` (fit/quality need a signature), `always` or `never`
     * @throws SdkException (`INVALID_ARGUMENT`) naming the field that is wrong
     */
    public function __construct(
        string $baseUrl,
        array $presets = [],
        public readonly array $widthLadder = self::WIDTH_LADDER,
        public readonly ?string $keyId = null,
        public readonly ?string $secret = null,
        public readonly string $requireSignature = 'custom',
    ) {
        // The edge reads the first path segment as the spec, so the CDN cannot sit under a path.
        if (preg_match('#^https?://[^/?\#\s@]+/?$#iD', $baseUrl) !== 1) {
            throw SdkException::invalid('baseUrl', 'baseUrl must be an absolute http(s) URL with no path, query or'
                . ' fragment, got ' . SdkException::show($baseUrl));
        }
        $this->baseUrl = rtrim($baseUrl, '/');
        $this->presets = $presets === [] ? Preset::defaults() : $presets;
        foreach ($this->presets as $name => $preset) {
            self::checkPreset((string) $name, $preset);
        }
        self::checkLadder($widthLadder);
        self::checkSigning($keyId, $secret, $requireSignature);
    }

    /**
     * Reads a configuration array with the field names of the vectors and the TypeScript SDK:
     * `baseUrl`, `presets` (name => `desktopWidth`, `mobileWidth`, `fit`, `aspect`, `eager`),
     * `widthLadder`, `signing` (`keyId`, `secret`) and `requireSignature`.
     *
     * @param array<string, mixed> $config
     * @throws SdkException (`INVALID_ARGUMENT`) naming the field that is missing, unknown or wrong
     */
    public static function fromArray(array $config): self
    {
        foreach (array_keys($config) as $field) {
            if (!in_array($field, self::FIELDS, true)) {
                throw SdkException::invalid((string) $field, "$field is not a config field; expected one of "
                    . implode(', ', self::FIELDS));
            }
        }
        if (!is_string($config['baseUrl'] ?? null)) {
            throw SdkException::invalid('baseUrl', 'baseUrl must be a string, got '
                . SdkException::show($config['baseUrl'] ?? null));
        }
        $presets = [];
        foreach (self::arrayField($config, 'presets') as $name => $preset) {
            if (!$preset instanceof Preset && !is_array($preset)) {
                throw SdkException::invalid("presets.$name", "presets.$name must be an array or a Preset, got "
                    . get_debug_type($preset));
            }
            $presets[$name] = $preset instanceof Preset ? $preset : Preset::fromArray("presets.$name", $preset);
        }
        $signing = self::arrayField($config, 'signing');
        foreach (['keyId', 'secret'] as $field) {
            $given = array_key_exists($field, $signing) || array_key_exists('signing', $config);
            if ($given && !is_string($signing[$field] ?? null)) {
                throw SdkException::invalid("signing.$field", "signing.$field must be a string, got "
                    . SdkException::show($signing[$field] ?? null));
            }
        }
        $require = $config['requireSignature'] ?? 'custom';
        if (!is_string($require)) {
            throw SdkException::invalid('requireSignature', 'requireSignature must be a string, got '
                . get_debug_type($require));
        }

        return new self(
            $config['baseUrl'],
            $presets,
            array_key_exists('widthLadder', $config) ? self::arrayField($config, 'widthLadder') : self::WIDTH_LADDER,
            $signing['keyId'] ?? null,
            $signing['secret'] ?? null,
            $require,
        );
    }

    /** The widest width the ladder allows, in px. */
    public function maxWidth(): int
    {
        return $this->widthLadder[count($this->widthLadder) - 1];
    }

    /** Whether URLs can be signed (a key id and secret are configured). */
    public function canSign(): bool
    {
        return $this->keyId !== null;
    }

    private static function checkPreset(string $name, mixed $preset): void
    {
        if (preg_match(self::PRESET_NAME, $name) !== 1 || preg_match(self::WIDTH_TOKEN, $name) === 1) {
            throw SdkException::invalid("presets.$name", "presets.$name: a preset name must match"
                . ' [a-z][a-z0-9-]{0,15} and not look like a width');
        }
        if (!$preset instanceof Preset) {
            throw SdkException::invalid("presets.$name", "presets.$name must be a Preset, got "
                . get_debug_type($preset));
        }
    }

    /** @param array<mixed> $ladder */
    private static function checkLadder(array $ladder): void
    {
        $previous = 0;
        foreach ($ladder as $width) {
            if (!is_int($width) || $width <= $previous || $width > 9999) {
                throw SdkException::invalid('widthLadder', 'widthLadder must be strictly ascending integers from 1'
                    . ' to 9999, got ' . SdkException::show($ladder));
            }
            $previous = $width;
        }
        if ($ladder === [] || !array_is_list($ladder)) {
            throw SdkException::invalid('widthLadder', 'widthLadder must be a non-empty list, got '
                . SdkException::show($ladder));
        }
    }

    private static function checkSigning(?string $keyId, ?string $secret, string $require): void
    {
        if (!in_array($require, self::REQUIRE_SIGNATURE, true)) {
            throw SdkException::invalid('requireSignature', 'requireSignature must be custom, always or never, got'
                . " \"$require\"");
        }
        if ($keyId === null && $secret !== null) {
            throw SdkException::invalid('signing.keyId', 'signing.keyId must match [a-z0-9]{1,8}, got none');
        }
        if ($keyId !== null && !Signer::isKeyId($keyId)) {
            throw SdkException::invalid('signing.keyId', "signing.keyId must match [a-z0-9]{1,8}, got \"$keyId\"");
        }
        if ($keyId !== null && ($secret === null || $secret === '')) {
            // The secret itself never appears in a message.
            throw SdkException::invalid('signing.secret', 'signing.secret must be a non-empty string');
        }
        if ($require === 'always' && $keyId === null) {
            throw SdkException::invalid('signing', 'signing { keyId, secret } is required with requireSignature'
                . ' "always", got no signing key');
        }
    }

    /**
     * @param array<string, mixed> $config
     * @return array<mixed>
     */
    private static function arrayField(array $config, string $field): array
    {
        $value = $config[$field] ?? [];
        if (!is_array($value)) {
            throw SdkException::invalid($field, "$field must be an array, got " . get_debug_type($value));
        }

        return $value;
    }
}
