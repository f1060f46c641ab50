"""The import hook: once `natten` or one of its submodules has run its body, wrap what it exports.

Nothing happens for a program that never imports natten. A natten already imported before the
hook went in (not the case under `gna trace`, whose sitecustomize runs first) is wrapped at once.
"""

import sys

from ._ops import patch_module


def _is_natten(name):
    return name == "natten" or name.startswith("natten.")


class _PatchingLoader(object):
    """Runs the real loader, then wraps the module's exports; everything else is the real loader's."""

    def __init__(self, loader, recorder):
        self._gna_loader = loader
        self._gna_recorder = recorder

    def create_module(self, spec):
        create = getattr(self._gna_loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        self._gna_loader.exec_module(module)
        # Put the real loader back so that importlib.resources, reload and pickling see no wrapper.
        try:
            module.__loader__ = self._gna_loader
            if getattr(module, "__spec__", None) is not None:
                module.__spec__.loader = self._gna_loader
        except Exception:
            pass
        patch_module(module, self._gna_recorder)

    def __getattr__(self, name):
        return getattr(self._gna_loader, name)


class NattenFinder(object):
    """A meta-path finder that only ever answers for natten, by asking the finders after it."""

    def __init__(self, recorder):
        self._recorder = recorder

    def find_spec(self, fullname, path=None, target=None):
        if not _is_natten(fullname):
            return None
        for finder in sys.meta_path:
            if finder is self or isinstance(finder, NattenFinder):
                continue
            find = getattr(finder, "find_spec", None)
            if find is None:
                continue
            try:
                spec = find(fullname, path, target)
            except Exception:
                continue
            if spec is None:
                continue
            if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader = _PatchingLoader(spec.loader, self._recorder)
            return spec
        return None

    def invalidate_caches(self):
        pass


def install_hook(recorder):
    if not any(isinstance(f, NattenFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, NattenFinder(recorder))
    for name, module in list(sys.modules.items()):
        if _is_natten(name) and module is not None:
            patch_module(module, recorder)
