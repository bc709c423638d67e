"""What tools/plot_loss.py and tools/plot_words.py share: matplotlib on the Agg backend (no display)
and how a figure is saved and reported."""
import sys

import matplotlib

matplotlib.use("Agg")  # no display: draw straight to a file
import matplotlib.pyplot as plt  # noqa: E402,F401 (after the backend is chosen; re-exported)


def save(figure, output, program):
    """Writes `figure` to the PNG `output`; the exit status: 0, or 1 with a message."""
    figure.tight_layout()
    try:
        figure.savefig(output, dpi=120)
    except OSError as e:
        print(f"{program}: {output}: {e.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {output}")
    return 0
