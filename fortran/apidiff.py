#!/usr/bin/env python3
"""The public interface of a Fortran module source, as a canonical listing,
and its comparison with a baseline.  Standard library only.

  python3 fortran/apidiff.py --dump FILE.f90 [MODULE]   print the listing
  python3 fortran/apidiff.py BASELINE FILE.f90 [MODULE] compare (exit 1 when
                                                         something was lost)

BASELINE is a listing (fortran/api-1.0.txt) or another module source.  The
listing names every public entity of MODULE (default symlearn; what it
re-exports from the modules it uses is followed): constants with their
values, derived types (bind(c) ones with their components and defaults),
procedures with every dummy argument (name, type, intent and attributes,
rank), and each generic with the signatures of its specific procedures
(their private names do not count).  Compatible means: every baseline line
is still there; new lines (additions) are fine."""

import re
import sys


def logical_lines(text):
    """Free-form source as statements: comments dropped, '&' joined."""
    out, cur = [], ''
    for raw in text.split('\n'):
        line = raw.split('!')[0] if "'" not in raw else _strip_comment(raw)
        line = line.rstrip()
        if not line.strip():
            continue
        s = line.strip()
        if cur:
            s = s[1:] if s.startswith('&') else s
            cur += ' ' + s.strip() if not cur.endswith(' ') else s.strip()
        else:
            cur = s
        if cur.endswith('&'):
            cur = cur[:-1].rstrip() + ' '
            continue
        out.append(' '.join(cur.split()))
        cur = ''
    return out


def _strip_comment(line):
    q = None
    for i, ch in enumerate(line):
        if ch in '\'"':
            q = None if q == ch else (q or ch)
        elif ch == '!' and q is None:
            return line[:i]
    return line


def split_top(s, sep=','):
    out, depth, cur, q = [], 0, '', None
    for ch in s:
        if ch in '\'"':
            q = None if q == ch else (q or ch)
        if q is None:
            if ch in '([':
                depth += 1
            elif ch in ')]':
                depth -= 1
        if ch == sep and depth == 0 and q is None:
            out.append(cur.strip())
            cur = ''
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


class Module:
    def __init__(self, name):
        self.name = name
        self.default_public = True
        self.public, self.private = set(), set()
        self.uses = []
        self.consts = {}          # name -> value text
        self.types = {}           # name -> (bind, [component lines])
        self.generics = {}        # name -> [specific]
        self.procs = {}           # name -> signature text
        self.local = set()


def parse(text):
    mods, m, stack = {}, None, []
    lines = logical_lines(text)
    i = 0
    in_type = None
    in_iface = None
    in_contains = False
    while i < len(lines):
        l = lines[i]
        low = l.lower()
        i += 1
        if m is None:
            mm = re.match(r'module (\w+)$', low)
            if mm:
                m = Module(mm.group(1))
                in_contains = False
            continue
        if re.match(r'end module\b', low):
            mods[m.name] = m
            m = None
            continue
        if in_type is not None:
            if re.match(r'end type\b', low):
                in_type = None
            elif low not in ('private', 'sequence'):
                m.types[in_type][1].extend(component(l))
            continue
        if in_iface is not None:
            if re.match(r'end interface\b', low):
                in_iface = None
                continue
            mm = re.match(r'module procedure (.*)$', low)
            if mm and in_iface:
                m.generics.setdefault(in_iface, []).extend(x.strip() for x in mm.group(1).split(','))
            continue
        if in_contains:
            mm = re.match(r'(?:(.*?)\s+)?(subroutine|function) (\w+)\s*\((.*?)\)\s*(?:result\s*\((\w+)\))?$',
                          low)
            if mm and not low.startswith('end'):
                name = mm.group(3)
                body = []
                depth = 1
                while depth:
                    s = lines[i].lower()
                    i += 1
                    if re.match(r'end (subroutine|function)\b', s):
                        depth -= 1
                        continue
                    if re.match(r'(?:.*?\s+)?(subroutine|function) \w+\s*\(', s) and '::' not in s:
                        depth += 1
                    body.append(lines[i - 1])
                m.procs[name] = signature(mm.group(2), mm.group(1), name, mm.group(4),
                                          mm.group(5), body)
            continue
        if low == 'contains':
            in_contains = True
            continue
        mm = re.match(r'use\b(?:\s*,\s*intrinsic\s*::)?\s*(\w+)(.*)$', low)
        if mm:
            only = None
            rest = mm.group(2)
            mo = re.match(r'\s*,\s*only\s*:(.*)$', rest)
            if mo:
                only = [x.strip() for x in mo.group(1).split(',')]
            m.uses.append((mm.group(1), only))
            continue
        if low in ('private', 'public'):
            m.default_public = low == 'public'
            continue
        mm = re.match(r'(public|private)\s*::\s*(.*)$', low)
        if mm:
            (m.public if mm.group(1) == 'public' else m.private).update(
                x.strip() for x in mm.group(2).split(','))
            continue
        mm = re.match(r'type\s*(,.*?)?::\s*(\w+)$', low) or re.match(r'type\s*(,[^:]*)?\s+(\w+)$', low)
        if mm and not low.startswith('type('):
            attrs = (mm.group(1) or '')
            name = mm.group(2)
            m.types[name] = ('bind(c)' in attrs.replace(' ', ''), [])
            m.local.add(name)
            if ', public' in attrs:
                m.public.add(name)
            in_type = name
            continue
        mm = re.match(r'interface\s*(\w*)$', low)
        if mm:
            in_iface = mm.group(1)
            if in_iface:
                m.local.add(in_iface)
            continue
        if 'parameter' in low and '::' in low:
            attrs, ents = low.split('::', 1)
            for ent in split_top(ents):
                n, v = [x.strip() for x in ent.split('=', 1)]
                m.consts[n] = v
                m.local.add(n)
                if 'public' in attrs:
                    m.public.add(n)
            continue
    return mods


