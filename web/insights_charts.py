"""The insights page's charts (issue #24), drawn on the server as SVG by matplotlib.

Each chart is a `Chart`: a standalone SVG document (served at /insights/charts/{name}.svg)
that carries its text alternative as <title> and <desc>, and can be placed inline in the
page. matplotlib is imported on the first chart only (it costs about a second), and figures
are made with matplotlib.figure.Figure, never pyplot, whose global figure list is not safe
across the server's threads. Colours are Okabe and Ito's palette, told apart by people with
any common colour vision deficiency; lines also differ by marker and dash.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
DASHES = ["-", "--", "-.", ":"]
WIDTH = 8.0  # inches at 100 dpi: 800 px, about a laptop column; text stays near 14 px
FONT = 12
MAX_CHART_DEPARTMENTS = 24  # more rows make unreadable charts; the tables list them all


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    description: str  # what the chart shows, in words: its text alternative
    svg: str  # a standalone SVG document

    def inline(self) -> Markup:
        """The <svg> element for the page: without the XML prolog, with ids made unique to
        this chart (matplotlib derives clip-path ids from geometry, so charts may share
        them)."""
        body = self.svg[self.svg.index("<svg") :]
        own = re.escape(f"{self.name}-")  # the title's and desc's ids are already this chart's
        body = re.sub(f' id="(?!{own})', f' id="{self.name}-', body)
        body = body.replace("url(#", f"url(#{self.name}-")
        body = body.replace('xlink:href="#', f'xlink:href="#{self.name}-')
        return Markup(body)  # noqa: S704 - matplotlib escapes its text; ours is escaped below


@functools.cache
def matplotlib_figure():
    """matplotlib's Figure class, configured once: text as <text> (selectable, small, and
    escaped by matplotlib's XML writer), no "$...$" maths in names, and a fixed hash salt so
    the same data draws the same SVG. Process-wide settings, never changed after this."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {"svg.fonttype": "none", "svg.hashsalt": "lessonbase", "text.parse_math": False}
    )
    return Figure


def new_figure(height: float, width: float = WIDTH):
    figure = matplotlib_figure()(figsize=(width, height), dpi=100, layout="constrained")
    return figure, figure.add_subplot()


def to_chart(figure, name: str, title: str, description: str) -> Chart:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return Chart(
        name, title, description, with_text_alternative(buffer.getvalue(), name, title, description)
    )


def with_text_alternative(svg: str, name: str, title: str, description: str) -> str:
    """`svg` with role="img", a <title> and a <desc> (escaped) that screen readers announce."""
    ids = f"{name}-title {name}-desc"
    opening = re.search(r"<svg\b[^>]*>", svg)
    tag = opening.group(0)[:-1] + f' role="img" aria-labelledby={quoteattr(ids)}>'
    alternative = (
        f'<title id="{name}-title">{escape(title)}</title>'
        f'<desc id="{name}-desc">{escape(description)}</desc>'
    )
    return svg[: opening.start()] + tag + alternative + svg[opening.end() :]


def style_axes(axes, xlabel: str = "", ylabel: str = "") -> None:
    axes.set_xlabel(xlabel, fontsize=FONT)
    axes.set_ylabel(ylabel, fontsize=FONT)
    axes.tick_params(labelsize=FONT - 1)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def legend_below(figure, entries: int) -> None:
    """The legend under the axes, on one row up to five entries."""
    columns = entries if entries <= 5 else 4
    figure.legend(loc="outside lower center", ncols=columns, fontsize=FONT - 1, frameon=False)


def rows_height(rows: int, base: float = 1.6, per_row: float = 0.45) -> float:
    return base + per_row * max(rows, 1)


def empty_chart(name: str, title: str, message: str) -> Chart:
    figure, axes = new_figure(1.2)
    axes.axis("off")
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=FONT)
    return to_chart(figure, name, title, message)
