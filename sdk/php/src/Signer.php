<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * HMAC-SHA256 URL signatures (SPEC.md §8) with a key ring of one or two keys, so a key can be
 * rotated: add the new key, switch the builders, remove the old key after the CDN TTL.
 *
 * @example
 *   $signer = new Signer(['k1' => 'old secret', 'k2' => 'new secret']);
 *   $s = $signer->sign('w640,q60/fahrzeuge/front.jpg', 'k2'); // 'k2.…'
 *   $signer->verify('w640,q60/fahrzeuge/front.jpg', $s);    // true
 */
final class Signer
{
    private const KEY_ID = '/^[a-z0-9]{1,8}$/D';

    /** @var array<string, string> key id => secret */
    private readonly array $keys;

    /**
     * @param array<string, string> $keys key id (`[a-z0-9]{1,8}`) => secret (non-empty), one or two entries
     * @throws SdkException (`INVALID_ARGUMENT`) naming `keys` when the ring is empty, too big or holds a bad entry
     */
    public function __construct(array $keys)
    {
        if (count($keys) < 1 || count($keys) > 2) {
            throw SdkException::invalid('keys', 'keys must hold one or two entries, got ' . count($keys));
        }
        foreach ($keys as $keyId => $secret) {
            if (!self::isKeyId((string) $keyId)) {
                throw SdkException::invalid('keys', "keys: a key id must match [a-z0-9]{1,8}, got \"$keyId\"");
            }
            if (!is_string($secret) || $secret === '') {
                throw SdkException::invalid('keys', "keys: the secret of \"$keyId\" must be a non-empty string");
            }
        }
        $this->keys = $keys;
    }

    /** Whether `$keyId` is a valid key id, `[a-z0-9]{1,8}`. */
    public static function isKeyId(string $keyId): bool
    {
        return preg_match(self::KEY_ID, $keyId) === 1;
    }

    /**
     * The exact text a signature covers: `{spec}/{encoded key}`, plus `?v={version}` when
     * there is a version token.
     *
     * @param string $spec the canonical spec as in the URL, e.g. `w640,cover-1x1,q60`
     * @param string $encodedKey the key encoded by {@see KeyEncoder::encode()}
     * @param string|null $version the version token, or null
     */
    public static function message(string $spec, string $encodedKey, ?string $version = null): string
    {
        return $version === null ? "$spec/$encodedKey" : "$spec/$encodedKey?v=$version";
    }

    /**
     * Signs a message with one key of the ring.
     *
     * @return string the `s` parameter value, `{keyId}.{unpadded base64url of the 32-byte HMAC}`
     * @throws SdkException (`INVALID_ARGUMENT`) naming `keyId` when it is not in the ring
     */
    public function sign(string $message, string $keyId): string
    {
        if (!array_key_exists($keyId, $this->keys)) {
            throw SdkException::invalid('keyId', 'keyId must be one of ' . implode(', ', array_keys($this->keys))
                . ", got \"$keyId\"");
        }
        $mac = hash_hmac('sha256', $message, $this->keys[$keyId], true);

        return $keyId . '.' . rtrim(strtr(base64_encode($mac), '+/', '-_'), '=');
    }

    /**
     * Checks an `s` value in constant time. A malformed value, an unknown key id or a wrong
     * mac all give false; nothing throws.
     */
    public function verify(string $message, string $signature): bool
    {
        $dot = strpos($signature, '.');
        if ($dot === false || $dot === 0) {
            return false;
        }
        $keyId = substr($signature, 0, $dot);
        if (!self::isKeyId($keyId) || !array_key_exists($keyId, $this->keys)) {
            return false;
        }

        return hash_equals($this->sign($message, $keyId), $signature);
    }
}
