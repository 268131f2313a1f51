#!/usr/bin/env python3
"""Every error the library raises is raised on PETSC_COMM_SELF (docs/design.md, "Raised on PETSC_COMM_SELF, on every
rank"): PETSc's default error handler makes every rank but 0 of a multi-rank communicator sleep 10 s and exit(0),
which strands rank 0 in the callers' collective cleanup. Lists every PetscCheck()/SETERRQ() in src/ whose
communicator is anything else; exit code 1 if there is one."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "src"
bad = 0
checked = 0
for path in sorted(root.rglob("*")):
    if path.suffix not in (".c", ".cxx", ".h", ".hpp"):
        continue
    text = path.read_text()
    # comments out (line numbers kept), strings left in place
    text = re.sub(r"/\*.*?\*/", lambda c: re.sub(r"[^\n]", " ", c.group(0)), text, flags=re.S)
    text = re.sub(r"(?m)^\s*//.*$", "", text)
    for m in re.finditer(r"\b(PetscCheck|SETERRQ)\s*\(", text):
        if text[: m.start()].rstrip().endswith("#define"):
            continue
        depth, i, args, start = 1, m.end(), [], m.end()
        while depth and i < len(text):
            ch = text[i]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            elif ch in "\"'":
                i += 1
                while text[i] != ch:
                    i += 2 if text[i] == "\\" else 1
            elif ch == "," and depth == 1:
                args.append(text[start:i].strip())
                start = i + 1
            i += 1
        args.append(text[start : i - 1].strip())
        comm = args[1] if m.group(1) == "PetscCheck" else args[0]
        checked += 1
        if comm != "PETSC_COMM_SELF":
            line = text.count("\n", 0, m.start()) + 1
            print(f"FAIL: {path.relative_to(root.parent)}:{line}: {m.group(1)} on {comm}, not PETSC_COMM_SELF")
            bad += 1
print(f"{checked} PetscCheck/SETERRQ checked, {bad} on another communicator")
sys.exit(1 if bad else 0)
