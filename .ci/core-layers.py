#!/usr/bin/env python3
"""Checks that ipsmatch-core's top-level modules import only downwards through its layers.

Usage: core-layers.py CRATE_SRC_DIR LAYERS_FILE

The layers file lists the crate's top-level modules, lowest layer first, one layer a line. A
module may use modules of its own layer or any lower one; an import of a higher layer fails, as
does a top-level module the file does not place. Edges are read as module-cycles.py reads them.
"""

import importlib.util
import os
import sys


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    src, layers_file = sys.argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("cycles", os.path.join(here, "module-cycles.py"))
    cycles = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cycles)
    graph, _ = cycles.loops(src)
    rank = {}
    with open(layers_file, encoding="utf-8") as f:
        for line in f:
            names = line.split("#", 1)[0].split()
            if names:
                level = len(set(rank.values()))
                for name in names:
                    rank[name] = level
    failed = False
    tops = {m[0] for m in graph if m}
    for top in sorted(tops - set(rank)):
        failed = True
        print(f"module `{top}` is in no layer of {layers_file}")
    for module, targets in sorted(graph.items()):
        if not module or module[0] not in rank:
            continue
        for target in sorted(targets):
            if target and target[0] in rank and rank[target[0]] > rank[module[0]]:
                failed = True
                print(f"{'::'.join(module)} imports {'::'.join(target)}, a higher layer")
    if failed:
        print("fix: move the shared piece down, or the caller up (see docs/ARCHITECTURE.md)")
        return 1
    print(f"{len(tops)} top-level modules in {len(set(rank.values()))} layers; every import runs down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
