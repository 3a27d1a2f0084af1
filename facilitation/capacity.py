"""How many phones one server process can hold: the operating system's limits."""

from __future__ import annotations

import resource

# One phone is one socket; with the database, logs and a margin, 2,000 phones need a
# little over 2,000 descriptors. 65,536 leaves room without asking for everything.
WANTED_OPEN_FILES = 65536
# Pending connections the listening socket queues while the server is busy: a restart
# under a full hall brings a thousand reconnects within seconds (the default is 128;
# the kernel caps it at net.core.somaxconn).
LISTEN_BACKLOG = 2048


def raise_open_files_limit(wanted: int = WANTED_OPEN_FILES) -> tuple[int, int]:
    """Raise this process's soft limit on open files toward the hard limit; (before, after).

    Many Linux desktops start programs with a soft limit of 1,024, which would refuse
    about the thousandth phone. Raising the soft limit up to the hard one needs no
    privileges; a lower hard limit is left alone (then the server says so at start).
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return soft, target
    return soft, soft
