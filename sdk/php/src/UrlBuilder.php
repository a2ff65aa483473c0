<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * Builds vetrina CDN URLs, `srcset` and `sizes` values and `<img>`/`<picture>` tags
 * (SPEC.md §2–§8, §12). The builder never logs and never guesses: an option the edge would
 * refuse throws an {@see SdkException} (an `\InvalidArgumentException`) naming it.
 *
 * @example
 *   $vetrina = new UrlBuilder(['baseUrl' => 'https://img.example.com']);
 *   $vetrina->url('fahrzeuge/4711/Front links.jpg', ['preset' => 'card']);
 *   // 'https://img.example.com/card/fahrzeuge/4711/Front%20links.jpg'
 *   echo $vetrina->img('fahrzeuge/4711/front.jpg', ['preset' => 'card', 'alt' => 'Golf VIII']);
 *   // <img src="https://img.example.com/card/fahrzeuge/4711/front.jpg" width="800" height="600" alt="Golf VIII"
 *   //   loading="lazy" decoding="async">
 */
final class UrlBuilder
{
    private readonly Config $config;
    private readonly ?Signer $signer;
    private readonly TagWriter $tags;

    /**
     * @param Config|array<string, mixed> $config a {@see Config} or its array form ({@see Config::fromArray()})
     * @throws SdkException (`INVALID_ARGUMENT`) naming the config field that is wrong
     */
    public function __construct(Config|array $config)
    {
        $this->config = $config instanceof Config ? $config : Config::fromArray($config);
        $this->signer = $this->config->keyId !== null && $this->config->secret !== null
            ? new Signer([$this->config->keyId => $this->config->secret])
            : null;
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
     * An explicit width is snapped up to the ladder (700 → 800). Custom options (`fit`,
     * `quality`) are signed with the configured key; `requireSignature: always` signs every URL.
     *
     * @param string $key the S3 key of the original (UTF-8, 1–960 bytes), used byte for byte
     * @param array<string, mixed> $options exactly one of `preset` (name) and `width` (px, 1–2560),
     *   plus `fit` (`cover`|`contain`) with `aspect` ([a, b], 1–32), `quality` (1–100), `density`
     *   (1|1.5|2|3), `format` (`jpeg`|`png`|`webp`|`avif`, default negotiated), `mobile` (bool,
     *   presets only), `version` (string or int, `[A-Za-z0-9._-]{1,32}`)
     * @throws SdkException naming the key or option the edge would refuse, or
     *   `SIGNATURE_REQUIRED` when a custom option needs a key and none is configured
     *
     * @example $vetrina->url('a b.jpg', ['width' => 700]) // 'https://img.example.com/w800/a%20b.jpg'
     */
    public function url(string $key, array $options = []): string
    {
        return $this->emit($key, UrlOptions::from($options, $this->config));
    }

    /**
     * A `srcset` value: one `{url} {w}w` candidate per requested width, ascending, joined by `, `.
     *
     * Each width is snapped to the ladder. With `sourceWidth`, a width whose step reaches the
     * original's width becomes one candidate `w{snap(sourceWidth)}` described as
     * `{sourceWidth}w`, so every descriptor is the real pixel width of its file; duplicates are
     * dropped (SPEC.md §12.1).
     *
     * @param string $key the S3 key of the original
     * @param array<string, mixed> $options `widths` (list of px, 1–2560, required), `sourceWidth`
     *   (px, optional), and the {@see url()} options except `width`, `density` and `mobile`
     * @throws SdkException naming the option at fault
     *
     * @example $vetrina->srcset('a.jpg', ['widths' => [320, 640, 760, 1280], 'sourceWidth' => 360])
     *   // 'https://img.example.com/w320/a.jpg 320w, https://img.example.com/w480/a.jpg 360w'
     */
    public function srcset(string $key, array $options): string
    {
        $widths = self::widths($options['widths'] ?? null);
        $sourceWidth = self::pixels($options, 'sourceWidth');
        foreach (['width', 'density', 'mobile'] as $name) {
            if (array_key_exists($name, $options)) {
                throw SdkException::invalid($name, "$name is not a srcset option: srcset takes widths, got "
                    . SdkException::show($options[$name]));
            }
        }
        unset($options['widths'], $options['sourceWidth']);
        $base = UrlOptions::from(['width' => 1, ...$options], $this->config);

        return $this->candidates($key, $widths, $sourceWidth, $base);
    }

    /**
     * A `sizes` value: `{media} {length}` pairs and a final length, joined by `, `.
     *
     * @param list<array{0: string, 1: string}> $entries media condition and length, e.g.
     *   `['(max-width: 640px)', '100vw']`
     * @param string $fallback the length when no condition matches, e.g. `50vw`
     * @throws SdkException (`INVALID_ARGUMENT`) naming `entries` when an entry is not a pair of strings
     *
     * @example $vetrina->sizes([['(max-width: 640px)', '100vw']], '50vw') // '(max-width: 640px) 100vw, 50vw'
     */
    public function sizes(array $entries, string $fallback): string
    {
        $parts = [];
        foreach ($entries as $entry) {
            if (
                !is_array($entry) || !array_is_list($entry) || count($entry) !== 2
                || !is_string($entry[0]) || !is_string($entry[1])
            ) {
                throw SdkException::invalid('entries', 'entries must be [media condition, length] pairs of strings,'
                    . ' got ' . SdkException::show($entry));
            }
            $parts[] = "$entry[0] $entry[1]";
        }
        $parts[] = $fallback;

        return implode(', ', $parts);
    }

    /**
     * An `<img>` tag (SPEC.md §12.2): `src` from the {@see url()} options, `srcset` from
     * `widths`, `width`/`height` whenever they are known, `loading`/`decoding`/`fetchpriority`
     * from `priority`. Attribute values are escaped.
     *
     * @param string $key the S3 key of the original
     * @param array<string, mixed> $options the {@see url()} options, plus `widths` (px list),
     *   `sizes` (string), `sourceWidth` and `sourceHeight` (px of the original after EXIF
     *   orientation), `alt` (default empty), `className`, `priority` (bool: the LCP image)
     * @throws SdkException naming the option at fault
     */
    public function img(string $key, array $options): string
    {
        return $this->tags->img($key, $options);
    }

    /**
     * A `<picture>` (SPEC.md §12.3): explicit-format `<source>`s (AVIF, then WebP by default)
     * so no cache varies on `Accept`, art-direction sources first, and the JPEG `<img>`.
     *
     * @param string $key the S3 key of the original
     * @param array<string, mixed> $options the {@see img()} options, plus `formats` (default
     *   `['avif', 'webp']`) and `art` (list of `media`, `preset`|`width`, `widths`, `fit`,
     *   `aspect`, `quality`, `sizes`)
     * @throws SdkException naming the option at fault
     */
    public function picture(string $key, array $options): string
    {
        return $this->tags->picture($key, $options);
    }

    /**
     * The srcset candidates for validated widths (used by {@see srcset()} and the tag writer).
     *
     * @param list<int> $widths
     * @param UrlOptions $base the options of every candidate; its size is replaced by each width
     * @internal
     */
    public function candidates(string $key, array $widths, ?int $sourceWidth, UrlOptions $base): string
    {
        $ladder = $this->config->widthLadder;
        $byDescriptor = [];
        foreach ($widths as $width) {
            $step = UrlOptions::snap($width, $ladder);
            $real = $step;
            if ($sourceWidth !== null && $step >= $sourceWidth) {
                $step = UrlOptions::snap(min($sourceWidth, $this->config->maxWidth()), $ladder);
                $real = $sourceWidth;
            }
            $byDescriptor[$real] ??= $this->emit($key, $base->with(width: $step)) . " {$real}w";
        }
        ksort($byDescriptor);

        return implode(', ', $byDescriptor);
    }

    /** @internal Writes the URL of validated options. */
    public function emit(string $key, UrlOptions $options): string
    {
        KeyEncoder::check($key);
        $spec = $options->spec($this->config);
        $encoded = KeyEncoder::encode($key);
        $query = $options->version === null ? [] : ['v=' . $options->version];
        if ($this->mustSign($options)) {
            $message = Signer::message($spec, $encoded, $options->version);
            $query[] = 's=' . $this->signer?->sign($message, (string) $this->config->keyId);
        }
        $url = "{$this->config->baseUrl}/$spec/$encoded";

        return $query === [] ? $url : $url . '?' . implode('&', $query);
    }

    private function mustSign(UrlOptions $options): bool
    {
        if ($this->config->requireSignature === 'always') {
            return true;
        }
        if (!$options->isCustom()) {
            return false;
        }
        if ($this->signer === null && $this->config->requireSignature === 'custom') {
            $option = $options->fit !== null ? 'fit' : 'quality';
            throw new SdkException('SIGNATURE_REQUIRED', 'signing', "signing (keyId and secret) is required for"
                . " the custom option $option, got no signing key");
        }

        return $this->signer !== null;
    }

    /**
     * @return list<int>
     * @throws SdkException naming `widths`
     */
    public static function widths(mixed $widths): array
    {
        if (!is_array($widths) || $widths === [] || !array_is_list($widths)) {
            throw SdkException::invalid('widths', 'widths must be a non-empty list of integers in px, got '
                . SdkException::show($widths));
        }
        foreach ($widths as $width) {
            if (!is_int($width)) {
                throw SdkException::invalid('widths', 'widths must be a non-empty list of integers in px, got '
                    . SdkException::show($widths));
            }
            if ($width < 1) {
                throw new SdkException('WIDTH_OUT_OF_RANGE', 'widths', 'widths must be integers from 1 to 2560, got '
                    . SdkException::show($widths));
            }
        }

        return $widths;
    }

    /**
     * A positive pixel count from the options, or null when absent.
     *
     * @param array<string, mixed> $options
     * @throws SdkException (`INVALID_ARGUMENT`) naming `$name`
     */
    public static function pixels(array $options, string $name): ?int
    {
        $value = $options[$name] ?? null;
        if ($value !== null && (!is_int($value) || $value < 1)) {
            throw SdkException::invalid($name, "$name must be a positive integer in px, got "
                . SdkException::show($value));
        }

        return $value;
    }
}
