<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * The options of one URL, validated against a {@see Config} and written as the canonical
 * `{spec}` segment (SPEC.md §3–§4). Used by {@see UrlBuilder}; templates pass plain arrays.
 *
 * Option names are those of the TypeScript SDK and the vectors: `preset`, `width`, `fit`,
 * `aspect`, `quality`, `density`, `format`, `mobile`, `version`.
 */
final class UrlOptions
{
    /** Every option name a URL understands. */
    public const NAMES = ['preset', 'width', 'fit', 'aspect', 'quality', 'density', 'format', 'mobile', 'version'];

    /** Output formats a URL may name; absent means negotiated from `Accept`. */
    public const FORMATS = ['jpeg', 'png', 'webp', 'avif'];

    private const DENSITIES = ['1.5' => 'x1.5', '2' => 'x2', '3' => 'x3'];
    private const VERSION = '/^[A-Za-z0-9._-]{1,32}$/D';

    /**
     * @param string|null $preset preset name, or null with a width
     * @param int|null $width the requested width in px before snapping, or null with a preset
     * @param string|null $fit `cover` or `contain`; null for `inside`
     * @param array{0: int, 1: int}|null $aspect the aspect of `cover`/`contain`
     * @param int|null $quality 1–100, or null for the format's default
     * @param string|null $density `x1.5`, `x2`, `x3`, or null for 1
     * @param string|null $format `jpeg`, `png`, `webp`, `avif`, or null to negotiate
     * @param bool $mobile the mobile hint `m` (presets only)
     * @param string|null $version the version token
     */
    private function __construct(
        public readonly ?string $preset,
        public readonly ?int $width,
        public readonly ?string $fit,
        public readonly ?array $aspect,
        public readonly ?int $quality,
        public readonly ?string $density,
        public readonly ?string $format,
        public readonly bool $mobile,
        public readonly ?string $version,
    ) {
    }

    /**
     * Validates URL options. Names outside {@see NAMES} and `$extra` are refused, so a typo
     * never goes unnoticed.
     *
     * @param array<string, mixed> $options
     * @param list<string> $extra further names the caller handles itself (e.g. `alt` for img())
     * @throws SdkException naming the option, the expected form and the value received, with the
     *   code the edge would answer for the same URL (see {@see SdkException})
     */
    public static function from(array $options, Config $config, array $extra = []): self
    {
        foreach (array_keys($options) as $name) {
            if (!in_array($name, self::NAMES, true) && !in_array($name, $extra, true)) {
                throw SdkException::invalid((string) $name, "$name is not an option; expected one of "
                    . implode(', ', [...self::NAMES, ...$extra]));
            }
        }
        $preset = self::preset($options, $config);
        $width = self::width($options, $config);
        if (($preset === null) === ($width === null)) {
            throw SdkException::invalid('preset', 'preset or width: options must hold exactly one of them, got '
                . ($preset === null ? 'neither' : 'both'));
        }
        [$fit, $aspect] = self::fit($options, $preset);
        $mobile = self::flag($options, 'mobile');
        if ($mobile && $width !== null) {
            throw new SdkException('OPTION_NOT_ALLOWED', 'mobile', 'mobile is only allowed with a preset: an'
                . " explicit width is never adapted to the device, got width $width");
        }

        return new self(
            $preset,
            $width,
            $fit,
            $aspect,
            self::quality($options),
            self::density($options),
            self::format($options),
            $mobile,
            self::version($options),
        );
    }

    /** Whether the options hold a custom option (fit or quality) that needs a signature. */
    public function isCustom(): bool
    {
        return $this->fit !== null || $this->quality !== null;
    }

    /**
     * The canonical spec segment, e.g. `w640,cover-1x1,q60`; an explicit width is written
     * as the ladder step it snaps to.
     */
    public function spec(Config $config): string
    {
        $tokens = [$this->preset ?? 'w' . self::snap($this->width ?? 0, $config->widthLadder)];
        if ($this->fit !== null && $this->aspect !== null) {
            $tokens[] = "{$this->fit}-{$this->aspect[0]}x{$this->aspect[1]}";
        }
        if ($this->quality !== null) {
            $tokens[] = "q{$this->quality}";
        }
        if ($this->density !== null) {
            $tokens[] = $this->density;
        }
        if ($this->format !== null) {
            $tokens[] = $this->format;
        }
        if ($this->mobile) {
            $tokens[] = 'm';
        }

        return implode(',', $tokens);
    }

    /** The same options with another width, format or preset (used by srcset and picture). */
    public function with(?int $width = null, ?string $format = null): self
    {
        return new self(
            $width === null ? $this->preset : null,
            $width ?? $this->width,
            $this->fit,
            $this->aspect,
            $this->quality,
            $this->density,
            $format ?? $this->format,
            $width === null && $this->mobile,
            $this->version,
        );
    }

