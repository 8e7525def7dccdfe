"""Read the public C headers include/symlearn/*.h: prototypes, size-first
option structs (with the defaults of their SL_X_INIT macros), enum and #define
constants, opaque handle types and callback typedefs.  Part of fortran/gen.py.

The parser knows the shapes the headers use (STYLE.md keeps them regular):
  SL_API <type> <name>(<params>);        a function (multi-line is fine)
  SL_API <type> (<name>)(<params>);      a 1.0 entry point hidden by a macro: skipped
  typedef struct sl_x sl_x;              an opaque handle
  typedef struct sl_x { ... } sl_x;      a struct (fields: <type> a, b[N]; ...)
  typedef <ret> (*sl_x_fn)(<params>);    a callback type
  typedef int sl_x;                      an alias of int
  enum { SL_A = 0, SL_B = 1 };           constants
  #define SL_X 16                        an integer constant
  #define SL_X_INIT { ... }              the defaults of struct sl_x
Anything it does not understand in a declaration is an error, not a guess."""

import os
import re

SCALARS = {'int', 'int64_t', 'uint64_t', 'size_t', 'double', 'char', 'void'}


class Param:
    """One C parameter or struct field: base type, pointer depth, const-ness."""

    def __init__(self, text, where):
        self.text = ' '.join(text.split())
        t = self.text
        arr = None
        m = re.search(r'\[\s*(\w+)\s*\]$', t)
        if m:
            arr = m.group(1)
            t = t[:m.start()].strip()
        m = re.match(r'^(.*?)(\w+)$', t)
        if not m:
            raise SyntaxError('%s: cannot read parameter "%s"' % (where, self.text))
        decl, self.name = m.group(1), m.group(2)
        self.array = arr                     # struct fields: the extent (a number or a constant)
        self.ptr = decl.count('*')
        words = decl.replace('*', ' ').split()
        self.const = 'const' in words        # any const (const T *, T *const *)
        words = [w for w in words if w not in ('const', 'struct')]
        if len(words) != 1:
            raise SyntaxError('%s: cannot read parameter "%s"' % (where, self.text))
        self.base = words[0]

    def __repr__(self):
        return self.text


class Function:
    def __init__(self, name, ret, params, header):
        self.name, self.ret, self.params, self.header = name, ret, params, header

    def param(self, name):
        for p in self.params:
            if p.name == name:
                return p
        return None


class Struct:
    def __init__(self, name, fields, comments, header):
        self.name, self.fields, self.comments, self.header = name, fields, comments, header
        self.init = None                     # the SL_X_INIT values, one per field (or None)


