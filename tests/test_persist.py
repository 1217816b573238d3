"""Model files: save/load round trip, manifest checks, version tolerance, no unpickling without a matching hash."""

import json

import joblib
import numpy as np
import pytest

from rumourscore import ModelLoadError, RumourModel, train
from rumourscore._io import file_sha256


def test_save_load_round_trip_and_manifest(toy_model, toy_frame, tmp_path):
    path = toy_model.save(tmp_path / "m.joblib")
    manifest = json.loads((tmp_path / "m.joblib.manifest.json").read_text())
    assert manifest["sha256"] == file_sha256(path)
    assert manifest["format_version"] == 3
    assert manifest["weights_sha256"] == file_sha256(tmp_path / "m.joblib.weights.npz")
    assert {"rumourscore", "scikit-learn", "numpy"} <= set(manifest["versions"])
    assert "stage_ge10" in manifest["feature_names"] and manifest["training_data_sha256"]
    again = RumourModel.load(path)
    np.testing.assert_array_equal(again.predict_proba(toy_frame), toy_model.predict_proba(toy_frame))


@pytest.mark.parametrize("victim", ["m.joblib", "m.joblib.weights.npz"])
def test_tampered_file_is_refused_without_unpickling(toy_model, tmp_path, monkeypatch, victim):
    path = toy_model.save(tmp_path / "m.joblib")
    target = tmp_path / victim
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))

    def boom(*args, **kwargs):
        raise AssertionError("nothing may be read from a file whose hash does not match")

    monkeypatch.setattr(joblib, "load", boom)
    monkeypatch.setattr(np, "load", boom)
    with pytest.raises(ModelLoadError, match="does not match its manifest"):
        RumourModel.load(path)


def test_pipeline_is_read_lazily_and_rechecked(toy_model, toy_frame, tmp_path, monkeypatch):
    path = toy_model.save(tmp_path / "m.joblib")
    loaded = RumourModel.load(path)
    assert loaded._pipeline is None  # scoring needs only the weights
    expected = loaded.pipeline.predict_proba(toy_frame)
    np.testing.assert_allclose(expected, loaded.predict_proba(toy_frame, base_rate=None))
    again = RumourModel.load(path)
    path.write_bytes(path.read_bytes() + b"tampered after loading")
    monkeypatch.setattr(joblib, "load", lambda *a, **k: pytest.fail("unpickled a changed file"))
    with pytest.raises(ModelLoadError, match="does not match its manifest"):
        _ = again.pipeline


def test_other_library_versions_still_score_but_refuse_to_unpickle(toy_model, toy_frame, tmp_path, monkeypatch):
    path = toy_model.save(tmp_path / "m.joblib")
    manifest_path = tmp_path / "m.joblib.manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["versions"].update({"scikit-learn": "0.1.0", "rumourscore": "0.0.1", "numpy": "1.24.0"})
    manifest_path.write_text(json.dumps(manifest))
    loaded = RumourModel.load(path)  # weights are plain arrays: any library versions read them
    np.testing.assert_allclose(loaded.predict_proba(toy_frame), toy_model.predict_proba(toy_frame))
    monkeypatch.setattr(joblib, "load", lambda *a, **k: pytest.fail("unpickled with another scikit-learn"))
    with pytest.raises(ModelLoadError, match=r"scikit-learn 0\.1\.0 .*retrain"):
        _ = loaded.pipeline


