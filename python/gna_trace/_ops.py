"""Which NATTEN names are wrapped, and how each one's config is read from its arguments.

Every release from 0.14 to 0.21 is covered by reading the installed function's own signature:
parameters are found by name (kernel_size, stride, dilation, is_causal, the 0.15 3-D API's
kernel_size_d/dilation_d, q_tile_shape, ...), so a release that moved one still reads right.
Token layout, batch, heads and head dim come from one tensor argument's `.shape`:

  fused na{1,2,3}d, neighborhood_attention_generic   query [batch, *layout, heads, head_dim]
  na{r}d_qk, natten{r}dqk, natten{r}dqkrpb           query [batch, heads, *layout, head_dim]
  na{r}d_av, natten{r}dav                            value [batch, heads, *layout, head_dim]
  NeighborhoodAttention{1,2,3}D.forward              x     [batch, *layout, channels]
                                                           (heads from the constructor)
"""

import functools
import inspect
import sys
import threading
import weakref

FUSED = dict(("na%dd" % r, r) for r in (1, 2, 3))
MODULES = dict(("NeighborhoodAttention%dD" % r, r) for r in (1, 2, 3))
HEADS_FIRST = {}
for _r in (1, 2, 3):
    HEADS_FIRST["na%dd_qk" % _r] = (_r, "query")
    HEADS_FIRST["na%dd_av" % _r] = (_r, "value")
    HEADS_FIRST["natten%ddqk" % _r] = (_r, "query")
    HEADS_FIRST["natten%ddqkrpb" % _r] = (_r, "query")
    HEADS_FIRST["natten%ddav" % _r] = (_r, "value")
GENERIC = "neighborhood_attention_generic"

TILE_PARAMS = (
    ("q_tile_shape", "qTileShape"),
    ("kv_tile_shape", "kvTileShape"),
    ("backward_q_tile_shape", "backwardQTileShape"),
    ("backward_kv_tile_shape", "backwardKvTileShape"),
)

_state = threading.local()  # .inside: a wrapped call is running (NATTEN calling its own ops)


class Binder(object):
    """Maps a call's arguments to parameter names, from the callable's signature, quickly."""

    def __init__(self, fn, skip_first=False):
        self.positional = []
        self.defaults = {}
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            params = []
        if skip_first and params:
            params = params[1:]
        for p in params:
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                self.positional.append(p.name)
            if p.default is not p.empty:
                self.defaults[p.name] = p.default

        self.index = dict((name, i) for i, name in enumerate(self.positional))

    def bind(self, args, kwargs):
        """A lookup of the parameters by name (no dict of every argument is built)."""
        index, defaults = self.index, self.defaults

        def get(name):
            if name in kwargs:
                return kwargs[name]
            i = index.get(name)
            if i is not None and i < len(args):
                return args[i]
            return defaults.get(name)

        return get


def _ints(value, rank, default):
    if value is None:
        value = default
    if isinstance(value, (list, tuple)):
        return tuple(map(int, value))
    return (int(value),) * rank


def _bools(value, rank):
    if isinstance(value, (list, tuple)):
        return tuple(map(bool, value))
    return (bool(value),) * rank


def _shape(tensor):
    shape = getattr(tensor, "shape", None)
    return None if shape is None else tuple(int(s) for s in shape)


def _text(value):
    if value is None:
        return None
    text = str(value)
    return text[6:] if text.startswith("torch.") else text


def mask_args(get, rank):
    """(kernel_size, stride, dilation, is_causal, tiles, backend); tuples per axis, tiles as
    ((name, tuple), ...) or None. Reads the 0.15 3-D API's kernel_size_d/dilation_d too."""
    kernel = get("kernel_size")
    dilation = get("dilation")
    if rank == 3 and not isinstance(kernel, (list, tuple)) and get("kernel_size_d") is not None:
        kernel = (get("kernel_size_d"), kernel, kernel)
    if rank == 3 and not isinstance(dilation, (list, tuple)) and get("dilation_d") is not None:
        spatial = 1 if dilation is None else dilation
        dilation = (get("dilation_d"), spatial, spatial)
    tiles = None
    for param, key in TILE_PARAMS:
        value = get(param)
        if value is not None:
            tiles = (tiles or ()) + ((key, _ints(value, rank, None)),)
    backend = get("backend")
    return (
        _ints(kernel, rank, None),
        _ints(get("stride"), rank, 1),
        _ints(dilation, rank, 1),
        _bools(get("is_causal"), rank),
        tiles,
        None if backend is None else str(backend),
    )


def tensor_facts(tensor, rank, heads_first):
    """(layout, batch, heads, head_dim, dtype, device) of a [batch, ...] tensor, or None."""
    shape = _shape(tensor)
    if shape is None or len(shape) != rank + 3:
        return None
    if heads_first:
        layout, heads = shape[2 : 2 + rank], shape[1]
    else:
        layout, heads = shape[1 : 1 + rank], shape[-2]
    return (
        layout,
        shape[0],
        heads,
        shape[-1],
        _text(getattr(tensor, "dtype", None)),
        _text(getattr(tensor, "device", None)),
    )


