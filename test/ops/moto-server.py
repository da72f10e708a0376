"""moto_server, with the one lookup it repeats on every request done once.

The ops specs start this instead of the `moto_server` command (test/ops/moto.ts): the same
server (moto.server.main, the same arguments, the same process to stop by PID) with one
difference in speed only. moto 5.2.1 routes each request through
DomainDispatcherApplication.get_backend_for_host, which tests `host in
backends.list_of_moto_modules()`; that function lists moto's package directory and stats each
of its ~190 entries every time it is called. On this machine that was ~40 % of moto's CPU per
request in the rollout spec (5,254 listdir and 228,000 stat calls for 1,258 requests, measured
with cProfile). The directory does not change while the server runs, so its list is read once
here, in the same order. Where this interpreter cannot import moto's server, or has a moto other
than the 5.2.1 the specs pin (whose internals this relies on), the `moto_server` command on PATH
is run instead, unchanged.
"""
import logging
import os
import sys

try:
    import moto
    from moto import backends
    from moto.server import main
except ImportError:
    moto = None

if moto is None or moto.__version__ != "5.2.1":
    os.execvp("moto_server", ["moto_server", *sys.argv[1:]])

_MODULES = tuple(backends.list_of_moto_modules())
backends.list_of_moto_modules = lambda: _MODULES

# werkzeug's line per request on stderr: the spec keeps stderr only to explain a failed start.
logging.getLogger("werkzeug").setLevel(logging.WARNING)

sys.exit(main())
