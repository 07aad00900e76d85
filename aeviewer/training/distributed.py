"""Data-parallel training under torchrun: the process group, batch shards and agreement.

``torchrun`` starts one process per device and tells each its place through environment
variables (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR``/``MASTER_PORT``,
``TORCHELASTIC_RESTART_COUNT``). :func:`launch_from_env` reads them; :func:`process_group`
joins the group (gloo on the CPU, NCCL on CUDA) with a time-out and always leaves it again, so
that an elastic restart finds no half-open group. Training uses PyTorch's own
``DistributedDataParallel`` (:meth:`Distributed.wrap`); this module adds only what the loop
needs on top: each rank's slice of a global batch, sums across ranks, and :meth:`agree`, which
turns an error on any rank into the same error on every rank instead of a hang.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from aeviewer.errors import RunError

#: Seconds a rank waits for its peers (joining, and any collective) before it gives up.
DEFAULT_TIMEOUT_S = 300.0

#: Bytes of an error message shared by :meth:`Distributed.agree`.
MESSAGE_BYTES = 1024


@dataclass(frozen=True)
class Launch:
    """This process's place in a torchrun launch."""

    rank: int
    world_size: int
    local_rank: int
    restart_count: int = 0
    #: Processes of the launch on this machine (they share its CPUs).
    local_world_size: int = 1

    @property
    def primary(self) -> bool:
        """True on rank 0, the one that writes the run directory."""
        return self.rank == 0


def launch_from_env(environ: Mapping[str, str] | None = None) -> Launch | None:
    """The launch torchrun describes in the environment; None for a plain process."""
    env = os.environ if environ is None else environ
    if "RANK" not in env or "WORLD_SIZE" not in env or "MASTER_ADDR" not in env:
        return None
    try:
        return Launch(
            rank=int(env["RANK"]),
            world_size=int(env["WORLD_SIZE"]),
            local_rank=int(env.get("LOCAL_RANK", "0")),
            restart_count=int(env.get("TORCHELASTIC_RESTART_COUNT", "0")),
            local_world_size=int(env.get("LOCAL_WORLD_SIZE", "1")),
        )
    except ValueError:
        raise RunError(
            "RANK, WORLD_SIZE, LOCAL_RANK and LOCAL_WORLD_SIZE must be integers"
        ) from None


def shard(total: int, rank: int, world_size: int) -> tuple[int, int]:
    """Rows ``start, stop`` of a batch of ``total`` rows that ``rank`` trains on: contiguous
    slices, the first ``total % world_size`` ranks one row longer (possibly empty)."""
    base, extra = divmod(total, world_size)
    start = rank * base + min(rank, extra)
    return start, start + base + (1 if rank < extra else 0)


class _Call(nn.Module):
    """A module whose forward calls a function: DDP's hooks then cover any training step."""

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module

    def forward(self, fn, *args):
        """Run ``fn(*args)``."""
        return fn(*args)


class Distributed:
    """A joined process group: this rank, the world size and the training device."""

    def __init__(self, launch: Launch, device: torch.device, timeout_s: float) -> None:
        self.launch = launch
        self.rank = launch.rank
        self.world_size = launch.world_size
        self.device = device
        self.timeout_s = timeout_s

    @property
    def primary(self) -> bool:
        """True on rank 0."""
        return self.rank == 0

    def shard(self, total: int) -> tuple[int, int]:
        """This rank's rows of a global batch of ``total`` (see :func:`shard`)."""
        return shard(total, self.rank, self.world_size)

    def wrap(self, module: nn.Module, find_unused: bool = False) -> nn.Module:
        """``module`` under DistributedDataParallel: ``wrapped(fn, *args)`` runs ``fn(*args)``
        as the forward pass, so gradients of ``module``'s parameters are averaged across ranks
        in the backward pass. Buffers (batch-norm statistics) stay per rank between steps, as
        a GAN's twice-used discriminator needs (``broadcast_buffers=False``)."""
        return DistributedDataParallel(
            _Call(module),
            device_ids=[self.device.index] if self.device.type == "cuda" else None,
            find_unused_parameters=find_unused,
            forward_sync_buffers=False,
        )

    def all_reduce_sum(self, tensor: torch.Tensor) -> torch.Tensor:
        """The elementwise sum of ``tensor`` over all ranks (a new tensor)."""
        total = tensor.detach().clone()
        dist.all_reduce(total, op=dist.ReduceOp.SUM)
        return total

    def barrier(self) -> None:
        """Wait until every rank got here (or raise after the time-out)."""
        if self.device.type == "cuda":
            dist.barrier(device_ids=[self.device.index])
        else:
            dist.barrier()

    def agree(self, error: BaseException | None) -> None:
        """Raise on every rank when any rank has an ``error``: this rank's own, else a
        :class:`RunError` naming the lowest failing rank and its message."""
        data = (str(error) if error is not None else "").encode("utf-8")[: MESSAGE_BYTES - 1]
        mine = torch.zeros(MESSAGE_BYTES, dtype=torch.uint8, device=self.device)
        if error is not None:
            mine[0] = 1
            mine[1 : 1 + len(data)] = torch.frombuffer(bytearray(data), dtype=torch.uint8)
        gathered = [torch.empty_like(mine) for _ in range(self.world_size)]
        dist.all_gather(gathered, mine)
        if error is not None:
            raise error
        for rank, message in enumerate(gathered):
            if int(message[0]):
                text = bytes(message[1:].cpu().tolist()).rstrip(b"\0").decode("utf-8", "replace")
                raise RunError(f"rank {rank} failed: {text}")


