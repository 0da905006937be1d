"""Deterministic national-scale SYNTHETIC data for `make bench` (never for the app or tests).

England-sized shapes with made-up codes (ICB01, PL001, CL0001, LS00001: nothing here is a real
area, home or amount): 42 ICBs, 300 places, about 1,500 clusters and 33,755 LSOAs; 15,000 care
homes with 10 years of CQC-style rating history; 20 indicators x 10 years for every LSOA
(6,751,000 observation rows); spend for every cluster, setting and year. Seeded numpy, so
the same VERSION always gives the same bytes; files are cached under
$PLACEWISE_NATIONAL_CACHE (default: the system temp folder) keyed by VERSION.
"""

from scripts.national.build import VERSION, NationalData, ensure

__all__ = ["VERSION", "NationalData", "ensure"]
