"""dev.py's Debian packages: found by the file they install (a pattern where the path names a
version), installed with apt-get when missing, and a clear stop when they cannot be."""

import subprocess
from pathlib import Path

import pytest

import dev


@pytest.fixture
def fake_package(monkeypatch, tmp_path) -> Path:
    """A package `fake` whose file is tmp_path/<version>/bin/fake, not installed yet."""
    monkeypatch.setitem(dev.DEBIAN, "fake", tmp_path / "*" / "bin" / "fake")
    return tmp_path / "15" / "bin" / "fake"


def test_a_package_is_found_by_its_file_whatever_the_version(fake_package):
    assert not dev.installed("fake")
    fake_package.parent.mkdir(parents=True)
    fake_package.touch()
    assert dev.installed("fake")


def test_nothing_runs_when_everything_is_installed(monkeypatch, fake_package):
    fake_package.parent.mkdir(parents=True)
    fake_package.touch()
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail(f"ran {a}"))
    dev.install_debian(["fake"], required=True)


def test_a_missing_package_is_installed_with_apt_get(monkeypatch, fake_package, capsys):
    commands = []

    def apt(command, **_):
        commands.append(command[1:])
        if command[1] == "install":
            fake_package.parent.mkdir(parents=True)
            fake_package.touch()
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    monkeypatch.setattr(subprocess, "run", apt)
    dev.install_debian(["fake"], required=True)
    assert ["install", "-y", "fake"] in commands
    assert f"Installed {dev.DEBIAN['fake']}." in capsys.readouterr().out


def test_without_root_the_tests_stop_and_the_app_goes_on(monkeypatch, fake_package, capsys):
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000)
    with pytest.raises(SystemExit, match=r"The tests need Debian's fake .*as root"):
        dev.install_debian(["fake"], required=True)
    dev.install_debian(["fake"], required=False)
    assert "Debian's fake" in capsys.readouterr().out