def device_for(launch: Launch, device: torch.device) -> torch.device:
    """The device of this rank: its own GPU (``cuda:LOCAL_RANK``) on CUDA, else ``device``."""
    if device.type == "cuda":
        count = torch.cuda.device_count()
        if launch.local_rank >= count:
            raise RunError(
                f"rank {launch.rank}: local rank {launch.local_rank} has no GPU of its own (this "
                f"machine has {count}); start at most {count} processes per machine on CUDA"
            )
        return torch.device("cuda", launch.local_rank)
    return device


@contextmanager
def process_group(
    launch: Launch, device: torch.device, timeout_s: float = DEFAULT_TIMEOUT_S
) -> Iterator[Distributed]:
    """Join the process group of ``launch`` (NCCL on CUDA, gloo otherwise) and leave it on exit.

    On the CPU each process runs one intra-op thread unless ``OMP_NUM_THREADS`` says otherwise.

    Raises
    ------
    RunError
        When the peers do not all join within ``timeout_s`` seconds.
    """
    device = device_for(launch, device)
    if device.type == "cuda":
        torch.cuda.set_device(device)
        backend = "nccl"
    else:
        backend = "gloo"
        if "OMP_NUM_THREADS" not in os.environ:
            torch.set_num_threads(1)
    try:
        dist.init_process_group(
            backend,
            store=_attempt_store(launch, timeout_s),
            timeout=timedelta(seconds=timeout_s),
            rank=launch.rank,
            world_size=launch.world_size,
            device_id=device if device.type == "cuda" else None,
        )
        group = Distributed(launch, device, timeout_s)
        # Joining is lazy with some backends: one collective proves every peer is there.
        group.barrier()
    except (RuntimeError, TimeoutError, ValueError) as exc:
        _leave()
        where = f"{os.environ.get('MASTER_ADDR', '?')}:{os.environ.get('MASTER_PORT', '?')}"
        raise RunError(
            f"rank {launch.rank}: not all {launch.world_size} processes joined at {where} within "
            f"{timeout_s:g} s ({_first_line(exc)}); start every process, or raise --dist-timeout"
        ) from None
    try:
        yield group
    finally:
        _leave()


def _attempt_store(launch: Launch, timeout_s: float) -> dist.Store:
    """The rendezvous store of this attempt of the launch, its keys apart from other attempts'.

    torchrun's agent hosts one TCPStore for the whole launch and its workers share it
    (``TORCHELASTIC_USE_AGENT_STORE``), so after an elastic restart the keys of the previous
    attempt are still there: a restarted rank can read a dead peer's gloo address from them and
    fail with "connection refused" (pytorch/pytorch#135712). Every attempt therefore uses its
    own key prefix. Without the agent's store (a plain launch with ``MASTER_ADDR``/``PORT``)
    rank 0 hosts a new store and waits for the others up to ``timeout_s``.
    """
    timeout = timedelta(seconds=timeout_s)
    host = os.environ.get("MASTER_ADDR", "127.0.0.1")
    try:
        port = int(os.environ.get("MASTER_PORT", "29500"))
    except ValueError:
        raise RunError("MASTER_PORT must be a port number") from None
    agent = os.environ.get("TORCHELASTIC_USE_AGENT_STORE") == "True"
    store = dist.TCPStore(
        host,
        port,
        launch.world_size,
        is_master=launch.primary and not agent,
        timeout=timeout,
    )
    return dist.PrefixStore(f"aeviewer/attempt-{launch.restart_count}/", store)


def _leave() -> None:
    if dist.is_initialized():
        with suppress(RuntimeError, ValueError):
            dist.destroy_process_group()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
