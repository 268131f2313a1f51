#!/usr/bin/env python3
"""Generate the HTML manual pages (one page per public symbol, an index, cross-links) from the manual-page comments.

  scripts/gen-man-html.py OUTDIR   write OUTDIR/index.html and OUTDIR/<Name>.html (run by the build; installed into
                                   share/doc/petscsnapshot/html)

Every `Name` or Name() of a page that exists becomes a link to it; other names (PETSc's) are shown as code. Prints the
number of pages and links and fails if a page has no summary or two pages have one name.
"""
import html, re, sys, pathlib
from manpages import pages, sections, order, body

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
allpages = pages()
names = {}
for area in order:
    for name, summary, text, path in allpages.get(area, []):
        if name in names or not summary:
            sys.exit(f"gen-man-html: page {name!r} is duplicated or has no summary ({path})")
        names[name] = (area, summary, text, path)
links = 0
ref = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)(\(\))?`")
STYLE = "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}pre{background:#f6f6f6;padding:1em}</style>"


def linked(text, self_name):
    global links
    def sub(m):
        global links
        name = m.group(1)
        if name in names and name != self_name:
            links += 1
            return f'<a href="{name}.html"><code>{name}{m.group(2) or ""}</code></a>'
        return f"<code>{name}{m.group(2) or ''}</code>"
    return ref.sub(sub, html.escape(text, quote=False))


for name, (area, summary, text, path) in names.items():
    page = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{name}</title>{STYLE}</head><body>",
            f"<p><a href='index.html'>petsc-snapshot manual pages</a> &raquo; {sections[area]}</p>",
            f"<h1>{name}</h1>", f"<p>{linked(summary, name)}</p>",
            f"<pre>{linked(body(text), name)}</pre>", f"<p>Source: <code>{html.escape(str(path))}</code></p>",
            "</body></html>"]
    (out / f"{name}.html").write_text("\n".join(page) + "\n")

index = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>petsc-snapshot manual pages</title>{STYLE}</head><body>",
         "<h1>petsc-snapshot manual pages</h1>"]
for area in order:
    entries = sorted((n, v) for n, v in names.items() if v[0] == area)
    if not entries:
        continue
    index.append(f"<h2>{sections[area]}</h2><table>")
    for n, (_, summary, _, _) in entries:
        index.append(f"<tr><td><a href='{n}.html'><code>{n}</code></a></td><td>{linked(summary, None)}</td></tr>")
        links += 1
    index.append("</table>")
index.append("</body></html>")
(out / "index.html").write_text("\n".join(index) + "\n")
print(f"gen-man-html: {len(names)} pages, {links} links in {out}")
