"""Run the project in child processes with an environment of our choosing (no pytest-env)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def run_python(
    args: list[str], *, timeout: float = 60, **environment: str
) -> subprocess.CompletedProcess:
    """Run the project's Python with only the given environment (no pytest-env settings);
    `subprocess.TimeoutExpired` after `timeout` seconds."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "participatielab.settings",
        **environment,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_python(args: list[str], **environment: str) -> subprocess.Popen:
    """Start the project's Python with only the given environment; the caller waits for it."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "participatielab.settings",
        **environment,
    }
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
