"""Chart pictures through kaleido and Debian's Chromium, and clear errors when they fail."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from exports import images
from exports.images import PNG_SIGNATURE, ImageExportError, figure_image


@pytest.fixture
def fig() -> go.Figure:
    fig = go.Figure(go.Bar(x=["2019/20", "2020/21"], y=[41.5, 38.2], name="Acute share"))
    fig.update_layout(title="Acute share fell from 41.5% to 38.2%")
    return fig


def test_png_is_a_png_of_the_requested_size(fig):
    data = figure_image(fig, "png", width=800, height=450, scale=2)
    assert data.startswith(PNG_SIGNATURE)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1600, 900)


def test_svg_is_an_svg_holding_the_title(fig):
    data = figure_image(fig, "svg")
    assert b"<svg" in data[:500]
    assert b"Acute share fell from 41.5% to 38.2%" in data


def test_debian_chromium_is_used_when_browser_path_is_unset(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(images, "DEBIAN_CHROMIUM", "/usr/bin/chromium")
    assert images.browser_path() == "/usr/bin/chromium"
    assert images.os.environ["BROWSER_PATH"] == "/usr/bin/chromium"


def test_a_missing_browser_says_where_it_looked_and_that_the_csv_remains(fig, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert images.export_problem() == "no Chromium at /nonexistent/chromium (BROWSER_PATH)"
    with pytest.raises(ImageExportError) as caught:
        figure_image(fig, "png")
    assert str(caught.value) == (
        "no Chromium at /nonexistent/chromium (BROWSER_PATH); the CSV is still available"
    )


def test_no_browser_anywhere_names_the_debian_path(fig, monkeypatch, tmp_path):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(images, "DEBIAN_CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ImageExportError, match=r"^no Chromium at .*/chromium \(nor on PATH\)"):
        figure_image(fig, "svg")


def test_a_browser_that_will_not_start_is_reported_not_raised_raw(fig, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/bin/false")
    with pytest.raises(ImageExportError) as caught:
        figure_image(fig, "png")
    message = str(caught.value)
    assert message.startswith("Chromium could not draw the chart as PNG (")
    assert message.endswith("; the CSV is still available")


def test_an_unknown_format_is_refused(fig):
    with pytest.raises(ImageExportError, match="unknown picture format 'jpeg'"):
        figure_image(fig, "jpeg")


def test_a_pdf_page_for_board_packs(fig):
    assert figure_image(fig, "pdf", width=800, height=450, scale=1).startswith(b"%PDF")


def test_pictures_are_made_one_at_a_time(fig, monkeypatch):
    """Kaleido's shared browser cannot tell concurrent callers apart, so calls never overlap."""
    import threading
    import time

    import plotly.io as pio

    active, most = [0], [0]
    guard = threading.Lock()

    def slow(*args, **kwargs):
        with guard:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.05)
        with guard:
            active[0] -= 1
        return PNG_SIGNATURE + b"rest"

    monkeypatch.setattr(pio, "to_image", slow)
    threads = [threading.Thread(target=figure_image, args=(fig, "png")) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1
