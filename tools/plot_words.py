#!/usr/bin/python3
"""The CS224N assignment's picture: chosen words' vectors reduced to two dimensions by SVD of the
centred vectors and drawn with their labels. Run with Debian's python3 (python3-matplotlib):

  /usr/bin/python3 tools/plot_words.py runs/sst/sample_vectors.json [-o word_vectors.png]
  /usr/bin/python3 tools/plot_words.py --vectors runs/sst/vectors.txt --words king queen man woman

sample_vectors.json is {"word": [v1, ...], ...} as `w2v train` writes it; a vectors file is
word2vec's text or binary format (as `w2v train` writes it), searched for the listed words (exact
spelling first, then ignoring ASCII case). The PNG goes to -o, by default word_vectors.png beside
the input. Exit status: 0 done, 1 an input could not be read, 2 a usage error.

Labels are placed so that no two overlap and each stays inside the axes (place_labels): each starts
above and to the right of its point, overlapping labels are pushed apart and off the points'
markers until nothing moves, and a label that ends up far from its point gets a faint leader line.
"""
import argparse
import json
import os
import sys

import numpy as np

from matplotlib.text import Text

from plot_common import DPI, plt, save

MARKER_SIZE = 12  # scatter's s: the marker's area in points squared
FONT_SIZE = 10


class InputError(Exception):
    pass


def read_sample(path):
    try:
        with open(path, encoding="utf-8") as f:
            sample = json.load(f)
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}") from e
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}: not JSON ({e.msg})") from e
    if not isinstance(sample, dict) or not sample:
        raise InputError(f'{path}: expected {{"word": [values...], ...}} with at least one word')
    return list(sample.keys()), np.array(list(sample.values()), dtype=np.float64)


def is_text_row(row_start):
    """As w2v's reader decides: a text row holds only number characters after its word."""
    rest = row_start.split(b" ", 1)[1] if b" " in row_start else b""
    rest = rest.split(b"\n", 1)[0]
    return bool(rest) and all(c in b"0123456789.+-eE \t\r" for c in rest)


def read_vectors(path, wanted):
    """The rows of the wanted words from a word2vec text or binary file."""
    try:
        data = open(path, "rb").read()
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}") from e
    header_end = data.find(b"\n")
    try:
        count, dim = (int(x) for x in data[:header_end].split())
    except ValueError:
        raise InputError(f"{path}:1: expected a header of two integers 'COUNT DIM'") from None
    rows = {}
    pos = header_end + 1
    text = is_text_row(data[pos:pos + 4 * dim + 64])
    for row in range(count):
        if text:
            end = data.find(b"\n", pos)
            end = len(data) if end < 0 else end
            fields = data[pos:end].split()
            pos = end + 1
            if len(fields) != dim + 1:
                raise InputError(f"{path}:{row + 2}: expected {dim} values, found {len(fields) - 1}")
            word, values = fields[0], np.array(fields[1:], dtype=np.float64)
        else:
            while pos < len(data) and data[pos:pos + 1] in b" \t\r\n":
                pos += 1
            space = data.find(b" ", pos)
            if space < 0 or space + 1 + 4 * dim > len(data):
                raise InputError(f"{path}: row {row + 1}: truncated")
            word = data[pos:space]
            values = np.frombuffer(data, dtype="<f4", count=dim, offset=space + 1).astype(np.float64)
            pos = space + 1 + 4 * dim
        rows.setdefault(word.decode("utf-8", "replace"), values)
    by_folded = {}
    for word in reversed(list(rows)):
        by_folded[word.lower()] = word
    found, vectors = [], []
    for word in wanted:
        match = word if word in rows else by_folded.get(word.lower())
        if match is None:
            print(f"plot_words: '{word}' is not in {path}; left out", file=sys.stderr)
            continue
        found.append(match)
        vectors.append(rows[match])
    if len(found) < 2:
        raise InputError(f"{path}: fewer than two of the listed words are in it")
    return found, np.array(vectors)


def reduce_to_2d(vectors):
    """Coordinates on the two leading principal axes: SVD of the centred vectors."""
    centred = vectors - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    return centred @ axes[:2].T


def _overlap(lo_a, size_a, lo_b, size_b, pad):
    """How far intervals [lo, lo + size] overlap if they must stay `pad` apart (> 0: they do)."""
    return min(lo_a + size_a, lo_b + size_b) - max(lo_a, lo_b) + pad


