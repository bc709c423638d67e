#!/usr/bin/python3
"""Tables of the benchmark harnesses, from the run directories they leave behind. Run with Debian's
python3 by tools/scaling.sh and tools/compare_peers.sh, which document the layouts:

  /usr/bin/python3 tools/bench_report.py scaling DIR --threads 1,2 --rounds 3
  /usr/bin/python3 tools/bench_report.py peers DIR

Each writes DIR/<name>.json and DIR/<name>.md and prints the Markdown. Exit status: 0 done, 1 a run's
files are missing or malformed.
"""
import argparse
import json
import os
import re
import statistics
import sys


class ReportError(Exception):
    pass


def read_time(path):
    """Whole-process wall seconds and peak RSS (MB) from the output of `/usr/bin/time -v`."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        raise ReportError(f"{path}: {e.strerror}") from e
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if not wall or not rss:
        raise ReportError(f"{path}: not the output of /usr/bin/time -v")
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return seconds, int(rss.group(1)) / 1024


def read_summary(path):
    """The last record of a w2v metrics.jsonl: the run's summary ("final" or "interrupted")."""
    try:
        lines = [line for line in open(path, encoding="utf-8").read().splitlines() if line.strip()]
    except OSError as e:
        raise ReportError(f"{path}: {e.strerror}") from e
    summary = json.loads(lines[-1]) if lines else {}
    if not (summary.get("final") or summary.get("interrupted")):
        raise ReportError(f"{path}: the last record is not a run's summary")
    return summary


