"""Synthetic libraries for the build benchmarks: N documents made from the real text's sentences.

    python3 bench/library/generate.py N OUT [--seed S]   (bench/library/generate sets up Python)

Writes, from one seeded pseudo-random sequence (the same N and seed give the same bytes):
  OUT/root/    a project root for `GENERATOR_ROOT=OUT/root generator build`: content/ (a copy of
               the real content/ with N synthetic documents added to documents/) and themes/ (a
               symlink to the checkout's themes/)
  OUT/hugo/    the same documents as Markdown pages for Hugo: in each language the pages our
               generator builds for a document (its page, its current text, every version's
               text, what changed), plus list pages, with a base layout, a document page and a
               list page
  OUT/mdbook/  the same pages as an mdBook (SUMMARY.md lists them)

Every synthetic document passes `generator check`: its clauses are real clause pairs (Chinese
and English) of content/documents/tzzb-2024-26, so the terminology, glossary and figure checks
hold as they do for the real text, and its source.txt is written from the same sentences, so the
faithful-text check holds. The mix: documents of shape `sections` (implementing rules, with
subsidies; some re-issued in a second version that changes, adds and drops clauses), `paragraphs`
(notices; some amend a clause of an earlier document), and records without text.
"""

import argparse
import os
import random
import re
import shutil
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REAL = os.path.join(REPO, "content", "documents", "tzzb-2024-26", "versions", "2025-01-01")

ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n):
    """Chinese numeral for 1..99 (第十二条)."""
    if n < 10:
        return ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else ZH_DIGITS[tens]
    return head + "十" + (ZH_DIGITS[ones] if ones else "")


def q(s):
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def text(t, indent):
    pad = " " * indent
    return f"{pad}zh: {q(t['zh'])}\n{pad}en: {q(t['en'])}\n"


def harvest():
    """The real clause pairs, subsidies and headings of the featured document."""
    with open(os.path.join(REAL, "attachment.yaml"), encoding="utf-8") as f:
        att = yaml.safe_load(f)
    with open(os.path.join(REAL, "plan.yaml"), encoding="utf-8") as f:
        plan = yaml.safe_load(f)
    with open(os.path.join(REPO, "content", "units.yaml"), encoding="utf-8") as f:
        units = yaml.safe_load(f)
    clauses, headings = [], []
    for sec in att["sections"]:
        headings.append(sec["title"])
        for item in sec.get("items", []):
            headings.append(item["title"])
            for c in item.get("clauses", []):
                sub = c.get("subsidy")
                if sub is not None:
                    sub = dict(sub)
                    # Readings may link to the real document's anchors, which a synthetic
                    # document does not have.
                    if "](#" in str(sub.get("reading", "")):
                        sub.pop("reading")
                clauses.append({"text": c["text"], "subsidy": sub})
    for a in plan["actions"]:
        headings.append(a["title"])
        for t in a["tasks"]:
            headings.append(t["title"])
            clauses.append({"text": t["text"], "subsidy": None})
    issuers = [u["name"] for u in units if u.get("kind") == "municipal"]
    return clauses, headings, issuers


def subsidy_yaml(sub, sid, indent):
    """The subsidy block with its id made unique within the document."""
    s = dict(sub)
    s["id"] = sid
    s["matter"] = sid
    dumped = yaml.safe_dump(s, allow_unicode=True, sort_keys=False, width=10000)
    pad = " " * indent
    return "".join(pad + line + "\n" for line in dumped.splitlines())


