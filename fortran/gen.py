#!/usr/bin/env python3
"""Generate include/symlearn.f90, the Fortran module, from the public C
headers and the area descriptions in fortran/.  Standard library only.

  python3 fortran/gen.py                 write include/symlearn.f90
  python3 fortran/gen.py -o FILE         write FILE instead

Inputs (fortran/README.md explains them):
  include/symlearn/*.h   prototypes, option structs, constants (cheader.py)
  fortran/areas          the area modules, in dependency order
  fortran/<area>.txt     what the headers cannot say: arrays, strings,
                         optional arguments, names, rank/type families
  fortran/<area>.f90     hand-written procedures and family templates
  fortran/base.f90       helpers shared by every area (module symlearn_base)
  fortran/header.f90     the comment at the top of the generated file
The output is one file: module symlearn_base, one module symlearn_<area> per
area, then module symlearn, which re-exports every area."""

import argparse
import fnmatch
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cheader  # noqa: E402
from describe import Area, Arg, Entry, Fragments, GenError, TYPES, expand  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, 'fortran')
WIDTH = 100                                  # wrap generated lines longer than this

# C scalar type -> (Fortran type, kind constant)
KINDS = {
    'int': ('integer(c_int)', 'c_int'),
    'int64_t': ('integer(c_int64_t)', 'c_int64_t'),
    'uint64_t': ('integer(c_int64_t)', 'c_int64_t'),
    'size_t': ('integer(c_size_t)', 'c_size_t'),
    'double': ('real(c_double)', 'c_double'),
}
COMPLEX = 'complex(c_double_complex)'


# ---- Fortran text helpers ----------------------------------------------------------

def wrap(line, width=WIDTH):
    """Break a long free-form line at ', ' (outside quotes) with '&'."""
    if len(line) <= width or line.lstrip().startswith('!'):
        return [line]
    indent = len(line) - len(line.lstrip())
    out, rest = [], line
    first = True
    while len(rest) > width:
        cut, quote = -1, None
        for i, ch in enumerate(rest[:width - 2]):
            if ch in '\'"':
                quote = None if quote == ch else (quote or ch)
            elif ch == ',' and quote is None and i + 1 < len(rest) and rest[i + 1] == ' ':
                cut = i
        if cut < indent + 8:
            break
        out.append(rest[:cut + 1] + ' &')
        rest = ' ' * (indent + 4) + rest[cut + 2:].lstrip()
        first = False
    out.append(rest)
    del first
    return out


def group(decls):
    """Consecutive declarations with the same type and attributes as one
    statement: 'real(c_double), value :: a' + '... :: b' -> '... :: a, b'."""
    out = []
    for d in decls:
        spec, _, ent = d.partition(' :: ')
        if out and '=' not in ent and out[-1][0] == spec and '=' not in out[-1][1][-1]:
            out[-1][1].append(ent)
        else:
            out.append((spec, [ent]))
    return ['%s :: %s' % (spec, ', '.join(ents)) for spec, ents in out]


def emit_list(prefix, names, indent='  '):
    """prefix :: a, b, c wrapped; names in the given order."""
    return wrap(indent + prefix + ' '.join([', '.join(names)]))


# ---- The model: one area module -------------------------------------------------------

