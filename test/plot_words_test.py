#!/usr/bin/python3
"""tools/plot_words.py's labels: none overlaps another and all lie inside the axes, with two words
at one point (king and queen) and a dense cluster of fifteen, measured in the pixels of the PNG;
the placement is deterministic; and the script writes a PNG from sample_vectors.json and from a
text and a binary vectors file, keeping its exit statuses. CTest runs it with Debian's python3:

  /usr/bin/python3 test/plot_words_test.py [SOURCE_DIR]   (exit status 0: passed, 1: failed)

tools/setup.sh installs python3-matplotlib and python3-numpy, so a missing module fails the test
rather than skipping it (as test/eval_test.cc's PythonImports does)."""
import io
import os
import struct
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

SOURCE_DIR = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else
                             os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
TOOLS = os.path.join(SOURCE_DIR, "tools")
sys.path.insert(0, TOOLS)
try:
    import numpy as np
    import plot_words
    from plot_common import DPI, plt, save
except ImportError as e:
    print(f"/usr/bin/python3 cannot import {e.name}: install Debian's python3-matplotlib and "
          "python3-numpy (tools/setup.sh does)", file=sys.stderr)
    sys.exit(1)

CLUSTER = ["great", "cool", "brilliant", "wonderful", "well", "amazing", "worth", "sweet",
           "enjoyable", "boring", "bad", "dumb", "annoying", "hilarious", "unforgettable"]


