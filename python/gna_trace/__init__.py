"""GNA Studio's NATTEN tracer: records what NATTEN was called with during a real run.

`gna trace -- <python command...>` puts ./boot on PYTHONPATH; its sitecustomize imports this
package and calls `install_from_env()`. From then on, importing `natten` (any version) wraps its
public ops and modules (see _ops.py), and each call is counted per call site and config. At exit
every traced process writes one part file into $GNA_TRACE_PARTS; the `gna` CLI (or the editor)
merges the parts into `.gna/trace.json`.

Plain Python 3.8+, standard library only: it runs inside the user's program, before anything else.
Nothing here may raise into that program: a failure costs the trace, never the run.
"""

import os
import sys

from ._record import Recorder
from ._hook import install_hook

__all__ = ["install", "install_from_env", "recorder"]

PARTS_ENV = "GNA_TRACE_PARTS"

recorder = None  # the process's Recorder once installed


def install(parts_dir):
    """Start tracing this process; the part file goes to `parts_dir` at exit."""
    global recorder
    if recorder is not None:
        return recorder
    recorder = Recorder(parts_dir)
    install_hook(recorder)
    return recorder


def install_from_env():
    parts = os.environ.get(PARTS_ENV)
    if not parts:
        return None
    try:
        return install(parts)
    except Exception as e:  # never stop the user's program over the tracer
        sys.stderr.write("gna trace: tracer not installed: %r\n" % (e,))
        return None
