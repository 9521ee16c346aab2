"""No import circle anywhere in the package: the whole module graph (imports inside functions
too), beside `lint-imports`' contracts, which check one package's children at a time."""

from __future__ import annotations

import grimp


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The graph's strongly connected parts with more than one module (or a self-import)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    number: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in edges:
        if root in number:
            continue
        work = [(root, 0)]  # iterative Tarjan: the graph may be deeper than the recursion limit
        while work:
            node, at = work.pop()
            if at == 0:
                number[node] = low[node] = len(number)
                stack.append(node)
            if at < len(edges[node]):
                work.append((node, at + 1))
                nxt = edges[node][at]
                if nxt not in number:
                    work.append((nxt, 0))
                elif nxt in stack:
                    low[node] = min(low[node], number[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == number[node]:
                part = stack[stack.index(node) :]
                del stack[stack.index(node) :]
                if len(part) > 1 or node in edges[node]:
                    found.append(sorted(part))
    return found


def test_the_package_has_no_import_circle():
    graph = grimp.build_graph("earpiece")
    assert len(graph.modules) > 100
    assert circles(graph) == []


def test_a_circle_is_found():
    graph = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c", "p.d"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    graph.add_import(importer="p.c", imported="p.d")
    assert circles(graph) == [["p.a", "p.b", "p.c"]]
