"""An archive parsed on a Dask cluster (``client.get_executor()``) gives the same tables as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

import reportmine

REPO = Path(__file__).resolve().parents[1]


def test_parse_many_on_a_dask_cluster_equals_one_process():
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed (pip install reportmine[cluster])")
    local = reportmine.parse_many(REPO / "corpus", workers=1, cache=False, progress=False, entities=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = reportmine.parse_many(REPO / "corpus", executor=client.get_executor(), cache=False,
                                       progress=False, entities=False)
    assert remote.errors.empty
    assert len(remote.documents) == len(local.documents) == 6
    keep = ["doc_id", "doc_number", "region", "year", "n_cells"]
    assert remote.documents[keep].equals(local.documents[keep])
    assert remote.cells.drop(columns=[c for c in remote.cells if c == "cached"]).equals(
        local.cells.drop(columns=[c for c in local.cells if c == "cached"]))
    assert remote.checks["verdict"].tolist() == local.checks["verdict"].tolist()
