<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * A named, device-adaptive size (SPEC.md §3.1): a desktop and a mobile width and a fit.
 *
 * `cover` and `contain` fix the rendered aspect, so templates know the exact height;
 * `inside` keeps the original's aspect.
 */
final class Preset
{
    /**
     * @param int $desktopWidth width in px for desktop viewers, 1–2560
     * @param int $mobileWidth width in px for mobile viewers, 1–2560
     * @param string $fit `inside`, `cover` or `contain`
     * @param array{0: int, 1: int}|null $aspect the aspect `a:b` (each 1–32) for `cover`/`contain`; null for `inside`
     * @param bool $eager rendered by the S3-event handler as soon as an original arrives
     * @throws SdkException when a width, the fit or the aspect is out of range
     */
    public function __construct(
        public readonly int $desktopWidth,
        public readonly int $mobileWidth,
        public readonly string $fit = 'inside',
        public readonly ?array $aspect = null,
        public readonly bool $eager = false,
    ) {
        foreach (['desktopWidth' => $desktopWidth, 'mobileWidth' => $mobileWidth] as $name => $width) {
            if ($width < 1 || $width > 2560) {
                throw SdkException::invalid("preset.$name", "preset.$name must be an integer from 1 to 2560,"
                    . " got $width");
            }
        }
        if (!in_array($fit, ['inside', 'cover', 'contain'], true)) {
            throw SdkException::invalid('preset.fit', "preset.fit must be inside, cover or contain, got \"$fit\"");
        }
        if ($fit === 'inside' && $aspect !== null) {
            throw SdkException::invalid('preset.aspect', 'preset.aspect must be absent when fit is inside');
        }
        if ($fit !== 'inside') {
            Aspect::check('preset.aspect', $aspect, 'INVALID_ARGUMENT');
        }
    }

    /** The four presets of SPEC.md §3.1: `thumb`, `card`, `large` (the eager three) and `auto`. */
    public static function defaults(): array
    {
        return [
            'thumb' => new self(320, 320, 'cover', [4, 3], true),
            'card' => new self(800, 480, 'cover', [4, 3], true),
            'large' => new self(1600, 800, 'inside', null, true),
            'auto' => new self(1280, 640, 'inside', null, false),
        ];
    }

    /**
     * Reads a preset from an array with the keys of the constructor
     * (`desktopWidth`, `mobileWidth`, `fit`, `aspect`, `eager`).
     *
     * @param array<string, mixed> $data
     * @throws SdkException naming the field that is missing or has the wrong type
     */
    public static function fromArray(string $name, array $data): self
    {
        foreach (['desktopWidth', 'mobileWidth'] as $field) {
            if (!is_int($data[$field] ?? null)) {
                $got = get_debug_type($data[$field] ?? null);
                throw SdkException::invalid("presets.$name.$field", "presets.$name.$field must be an integer,"
                    . " got $got");
            }
        }
        $fit = $data['fit'] ?? 'inside';
        if (!is_string($fit)) {
            throw SdkException::invalid("presets.$name.fit", "presets.$name.fit must be a string, got "
                . get_debug_type($fit));
        }

        return new self(
            $data['desktopWidth'],
            $data['mobileWidth'],
            $fit,
            $data['aspect'] ?? null,
            (bool) ($data['eager'] ?? false),
        );
    }
}
