"""The one atomic-file context manager every output goes through."""

import os
import stat

import pytest

from rumourscore._io import PART_SUFFIX, atomic_file, atomic_write_text, file_sha256, new_file_mode


def test_atomic_file_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_file(target, "w", encoding="utf-8") as fh:
            fh.write("half a file")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(PART_SUFFIX)]  # no temporary file left
    with atomic_file(target, "w", encoding="utf-8") as fh:
        fh.write("new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(os.stat(target).st_mode) == new_file_mode()  # not mkstemp's 0600


def test_atomic_file_refuses_bad_targets(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        with atomic_file(tmp_path / "missing" / "out.txt"):
            pass
    with pytest.raises(IsADirectoryError):
        with atomic_file(tmp_path):
            pass


def test_atomic_write_text_and_hash(tmp_path):
    path = tmp_path / "a.txt"
    atomic_write_text(path, "héllo")
    assert path.read_bytes() == "héllo".encode()
    import hashlib

    assert file_sha256(path) == hashlib.sha256("héllo".encode()).hexdigest()
    other = tmp_path / "b.txt"
    atomic_write_text(other, "hello")
    assert file_sha256(path) != file_sha256(other)
