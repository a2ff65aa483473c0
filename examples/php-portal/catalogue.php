<?php

declare(strict_types=1);

/*
 * The dealer's stock as the ERP export would describe it: each photo is the S3 key of an
 * original (here: a file in examples/originals/) with its pixel size after EXIF orientation,
 * which the ERP knows from the upload. Sources and licences: examples/originals/LICENSES.md.
 */

return [
    'dealer' => 'Autohaus Vetrina',
    'hero' => [
        'key' => 'La strada è vuota – California 3200px.jpg',
        'width' => 3200,
        'height' => 2136,
        'alt' => 'Eine leere Landstraße führt auf Hügel unter dichten Wolken zu',
    ],
    'vehicles' => [
        [
            'id' => 'porsche-911',
            'title' => 'Porsche 911 Carrera',
            'price' => 89900,
            'year' => 2019,
            'km' => 42000,
            'fuel' => 'Benzin',
            'photos' => [
                ['key' => 'Porsche 911 – Autowäsche.jpg', 'width' => 1500, 'height' => 1000,
                    'alt' => 'Schwarzer Porsche 911 bei der Handwäsche'],
            ],
        ],
        [
            'id' => 'limousine-weiss',
            'title' => 'Limousine, weiß',
            'price' => 18450,
            'year' => 2017,
            'km' => 96500,
            'fuel' => 'Diesel',
            'photos' => [
                ['key' => 'Autostrada – auto bianca e auto nera.jpg', 'width' => 1280, 'height' => 720,
                    'alt' => 'Weiße und schwarze Limousine auf der Autobahn'],
                ['key' => 'udacity-highway-test6.jpg', 'width' => 1280, 'height' => 720,
                    'alt' => 'Dieselbe Limousine neben der Leitplanke'],
                ['key' => 'exif-orientation-6 – autostrada ruotata.jpg', 'width' => 1280, 'height' => 720,
                    'alt' => 'Die Limousine von hinten, auf der rechten Spur'],
            ],
        ],
        [
            'id' => 'limousine-rot',
            'title' => 'Limousine, rot',
            'price' => 12990,
            'year' => 2015,
            'km' => 121000,
            'fuel' => 'Benzin',
            'photos' => [
                ['key' => 'Autoroute – voitures dans le virage à droite.jpg', 'width' => 960, 'height' => 540,
                    'alt' => 'Rote Limousine in einer Rechtskurve'],
            ],
        ],
        [
            'id' => 'kompakt-silber',
            'title' => 'Kompaktwagen, silber',
            'price' => 9800,
            'year' => 2016,
            'km' => 78000,
            'fuel' => 'Benzin',
            'photos' => [
                ['key' => 'parking-lot-two-cars-frame.jpg', 'width' => 768, 'height' => 432,
                    'alt' => 'Silberner Kompaktwagen auf dem Parkplatz, von oben'],
            ],
        ],
        [
            'id' => 'sportwagen-weiss',
            'title' => 'Sportwagen, weiß',
            'price' => 54500,
            'year' => 2020,
            'km' => 15000,
            'fuel' => 'Benzin',
            'photos' => [
                ['key' => 'Découpe – voiture blanche vue du dessus.png', 'width' => 206, 'height' => 354,
                    'alt' => 'Weißer Sportwagen von oben, freigestellt'],
            ],
        ],
        [
            'id' => 'limousine-schwarz',
            'title' => 'Limousine, schwarz',
            'price' => 21700,
            'year' => 2018,
            'km' => 64000,
            'fuel' => 'Hybrid',
            'photos' => [
                ['key' => 'CMYK – Autobahn mit Fahrzeugen.jpg', 'width' => 1280, 'height' => 720,
                    'alt' => 'Schwarze Limousine unter Bäumen auf der Autobahn'],
            ],
        ],
    ],
    'articles' => [
        [
            'title' => 'Flugtag: Jets über den Wolken',
            'photo' => ['key' => 'T-45A Goshawk über den Wolken.jpg', 'width' => 2788, 'height' => 2085,
                'alt' => 'Ein T-45A Goshawk fliegt über den Wolken'],
        ],
        [
            'title' => 'Ausflugstipp: Raketenstart in der Dämmerung',
            'photo' => ['key' => 'falcon9-dscovr-launch.jpg', 'width' => 640, 'height' => 427,
                'alt' => 'Eine Falcon-9-Rakete auf der Startrampe in der Dämmerung'],
        ],
        [
            'title' => 'Route des Monats: zum Wasserfall',
            'photo' => ['key' => 'exif-orientation-8-waterfall.jpg', 'width' => 1800, 'height' => 1200,
                'alt' => 'Ein Wasserfall in einer grünen Landschaft'],
        ],
    ],
];
