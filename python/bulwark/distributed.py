"""A campaign's shards on a cluster, merged where you are: the recipe of docs (README, Python).

Each task runs one shard with ``bulwark.campaign(path, shard=(k, n))`` in the worker's own
temporary directory and returns it as a ``Campaign`` — its rows and manifest as texts, a few
kB a run — so workers need no shared disk for outputs, only the campaign's input files at
the same path (a shared file system or the same image). ``bulwark.merge`` then writes the
outputs, byte-identical to ``bulwark campaign PATH --out OUT`` in one process.

Dask (a ``LocalCluster``, or any cluster by its scheduler address)::

    from distributed import Client, LocalCluster
    import bulwark.distributed

    with LocalCluster(n_workers=4, threads_per_worker=1) as cluster, Client(cluster) as client:
        result = bulwark.distributed.dask_campaign(client, "study.toml", shards=4, out="study")

Ray (the same two steps with Ray's remote functions)::

    import ray, bulwark, bulwark.distributed

    ray.init()                     # or ray.init(address="auto") on a cluster
    task = ray.remote(bulwark.distributed.run_shard)
    parts = ray.get([task.remote("study.toml", k, 4) for k in range(4)])
    result = bulwark.merge(parts, out="study")
"""
from __future__ import annotations

import os
from typing import Any, Optional

from ._campaign import Campaign, campaign, merge
from ._tables import PathLike


def run_shard(path: PathLike, index: int, count: int, jobs: Optional[int] = 1) -> Campaign:
    """Shard `index` of `count` of the campaign at `path`, run in memory on `jobs` threads
    (1 by default: a cluster spreads the work over its workers)."""
    return campaign(path, jobs=jobs, shard=(index, count))


def dask_campaign(
    client: Any, path: PathLike, shards: int, out: Optional[PathLike] = None, jobs: Optional[int] = 1
) -> Campaign:
    """The campaign at `path` as `shards` tasks on Dask `client`'s cluster, merged into `out`
    (in memory without it). `path` is resolved here, so workers must see it at that path."""
    p = os.path.abspath(os.fspath(path))
    futures = [client.submit(run_shard, p, k, shards, jobs, pure=False) for k in range(shards)]
    return merge(client.gather(futures), out=out)
