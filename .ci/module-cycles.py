#!/usr/bin/env python3
"""Import loops between the modules of a Rust crate, checked against a committed ratchet.

Reads every `.rs` file under the crate's `src/`, takes each `crate::…`, `super::…` and `self::…`
path (in `use` trees and in code) as an edge from the file's module to the module the path names,
and finds the strongly connected components of that graph. A component of more than one module is
an import loop.

The ratchet file lists the loops that are known and being taken apart, one per line, as the sorted
module paths of the loop separated by spaces. The check fails when a loop appears that is not in
the ratchet, or when a known loop grows (takes in a module it did not have). A loop that shrinks or
disappears passes and is reported, so the ratchet can be tightened.

Usage: module-cycles.py CRATE_SRC_DIR RATCHET_FILE [--write]
  --write  rewrite the ratchet file with today's loops (after taking one apart).
"""

import os
import re
import sys


def module_of(src, path):
    rel = os.path.relpath(path, src)[: -len(".rs")].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    if rel in (["lib"], ["main"]):
        rel = []
    return tuple(rel)


TOKENS = re.compile(
    r"//[^\n]*"  # line comment
    r"|/\*.*?\*/"  # block comment
    r'|r(#*)".*?"\1'  # raw string
    r'|"(?:\\.|[^"\\])*"'  # string
    r"|'(?:\\.|[^'\\])'",  # char literal (so '"' opens no string)
    re.S,
)


TEST_MODULE = re.compile(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{")


def strip_test_modules(text):
    """Drops inline `#[cfg(test)] mod … { … }` blocks: their `super::` names the file's own module,
    and test code is not part of the module graph. Run after `strip_comments`, so braces inside
    strings and comments are gone."""
    out, i = [], 0
    while True:
        m = TEST_MODULE.search(text, i)
        if not m:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j


def strip_comments(text):
    """Drops comments and the contents of string and char literals (messages can hold `crate::`,
    and a `//` inside a URL is no comment), in one pass so each is read in context."""
    return TOKENS.sub(lambda m: "" if m.group(0).startswith("/") else '""', text)


IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_tree(text, i, prefix, out):
    """Parses a path tree starting at text[i]; appends every full path (list of segments)."""
    segments = list(prefix)
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if text.startswith("{", i):
            i += 1
            while True:
                while i < len(text) and (text[i].isspace() or text[i] == ","):
                    i += 1
                if i >= len(text) or text[i] == "}":
                    return i + 1
                i = parse_tree(text, i, segments, out)
        m = IDENT.match(text, i)
        if not m:
            out.append(segments)
            return i
        segments = segments + [m.group(0)]
        i = m.end()
        while i < len(text) and text[i].isspace():
            i += 1
        if text.startswith("::", i):
            i += 2
            continue
        out.append(segments)
        return i


def references(text, module, modules):
    """Module paths this file's text names."""
    found = []
    for m in re.finditer(r"(?<![$\w])(crate|super|self)::", text):
        paths = []
        parse_tree(text, m.end(), [], paths)
        for p in paths:
            if m.group(1) == "crate":
                base = []
            elif m.group(1) == "super":
                base = list(module[:-1])
                rest = p
                while rest and rest[0] == "super":
                    base = base[:-1]
                    rest = rest[1:]
                p = rest
            else:
                base = list(module)
            found.append(tuple(base + p))
    # `use child::…` in a module file names its own child module (2018 paths).
    for m in re.finditer(r"\buse\s+([A-Za-z_]\w*)::", text):
        child = module + (m.group(1),)
        if child in modules:
            paths = []
            parse_tree(text, m.start(1), [], paths)
            found.extend(module + tuple(p) for p in paths)
    targets = set()
    for path in found:
        for n in range(len(path), 0, -1):
            if path[:n] in modules:
                targets.add(path[:n])
                break
    return targets


def loops(src):
    files = {}
    for root, _, names in os.walk(src):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(root, name)
                files[module_of(src, path)] = path
    modules = set(files)
    graph = {}
    for module, path in files.items():
        with open(path, encoding="utf-8") as f:
            text = strip_test_modules(strip_comments(f.read()))
        graph[module] = {
            t for t in references(text, module, modules) if t != module and t != ()
        }
    # Tarjan's strongly connected components, iteratively.
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            advanced = False
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted("::".join(c) for c in component))
    return graph, sorted(components)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__)
        return 2
    src, ratchet = args
    graph, found = loops(src)
    if "--write" in sys.argv:
        with open(ratchet, "w", encoding="utf-8") as f:
            f.write("# Known import loops being taken apart (module-cycles.py); one loop a line.\n")
            for component in found:
                f.write(" ".join(component) + "\n")
        print(f"wrote {len(found)} loop(s) to {ratchet}")
        return 0
    known = []
    with open(ratchet, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                known.append(set(line.split()))
    failed = False
    for component in found:
        members = set(component)
        home = next((k for k in known if members <= k), None)
        if home is None:
            failed = True
            print(f"NEW import loop of {len(members)} modules: {' '.join(component)}")
            for a in component:
                for b in sorted(graph[tuple(a.split('::'))]):
                    if "::".join(b) in members:
                        print(f"  {a} -> {'::'.join(b)}")
        elif members != home:
            print(f"known loop shrank to {len(members)} modules: {' '.join(component)}")
    for k in known:
        if not any(set(c) <= k for c in found):
            print(f"known loop is gone: {' '.join(sorted(k))}")
    total = sum(len(c) for c in found)
    print(f"{len(found)} import loop(s), {total} modules in loops, {len(graph)} modules")
    if failed:
        print("fix: make the new import run one way (move the shared piece down a layer)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
