<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * Builds vetrina CDN URLs, `srcset` and `sizes` values and `<img>`/`<picture>` tags
 * (SPEC.md §2–§8, §12). The builder never logs and never guesses: an argument the edge would
 * refuse throws an {@see SdkException} (an `\InvalidArgumentException`) naming it.
 *
 * @example
 *   $vetrina = new UrlBuilder(['baseUrl' => 'https://img.example.com']);
 *   $vetrina->url('fahrzeuge/4711/Front links.jpg', ['preset' => 'card']);
 *   // 'https://img.example.com/card/fahrzeuge/4711/Front%20links.jpg'
 */
final class UrlBuilder
{
    /** Options srcset() takes. */
    public const SRCSET_OPTIONS = ['widths', 'sourceWidth', 'preset', 'fit', 'aspect', 'quality', 'format', 'version'];

    private readonly Config $config;
    private readonly TagWriter $tags;

    /**
     * @param Config|array<string, mixed> $config a {@see Config} or its array form ({@see Config::fromArray()})
     * @throws SdkException (`INVALID_ARGUMENT`) naming the config field that is wrong
     */
    public function __construct(Config|array $config)
    {
        $this->config = $config instanceof Config ? $config : Config::fromArray($config);
        $this->tags = new TagWriter($this);
    }

    /** The validated configuration. */
    public function config(): Config
    {
        return $this->config;
    }

    /**
     * The URL of one rendition: `{baseUrl}/{spec}/{encoded key}[?v={version}][&s={signature}]`.
     *
     * An explicit width is snapped up to the ladder (700 → 800). With `requireSignature`
     * `custom` (the default) a URL with `fit` or `quality` is signed with the configured key;
     * `always` signs every URL, `never` none.
     *
     * @param string $key the S3 key of the original (UTF-8, 1–960 bytes), used byte for byte
     * @param array<string, mixed> $options exactly one of `preset` (name) and `width` (px, 1–2560),
     *   plus `fit` (`cover`|`contain`) with `aspect` ([a, b], 1–32), `quality` (1–100), `density`
     *   (1|1.5|2|3), `format` (`jpeg`|`png`|`webp`|`avif`; default negotiated by the edge),
     *   `mobile` (bool, presets only), `version` (`[A-Za-z0-9._-]{1,32}` or an int ≥ 0)
     * @throws SdkException naming the key or option the edge would refuse, or
     *   `SIGNATURE_REQUIRED` (argument `signing`) when the URL must be signed and no key is configured
     *
     * @example $vetrina->url('a b.jpg', ['width' => 700]) // 'https://img.example.com/w800/a%20b.jpg'
     */
    public function url(string $key, array $options): string
    {
        KeyEncoder::check($key);
        $resolved = UrlOptions::from($options, $this->config);

        $spec = $resolved->spec();
        $encoded = KeyEncoder::encode($key);
        $require = $this->config->requireSignature;
        $sign = $require === 'always' || ($require === 'custom' && $resolved->isCustom());
        if ($sign && !$this->config->canSign()) {
            throw new SdkException('SIGNATURE_REQUIRED', 'signing', 'signing { keyId, secret } is required: options'
                . ' fit and quality make a URL that must be signed (or set requireSignature "never")');
        }

        $query = $resolved->version === null ? [] : ['v=' . $resolved->version];
        if ($sign) {
            $signer = new Signer([(string) $this->config->keyId => (string) $this->config->secret]);
            $message = Signer::message($spec, $encoded, $resolved->version);
            $query[] = 's=' . $signer->sign($message, (string) $this->config->keyId);
        }
        $url = "{$this->config->baseUrl}/$spec/$encoded";

        return $query === [] ? $url : $url . '?' . implode('&', $query);
    }

    /**
     * A `srcset` value: one `{url} {w}w` candidate per requested width, ascending, joined by `, `.
     *
     * Each width is snapped to the ladder. With `sourceWidth`, a width whose step reaches the
     * original's width becomes one candidate `w{snap(sourceWidth)}` described as
     * `{sourceWidth}w`, so every descriptor is the real pixel width of its file; duplicates are
     * dropped (SPEC.md §12.1). A `preset` lends its fit and aspect (a `cover` preset's crop
     * becomes a signed fit option) and its default widths: mobile, desktop, twice desktop.
     *
     * @param string $key the S3 key of the original
     * @param array<string, mixed> $options `widths` (list of px, 1–2560; required without
     *   `preset`), `sourceWidth` (px), `preset`, `fit`, `aspect`, `quality`, `format`, `version`
     * @throws SdkException naming the option at fault
     *
     * @example $vetrina->srcset('a.jpg', ['widths' => [320, 640, 760, 1280], 'sourceWidth' => 360])
     *   // 'https://img.example.com/w320/a.jpg 320w, https://img.example.com/w480/a.jpg 360w'
     */
    public function srcset(string $key, array $options): string
    {
        Arguments::rejectUnknown($options, self::SRCSET_OPTIONS, 'srcset');
        $base = self::pick($options, ['fit', 'aspect', 'quality', 'format', 'version']);
        $preset = $options['preset'] ?? null;
        if ($preset !== null) {
            $table = $this->presetFor($preset, $options);
            $base += $table->fit === 'inside' ? [] : ['fit' => $table->fit, 'aspect' => $table->aspect];
        }
        $widths = Arguments::widths($options['widths'] ?? $this->presetWidths($preset));
        $sourceWidth = Arguments::pixels($options['sourceWidth'] ?? null, 'sourceWidth');

        $candidates = [];
        foreach ($widths as $requested) {
            $slot = Arguments::snap($requested, $this->config->widthLadder, 'widths');
            if ($sourceWidth !== null && $slot >= $sourceWidth) {
                $candidates[$sourceWidth] = Arguments::snap($sourceWidth, $this->config->widthLadder, 'sourceWidth');
            } else {
                $candidates[$slot] = $slot;
            }
        }
        ksort($candidates);

        $out = [];
        foreach ($candidates as $descriptor => $slot) {
            $out[] = $this->url($key, ['width' => $slot] + $base) . " {$descriptor}w";
        }

        return implode(', ', $out);
    }