def crowded_picture():
    """Words and 2-D coordinates: king and queen at one point, fifteen words within 0.3% of the
    range of another, and a few spread out, one at each corner of the data."""
    rng = np.random.default_rng(17)
    words = ["king", "queen"] + CLUSTER + ["man", "woman", "coffee", "tea"]
    coords = np.vstack([[[0.2, 0.1], [0.2, 0.1]],
                        0.5 + 0.003 * rng.standard_normal((len(CLUSTER), 2)),
                        [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
    return words, coords


def draw(words, coords, path):
    """The picture as plot_words.main draws it, saved to `path`; the figure, axes and labels."""
    figure, axes = plt.subplots(figsize=(8, 6), dpi=DPI)
    axes.scatter(coords[:, 0], coords[:, 1], s=plot_words.MARKER_SIZE)
    axes.set(title="t", xlabel="x", ylabel="y")
    axes.margins(x=0.12, y=0.08)
    labels = plot_words.place_labels(axes, words, coords)
    placed_axes = axes.get_position().bounds
    with redirect_stdout(io.StringIO()):
        assert save(figure, path, "plot_words_test") == 0
    return figure, axes, labels, placed_axes


def intersect(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def inside(box, frame):
    return (box.x0 >= frame.x0 and box.x1 <= frame.x1 and
            box.y0 >= frame.y0 and box.y1 <= frame.y1)


class LabelPlacementTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.addCleanup(plt.close, "all")

    def check_layout(self, figure, axes, labels, words):
        """No two labels' text boxes intersect, each lies inside the axes and the figure, and each
        is drawn: measured with the renderer the PNG was saved with."""
        renderer = figure.canvas.get_renderer()
        self.assertEqual(renderer.dpi, DPI)
        boxes = [plot_words.label_extent(label, renderer) for label in labels]
        self.assertEqual([label.get_text() for label in labels], words)
        frame = axes.get_window_extent(renderer)
        page = figure.bbox
        for i, box in enumerate(boxes):
            self.assertTrue(box.width > 0 and box.height > 0, words[i])
            self.assertTrue(inside(box, frame), f"'{words[i]}' {box} outside the axes {frame}")
            self.assertTrue(inside(box, page), f"'{words[i]}' {box} outside the figure {page}")
            for j in range(i):
                self.assertFalse(intersect(box, boxes[j]),
                                 f"'{words[i]}' {box} overlaps '{words[j]}' {boxes[j]}")
        return boxes

    def test_king_and_queen_at_one_point_and_a_dense_cluster(self):
        words, coords = crowded_picture()
        path = os.path.join(self.dir.name, "crowded.png")
        figure, axes, labels, placed_axes = draw(words, coords, path)
        # save()'s tight_layout leaves the axes where the labels were placed.
        np.testing.assert_allclose(axes.get_position().bounds, placed_axes, atol=1e-12)
        boxes = self.check_layout(figure, axes, labels, words)
        # The two labels of one point are stacked beside it, close enough to read as its own.
        point = axes.transData.transform(coords[0])
        for box in boxes[:2]:
            self.assertLess(np.hypot(box.x0 - point[0], (box.y0 + box.y1) / 2 - point[1]), 40)
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_placement_is_deterministic(self):
        words, coords = crowded_picture()
        offsets = []
        for name in ("a.png", "b.png"):
            _, _, labels, _ = draw(words, coords, os.path.join(self.dir.name, name))
            offsets.append([label.xyann for label in labels])
        self.assertEqual(offsets[0], offsets[1])

    def test_repair_alone_separates_every_box(self):
        # No pushing rounds at all: the repair pass must still leave no two boxes overlapping.
        n = 40
        points = np.tile([[300.0, 200.0]], (n, 1)) + np.arange(n)[:, None] * 0.25
        sizes = np.tile([[60.0, 17.0]], (n, 1))
        frame = (0.0, 0.0, 800.0, 600.0)
        for rounds in (0, 300):
            corners = plot_words.spread_boxes(points, sizes, points + 6.7, frame, 3.0,
                                              max_rounds=rounds)
            for i in range(n):
                self.assertTrue(np.all(corners[i] >= 0))
                self.assertTrue(np.all(corners[i] + sizes[i] <= [800, 600]))
                for j in range(i):
                    over = np.minimum(corners[i] + sizes[i], corners[j] + sizes[j]) - \
                        np.maximum(corners[i], corners[j])
                    self.assertFalse(np.all(over > -2.0 + 1e-9), f"rounds {rounds}: {i} and {j}")

    def test_the_script_places_labels_end_to_end(self):
        # main() itself, in this process, so its figure can be measured after it is saved.
        sample = os.path.join(self.dir.name, "sample_vectors.json")
        words, _ = crowded_picture()
        rng = np.random.default_rng(3)
        vectors = {w: [round(float(v), 6) for v in rng.standard_normal(10)] for w in words}
        vectors["queen"] = vectors["king"]  # at one point after the SVD, too
        for w in CLUSTER:
            vectors[w] = [round(v + 1e-4 * float(e), 6)
                          for v, e in zip(vectors["great"], rng.standard_normal(10))]
        with open(sample, "w", encoding="utf-8") as f:
            f.write("{" + ", ".join(f'"{w}": {v}' for w, v in vectors.items()) + "}\n")
        output = os.path.join(self.dir.name, "main.png")
        argv = sys.argv
        sys.argv = ["plot_words.py", sample, "-o", output]
        try:
            with redirect_stdout(io.StringIO()):
                self.assertEqual(plot_words.main(), 0)
        finally:
            sys.argv = argv
        figure = plt.gcf()
        axes = figure.axes[0]
        labels = [t for t in axes.texts]
        self.check_layout(figure, axes, labels, list(vectors))


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def run_tool(self, *args):
        return subprocess.run([sys.executable, os.path.join(TOOLS, "plot_words.py"), *args],
                              capture_output=True, text=True, timeout=120)

    def file(self, name):
        return os.path.join(self.dir.name, name)

    def assert_png(self, path):
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", path)

    def test_sample_json_beside_the_input(self):
        with open(self.file("sample_vectors.json"), "w", encoding="utf-8") as f:
            f.write('{"king": [1, 0.5, 0.1], "queen": [1, 0.5, 0.1], "apple": [0, 0, 1]}\n')
        run = self.run_tool(self.file("sample_vectors.json"))
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assert_png(self.file("word_vectors.png"))

    def test_text_and_binary_vectors_files(self):
        rows = {"man": [1, 0, 0.2], "woman": [0.9, 0.1, 0.3], "king": [0.5, 0.5, 0.5],
                "queen": [0.5, 0.5, 0.5], "Apple": [0, 1, -1]}
        with open(self.file("vectors.txt"), "w", encoding="utf-8") as f:
            f.write(f"{len(rows)} 3\n")
            for word, values in rows.items():
                f.write(word + " " + " ".join(str(v) for v in values) + "\n")
        with open(self.file("vectors.bin"), "wb") as f:
            f.write(f"{len(rows)} 3\n".encode())
            for word, values in rows.items():
                f.write(word.encode() + b" " + struct.pack("<3f", *values) + b"\n")
        for name in ("vectors.txt", "vectors.bin"):
            out = self.file(name + ".png")
            run = self.run_tool("--vectors", self.file(name), "--words", "man", "WOMAN", "king",
                                "queen", "apple", "unicorn", "-o", out)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("'unicorn' is not in", run.stderr)
            self.assert_png(out)

    def test_exit_statuses(self):
        self.assertEqual(self.run_tool("--vectors", self.file("none.bin")).returncode, 2)
        self.assertEqual(self.run_tool(self.file("missing.json")).returncode, 1)


if __name__ == "__main__":
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
