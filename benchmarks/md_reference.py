"""One Python-Markdown render of the 20,000-word file, in-process, many repetitions.

``python benchmarks/md_reference.py FILE [--repeat N]`` prints JSON with the median,
min and max seconds of one ``markdown.Markdown(extensions=[extra, toc, sane_lists,
smarty]).convert(text)`` (a fresh converter each time, as after ``reset()``), the same
without ``smarty``, and, when ``csto_editor`` imports (the project venv), one
``csto_editor.core.markdown_render.render_markdown`` (the same four extensions with the
app's language-aware quotes, then the nh3 sanitiser) and its ``source_lines=True``
variant that the preview uses.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import markdown

FOUR = ["extra", "toc", "sane_lists", "smarty"]


def timed(function: Callable[[], object], repeat: int) -> dict[str, float]:
    function()  # warm up: imports, regex compilation
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "repeat": repeat,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--lang", default="ru")
    args = parser.parse_args()
    text = args.file.read_text(encoding="utf-8")
    results: dict[str, object] = {
        "markdown_version": markdown.__version__,
        "words": len(text.split()),
        "python_markdown_4_extensions": timed(
            lambda: markdown.Markdown(extensions=FOUR, output_format="html").convert(text),
            args.repeat,
        ),
        "python_markdown_without_smarty": timed(
            lambda: markdown.Markdown(extensions=FOUR[:3], output_format="html").convert(text),
            args.repeat,
        ),
    }
    try:
        from csto_editor.core.markdown_render import render_markdown
    except ImportError:
        pass
    else:
        results["csto_render_markdown"] = timed(
            lambda: render_markdown(text, args.lang), args.repeat
        )
        results["csto_render_markdown_source_lines"] = timed(
            lambda: render_markdown(text, args.lang, source_lines=True), args.repeat
        )
    json.dump(results, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
