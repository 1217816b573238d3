"""Model files on disk: the pipeline pickle, the plain weights, and the manifest that vouches for both.

Persistence follows skops' idea. A model saved at ``name.joblib`` is three files:

- ``name.joblib``: the fitted scikit-learn pipeline (a pickle, for retraining and inspection);
- ``name.joblib.weights.npz``: every number scoring needs, as plain arrays (``allow_pickle=False``);
- ``name.joblib.manifest.json``: format version, library versions, the SHA-256 of both files,
  the training-data hash and the feature names.

:func:`read_weights` checks the manifest and both hashes before it reads anything, and reads
only the ``.npz`` file: scoring never unpickles. :func:`read_pipeline` unpickles the pipeline only
when asked, after checking its hash again and that the scikit-learn that would unpickle it is
the one that saved it. Weights saved by any rumourscore of the same format version load under
any numpy / scikit-learn in the declared range.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from ._io import atomic_write_bytes, atomic_write_text, file_sha256
from ._version import __version__

__all__ = ["MODEL_FORMAT_VERSION", "ModelLoadError", "library_versions", "manifest_path", "read_pipeline",
           "read_weights", "weights_path", "write_model"]  # fmt: skip

#: Bumped whenever the saved layout or the feature set changes; a model of another format is refused.
MODEL_FORMAT_VERSION = 3
#: Fixed time stamp written into the weights archive (a zip), so equal weights hash equally.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: Manifest fields and the type each must have.
_MANIFEST_TYPES = {"format_version": int, "sha256": str, "weights_file": str, "weights_sha256": str,
                   "feature_names": list, "versions": dict, "metadata": dict}  # fmt: skip


class ModelLoadError(RuntimeError):
    """A model file is missing, tampered with, or was saved in a form this rumourscore cannot read."""


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - not installed
        return "not installed"


def library_versions() -> dict[str, str]:
    """Versions of rumourscore and the libraries a saved model depends on."""
    return {"rumourscore": __version__, "scikit-learn": _version_of("scikit-learn"), "numpy": np.__version__,
            "joblib": _version_of("joblib"), "python": platform.python_version()}  # fmt: skip


def manifest_path(path: Path) -> Path:
    """The manifest next to a model file."""
    return path.with_name(path.name + ".manifest.json")


def weights_path(path: Path) -> Path:
    """The weights archive a model file is saved with: its full name plus ``.weights.npz`` (two
    models that share a stem, ``m.joblib`` and ``m.pkl``, never share a weights file).

    A saved model is read with the weights file its manifest names (:func:`_manifest_weights`):
    models saved before this name was used (``m.weights.npz``) keep loading.
    """
    return path.with_name(path.name + ".weights.npz")


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """A deterministic ``.npz`` archive (no pickled objects; fixed time stamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.save(member, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def write_model(path: str | Path, *, pipeline: Any, arrays: dict[str, np.ndarray], feature_names: list[str],
                metadata: dict[str, Any], training_data_sha256: str | None) -> Path:  # fmt: skip
    """Write the three model files atomically; return the model path.

    Raises
    ------
    FileNotFoundError
        If the folder does not exist.
    IsADirectoryError
        If one of the three paths is a folder (checked before any file is written).
    TypeError
        If ``metadata`` is not plain JSON (checked before any file is written).
    """
    import joblib

    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"directory {path.parent} does not exist")
    for target in (path, weights_path(path), manifest_path(path)):
        if target.is_dir():
            raise IsADirectoryError(f"{target} is a folder: give the model file another name")
    buffer = io.BytesIO()
    joblib.dump({"pipeline": pipeline, "metadata": metadata}, buffer, compress=3)
    model_bytes, weight_bytes = buffer.getvalue(), _npz_bytes(arrays)
    manifest = {
        "format_version": MODEL_FORMAT_VERSION,
        "model_file": path.name,
        "sha256": hashlib.sha256(model_bytes).hexdigest(),
        "weights_file": weights_path(path).name,
        "weights_sha256": hashlib.sha256(weight_bytes).hexdigest(),
        "versions": library_versions(),
        "training_data_sha256": training_data_sha256,
        "feature_names": feature_names,
        "metadata": metadata,
    }
    try:  # (before any file is written: a failure here must leave a model saved there before intact)
        manifest_text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    except (TypeError, ValueError) as exc:
        raise TypeError(f"model metadata must hold plain JSON values (str, numbers, lists, dicts): {exc}"
                        ) from None  # fmt: skip
    atomic_write_bytes(path, model_bytes)
    atomic_write_bytes(weights_path(path), weight_bytes)
    atomic_write_text(manifest_path(path), manifest_text)
    return path


def _read_manifest(path: Path) -> dict[str, Any]:
    file = manifest_path(path)
    try:
        manifest = json.loads(file.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ModelLoadError(f"manifest {file} is unreadable: {exc}") from None
    if not isinstance(manifest, dict):
        raise ModelLoadError(f"manifest {file} is not a JSON object")
    if manifest.get("format_version") != MODEL_FORMAT_VERSION:
        raise ModelLoadError(
            f"model format {manifest.get('format_version')!r} is not supported (this rumourscore "
            f"{__version__} reads format {MODEL_FORMAT_VERSION}); retrain it with `rumourscore train`"
        )
    for key, kind in _MANIFEST_TYPES.items():
        if not isinstance(manifest.get(key), kind):
            raise ModelLoadError(f"manifest {file}: field {key!r} is missing or not a {kind.__name__}")
    return manifest


def _verified_bytes(file: Path, expected: str) -> bytes:
    """The bytes of ``file``, read once and checked against ``expected``: what is parsed is what was hashed."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ModelLoadError(f"could not read {file}: {exc}") from None
    _check_hash(file, expected, hashlib.sha256(data).hexdigest())
    return data


def _check_hash(file: Path, expected: str, digest: str | None = None) -> None:
    digest = file_sha256(file) if digest is None else digest
    if digest != expected:
        raise ModelLoadError(
            f"{file} does not match its manifest (sha256 {digest[:12]}... != {expected[:12]}...);"
            " refusing to read a file that may have been altered"
        )


def read_weights(path: str | Path, feature_names: list[str]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Verify a saved model and read its weight arrays and manifest (never unpickles anything).

    Raises
    ------
    ModelLoadError
        If a file is missing or unreadable, a hash differs (nothing is read then), the format
        is another one, or the model was trained on other features.
    """
    given, path = os.fspath(path), Path(path)
    if not path.is_file():  # (first: "" or "." has no name to find the other two files by)
        raise ModelLoadError(f"model file not found: {given!r}")
    if not manifest_path(path).is_file():
        raise ModelLoadError(f"manifest not found: {manifest_path(path)}")
    manifest = _read_manifest(path)
    weights = _manifest_weights(path, manifest)
    _check_hash(path, manifest["sha256"])
    weight_bytes = _verified_bytes(weights, manifest["weights_sha256"])
    found = manifest["feature_names"]
    if found != feature_names:
        missing = [n for n in feature_names if n not in found]
        extra = [n for n in found if n not in feature_names]
        what = f"missing: {missing or 'none'}, unknown: {extra or 'none'}" if missing or extra else "in another order"
        raise ModelLoadError(
            f"model {path} was trained on other features ({what}); retrain it with `rumourscore train`"
        )
    try:
        with np.load(io.BytesIO(weight_bytes), allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelLoadError(f"could not read weights {weights}: {exc}") from None
    return arrays, manifest


def _manifest_weights(path: Path, manifest: dict[str, Any]) -> Path:
    """The weights file the manifest names, next to the model file (a bare file name, nothing else).

    A model whose three files were renamed (or copied) together has its weights under this
    model's own name instead: of the two, the one matching the manifest's hash is read.
    """
    name = manifest["weights_file"]
    if not name or name in (".", "..") or Path(name).name != name or "\\" in name:
        raise ModelLoadError(f"manifest {manifest_path(path)}: weights_file {name!r} is not a file name")
    named = path.with_name(name)
    found = [w for w in dict.fromkeys((named, weights_path(path))) if w.is_file()]
    if not found:
        raise ModelLoadError(f"weights file not found: {named}")
    if len(found) == 1:  # (the usual case: read_weights hashes it as it reads it)
        return found[0]
    return next((w for w in found if file_sha256(w) == manifest["weights_sha256"]), found[0])


def read_pipeline(path: str | Path, manifest: dict[str, Any]) -> Any:
    """Unpickle the scikit-learn pipeline of a verified model (see :func:`read_weights`).

    Raises
    ------
    ModelLoadError
        If the file changed since the manifest was read, or the running scikit-learn is not
        the one that saved it (a pickle is only safe to read with the library that wrote it).
    """
    import joblib

    path = Path(path)
    saved, running = manifest["versions"].get("scikit-learn"), library_versions()["scikit-learn"]
    if saved != running:
        raise ModelLoadError(
            f"the pipeline of {path} was pickled by scikit-learn {saved} (running {running}); scoring works, but "
            "retraining from it needs that version: install it, or train a new model with `rumourscore train`"
        )
    return joblib.load(io.BytesIO(_verified_bytes(path, manifest["sha256"])))["pipeline"]
