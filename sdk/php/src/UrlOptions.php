<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * The options of one URL, validated against a {@see Config} and written as the canonical
 * `{spec}` segment (SPEC.md §3–§4). Used by {@see UrlBuilder}; templates pass plain arrays.
 *
 * Option names are those of the TypeScript SDK and the vectors: `preset`, `width`, `fit`,
 * `aspect`, `quality`, `density`, `format`, `mobile`, `version`. The checks run in the same
 * order as the TypeScript SDK's, so both refuse a bad call with the same code and argument.
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
     * @param int $slotWidth the width slot in px: the snapped width, or the preset's desktop
     *   (mobile with the hint) width
     * @param string $fit the effective fit: `inside`, `cover` or `contain` (the preset's for a preset)
     * @param array{0: int, 1: int}|null $aspect the effective aspect of `cover`/`contain`
     * @param bool $fitOption whether fit and aspect are written as an option (explicit widths only)
     * @param int|null $quality 1–100, or null for the format's default
     * @param float $density 1, 1.5, 2 or 3
     * @param string|null $format `jpeg`, `png`, `webp`, `avif`, or null to negotiate
     * @param bool $mobile the mobile hint `m` (presets only)
     * @param string|null $version the version token
     */
    private function __construct(
        public readonly ?string $preset,
        public readonly int $slotWidth,
        public readonly string $fit,
        public readonly ?array $aspect,
        private readonly bool $fitOption,
        public readonly ?int $quality,
        public readonly float $density,
        public readonly ?string $format,
        public readonly bool $mobile,
        public readonly ?string $version,
    ) {
    }

    /**
     * Validates URL options.
     *
     * @param array<string, mixed> $options
     * @throws SdkException naming the option, the expected form and the value received, with the
     *   code the edge would answer for the same URL (see {@see SdkException})
     */
    public static function from(array $options, Config $config): self
    {
        Arguments::rejectUnknown($options, self::NAMES, 'url');
        $preset = $options['preset'] ?? null;
        $width = $options['width'] ?? null;
        if (($preset === null) === ($width === null)) {
            throw SdkException::invalid('preset', 'preset or width: give exactly one, got preset '
                . SdkException::show($preset) . ' and width ' . SdkException::show($width));
        }
        $fit = $options['fit'] ?? null;
        $aspect = $options['aspect'] ?? null;

        if ($preset !== null) {
            $table = self::preset($preset, $config);
            if ($fit !== null || $aspect !== null) {
                $name = $fit !== null ? 'fit' : 'aspect';
                throw new SdkException('OPTION_NOT_ALLOWED', $name, "$name cannot follow preset \"$preset\", which"
                    . ' fixes its own fit');
            }
            $slot = ($options['mobile'] ?? false) === true ? $table->mobileWidth : $table->desktopWidth;
            [$fit, $aspect, $fitOption] = [$table->fit, $table->aspect, false];
        } else {
            $slot = Arguments::snap($width, $config->widthLadder, 'width');
            [$fit, $aspect, $fitOption] = [...self::fit($fit, $aspect), true];
        }

        return new self(
            $preset,
            $slot,
            $fit,
            $aspect,
            $fitOption && $fit !== 'inside',
            self::quality($options['quality'] ?? null),
            self::density($options['density'] ?? null),
            self::format($options['format'] ?? null),
            self::mobile($options['mobile'] ?? null, $preset),
            self::version($options['version'] ?? null),
        );
    }

    /** Whether the options hold a custom option (fit or quality) that needs a signature. */
    public function isCustom(): bool
    {
        return $this->fitOption || $this->quality !== null;
    }

    /** The canonical spec segment, e.g. `w640,cover-1x1,q60` or `card,m`. */
    public function spec(): string
    {
        $tokens = [$this->preset ?? "w{$this->slotWidth}"];
        if ($this->fitOption && $this->aspect !== null) {
            $tokens[] = "{$this->fit}-{$this->aspect[0]}x{$this->aspect[1]}";
        }
        if ($this->quality !== null) {
            $tokens[] = "q{$this->quality}";
        }
        if ($this->density !== 1.0) {
            $tokens[] = self::DENSITIES[(string) $this->density];
        }
        if ($this->format !== null) {
            $tokens[] = $this->format;
        }
        if ($this->mobile) {
            $tokens[] = 'm';
        }

        return implode(',', $tokens);
    }

    /** @return Preset */
    private static function preset(mixed $preset, Config $config): Preset
    {
        if (!is_string($preset) || !array_key_exists($preset, $config->presets)) {
            throw new SdkException('UNKNOWN_SIZE', 'preset', 'preset must be one of '
                . implode(', ', array_keys($config->presets)) . ', got ' . SdkException::show($preset));
        }

        return $config->presets[$preset];
    }

    /** @return array{0: string, 1: ?array{0: int, 1: int}} */
    private static function fit(mixed $fit, mixed $aspect): array
    {
        if ($fit === null) {
            if ($aspect !== null) {
                throw new SdkException('OPTION_NOT_ALLOWED', 'aspect', 'aspect only applies with fit "cover" or'
                    . ' "contain"');
            }
            return ['inside', null];
        }
        if ($fit !== 'cover' && $fit !== 'contain') {
            throw new SdkException('BAD_OPTION_VALUE', 'fit', 'fit must be "cover" or "contain", got '
                . SdkException::show($fit));
        }

        return [$fit, Aspect::check('aspect', $aspect)];
    }

    private static function quality(mixed $quality): ?int
    {
        if ($quality !== null && (!is_int($quality) || $quality < 1 || $quality > 100)) {
            throw new SdkException('BAD_OPTION_VALUE', 'quality', 'quality must be an integer from 1 to 100, got '
                . SdkException::show($quality));
        }

        return $quality;
    }

    private static function density(mixed $density): float
    {
        if ($density === null || $density === 1 || $density === 1.0) {
            return 1.0;
        }
        if ((!is_int($density) && !is_float($density)) || !isset(self::DENSITIES[(string) $density])) {
            throw new SdkException('BAD_OPTION_VALUE', 'density', 'density must be 1, 1.5, 2 or 3, got '
                . SdkException::show($density));
        }

        return (float) $density;
    }

    private static function format(mixed $format): ?string
    {
        if ($format !== null && !in_array($format, self::FORMATS, true)) {
            throw new SdkException('BAD_OPTION_VALUE', 'format', 'format must be jpeg, png, webp or avif, got '
                . SdkException::show($format));
        }

        return $format;
    }

    private static function mobile(mixed $mobile, ?string $preset): bool
    {
        if ($mobile === null) {
            return false;
        }
        if (!is_bool($mobile)) {
            throw SdkException::invalid('mobile', 'mobile must be a boolean, got ' . SdkException::show($mobile));
        }
        if ($mobile && $preset === null) {
            throw new SdkException('OPTION_NOT_ALLOWED', 'mobile', 'mobile only applies to presets; an explicit'
                . ' width is exact');
        }

        return $mobile;
    }

    private static function version(mixed $version): ?string
    {
        if ($version === null) {
            return null;
        }
        $token = is_int($version) && $version >= 0 ? (string) $version : $version;
        if (!is_string($token) || preg_match(self::VERSION, $token) !== 1) {
            throw new SdkException('BAD_VERSION', 'version', 'version must be 1 to 32 of A-Z a-z 0-9 - _ . or a'
                . ' non-negative integer, got ' . SdkException::show($version));
        }

        return $token;
    }
}