def test_missing_files_and_bad_manifests_are_clear(toy_model, tmp_path):
    path = toy_model.save(tmp_path / "m.joblib")
    manifest_path = tmp_path / "m.joblib.manifest.json"
    manifest = json.loads(manifest_path.read_text())
    toy_model.save(tmp_path / "ok.joblib")
    fresh = json.loads((tmp_path / "ok.joblib.manifest.json").read_text())
    fresh["feature_names"] = [n for n in fresh["feature_names"] if n != "loan"] + ["has_age"]
    (tmp_path / "ok.joblib.manifest.json").write_text(json.dumps(fresh))
    with pytest.raises(ModelLoadError, match=r"other features \(missing: \['loan'\], unknown: \['has_age'\]\)"):
        RumourModel.load(tmp_path / "ok.joblib")
    fresh["feature_names"] = list(reversed(manifest["feature_names"]))
    (tmp_path / "ok.joblib.manifest.json").write_text(json.dumps(fresh))
    with pytest.raises(ModelLoadError, match=r"other features \(in another order\)"):
        RumourModel.load(tmp_path / "ok.joblib")
    for folder in ("", ".", tmp_path):  # (no name to find the manifest by)
        with pytest.raises(ModelLoadError, match="model file not found"):
            RumourModel.load(folder)
    for field, bad in (("feature_names", "loan"), ("versions", []), ("sha256", 3)):
        broken = {**manifest, field: bad}
        manifest_path.write_text(json.dumps(broken))
        with pytest.raises(ModelLoadError, match=f"field '{field}'"):
            RumourModel.load(path)
    manifest["format_version"] = 99
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ModelLoadError, match="format 99"):
        RumourModel.load(path)
    manifest_path.write_text("{not json")
    with pytest.raises(ModelLoadError, match="unreadable"):
        RumourModel.load(path)
    manifest_path.write_text("[" * 100_000)
    with pytest.raises(ModelLoadError, match="unreadable"):
        RumourModel.load(path)
    manifest_path.unlink()
    with pytest.raises(ModelLoadError, match="manifest not found"):
        RumourModel.load(path)
    toy_model.save(path)
    (tmp_path / "m.joblib.weights.npz").unlink()
    with pytest.raises(ModelLoadError, match="weights file not found"):
        RumourModel.load(path)
    with pytest.raises(ModelLoadError, match="not found"):
        RumourModel.load(tmp_path / "nope.joblib")


def test_wrongly_shaped_weights_are_refused(toy_model):
    from rumourscore._model import Weights

    arrays = toy_model.weights.to_arrays()
    again = Weights.from_arrays(arrays)
    np.testing.assert_array_equal(again.coef, toy_model.weights.coef)
    for name, bad in (("coef", arrays["coef"][:-1]), ("calibration", np.array([np.nan, 1.0])),
                      ("train_rate", np.array([1.5])), ("intercept", np.array(["x"]))):  # fmt: skip
        with pytest.raises(ModelLoadError, match="weights"):
            Weights.from_arrays({**arrays, name: bad})


def test_retraining_is_deterministic(toy_frame, tmp_path):
    a = train(toy_frame).save(tmp_path / "a.joblib")
    b = train(toy_frame).save(tmp_path / "b.joblib")
    assert file_sha256(a) == file_sha256(b)
    assert file_sha256(tmp_path / "a.joblib.weights.npz") == file_sha256(tmp_path / "b.joblib.weights.npz")


def test_two_models_sharing_a_stem_keep_their_own_weights(toy_model, toy_frame, tmp_path):
    other = train(toy_frame.assign(outcome=1 - toy_frame["outcome"]))
    toy_model.save(tmp_path / "m.joblib")
    other.save(tmp_path / "m.pkl")  # (the same stem: each has its own weights file)
    first, second = RumourModel.load(tmp_path / "m.joblib"), RumourModel.load(tmp_path / "m.pkl")
    np.testing.assert_array_equal(first.weights.coef, toy_model.weights.coef)
    np.testing.assert_array_equal(second.weights.coef, other.weights.coef)


def test_a_model_saved_with_a_stem_named_weights_file_still_loads(toy_model, tmp_path):
    """Models saved before the weights file took the model's full name (``m.weights.npz``)."""
    path = toy_model.save(tmp_path / "m.joblib")
    (tmp_path / "m.joblib.weights.npz").rename(tmp_path / "m.weights.npz")
    manifest_file = tmp_path / "m.joblib.manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest_file.write_text(json.dumps({**manifest, "weights_file": "m.weights.npz"}))
    np.testing.assert_array_equal(RumourModel.load(path).weights.coef, toy_model.weights.coef)