class Generator:
    def __init__(self):
        self.h = cheader.Headers(os.path.join(ROOT, 'include', 'symlearn'))
        with open(os.path.join(HERE, 'areas')) as fh:
            names = [l.split('#')[0].strip() for l in fh]
        self.areas = [Area(n, os.path.join(HERE, n + '.txt')) for n in names if n]
        self.base = Fragments(os.path.join(HERE, 'base.f90'))
        self.macros = dict(self.base.macros)
        for a in self.areas:
            self.macros.update(a.fragments.macros)
        self.handle_area = {}
        for a in self.areas:
            for hname in a.handles:
                if hname not in self.h.handles:
                    raise GenError('fortran/%s.txt: handle %s is not an opaque type of the headers'
                                   % (a.name, hname))
                self.handle_area[hname] = a.name
        self._check_coverage()

    # -- every function, constant, struct and handle of the headers has one place
    def _check_coverage(self):
        claimed, errors = {}, []
        for a in self.areas:
            for e in a.entries:
                names = [e.name]
                if e.kind == 'struct':
                    names = [e.name + '_init_sized']
                    if e.name not in self.h.structs:
                        errors.append('%s: struct %s is not in the headers' % (e.where, e.name))
                for n in names:
                    if n in claimed:
                        errors.append('%s: %s is also described at %s' % (e.where, n, claimed[n]))
                    claimed[n] = e.where
                if e.kind == 'bind' and e.name not in self.h.functions and not e.custom:
                    errors.append('%s: %s is not a function of the headers (a Fortran-only '
                                  'procedure needs "custom")' % (e.where, e.name))
                if e.kind == 'skip' and e.name not in self.h.functions:
                    errors.append('%s: skip %s: not a function of the headers' % (e.where, e.name))
                fn = self.h.functions.get(e.name)
                for a_ in e.args.values():
                    if fn is None or fn.param(a_.c) is None:
                        errors.append('%s: %s has no parameter %s' % (e.where, e.name, a_.c))
        for name, fn in sorted(self.h.functions.items()):
            if name not in claimed:
                errors.append('%s: %s has no Fortran binding: add a line for it to the '
                              'fortran/<area>.txt of its header (%s), or "%s skip  # why" '
                              '(fortran/README.md)' % (fn.header, name, self._area_hint(fn.header),
                                                              name))
        owner = {}
        for c in self.h.order:
            hits = [a.name for a in self.areas if any(fnmatch.fnmatchcase(c, g) for g in a.constants)]
            if len(hits) != 1:
                errors.append('%s: constant %s is claimed by %s area (list it in one "constants" '
                              'line)' % (self.h.constants[c][1], c, 'no' if not hits else
                                         'more than one (' + ', '.join(hits) + ')'))
            else:
                owner[c] = hits[0]
        self.constant_area = owner
        for hname, header in sorted(self.h.handles.items()):
            if hname not in self.handle_area:
                errors.append('%s: handle type %s is in no "handles" line' % (header, hname))
        for s in self.h.structs:
            if s + '_init_sized' not in claimed:
                errors.append('%s: option struct %s has no "struct %s" line'
                              % (self.h.structs[s].header, s, s))
        if errors:
            raise GenError('\n'.join(errors))

    def _area_hint(self, header):
        base = os.path.basename(header)
        for a in self.areas:
            if base in a.headers:
                return 'fortran/%s.txt' % a.name
        return 'no area lists %s in its "headers" line yet' % base

    # -- Fortran types of C parameters --------------------------------------------------------
    def kind_of(self, base):
        b = self.h.base_of(base)
        if b not in KINDS:
            raise GenError('no Fortran kind for C type %s' % base)
        return KINDS[b]

    def classify(self, p, a):
        """What a C parameter is: scalar, handle, handle_out, handles (an
        array of nodes), string, ptr, funptr, struct, array, out (a scalar
        written by C)."""
        b = self.h.base_of(p.base)
        if a is not None and 'ptr' in a.mods:
            return 'ptr'
        if p.base in self.h.callbacks:
            return 'funptr'
        if p.base in self.h.structs and p.ptr == 1:
            return 'struct'
        if p.base in self.h.handles:
            if p.ptr == 1:
                return 'handle'
            if p.ptr == 2 and (p.const or (a is not None and a.array)):
                return 'handles'
            if p.ptr == 2:
                return 'handle_out'
        if p.base == 'char' and p.ptr == 1 and p.const:
            return 'string'
        if p.ptr == 2:
            return 'ptr_out'   # C writes a pointer it owns: only in custom wrappers
        if p.base == 'void' and p.ptr == 1:
            return 'ptr'
        if p.base == 'FILE':
            return 'ptr'
        if b in KINDS and p.ptr == 0:
            return 'scalar'
        if b in KINDS and p.ptr == 1:
            if p.const or (a is not None and a.array):
                return 'array'
            return 'out'
        raise GenError('%s: no Fortran form for parameter "%s"' % (p.name, p.text))

    # -- the bind(c) interface of a C function ------------------------------------------------
    def interface(self, fn, ent):
        kinds, lines = set(), []
        names = [p.name.lower() for p in fn.params]
        ret = fn.ret
        if ret.ptr == 0 and ret.base == 'void':
            head = 'subroutine'
        else:
            head = 'function'
        cname = 'c_' + fn.name
        lines.append('%s %s(%s) bind(c, name=\'%s\')' % (head, cname, ', '.join(names), fn.name))
        body = []
        if head == 'function':
            if ret.ptr:
                body.append('type(c_ptr) :: %s' % cname)
                kinds.add('c_ptr')
            else:
                t, k = self.kind_of(ret.base)
                body.append('%s :: %s' % (t, cname))
                kinds.add(k)
        imports_types = set()
        for p in fn.params:
            a = ent.args.get(p.name) if ent else None
            cls = self.classify(p, a)
            n = p.name.lower()
            if cls == 'scalar':
                t, k = self.kind_of(p.base)
                body.append('%s, value :: %s' % (t, n))
                kinds.add(k)
            elif cls in ('handle', 'ptr', 'string'):
                body.append('type(c_ptr), value :: %s' % n)
                kinds.add('c_ptr')
            elif cls in ('handle_out', 'ptr_out'):
                body.append('type(c_ptr), intent(out) :: %s' % n)
                kinds.add('c_ptr')
            elif cls == 'handles':
                body.append('type(c_ptr)%s :: %s(*)' % (', intent(in)' if p.const else '', n))
                kinds.add('c_ptr')
            elif cls == 'funptr':
                body.append('type(c_funptr), value :: %s' % n)
                kinds.add('c_funptr')
            elif cls == 'struct':
                if a is not None and a.optional:
                    body.append('type(c_ptr), value :: %s' % n)
                    kinds.add('c_ptr')
                else:
                    body.append('type(%s)%s :: %s' % (p.base, ', intent(in)' if p.const else '', n))
                    imports_types.add(p.base)
            elif cls in ('array', 'out'):
                t, k = self.kind_of(p.base)
                if a is not None and 'complex' in a.mods:
                    t, k = COMPLEX, 'c_double_complex'
                intent = ', intent(in)' if p.const else ''
                if cls == 'out':
                    body.append('%s, intent(out) :: %s' % (t, n))
                else:
                    body.append('%s%s :: %s(*)' % (t, intent, n))
                kinds.add(k)
        imp = sorted(kinds) + sorted(imports_types)
        out = lines + ['  import :: ' + ', '.join(imp)] + ['  ' + b for b in group(body)]
        out.append('end %s %s' % (head, cname))
        return out

    # -- a wrapper from the C prototype and the annotations --------------------------------
    def wrapper(self, fn, ent, fname=None, sized=None):
        """The public procedure for fn.  sized: the C parameter filled with
        c_sizeof(first argument) (the option-struct initialisers)."""
        fname = fname or fn.name
        sizes = {}                          # C size parameter -> the array it measures
        for a in ent.args.values():
            if a.array and a.array not in ('*', ':'):
                if fn.param(a.array) is None:
                    raise GenError('%s: %s[%s]: %s has no parameter %s'
                                   % (ent.where, a.c, a.array, fn.name, a.array))
                sizes[a.array] = a
        dummies, decls, locs, pre, post, cargs = [], [], [], [], [], []
        destroy = fn.name.endswith('_destroy') and len(fn.params) == 1
        first = None
        for p in fn.params:
            a = ent.args.get(p.name) or Arg(p.name, ent.where)
            n = a.f
            cls = self.classify(p, ent.args.get(p.name))
            if p.name in sizes:
                arr = sizes[p.name]
                k = self.kind_of(p.base)[1]
                cargs.append('size(%s, kind=%s)' % (arr.f, k))
                continue
            if sized and p.name == sized:
                cargs.append('c_sizeof(%s)' % first)
                continue
            if first is None:
                first = n
            if cls == 'ptr_out':
                raise GenError('%s: %s: a pointer written by C ("%s") needs a custom wrapper'
                               % (fn.name, p.name, p.text))
            opt = ', optional' if a.optional else ''
            if cls == 'scalar':
                t, k = self.kind_of(p.base)
                dt, expr = t, n
                if 'int' in a.mods:
                    dt, expr = 'integer', 'int(%s, %s)' % (n, k)
                elif 'logical' in a.mods:
                    dt, expr = 'logical', 'c_flag(%s)' % n
                decls.append('%s, intent(in)%s :: %s' % (dt, opt, n))
                if a.optional:
                    v = 'l_' + n
                    locs.append('%s :: %s' % (t, v))
                    dflt = a.default if a.default is not None else (
                        '.false.' if 'logical' in a.mods else '0')
                    if 'logical' in a.mods:
                        pre.append('%s = c_flag(%s)' % (v, dflt))
                    elif 'int' in a.mods:
                        pre.append('%s = int(%s, %s)' % (v, dflt, k))
                    else:
                        pre.append('%s = %s' % (v, dflt))
                    pre.append('if (present(%s)) %s = %s' % (n, v, expr))
                    expr = v
                cargs.append(expr)
            elif cls == 'handle':
                hn = p.base
                intent = 'inout' if destroy else 'in'
                decls.append('type(%s), intent(%s)%s :: %s' % (hn, intent, opt, n))
                if a.optional:
                    v = 'l_' + n
                    locs.append('type(c_ptr) :: %s' % v)
                    pre += ['%s = c_null_ptr' % v, 'if (present(%s)) %s = %s%%ptr' % (n, v, n)]
                    cargs.append(v)
                else:
                    cargs.append('%s%%ptr' % n)
                if destroy:
                    post.append('%s%%ptr = c_null_ptr' % n)
            elif cls == 'handle_out':
                decls.append('type(%s), intent(out) :: %s' % (p.base, n))
                cargs.append('%s%%ptr' % n)
            elif cls == 'handles':
                if p.base != 'sl_node' or not p.const:
                    raise GenError('%s: %s: only input arrays of sl_node are generated; write it '
                                   'as custom' % (ent.where, p.name))
                decls.append('type(sl_node), intent(in) :: %s(:)' % n)
                cargs.append('node_ptrs(%s)' % n)
            elif cls == 'string':
                decls.append('character(*), intent(in)%s :: %s' % (opt, n))
                b = 'l_' + n
                locs.append('character(kind=c_char), allocatable, target :: %s(:)' % b)
                if a.optional:
                    v = 'lp_' + n
                    locs.append('type(c_ptr) :: %s' % v)
                    pre += ['%s = c_null_ptr' % v, 'if (present(%s)) then' % n,
                            '  call to_c_string(%s, %s)' % (n, b), '  %s = c_loc(%s)' % (v, b),
                            'end if']
                    cargs.append(v)
                else:
                    pre.append('call to_c_string(%s, %s)' % (n, b))
                    cargs.append('c_loc(%s)' % b)
            elif cls == 'ptr':
                decls.append('type(c_ptr), intent(in) :: %s' % n)
                cargs.append(n)
            elif cls == 'funptr':
                decls.append('type(c_funptr), intent(in) :: %s' % n)
                cargs.append(n)
            elif cls == 'struct':
                intent = 'in' if p.const else 'out'
                if a.optional:
                    decls.append('type(%s), intent(%s), optional, target :: %s' % (p.base, intent, n))
                    v = 'l_' + n
                    locs.append('type(c_ptr) :: %s' % v)
                    pre += ['%s = c_null_ptr' % v, 'if (present(%s)) %s = c_loc(%s)' % (n, v, n)]
                    cargs.append(v)
                else:
                    decls.append('type(%s), intent(%s) :: %s' % (p.base, intent, n))
                    cargs.append(n)
            elif cls == 'array':
                t, k = self.kind_of(p.base)
                if 'complex' in a.mods:
                    t = COMPLEX
                intent = 'in' if p.const else ('inout' if 'inout' in a.mods else 'out')
                shape = '(*)' if a.array == '*' else '(:)'
                decls.append('%s, intent(%s) :: %s%s' % (t, intent, n, shape))
                cargs.append(n)
            elif cls == 'out':
                t, k = self.kind_of(p.base)
                dt = 'integer' if 'int' in a.mods else t
                decls.append('%s, intent(out)%s :: %s' % (dt, opt, n))
                if a.optional or 'int' in a.mods:
                    v = 'l_' + n
                    locs.append('%s :: %s' % (t, v))
                    pre.append('%s = 0' % v)
                    cargs.append(v)
                    conv = 'int(%s)' % v if 'int' in a.mods else v
                    post.append(('if (present(%s)) ' % n if a.optional else '') + '%s = %s' % (n, conv))
                else:
                    pre.append('%s = 0' % n)
                    cargs.append(n)
            dummies.append(n)
        call = 'c_%s(%s)' % (fn.name, ', '.join(cargs))
        ret, r = fn.ret, ent.ret
        rb = self.h.base_of(ret.base)
        if ret.ptr == 0 and ret.base == 'void':
            kind, body = 'subroutine', ['call ' + call]
        elif ret.ptr == 0 and ret.base == 'sl_status' and r != 'value':
            kind = 'subroutine'
            dummies.append('ierr')
            decls.append('integer, intent(out), optional :: ierr')
            body = ['call set_ierr(ierr, %s)' % call]
        else:
            kind = 'function'
            if ret.ptr == 1 and ret.base in self.h.handles:
                decls.append('type(%s) :: res' % ret.base)
                body = ['res%%ptr = %s' % call]
            elif ret.ptr == 1 and ret.base == 'char':
                decls.append('character(:), allocatable :: res')
                body = ['res = from_c_string(%s)' % call]
            elif ret.ptr == 0 and rb in KINDS:
                t = KINDS[rb][0]
                if r == 'logical':
                    decls.append('logical :: res')
                    body = ['res = %s /= 0' % call]
                elif r == 'int':
                    decls.append('integer :: res')
                    body = ['res = int(%s)' % call]
                else:
                    decls.append('%s :: res' % t)
                    body = ['res = %s' % call]
            else:
                raise GenError('%s: %s returns "%s": write it as custom'
                               % (ent.where, fn.name, ret.text))
        if 'res' in dummies:
            raise GenError('%s: a parameter named res' % ent.where)
        head = '%s %s(%s)' % (kind, fname, ', '.join(dummies))
        if kind == 'function':
            head += ' result(res)'
        out = [head] + ['  ' + d for d in group(decls) + group(locs)] + \
            ['  ' + s for s in pre + body + post]
        out.append('end %s %s' % (kind, fname))
        return out

    # -- rank/type families ---------------------------------------------------------------
    def family(self, ent):
        src = None
        for a in self.areas:
            src = src or a.fragments.families.get(ent.family)
        if src is None:
            raise GenError('%s: no "!@ family %s" in the fragments' % (ent.where, ent.family))
        procs, names = [], []
        for t in ent.types:
            if t not in TYPES:
                raise GenError('%s: unknown element type %s' % (ent.where, t))
            for r in (ent.ranks if ent.ranks is not None else [None]):
                text = expand(src, self.macros, t, r, ent.where)
                m = re.search(r'^\s*(?:\w+(?:\([\w, ]*\))?\s+)?(?:subroutine|function)\s+(\w+)',
                              text, flags=re.M)
                if not m:
                    raise GenError('%s: family %s makes no procedure' % (ent.where, ent.family))
                names.append(m.group(1))
                procs.append(text)
        return names, procs

    # -- output -------------------------------------------------------------------------------
    def generate(self):
        out = []
        with open(os.path.join(HERE, 'header.f90')) as fh:
            out += fh.read().rstrip('\n').split('\n')
        out += ['!', '! GENERATED by fortran/gen.py from include/symlearn/*.h and fortran/*: do not',
                '! edit; change those and run `make fortran-gen` (fortran/README.md).', '']
        out += self.base_module()
        for a in self.areas:
            out += [''] + self.area_module(a)
        out += [''] + self.umbrella()
        return '\n'.join(out) + '\n'

    def base_module(self):
        b = self.base
        out = ['! ==== Helpers shared by the area modules (not part of the interface) ====',
               'module symlearn_base', '  use, intrinsic :: iso_c_binding', '  implicit none',
               '  public']
        for d in b.decls:
            out += [''] + d.split('\n')
        out += ['', 'contains']
        for name, text in b.procs.items():
            out += [''] + text.split('\n')
        out += ['', 'end module symlearn_base']
        return out

    def area_module(self, a):
        h = self.h
        mod = 'symlearn_' + a.name
        out = ['! ==== %s ====' % (a.title or a.name)]
        out += ['!' + (' ' + d if d else '') for d in a.doc]
        while out and out[-1] == '!':
            out.pop()
        out += ['module ' + mod, '  use, intrinsic :: iso_c_binding', '  use symlearn_base']
        for prev in self.areas[:self.areas.index(a)]:
            out.append('  use symlearn_' + prev.name)
        out += ['  implicit none', '  private']
        if a.name == self.areas[0].name:
            out += ['', '  public :: c_int, c_int64_t, c_size_t, c_double, c_double_complex']
        # constants, grouped as in the headers
        consts = [c for c in h.order if self.constant_area[c] == a.name]
        if consts:
            out += ['', '  ! ---- Constants (values fixed within ABI 1) ----']
            groups = []
            for c in consts:
                g = h.constants[c][2]
                if groups and groups[-1][0] == g:
                    groups[-1][1].append(c)
                else:
                    groups.append((g, [c]))
            for g, cs in groups:
                items = ['%s = %d' % (c, h.constants[c][0]) for c in cs]
                out += wrap('  integer(c_int), parameter, public :: ' + ', '.join(items))
        if a.handles:
            out += ['', '  ! ---- Handles: one C pointer each (null until created) ----']
            for hn in a.handles:
                out += ['  type, public :: %s' % hn, '    type(c_ptr) :: ptr = c_null_ptr',
                        '  end type %s' % hn]
        structs = [e for e in a.entries if e.kind == 'struct']
        for e in structs:
            out += [''] + ['  ! ' + d if d else '  !' for d in e.doc] + self.mirror(h.structs[e.name])
        for d in a.fragments.decls:
            out += [''] + d.split('\n')
        # what is public, the generics and the procedures in description order
        public, generics, procs, cfuncs = [], [], [], []
        if a.handles:
            public.append('sl_associated')
            generics.append(('sl_associated', ['assoc_' + hn[3:] for hn in a.handles]))
        for e in a.entries:
            if e.kind == 'skip':
                continue
            if e.kind == 'struct':
                fn = h.functions[e.name + '_init_sized']
                cfuncs.append((fn, e))
                public.append(e.name + '_init')
                arg = fn.params[0].name.lower()
                doc = ['Fill %s with the C defaults (%s_init_sized, size = c_sizeof(%s)).'
                       % (arg, e.name, arg)]
                procs.append((doc, self.wrapper(fn, e, fname=e.name + '_init', sized='size')))
                continue
            fn = h.functions.get(e.name)
            if fn is not None:
                cfuncs.append((fn, e))
            public.append(e.name)
            if e.family:
                names, fprocs = self.family(e)
                for x in e.extra:
                    if x not in a.fragments.procs:
                        raise GenError('%s: no "!@ proc %s" in %s' % (e.where, x, a.fragments.path))
                    names.insert(0, x)
                    fprocs.insert(0, a.fragments.procs[x])
                generics.append((e.name, names))
                for i, p in enumerate(fprocs):
                    procs.append((e if i == 0 else None, p.split('\n')))
            elif e.custom:
                if e.name not in a.fragments.procs:
                    raise GenError('%s: no "!@ proc %s" in %s' % (e.where, e.name, a.fragments.path))
                procs.append((e, a.fragments.procs[e.name].split('\n')))
            else:
                procs.append((e, self.wrapper(fn, e)))
        used = set()
        for e in a.entries:
            used.update([e.name] + e.extra)
        helpers = [(n, t) for n, t in a.fragments.procs.items() if n not in used]
        out += ['']
        out += emit_list('public :: ', public)
        if a.share:
            out += ['  ! for the area modules after this one (module symlearn hides them)']
            out += emit_list('public :: ', a.share)
        for gname, specifics in generics:
            out += ['', '  interface ' + gname]
            out += emit_list('module procedure ', specifics, indent='    ')
            out += ['  end interface ' + gname]
        if cfuncs:
            out += ['', '  ! bind(c) interfaces, from the prototypes in ' +
                    ', '.join(sorted(set(os.path.basename(f.header) for f, _ in cfuncs)))]
            out += ['  interface']
            for fn, e in cfuncs:
                for l in self.interface(fn, e):
                    out += wrap('    ' + l)
            out += ['  end interface']
        out += ['', 'contains']
        for name, text in helpers:
            out += [''] + text.split('\n')
        if a.handles:
            out.append('')
            for hn in a.handles:
                f = 'assoc_' + hn[3:]
                out += ['  logical function %s(h)' % f, '    type(%s), intent(in) :: h' % hn,
                        '    %s = c_associated(h%%ptr)' % f, '  end function %s' % f]
        for e, lines in procs:
            doc = e if isinstance(e, list) else (e.doc if e is not None else [])
            if isinstance(e, Entry) and e.heading:
                out += ['', '  ! ---- %s %s' % (e.heading, '-' * max(4, 70 - len(e.heading)))]
            out.append('')
            out += ['  ! ' + d if d else '  !' for d in doc]
            indent = '' if lines and lines[0].startswith('  ') else '  '
            for l in lines:
                out += wrap(indent + l if l else '')
        out += ['', 'end module ' + mod]
        return out

    def mirror(self, s):
        """A bind(c) type field for field, defaults from the SL_X_INIT macro."""
        out = ['  type, bind(c), public :: ' + s.name]
        for i, f in enumerate(s.fields):
            if f.base in self.h.callbacks:
                t, zero = 'type(c_funptr)', 'c_null_funptr'
            elif f.ptr:
                t, zero = 'type(c_ptr)', 'c_null_ptr'
            else:
                t, zero = self.kind_of(f.base)[0], '0'
            v = s.init[i] if s.init else None
            if isinstance(v, list):
                v = v[0] if v and all(x == v[0] for x in v) else '[' + ', '.join(v) + ']'
            if v is None or v.startswith('sizeof') or zero != '0' or v in ('0', '0.0', 'NULL'):
                v = zero
            elif t == 'real(c_double)':
                v = fortran_real(v)
            dims = '(%s)' % f.array if f.array else ''
            line = '    %s :: %s%s = %s' % (t, f.name, dims, v)
            c = s.comments.get(f.name)
            if c and len(line) + len(c) + 3 <= WIDTH:
                line += '  ! ' + c
            elif c:
                out += wrap('    ! ' + c, WIDTH) if len('    ! ' + c) <= WIDTH else \
                    ['    ! ' + l for l in split_words(c, WIDTH - 6)]
            out.append(line)
        out.append('  end type ' + s.name)
        return out

    def umbrella(self):
        out = ['! ==== The interface: every area behind one `use symlearn` ====',
               'module symlearn']
        for a in self.areas:
            out.append('  use symlearn_' + a.name)
        out += ['  implicit none', '  public']
        hidden = [n for a in self.areas for n in a.share]
        if hidden:
            out += emit_list('private :: ', hidden)
        out.append('end module symlearn')
        return out


