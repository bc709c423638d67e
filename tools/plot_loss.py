#!/usr/bin/python3
"""Loss curves of one or more training runs from their metrics.jsonl files, e.g. the same config at
1, 2 and 4 threads: loss against words processed (left) and against wall time (right), one line per
run, labelled by its thread count. A run that records the assignment's smoothed loss
(optim.sampling = "random_context") gets that curve too, dashed. Run with Debian's python3
(python3-matplotlib):

  /usr/bin/python3 tools/plot_loss.py runs/t1/metrics.jsonl runs/t2/metrics.jsonl [-o loss.png]

The PNG goes to -o, by default loss.png beside the first metrics file. Exit status: 0 done, 1 a file
could not be read, 2 a usage error.
"""
import argparse
import json
import os
import sys

from plot_common import plt, save


class MetricsError(Exception):
    pass


def read_run(path, metric):
    """The interval records of one run: (words, seconds, loss) lists, the thread count, and the
    (words, seconds, smoothed loss) points of the records that have one."""
    words, seconds, losses, threads = [], [], [], None
    smoothed = ([], [], [])
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        raise MetricsError(f"{path}: {e.strerror}") from e
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise MetricsError(f"{path}:{number}: not a JSON record ({e.msg})") from e
        if not isinstance(record, dict):
            raise MetricsError(f"{path}:{number}: not a JSON object")
        threads = record.get("threads", threads)
        # The last record sums up the whole run: it is not a point of the curve.
        if record.get("final") or record.get(metric) is None:
            continue
        missing = [key for key in ("words", "time_s") if key not in record]
        if missing:
            raise MetricsError(f"{path}:{number}: no {', '.join(missing)}")
        words.append(record["words"])
        seconds.append(record["time_s"])
        losses.append(record[metric])
        if record.get("smoothed_loss") is not None:
            for points, value in zip(smoothed, (record["words"], record["time_s"],
                                                record["smoothed_loss"])):
                points.append(value)
    if not losses:
        raise MetricsError(f"{path}: no records with a {metric}")
    return words, seconds, losses, threads, smoothed


def label(path, threads, paths_by_threads):
    if threads is None:
        return path
    name = f"{threads} thread{'s' if threads != 1 else ''}"
    # Two runs at the same thread count are told apart by their directories.
    if paths_by_threads[threads] > 1:
        name += f" ({os.path.dirname(path) or '.'})"
    return name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("metrics", nargs="+", help="metrics.jsonl files written by w2v train")
    parser.add_argument("-o", "--output", help="the PNG to write (default: loss.png beside the "
                        "first metrics file)")
    parser.add_argument("--metric", default="loss", choices=["loss", "loss_per_pair"],
                        help="which loss to draw (default: loss, the mean loss per window)")
    args = parser.parse_args()
    output = args.output or os.path.join(os.path.dirname(args.metrics[0]), "loss.png")

    try:
        runs = [(path, *read_run(path, args.metric)) for path in args.metrics]
    except MetricsError as e:
        print(f"plot_loss: {e}", file=sys.stderr)
        return 1
    paths_by_threads = {}
    for _, _, _, _, threads, _ in runs:
        paths_by_threads[threads] = paths_by_threads.get(threads, 0) + 1

    figure, (by_words, by_time) = plt.subplots(1, 2, figsize=(12, 4.5))
    for path, words, seconds, losses, threads, smoothed in sorted(
            runs, key=lambda r: (r[4] or 0, r[0])):
        name = label(path, threads, paths_by_threads)
        lines = by_words.plot(words, losses, marker=".", label=name)
        by_time.plot(seconds, losses, marker=".", label=name)
        if smoothed[0] and args.metric == "loss":
            # The assignment's printed `iter N: exploss`, in the same colour as its run.
            style = dict(linestyle="--", color=lines[0].get_color(), label=f"{name}, smoothed")
            by_words.plot(smoothed[0], smoothed[2], **style)
            by_time.plot(smoothed[1], smoothed[2], **style)
    y_label = "mean loss per window" if args.metric == "loss" else "mean loss per pair"
    by_words.set(xlabel="words processed", ylabel=y_label, title="loss against words")
    by_time.set(xlabel="wall time (s)", ylabel=y_label, title="loss against time")
    for axes in (by_words, by_time):
        axes.grid(True, alpha=0.3)
        axes.legend()
    return save(figure, output, "plot_loss")


if __name__ == "__main__":
    sys.exit(main())
