<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * A named, device-adaptive size (SPEC.md §3.1): a desktop and a mobile width and a fit.
 *
 * `cover` and `contain` fix the rendered aspect, so templates know the exact height;
 * `inside` keeps the original's aspect. A deployment's preset table must match the edge's.
 */
final class Preset
{
    /**
     * @param int $desktopWidth width in px for desktop viewers, ≥ 1
     * @param int $mobileWidth width in px for mobile viewers, ≥ 1
     * @param string $fit `inside`, `cover` or `contain`
     * @param array{0: int, 1: int}|null $aspect the aspect `a:b` (each 1–32), required for `cover`/`contain`
     * @param bool $eager rendered by the S3-event handler as soon as an original arrives
     * @param string $field the config field named in errors, e.g. `presets.card`
     * @throws SdkException (`INVALID_ARGUMENT`) naming the field that is wrong
     */
    public function __construct(
        public readonly int $desktopWidth,
        public readonly int $mobileWidth,
        public readonly string $fit = 'inside',
        public readonly ?array $aspect = null,
        public readonly bool $eager = false,
        string $field = 'preset',
    ) {
        foreach (['desktopWidth' => $desktopWidth, 'mobileWidth' => $mobileWidth] as $name => $width) {
            if ($width < 1) {
                throw SdkException::invalid("$field.$name", "$field.$name must be a positive integer, got $width");
            }
        }
        if (!in_array($fit, ['inside', 'cover', 'contain'], true)) {
            throw SdkException::invalid("$field.fit", "$field.fit must be inside, cover or contain, got \"$fit\"");
        }
        if ($fit !== 'inside') {
            Aspect::check("$field.aspect", $aspect, 'INVALID_ARGUMENT');
        }
    }

    /**
     * The four presets of SPEC.md §3.1: `thumb` (320/320, cover 4:3), `card` (800/480, cover 4:3),
     * `large` (1600/800, inside) — the eager three — and `auto` (1280/640, inside).
     *
     * @return array<string, self>
     */
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
     * Reads a preset from its array form: `desktopWidth`, `mobileWidth`, `fit` (default
     * `inside`), `aspect`, `eager` (default false).
     *
     * @param string $field the config field named in errors, e.g. `presets.card`
     * @param array<string, mixed> $data
     * @throws SdkException (`INVALID_ARGUMENT`) naming the field that is missing or wrong
     */
    public static function fromArray(string $field, array $data): self
    {
        foreach (['desktopWidth', 'mobileWidth'] as $name) {
            if (!is_int($data[$name] ?? null)) {
                throw SdkException::invalid("$field.$name", "$field.$name must be a positive integer, got "
                    . SdkException::show($data[$name] ?? null));
            }
        }
        $fit = $data['fit'] ?? 'inside';
        if (!is_string($fit)) {
            throw SdkException::invalid("$field.fit", "$field.fit must be inside, cover or contain, got "
                . SdkException::show($fit));
        }
        $aspect = $data['aspect'] ?? null;
        if ($fit !== 'inside') {
            $aspect = Aspect::check("$field.aspect", $aspect, 'INVALID_ARGUMENT');
        }

        $eager = (bool) ($data['eager'] ?? false);

        return new self($data['desktopWidth'], $data['mobileWidth'], $fit, $aspect, $eager, $field);
    }
}
