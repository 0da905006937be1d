"""Panels in the app: the scoped data source, one cache per panel, the widgets and the renderer.

A page script asks for panels by id and parameters; this module fetches each need through
ui.state (scoped to the person, pushed down, one request per dataset and filter), builds the
panel once per panel id, parameters, input versions and scope, and draws it: notices, tiles,
the figure with its caption, the downloads of its released rows, and 'Add to deck' with the
panel's real parameters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
import streamlit as st

from exports.csv import download_name, period_of, readable, rows_csv
from exports.images import MIME, ImageExportError, export_problem, figure_image
from loaders.errors import DataError
from panels import caption as captions
from panels.core import (
    SYNTHETIC_LABEL,
    Built,
    Caption,
    Data,
    Input,
    Need,
    Panel,
    PanelProblem,
    Rows,
    Tile,
)
from panels.params import AreaParams, fields_of
from panels.registry import get_panel
from panels.source import area_of, gather, needs_of, run, versions
from ui import auth, state
from ui.charts import PLOTLY_CONFIG
from ui.data_tables import show_table
from ui.messages import escape_md, sees_details

_FAILURES = "_placewise_image_failures"
#: A view's name in its download file names where the panel id is not what people call it.
VIEW_NAMES = {"care_home_quality": "care-home-trend"}


class AppSource:
    """panels.source.Source over ui.state: the person's rows only, cached per data version."""

    def get(self, need: Need) -> Input:
        where = {k: list(v) if isinstance(v, tuple) else v for k, v in (need.where or {}).items()}
        item = state.dataset(need.dataset, where=where or None)
        error = item.error
        if error is not None and not sees_details():
            # views quote this text: for people who may not see the details (paths, servers,
            # other places' rows), only which dataset failed
            error = DataError(error.summary, dataset=error.dataset,
                              from_database=error.from_database)  # fmt: skip
        version = f"{item.loaded_at.isoformat()}#{item.scope}{item.request}"
        return Input(item.name, item.frame, item.spec, error, version)

    def covers_place(self, place_code: str) -> bool:
        return auth.covers_place(place_code)


@st.cache_resource(show_spinner=False, max_entries=512)
def _cached(
    panel_id: str, key: str, inputs: str, scope: str, _params: AreaParams, _source: AppSource
) -> Built | PanelProblem:
    return run(get_panel(panel_id), _params, _source)


def build(panel_id: str, params: AreaParams) -> Built | PanelProblem:
    """The panel drawn for `params` as the signed-in person may see it (cached)."""
    panel = get_panel(panel_id)
    source = AppSource()
    return _cached(panel_id, repr(params), versions(panel, params, source),
                   auth.current_scope().key, params, source)  # fmt: skip


def clear() -> None:
    _cached.clear()


def params_for(panel_id: str, **values: Any) -> AreaParams:
    """The panel's parameters from the page's choices (codes; None keeps the default)."""
    cls: type[AreaParams] = get_panel(panel_id).Params
    return cls(**{k: v for k, v in values.items() if v is not None})


def widget(
    panel_id: str,
    name: str,
    *,
    options: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    value: str | None = None,
    where: Any = None,
    horizontal: bool = True,
    disabled: bool = False,
    kind: str | None = None,
) -> Any:
    """The page's widget for one parameter, made from the field's metadata (key = URL key).

    Choice fields become a radio (kind='radio', the default for up to four choices), a
    selectbox ('select'), a select slider ('slider') or a multiselect (`many`); a yes/no field
    can be a 'checkbox' and a free-text field a 'text' input. `options` (codes) narrows or
    supplies the choices for fields whose values come from the data, `labels` names such codes
    and `value` is a data-driven default. Returns the chosen code (or tuple of codes).
    """
    panel = get_panel(panel_id)
    spec = fields_of(panel.Params)[name]
    default = next(f.default for f in dataclasses.fields(panel.Params) if f.name == name)
    default = value if value is not None else default
    box = where if where is not None else st
    help_text = spec.help or None
    if kind == "checkbox":
        ticked = box.checkbox(spec.label, key=spec.url, bind="query-params", help=help_text,
                              disabled=disabled)  # fmt: skip
        return "true" if ticked else "false"
    if kind == "text":
        text = box.text_input(spec.label, key=spec.url, bind="query-params", help=help_text)
        return text.strip() or None
    codes = list(options if options is not None else (spec.choices or {}))
    names = {**(spec.choices or {}), **(labels or {})}

    def label_of(code: str) -> str:
        return names.get(code, code)

    if spec.many:
        chosen = box.multiselect(spec.label, codes, format_func=label_of, key=spec.url,
                                 bind="query-params", help=help_text, placeholder="All")  # fmt: skip
        return tuple(chosen)
    shown = codes if spec.url_codes else [label_of(c) for c in codes]
    if not shown:
        return default
    index = codes.index(default) if default in codes else len(codes) - 1
    kind = kind or ("radio" if len(codes) <= 4 else "select")
    if kind == "slider":
        picked = box.select_slider(spec.label, shown, value=shown[index], key=spec.url,
                                   bind="query-params", help=help_text, disabled=disabled)  # fmt: skip
    else:
        make = box.radio if kind == "radio" else box.selectbox
        extra = {"horizontal": horizontal} if kind == "radio" else {}
        picked = make(spec.label, shown, index=index, key=spec.url, bind="query-params",
                      help=help_text, disabled=disabled, **extra)  # fmt: skip
    if spec.url_codes:
        return picked
    back = dict(zip(shown, codes, strict=True))
    return back.get(picked, picked)


