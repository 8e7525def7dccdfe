"""The area descriptions fortran/<area>.txt, their fragment files
fortran/<area>.f90 and the expansion of rank/type family templates.  Part
of fortran/gen.py; the formats are explained in fortran/README.md."""

import os
import re

TYPES = {                                    # element types of the rank/type families
    'f64': {'T': 'real(c_double)', 't': 'f64', 'DT': 'SL_F64', 'ES': '8'},
    'c128': {'T': 'complex(c_double_complex)', 't': 'c128', 'DT': 'SL_C128', 'ES': '16'},
}
MODS = {'int', 'logical', 'complex', 'inout', 'ptr'}


class GenError(Exception):
    pass


# ---- Descriptions ---------------------------------------------------------------

ARG_RE = re.compile(r'^(?P<c>\w+)(?P<arr>\[[\w*,]*\])?(?P<opt>\?(?:=(?P<dflt>[^:=]+))?)?'
                    r'(?P<mods>(?::\w+)*)(?:=(?P<f>\w+))?$')


class Arg:
    """The annotation of one C parameter: c, array ('' none, '*', ':' or the
    size parameter), optional, default, modifiers, Fortran name."""

    def __init__(self, tok, where):
        m = ARG_RE.match(tok)
        if not m:
            raise GenError('%s: cannot read "%s"' % (where, tok))
        self.c = m.group('c')
        arr = m.group('arr')
        self.array = None if arr is None else (arr[1:-1] or ':')
        self.optional = m.group('opt') is not None
        self.default = m.group('dflt')
        self.mods = set(x for x in m.group('mods').split(':') if x)
        bad = self.mods - MODS
        if bad:
            raise GenError('%s: unknown modifier :%s in "%s"' % (where, ', :'.join(sorted(bad)), tok))
        self.f = (m.group('f') or self.c).lower()


class Entry:
    """One line of a description: a binding, a struct, a skip."""

    def __init__(self, area, kind, name, toks, doc, where, heading):
        self.area, self.kind, self.name, self.doc, self.where = area, kind, name, doc, where
        self.heading = heading
        self.args = {}
        self.ret = None
        self.custom = False
        self.family = None
        self.types = ['f64', 'c128']
        self.ranks = None
        self.extra = []
        for t in toks:
            if t == 'custom':
                self.custom = True
            elif t.startswith('->'):
                self.ret = t[2:]
                if self.ret not in ('logical', 'int', 'value'):
                    raise GenError('%s: unknown return form %s' % (where, t))
            elif t.startswith('family='):
                self.family = t[7:]
            elif t.startswith('types='):
                self.types = t[6:].split(',')
            elif t.startswith('ranks='):
                lo, hi = t[6:].split('-')
                self.ranks = list(range(int(lo), int(hi) + 1))
            elif t.startswith('extra='):
                self.extra = t[6:].split(',')
            else:
                a = Arg(t, where)
                self.args[a.c] = a


class Area:
    def __init__(self, name, path):
        self.name = name
        self.title = ''
        self.doc = []
        self.handles = []
        self.constants = []                  # glob patterns
        self.headers = []
        self.share = []
        self.entries = []
        self.fragments = Fragments(os.path.join(os.path.dirname(path), name + '.f90'))
        self._read(path)

    def _read(self, path):
        doc, heading = [], None
        seen_entry = False
        with open(path) as fh:
            lines = fh.read().split('\n')
        for no, line in enumerate(lines, 1):
            where = '%s:%d' % (os.path.join('fortran', os.path.basename(path)), no)
            s = line.strip()
            if not s or s.startswith('#'):
                if not s and not seen_entry and doc:
                    self.doc, doc = self.doc + doc + [''], []
                continue
            if s.startswith('!'):
                doc.append(s[1:].rstrip()[1:] if s[1:2] == ' ' else s[1:].rstrip())
                continue
            if s.startswith('--'):
                heading = s.strip('- ')
                continue
            s, _, why = s.partition(' #')
            s, why = s.strip(), why.strip()
            word, *rest = s.split()
            if word == 'area':
                if rest != [self.name]:
                    raise GenError('%s: area %s in %s.txt' % (where, ' '.join(rest), self.name))
            elif word == 'title':
                self.title = ' '.join(rest)
            elif word == 'handles':
                self.handles += rest
            elif word == 'constants':
                self.constants += rest
            elif word == 'headers':
                self.headers += rest
            elif word == 'share':
                self.share += rest
            elif word == 'struct':
                seen_entry = True
                for name in rest:
                    self.entries.append(Entry(self, word, name, [], doc, where, heading))
                    doc, heading = [], None
            else:
                seen_entry = True
                if not re.fullmatch(r'\w+', word):
                    raise GenError('%s: cannot read "%s"' % (where, s))
                kind = 'bind'
                if rest == ['skip']:
                    kind, rest = 'skip', []
                    if not why:
                        raise GenError('%s: "%s skip" needs a reason (# ...)' % (where, word))
                self.entries.append(Entry(self, kind, word, rest, doc, where, heading))
                self.entries[-1].why = why
                doc, heading = [], None
        if doc and not seen_entry:
            self.doc += doc


