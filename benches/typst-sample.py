"""The sample book's interview set by Typst, for the typesetting-quality
table in the README: the same page, margins, type size and leading as
qalam's PDF, to measure both with ../shared/tools/pdf-typo-metrics.

Usage: python3 benches/typst-sample.py FONT OUT.pdf   (FONT: "Vollkorn" or
"Noto Serif"; needs `pip install typst`)

The text comes from benches/sample_text.py, which benches/latex-sample.py
shares.
"""
import os, re, sys, typst
sys.dont_write_bytecode = True   # no __pycache__ left in benches/
from sample_text import ROOT as root, blocks

body_font, out_pdf = sys.argv[1], sys.argv[2]
def escape(t):
    return re.sub(r'([\\#$*_@<>\[\]`~])', r'\\\1', t)
out = ['''#set page(width: 6in, height: 9in, margin: (inside: 0.75in, outside: 0.6in, top: 0.7in, bottom: 0.8in))
#set text(font: "%s", size: 10.5pt, lang: "en", hyphenate: true, top-edge: 10.5pt, bottom-edge: 0pt)
#set par(justify: true, first-line-indent: 1em, leading: 3.5pt, spacing: 3.5pt)
''' % body_font]
for kind, text in blocks():
    if kind == 'question':
        out.append('#v(7pt)\n#block(par(justify: false, first-line-indent: 0pt, text(font: "Noto Sans", weight: "bold", size: 10.5pt)[%s]))\n#v(3.5pt)\n' % escape(text))
    else:
        out.append(escape(text) + '\n')
typst.compile('\n'.join(out).encode(), output=out_pdf,
              font_paths=[os.path.join(root, 'fonts', 'vollkorn'), '/usr/share/fonts/truetype/noto'])