def read_analogy(path):
    """3CosAdd accuracy (%) of `w2v eval analogy`'s total, semantic and syntactic lines."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        raise ReportError(f"{path}: {e.strerror}") from e
    accuracy = {}
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] in ("total", "semantic", "syntactic"):
            percents = [f for f in fields if f.endswith("%")]
            if percents:
                accuracy[fields[0]] = float(percents[0].rstrip("%"))
    if "total" not in accuracy:
        raise ReportError(f"{path}: no total accuracy")
    return accuracy


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def number(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write(directory, name, data, markdown):
    with open(os.path.join(directory, name + ".json"), "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)
        out.write("\n")
    with open(os.path.join(directory, name + ".md"), "w", encoding="utf-8") as out:
        out.write(markdown)
    sys.stdout.write(markdown)


def independent_runs(directory, threads, rounds, alone):
    """For each thread count T > 1, the T one-thread runs of each round that ran at once
    (i<T>_r<R>/p<K>): their words/s in total and per process, and that against one run alone."""
    rows = []
    for t in threads:
        if t < 2:
            continue
        totals, per_process = [], []
        for r in range(1, rounds + 1):
            rates = []
            for k in range(1, t + 1):
                summary = read_summary(os.path.join(directory, f"i{t}_r{r}", f"p{k}",
                                                    "metrics.jsonl"))
                rates.append(summary["words"] / summary["time_s"])
            totals.append(sum(rates))
            per_process.append(statistics.mean(rates))
        row = {"threads": t, "words_per_sec": median(totals),
               "words_per_sec_per_process": median(per_process)}
        row["per_process_against_alone"] = (row["words_per_sec_per_process"] / alone
                                            if alone else None)
        rows.append(row)
    return rows


def scaling(directory, threads, rounds, independent=False):
    runs = []
    for r in range(1, rounds + 1):
        for t in threads:
            run = os.path.join(directory, f"t{t}_r{r}")
            summary = read_summary(os.path.join(run, "metrics.jsonl"))
            wall_s, rss_mb = read_time(os.path.join(run, "time.txt"))
            train_s = summary["time_s"]
            runs.append({
                "threads": t, "round": r, "dir": run,
                "status": "final" if summary.get("final") else "interrupted",
                "wall_s": wall_s, "train_s": train_s, "words": summary["words"],
                "words_per_sec": summary["words"] / train_s,
                "words_per_sec_per_thread": summary["words"] / train_s / t,
                "kept_words": summary["kept_words"],
                "effective_words_per_sec": summary["kept_words"] / train_s,
                "peak_rss_mb": rss_mb, "final_loss": summary["loss"],
            })
    medians = []
    for t in threads:
        mine = [run for run in runs if run["threads"] == t]
        medians.append({key: median([run[key] for run in mine]) for key in (
            "wall_s", "train_s", "words_per_sec", "words_per_sec_per_thread",
            "effective_words_per_sec", "peak_rss_mb", "final_loss")} | {"threads": t})
    # Speed-up of training words/s against the fewest threads measured (1 thread when listed).
    base = medians[0]
    for m in medians:
        m["speedup"] = m["words_per_sec"] / base["words_per_sec"]
        m["efficiency"] = m["speedup"] * base["threads"] / m["threads"]

    median_note = f"medians of {rounds} rounds; " if rounds > 1 else ""
    markdown = (f"Training words/s = words trained ÷ training seconds (w2v's metrics.jsonl); "
                f"effective = words kept after subsampling ÷ the same seconds; wall = whole process; "
                f"{median_note}speed-up and efficiency against {base['threads']} "
                f"thread{'s' if base['threads'] != 1 else ''}.\n\n")
    markdown += table(
        ["threads", "wall s", "training s", "words/s", "words/s per thread", "effective words/s",
         "speed-up", "efficiency", "peak RSS MB", "final loss"],
        [[str(m["threads"]), number(m["wall_s"], 2), number(m["train_s"], 2),
          number(m["words_per_sec"]), number(m["words_per_sec_per_thread"]),
          number(m["effective_words_per_sec"]), f"{m['speedup']:.2f}×",
          f"{100 * m['efficiency']:.0f}%", number(m["peak_rss_mb"]), number(m["final_loss"], 4)]
         for m in medians])
    data = {"runs": runs, "medians": medians}
    if independent:
        alone = next((m["words_per_sec"] for m in medians if m["threads"] == 1), None)
        data["independent"] = independent_runs(directory, threads, rounds, alone)
        hogwild = {m["threads"]: m["words_per_sec"] for m in medians}
        markdown += ("\nThe baseline: T independent one-thread runs at once (nothing shared), "
                     f"{median_note}against one one-thread run alone and against the T-thread run.\n\n")
        markdown += table(
            ["T", "words/s, all T runs", "words/s per run", "per run / one run alone",
             "T-thread run / all T runs"],
            [[str(i["threads"]), number(i["words_per_sec"]), number(i["words_per_sec_per_process"]),
              "–" if i["per_process_against_alone"] is None
              else f"{100 * i['per_process_against_alone']:.0f}%",
              f"{100 * hogwild[i['threads']] / i['words_per_sec']:.0f}%"]
             for i in data["independent"]])
    write(directory, "scaling", data, markdown)


# How each tool's throughput is timed, for the table's notes.
TIMING = {
    "w2v": "training (metrics.jsonl)",
    "fasttext": "whole process",
    "gensim": "train() call",
    "word2vec": "whole process",
    "pword2vec": "its training rate (Words/sec)",
}


def read_pword2vec_rate(path):
    """pWord2Vec's last `Words/sec: N.NNk` (its rate over the training so far, vocabulary excluded),
    in words per second."""
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError as e:
        raise ReportError(f"{path}: {e.strerror}") from e
    rates = re.findall(r"Words/sec: ([0-9.]+)k", text)
    if not rates:
        raise ReportError(f"{path}: no Words/sec figure")
    return float(rates[-1]) * 1000


def peers(directory):
    try:
        settings = json.load(open(os.path.join(directory, "settings.json"), encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ReportError(f"{directory}/settings.json: {e}") from e
    words = settings["corpus_words"] * settings["epochs"]
    threads = settings["threads"]
    round_dirs = sorted((d for d in os.listdir(directory) if re.fullmatch(r"r\d+", d)),
                        key=lambda d: int(d[1:]))
    if not round_dirs:
        raise ReportError(f"{directory}: no rounds (r1, r2, ...)")
    runs = []
    for round_dir in round_dirs:
        for tool in settings["tools"]:
            run = os.path.join(directory, round_dir, tool)
            wall_s, rss_mb = read_time(os.path.join(run, "time.txt"))
            if tool == "w2v":
                train_s = read_summary(os.path.join(run, "metrics.jsonl"))["time_s"]
            elif tool == "gensim":
                train_s = json.load(open(os.path.join(run, "timing.json"), encoding="utf-8"))["train_s"]
            elif tool == "pword2vec":
                train_s = words / read_pword2vec_rate(os.path.join(run, "train.log"))
            else:
                train_s = wall_s
            runs.append({"tool": tool, "round": int(round_dir[1:]), "dir": run, "train_s": train_s,
                         "wall_s": wall_s, "words_per_sec": words / train_s,
                         "words_per_sec_per_thread": words / train_s / threads,
                         "peak_rss_mb": rss_mb,
                         "analogy": read_analogy(os.path.join(run, "analogy.txt"))})
    medians = {}
    for tool in settings["tools"]:
        mine = [run for run in runs if run["tool"] == tool]
        medians[tool] = {key: median([run[key] for run in mine]) for key in (
            "train_s", "wall_s", "words_per_sec", "words_per_sec_per_thread", "peak_rss_mb")}
        medians[tool]["analogy_last_round"] = mine[-1]["analogy"]
    w2v = medians["w2v"]["words_per_sec"]
    for tool in settings["tools"]:
        medians[tool]["w2v_ratio"] = w2v / medians[tool]["words_per_sec"]

    rows = []
    for tool in settings["tools"]:
        m = medians[tool]
        a = m["analogy_last_round"]
        rows.append([tool, TIMING[tool], number(m["train_s"], 2), number(m["words_per_sec"]),
                     number(m["words_per_sec_per_thread"]), f"{m['w2v_ratio']:.2f}×",
                     number(m["wall_s"], 2), number(m["peak_rss_mb"]),
                     f"{a['total']:.2f}% ({number(a.get('semantic'), 2)} / "
                     f"{number(a.get('syntactic'), 2)})"])
    markdown = (f"{settings['epochs']} epoch{'s' if settings['epochs'] != 1 else ''}, {threads} "
                f"thread{'s' if threads != 1 else ''}, medians of {len(round_dirs)} round"
                f"{'s' if len(round_dirs) != 1 else ''}. words/s = {settings['corpus_words']:,} "
                f"corpus words × epochs ÷ the seconds timed; analogy: `w2v eval analogy`, 3CosAdd, "
                f"total (semantic / syntactic), the last round's vectors.\n\n")
    markdown += table(["tool", "timed", "seconds", "words/s", "words/s per thread", "w2v / tool",
                       "whole process s", "peak RSS MB", "analogy"], rows)
    write(directory, "peers", {"settings": settings, "runs": runs, "medians": medians}, markdown)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    scaling_parser = commands.add_parser("scaling", help="the table of tools/scaling.sh")
    scaling_parser.add_argument("directory")
    scaling_parser.add_argument("--threads", required=True, help="comma-separated thread counts")
    scaling_parser.add_argument("--rounds", type=int, required=True)
    scaling_parser.add_argument("--independent", action="store_true",
                                help="also report the i<T>_r<R>/p<K> runs (scaling.sh --independent)")
    peers_parser = commands.add_parser("peers", help="the table of tools/compare_peers.sh")
    peers_parser.add_argument("directory")
    args = parser.parse_args()
    try:
        if args.command == "scaling":
            scaling(args.directory, [int(t) for t in args.threads.split(",")], args.rounds,
                    args.independent)
        else:
            peers(args.directory)
    except (ReportError, KeyError, ValueError) as e:
        print(f"bench_report: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
