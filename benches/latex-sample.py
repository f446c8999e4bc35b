"""The sample book's interview set by LuaLaTeX, for the typesetting-quality
table in the README: the twin of benches/typst-sample.py (the same text,
from benches/sample_text.py), on qalam's default page and type, to measure
all three with ../shared/tools/pdf-typo-metrics.

Usage: python3 benches/latex-sample.py FONT OUT.pdf   (FONT: "Vollkorn" or
"Noto Serif"; needs `lualatex` with fontspec, babel, geometry and microtype,
e.g. Debian's texlive-luatex, texlive-latex-recommended, texlive-latex-extra).
With LATEX_SAMPLE_KEEP=1 the .tex source and lualatex's .log are copied
beside OUT.pdf too.

The page: 6 x 9 in, two-sided, margins inside 0.75 in, outside 0.6 in,
top 0.7 in (to the top of the first line: \\topskip 10.5 pt), bottom 0.8 in;
no folios (as the Typst twin). The type: 10.5 pt on 14 pt, justified,
\\parindent 1 em (none after a question), \\parskip 0 pt, English
hyphenation (babel `english`); Vollkorn from the repo's fonts/vollkorn/ or
Noto Serif from /usr/share/fonts/truetype/noto/, loaded by file; the
questions in Noto Sans Bold, ragged right, 7 pt above and 3.5 pt below,
never broken across pages and kept with the next line (as LaTeX's headings
are). microtype with protrusion and font expansion on, at microtype's
defaults (stretch 20, shrink 20, step 1 under LuaTeX; its generic protrusion
settings for TU-encoded fonts).
Every size is in PostScript points (TeX's `bp`, 1/72 in), the point qalam
and Typst mean; TeX's `pt` is 1/72.27 in, and 14 pt of it would be 13.95.

Everything else is LaTeX's own default (article class), left as it is:
\\tolerance 200, \\pretolerance 100, \\emergencystretch 0 pt, \\linepenalty 10,
\\hyphenpenalty 50, \\exhyphenpenalty 50, \\adjdemerits 10000,
\\doublehyphendemerits 10000, \\finalhyphendemerits 5000, \\clubpenalty 150,
\\widowpenalty 150, \\brokenpenalty 100, and the word space luaotfload gives the font: its space
glyph's width (0.2 em in Vollkorn, 0.26 em in Noto Serif), stretching by
1/2 and shrinking by 1/3 of it. One change: \\frenchspacing, one word space
after a full stop as qalam and Typst set it (LaTeX's default widens it, and
pdf-typo-metrics would count those wider spaces as loose ones). One lualatex
run: nothing refers to anything.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True   # no __pycache__ left in benches/
from sample_text import ROOT, blocks  # noqa: E402

NOTO = '/usr/share/fonts/truetype/noto/'
FONTS = {
    'Vollkorn': (os.path.join(ROOT, 'fonts', 'vollkorn') + '/', 'Vollkorn'),
    'Noto Serif': (NOTO, 'NotoSerif'),
}

ESCAPES = {
    '\\': r'\textbackslash{}', '{': r'\{', '}': r'\}', '#': r'\#', '$': r'\$',
    '%': r'\%', '&': r'\&', '_': r'\_', '^': r'\textasciicircum{}',
    '~': r'\textasciitilde{}',
}


def escape(t):
    return ''.join(ESCAPES.get(c, c) for c in t)


def document(body_font):
    path, stem = FONTS[body_font]
    out = [r'''\documentclass[twoside]{article}
\usepackage[paperwidth=6in, paperheight=9in, inner=0.75in, outer=0.6in,
  top=0.7in, bottom=0.8in, twoside]{geometry}
\usepackage{fontspec}
\setmainfont{%(stem)s}[Path=%(path)s, Extension=.ttf,
  UprightFont=*-Regular, ItalicFont=*-Italic, BoldFont=*-Bold,
  BoldItalicFont=*-BoldItalic]
\newfontfamily\questionfont{NotoSans-Bold}[Path=%(noto)s, Extension=.ttf]
\usepackage[english]{babel}
\usepackage[protrusion=true,expansion=true]{microtype}
\renewcommand\normalsize{\fontsize{10.5bp}{14bp}\selectfont}
\setlength\topskip{10.5bp}
\setlength\parindent{1em}
\setlength\parskip{0pt}
\frenchspacing
\pagestyle{empty}
\newcommand\question[1]{\par\addvspace{7bp}{\questionfont\raggedright
  \interlinepenalty10000 \noindent #1\par}\nobreak\vspace{3.5bp}}
\begin{document}
\fontsize{10.5bp}{14bp}\selectfont
''' % {'stem': stem, 'path': path, 'noto': NOTO}]
    after_question = False
    for kind, text in blocks():
        if kind == 'question':
            out.append('\\question{%s}\n' % escape(text))
            after_question = True
        else:
            out.append(('\\noindent ' if after_question else '') + escape(text) + '\n')
            after_question = False
    out.append('\\end{document}\n')
    return '\n'.join(out)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in FONTS:
        sys.exit('usage: latex-sample.py "Vollkorn"|"Noto Serif" OUT.pdf')
    body_font, out_pdf = sys.argv[1], os.path.abspath(sys.argv[2])
    lualatex = shutil.which('lualatex')
    if lualatex is None:
        sys.exit('latex-sample.py: lualatex not found on PATH (Debian: apt-get install '
                 'texlive-luatex texlive-latex-recommended texlive-latex-extra)')
    with tempfile.TemporaryDirectory(prefix='qalam-latex-') as tmp:
        tex = document(body_font)
        # LuaTeX's own /ID hashes the temporary folder's name; one made from
        # the source keeps the PDF the same from run to run
        digest = hashlib.md5(tex.encode()).hexdigest().upper()
        tex = '\\pdfvariable trailerid {[<%s> <%s>]}\n' % (digest, digest) + tex
        with open(os.path.join(tmp, 'sample.tex'), 'w', encoding='utf-8') as f:
            f.write(tex)
        # LuaTeX dates the PDF by this when it is set
        env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get('SOURCE_DATE_EPOCH', '1700000000'))
        run = subprocess.run([lualatex, '-interaction=nonstopmode', '-halt-on-error',
                              'sample.tex'], cwd=tmp, env=env, capture_output=True,
                             text=True, errors='replace')
        pdf = os.path.join(tmp, 'sample.pdf')
        if run.returncode != 0 or not os.path.exists(pdf):
            log = os.path.join(tmp, 'sample.log')
            tail = open(log, errors='replace').read()[-3000:] if os.path.exists(log) else run.stdout[-3000:]
            sys.exit('latex-sample.py: lualatex failed (exit %d); the end of its log:\n%s'
                     % (run.returncode, tail))
        shutil.copyfile(pdf, out_pdf)
        if os.environ.get('LATEX_SAMPLE_KEEP'):
            shutil.copyfile(os.path.join(tmp, 'sample.log'), out_pdf[:-4] + '.log')
            shutil.copyfile(os.path.join(tmp, 'sample.tex'), out_pdf[:-4] + '.tex')


if __name__ == '__main__':
    main()
