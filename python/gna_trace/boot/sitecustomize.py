# Loaded first by every Python process that `gna trace` starts (this folder leads PYTHONPATH).
# It starts the tracer, then runs the sitecustomize that this file shadows, if there is one, so
# the program sees its environment as it would without the tracer.
import os as _os
import sys as _sys


def _start():
    here = _os.path.dirname(_os.path.abspath(__file__))
    package_root = _os.path.dirname(_os.path.dirname(here))
    if package_root not in _sys.path:
        _sys.path.append(package_root)
    try:
        import gna_trace

        gna_trace.install_from_env()
    except Exception as e:
        _sys.stderr.write("gna trace: tracer not started: %r\n" % (e,))
    # Chain to the next sitecustomize on the path (a venv's or the distribution's).
    try:
        import importlib.machinery
        import importlib.util

        rest = [p for p in _sys.path if _os.path.abspath(p or ".") != here]
        spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            _sys.modules["sitecustomize"] = module
            spec.loader.exec_module(module)
    except Exception as e:
        _sys.stderr.write("gna trace: the program's own sitecustomize failed: %r\n" % (e,))


_start()
del _start