@pytest.mark.parametrize("name", ["", ".", "..", "../m.joblib.weights.npz", "sub/m.joblib.weights.npz",
                                  "..\\m.joblib.weights.npz", "/etc/passwd", 7])  # fmt: skip
def test_a_manifest_naming_a_weights_file_elsewhere_is_refused(toy_model, tmp_path, name):
    path = toy_model.save(tmp_path / "m.joblib")
    manifest_file = tmp_path / "m.joblib.manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest_file.write_text(json.dumps({**manifest, "weights_file": name}))
    with pytest.raises(ModelLoadError, match="weights_file"):
        RumourModel.load(path)


def test_the_bytes_unpickled_are_the_bytes_hashed(toy_model, tmp_path, monkeypatch):
    """The pipeline was hashed from the file, then the file opened again for unpickling: a file
    swapped in between (or a hash check that saw the old bytes) was unpickled unchecked."""
    import rumourscore._persist as persist

    path = toy_model.save(tmp_path / "m.joblib")
    loaded = RumourModel.load(path)
    original = file_sha256(path)
    path.write_bytes(path.read_bytes() + b"swapped after the check")
    monkeypatch.setattr(persist, "file_sha256", lambda file: original)  # (a check that hashed the old file)
    monkeypatch.setattr(joblib, "load", lambda *a, **k: pytest.fail("unpickled bytes that were never hashed"))
    with pytest.raises(ModelLoadError, match="does not match its manifest"):
        _ = loaded.pipeline


def test_a_failed_save_leaves_the_model_saved_there_before(toy_model, toy_frame, tmp_path):
    """Metadata that is not JSON failed at the manifest, after the pickle and the weights were
    replaced: the model saved at that path no longer matched its manifest."""
    path = toy_model.save(tmp_path / "m.joblib")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = RumourModel(toy_model.pipeline, weights=toy_model.weights, metadata={"n": np.int64(3)})
    with pytest.raises(TypeError, match="plain JSON"):
        bad.save(path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    np.testing.assert_array_equal(RumourModel.load(path).predict_proba(toy_frame), toy_model.predict_proba(toy_frame))


def test_a_loaded_model_keeps_its_provenance_and_a_refit_drops_its_name(toy_model, toy_frame, tmp_path):
    path = toy_model.save(tmp_path / "m.joblib")
    loaded = RumourModel.load(path)
    assert loaded.name.startswith("m.joblib@")
    loaded.save(tmp_path / "copy.joblib")  # (saving a loaded model again wrote a null training-data hash)
    copy = json.loads((tmp_path / "copy.joblib.manifest.json").read_text())
    assert copy["training_data_sha256"] == toy_model.metadata["training_data_sha256"]
    loaded.fit(toy_frame.iloc[::2])  # (the refit model went on citing the file's weights as its name)
    assert loaded.name == "unsaved model"
    assert loaded.metadata["n_train"] == len(toy_frame.iloc[::2])


def test_a_model_renamed_with_its_files_loads(toy_model, toy_frame, tmp_path):
    toy_model.save(tmp_path / "m.joblib")
    for old, new in (("m.joblib", "n.joblib"), ("m.joblib.manifest.json", "n.joblib.manifest.json"),
                     ("m.joblib.weights.npz", "n.joblib.weights.npz")):  # fmt: skip
        (tmp_path / old).rename(tmp_path / new)
    np.testing.assert_array_equal(RumourModel.load(tmp_path / "n.joblib").weights.coef, toy_model.weights.coef)
    other = train(toy_frame.assign(outcome=1 - toy_frame["outcome"]))
    other.save(tmp_path / "m.joblib")  # another model under the name n's manifest gives
    np.testing.assert_array_equal(RumourModel.load(tmp_path / "n.joblib").weights.coef, toy_model.weights.coef)
    np.testing.assert_array_equal(RumourModel.load(tmp_path / "m.joblib").weights.coef, other.weights.coef)
    (tmp_path / "n.joblib.weights.npz").unlink()
    with pytest.raises(ModelLoadError, match="does not match its manifest"):
        RumourModel.load(tmp_path / "n.joblib")  # (only another model's weights are left)
