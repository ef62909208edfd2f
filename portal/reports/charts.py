"""Charts drawn on the server as inline SVG: no scripts, no style attributes.

Colours and sizes are presentation attributes (fill=, font-size=), which the
Content-Security-Policy allows, so a chart looks the same on screen, on a
phone (it scales by its viewBox) and on paper. Every chart sits next to a
table with the same numbers.
"""

from itertools import count

from markupsafe import Markup, escape

PALETTE = ("#0b5563", "#c2571a", "#5b3f8c", "#2f7d32", "#8a6d00")
# A narrow drawing, so its text stays readable when a phone scales it down.
WIDTH = 420
LABEL_WIDTH = 122
BAR = 18
GAP = 10
FONT = 13
_ids = count(1)


def _number(value):
    return f"{value:,}" if isinstance(value, int) else str(value)


def _open(title, height, summary):
    chart_id = f"chart-{next(_ids)}"
    return [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-labelledby="{chart_id}-t" '
        f'aria-describedby="{chart_id}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>',
    ]


def _legend(series, y, x=LABEL_WIDTH):
    """Colour keys in a row, wrapping to a second row when the first is full."""
    parts, start = [], x
    for index, (name, _values) in enumerate(series):
        width = 30 + 8 * len(name)
        if x + width > WIDTH and x > start:
            x, y = start, y + 18
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{y - 11}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 18}" y="{y}" fill="#1d2327">{escape(name)}</text>'
        )
        x += width
    return parts


def bars(title, labels, series, formatter=_number):
    """Horizontal bars: one group per label, one bar per (name, values) series."""
    per_group = len(series) * BAR + GAP
    top = 24 if len(series) > 1 else 6
    height = top + max(len(labels), 1) * per_group + 6
    largest = max([v for _n, values in series for v in values] + [1])
    span = WIDTH - LABEL_WIDTH - 56
    summary = "; ".join(
        f"{label}: "
        + ", ".join(f"{name} {formatter(values[i])}" for name, values in series)
        for i, label in enumerate(labels)
    )
    parts = _open(title, height, summary)
    if len(series) > 1:
        parts += _legend(series, 16)
    for i, label in enumerate(labels):
        y = top + i * per_group
        middle = y + len(series) * BAR / 2 + 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.0f}" text-anchor="end" '
            f'fill="#1d2327">{escape(_clip(label))}</text>'
        )
        for s, (_name, values) in enumerate(series):
            value = values[i]
            length = round(span * value / largest) if value else 0
            bar_y = y + s * BAR
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{max(length, 1)}" '
                f'height="{BAR - 3}" fill="{PALETTE[s % len(PALETTE)]}"/>'
                f'<text x="{LABEL_WIDTH + length + 5}" y="{bar_y + BAR - 5}" '
                f'fill="#1d2327">{escape(formatter(value))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _clip(label, size=16):
    label = str(label)
    return label if len(label) <= size else label[: size - 1] + "…"


def lines(title, labels, series):
    """A line per (name, values) series over the labels (months), with a grid."""
    height, left, right, top, bottom = 280, 48, 12, 44, 58
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    largest = max([v for _n, values in series for v in values] + [1])
    ceiling = _nice(largest)
    step = plot_w / max(len(labels) - 1, 1)
    summary = "; ".join(
        f"{name}: " + ", ".join(f"{labels[i]} {v}" for i, v in enumerate(values))
        for name, values in series
    )
    parts = _open(title, height, summary)
    parts += _legend(series, 16, x=left)
    for tick in range(5):
        value = ceiling * tick // 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
            f'stroke="#c9d1d6" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="#4f5b62">{_number(value)}</text>'
        )
    for i, label in enumerate(labels):
        x = left + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="end" '
            f'transform="rotate(-40 {x:.1f} {height - bottom + 16})" '
            f'fill="#4f5b62">{escape(label)}</text>'
        )
    for s, (_name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = [
            (left + i * step, top + plot_h - plot_h * v / ceiling)
            for i, v in enumerate(values)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"/>'
        )
        parts += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
            for x, y in points
        ]
    parts.append("</svg>")
    return Markup("".join(parts))


def _nice(value):
    """Round a maximum up to 1, 2 or 5 times a power of ten, for the y axis."""
    power = 1
    while power * 10 <= value:
        power *= 10
    for factor in (1, 2, 5, 10):
        if factor * power >= value:
            return factor * power
    return 10 * power


def money(cents):
    return f"${cents / 100:,.0f}" if cents is not None else "—"