def split_words(text, width):
    lines, cur = [], ''
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + ' ' + w).strip()
    return lines + [cur]


def fortran_real(v):
    """A C double literal as a Fortran c_double constant."""
    if re.fullmatch(r'-?\d+', v):
        return v
    m = re.fullmatch(r'(-?\d*\.?\d*)(?:[eE]([-+]?\d+))?', v)
    if not m:
        return v
    mant = m.group(1)
    if '.' not in mant:
        mant += '.0'
    return mant + ('e' + m.group(2) if m.group(2) else '') + '_c_double'


# ---- Tests of the mirrors: every option struct's size and field offsets ---------------

def mirror_tests(h):
    """(C table, Fortran test program) checking every bind(c) mirror of an
    option struct against the C compiler's layout: the size and the offset
    of every field.  Written to tests/ by `make fortran-gen`, compared by
    `make fortran-gen-check` like include/symlearn.f90."""
    names = sorted(h.structs)
    c = ['/* Generated by fortran/gen.py (make fortran-gen): do not edit.  The',
         ' * option structs as the C compiler lays them out, for',
         ' * tests/test_fortran_mirrors.f90 to compare with their bind(c) mirrors. */',
         '#include <stddef.h>', '#include <string.h>', '', '#include "symlearn.h"', '',
         'static const struct {', '    const char *s, *f;', '    size_t v;', '} table[] = {']
    for n in names:
        c.append('    { "%s", "", sizeof(%s) },' % (n, n))
        for f in h.structs[n].fields:
            c.append('    { "%s", "%s", offsetof(%s, %s) },' % (n, f.name, n, f.name))
    c += ['};', '',
          '/* The offset of field f of struct s, sizeof(s) for f = "", (size_t)-1 if unknown. */',
          'size_t sl_test_mirror_layout(const char *s, const char *f);',
          'size_t sl_test_mirror_layout(const char *s, const char *f)', '{',
          '    for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i)',
          '        if (!strcmp(table[i].s, s) && !strcmp(table[i].f, f)) return table[i].v;',
          '    return (size_t)-1;', '}', '']
    f = ['! Generated by fortran/gen.py (make fortran-gen): do not edit.',
         '! Every bind(c) mirror of an option struct in include/symlearn.f90 has the',
         '! C layout: its size and the offset of each field equal what the C',
         '! compiler gives (tests/fortran_mirrors.c).',
         'program test_fortran_mirrors',
         '  use symlearn',
         '  use checks',
         '  use, intrinsic :: iso_c_binding',
         '  implicit none',
         '  interface',
         '    function layout(s, f) bind(c, name=\'sl_test_mirror_layout\')',
         '      import :: c_char, c_size_t',
         '      character(kind=c_char), intent(in) :: s(*), f(*)',
         '      integer(c_size_t) :: layout',
         '    end function layout',
         '  end interface']
    for i, n in enumerate(names):
        f.append('  type(%s), target :: s%d' % (n, i))
    f.append('')
    for i, n in enumerate(names):
        f.append("  call size_is('%s', c_sizeof(s%d))" % (n, i))
        for fl in h.structs[n].fields:
            f.append("  call offset_is('%s', '%s', c_loc(s%d), c_loc(s%d%%%s))" % (n, fl.name, i, i, fl.name))
    f += ['  call check_done()', 'contains',
          '  subroutine size_is(s, bytes)',
          '    character(*), intent(in) :: s',
          '    integer(c_size_t), intent(in) :: bytes',
          "    call check(s // ': size', layout(s // c_null_char, c_null_char) == bytes)",
          '  end subroutine size_is',
          '  subroutine offset_is(s, fname, base, field)',
          '    character(*), intent(in) :: s, fname',
          '    type(c_ptr), intent(in) :: base, field',
          '    integer(c_intptr_t) :: off',
          '    off = transfer(field, 0_c_intptr_t) - transfer(base, 0_c_intptr_t)',
          "    call check(s // '%' // fname // ': offset', &",
          '        layout(s // c_null_char, fname // c_null_char) == int(off, c_size_t))',
          '  end subroutine offset_is',
          'end program test_fortran_mirrors', '']
    return '\n'.join(c), '\n'.join(wrap_all(f))


