"""Cluster (neighbourhood) definitions as groups of 2024 wards, with the population bounds each must meet.

Oldham's five clusters follow its five PCN-aligned neighbourhoods in shape; the ward lists are
ours (illustrative), balanced so each holds 40,000-55,000 residents (ONS mid-2020, on LSOA 2021).
Bolton, Manchester and Wirral use groups of contiguous wards of 30,000-80,000 residents; they are
illustrative, not the places' official neighbourhood maps.
"""

from __future__ import annotations

OLDHAM_VINTAGE = "Oldham clusters (PCN-aligned, illustrative)"
OTHER_VINTAGE = "Placewise clusters 2026 (illustrative)"

# place code -> (vintage, (min, max) residents, [(slug, name, [ward names])])
CLUSTERS: dict[str, tuple[str, tuple[int, int], list[tuple[str, str, list[str]]]]] = {
    "E08000004": (
        OLDHAM_VINTAGE,
        (40_000, 55_000),
        [
            (
                "north",
                "Oldham North",
                ["Crompton", "Royton North", "Royton South", "Shaw", "St James'"],
            ),
            (
                "east",
                "Oldham East",
                ["Saddleworth North", "Saddleworth South", "Saddleworth West & Lees", "Waterhead"],
            ),
            (
                "south",
                "Oldham South",
                ["Failsworth East", "Failsworth West", "Hollinwood", "Medlock Vale"],
            ),
            (
                "west",
                "Oldham West (Chadderton)",
                ["Chadderton Central", "Chadderton North", "Chadderton South", "Werneth"],
            ),
            ("central", "Oldham Central", ["Alexandra", "Coldhurst", "St Mary's"]),
        ],
    ),
    "E08000001": (
        OTHER_VINTAGE,
        (30_000, 80_000),
        [
            ("north", "Bolton North", ["Astley Bridge", "Bradshaw", "Bromley Cross"]),
            ("central", "Bolton Central", ["Halliwell", "Queens Park & Central", "Rumworth"]),
            (
                "east",
                "Bolton East",
                ["Breightmet", "Little Lever & Darcy Lever", "Tonge with the Haulgh"],
            ),
            (
                "farnworth-kearsley",
                "Farnworth and Kearsley",
                ["Farnworth North", "Farnworth South", "Great Lever", "Kearsley"],
            ),
            ("west", "Bolton West", ["Heaton, Lostock & Chew Moor", "Hulton", "Smithills"]),
            (
                "horwich-westhoughton",
                "Horwich and Westhoughton",
                [
                    "Horwich North",
                    "Horwich South & Blackrod",
                    "Westhoughton North & Hunger Hill",
                    "Westhoughton South",
                ],
            ),
        ],
    ),
    "E08000003": (
        OTHER_VINTAGE,
        (30_000, 80_000),
        [
            ("cheetham-crumpsall", "Cheetham and Crumpsall", ["Cheetham", "Crumpsall"]),
            (
                "blackley-harpurhey",
                "Higher Blackley, Harpurhey and Charlestown",
                ["Charlestown", "Harpurhey", "Higher Blackley"],
            ),
            (
                "newton-heath-moston",
                "Newton Heath and Moston",
                ["Miles Platting & Newton Heath", "Moston"],
            ),
            ("city-centre", "City Centre", ["Deansgate", "Piccadilly"]),
            (
                "ancoats-clayton",
                "Ancoats, Clayton and Openshaw",
                ["Ancoats & Beswick", "Clayton & Openshaw"],
            ),
            (
                "gorton-levenshulme",
                "Gorton, Longsight and Levenshulme",
                ["Gorton & Abbey Hey", "Levenshulme", "Longsight"],
            ),
            (
                "ardwick-hulme-moss-side",
                "Ardwick, Hulme and Moss Side",
                ["Ardwick", "Hulme", "Moss Side"],
            ),
            ("rusholme-fallowfield", "Rusholme and Fallowfield", ["Fallowfield", "Rusholme"]),
            (
                "chorlton-whalley-range",
                "Chorlton and Whalley Range",
                ["Chorlton", "Chorlton Park", "Whalley Range"],
            ),
            (
                "withington-burnage",
                "Withington, Burnage and Old Moat",
                ["Burnage", "Old Moat", "Withington"],
            ),
            (
                "didsbury-northenden",
                "Didsbury and Northenden",
                ["Didsbury East", "Didsbury West", "Northenden"],
            ),
            ("wythenshawe", "Wythenshawe", ["Baguley", "Brooklands", "Sharston", "Woodhouse Park"]),
        ],
    ),
    "E08000015": (
        OTHER_VINTAGE,
        (30_000, 80_000),
        [
            ("wallasey", "Wallasey", ["Liscard", "New Brighton", "Wallasey"]),
            (
                "seacombe-bidston",
                "Seacombe, Bidston and Claughton",
                ["Bidston and St James", "Claughton", "Seacombe"],
            ),
            (
                "moreton-upton",
                "Moreton, Leasowe and Upton",
                ["Leasowe and Moreton East", "Moreton West and Saughall Massie", "Upton"],
            ),
            ("birkenhead", "Birkenhead", ["Birkenhead and Tranmere", "Oxton", "Prenton"]),
            (
                "west-wirral",
                "West Wirral",
                ["Greasby, Frankby and Irby", "Hoylake and Meols", "West Kirby and Thurstaston"],
            ),
            (
                "heswall-pensby",
                "Heswall, Pensby and Clatterbridge",
                ["Clatterbridge", "Heswall", "Pensby and Thingwall"],
            ),
            (
                "bebington-bromborough",
                "Bebington and Bromborough",
                ["Bebington", "Bromborough", "Eastham", "Rock Ferry"],
            ),
        ],
    ),
}
