#!/usr/bin/env bash
# free-port.sh BASE [SPAN [EXCLUDED...]] — prints the first port from BASE
# (within SPAN, default 500) that nothing on this machine uses, and fails
# when there is none.
#
# The test is a bind to 127.0.0.1:PORT, not a connection attempt: a port can
# be busy without a listener — the local end of an outgoing connection (the
# kernel hands those out from 32768–60999) — and a connection test misses
# that, after which PostgreSQL or a service fails to bind it ("Address
# already in use"). Callers pick BASEs below 32768 for the same reason.
# EXCLUDED ports (picked earlier, not yet bound) are skipped.
set -euo pipefail
exec /usr/bin/python3 - "$@" <<'PY'
import socket, sys
base = int(sys.argv[1])
span = int(sys.argv[2]) if len(sys.argv) > 2 else 500
excluded = {int(p) for p in sys.argv[3:]}
for port in range(base, base + span):
    if port in excluded:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    sys.exit(0)
sys.exit(f"free-port.sh: no free port in {base}-{base + span - 1}")
PY
