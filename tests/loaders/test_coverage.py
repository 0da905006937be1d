from datetime import date

import polars as pl

from loaders.coverage import period_covered


def test_financial_years_and_dates_and_vintages():
    spend = pl.DataFrame({"financial_year": ["2016/17", "2015/16", "2024/25"]})
    assert period_covered(spend, "spend") == "2015/16 to 2024/25"
    obs = pl.DataFrame(
        {
            "period_start": [date(2017, 4, 1), date(2026, 3, 1)],
            "period_end": [date(2017, 4, 30), date(2026, 3, 31)],
        }
    )
    assert period_covered(obs, "observations") == "Apr 2017 to Mar 2026"
    areas = pl.DataFrame({"vintage": ["Ward 2024", "LSOA 2021", "LSOA 2021"]})
    assert period_covered(areas, "areas") == "LSOA 2021, Ward 2024"
    assert period_covered(pl.DataFrame({"x": [1]}), "settings") == ""
    assert (
        period_covered(
            pl.DataFrame({"published": [None]}, schema={"published": pl.Date}), "cqc_ratings"
        )
        == ""
    )
