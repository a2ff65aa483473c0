<?php

declare(strict_types=1);

// Composer cannot install packages on the build machines, so the tests load the SDK with a
// PSR-4 autoloader of their own; portals use Composer's autoloader from composer.json.
spl_autoload_register(static function (string $class): void {
    $roots = ['Vetrina\\Tests\\' => __DIR__ . '/', 'Vetrina\\' => dirname(__DIR__) . '/src/'];
    foreach ($roots as $prefix => $dir) {
        if (str_starts_with($class, $prefix)) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
