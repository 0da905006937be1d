import plotly.graph_objects as go

from charts.common import finish_figure, source_text
from charts.theme import format_gbp_m, format_pct


def test_source_text_names_source_date_status_and_licence():
    text = source_text("CQC ratings", "31 Mar 2019", synthetic="partly", map_=True)
    assert text.startswith("Source: CQC ratings · As at 31 Mar 2019 · Partly synthetic data<br>")
    assert "Open Government Licence v3.0" in text and "Contains OS data" in text
    assert "Synthetic" not in source_text("ONS", None)


def test_finish_figure_sets_title_axes_and_footer():
    fig = finish_figure(
        go.Figure(go.Bar(x=["2019/20"], y=[1.0])),
        title="Acute share fell from 52% to 47%",
        source="Placewise synthetic spend",
        as_at="2024/25",
        synthetic=True,
        x_title="Financial year",
        y_title="Spend (£m)",
    )
    assert fig.layout.title.text == "Acute share fell from 52% to 47%"
    assert fig.layout.yaxis.title.text == "Spend (£m)"
    assert "Synthetic data" in fig.layout.annotations[0].text
    assert fig.layout.template.layout.colorway[0] == "#005EB8"


def test_number_formats():
    assert format_gbp_m(430_123_456) == "£430.1m"
    assert format_gbp_m(-12_340_000) == "-£12.3m"
    assert format_gbp_m(1_234_500_000) == "£1,234.5m"
    assert format_pct(52.06) == "52.1%"
    assert format_pct(None) == "n/a"
