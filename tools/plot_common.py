"""What tools/plot_loss.py and tools/plot_words.py share: matplotlib on the Agg backend (no display)
and how a figure is saved and reported."""
import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")  # no display: draw straight to a file
import matplotlib.pyplot as plt  # noqa: E402,F401 (after the backend is chosen; re-exported)

DPI = 120  # the PNGs' resolution; a figure made at it is measured in the pixels it is saved in


def save(figure, output, program):
    """Writes `figure` to the PNG `output`; the exit status: 0, or 1 with a message."""
    figure.tight_layout()
    # Through a temporary file and a rename, as every file w2v writes: an existing picture is
    # replaced whole or not at all.
    directory = os.path.dirname(os.path.abspath(output))
    try:
        fd, temporary = tempfile.mkstemp(prefix=os.path.basename(output) + ".", suffix=".tmp",
                                         dir=directory)
    except OSError as e:
        print(f"{program}: {output}: {e.strerror}", file=sys.stderr)
        return 1
    try:
        with os.fdopen(fd, "wb") as f:
            figure.savefig(f, dpi=DPI, format="png")
        os.chmod(temporary, 0o644)
        os.replace(temporary, output)
    except OSError as e:
        os.unlink(temporary)
        print(f"{program}: {output}: {e.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {output}")
    return 0
