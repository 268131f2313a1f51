#!/usr/bin/env python3
"""Check the HTML manual pages against the sources' manual-page comments (run by ctest as man_html).

  scripts/check-man-html.py [--generate] OUTDIR   (with --generate, first run scripts/gen-man-html.py OUTDIR)

For every page: the summary once, a Synopsis with the #include of a public header and the declaration (a function's
ending in ");"), the collectivity after it, every section of the comment under its heading (its parameters as table
rows, its paragraphs as <p>, its code blocks as <pre>), no raw doctext markup, every See Also entry a link, every
link to our own pages resolving to a generated file, a Level, a Location; the index lists every page with its summary.
"""
import html, pathlib, re, subprocess, sys
from html.parser import HTMLParser
from manpages import root, pages, fields

args = [a for a in sys.argv[1:] if a != "--generate"]
out = pathlib.Path(args[0])
if "--generate" in sys.argv:
    subprocess.run([sys.executable, str(root / "scripts" / "gen-man-html.py"), str(out)], check=True)
RAW = [(re.compile(r"(^|\n)\s*[+.-]\s+\S[^\n]* - "), "a doctext parameter marker"),
       (re.compile(r"\.seealso"), ".seealso"), (re.compile(r"`"), "a backtick"),
       (re.compile(r"[@SEJM]\*/|/\*[@SEJM]"), "a comment marker"),
       (re.compile(r"(^|\n)\s*\.v[be]\b"), ".vb/.ve"), (re.compile(r"(^|\n)\s*\$ "), "a $ line"),
       (re.compile(r"(^|\n)\s*(Input|Output) Parameters?:|Level:|Notes:"), "a raw doctext heading")]
LEVELS = {"beginner", "intermediate", "advanced", "developer"}


class Blocks(HTMLParser):
    """The text of each top-level block element of <body> (h1, h2, p, pre, table rows' cells) and every href."""
    def __init__(self):
        super().__init__()
        self.blocks, self.hrefs, self.tags, self.body = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.body |= tag == "body"
        if tag in ("h1", "h2", "p", "pre", "td", "th"):
            self.blocks.append([tag, "", []])
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))
            if self.blocks:
                self.blocks[-1][2].append(dict(attrs).get("href", ""))

    def handle_data(self, data):
        if self.body and self.blocks:
            self.blocks[-1][1] += data


def text(s):
    return " ".join(html.unescape(re.sub(r"`", "", s)).split())


failures, checked = [], 0
for area, plist in pages().items():
    for page in plist:
        path = out / f"{page.name}.html"
        fail = lambda what: failures.append(f"{page.name}: {what}")
        if not path.exists():
            fail("no page")
            continue
        checked += 1
        doc = Blocks()
        doc.feed(path.read_text())
        blocks = [(t, " ".join(s.split()) if t != "pre" else s.strip("\n"), h) for t, s, h in doc.blocks]
        alltext = "\n".join(s for _, s, _ in blocks)
        summary = text(page.summary)
        if alltext.count(summary) != 1 or alltext.count(summary[-40:]) != 1:
            fail(f"the summary appears {alltext.count(summary)} times (its end {alltext.count(summary[-40:])} times)")
        after = {}
        for i, (t, s, _) in enumerate(blocks):
            if t == "h2":
                after[s] = blocks[i + 1:]
        syn = after.get("Synopsis", [("", "", [])])[0]
        header = re.match(r"#include <(.+)>\n", syn[1]) if syn[0] == "pre" else None
        if not header or not (root / "include" / header.group(1)).is_file():
            fail("no Synopsis with the #include of a public header")
        decl = syn[1].rstrip().splitlines()[-1] if syn[1].strip() else ""
        if page.kind.startswith("@") and not (re.search(rf"\b{page.name}\(", syn[1]) and decl.endswith(");")):
            fail(f"the Synopsis has no prototype ending in ');': {decl!r}")
        if not page.kind.startswith("@") and not re.search(rf"\b{page.name}\b", syn[1]):
            fail("the Synopsis does not declare the symbol")
        for pattern, what in RAW:
            if pattern.search(alltext):
                fail(f"raw markup in the page: {what}: {pattern.search(alltext).group(0)!r}")
        f = fields(page.text)
        shown = {kind: {s for t, s, _ in blocks if t == kind} for kind in ("td", "p", "pre")}
        for heading, elements in f["sections"]:
            for kind, content in elements:
                missing = {"params": lambda: [n for n, _ in content if n not in shown["td"]],
                           "p": lambda: [] if text(content) in shown["p"] else [content[:60]],
                           "pre": lambda: [] if content in shown["pre"] else [content[:60]]}[kind]()
                if missing or (heading and heading not in after):
                    fail(f"section {heading!r} or its {kind} {missing} are missing")
        see = after.get("See Also", [("", "", [])])[0]
        if f["seealso"] and (see[0] != "p" or len(see[2]) != len(f["seealso"])
                             or re.sub(r"[\w()]+", "", see[1]).replace(",", "").strip()):
            fail(f"See Also has {len(see[2])} links for {len(f['seealso'])} entries: {see[1]!r}")
        following = after.get("Synopsis", [None, ("", "", [])])[1]
        if f["collective"] and following[:2] != ("p", text(f["collective"])):
            fail(f"the collectivity {f['collective']!r} does not follow the Synopsis")
        if after.get("Location", [("", "", [])])[0][1] != str(page.path):
            fail("no Location naming the source file")
        level = after.get("Level", [("", "", [])])[0]
        if level[0] != "p" or level[1] not in LEVELS:
            fail("no Level")
        for h in doc.hrefs:
            if not h.startswith(("https://", "http://")) and not (out / h.split("#")[0]).is_file():
                fail(f"a link to {h} that is not a generated page")
            elif h.startswith("https://") and not re.fullmatch(r"https://petsc\.org/release/manualpages/\w+/\w+/", h):
                fail(f"a link outside PETSc's manual pages: {h}")

index = Blocks()
index.feed((out / "index.html").read_text() if (out / "index.html").exists() else "")
listed = {h[:-5] for h in index.hrefs}
summaries = " ".join(" ".join(s.split()) for t, s, _ in index.blocks if t == "td")
for area, plist in pages().items():
    for page in plist:
        if page.name not in listed or text(page.summary) not in summaries:
            failures.append(f"index: {page.name} is not listed with its summary")
for f in failures:
    print(f"FAIL: {f}")
print(f"{'ok' if not failures else 'FAIL'}: {checked} pages checked, {len(failures)} failures")
sys.exit(1 if failures else 0)
