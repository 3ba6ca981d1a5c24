"""The `drillmap extract` contract, run as a user runs it."""

import subprocess
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "drillmap.cli", *args], cwd=ROOT, capture_output=True, timeout=120
    )


def test_extract_prints_one_json_object_per_document():
    result = _run("extract", "seeds/000_053b0657fcaa53d4.txt", "seeds/002_1042e2a159f2e039.txt")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 2
    first = orjson.loads(lines[0])
    assert first["doc"] == "seeds/000_053b0657fcaa53d4.txt"
    assert first["published"] == "2023-07-21"
    sea = next(p for p in first["places"] if p["name"] == "Sea of Japan")
    assert sea["kind"] == "sea" and sea["mentions"][0]["text"] == "Sea of Japan"
    event = first["events"][0]
    assert set(event) >= {"kind", "name", "year", "actors", "places", "evidence", "confidence"}


def test_published_flag_overrides_the_sidecar():
    result = _run("extract", "seeds/000_053b0657fcaa53d4.txt", "--published", "2024-07-19")
    record = orjson.loads(result.stdout)
    assert record["published"] == "2024-07-19"
    assert 2023 in {e["year"] for e in record["events"]}  # last year, from the new date


def test_bad_date_and_binary_file_are_refused(tmp_path):
    bad_date = _run("extract", "seeds/000_053b0657fcaa53d4.txt", "--published", "July 2023")
    assert bad_date.returncode == 2 and b"YYYY-MM-DD" in bad_date.stderr
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02")
    refused = _run("extract", str(binary))
    assert refused.returncode == 1 and b"binary" in refused.stderr and refused.stdout == b""


def test_ingest_a_folder_folds_it_in_and_again_changes_nothing(tmp_path):
    seeds, layers, inbox = tmp_path / "seeds", tmp_path / "layers", tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Chinese and Russian warships held drills in the Sea of Japan.")
    (inbox / "b.txt").write_text("Russian bombers flew over the Sea of Japan on Tuesday.")
    where = ("--seeds", str(seeds), "--layers", str(layers))
    assert _run("build", "--quiet", *where).returncode == 0
    first = _run("ingest", str(inbox), "--workers", "1", *where)
    assert first.returncode == 0, first.stderr
    out = first.stdout.decode()
    assert out.count("stored as") == 2 and "layers updated (" in out, out
    built = (layers / "places.geojson").read_bytes()
    again = _run("ingest", str(inbox), *where)
    assert again.stdout.decode().count("already stored as") == 2
    assert (layers / "places.geojson").read_bytes() == built
    bad = _run("ingest", str(inbox), "--workers", "0", *where)
    assert bad.returncode == 2 and b"positive whole number" in bad.stderr


def test_build_on_a_dask_cluster_started_apart_gives_the_layers_of_a_serial_build(tmp_path):
    """`drillmap build --scheduler tcp://…` against a scheduler and two workers started with
    Dask's own commands (separate processes, as on other machines): the same files."""
    dask = Path(sys.executable).parent / "dask"
    info = tmp_path / "scheduler.json"
    common = ("--no-dashboard", "--scheduler-file", str(info))
    scheduler = subprocess.Popen(
        [str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0", *common],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    workers = None
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = orjson.loads(info.read_bytes())["address"]
        workers = subprocess.Popen(
            [str(dask), "worker", "--nworkers", "2", "--nthreads", "1", *common],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        where = ("--seeds", str(ROOT / "seeds"), "--no-examples", "--quiet")
        apart = _run("build", *where, "--layers", str(tmp_path / "apart"), "--scheduler", address)
        assert apart.returncode == 0, apart.stderr
        from distributed import Client

        with Client(address, timeout=30) as client:  # the tasks did run there
            ran = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)
        assert ran > 0
        serial = _run("build", *where, "--layers", str(tmp_path / "serial"), "--workers", "1")
        assert serial.returncode == 0, serial.stderr
    finally:
        for process in (workers, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    names = sorted(p.name for p in (tmp_path / "serial").iterdir())
    assert "exercises.geojson" in names
    assert sorted(p.name for p in (tmp_path / "apart").iterdir()) == names
    for name in names:
        assert (tmp_path / "apart" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()
