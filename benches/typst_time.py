"""Times Typst compiling a .typ file to PDF, in this process, for
benches/measure.sh: prints wall and CPU (user + system) seconds.

    python3 benches/typst_time.py BOOK.typ FONT_DIR OUT.pdf

Typst comes from the typst-py wheel (`pip install typst`), which bundles
the compiler. Each run must be a fresh process: Typst memoises across
compilations in one process, so a second compile would be incremental.
The time covers the compile call only (not Python's start-up): reading
the fonts from FONT_DIR (the bundled fonts qalam uses, no system fonts),
layout and the PDF.
"""

import resource
import sys
import time

import typst


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


src, fonts, out = sys.argv[1:4]
t0, c0 = time.perf_counter(), cpu()
pdf = typst.compile(src, font_paths=[fonts], ignore_system_fonts=True)
wall, spent = time.perf_counter() - t0, cpu() - c0
with open(out, "wb") as f:
    f.write(pdf)
print(f"{wall:.4f} {spent:.4f} {typst.__version__}")