def _torch_compile_check():
    torch = sys.modules.get("torch")
    check = getattr(getattr(torch, "compiler", None), "is_compiling", None)
    if check is None:
        check = getattr(getattr(torch, "_dynamo", None), "is_compiling", None)
    return check


def _compile_check():
    """torch.compiler.is_compiling, which Dynamo folds to a constant while it traces.

    NATTEN imports torch first, so the check is found when the wrappers are made; a stand-in
    imported before torch gets one that looks again until torch is there.
    """
    check = _torch_compile_check()
    if check is not None:
        return check
    found = []

    def later():
        if not found:
            check = _torch_compile_check()
            if check is None:
                return False
            found.append(check)
        return found[0]()

    return later


def _function_reader(name):
    """How to read a function call: (rank or None for generic, tensor parameter, heads_first)."""
    if name in FUSED:
        return FUSED[name], "query", False
    if name == GENERIC:
        return None, "query", False
    rank, tensor = HEADS_FIRST[name]
    return rank, tensor, True


def wrap_function(name, fn, recorder):
    rank, tensor_param, heads_first = _function_reader(name)
    binder = Binder(fn)
    compiling = _compile_check()

    def record(args, kwargs):
        get = binder.bind(args, kwargs)
        tensor = get(tensor_param)
        r = rank
        if r is None:
            shape = _shape(tensor)
            r = len(shape) - 3 if shape is not None else 0
        facts = tensor_facts(tensor, r, heads_first) if r in (1, 2, 3) else None
        recorder.record(name, recorder.call_site(), facts, mask_args(get, r) if facts else None)

    @functools.wraps(fn)
    def traced(*args, **kwargs):
        # Under torch.compile, Dynamo sees a constant True and traces the op itself: no graph break.
        if compiling() or getattr(_state, "inside", False):
            return fn(*args, **kwargs)
        _state.inside = True
        try:
            try:
                record(args, kwargs)
            except Exception:
                recorder.failed += 1
            return fn(*args, **kwargs)
        finally:
            _state.inside = False

    traced.__gna_traced__ = True
    return traced


def patch_class(name, cls, recorder):
    """Wraps a NeighborhoodAttention{r}D class in place: __init__ keeps the config and call site."""
    if cls.__dict__.get("__gna_traced__"):
        return
    rank = MODULES[name]
    init, forward = cls.__init__, getattr(cls, "forward", None)
    if forward is None:
        return
    init_binder = Binder(init, skip_first=True)
    forward_binder = Binder(forward, skip_first=True)
    compiling = _compile_check()
    configs = weakref.WeakKeyDictionary()  # instance -> (site, config, heads); nothing set on it

    @functools.wraps(init)
    def traced_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        try:
            get = init_binder.bind(args, kwargs)
            heads = get("num_heads")
            configs[self] = (recorder.call_site(), mask_args(get, rank), None if heads is None else int(heads))
        except Exception:
            recorder.failed += 1

    def record(self, args, kwargs):
        remembered = configs.get(self)
        if remembered is None:
            return
        site, config, heads = remembered
        x = forward_binder.bind(args, kwargs)(forward_binder.positional[0]) if forward_binder.positional else None
        shape = _shape(x)
        facts = None
        if shape is not None and len(shape) == rank + 2 and heads:
            channels = shape[-1]
            facts = (shape[1:-1], shape[0], heads, channels // heads,
                     _text(getattr(x, "dtype", None)), _text(getattr(x, "device", None)))
        recorder.record(name, site, facts, config if facts else None)

    @functools.wraps(forward)
    def traced_forward(self, *args, **kwargs):
        if compiling() or getattr(_state, "inside", False):
            return forward(self, *args, **kwargs)
        _state.inside = True
        try:
            try:
                record(self, args, kwargs)
            except Exception:
                recorder.failed += 1
            return forward(self, *args, **kwargs)
        finally:
            _state.inside = False

    cls.__init__ = traced_init
    cls.forward = traced_forward
    cls.__gna_traced__ = True


def patch_module(module, recorder):
    """Wraps every NATTEN name that `module` defines or re-exports (each function object once)."""
    try:
        namespace = vars(module)
    except TypeError:
        return
    recorder.saw_natten(module)
    for name in list(FUSED) + [GENERIC] + list(HEADS_FIRST) + list(MODULES):
        value = namespace.get(name)
        if value is None or getattr(value, "__gna_traced__", False) and not isinstance(value, type):
            continue
        try:
            if isinstance(value, type):
                if name in MODULES:
                    patch_class(name, value, recorder)
            elif callable(value):
                setattr(module, name, recorder.wrapped(value, lambda v=value, n=name: wrap_function(n, v, recorder)))
        except Exception:
            recorder.failed += 1
