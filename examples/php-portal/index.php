<?php

declare(strict_types=1);

// The portal's home page is its listing.
require __DIR__ . '/listing.php';