def component(l):
    """(name: type dims, default) per entity of a component declaration."""
    attrs, ents = l.split('::', 1)
    t = attrs.strip().lower().replace(' ', '')
    out = []
    for ent in split_top(ents):
        n, _, dflt = ent.partition('=')
        n = n.strip().lower().replace(' ', '')
        out.append(('%s: %s' % (n, t), dflt.strip().lower().replace(' ', '') or None))
    return out


def signature(kind, prefix, name, args, result, body):
    dummies = [a.strip() for a in args.split(',') if a.strip()]
    decl = {}
    for l in body:
        if '::' not in l:
            continue
        attrs, ents = l.split('::', 1)
        attrs = [a.strip().lower().replace(' ', '') for a in split_top(attrs)]
        for ent in split_top(ents):
            mm = re.match(r'(\w+)\s*(\((.*)\))?', ent.strip())
            if not mm:
                continue
            n = mm.group(1).lower()
            rank = len(split_top(mm.group(3))) if mm.group(2) else 0
            if mm.group(3) and mm.group(3).strip() == '*':
                rank = '*'
            decl[n] = (attrs, rank)
    parts = []
    for d in dummies:
        attrs, rank = decl.get(d, (['?undeclared'], 0))
        t, rest = attrs[0], sorted(a for a in attrs[1:])
        dims = [a for a in rest if a.startswith('dimension')]
        rest = [a for a in rest if not a.startswith('dimension')]
        if dims:
            rank = len(split_top(dims[0][len('dimension('):-1]))
        parts.append('%s: %s%s%s' % (d, t, ''.join(' ' + a for a in rest),
                                    ' rank %s' % rank if rank else ''))
    ret = ''
    if kind == 'function':
        r = result or name
        if r in decl:
            a, rank = decl[r]
            ret = ' -> ' + ' '.join(a) + (' rank %s' % rank if rank else '')
        elif prefix:
            ret = ' -> ' + prefix.strip()
    return '%s(%s)%s' % (kind, '; '.join(parts), ret)


