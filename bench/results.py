"""The results file each benchmark writes for `make bench` (bench/run.py reads them)."""
import json
from pathlib import Path


def write_json(path, data: dict) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str))
