<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * CloudFront signed URLs for private originals (SPEC.md §14), canned or custom policy, signed
 * with RSA-SHA1 through openssl_sign() as CloudFront requires for trusted key groups.
 *
 * The output is byte-identical with the TypeScript SDK (`@aws-sdk/cloudfront-signer`) for the
 * same key pair, URL and options.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-signed-urls.html
 *
 * @example
 *   $signer = new CloudFrontSigner('K2JCJMDEHXQW5F', file_get_contents('/etc/vetrina/cloudfront.pem'));
 *   $signer->sign($vetrina->url('privat/4711.jpg', ['preset' => 'large']), ['expires' => time() + 300]);
 *   // 'https://img.example.com/large/privat/4711.jpg?Expires=…&Signature=…&Key-Pair-Id=K2JCJMDEHXQW5F'
 */
final class CloudFrontSigner
{
    private const OPTIONS = ['expires', 'notBefore', 'ipAddress'];
    private const IPV4 = '#^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:/(\d{1,2}))?$#D';

    private readonly \OpenSSLAsymmetricKey $privateKey;

    /**
     * @param string $keyPairId the public key's id in the distribution's trusted key group
     * @param string|\OpenSSLAsymmetricKey $privateKey the RSA private key, PEM text or an openssl key
     * @throws SdkException (`INVALID_ARGUMENT`) naming `keyPairId` or `privateKey`
     */
    public function __construct(private readonly string $keyPairId, string|\OpenSSLAsymmetricKey $privateKey)
    {
        if (preg_match('/^[A-Z0-9]{1,64}$/D', $keyPairId) !== 1) {
            throw SdkException::invalid('keyPairId', "keyPairId must be 1 to 64 of A-Z 0-9, got \"$keyPairId\"");
        }
        $key = is_string($privateKey) ? openssl_pkey_get_private($privateKey) : $privateKey;
        $details = $key === false ? false : openssl_pkey_get_details($key);
        if ($key === false || $details === false || $details['type'] !== OPENSSL_KEYTYPE_RSA) {
            throw SdkException::invalid('privateKey', 'privateKey must be an RSA private key in PEM form, got'
                . ' something openssl cannot read as one');
        }
        $this->privateKey = $key;
    }

    /**
     * Appends CloudFront's parameters to a vetrina URL (which already carries `v` and `s` when
     * it needs them): `Expires`, `Signature`, `Key-Pair-Id` for a canned policy, or `Policy`,
     * `Signature`, `Key-Pair-Id` for a custom one.
     *
     * @param string $url an absolute http(s) URL, as {@see UrlBuilder::url()} writes it
     * @param array<string, mixed> $options `expires` (Unix seconds, required), `notBefore` (Unix
     *   seconds, optional), `ipAddress` (IPv4 with optional `/0`–`/32`, optional); either of the
     *   last two makes the policy custom
     * @throws SdkException (`INVALID_ARGUMENT`) naming `url` or the option at fault
     */
    public function sign(string $url, array $options): string
    {
        $policy = $this->policy($url, $options);
        $params = isset($options['notBefore']) || isset($options['ipAddress'])
            ? ['Policy' => self::base64($policy)]
            : ['Expires' => (string) $options['expires']];
        $params['Signature'] = $this->signature($policy);
        $params['Key-Pair-Id'] = $this->keyPairId;

        $query = [];
        foreach ($params as $name => $value) {
            $query[] = "$name=$value";
        }

        return $url . (str_contains($url, '?') ? '&' : '?') . implode('&', $query);
    }

    /**
     * The policy JSON that {@see sign()} signs: `{"Statement":[{"Resource":…,"Condition":
     * {"DateLessThan":{"AWS:EpochTime":…}}}]}`, plus `DateGreaterThan` and `IpAddress` when
     * given, without spaces, in that key order.
     *
     * @param array<string, mixed> $options as for {@see sign()}
     * @throws SdkException (`INVALID_ARGUMENT`) naming `url` or the option at fault
     */
    public function policy(string $url, array $options): string
    {
        foreach (array_keys($options) as $name) {
            if (!in_array($name, self::OPTIONS, true)) {
                throw SdkException::invalid((string) $name, "$name is not an option; expected one of "
                    . implode(', ', self::OPTIONS));
            }
        }
        // CloudFront's own parameters must come last and once, after vetrina's `v` and `s`.
        if (
            preg_match('#^https?://[^/?\#]+/[^\#\s]*$#iD', $url) !== 1
            || preg_match('/[?&](Expires|Policy|Signature|Key-Pair-Id)=/', $url) === 1
        ) {
            throw SdkException::invalid('url', 'url must be an absolute http(s) URL without a fragment or CloudFront'
                . ' parameters, got ' . SdkException::show($url));
        }
        $expires = self::seconds($options, 'expires');
        if ($expires === null) {
            throw SdkException::invalid('expires', 'expires (Unix seconds) is required');
        }
        $notBefore = self::seconds($options, 'notBefore');
        if ($notBefore !== null && $notBefore >= $expires) {
            throw SdkException::invalid('notBefore', "notBefore must be before expires ($expires), got $notBefore");
        }

        $condition = ['DateLessThan' => ['AWS:EpochTime' => $expires]];
        if ($notBefore !== null) {
            $condition['DateGreaterThan'] = ['AWS:EpochTime' => $notBefore];
        }
        if (isset($options['ipAddress'])) {
            $condition['IpAddress'] = ['AWS:SourceIp' => self::cidr($options['ipAddress'])];
        }
        $policy = ['Statement' => [['Resource' => $url, 'Condition' => $condition]]];

        // The same text JSON.stringify() writes: no escaped slashes, no spaces.
        return json_encode(
            $policy,
            JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS | JSON_THROW_ON_ERROR,
        );
    }

    private function signature(string $policy): string
    {
        if (!openssl_sign($policy, $signature, $this->privateKey, OPENSSL_ALGO_SHA1)) {
            throw new \RuntimeException('openssl_sign failed: ' . (string) openssl_error_string());
        }

        return self::base64($signature);
    }

    /** Base64 in CloudFront's URL-safe alphabet: `+` → `-`, `=` → `_`, `/` → `~`. */
    private static function base64(string $bytes): string
    {
        return strtr(base64_encode($bytes), '+=/', '-_~');
    }

    /** @param array<string, mixed> $options */
    private static function seconds(array $options, string $name): ?int
    {
        $value = $options[$name] ?? null;
        if ($value !== null && (!is_int($value) || $value < 1)) {
            throw SdkException::invalid($name, "$name must be a positive integer of Unix seconds, got "
                . SdkException::show($value));
        }

        return $value;
    }

    /** An IPv4 address or CIDR block, written with its mask (`/32` when none is given). */
    private static function cidr(mixed $ip): string
    {
        $match = is_string($ip) && preg_match(self::IPV4, $ip, $m) === 1;
        $valid = $match && max((int) $m[1], (int) $m[2], (int) $m[3], (int) $m[4]) <= 255
            && (int) ($m[5] ?? 32) <= 32;
        if (!$valid) {
            throw SdkException::invalid('ipAddress', 'ipAddress must be an IPv4 address with an optional /0 to /32,'
                . ' got ' . SdkException::show($ip));
        }

        return "$m[1].$m[2].$m[3].$m[4]/" . ($m[5] ?? '32');
    }
}
