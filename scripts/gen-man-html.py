#!/usr/bin/env python3
"""Generate the HTML manual pages (one page per public symbol and an index) from the manual-page comments.

  scripts/gen-man-html.py OUTDIR   write OUTDIR/index.html and OUTDIR/<Name>.html (run by the build; installed into
                                   share/doc/petscsnapshot/html)

Each page reads as PETSc's own: name and summary, Synopsis (#include and the C declaration from the source),
collectivity, parameter tables, notes, See Also, Level, Location. Our symbols link to our pages, PETSc's to
https://petsc.org/release/manualpages/<Section>/<Name>/. Fails if a page has no summary, no level, no synopsis or
no header, or if two pages have one name.
"""
import html, re, sys, pathlib
from manpages import pages, sections, order, fields

PETSC = "https://petsc.org/release/manualpages"
# PETSc's manual-page section of a symbol, by its longest matching prefix; None: PETSc has no page of its own for it
PREFIXES = [("PetscSnapshot", None), ("PETSCSNAPSHOT", None), ("DMSwarmPICField_", None), ("DMSwarmField_", None),
            ("PETSC_ERR_", None), ("PETSC_STRUCT", None), ("PETSC_VIEWER_ASCII_", None),
            ("DMPlex", "DMPlex"), ("DMPLEX", "DMPlex"), ("DMSwarm", "DMSwarm"), ("DMSWARM", "DMSwarm"),
            ("DMDA", "DMDA"), ("DMTS", "TS"), ("DMSNES", "SNES"), ("DM", "DM"), ("TS", "TS"), ("SNES", "SNES"),
            ("KSP", "KSP"), ("PC", "PC"), ("Vec", "Vec"), ("Mat", "Mat"), ("IS", "IS"), ("PetscViewer", "Viewer"),
            ("PETSCVIEWER", "Viewer"), ("PetscFE", "FE"), ("PetscDS", "DT"), ("PetscSF", "PetscSF"),
            ("Petsc", "Sys"), ("PETSC_", "Sys"), ("SETERRQ", "Sys")]
STYLE = ("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}pre{background:#f6f6f6;padding:.8em}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;"
         "vertical-align:top}</style>")
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
names = {}
for area in order:
    for page in pages().get(area, []):
        f = fields(page.text)
        if page.name in names or not page.summary or not f["level"] or not page.synopsis or not page.header:
            sys.exit(f"gen-man-html: page {page.name!r} is duplicated or lacks a summary, level, declaration or "
                     f"public header ({page.path})")
        names[page.name] = (area, page, f)


def href(name):
    """The page of a symbol: ours, PETSc's, or None."""
    if name in names:
        return f"{name}.html"
    prefix = max((p for p in PREFIXES if name.startswith(p[0])), key=lambda p: len(p[0]), default=None)
    if prefix and prefix[1] and name not in ("DMSwarm", "DMPlex") and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return f"{PETSC}/{prefix[1]}/{name}/"
    return None


def code(span, self_name=None):
    """A code span, linked when it names a symbol with a page."""
    name = span[:-2] if span.endswith("()") else span
    target = href(name) if name != self_name else None
    tag = f"<code>{html.escape(span)}</code>"
    return f'<a href="{target}">{tag}</a>' if target else tag


def inline(text, self_name):
    """Doctext prose as HTML: `spans` become <code>, linked where they name a symbol."""
    parts = re.split(r"`([^`]+)`", text)
    return "".join(code(p, self_name) if i % 2 else html.escape(p, quote=False) for i, p in enumerate(parts))


def element(kind, content, self_name):
    if kind == "pre":
        return f"<pre>{html.escape(content, quote=False)}</pre>"
    if kind == "p":
        return f"<p>{inline(content, self_name)}</p>"
    rows = "".join(f"<tr><td><code>{html.escape(n)}</code></td><td>{inline(d, self_name)}</td></tr>"
                   for n, d in content)
    return f"<table><tr><th>name</th><th>description</th></tr>{rows}</table>"


def render(name, area, page, f):
    lines = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{name}</title>{STYLE}</head><body>",
             f"<p><a href='index.html'>petsc-snapshot manual pages</a> &raquo; {sections[area]}</p>",
             f"<h1>{name}</h1>", f"<p>{inline(page.summary, name)}</p>", "<h2>Synopsis</h2>",
             f"<pre>#include &lt;{page.header}&gt;\n{html.escape(page.synopsis, quote=False)}</pre>"]
    if f["collective"]:
        lines.append(f"<p>{inline(f['collective'], name)}</p>")
    for heading, elements in f["sections"]:
        if heading:
            lines.append(f"<h2>{heading}</h2>")
        lines += [element(kind, content, name) for kind, content in elements]
    links = [code(s) for s in f["seealso"]]
    if links:
        lines += ["<h2>See Also</h2>", f"<p>{', '.join(links)}</p>"]
    lines += ["<h2>Level</h2>", f"<p>{f['level']}</p>", "<h2>Location</h2>",
              f"<p><code>{html.escape(str(page.path))}</code></p>", "</body></html>"]
    return "\n".join(lines) + "\n"


for stale in set(out.glob("*.html")) - {out / f"{n}.html" for n in names} - {out / "index.html"}:
    stale.unlink()  # the page of a symbol that is gone must not be installed
for name, (area, page, f) in names.items():
    (out / f"{name}.html").write_text(render(name, area, page, f))
index = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>petsc-snapshot manual pages</title>{STYLE}</head>"
         "<body>", "<h1>petsc-snapshot manual pages</h1>",
         "<p>The functions and types of <code>#include &lt;petscsnapshot.h&gt;</code>, by part of the library.</p>"]
for area in order:
    entries = sorted((n, v) for n, v in names.items() if v[0] == area)
    if entries:
        index.append(f"<h2>{sections[area]}</h2><table><tr><th>name</th><th>summary</th><th>level</th></tr>")
        index += [f"<tr><td><a href='{n}.html'><code>{n}</code></a></td><td>{inline(p.summary, None)}</td>"
                  f"<td>{f['level']}</td></tr>" for n, (_, p, f) in entries]
        index.append("</table>")
index.append("</body></html>")
(out / "index.html").write_text("\n".join(index) + "\n")
print(f"gen-man-html: {len(names)} pages in {out}")
