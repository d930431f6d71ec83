"""Privacy by default: telemetry off (Chroma, Gradio), the app on 127.0.0.1, a login when
SECRETARISBOT_AUTH is set, and the default path working with no network at all (``unshare -n``)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from secretarisbot.settings import PROJECT_ROOT, Settings

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
MEDE = "Wat doe ik als de mede-directeur blokkeert?"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without our settings and without the telemetry switches (the code must set them)."""
    drop = ("SECRETARISBOT_", "ANONYMIZED_TELEMETRY", "GRADIO_ANALYTICS_ENABLED", "HF_HUB_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def fake_index(fake_corpus_settings: Settings) -> Settings:
    """The shared fake-embedder index over the full corpus (tests/conftest.py)."""
    return fake_corpus_settings


# --- Chroma ---------------------------------------------------------------------------------


def test_chroma_clients_we_open_have_telemetry_off_even_if_the_env_asks_for_it(
    fake_index: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "True")
    from secretarisbot.index.store import open_index

    index = open_index(fake_index)
    index.verify()  # opens the PersistentClient
    assert index._client.get_settings().anonymized_telemetry is False
    assert index.vectorstore._client.get_settings().anonymized_telemetry is False
    index.close()


def test_the_http_client_is_created_with_telemetry_off(monkeypatch: pytest.MonkeyPatch) -> None:
    import chromadb

    from secretarisbot.index import chroma

    seen = {}

    def fake_http_client(**kwargs):
        seen.update(kwargs)
        return object()

    monkeypatch.setattr(chromadb, "HttpClient", fake_http_client)
    chroma.http_client("http://chroma.intern:8000")
    assert seen["host"] == "chroma.intern" and seen["port"] == 8000
    assert seen["settings"].anonymized_telemetry is False


# --- Gradio ---------------------------------------------------------------------------------


def test_app_py_switches_gradio_and_chroma_telemetry_off_before_anything_else() -> None:
    code = (
        "import os, runpy; runpy.run_path('app.py');"
        "import gradio.analytics as a, json;"
        "print(json.dumps([os.environ.get('GRADIO_ANALYTICS_ENABLED'), os.environ.get('ANONYMIZED_TELEMETRY'),"
        " os.environ.get('HF_HUB_OFFLINE'), a.analytics_enabled()]))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=clean_env(), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["False", "False", "1", False]


def test_cli_switches_telemetry_off() -> None:
    code = (
        "import os, sys; from secretarisbot.cli import cli;"
        "cli.main(['corpus', '--help'], standalone_mode=False);"
        "print('ENV', os.environ.get('ANONYMIZED_TELEMETRY'), os.environ.get('GRADIO_ANALYTICS_ENABLED'))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=clean_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ENV False False" in done.stdout


# --- the app process: binding and login ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppProcess:
    def __init__(self, settings: Settings, tmp: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(tmp / "app.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, str(PROJECT_ROOT / "app.py")],
            env=clean_env(
                SECRETARISBOT_HOME=str(tmp / "home"),
                SECRETARISBOT_INDEX_DIR=str(settings.index_dir),
                SECRETARISBOT_EMBEDDER=settings.embedder,
                SECRETARISBOT_PORT=str(self.port),
                **env,
            ),
            cwd=PROJECT_ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 180
        while True:
            assert self.proc.poll() is None, (tmp / "app.log").read_text(encoding="utf-8")[-3000:]
            try:
                httpx.get(self.url, timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def listening(self) -> list[str]:
        """Local addresses (IPv4 and IPv6) listening on our port, from /proc/net/tcp{,6}."""
        found = []
        for name in ("tcp", "tcp6"):
            try:
                lines = Path(f"/proc/net/{name}").read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                local, state = line.split()[1], line.split()[3]
                address, port = local.split(":")
                if state == "0A" and int(port, 16) == self.port:  # 0A = LISTEN
                    found.append(address)
        return found

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def test_app_binds_only_the_loopback_address_by_default(fake_index: Settings, tmp_path: Path) -> None:
    app = AppProcess(fake_index, tmp_path)
    try:
        assert app.listening() == ["0100007F"]  # 127.0.0.1, and nothing on IPv6 or 0.0.0.0
        other = [ip for ip in _own_addresses() if not ip.startswith("127.")]
        for ip in other:  # reachable from another machine? (connect to our own external address)
            with pytest.raises(OSError):
                socket.create_connection((ip, app.port), timeout=2).close()
    finally:
        app.stop()


def _own_addresses() -> list[str]:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # no packet is sent; picks the outgoing interface
            return [s.getsockname()[0]]
    except OSError:
        return []


def test_auth_from_the_environment_turns_on_the_login(fake_index: Settings, tmp_path: Path) -> None:
    from gradio_client import Client

    app = AppProcess(fake_index, tmp_path, SECRETARISBOT_AUTH="anna:geheim")
    try:
        assert httpx.get(app.url + "config", timeout=10).status_code in (401, 403)
        with pytest.raises(Exception):
            Client(app.url, verbose=False).predict(MEDE, "Alle vier", api_name="/vraag")
        with pytest.raises(Exception):
            Client(app.url, verbose=False, auth=("anna", "verkeerd"))
        chatbot, *_ = Client(app.url, verbose=False, auth=("anna", "geheim")).predict(
            MEDE, "Alle vier", api_name="/vraag"
        )
        assert chatbot[-1]["metadata"]["title"].startswith("Bronnen (")
    finally:
        app.stop()


# --- no network at all --------------------------------------------------------------------------


def unshare() -> str:
    path = shutil.which("unshare")
    if path is None:
        pytest.skip("unshare (util-linux) is not installed: cannot take the network away")
    probe = subprocess.run([path, "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -n is not permitted here ({probe.stderr.strip()}): needs root or user namespaces")
    return path


def netns_env(settings: Settings, tmp: Path) -> dict[str, str]:
    return clean_env(
        SECRETARISBOT_HOME=str(tmp / "home"),
        SECRETARISBOT_INDEX_DIR=str(settings.index_dir),
    )


@pytest.mark.integration
def test_secretarisbot_ask_answers_without_any_network(real_settings: Settings, tmp_path: Path) -> None:
    cmd = [unshare(), "-n", str(BIN / "secretarisbot"), "ask", "--json", MEDE]
    done = subprocess.run(cmd, env=netns_env(real_settings, tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    assert answer["in_scope"] and answer["citations"] and answer["mode"] == "bronnen"
    assert "mede-directeur" in answer["answer"]


def _probe(mode: str, settings: Settings, tmp: Path) -> dict:
    cmd = [unshare(), "-n", sys.executable, str(HERE / "netns_probe.py"), mode, MEDE]
    done = subprocess.run(
        cmd, env=netns_env(settings, tmp), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(l for l in done.stdout.splitlines() if l.startswith("PROBE "))
    return json.loads(line.removeprefix("PROBE "))


@pytest.mark.integration
def test_ask_tries_to_reach_no_other_machine(real_settings: Settings, tmp_path: Path) -> None:
    result = _probe("ask", real_settings, tmp_path)
    assert result["ok"]
    assert result["outbound"] == []


@pytest.mark.integration
@pytest.mark.slow
def test_the_app_answers_without_network_and_tries_to_reach_no_other_machine(
    real_settings: Settings, tmp_path: Path
) -> None:
    result = _probe("app", real_settings, tmp_path)
    assert result["ok"] and result["server_name"] == "127.0.0.1"
    assert result["outbound"] == []
