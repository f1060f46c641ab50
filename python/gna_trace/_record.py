"""Counting calls per call site and config, and writing them out when the process ends."""

import atexit
import hashlib
import json
import linecache
import os
import sys
import time

SCHEMA_VERSION = 1
_HERE = os.path.dirname(os.path.abspath(__file__))


class Recorder(object):
    def __init__(self, parts_dir):
        self.parts_dir = parts_dir
        self.counts = {}  # key tuple -> count
        self.failed = 0  # calls whose recording failed (the call itself went ahead)
        self.natten = None  # natten's version text once it is imported
        self.started = time.time()
        self.cwd = os.getcwd()
        self.pid = os.getpid()
        self._skip_dirs = [_HERE + os.sep]
        self._skip_codes = {}  # code object -> whether its frames belong to natten/torch/tracer
        self._paths = {}  # co_filename -> absolute path
        self._wrappers = {}  # id(original) -> (original, wrapper)
        self._torch_seen = False
        atexit.register(self.write)
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forked)

    # -- what the wrappers call -------------------------------------------------------------

    def saw_natten(self, module):
        name = getattr(module, "__name__", "")
        if name == "natten":
            self.natten = str(getattr(module, "__version__", "") or "unknown")
            location = getattr(module, "__file__", None)
            if location:
                self._skip_dirs.append(os.path.dirname(os.path.abspath(location)) + os.sep)
                self._skip_codes.clear()
        elif self.natten is None:
            self.natten = "unknown"

    def wrapped(self, original, make):
        """One wrapper per function object, however many modules re-export it."""
        hit = self._wrappers.get(id(original))
        if hit is not None and hit[0] is original:
            return hit[1]
        wrapper = make()
        self._wrappers[id(original)] = (original, wrapper)
        return wrapper

    def call_site(self):
        """(absolute file, line) of the innermost frame outside natten, torch and the tracer."""
        if not self._torch_seen:
            torch = sys.modules.get("torch")
            location = getattr(torch, "__file__", None)
            if location:
                self._torch_seen = True
                self._skip_dirs.append(os.path.dirname(os.path.abspath(location)) + os.sep)
                self._skip_codes.clear()
        frame = sys._getframe(1)
        skip = self._skip_codes
        while frame is not None:
            code = frame.f_code
            skipped = skip.get(code)
            if skipped is None:
                path = self._absolute(code.co_filename)
                skipped = skip[code] = any(path.startswith(d) for d in self._skip_dirs)
            if not skipped:
                return self._absolute(code.co_filename), frame.f_lineno
            frame = frame.f_back
        return None

    def record(self, op, site, facts, config):
        """Counts one call; facts (layout, batch, heads, head dim, dtype, device) may be None."""
        if site is None:
            return
        key = (site[0], site[1], op, None) if facts is None else (site[0], site[1], op) + facts + config
        self.counts[key] = self.counts.get(key, 0) + 1

    # -- output -------------------------------------------------------------------------------

    def _absolute(self, filename):
        path = self._paths.get(filename)
        if path is None:
            path = filename if filename.startswith("<") else os.path.normpath(os.path.join(self.cwd, filename))
            self._paths[filename] = path
        return path

    def _forked(self):
        # A forked child starts with its parent's counts: they are the parent's to write.
        self.counts = {}
        self.failed = 0
        self.pid = os.getpid()

    def calls(self):
        """(calls, unread): unread are calls whose tensor had no usable `.shape`."""
        out, unread = [], []
        for key, count in self.counts.items():
            entry = {"file": key[0], "line": key[1], "op": key[2], "count": count}
            code = linecache.getline(key[0], key[1]).strip()
            if code:
                entry["code"] = code[:200]
            if key[3] is None:
                unread.append(entry)
            else:
                (layout, batch, heads, head_dim, dtype, device, kernel, stride, dilation, causal, tiles, backend) = key[3:]
                entry.update(
                    layout=list(layout), batch=batch, heads=heads, headDim=head_dim,
                    kernelSize=list(kernel), stride=list(stride), dilation=list(dilation), isCausal=list(causal),
                )
                if dtype is not None:
                    entry["dtype"] = dtype
                if device is not None:
                    entry["device"] = device
                if tiles:
                    entry["tiles"] = dict((k, list(v)) for k, v in tiles)
                if backend is not None:
                    entry["backend"] = backend
                out.append(entry)
        out.sort(key=lambda e: (e["file"], e["line"], e["op"]))
        unread.sort(key=lambda e: (e["file"], e["line"], e["op"]))
        return out, unread

    def part(self):
        calls, unread = self.calls()
        files = {}
        for entry in calls + unread:
            path = entry["file"]
            if path in files or path.startswith("<"):
                continue
            try:
                with open(path, "rb") as f:
                    data = f.read()
                if data.startswith(b"\xef\xbb\xbf"):
                    data = data[3:]  # hashed as editors and the CLI read it: without the BOM
                files[path] = {"sha256": hashlib.sha256(data).hexdigest(), "mtime": os.path.getmtime(path)}
            except OSError:
                pass
        torch = sys.modules.get("torch")
        return {
            "format": "gna-trace-part",
            "version": SCHEMA_VERSION,
            "pid": self.pid,
            "startedAt": self.started,
            "finishedAt": time.time(),
            "cwd": self.cwd,
            "argv": [str(a) for a in sys.argv][:50],
            "python": sys.version.split()[0],
            "natten": self.natten,
            "torch": str(getattr(torch, "__version__", "")) or None,
            "failed": self.failed,
            "files": files,
            "calls": calls,
            "unread": unread,
        }

    def write(self):
        """At exit: one part file per process that imported natten (none for the others)."""
        if self.natten is None or os.getpid() != self.pid:
            return
        try:
            data = json.dumps(self.part())
            if not os.path.isdir(self.parts_dir):
                os.makedirs(self.parts_dir)
            final = os.path.join(self.parts_dir, "part-%d-%d.json" % (self.pid, int(time.time() * 1e6)))
            temporary = final + ".tmp"
            with open(temporary, "w") as f:
                f.write(data)
            os.replace(temporary, final)
        except Exception as e:
            sys.stderr.write("gna trace: could not write the trace: %r\n" % (e,))
