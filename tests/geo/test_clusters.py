import polars as pl

from geo.clusters import area_lookup, areas_within

AREAS = pl.DataFrame(
    {
        "area_code": [
            "E92000001",
            "P1",
            "C1",
            "C2",
            "W1",
            "W2",
            "W3",
            "L1",
            "L2",
            "L3",
            "L4",
            "LX",
        ],
        "area_type": [
            "england",
            "place",
            "cluster",
            "cluster",
            "ward",
            "ward",
            "ward",
            "lsoa",
            "lsoa",
            "lsoa",
            "lsoa",
            "lsoa",
        ],
        "parent_code": [
            None,
            "E92000001",
            "P1",
            "P1",
            "C1",
            "C1",
            "C2",
            "W1",
            "W2",
            "W3",
            "W3",
            None,
        ],
    }
).with_columns(area_name=pl.col("area_code"), vintage=pl.lit("test"))


def test_lsoa_to_cluster_walks_through_wards():
    out = area_lookup(AREAS, "lsoa", "cluster")
    assert dict(out.iter_rows()) == {"L1": "C1", "L2": "C1", "L3": "C2", "L4": "C2", "LX": None}


def test_lsoa_to_place_and_ward_to_place():
    assert dict(area_lookup(AREAS, "lsoa", "place").iter_rows())["L3"] == "P1"
    assert dict(area_lookup(AREAS, "ward", "place").iter_rows()) == {
        "W1": "P1",
        "W2": "P1",
        "W3": "P1",
    }


def test_areas_within_cluster_and_place():
    assert sorted(areas_within(AREAS, "C2", "lsoa")) == ["L3", "L4"]
    assert sorted(areas_within(AREAS, "P1", "cluster")) == ["C1", "C2"]
    assert areas_within(AREAS, "L1", "lsoa") == ["L1"]
    assert areas_within(AREAS, "nope", "lsoa") == []
