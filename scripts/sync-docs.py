#!/usr/bin/env python3
"""Rewrites the Java blocks of the docs from the sources they include, so the docs cannot rot.

A block in docs/*.md or README.md is a marker line followed by a ```java fence:

    <!-- include: Chapter01.java#tensors -->
    ```java
    ...
    ```

The code is every region of examples/src/test/java/io/github/knetj/docs/Chapter01.java between the lines
`// tag::tensors[]` and `// end::tensors[]`, each region dedented, other tag lines dropped. The JUnit test
DocsIncludeTest applies the same rule and fails when a block differs; this script fixes them. A block marked
`<!-- quote: PATH -->` quotes a main source instead (chapter 2 reads the autograd core): it is not rewritten, but
a quote whose lines no longer appear together in PATH is reported, and makes --check fail.

    python3 scripts/sync-docs.py           rewrite the blocks that differ, list the files changed
    python3 scripts/sync-docs.py --check   change nothing; exit 1 if any block differs
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ROOT / "examples/src/test/java/io/github/knetj/docs"
MARKER = re.compile(r"^<!-- include: ([A-Za-z0-9_.]+)#([A-Za-z0-9_-]+) -->$")
QUOTE = re.compile(r"^<!-- quote: ([A-Za-z0-9_./-]+) -->$")
TAG = re.compile(r"^\s*// (tag|end)::([A-Za-z0-9_-]+)\[\]\s*$")


def snippet(file_name, tag):
    """The tagged regions of a source file, each dedented, joined in file order."""
    path = SOURCES / file_name
    if not path.is_file():
        raise SystemExit(f"sync-docs: {path} does not exist")
    regions, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = TAG.match(line)
        if m and m.group(2) == tag:
            if m.group(1) == "tag":
                current = []
            elif current is not None:
                regions.append(current)
                current = None
            continue
        if m:
            continue  # another sample's marker nested inside this one
        if current is not None:
            current.append(line.rstrip())
    if not regions:
        raise SystemExit(f"sync-docs: no region tagged {tag} in {path}")
    out = []
    for r in regions:
        indent = min((len(l) - len(l.lstrip()) for l in r if l.strip()), default=0)
        out.extend(l[indent:] for l in r)
    return out


def stale_quotes(md):
    """The quoted blocks of a file whose lines no longer appear together in the quoted source."""
    lines = md.read_text(encoding="utf-8").splitlines()
    stale = []
    for i, line in enumerate(lines):
        m = QUOTE.match(line.strip())
        if not m or i + 1 >= len(lines) or lines[i + 1].strip() != "```java":
            continue
        end = i + 2
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        want = [l.strip() for l in lines[i + 2:end] if l.strip()]
        source = ROOT / m.group(1)
        have = [l.strip() for l in source.read_text(encoding="utf-8").splitlines() if l.strip()] if source.is_file() else []
        if not any(have[k:k + len(want)] == want for k in range(len(have) - len(want) + 1)):
            stale.append(f"{md.relative_to(ROOT)}:{i + 1}: quote of {m.group(1)} is stale; update it by hand")
    return stale


def sync(md):
    """The file's text with every marked block rewritten."""
    lines = md.read_text(encoding="utf-8").splitlines()
    out, i = [], 0
    while i < len(lines):
        out.append(lines[i])
        m = MARKER.match(lines[i].strip())
        i += 1
        if not m:
            continue
        code = snippet(m.group(1), m.group(2))
        if i < len(lines) and lines[i].strip() == "```java":
            end = i + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            if end == len(lines):
                raise SystemExit(f"sync-docs: {md}: the block after line {i} is not closed")
            i = end + 1
        out.extend(["```java", *code, "```"])
    return "\n".join(out) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    files = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
    changed, stale = [], []
    for md in files:
        stale.extend(stale_quotes(md))
        text = sync(md)
        if text != md.read_text(encoding="utf-8"):
            changed.append(md.relative_to(ROOT))
            if not check:
                md.write_text(text, encoding="utf-8")
    for c in changed:
        print(("differs: " if check else "rewrote: ") + str(c))
    for q in stale:
        print(q)
    if (check and changed) or stale:
        sys.exit(1)


if __name__ == "__main__":
    main()
