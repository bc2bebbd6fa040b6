"""Writes bench/build/RESULTS.md from the raw timings of bench/build/run (stdout).

    python bench/build/results.py bench/out/build/raw-*.tsv --generator BIN --hugo BIN ...
"""

import argparse
import csv
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import machine  # noqa: E402

TOOLS = ["ours", "hugo", "hugo+pagefind", "mdbook"]
NAMES = {"ours": "ours (generator build)", "hugo": "Hugo", "hugo+pagefind": "Hugo + Pagefind", "mdbook": "mdBook"}


def library_stats(n):
    """The synthetic library of bench/out/library/N: its shapes, versions and subsidies."""
    docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "library", str(n), "root", "content", "documents")
    if not os.path.isdir(docs):
        return None
    st = {"sections": 0, "paragraphs": 0, "record": 0, "amending": 0, "versions": 0, "subsidies": 0}
    sizes = []
    for d in sorted(os.listdir(docs)):
        if not d.startswith("syn-"):
            continue
        with open(os.path.join(docs, d, "document.yaml"), encoding="utf-8") as f:
            entry = f.read()
        shape = re.search(r"^shape: (\S+)", entry, re.M).group(1)
        st[shape] = st.get(shape, 0) + 1
        st["amending"] += "\namends:" in entry
        vdir = os.path.join(docs, d, "versions")
        for v in os.listdir(vdir) if os.path.isdir(vdir) else []:
            st["versions"] += 1
            sizes.append(os.path.getsize(os.path.join(vdir, v, "source.txt")))
            with open(os.path.join(vdir, v, "text.yaml"), encoding="utf-8") as f:
                st["subsidies"] += len(re.findall(r"^ +subsidy:", f.read(), re.M))
    st["source"] = statistics.mean(sizes) if sizes else 0
    return st


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw", nargs="+")
    for t in ("generator", "hugo", "pagefind", "mdbook"):
        ap.add_argument(f"--{t}", required=True)
    a = ap.parse_args()
    rows = []
    for path in a.raw:
        with open(path, encoding="utf-8") as f:
            rows += list(csv.DictReader(f, delimiter="\t"))
    sizes = sorted({int(r["size"]) for r in rows})

    def med(size, mode, tool, field):
        xs = [float(r[field]) for r in rows if int(r["size"]) == size and r["mode"] == mode and r["tool"] == tool]
        return statistics.median(xs) if xs else None

    def runs(size):
        return max(int(r["run"]) for r in rows if int(r["size"]) == size)

    out = ["# Build throughput: ours against Hugo, Hugo + Pagefind and mdBook", ""]
    out.append("Written by `bash bench/build/run` (run by hand; see the README's Benchmarks section). "
               "The same synthetic library (`bench/library/generate`: documents made from the real "
               "text's sentences, in both languages, with versions, subsidies, amending documents and "
               "records) is built by our generator as the full site (every page of every document "
               "version, the search index, the data files, the calculator), and written as Markdown "
               "pages for Hugo and mdBook: in each language the pages our generator builds for a "
               "document (its page, its current text, every version's text, what changed against "
               "the version before and, with three versions or more, between any two), plus list "
               "pages, "
               "with templates of similar weight (a base layout with header, nav and footer, a "
               "document page, a list page). Hugo + Pagefind adds Pagefind's index over Hugo's "
               "output, to compare with our build, which includes its search index.")
    out.append("")
    out.append("Runs are interleaved (ours, Hugo, Hugo + Pagefind; which goes first rotates each run), "
               "mdBook's after all the others' (it clears its output folder at each build, and the "
               "files it deletes would slow the next tool's file creation). *Cold*: a fresh output "
               "directory, the previous outputs moved aside (renamed into `bench/out/build/trash`, "
               "deleted when no build is timed, and the timed builds start six minutes after the "
               "last deletion the script knows of: on this machine's ext4, which has no journal, a file "
               "created within minutes of many deletions costs far more, see *Why cold builds were "
               "measured after moving outputs aside* below); *warm*: the previous output in place, "
               "the third build on it (one untimed rebuild before, as an editor's folder after a few "
               "saves: ours reuses the site a build replaces from the second build on; mdBook, which "
               "clears its output at each build, gets none). Times are the "
               "median over the runs: wall clock, and CPU (user + system, which the machine's other "
               "load disturbs less); peak memory is the largest process's maximum resident set "
               "(`/usr/bin/time -f %M`).")
    out.append("")
    out += machine.lines({
        "generator": [a.generator, "--version"],
        "Hugo": [a.hugo, "version"],
        "Pagefind": [a.pagefind, "--version"],
        "mdBook": [a.mdbook, "--version"],
        "rustc": ["rustc", "--version"],
    })
    out.append("")
    out.append("## The libraries")
    out.append("")
    out.append("| documents | sections | paragraphs | of them amending | records | versions issued | subsidies | mean source.txt (bytes) |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        lib = library_stats(n)
        if lib:
            out.append("| {:,} | {sections:,} | {paragraphs:,} | {amending:,} | {record:,} | {versions:,} | {subsidies:,} | {source:,.0f} |".format(n, **lib))
    out.append("")
    load1 = os.getloadavg()[0]
    if load1 > (os.cpu_count() or 1):
        out.append(f"**The machine was shared**: load average {load1:.0f} on {os.cpu_count()} CPUs when "
                   "these tables were written (other builds ran on the same cores), so every wall time "
                   "is inflated and noisy; compare the CPU columns, which the load disturbs far less.")
        out.append("")
    if not any(r["tool"] == "mdbook" for r in rows):
        out.append("mdBook was not measured in these runs (left out with `TOOLS`); "
                   "`bash bench/build/run` installs it (bench/setup-tools) and measures it.")
        out.append("")
    else:
        skipped = [n for n in sizes if not any(r["tool"] == "mdbook" and int(r["size"]) == n for r in rows)]
        if skipped:
            out.append("mdBook was not run at " + ", ".join(f"{n:,}" for n in skipped) + " documents "
                       "(`MDBOOK_UP_TO`, default 1,000): its search index grows with the square of the "
                       "library (2.5 s at 100 documents, 165 s at 1,000), so one run would take about an hour.")
            out.append("")
    verdict = []
    titles = {"warm": "Warm builds", "cold": "Cold builds",
              "cold-deleted": "Cold builds right after deleting every tool's output (`COLD=delete`)"}
    for mode in [m for m in titles if any(r["mode"] == m for r in rows)]:
        out.append(f"## {titles[mode]}")
        out.append("")
        if mode == "cold-deleted":
            out.append("Not a target: the cost of the harness's own deletions, shown to explain why "
                       "cold builds are measured after moving the outputs aside (below).")
            out.append("")
        out.append("| documents | tool | pages (HTML) | wall (s) | CPU (s) | peak memory (MB) | ms of CPU per page |")
        out.append("|---:|---|---:|---:|---:|---:|---:|")
        for n in sizes:
            for t in TOOLS:
                w = med(n, mode, t, "wall_s")
                if w is None:
                    continue
                c = med(n, mode, t, "cpu_s")
                m = med(n, mode, t, "peak_kb") / 1024
                p = med(n, mode, t, "pages")
                out.append(f"| {n:,} | {NAMES[t]} | {p:,.0f} | {w:.2f} | {c:.2f} | {m:.0f} | {1000 * c / max(p, 1):.2f} |")
        out.append("")
        out.append("| documents | runs | ours / Hugo, wall | ours / Hugo, CPU | ours / (Hugo + Pagefind), wall | ours / (Hugo + Pagefind), CPU | ours / mdBook, wall | peak memory ours / Hugo |")
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in sizes:
            o = {f: med(n, mode, "ours", f) for f in ("wall_s", "cpu_s", "peak_kb")}
            h = {f: med(n, mode, "hugo", f) for f in ("wall_s", "cpu_s", "peak_kb")}
            hp = {f: med(n, mode, "hugo+pagefind", f) for f in ("wall_s", "cpu_s")}
            md = med(n, mode, "mdbook", "wall_s")
            if None in h.values():
                continue
            if None in o.values():
                out.append(f"| {n:,} | {runs(n)} | ours not measured | | | | | |")
                continue
            vs_md = f"{o['wall_s'] / md:.2f}" if md else "not measured"
            # Hugo + Pagefind may be left out with TOOLS.
            vs_hp = (f"{o['wall_s'] / hp['wall_s']:.2f} | {o['cpu_s'] / hp['cpu_s']:.2f}"
                     if None not in hp.values() else "not measured | not measured")
            out.append(f"| {n:,} | {runs(n)} | {o['wall_s'] / h['wall_s']:.2f} | {o['cpu_s'] / h['cpu_s']:.2f} | "
                       f"{vs_hp} | {vs_md} | {o['peak_kb'] / h['peak_kb']:.2f} |")
            if mode != "cold-deleted":
                verdict.append((n, mode, o["wall_s"] / h["wall_s"]))
        out.append("")
    out.append("## Faster than Hugo at every size?")
    out.append("")
    slower = [(n, m, r) for n, m, r in verdict if r >= 1]
    if not verdict:
        out.append("No measurement.")
    elif slower:
        out.append("**No.** Our build is slower than Hugo's (wall-clock ratio ours / Hugo ≥ 1) at: "
                   + ", ".join(f"{n:,} documents {m} ({r:.2f}×)" for n, m, r in slower)
                   + ". Our build writes more pages per document than the Hugo site (each version's "
                   "text, the parallel view, what changed, the document page, in both languages, and the "
                   "search index), so the CPU-per-page column is the fairer comparison of rendering speed; "
                   "the target is the same site, which ours misses. Where the time goes is below.")
    else:
        modes = sorted({m for _, m, _ in verdict}, key=("warm", "cold").index)
        out.append("**Yes**: ours / Hugo below 1 at every size measured, " + " and ".join(modes) + ".")
    unmeasured = [n for n in sizes if med(n, "cold", "ours", "wall_s") is None and med(n, "cold", "hugo", "wall_s") is not None]
    if unmeasured:
        out.append("")
        out.append("Ours was not measured at " + ", ".join(f"{n:,}" for n in unmeasured)
                   + " documents (only the other tools, as listed above).")
    out.append("")
    profile = os.path.join(os.path.dirname(os.path.abspath(__file__)), "profile.md")
    if os.path.exists(profile):
        with open(profile, encoding="utf-8") as f:
            out.append(f.read().strip())
        out.append("")
    out.append("## Commands")
    out.append("")
    out.append("```")
    out.append("bash bench/library/generate 100 1000 5000   # the synthetic libraries (bench/out/library/N)")
    out.append("bash bench/build/run 100 1000 5000          # RUNS=k to change the number of runs")
    out.append("# each run, per size (N), as timed:")
    out.append("GENERATOR_ROOT=bench/out/library/N/root target/generator-release/generator build --date 2026-06-01")
    out.append("hugo --quiet -s bench/out/library/N/hugo -d OUT")
    out.append("hugo --quiet -s bench/out/library/N/hugo -d OUT && pagefind_extended --site OUT --quiet")
    out.append("mdbook build bench/out/library/N/mdbook -d OUT")
    out.append("```")
    out.append("")
    out.append("Raw timings: `bench/out/build/raw-N.tsv` (not committed).")
    print("\n".join(out))


if __name__ == "__main__":
    main()
