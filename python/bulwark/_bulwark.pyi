"""The native module (Rust, pyo3). Private: use the ``bulwark`` package."""
from typing import Optional

__version__: str

class BulwarkError(Exception):
    """A Bulwark call failed (an internal failure when not a subclass)."""

class InputError(BulwarkError):
    """Bad input; ``file``, ``line``, ``column`` give its place where known."""

    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    reason: str

class ScenarioError(InputError):
    """A scenario, catalog or tracker TOML error at ``file:line:column``."""

def run(
    text: Optional[str] = None, path: Optional[str] = None, seed: Optional[int] = None, out: Optional[str] = None
) -> dict[str, str]: ...
def validate(text: Optional[str] = None, path: Optional[str] = None) -> tuple[str, int]: ...
def reference_text() -> str: ...
def with_values(text: str, values_json: str) -> str: ...
def catalog_list(dir: Optional[str] = None) -> list[tuple[str, str, str]]: ...
def catalog_describe(id: str, dir: Optional[str] = None) -> str: ...
def radar_pd(swerling: str, snr_db: float, pfa: float, pulses: int) -> float: ...
def radar_snr(swerling: str, pd: float, pfa: float, pulses: int) -> float: ...
def radar_range(
    radar: str, rcs: list[str], pd: float = 0.9, pfa: Optional[float] = None
) -> tuple[float, list[tuple[float, float, bool]]]: ...
def track(
    config: str,
    config_name: str,
    detections: str,
    detections_name: str,
    truth: Optional[str] = None,
    truth_name: Optional[str] = None,
    gospa_c: float = 1000.0,
    gospa_p: float = 2.0,
    siap_threshold: float = 250.0,
    time_tolerance: float = 1e-6,
) -> dict[str, object]: ...
def campaign(
    path: str,
    out: str,
    jobs: Optional[int] = None,
    shard_index: int = 0,
    shard_count: int = 1,
    resume: bool = False,
    keep_runs: bool = False,
) -> tuple[int, int, int, int, bool]: ...
def merge(dirs: list[str], out: str) -> int: ...