    /**
     * The smallest ladder step at or above `$width` (px).
     *
     * @param list<int> $ladder
     * @throws SdkException (`WIDTH_OUT_OF_RANGE`) naming `width` when it is above the top of the ladder
     */
    public static function snap(int $width, array $ladder): int
    {
        foreach ($ladder as $step) {
            if ($step >= $width) {
                return $step;
            }
        }

        throw new SdkException('WIDTH_OUT_OF_RANGE', 'width', 'width must be an integer from 1 to ' . end($ladder)
            . ", got $width");
    }

    /** @param array<string, mixed> $options */
    private static function preset(array $options, Config $config): ?string
    {
        $preset = $options['preset'] ?? null;
        if ($preset === null) {
            return null;
        }
        $names = implode(', ', array_keys($config->presets));
        if (!is_string($preset)) {
            throw SdkException::invalid('preset', "preset must be one of $names, got " . SdkException::show($preset));
        }
        if (!array_key_exists($preset, $config->presets)) {
            throw new SdkException('UNKNOWN_SIZE', 'preset', "preset must be one of $names, got \"$preset\"");
        }

        return $preset;
    }

    /** @param array<string, mixed> $options */
    private static function width(array $options, Config $config): ?int
    {
        $width = $options['width'] ?? null;
        if ($width === null) {
            return null;
        }
        $max = $config->maxWidth();
        if (!is_int($width)) {
            throw SdkException::invalid('width', "width must be an integer from 1 to $max, got "
                . SdkException::show($width));
        }
        if ($width < 1 || $width > $max) {
            throw new SdkException('WIDTH_OUT_OF_RANGE', 'width', "width must be an integer from 1 to $max,"
                . " got $width");
        }

        return $width;
    }

    /**
     * @param array<string, mixed> $options
     * @return array{0: ?string, 1: ?array{0: int, 1: int}}
     */
    private static function fit(array $options, ?string $preset): array
    {
        $fit = $options['fit'] ?? null;
        $aspect = $options['aspect'] ?? null;
        if ($fit === null || $fit === 'inside') {
            if ($aspect !== null) {
                throw SdkException::invalid('aspect', 'aspect needs fit cover or contain, got fit '
                    . ($fit === null ? 'absent' : 'inside'));
            }
            return [null, null];
        }
        if ($fit !== 'cover' && $fit !== 'contain') {
            throw SdkException::invalid('fit', 'fit must be inside, cover or contain, got ' . SdkException::show($fit));
        }
        if ($preset !== null) {
            throw new SdkException('OPTION_NOT_ALLOWED', 'fit', "fit is not allowed with preset \"$preset\": a"
                . ' preset fixes its own fit; use width instead');
        }

        return [$fit, Aspect::check('aspect', $aspect)];
    }

    /** @param array<string, mixed> $options */
    private static function quality(array $options): ?int
    {
        $quality = $options['quality'] ?? null;
        if ($quality !== null && !is_int($quality)) {
            throw SdkException::invalid('quality', 'quality must be an integer from 1 to 100, got '
                . SdkException::show($quality));
        }
        if ($quality !== null && ($quality < 1 || $quality > 100)) {
            throw new SdkException('BAD_OPTION_VALUE', 'quality', 'quality must be an integer from 1 to 100,'
                . " got $quality");
        }

        return $quality;
    }

    /** @param array<string, mixed> $options */
    private static function density(array $options): ?string
    {
        $density = $options['density'] ?? 1;
        if ($density === 1 || $density === 1.0) {
            return null;
        }
        if (!is_int($density) && !is_float($density)) {
            throw SdkException::invalid('density', 'density must be 1, 1.5, 2 or 3, got '
                . SdkException::show($density));
        }
        $token = self::DENSITIES[(string) $density] ?? null;
        if ($token === null) {
            throw new SdkException('BAD_OPTION_VALUE', 'density', "density must be 1, 1.5, 2 or 3, got $density");
        }

        return $token;
    }

    /** @param array<string, mixed> $options */
    private static function format(array $options): ?string
    {
        $format = $options['format'] ?? null;
        if ($format !== null && !in_array($format, self::FORMATS, true)) {
            throw SdkException::invalid('format', 'format must be one of ' . implode(', ', self::FORMATS) . ', got '
                . SdkException::show($format));
        }

        return $format;
    }

    /** @param array<string, mixed> $options */
    private static function flag(array $options, string $name): bool
    {
        $value = $options[$name] ?? false;
        if (!is_bool($value)) {
            throw SdkException::invalid($name, "$name must be a boolean, got " . SdkException::show($value));
        }

        return $value;
    }

    /** @param array<string, mixed> $options */
    private static function version(array $options): ?string
    {
        $version = $options['version'] ?? null;
        if ($version === null) {
            return null;
        }
        if (!is_int($version) && !is_string($version)) {
            throw SdkException::invalid('version', 'version must be a string or an integer, got '
                . SdkException::show($version));
        }
        $token = (string) $version;
        if (preg_match(self::VERSION, $token) !== 1) {
            throw new SdkException('BAD_VERSION', 'version', 'version must be 1 to 32 characters of A-Z a-z 0-9 - _ .,'
                . " got \"$token\"");
        }

        return $token;
    }
}