    /**
     * A `sizes` value: `{media} {length}` pairs and a final length, joined by `, `; each part
     * is trimmed.
     *
     * @param list<array{0: string, 1: string}> $entries media condition and length, e.g.
     *   `['(max-width: 640px)', '100vw']`
     * @param string $fallback the length when no condition matches, e.g. `50vw`
     * @throws SdkException (`INVALID_ARGUMENT`) naming `entries` when an entry is not a pair of
     *   non-empty strings, `fallback` when it is empty
     *
     * @example $vetrina->sizes([['(max-width: 640px)', '100vw']], '50vw') // '(max-width: 640px) 100vw, 50vw'
     */
    public function sizes(array $entries, string $fallback): string
    {
        $parts = [];
        foreach (array_values($entries) as $i => $entry) {
            $pair = is_array($entry) && array_is_list($entry) && count($entry) === 2;
            foreach ($pair ? $entry : [] as $text) {
                $pair = $pair && is_string($text) && trim($text) !== '';
            }
            if (!$pair) {
                throw SdkException::invalid('entries', "entries[$i] must be [media, length] strings, got "
                    . SdkException::show($entry));
            }
            $parts[] = trim($entry[0]) . ' ' . trim($entry[1]);
        }
        if (trim($fallback) === '') {
            throw SdkException::invalid('fallback', 'fallback must be a length such as "100vw", got '
                . SdkException::show($fallback));
        }
        $parts[] = trim($fallback);

        return implode(', ', $parts);
    }

    /**
     * An `<img>` tag (SPEC.md §12.2): `src` from the {@see url()} options, `srcset` from
     * `widths`, `width`/`height` whenever they are known, `loading`/`decoding`/`fetchpriority`
     * from `priority`. Attribute values are escaped.
     *
     * @param string $key the S3 key of the original
     * @param array<string, mixed> $options the {@see url()} options, plus `widths` (px list, adds
     *   a `srcset` with the same preset or fit, quality, format and version), `sizes` (string),
     *   `sourceWidth` and `sourceHeight` (px of the original after EXIF orientation), `alt`
     *   (default empty, always written), `className`, `priority` (bool: the LCP image)
     * @throws SdkException naming the option at fault
     *
     * @example $vetrina->img('a.jpg', ['preset' => 'thumb', 'alt' => 'Front'])
     *   // '<img src="https://img.example.com/thumb/a.jpg" width="320" height="240" alt="Front"
     *   //   loading="lazy" decoding="async">' (on one line)
     */
    public function img(string $key, array $options): string
    {
        return $this->tags->img($key, $options);
    }

    /**
     * A `<picture>` (SPEC.md §12.3): explicit-format `<source>`s (AVIF, then WebP by default)
     * so no cache varies on `Accept`, art-direction sources first, and the `<img>` fallback
     * (JPEG unless `format` says otherwise).
     *
     * @param string $key the S3 key of the original
     * @param array<string, mixed> $options the {@see img()} options, plus `formats` (default
     *   `['avif', 'webp']`) and `art` (list of `media`, `preset`|`width`, `widths`, `fit`,
     *   `aspect`, `quality`, `sizes`; each inherits `version` and `sourceWidth`)
     * @throws SdkException naming the option at fault
     */
    public function picture(string $key, array $options): string
    {
        return $this->tags->picture($key, $options);
    }

    /**
     * The entries of `$options` named in `$names` whose value is not null.
     *
     * @param array<string, mixed> $options
     * @param list<string> $names
     * @return array<string, mixed>
     */
    public static function pick(array $options, array $names): array
    {
        return array_filter(
            array_intersect_key($options, array_flip($names)),
            static fn (mixed $value): bool => $value !== null,
        );
    }

    /** @param array<string, mixed> $options */
    private function presetFor(mixed $preset, array $options): Preset
    {
        if (!is_string($preset) || !array_key_exists($preset, $this->config->presets)) {
            throw new SdkException('UNKNOWN_SIZE', 'preset', 'preset must be one of '
                . implode(', ', array_keys($this->config->presets)) . ', got ' . SdkException::show($preset));
        }
        foreach (['fit', 'aspect'] as $name) {
            if (($options[$name] ?? null) !== null) {
                throw new SdkException('OPTION_NOT_ALLOWED', $name, "$name cannot follow preset \"$preset\", which"
                    . ' fixes its own fit');
            }
        }

        return $this->config->presets[$preset];
    }

    /** @return list<int> the preset's mobile, desktop and twice its desktop width, capped at the ladder */
    private function presetWidths(?string $preset): array
    {
        if ($preset === null) {
            throw SdkException::invalid('widths', 'widths must be given when there is no preset');
        }
        $table = $this->config->presets[$preset];
        $top = $this->config->maxWidth();

        return array_map(
            static fn (int $width): int => min($width, $top),
            [$table->mobileWidth, $table->desktopWidth, 2 * $table->desktopWidth],
        );
    }
}