def wrap_all(lines):
    out = []
    for l in lines:
        out += wrap(l)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-o', '--output', default=os.path.join(ROOT, 'include', 'symlearn.f90'))
    ap.add_argument('--check', metavar='COMMITTED',
                    help='fail (with a diff summary) when COMMITTED differs from the output')
    ap.add_argument('--tests', metavar='DIR',
                    help='also write the mirror-layout test (fortran_mirrors.c, test_fortran_mirrors.f90) '
                         'into DIR; with --check, compare them with the committed ones in tests/')
    args = ap.parse_args()
    try:
        gen = Generator()
        text = gen.generate()
        tests = mirror_tests(gen.h) if args.tests else None
    except (GenError, SyntaxError) as e:
        print('fortran/gen.py: error: %s' % e, file=sys.stderr)
        return 1
    outputs = [(args.output, text)]
    if tests:
        outputs += [(os.path.join(args.tests, 'fortran_mirrors.c'), tests[0]),
                    (os.path.join(args.tests, 'test_fortran_mirrors.f90'), tests[1])]
    for path, body in outputs:
        tmp = path + '.tmp'
        with open(tmp, 'w') as fh:
            fh.write(body)
        os.replace(tmp, path)
    if args.check:
        rc = check(args.check, args.output, text)
        if tests:
            for name, body in (('fortran_mirrors.c', tests[0]), ('test_fortran_mirrors.f90', tests[1])):
                rc |= check(os.path.join(ROOT, 'tests', name), os.path.join(args.tests, name), body)
        return rc
    return 0