class Headers:
    """Everything read from the headers, by name."""

    def __init__(self, incdir):
        self.functions = {}                  # name -> Function
        self.structs = {}                    # name -> Struct
        self.handles = {}                    # opaque struct name -> header
        self.callbacks = {}                  # callback typedef name -> header
        self.aliases = {}                    # typedef name -> base scalar type
        self.constants = {}                  # name -> (value, header, group)
        self.order = []                      # constant names in header order
        self._inits = {}                     # SL_X_INIT -> text
        self.files = sorted(f for f in os.listdir(incdir) if f.endswith('.h'))
        for f in self.files:
            with open(os.path.join(incdir, f)) as fh:
                self._read(fh.read(), 'include/symlearn/' + f)
        for s in self.structs.values():
            macro = s.name.upper() + '_INIT'
            if macro in self._inits:
                s.init = _init_values(self._inits[macro], s, macro)

    def base_of(self, t):
        return self.aliases.get(t, t)

    # ---- reading one header -------------------------------------------------
    def _read(self, text, header):
        text = text.replace('\\\n', ' ')
        # Field comments of structs are kept (the mirrors repeat them); the
        # rest of the comments go.
        first = len(self.order)
        self._defines(text, header)
        code = re.sub(r'/\*.*?\*/', lambda m: ' ' * 0 + _keep_newlines(m.group(0)), text,
                      flags=re.S)
        code = '\n'.join(l for l in code.split('\n') if not l.lstrip().startswith('#'))
        code = re.sub(r'extern\s+"C"\s*\{', '', code)
        for stmt, raw in _statements(code, text):
            self._statement(stmt, raw, header)
        # this header's constants in their textual order (#defines were read first)
        blank = re.sub(r'/\*.*?\*/', lambda m: ' ' * len(m.group(0)), text, flags=re.S)

        def pos(name):
            m = re.search(r'#\s*define\s+%s\b|\b%s\s*(?:=\s*-?\d+\s*)?[,}]' % (name, name), blank)
            return m.start() if m else 0
        self.order[first:] = sorted(self.order[first:], key=pos)

    def _defines(self, text, header):
        for m in re.finditer(r'^\s*#\s*define\s+(SL_\w+)\s+(.*?)\s*$', text, flags=re.M):
            name, value = m.group(1), re.sub(r'/\*.*?\*/', '', m.group(2)).strip()
            if name.endswith('_INIT'):
                self._inits[name] = value
            elif re.fullmatch(r'-?\d+', value):
                self._constant(name, int(value), header, name)

    def _constant(self, name, value, header, group):
        if name in self.constants:
            raise SyntaxError('%s: %s defined twice' % (header, name))
        self.constants[name] = (value, header, group)
        self.order.append(name)

    def _statement(self, s, raw, header):
        s = ' '.join(s.split())
        if not s or s == '}':
            return
        if s.startswith('enum'):
            m = re.fullmatch(r'enum\s*\{(.*)\}', s)
            if not m:
                raise SyntaxError('%s: cannot read "%s"' % (header, s[:60]))
            value, group = -1, None
            for item in m.group(1).split(','):
                item = item.strip()
                if not item:
                    continue
                mm = re.fullmatch(r'(\w+)\s*(?:=\s*(-?\d+))?', item)
                if not mm:
                    raise SyntaxError('%s: cannot read enumerator "%s"' % (header, item))
                value = int(mm.group(2)) if mm.group(2) is not None else value + 1
                group = group or mm.group(1)
                self._constant(mm.group(1), value, header, group)
            return
        if s.startswith('typedef'):
            return self._typedef(s, raw, header)
        if s.startswith('SL_API'):
            return self._function(s[len('SL_API'):].strip(), header)
        raise SyntaxError('%s: cannot read "%s"' % (header, s[:60]))

    def _typedef(self, s, raw, header):
        m = re.fullmatch(r'typedef struct (\w+) (\w+)', s)
        if m:
            self.handles[m.group(2)] = header
            return
        m = re.fullmatch(r'typedef struct (\w+) \{(.*)\} (\w+)', s)
        if m:
            return self._struct(m.group(3), m.group(2), raw, header)
        m = re.fullmatch(r'typedef (.*?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)', s)
        if m:
            self.callbacks[m.group(2)] = header
            return
        m = re.fullmatch(r'typedef (int|double|int64_t|uint64_t|size_t) (\w+)', s)
        if m:
            self.aliases[m.group(2)] = m.group(1)
            return
        raise SyntaxError('%s: cannot read typedef "%s"' % (header, s[:60]))

    def _struct(self, name, body, raw, header):
        fields, comments = [], {}
        for decl in body.split(';'):
            decl = decl.strip()
            if not decl:
                continue
            # "int nd, nc" declares two fields of one type
            first, *more = [d.strip() for d in decl.split(',')]
            p = Param(first, '%s: struct %s' % (header, name))
            fields.append(p)
            for extra in more:
                prefix = first[:len(first) - len(p.name) - (len(p.array) + 2 if p.array else 0)]
                prefix = prefix.rstrip().rstrip('*')
                fields.append(Param(prefix + ' ' + extra, '%s: struct %s' % (header, name)))
        # the comment on the line of each field, from the raw text
        m = re.search(r'typedef struct %s \{(.*?)\}\s*%s\s*;' % (name, name), raw, flags=re.S)
        for line in (m.group(1).split('\n') if m else []):
            mm = re.match(r'\s*([^/;]*);\s*/\*\s*(.*?)\s*\*/', line)
            if mm:
                names = re.findall(r'(\w+)\s*(?:\[\s*\w+\s*\])?\s*(?:,|$)', mm.group(1))
                if names:
                    comments[names[0]] = mm.group(2)
        if not fields or fields[0].text != 'size_t size':
            self.handles.setdefault(name, header)   # not a size-first struct: treat as opaque
            return
        self.structs[name] = Struct(name, fields, comments, header)

    def _function(self, s, header):
        m = re.fullmatch(r'(.*?)\(\s*(\w+)\s*\)\s*\((.*)\)', s)
        if m:
            return                           # a 1.0 entry point, (name)(...), hidden by its macro
        m = re.fullmatch(r'(.*?)(\w+)\s*\((.*)\)', s)
        if not m:
            raise SyntaxError('%s: cannot read prototype "%s"' % (header, s[:60]))
        ret, name, args = m.group(1).strip(), m.group(2), m.group(3).strip()
        where = '%s: %s' % (header, name)
        params = [] if args in ('', 'void') else [Param(a, where) for a in _split_args(args)]
        if name in self.functions:
            raise SyntaxError('%s: %s declared twice' % (header, name))
        self.functions[name] = Function(name, Param(ret + ' _ret', where), params, header)


def _keep_newlines(s):
    return '\n' * s.count('\n') + ' '


def _split_args(args):
    out, depth, cur = [], 0, ''
    for ch in args:
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        if ch == ',' and depth == 0:
            out.append(cur)
            cur = ''
        else:
            cur += ch
    out.append(cur)
    return [a.strip() for a in out]


def _statements(code, raw):
    """Top-level statements ending in ';' (braces of struct bodies and enums
    are kept inside), each with the raw header text (for field comments)."""
    depth, cur = 0, ''
    for ch in code:
        if ch == '{':
            depth += 1
        elif ch == '}':
            depth -= 1
            if depth < 0:                  # the closing brace of extern "C"
                depth = 0
                continue
        if ch == ';' and depth == 0:
            yield cur, raw
            cur = ''
        else:
            cur += ch
    if cur.strip():
        yield cur, raw


def _init_values(text, struct, macro):
    """The values of an initialiser { sizeof(x), 2, {0}, 1e-3, SL_LOG_WARN }
    one per field; nested braces (arrays) give lists."""
    pos = 0

    def value():
        nonlocal pos
        while text[pos] == ' ':
            pos += 1
        if text[pos] == '{':
            pos += 1
            items = []
            while True:
                while text[pos] == ' ':
                    pos += 1
                if text[pos] == '}':
                    pos += 1
                    return items
                items.append(value())
                while text[pos] == ' ':
                    pos += 1
                if text[pos] == ',':
                    pos += 1
        start, depth = pos, 0
        while depth > 0 or text[pos] not in ',}':
            depth += {'(': 1, ')': -1}.get(text[pos], 0)
            pos += 1
        return text[start:pos].strip()

    vals = value()
    if not isinstance(vals, list) or len(vals) > len(struct.fields):
        raise SyntaxError('%s: %s does not fit struct %s' % (struct.header, macro, struct.name))
    return vals + [None] * (len(struct.fields) - len(vals))