def data_for(panel_id: str, params: AreaParams) -> Data | PanelProblem:
    """The data `panel_id` reads for `params`, as the person may see it: for a page's choices
    that come from the data (the same loads, and Data.shared steps, as the panels')."""
    panel = get_panel(panel_id)
    source = AppSource()
    try:
        return gather(panel, params, source, area_of(params, source))
    except (PanelProblem, DataError) as exc:
        return exc if isinstance(exc, PanelProblem) else PanelProblem(str(exc))


def failed_inputs(panel_id: str, params: AreaParams) -> list[Input]:
    """The datasets `panel_id` needs for `params` that did not load (for the page to name each
    once, with show_data_error)."""
    source = AppSource()
    try:
        area = area_of(params, source)
    except PanelProblem:
        return [item] if not (item := source.get(Need("areas"))).ok else []
    items = (source.get(need) for need in needs_of(get_panel(panel_id), params, area))
    return [item for item in items if not item.ok]


def table(
    panel_id: str,
    params: AreaParams,
    *,
    key: str,
    column_config: Any = None,
    hide_empty: bool = False,
) -> None:
    """A panel without a figure drawn as a table of its released rows, with its caption and
    CSV (`hide_empty`: nothing at all when it has no rows)."""
    result = build(panel_id, params)
    if isinstance(result, PanelProblem):
        st.info(escape_md(str(result)), icon=":material/info:")
        return
    if hide_empty and result.rows.frame.is_empty():
        return
    for notice in result.notices:
        st.info(escape_md(notice.text), icon=":material/info:")
    st.caption(escape_md(result.title))
    show_table(readable(result.rows.frame), key=key, column_config=column_config)
    show_caption(result.caption)
    downloads(result.rows, result.caption, None, key=key, view=panel_id, params=params)


def slide_for(panel: Panel[Any], params: AreaParams) -> Any:
    """'Add to deck': the slide showing this panel with exactly these parameters."""
    from present.decks import SlideSpec

    return SlideSpec.of_panel(panel.id, params)


def show(
    panel_id: str,
    params: AreaParams,
    result: Built | PanelProblem | None = None,
    *,
    key: str | None = None,
    deck: bool = True,
    tiles_only: bool = False,
    on_select: Any = None,
    per_row: int | None = None,
) -> Built | None:
    """Draw a panel: its notices, tiles, figure, caption, downloads and 'Add to deck'.

    A panel that cannot be drawn says why in place (the rest of the page still draws).
    """
    panel = get_panel(panel_id)
    result = build(panel_id, params) if result is None else result
    key = key or panel_id
    if isinstance(result, PanelProblem):
        if result.level == "warning":
            st.warning(escape_md(str(result)), icon=":material/warning:")
        else:
            st.info(escape_md(str(result)), icon=":material/info:")
        return None
    if result.tiles:  # the key figures first; what to know about the data under them
        show_tiles(result.tiles, per_row=per_row)
    for notice in result.notices:
        (st.warning if notice.level == "warning" else st.info)(
            escape_md(notice.text),
            icon=":material/warning:" if notice.level == "warning" else ":material/info:",
        )
    if result.figure is not None and not tiles_only:
        chart(result, key=key, slide=slide_for(panel, params) if deck else None,
              on_select=on_select, view=panel_id, params=params)  # fmt: skip
    return result


def show_tiles(tiles: Sequence[Tile], *, per_row: int | None = None) -> None:
    """Headline tiles in rows of `per_row` (all in one row by default): the number, its change,
    what it covers and, where the tiles differ in source, where it comes from. A tile whose data
    could not be loaded says so without a number (the page names the dataset once)."""
    width = per_row or len(tiles)
    for start in range(0, len(tiles), width):
        for col, t in zip(st.columns(width), tiles[start : start + width], strict=False):
            with col, st.container(border=True):
                tile(t)


def tile(t: Tile) -> None:
    label = escape_md(t.label)  # labels, values and help are markdown; they hold area names
    if t.failed:
        st.markdown(f"**{label}**")
        st.caption(escape_md(t.empty_reason))
        return
    st.metric(label, escape_md(t.value) if t.value is not None else "No data",
              delta=t.delta, delta_color=t.delta_color,
              help=escape_md(t.help) if t.help else None)  # fmt: skip
    for line in (t.detail if t.value is not None else t.empty_reason, t.period):
        if line:
            st.caption(escape_md(line))
    if t.source:
        st.caption(
            escape_md(f"Source: {t.source}" + (f" · {SYNTHETIC_LABEL}" if t.synthetic else ""))
        )


