"""The machine and tool versions a benchmark ran on, as Markdown lines (bench/build, bench/report)."""

import datetime
import os
import platform
import subprocess


def run(*cmd):
    """First line of a command's output, or `not installed`."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        lines = (out.stdout or out.stderr).strip().splitlines()
        return lines[-1] if lines else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def memory():
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kb = int(f.readline().split()[1])
        return f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        return "?"


def os_name():
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.platform()


def lines(tools=None):
    """Bullet lines: date, machine, load, and the versions of the given tools ({name: argv})."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        f"- Date: {now}",
        f"- Machine: {os.cpu_count()} CPUs (`nproc`: {run('nproc')}), {cpu_model()}, {memory()} memory, {os_name()}",
        f"- Load (`uptime`): {run('uptime').strip()}",
    ]
    for name, argv in (tools or {}).items():
        out.append(f"- {name}: {run(*argv)}")
    return out