class Date:
    def __init__(self, y, m, d):
        self.y, self.m, self.d = y, m, d

    def iso(self):
        return f"{self.y:04d}-{self.m:02d}-{self.d:02d}"

    def plus_months(self, k):
        m = self.m - 1 + k
        return Date(self.y + m // 12, m % 12 + 1, self.d)


def lower_first(s):
    return s[0].lower() + s[1:] if s and not s.startswith(("Taizhou", "RMB")) else s


class Library:
    def __init__(self, n, seed):
        self.rng = random.Random(seed)
        self.clauses, self.headings, self.issuers = harvest()
        self.with_sub = [c for c in self.clauses if c["subsidy"]]
        self.plain = [c for c in self.clauses if not c["subsidy"]]
        self.docs = []
        for i in range(n):
            self.docs.append(self.document(i))

    def clause_list(self, k):
        r = self.rng
        out = []
        for _ in range(k):
            out.append(r.choice(self.with_sub if r.random() < 0.3 else self.plain))
        return out

    def document(self, i):
        r = self.rng
        did = f"syn-{i + 1:05d}"
        year = 2019 + r.randrange(8)
        issued = Date(year, 1 + r.randrange(12), 1 + r.randrange(28))
        effective = issued.plus_months(1)
        effective.d = 1
        head = r.choice(self.headings)
        issuer = r.choice(self.issuers)
        doc = {
            "id": did,
            "issuer": issuer,
            "issued": issued,
            "effective": effective,
            "expires": Date(effective.y + 2 + r.randrange(3), 12, 31) if r.random() < 0.7 else None,
            "relations": [],
            "versions": [],
        }
        roll = r.random()
        earlier = [d for d in self.docs if d["shape"] == "sections" and d["effective"].iso() < effective.iso()]
        if roll < 0.08:
            doc["shape"] = "record"
            doc["number"] = {"zh": f"台政办发〔{year}〕{i + 1}号", "en": f"Tai Zheng Ban Fa [{year}] No. {i + 1}"}
            doc["title"] = {"zh": f"关于{head['zh']}的若干意见（{year}年）", "en": f"Opinions on {lower_first(head['en'])} ({year})"}
            doc["issued"] = doc["effective"] = doc["expires"] = None
            return doc
        if roll < 0.18 and earlier:
            return self.amending(doc, did, i, year, r.choice(earlier))
        if roll < 0.35:
            doc["shape"] = "paragraphs"
            doc["number"] = {"zh": f"台商务〔{year}〕{i + 1}号", "en": f"Tai Shang Wu [{year}] No. {i + 1}"}
            doc["title"] = {"zh": f"关于做好{year}年度{head['zh']}工作的通知", "en": f"Notice on the {year} work of {lower_first(head['en'])}"}
            paras = [
                {"id": f"p-{k + 1}", "text": c["text"], "subsidy": c["subsidy"]}
                for k, c in enumerate(self.clause_list(3 + r.randrange(10)))
            ]
            doc["versions"].append({"date": effective, "title": doc["title"], "paragraphs": paras})
            return doc
        doc["shape"] = "sections"
        doc["number"] = {"zh": f"台财企〔{year}〕{i + 1}号", "en": f"Tai Cai Qi [{year}] No. {i + 1}"}
        doc["title"] = {"zh": f"关于{head['zh']}的实施细则（{year}年）", "en": f"Implementing Rules on {lower_first(head['en'])} ({year})"}
        sections = []
        article = 0
        for s in range(2 + r.randrange(6)):
            h = r.choice(self.headings)
            clauses = []
            for c in self.clause_list(2 + r.randrange(8)):
                article += 1
                clauses.append({"id": f"c-{article}", "base": c})
            sections.append({"id": f"s-{s + 1}", "heading": h, "clauses": clauses})
        doc["versions"].append({"date": effective, "title": doc["title"], "sections": sections})
        if earlier and r.random() < 0.3:
            target = r.choice(earlier)
            doc["relations"].append({"kind": "implements", "document": target["id"]})
        if r.random() < 0.3:
            # A re-issued version: one clause rewritten, one added, one dropped; ids kept.
            later = effective.plus_months(6 + r.randrange(18))
            later.d = 1
            secs = [{"id": s["id"], "heading": s["heading"], "clauses": list(s["clauses"])} for s in sections]
            sec = r.choice(secs)
            k = r.randrange(len(sec["clauses"]))
            sec["clauses"][k] = {"id": sec["clauses"][k]["id"], "base": r.choice(self.clauses)}
            article += 1
            r.choice(secs)["clauses"].append({"id": f"c-{article}", "base": r.choice(self.clauses)})
            sec = r.choice(secs)
            if len(sec["clauses"]) > 1:
                sec["clauses"].pop(r.randrange(len(sec["clauses"])))
            doc["versions"].append({"date": later, "title": doc["title"], "sections": secs})
        return doc

    def amending(self, doc, did, i, year, target):
        r = self.rng
        doc["shape"] = "paragraphs"
        doc["number"] = {"zh": f"台政办发〔{year}〕{i + 1}号", "en": f"Tai Zheng Ban Fa [{year}] No. {i + 1}"}
        doc["title"] = {"zh": f"关于修改《{target['title']['zh']}》的通知", "en": f"Notice on Amending the {target['title']['en']}"}
        # The clause changed: one of the target's first version without a subsidy, so the
        # consolidated text keeps its figures in step.
        eff = doc["effective"].iso()
        before = [v for v in target["versions"] if v["date"].iso() < eff]
        plain = [c for s in before[-1]["sections"] for c in s["clauses"] if not c["base"]["subsidy"]]
        dates = {v["date"].iso() for v in target["versions"]} | target.setdefault("amended", set())
        if not plain or doc["effective"].iso() in dates:
            doc["relations"] = []
            doc["shape"] = "record"
            doc["issued"] = doc["effective"] = doc["expires"] = None
            return doc
        target["amended"].add(eff)
        cl = r.choice(plain)
        new = r.choice(self.plain)
        n = int(cl["id"].split("-")[1])
        doc["versions"].append({
            "date": doc["effective"],
            "title": doc["title"],
            "paragraphs": [
                {"id": "p-1", "subsidy": None, "text": {
                    "zh": f"将第{zh_number(n)}条修改为：“{new['text']['zh']}”",
                    "en": f"Article {n} is amended to read: “{new['text']['en']}”"}},
                {"id": "p-2", "subsidy": None, "text": {
                    "zh": f"本通知自{doc['effective'].y}年{doc['effective'].m}月{doc['effective'].d}日起施行。",
                    "en": f"This Notice shall come into force on {doc['effective'].d} {MONTHS[doc['effective'].m - 1]} {doc['effective'].y}."}},
            ],
        })
        doc["expires"] = None
        doc["relations"].append({"kind": "amends", "document": target["id"], "from": doc["effective"]})
        doc["amends"] = {"document": target["id"], "clause": cl["id"], "number": n, "text": new["text"]}
        return doc


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def article(n, t, lang):
    return f"第{zh_number(n)}条　{t}" if lang == "zh" else f"Article {n} {t}"


def clause_text(c):
    n = int(c["id"].split("-")[1])
    t = c["base"]["text"]
    return {"zh": article(n, t["zh"], "zh"), "en": article(n, t["en"], "en")}


def write(path, s):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(s)


def write_root(lib, out):
    root = os.path.join(out, "root")
    if os.path.exists(root):
        shutil.rmtree(root)
    shutil.copytree(os.path.join(REPO, "content"), os.path.join(root, "content"))
    os.symlink(os.path.join(REPO, "themes"), os.path.join(root, "themes"))
    docs_dir = os.path.join(root, "content", "documents")
    for d in lib.docs:
        y = [f"# Synthetic (bench/library/generate): not an issued document.\nid: {d['id']}\nshape: {d['shape']}\n"]
        for k in ("number", "title"):
            y.append(f"{k}:\n" + text(d[k], 2))
        y.append("issuer:\n" + text(d["issuer"], 2))
        for k in ("issued", "effective", "expires"):
            if d.get(k):
                y.append(f"{k}: {d[k].iso()}\n")
        if d["relations"]:
            y.append("relations:\n")
            for rel in d["relations"]:
                y.append(f"  - kind: {rel['kind']}\n    document: {rel['document']}\n")
                if rel.get("from"):
                    y.append(f"    from: {rel['from'].iso()}\n")
        if d.get("amends"):
            a = d["amends"]
            y.append(f"amends:\n  document: {a['document']}\n  changes:\n    - by: p-1\n      clause: {a['clause']}\n      text:\n")
            y.append(text({"zh": article(a["number"], a["text"]["zh"], "zh"), "en": article(a["number"], a["text"]["en"], "en")}, 8))
        write(os.path.join(docs_dir, d["id"], "document.yaml"), "".join(y))
        for v in d["versions"]:
            vdir = os.path.join(docs_dir, d["id"], "versions", v["date"].iso())
            t = ["# Synthetic (bench/library/generate).\ntitle:\n" + text(v["title"], 2)]
            src = [v["title"]["zh"]]
            if "paragraphs" in v:
                t.append("paragraphs:\n")
                for p in v["paragraphs"]:
                    t.append(f"  - id: {p['id']}\n    text:\n" + text(p["text"], 6))
                    if p["subsidy"]:
                        t.append("    subsidy:\n" + subsidy_yaml(p["subsidy"], f"sub-{p['id']}", 6))
                    src.append(p["text"]["zh"])
            else:
                t.append("sections:\n")
                for s in v["sections"]:
                    t.append(f"  - id: {s['id']}\n    title:\n" + text(s["heading"], 6) + "    clauses:\n")
                    src.append(s["heading"]["zh"])
                    for c in s["clauses"]:
                        ct = clause_text(c)
                        t.append(f"      - id: {c['id']}\n        text:\n" + text(ct, 10))
                        if c["base"]["subsidy"]:
                            t.append("        subsidy:\n" + subsidy_yaml(c["base"]["subsidy"], f"sub-{c['id']}", 10))
                        src.append(ct["zh"])
            write(os.path.join(vdir, "text.yaml"), "".join(t))
            write(os.path.join(vdir, "source.txt"), "\n\n".join(src) + "\n")
            write(os.path.join(vdir, "repairs.yaml"), "[]\n")


# The date every benchmark builds the library for (bench/build/run's --date): which version is
# current, as our generator decides it.
BUILD_DATE = "2026-06-01"


def version_items(v):
    """A version's text as (kind, id, {zh, en}) items: `h` a heading, `c` a clause or paragraph,
    `s` the subsidy a clause carries (shown under it)."""
    out = []
    if "paragraphs" in v:
        for p in v["paragraphs"]:
            out.append(("c", p["id"], p["text"]))
            if p["subsidy"]:
                out.append(("s", p["id"], p["subsidy"]["name"]))
    else:
        for s in v["sections"]:
            out.append(("h", s["id"], s["heading"]))
            for c in s["clauses"]:
                out.append(("c", c["id"], clause_text(c)))
                if c["base"]["subsidy"]:
                    out.append(("s", c["id"], c["base"]["subsidy"]["name"]))
    return out


def timeline(lib, d):
    """Every version our generator publishes for `d`, oldest first, as (date, title, items): its
    own versions and the consolidated texts its amending documents make (the amended clause
    replaced from the amendment's date on)."""
    own = [(v["date"].iso(), v["title"], version_items(v)) for v in d["versions"]]
    amendments = sorted(
        (a["effective"].iso(), a["amends"]) for a in lib.docs
        if a.get("amends") and a["amends"]["document"] == d["id"] and a.get("effective"))
    out = list(own)
    for date, am in amendments:
        before = [v for v in out if v[0] < date]
        if not before:
            continue
        _, title, items = before[-1]
        text = {"zh": article(am["number"], am["text"]["zh"], "zh"), "en": article(am["number"], am["text"]["en"], "en")}
        items = [(k, i, text if (k == "c" and i == am["clause"]) else t) for k, i, t in items]
        out.append((date, title, items))
    out.sort(key=lambda v: v[0])
    return out


def items_body(items, lang):
    """Markdown paragraphs of a version's items."""
    out = []
    for kind, _, t in items:
        if kind == "h":
            out.append(f"## {t[lang]}")
        elif kind == "c":
            out.append(t[lang])
        else:
            out.append(f"> **{t[lang]}**")
    return out


def changes_body(old, new, lang):
    """What changed between two versions, clause by clause, as our what-changed pages list it:
    each added, rewritten and removed clause with its text (old and new for a rewrite)."""
    a = {i: t for k, i, t in old[2] if k == "c"}
    b = {i: t for k, i, t in new[2] if k == "c"}
    words = {"zh": ("新增", "修改", "删除", "原文", "新文"), "en": ("Added", "Changed", "Removed", "Before", "After")}[lang]
    out = [f"{old[0]} → {new[0]}"]
    for i, t in b.items():
        if i not in a:
            out += [f"### {words[0]} {i}", t[lang]]
        elif a[i] != t:
            out += [f"### {words[1]} {i}", f"{words[3]}: {a[i][lang]}", f"{words[4]}: {t[lang]}"]
    for i, t in a.items():
        if i not in b:
            out += [f"### {words[2]} {i}", t[lang]]
    return out


def pages(lib):
    """(lang, path, title, body lines, meta) for the pages our generator builds for every
    document, so that Hugo and mdBook build the same pages: the document's page (its record
    and versions), its current text, each version's text, what changed in each version against
    the one before, and, for three or more versions, what changed between any two; then the
    list pages."""
    out = []
    for lang in ("zh", "en"):
        for d in lib.docs:
            meta = [d["number"][lang], d["issuer"][lang]]
            base = f"documents/{d['id']}"
            versions = timeline(lib, d)
            listing = [f"- [{v[0]}]({v[0]}/)" for v in versions]
            rel = [f"- {r['kind']}: {r['document']}" for r in d["relations"]]
            out.append((lang, base, d["title"][lang], [d["title"][lang], *meta, *listing, *rel], meta))
            if not versions:
                continue
            current = [v for v in versions if v[0] <= BUILD_DATE] or versions[:1]
            cur = current[-1]
            out.append((lang, f"{base}/text", cur[1][lang], items_body(cur[2], lang), meta + [cur[0]]))
            for k, v in enumerate(versions):
                out.append((lang, f"{base}/{v[0]}", v[1][lang], items_body(v[2], lang), meta + [v[0]]))
                if k > 0:
                    out.append((lang, f"{base}/{v[0]}/changes", v[1][lang], changes_body(versions[k - 1], v, lang), meta + [v[0]]))
            if len(versions) >= 3:
                for x in range(len(versions)):
                    for y in range(x + 1, len(versions)):
                        a, b = versions[x], versions[y]
                        out.append((lang, f"{base}/changes/{a[0]}..{b[0]}", b[1][lang], changes_body(a, b, lang), meta + [a[0], b[0]]))
    return out


def write_hugo(lib, out):
    site = os.path.join(out, "hugo")
    if os.path.exists(site):
        shutil.rmtree(site)
    write(os.path.join(site, "hugo.toml"), 'baseURL = "https://example.org/"\ntitle = "Taizhou cross-border e-commerce policy (synthetic)"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n[markup.goldmark.renderer]\nunsafe = false\n')
    layouts = os.path.join(site, "layouts")
    # Templates of similar weight to ours: a base layout with header, nav and footer, a
    # document page with its metadata and text, and a list page.
    write(os.path.join(layouts, "_default", "baseof.html"), """<!doctype html>
<html lang="{{ with .Params.lang }}{{ . }}{{ else }}zh{{ end }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title><link rel="stylesheet" href="/site.css"></head>
<body>
<header class="site"><a class="brand" href="/">{{ .Site.Title }}</a>
<nav><a href="/zh/">中文</a> <a href="/en/">English</a> <a href="/zh/documents/">政策库</a> <a href="/en/documents/">Library</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ .Site.Title }}</p><p>Built {{ now.Format "2006-01-02" }}</p></footer>
</body></html>
""")
    write(os.path.join(layouts, "_default", "single.html"), """{{ define "main" }}
<article class="document">
<nav class="crumbs"><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></nav>
<h1>{{ .Title }}</h1>
<dl class="meta">{{ range .Params.meta }}<dd>{{ . }}</dd>{{ end }}</dl>
{{ .Content }}
</article>
{{ end }}
""")
    write(os.path.join(layouts, "_default", "list.html"), """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="library">
{{ range .RegularPagesRecursive }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <small>{{ index .Params.meta 0 }}</small></li>
{{ end }}</ul>
{{ end }}
""")
    write(os.path.join(site, "static", "site.css"), "body{font-family:sans-serif;max-width:46rem;margin:auto}header,footer{padding:1rem 0}blockquote{border-left:3px solid #c00;margin:0;padding-left:1rem}\n")
    content = os.path.join(site, "content")
    write(os.path.join(content, "_index.md"), '---\ntitle: "Home"\n---\n')
    for lang, name in (("zh", "政策库"), ("en", "Library")):
        write(os.path.join(content, lang, "_index.md"), f'---\ntitle: "{name}"\nlang: {lang}\n---\n')
        write(os.path.join(content, lang, "documents", "_index.md"), f'---\ntitle: "{name}"\nlang: {lang}\n---\n')
    for lang, path, title, body, meta in pages(lib):
        fm = f"---\ntitle: {q(title)}\nlang: {lang}\nmeta: [{', '.join(q(m) for m in meta)}]\n---\n\n"
        write(os.path.join(content, lang, path + ".md"), fm + "\n\n".join(body) + "\n")


def write_mdbook(lib, out):
    book = os.path.join(out, "mdbook")
    if os.path.exists(book):
        shutil.rmtree(book)
    write(os.path.join(book, "book.toml"), '[book]\ntitle = "Taizhou cross-border e-commerce policy (synthetic)"\nlanguage = "zh"\nsrc = "src"\n\n[output.html]\n')
    src = os.path.join(book, "src")
    summary = ["# Summary\n"]
    for lang, name in (("zh", "政策库"), ("en", "Library")):
        summary.append(f"- [{name}]({lang}/index.md)")
        lines = [f"# {name}\n"]
        for pl, path, title, body, meta in pages(lib):
            if pl != lang:
                continue
            rel = f"{lang}/{path}.md"
            summary.append(f"  - [{title.replace('[', '(').replace(']', ')')}]({rel})")
            lines.append(f"- [{title}]({path.split('/', 1)[1]}.md) {meta[0]}")
            write(os.path.join(src, rel), f"# {title}\n\n" + " · ".join(meta) + "\n\n" + "\n\n".join(b.replace("## ", "### ") for b in body) + "\n")
        write(os.path.join(src, lang, "index.md"), "\n".join(lines) + "\n")
    write(os.path.join(src, "SUMMARY.md"), "\n".join(summary) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=12)
    a = ap.parse_args()
    lib = Library(a.n, a.seed)
    os.makedirs(a.out, exist_ok=True)
    write_root(lib, a.out)
    write_hugo(lib, a.out)
    write_mdbook(lib, a.out)
    shapes = {}
    for d in lib.docs:
        shapes[d["shape"]] = shapes.get(d["shape"], 0) + 1
    versions = sum(len(d["versions"]) for d in lib.docs)
    amending = sum(1 for d in lib.docs if d.get("amends"))
    print(f"{a.n} documents in {a.out}: {shapes}, {versions} versions, {amending} amending", file=sys.stderr)


if __name__ == "__main__":
    main()
