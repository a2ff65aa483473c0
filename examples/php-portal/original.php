<?php

declare(strict_types=1);

/*
 * Serves an original from the originals folder, the way the portal linked full-size files
 * before vetrina (for before.php only). The key must name an image file inside that folder:
 * `..`, absolute paths and symlinks leading out of it are refused with 404, and nothing but
 * JPEG, PNG, WebP and AVIF is served.
 */

require __DIR__ . '/bootstrap.php';

$method = $_SERVER['REQUEST_METHOD'] ?? 'GET';
if ($method !== 'GET' && $method !== 'HEAD') {
    header('Allow: GET, HEAD');
    refuse(405, 'method not allowed');
}
$key = $_GET['key'] ?? null;
if (!is_string($key) || $key === '' || strlen($key) > 960 || preg_match('/[\x00-\x1F\x7F]/', $key) === 1) {
    refuse(400, 'key must be 1 to 960 bytes without control characters');
}
if (in_array('..', explode('/', $key), true) || str_starts_with($key, '/')) {
    refuse(404, 'no such original');
}

$dir = originalsDir();
// realpath resolves `..` and symlinks, so the prefix check sees where the file really is.
$path = realpath($dir . '/' . $key);
if ($path === false || !str_starts_with($path, $dir . DIRECTORY_SEPARATOR) || !is_file($path)) {
    refuse(404, 'no such original');
}
$type = (new finfo(FILEINFO_MIME_TYPE))->file($path);
if (!in_array($type, ['image/jpeg', 'image/png', 'image/webp', 'image/avif'], true)) {
    refuse(404, 'no such original');
}

header('Content-Type: ' . $type);
header('Content-Length: ' . filesize($path));
header('Cache-Control: public, max-age=3600');
header('X-Content-Type-Options: nosniff');
if ($method === 'GET') {
    readfile($path);
}
