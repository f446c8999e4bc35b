#!/usr/bin/env python3
"""Fails when two files of src/ import each other, directly or round a ring.

A file's imports are the `crate::…`, `super::…` and `self::…` paths it
names outside comments and its `mod tests` block, each resolved to the
deepest file module it reaches (`crate::pdf::store::Draw` → src/pdf/store.rs).
A ring of such imports is a strongly connected component of more than one
file (Tarjan's algorithm). `mod x;` declarations are not imports: a parent
owns its children, and a child naming its parent's items is no cycle unless
the parent also imports the child.

    python3 .ci/import-cycles.py [SRC_DIR]      # exit 1 and the rings found
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "src"
files = {}
for d, _, names in os.walk(root):
    for f in names:
        if not f.endswith(".rs"):
            continue
        p = os.path.join(d, f)
        parts = os.path.relpath(p, root)[:-3].split(os.sep)
        if parts[-1] == "mod":
            parts = parts[:-1]
        if parts in (["lib"], ["main"]):
            parts = [] if parts == ["lib"] else ["<bin>"]
        files[tuple(parts)] = p


def resolve(path):
    for n in range(len(path), 0, -1):
        if tuple(path[:n]) in files:
            return tuple(path[:n])
    return None


edges = {}
for mod, p in files.items():
    s = open(p, encoding="utf-8").read()
    s = re.sub(r"//[^\n]*", "", s)
    cut = s.find("#[cfg(test)]\nmod tests {")
    if cut >= 0:
        s = s[:cut]
    deps = set()

    def base_of(head):
        # `super` of src/a/b.rs and of src/a/b/mod.rs is `a`.
        return [] if head == "crate" else list(mod if head == "self" else mod[:-1])

    for m in re.finditer(r"\b(crate|super|self)((?:::\w+)+)", s):
        base, rest = base_of(m.group(1)), m.group(2).strip(":").split("::")
        while rest and rest[0] == "super":
            base, rest = base[:-1], rest[1:]
        t = resolve(base + rest)
        if t is not None and t != mod:
            deps.add(t)
    for m in re.finditer(r"use (crate|super)::\{([^;]*)\};", s, flags=re.S):
        base = base_of(m.group(1))
        for item in re.sub(r"\{[^}]*\}", "", m.group(2)).split(","):
            item = item.strip()
            t = resolve(base + item.split("::")) if item else None
            if t and t != mod:
                deps.add(t)
    edges[mod] = deps

sys.setrecursionlimit(10000)
index, low, stack, on, rings, counter = {}, {}, [], set(), [], [0]


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            rings.append(comp)


for v in list(edges):
    if v not in index:
        visit(v)
name = lambda m: "/".join(m) or "lib"
for ring in rings:
    inside = set(ring)
    print("files importing each other:", ", ".join(sorted(map(name, ring))))
    for a in ring:
        for b in sorted(edges[a] & inside):
            print(f"    {name(a)} -> {name(b)}")
print(f"import-cycles: {len(files)} files, {len(rings)} ring(s)")
sys.exit(1 if rings else 0)
