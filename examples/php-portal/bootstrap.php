<?php

/**
 * Shared set-up of the example portal: the SDK autoloader, configuration from the
 * environment, and small helpers for the pages. Every page includes this file first.
 *
 * Environment:
 *   VETRINA_CDN             base URL of the image CDN (default http://127.0.0.1:8080, the emulator)
 *   VETRINA_SIGNING_KEY     HMAC secret for signed URLs (default: the emulator's public
 *                           development secret, which signs nothing real)
 *   VETRINA_SIGNING_KEY_ID  key id of that secret (default dev)
 *   VETRINA_ORIGINALS       folder of the originals for the "before" page (default ../originals)
 */

declare(strict_types=1);

// A LAMP portal would use Composer's autoloader; this example needs no install step.
spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Vetrina\\')) {
        $file = __DIR__ . '/../../sdk/php/src/' . str_replace('\\', '/', substr($class, 8)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

require __DIR__ . '/helpers.php';
require __DIR__ . '/layout.php';