class Fragments:
    """Sections of a fortran/*.f90 fragment file: '!@ proc NAME', '!@ family
    NAME', '!@ macro NAME', '!@ decl'; each runs to the next '!@' line."""

    def __init__(self, path):
        self.procs, self.families, self.macros, self.decls = {}, {}, {}, []
        self.path = path
        if not os.path.exists(path):
            return
        kind, name, body = None, None, []
        with open(path) as fh:
            lines = fh.read().split('\n') + ['!@ end']
        for line in lines:
            m = re.match(r'^!@\s*(\w+)\s*(\w*)', line)
            if not m:
                if kind:
                    body.append(line)
                continue
            if kind:
                while body and not body[-1].strip():
                    body.pop()
                text = '\n'.join(body)
                if kind == 'proc':
                    self.procs[name] = text
                elif kind == 'family':
                    self.families[name] = text
                elif kind == 'macro':
                    self.macros[name] = text
                elif kind == 'decl':
                    self.decls.append(text)
                else:
                    raise GenError('%s: unknown section "!@ %s"' % (path, kind))
            kind, name, body = m.group(1), m.group(2), []


def expand(src, macros, t, r, where):
    """A family template for element type t and rank r: {NAME} placeholders,
    {@macro} text macros, and lines kept only when their [cond] holds
    ([r=0], [r>0], [r=1], [r>1], [t=f64], [t=c128])."""
    def cond(c):
        m = re.fullmatch(r'(r|t)(=|>)(\w+)', c)
        if not m:
            raise GenError('%s: bad template condition [%s]' % (where, c))
        if m.group(1) == 't':
            return t == m.group(3)
        if r is None:
            raise GenError('%s: [%s] in a family without ranks' % (where, c))
        return r == int(m.group(3)) if m.group(2) == '=' else r > int(m.group(3))

    def macro(m):
        name = m.group(1)
        if name not in macros:
            raise GenError('%s: no "!@ macro %s"' % (where, name))
        return macros[name]

    text = src
    for _ in range(4):
        text = re.sub(r'\{@(\w+)\}', macro, text)
    lines = []
    for line in text.split('\n'):
        m = re.match(r'^\[([^\]]+)\](.*)$', line)
        if m:
            if not all(cond(c.strip()) for c in m.group(1).split(',')):
                continue
            line = m.group(2)
        lines.append(line)
    v = dict(TYPES[t])
    if r is not None:
        v['R'] = str(r)
        v['DIMS'] = '' if r == 0 else '(' + ','.join([':'] * r) + ')'
        v['FIRST'] = ','.join(['1'] * r)
        v['LAST'] = ','.join('size(x,%d)' % (i + 1) for i in range(r))
        v['SIZE'] = '1_c_int64_t' if r == 0 else 'size(x, kind=c_int64_t)'
    text = '\n'.join(lines)

    def subst(m):
        if m.group(1) not in v:
            raise GenError('%s: unknown placeholder {%s}' % (where, m.group(1)))
        return v[m.group(1)]
    return re.sub(r'\{(\w+)\}', subst, text)