def alt_text(result: Built) -> str:
    """A short text alternative: the finding and how many rows the chart draws."""
    count = f"{result.rows.height:,} row{'s' if result.rows.height != 1 else ''}"
    lead = f"Chart: {result.title.rstrip('.')}. " if result.title else "Chart. "
    offer = ", downloadable as CSV" if auth.may_download_rows() else ""
    return f"{lead}Drawn from {count} of data{offer}."


def show_caption(caption: Caption) -> None:
    st.caption(escape_md("  \n".join(captions.lines(caption))))


def chart(
    result: Built,
    *,
    key: str,
    slide: Any | None = None,
    on_select: Any = None,
    view: str = "",
    params: AreaParams | None = None,
) -> None:
    """The figure, its caption and text alternative, and downloads of its rows and pictures
    (`on_select`: a callback for a click on a point, as the Neighbourhoods map has; `view` and
    `params`, the panel id and parameters, name the files)."""
    fig = result.figure
    assert fig is not None
    text = alt_text(result)
    select = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch", theme=None, alt=text,
                    **select)  # fmt: skip
    show_caption(result.caption)
    st.caption(escape_md(text))
    downloads(result.rows, result.caption, fig, key=key, slide=slide, view=view or key,
              params=params)  # fmt: skip


def _area(params: AreaParams | None) -> tuple[tuple[str, str] | None, dict[str, str]]:
    """The (code, name) of the area `params` show, and name -> code of the place's own areas
    (the place, its clusters, England) for rows that name their area."""
    if params is None:
        return None, {}
    source = AppSource()
    try:
        area = area_of(params, source)
    except PanelProblem:
        return None, {}
    areas = source.get(Need("areas")).frame
    codes: dict[str, str] = {}
    if isinstance(areas, pl.DataFrame) and {"area_type", "parent_code"} <= set(areas.columns):
        ours = areas.filter(
            pl.col("area_code").is_in(area.codes or (area.place_code,))
            | (pl.col("area_type") == "england")
        )
        codes = dict(zip(ours["area_name"], ours["area_code"], strict=True))
    return (area.area_code, area.area_name), codes


def file_name(view: str, rows: Rows, caption: Caption, area_name: str | None, ext: str) -> str:
    """The download's file name: area, view and period, e.g.
    oldham-east_care-home-trend_2016-2025.csv (the period from the rows, else the caption's
    'as at')."""
    name = VIEW_NAMES.get(view, view.replace("_", "-"))
    return download_name(name, area_name, period_of(rows.frame, caption.as_at), ext)


def downloads(
    rows: Rows,
    caption: Caption,
    fig: Any,
    *,
    key: str,
    slide: Any | None = None,
    view: str = "",
    params: AreaParams | None = None,
) -> None:
    """CSV of the released rows and PNG/SVG pictures with the caption, behind the one gate;
    the files are named by view, area and period (`file_name`), and the CSV's rows start with
    the area's code and name."""
    area, codes = _area(params)
    area_name = area[1] if area else None
    failures: dict[str, str] = st.session_state.setdefault(_FAILURES, {})
    problem = export_problem()
    with st.container(horizontal=True, key=f"{key}_exports"):
        auth.download_button(  # row-level data: only for people whose access includes downloads
            "Download the data (CSV)",
            data=lambda: rows_csv(rows, caption, area=area, codes_of=codes),
            file_name=file_name(view or key, rows, caption, area_name, "csv"),
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
            on_click="ignore",
        )
        if problem is None and auth.may_download_rows() and fig is not None:
            for fmt in MIME:
                auth.download_button(
                    f"Picture ({fmt.upper()})",
                    data=_picture(fig, caption, fmt, f"{key}_{fmt}", failures),
                    file_name=file_name(view or key, rows, caption, area_name, fmt),
                    mime=MIME[fmt],
                    key=f"{key}_{fmt}",
                    icon=":material/image:",
                    on_click="ignore",
                )
        if slide is not None:
            from ui.charts import add_to_deck_button

            add_to_deck_button(slide, key=key)
    if problem is not None and auth.may_download_rows():
        st.caption(
            escape_md(
                f"Pictures (PNG, SVG) are not available here: {problem}. The CSV of the same rows is."
            )
        )
    for fmt in MIME:
        if reason := failures.pop(f"{key}_{fmt}", None):
            st.caption(escape_md(f"The {fmt.upper()} picture could not be made: {reason}"))


def _picture(
    fig: Any, caption: Caption, fmt: str, widget_key: str, failures: dict[str, str]
) -> Any:
    """A lazy download: the picture with its caption, computed only on click."""

    def make() -> bytes:
        try:
            return figure_image(captions.on_figure(fig, caption), fmt)
        except ImageExportError as exc:
            failures[widget_key] = str(exc)
            raise

    return make