def listing(mods, top):
    """Lines for every public entity of module top (following use)."""
    seen = {}

    def exports(name):
        if name in seen:
            return seen[name]
        m = mods.get(name)
        if m is None:
            seen[name] = {}
            return {}
        ent = {}
        for uname, only in m.uses:
            for k, v in exports(uname).items():
                if only is None or k in only:
                    ent[k] = v
        for k in list(m.consts) + list(m.types) + list(m.generics) + list(m.procs):
            if k in m.consts:
                ent[k] = ('const', m, k)
            elif k in m.types:
                ent[k] = ('type', m, k)
            elif k in m.generics:
                # a generic extends a use-associated one of the same name
                prev = ent.get(k)
                specs = list(m.generics[k])
                if prev and prev[0] == 'generic':
                    specs = prev[3] + [s for s in specs if s not in prev[3]]
                ent[k] = ('generic', m, k, specs)
            else:
                ent.setdefault(k, ('proc', m, k))
        for k in m.public:
            if k not in ent:
                ent[k] = ('name', m, k)           # re-exported from an intrinsic module
        out = {}
        for k, v in ent.items():
            local = k in m.local or k in m.procs
            pub = k in m.public or (m.default_public and k not in m.private)
            if k in m.private:
                pub = False
            if pub and (local or k in m.public or m.default_public):
                out[k] = v
        seen[name] = out
        return out

    def proc_sig(m, p):
        for mm in mods.values():
            if p in mm.procs:
                return mm.procs[p]
        return '?missing ' + p

    lines = []
    consts = {}
    for mm in mods.values():
        consts.update(mm.consts)
    for k, v in sorted(exports(top).items()):
        kind, m = v[0], v[1]
        if kind == 'const':
            lines.append('const %s = %s' % (k, m.consts[k]))
        elif kind == 'type':
            bind, comps = m.types[k]
            if bind:
                for c, dflt in comps:
                    if dflt is not None:
                        dflt = consts.get(dflt, dflt)   # a named constant: its value
                    lines.append('type %s bind(c): %s%s' % (k, c, ' = ' + dflt if dflt else ''))
            else:
                lines.append('type %s' % k)
        elif kind == 'generic':
            for s in sorted(set(proc_sig(m, p) for p in v[3])):
                lines.append('generic %s: %s' % (k, s))
        elif kind == 'name':
            lines.append('name %s' % k)
        else:
            lines.append('proc %s: %s' % (k, proc_sig(m, k)))
    return lines


def extended(line, new):
    """Is line (a procedure or a generic's specific) matched in new by the same
    procedure with optional dummy arguments appended (calls stay valid)?"""
    m = re.match(r'(proc|generic) (\w+): (\w+)\((.*)\)(.*)$', line)
    if not m:
        return False
    args = m.group(4).split('; ') if m.group(4) else []
    for l in new:
        n = re.match(r'(proc|generic) (\w+): (\w+)\((.*)\)(.*)$', l)
        if not n or n.group(1, 2, 3, 5) != m.group(1, 2, 3, 5):
            continue
        nargs = n.group(4).split('; ') if n.group(4) else []
        if nargs[:len(args)] == args and all(' optional' in a for a in nargs[len(args):]):
            return True
    return False


def load(path, top):
    with open(path) as fh:
        text = fh.read()
    if re.search(r'^\s*module\s+\w+\s*$', text, flags=re.M | re.I):
        mods = parse(text)
        if top not in mods:
            raise SystemExit('%s: no module %s' % (path, top))
        return listing(mods, top)
    return [l for l in text.split('\n') if l.strip() and not l.startswith('#')]


def main(argv):
    if len(argv) >= 2 and argv[0] == '--dump':
        top = argv[2] if len(argv) > 2 else 'symlearn'
        print('# Public interface of module %s (fortran/apidiff.py --dump)' % top)
        print('\n'.join(load(argv[1], top)))
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    top = argv[2] if len(argv) > 2 else 'symlearn'
    old, new = load(argv[0], top), load(argv[1], top)
    newset = set(new)
    lost = [l for l in old if l not in newset and not extended(l, new)]
    added = [l for l in new if l not in set(old)]
    names = lambda ls: set(re.match(r'\w+ (\w+)', l).group(1) for l in ls)
    print('apidiff: %d public names, %d lines in %s; %d names, %d lines in %s'
          % (len(names(old)), len(old), argv[0], len(names(new)), len(new), argv[1]))
    for l in added:
        print('  + ' + l)
    for l in lost:
        print('  - ' + l)
    if lost:
        print('apidiff: %d lines of %s are missing or changed in %s (incompatible)'
              % (len(lost), argv[0], argv[1]))
        return 1
    print('apidiff: compatible (%d additions)' % len(added))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