def check(committed, fresh, text):
    """0 when committed is the generated text; else a summary of the diff."""
    import difflib
    try:
        with open(committed) as fh:
            old = fh.read()
    except OSError as e:
        print('fortran/gen.py: %s: %s' % (committed, e.strerror), file=sys.stderr)
        return 1
    if old == text:
        return 0
    diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), committed, fresh,
                                     lineterm='', n=1))
    plus = sum(1 for l in diff if l.startswith('+') and not l.startswith('+++'))
    minus = sum(1 for l in diff if l.startswith('-') and not l.startswith('---'))
    procs = sorted(set(m.group(1) for l in diff if l[:1] in '+-'
                       for m in [re.search(r'(?:subroutine|function) (\w+)', l)] if m))
    print('fortran-gen-check: %s is stale: %d lines differ from fortran/gen.py\'s output '
          '(+%d -%d)%s' % (committed, plus + minus, plus, minus,
                           ('; procedures: ' + ', '.join(procs[:12]) +
                            (', ...' if len(procs) > 12 else '')) if procs else ''))
    for l in diff[:40]:
        print('  ' + l)
    if len(diff) > 40:
        print('  ... (%d more diff lines; full output in %s)' % (len(diff) - 40, fresh))
    print('fortran-gen-check: run `make fortran-gen` and commit %s' % committed)
    return 1


if __name__ == '__main__':
    sys.exit(main())