def spread_boxes(points, sizes, start, frame, marker_radius, pad=2.0, max_rounds=300):
    """Lower-left corners (pixels) of boxes of the given sizes, moved from `start` until no two
    overlap (at least `pad` apart), none covers a point's marker (a square of half-side
    `marker_radius` + `pad`) where that can be had, and each lies inside `frame` (x0, y0, x1, y1).

    Rounds of pushes: each overlapping pair apart by half the overlap along the axis it overlaps
    less in (the direction from one centre to the other, the lower index going down or left on a
    tie), each box just clear of a marker it covers, then each clamped into the frame; until a round
    moves nothing or `max_rounds` pass. Whatever still overlaps then is moved, in index order, to
    the nearest free place around its point (repair). Deterministic: no randomness, a fixed
    order."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    sizes = np.asarray(sizes, dtype=np.float64).reshape(-1, 2)
    pos = np.array(start, dtype=np.float64).reshape(-1, 2)
    n = len(pos)
    x0, y0, x1, y1 = frame
    lo = np.array([x0 + pad, y0 + pad])
    hi = np.maximum(np.array([x1 - pad, y1 - pad]) - sizes, lo)
    reach = marker_radius + pad

    def clamp():
        np.clip(pos, lo, hi, out=pos)

    clamp()
    for _ in range(max_rounds):
        before = pos.copy()
        for i in range(n):
            for j in range(i + 1, n):
                over = [_overlap(pos[i, a], sizes[i, a], pos[j, a], sizes[j, a], pad)
                        for a in (0, 1)]
                if over[0] <= 0 or over[1] <= 0:
                    continue
                axis = 0 if over[0] < over[1] else 1
                d = (pos[j, axis] + sizes[j, axis] / 2) - (pos[i, axis] + sizes[i, axis] / 2)
                sign = 1.0 if d >= 0 else -1.0  # a tie (d == 0): i goes down or left
                shift = over[axis] / 2 + 1e-3
                pos[i, axis] -= sign * shift
                pos[j, axis] += sign * shift
        for i in range(n):
            for k in range(n):
                over = [_overlap(pos[i, a], sizes[i, a], points[k, a] - reach, 2 * reach, 0.0)
                        for a in (0, 1)]
                if over[0] <= 0 or over[1] <= 0:
                    continue
                axis = 0 if over[0] < over[1] else 1
                d = (pos[i, axis] + sizes[i, axis] / 2) - points[k, axis]
                if d >= 0:  # the box's centre on the far side (or on it): clear the marker upwards
                    pos[i, axis] = points[k, axis] + reach + 1e-3
                else:
                    pos[i, axis] = points[k, axis] - reach - sizes[i, axis] - 1e-3
        clamp()
        if np.max(np.abs(pos - before), initial=0.0) < 1e-3:
            break
    return _repair(pos, points, sizes, lo, hi, reach, pad)


def _hits(corner, size, corners, sizes, pad):
    """Whether the box (corner, size) overlaps any of the boxes (corners, sizes) with `pad`
    between them (numpy arrays, a row a box)."""
    if len(corners) == 0:
        return False
    over = np.minimum(corner + size, corners + sizes) - np.maximum(corner, corners) + pad
    return bool(np.any(np.all(over > 0, axis=1)))


def _boxes_overlap(pos, sizes, i, others, pad):
    """Whether box i overlaps any of the boxes `others` (indices) with `pad` between them."""
    return _hits(pos[i], sizes[i], pos[others], sizes[others], pad)


def _covers_marker(corner, size, points, reach):
    """Whether the box covers a marker: a square of half-side `reach` around any of `points`."""
    return _hits(corner, size, points - reach, np.full_like(points, 2 * reach), 0.0)


def _repair(pos, points, sizes, lo, hi, reach, pad):
    """Each box, in index order, kept if it overlaps none of those before it, or else moved to the
    first free place on rings of growing size around its point: free of the boxes before it, inside
    the frame, and off every marker if any such place is free at all."""
    placed = []
    rounds = int(np.ceil(np.max(hi + sizes - lo) / 3.0)) + 1
    angles = np.radians(np.arange(45, 405, 22.5))  # from the upper right, anticlockwise
    for i in range(len(pos)):
        if not _boxes_overlap(pos, sizes, i, placed, pad):
            placed.append(i)
            continue
        half = sizes[i] / 2
        chosen = None
        for avoid_markers in (True, False):
            for ring in range(rounds):
                for angle in angles:
                    step = half + reach + 3.0 * ring
                    centre = points[i] + step * (np.cos(angle), np.sin(angle))
                    corner = centre - half
                    if np.any(corner < lo - 1e-9) or np.any(corner > hi + 1e-9):
                        continue
                    if avoid_markers and _covers_marker(corner, sizes[i], points, reach):
                        continue
                    pos[i] = corner
                    if not _boxes_overlap(pos, sizes, i, placed, pad):
                        chosen = corner
                        break
                if chosen is not None:
                    break
            if chosen is not None:
                break
        if chosen is None:
            print(f"plot_words: no free place for label {i}; it may overlap another",
                  file=sys.stderr)
        pos[i] = chosen if chosen is not None else np.clip(pos[i], lo, hi)
        placed.append(i)
    return pos


def label_extent(label, renderer):
    """The pixel box of a label's text alone (an Annotation's own extent includes its leader)."""
    return Text.get_window_extent(label, renderer)


def place_labels(axes, words, coords, marker_size=MARKER_SIZE, fontsize=FONT_SIZE, max_rounds=300):
    """Labels `words` at `coords` (data) on `axes`, as annotations none of which overlap another
    and all inside the axes; returns them. Call it when everything else is drawn on the figure:
    it fixes the axes' limits and the figure's layout (tight_layout) and measures in pixels. The
    labels are left out of later layouts, so the tight_layout in plot_common.save keeps the axes
    where they were measured."""
    figure = axes.figure
    coords = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
    axes.set_xlim(axes.get_xlim())  # no autoscaling from here on
    axes.set_ylim(axes.get_ylim())
    figure.tight_layout()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    to_px = figure.dpi / 72.0
    start_offset = 4.0 * to_px  # +4 pt, +4 pt from the point

    sizes = []
    for word, xy in zip(words, coords):
        probe = axes.annotate(word, xy, xytext=(4, 4), textcoords="offset points",
                              fontsize=fontsize, ha="left", va="bottom")
        box = label_extent(probe, renderer)
        sizes.append((box.width, box.height))
        probe.remove()
    points = axes.transData.transform(coords) if len(coords) else np.zeros((0, 2))
    frame = axes.get_window_extent(renderer).extents
    marker_radius = np.sqrt(marker_size) / 2 * to_px
    corners = spread_boxes(points, sizes, points + start_offset, frame, marker_radius,
                           max_rounds=max_rounds)

    labels = []
    for word, xy, point, corner, size in zip(words, coords, points, corners, sizes):
        offset = (corner - point) / to_px  # points, from the point to the lower-left corner
        nearest = np.clip(point, corner, corner + np.asarray(size))
        gap = np.hypot(*(nearest - point)) / to_px
        arrow = None
        if gap > 9.0:  # well beyond the starting offset's 5.7 pt: say which point it names
            relpos = tuple(np.clip((point - corner) / np.maximum(size, 1e-9), 0.0, 1.0))
            arrow = dict(arrowstyle="-", color="0.45", alpha=0.6, lw=0.6, shrinkA=1,
                         shrinkB=marker_radius / to_px + 1, relpos=relpos)
        label = axes.annotate(word, xy, xytext=tuple(offset), textcoords="offset points",
                              fontsize=fontsize, ha="left", va="bottom", arrowprops=arrow,
                              annotation_clip=False)
        label.set_in_layout(False)
        labels.append(label)
    return labels


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sample", nargs="?", help="sample_vectors.json written by w2v train")
    parser.add_argument("--vectors", help="a word2vec text or binary vectors file instead")
    parser.add_argument("--words", nargs="+", help="the words to draw (with --vectors)")
    parser.add_argument("-o", "--output", help="the PNG to write (default: word_vectors.png "
                        "beside the input)")
    args = parser.parse_args()
    if (args.sample is None) == (args.vectors is None):
        parser.error("give sample_vectors.json or --vectors, not both")
    if args.vectors is not None and not args.words:
        parser.error("--vectors needs --words")
    source = args.sample or args.vectors
    output = args.output or os.path.join(os.path.dirname(source), "word_vectors.png")

    try:
        words, vectors = read_sample(source) if args.sample else read_vectors(source, args.words)
    except InputError as e:
        print(f"plot_words: {e}", file=sys.stderr)
        return 1
    coords = reduce_to_2d(vectors)

    figure, axes = plt.subplots(figsize=(8, 6), dpi=DPI)
    axes.scatter(coords[:, 0], coords[:, 1], s=MARKER_SIZE, color="tab:blue")
    axes.set(title=f"{len(words)} word vectors, SVD of the centred vectors",
             xlabel="first singular direction", ylabel="second singular direction")
    axes.grid(True, alpha=0.3)
    axes.margins(x=0.12, y=0.08)  # room for the labels beside the outermost points
    place_labels(axes, words, coords)
    return save(figure, output, "plot_words")


if __name__ == "__main__":
    sys.exit(main())
