"""Every page and place in Chromium at two screen sizes: no chart text is cut off or drawn over
another text, and nothing scrolls sideways without saying so.

One page load per (page, place, size). The page is scrolled from top to bottom so every chart
draws, then one function (FIT_CHECK) measures it:

- clipped: a text of a Plotly chart (title, subtitle, axis title, tick label, legend entry,
  annotation, bar label) that reaches outside the chart's SVG, or outside the clip region it is
  drawn in (a bar label clipped at the plot area shows as "58.");
- overlap: two such texts of different elements overlapping by more than OVERLAP pixels both
  ways. Texts of one element (a legend entry, an annotation, a title) are not compared; tick
  labels of one axis are compared with each other only when neither is rotated (a rotated
  label's box is not its ink);
- hidden overflow: an element of the main area that scrolls sideways (scrollWidth past
  clientWidth, overflow auto, scroll or hidden) without a cue: the table's "scroll it sideways"
  caption just above it (ui.data_tables.show_table writes it). A scroll bar is not a cue: many
  systems hide it until the pointer is over the table, and Playwright's Chromium never draws it.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import guard

pytestmark = pytest.mark.e2e

PAGES = ("", "spend", "care-homes", "neighbourhoods", "outcomes", "benchmarks", "data", "about")
PLACES = ("Oldham", "Bolton", "Manchester", "Wirral")
SIZES = {"1440x900": (1440, 900), "1280x720": (1280, 720)}
OVERLAP = 2  # pixels both ways before two texts count as drawn over each other

FIT_CHECK = """
(overlapPx) => {
  const problems = [];
  const main = document.querySelector("[data-testid='stMain']") || document.body;
  const visible = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0.5 && r.height > 0.5;
  };
  const intersect = (a, b) => ({
    left: Math.max(a.left, b.left), right: Math.min(a.right, b.right),
    top: Math.max(a.top, b.top), bottom: Math.min(a.bottom, b.bottom)});
  const clipBox = (el, svg) => {
    // the screen box of every clip-path in force on el (its own and its ancestors')
    let box = null;
    for (let e = el; e && e !== svg.parentElement; e = e.parentElement) {
      const ref = e.getAttribute && e.getAttribute('clip-path');
      if (!ref) continue;
      const m = ref.match(/url\\(['"]?#([^'")]+)['"]?\\)/);
      if (!m) continue;
      const clip = e.ownerDocument.getElementById(m[1]);
      const rect = clip && clip.querySelector('rect');
      if (!rect || !e.getScreenCTM) continue;
      const ctm = e.getScreenCTM();
      const x = rect.x.baseVal.value, y = rect.y.baseVal.value;
      const w = rect.width.baseVal.value, h = rect.height.baseVal.value;
      const pts = [[x, y], [x + w, y + h]].map(([px, py]) => {
        const p = new DOMPoint(px, py).matrixTransform(ctm);
        return [p.x, p.y];
      });
      const r = {left: Math.min(pts[0][0], pts[1][0]), right: Math.max(pts[0][0], pts[1][0]),
                 top: Math.min(pts[0][1], pts[1][1]), bottom: Math.max(pts[0][1], pts[1][1])};
      box = box ? intersect(box, r) : r;
    }
    return box;
  };
  // tick labels of every axis of up to four subplots (xtick, x2tick, ... y4tick)
  const TICKS = ['', '2', '3', '4'].flatMap((n) => [`.x${n}tick`, `.y${n}tick`]).join(', ');
  const OWNERS = '.g-gtitle, .g-xtitle, .g-ytitle, .g-x2title, .g-y2title, .annotation, ' +
    '.legend .traces, .legendtitletext, ' + TICKS + ', .point, .textpoint, ' +
    '.g-colorbar, .slice';
  const kindOf = (el) => {
    if (el.closest('.gtitle, .g-gtitle')) return 'title';
    if (el.closest('.annotation')) return 'annotation';
    if (el.closest('.legend')) return 'legend';
    const tick = el.closest(TICKS);
    if (tick) return 'tick';
    if (el.closest('.g-xtitle, .g-ytitle, .g-x2title, .g-y2title')) return 'axis title';
    if (el.closest('.textpoint, .point, .trace')) return 'bar or point label';
    return 'text';
  };
  const axisOf = (el) => {
    const layer = el.closest('.xaxislayer-above, .yaxislayer-above, .xaxislayer-below, .yaxislayer-below');
    const sub = el.closest('.subplot');
    return (sub ? sub.getAttribute('class') : '') + '|' + (layer ? layer.getAttribute('class') : '');
  };
  const rotated = (el) => {
    for (let e = el; e && e.tagName !== 'svg'; e = e.parentElement) {
      const t = e.getAttribute && e.getAttribute('transform');
      if (t && /rotate\\((?!0[,) ])/.test(t) && !/rotate\\(0\\)/.test(t)) return true;
    }
    return false;
  };
  const label = (t) => `${t.kind} "${t.text.slice(0, 60)}"`;
  const charts = [...document.querySelectorAll('.js-plotly-plot')];
  charts.forEach((plot, index) => {
    const svgs = [...plot.querySelectorAll('.main-svg')];
    if (!svgs.length) return;
    const box = svgs[0].getBoundingClientRect();
    const title = (plot.querySelector('.gtitle') || {}).textContent || '';
    const chart = `chart ${index + 1} "${title.slice(0, 70)}"`;
    const texts = [];
    svgs.forEach((svg) => svg.querySelectorAll('text').forEach((el) => {
      if (el.closest('.hoverlayer, .modebar, .menulayer, defs')) return;
      const text = el.textContent.trim();
      if (!text || !visible(el)) return;
      const r = el.getBoundingClientRect();
      const owner = el.closest(OWNERS) || el;
      texts.push({el, text, r, owner, kind: kindOf(el), axis: axisOf(el),
                  rotated: rotated(el), clip: clipBox(el, svg)});
    }));
    for (const t of texts) {
      const out = [];
      if (t.r.left < box.left - 1) out.push(`${Math.round(box.left - t.r.left)}px left`);
      if (t.r.right > box.right + 1) out.push(`${Math.round(t.r.right - box.right)}px right`);
      if (t.r.top < box.top - 1) out.push(`${Math.round(box.top - t.r.top)}px top`);
      if (t.r.bottom > box.bottom + 1) out.push(`${Math.round(t.r.bottom - box.bottom)}px bottom`);
      if (t.clip) {
        const c = t.clip;
        if (t.r.left < c.left - 1 || t.r.right > c.right + 1 ||
            t.r.top < c.top - 1 || t.r.bottom > c.bottom + 1) out.push('past its clip region');
      }
      if (out.length) problems.push(`clipped: ${chart}: ${label(t)} cut ${out.join(', ')}`);
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i], b = texts[j];
        if (a.owner === b.owner || a.owner.contains(b.el) || b.owner.contains(a.el)) continue;
        if (a.kind === 'tick' && b.kind === 'tick' && a.axis === b.axis &&
            (a.rotated || b.rotated)) continue;
        const o = intersect(a.r, b.r);
        const w = o.right - o.left, h = o.bottom - o.top;
        if (w > overlapPx && h > overlapPx) {
          problems.push(`overlap: ${chart}: ${label(a)} and ${label(b)} ` +
                        `overlap ${Math.round(w)}x${Math.round(h)}px`);
        }
      }
    }
  });
  // (c) sideways scrolling without a cue
  const CUE = /scroll[^.]*sideways/i;
  const cueAbove = (el) => {
    for (let e = el.previousElementSibling, k = 0; e && k < 2; e = e.previousElementSibling, k++) {
      if (CUE.test(e.innerText || '')) return true;  // a cue drawn with the element
    }
    let block = el.closest("[data-testid='stElementContainer'], .element-container");
    for (let k = 0; block && k < 3; k++) {
      block = block.previousElementSibling;
      if (block && CUE.test(block.innerText || '')) return true;
    }
    return false;
  };
  main.querySelectorAll('*').forEach((el) => {
    if (el.closest('.js-plotly-plot')) return;
    const s = getComputedStyle(el);
    if (!['auto', 'scroll', 'hidden'].includes(s.overflowX)) return;
    if (el.scrollWidth <= el.clientWidth + 2 || !visible(el)) return;
    if (el.clientWidth < 4 || el.clientHeight < 4) return;  // visually hidden (screen readers)
    const frame = el.closest("[data-testid='stDataFrame'], [data-testid='stTable']");
    if (cueAbove(el)) return;
    const metric = el.closest("[data-testid='stMetric']");
    const where = metric ? 'tile (text cut at its right)' : frame ? 'dataframe' : (el.getAttribute('data-testid') || el.tagName.toLowerCase() +
      (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''));
    const head = (el.innerText || (frame && frame.innerText) || '').trim().split('\\n')[0].slice(0, 60);
    problems.push(`hidden overflow: ${where} "${head}" is ${el.scrollWidth}px wide in ` +
                  `${el.clientWidth}px, overflow-x ${s.overflowX}, no 'scroll sideways' caption above it`);
  });
  return problems;
}
"""

SCROLL_STEP = """
() => {
  const main = document.querySelector("[data-testid='stMain']");
  const before = main.scrollTop;
  main.scrollTop = before + main.clientHeight * 0.8;
  return main.scrollTop > before;
}
"""

SETTLED = (
    "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
    " && !document.querySelector(\"[data-testid='stSkeleton']\")"
    " && document.querySelector('h1')"
)


@pytest.fixture(scope="module")
def sized_pages(browser):
    """One page per screen size, reused across pages and places; no request leaves the machine."""
    pages: dict[str, object] = {}
    contexts = []
    outside: list[str] = []

    def get(size: str):
        if size not in pages:
            width, height = SIZES[size]
            context = browser.new_context(viewport={"width": width, "height": height})
            contexts.append((context, guard(context)))
            pages[size] = context.new_page()
        return pages[size]

    yield get
    for context, left in contexts:
        outside.extend(left)
        context.close()
    assert not outside, f"a page asked for resources off this machine: {sorted(set(outside))[:5]}"


def load_and_scroll(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_function(SETTLED, timeout=60_000)
    page.wait_for_timeout(500)
    page.wait_for_function(SETTLED, timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0, f"{url}: exception box"
    for _ in range(40):  # down the page so every chart draws at its place
        moved = page.evaluate(SCROLL_STEP)
        page.wait_for_timeout(250)
        if not moved:
            break
    page.wait_for_function(SETTLED, timeout=60_000)
    # every chart drawn: each plot has its SVG
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(p => p.querySelector('.main-svg'))",
        timeout=30_000,
    )
    page.wait_for_timeout(600)  # Plotly's automargin redraw


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("path", PAGES, ids=[p or "overview" for p in PAGES])
def test_no_text_is_clipped_or_overlapping_and_no_hidden_overflow(
    sized_pages, app_url, path, place, size
):
    page = sized_pages(size)
    load_and_scroll(page, f"{app_url}/{path}?place={place}")
    problems = page.evaluate(FIT_CHECK, OVERLAP)
    where = f"/{path}?place={place} at {size}"
    assert not problems, f"{where}: {len(problems)} problems:\n" + "\n".join(problems)
