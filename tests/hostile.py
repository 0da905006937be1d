"""A copy of the sample catalog whose names carry markdown, HTML and links ("Trust II").

Cluster and place names, indicator names, care home and provider names and event labels get a
payload that, drawn unescaped, fetches a beacon image or makes a link to it: in markdown
(`![..](..)`, `[..](..)`), in Streamlit's HTML-free markdown (raw `<a>`, `<img>`) and in
Plotly's text, which interprets `<a href>`, `<b>` and `<br>`.

`find_leaks` names every place in a Streamlit element (markdown body, label, help, metric,
option, Plotly figure) where the payload survives unescaped.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
BEACON = "http://127.0.0.1:9"


def payload(beacon: str = BEACON) -> str:
    """Markdown image and link, an HTML link and image, emphasis, LaTeX and an icon shortcode."""
    return (
        f"![b]({beacon}/b.png) [l]({beacon}/l) "
        f'<a href="{beacon}/a">x</a> <img src=x onerror=alert(1)> '
        f"<b>bold</b> *em* $x^2$ :material/home:"
    )


def _poison(frame: pl.DataFrame, column: str, text: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.col(column).is_not_null())
        .then(pl.col(column) + pl.lit(f" {text}"))
        .otherwise(pl.col(column))
        .alias(column)
    )


def hostile_catalog(folder: Path, beacon: str = BEACON) -> Path:
    """Copy sample_data into `folder` with the payload after every name; the catalog path."""
    shutil.copytree(SAMPLE, folder, dirs_exist_ok=True)
    text = payload(beacon)
    areas = pl.read_parquet(folder / "areas.parquet")
    pl.DataFrame.write_parquet(_poison(areas, "area_name", text), folder / "areas.parquet")
    homes = pl.read_parquet(folder / "care_homes.parquet")
    for column in ("location_name", "provider_name"):
        homes = _poison(homes, column, text)
    homes.write_parquet(folder / "care_homes.parquet")
    indicators = pl.read_csv(folder / "indicators.csv", infer_schema=False)
    _poison(indicators, "name", text).write_csv(folder / "indicators.csv")
    events = pl.read_csv(folder / "events.csv", infer_schema=False)
    _poison(events, "label", text).write_csv(folder / "events.csv")
    _decks_by_code(folder / "decks", areas, indicators)
    return folder / "catalog.toml"


def _decks_by_code(decks: Path, areas: pl.DataFrame, indicators: pl.DataFrame) -> None:
    """The sample decks name places and measures: name them by code, as decks may."""
    names = {
        f'"{name}"': f'"{code}"'
        for code, name in areas.filter(pl.col("area_type") == "place")
        .select("area_code", "area_name")
        .iter_rows()
    }
    for indicator_id, name in indicators.select("indicator_id", "name").iter_rows():
        names[f'"{name}"'] = f'"{indicator_id}"'
        names[f'"{name} (share of residents)"'] = f'"{indicator_id}_share"'
    for deck in decks.glob("*.toml"):
        lines = deck.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            key, _, value = line.partition(" = ")
            if key in ("place", "cluster", "indicator") and value in names:
                lines[i] = f"{key} = {names[value]}"
        deck.write_text("\n".join(lines) + "\n", encoding="utf-8")


# A pattern counts as surviving only when no backslash escapes it (escape_md writes `\!\[`).
MARKDOWN_LEAKS = {
    "markdown image": re.compile(r"(?<!\\)!(?<!\\)\[[^\]]*(?<!\\)\]\("),
    "markdown link": re.compile(r"(?<!\\)\[[^\]\\]*(?<!\\)\]\(http"),
    "HTML link": re.compile(r"(?<!\\)<a\s", re.I),
    "HTML image": re.compile(r"(?<!\\)<img\s", re.I),
    "bold tag": re.compile(r"(?<!\\)<b>", re.I),
    "LaTeX": re.compile(r"(?<!\\)\$x\^2(?<!\\)\$"),
}
# What escape_md (ui/messages.py) does not neutralise yet: Streamlit's markdown turns bare
# URLs and e-mail addresses into links, and `:material/...:` into icons, after parsing, so a
# backslash escape cannot stop either (a word joiner, U+2060, after each ':' would).
MARKDOWN_GAPS = {
    "autolink": re.compile(r"(?i)\bhttps?:(?!\u2060)//"),
    "icon shortcode": re.compile(r":material/home:"),
}
# Plotly text is not markdown: only tags are interpreted (escaped ones read &lt;a).
PLOTLY_LEAKS = {
    "HTML link": re.compile(r"<a\s", re.I),
    "HTML image": re.compile(r"<img\s", re.I),
    "bold tag": re.compile(r"<b>bold", re.I),
}


def _strings(value, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside a JSON-like value, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def _nodes(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


# Proto fields that Streamlit draws as plain text, or never draws, so raw names are fine there.
PLAIN_FIELDS = re.compile(
    r"\.(options|raw_values|default|value|values|id|form_id|placeholder|"
    r"file_name|url|data|arrow_data|column_order|selection_mode|theme|key)(\[|\.|$)"
)


def find_leaks(at, page: str = "", markdown: dict | None = None) -> list[str]:
    """Every unescaped payload pattern in the elements of an AppTest run, as readable lines.

    `markdown`: the patterns looked for in markdown (default MARKDOWN_LEAKS)."""
    markdown = MARKDOWN_LEAKS if markdown is None else markdown
    from google.protobuf.json_format import MessageToDict

    found = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        kind = type(node).__name__
        fields = MessageToDict(proto, preserving_proto_field_name=True)
        if kind == "PlotlyChart" or "spec" in fields and proto.DESCRIPTOR.name == "PlotlyChart":
            figure = json.loads(fields.get("spec") or "{}")
            for trace in figure.get("data", []):
                shown = f"{trace.get('hovertemplate')}{trace.get('texttemplate')}"
                if "customdata" not in shown:  # never drawn: the raw name a click reports
                    trace.pop("customdata", None)
            figure.get("layout", {}).pop("uirevision", None)  # a state key, never drawn
            figure.get("layout", {}).get("map", {}).pop("uirevision", None)
            for where, text in _strings(figure, "figure"):
                for what, pattern in PLOTLY_LEAKS.items():
                    if pattern.search(text):
                        found.append(f"{page}: {what} in Plotly {where}: {text[:160]!r}")
            continue
        if kind in ("Dataframe", "Code", "Json") or proto.DESCRIPTOR.name in ("Arrow", "Html"):
            continue  # tables and code are plain text; st.html is checked by the browser test
        for where, text in _strings(fields, kind):
            if PLAIN_FIELDS.search(where):
                continue
            for what, pattern in markdown.items():
                if pattern.search(text):
                    found.append(f"{page}: {what} in {where}: {text[:160]!r}")
    return found
