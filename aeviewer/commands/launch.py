"""``aeviewer train --nproc N``: the same training, data-parallel, through torchrun.

The command line is handed to ``torchrun --standalone`` unchanged but for ``--nproc`` and
``--max-restarts``, which become torchrun's own options; each process then is one rank of the
run (see :mod:`aeviewer.training.distributed`).
"""

from __future__ import annotations

import logging
import os
import sys

from aeviewer.errors import ConfigError

#: Options of ``aeviewer train`` that the launcher consumes, with their one value.
LAUNCHER_OPTIONS = ("--nproc", "--max-restarts")


def worker_arguments(argv: list[str]) -> list[str]:
    """``argv`` (after ``aeviewer``) without the launcher's own options."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in LAUNCHER_OPTIONS:
            skip = True
            continue
        if arg.startswith(tuple(f"{o}=" for o in LAUNCHER_OPTIONS)):
            continue
        out.append(arg)
    return out


def torchrun_arguments(nproc: int, max_restarts: int, argv: list[str]) -> list[str]:
    """torchrun's command line that trains ``argv`` in ``nproc`` local processes."""
    return [
        "--standalone",
        f"--nproc-per-node={nproc}",
        f"--max-restarts={max_restarts}",
        "-m",
        "aeviewer",
        *worker_arguments(argv),
    ]


def launch_local(nproc: int, max_restarts: int, argv: list[str] | None = None) -> int:
    """Run torchrun's launcher here; 0 when every process succeeded, else 2 (each process
    has said on stderr what went wrong, so the launcher's own report is left out)."""
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.run import get_args_parser
    from torch.distributed.run import run as torchrun

    if nproc < 1:
        raise ConfigError(f"--nproc must be at least 1, got {nproc}")
    if max_restarts < 0:
        raise ConfigError(f"--max-restarts must be 0 or more, got {max_restarts}")
    argv = list(sys.argv[1:] if argv is None else argv)
    # One intra-op thread per CPU process unless the user set another number.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    logging.getLogger("torch.distributed.elastic").setLevel(logging.CRITICAL)
    args = get_args_parser().parse_args(torchrun_arguments(nproc, max_restarts, argv))
    try:
        torchrun(args)
    except ChildFailedError:
        return 2
    return 0
