"""The sample book's interview (book/interview.md) as plain text blocks, for
the scripts that set the same text with other typesetters
(benches/typst-sample.py, benches/latex-sample.py), so every tool in the
README's typesetting-quality table gets exactly the same words.

blocks() gives (kind, text) pairs in reading order: kind "question" for a
`#` heading, "para" for a paragraph (pull quotes are set as ordinary
paragraphs). Front matter, footnote references and footnote texts,
pictures and link targets are left out; emphasis marks are dropped; dashes
and quotes are the typographic characters qalam's typography pass makes.
The text is not escaped: each script escapes it for its own markup.
"""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def plain(t):
    t = re.sub(r'\[\^[^\]]*\]', '', t)                 # footnote refs
    t = re.sub(r'!\[[^\]]*\]\([^)]*\)', '', t)
    t = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', t)     # links -> text
    t = t.replace('**', '').replace('__', '')
    t = re.sub(r'(?<!\w)\*([^*]+)\*(?!\w)', r'\1', t)
    t = t.replace('---', '—').replace('--', '–')
    # typographic quotes as qalam's typography pass sets them
    t = re.sub(r'"(?=\w)', '“', t)
    t = t.replace('"', '”')
    t = re.sub(r"(?<=\w)'", '’', t)
    return t.replace("'", '‘')


def blocks(root=ROOT):
    src = open(os.path.join(root, 'book', 'interview.md'), encoding='utf-8').read()
    src = src.split('\n---\n', 1)[1]                   # past the front matter
    out = []
    for block in re.split(r'\n\s*\n', src):
        lines = [l.strip() for l in block.strip().splitlines()]
        # a pull quote marks every line with `>`, not only its first
        if lines and lines[0].startswith('>'):
            lines = [l[1:].strip() if l.startswith('>') else l for l in lines]
        b = ' '.join(lines)
        if not b or b.startswith('[^'):
            continue
        if b.startswith('#'):
            out.append(('question', plain(b.lstrip('#').strip())))
        else:
            out.append(('para', plain(b)))
    return out
