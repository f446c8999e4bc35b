"""The sample book's interview set by Typst, for the typesetting-quality
table in the README: the same page, margins, type size and leading as
qalam's PDF, to measure both with ../shared/tools/pdf-typo-metrics.

Usage: python3 benches/typst-sample.py FONT OUT.pdf   (FONT: "Vollkorn" or
"Noto Serif"; needs `pip install typst`)
"""
import os, re, sys, typst

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
body_font, out_pdf = sys.argv[1], sys.argv[2]
src = open(os.path.join(root, 'book', 'interview.md')).read()
src = src.split('\n---\n', 1)[1]
def inline(t):
    t = re.sub(r'\[\^[^\]]*\]', '', t)                 # footnote refs
    t = re.sub(r'!\[[^\]]*\]\([^)]*\)', '', t)
    t = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', t)     # links -> text
    t = t.replace('**', '').replace('__', '')
    t = re.sub(r'(?<!\w)\*([^*]+)\*(?!\w)', r'\1', t)
    t = t.replace('---', '—').replace('--', '–')
    # typographic quotes as qalam's typography pass sets them
    t = re.sub(r'"(?=\w)', '“', t); t = t.replace('"', '”')
    t = re.sub(r"(?<=\w)'", '’', t); t = t.replace("'", '‘')
    return re.sub(r'([\\#$*_@<>\[\]`~])', r'\\\1', t)
out = ['''#set page(width: 6in, height: 9in, margin: (inside: 0.75in, outside: 0.6in, top: 0.7in, bottom: 0.8in))
#set text(font: "%s", size: 10.5pt, lang: "en", hyphenate: true, top-edge: 10.5pt, bottom-edge: 0pt)
#set par(justify: true, first-line-indent: 1em, leading: 3.5pt, spacing: 3.5pt)
''' % body_font]
for block in re.split(r'\n\s*\n', src):
    b = ' '.join(l.strip() for l in block.strip().splitlines())
    if not b or b.startswith('[^'):
        continue
    if b.startswith('#'):
        q = inline(b.lstrip('#').strip())
        out.append('#v(7pt)\n#block(par(justify: false, first-line-indent: 0pt, text(font: "Noto Sans", weight: "bold", size: 10.5pt)[%s]))\n#v(3.5pt)\n' % q)
    else:
        out.append(inline(b.lstrip('> ').strip()) + '\n')
typst.compile('\n'.join(out).encode(), output=out_pdf,
              font_paths=[os.path.join(root, 'fonts', 'vollkorn'), '/usr/share/fonts/truetype/noto'])
