"""What loads data, and how: nothing from scanned data or a cache is unpickled; a model file is unpickled
only when its sha256 is in its card (the bundled one: also in the code), and then only what a model is made
of, so a hostile model with a forged card runs nothing; a hostile card is a clean error."""

from __future__ import annotations

import ast
import json
import os
import shutil

import joblib
import numpy as np
import pytest

from helpers import ROOT, invoke
from netral_cli import classifier
from netral_cli.classifier import BUNDLED_MODEL_SHA256, bundled_model_path, card_path, file_sha256, load_model
from netral_cli.errors import ModelError

PACKAGE = ROOT / "netral_cli"
UNSAFE_IMPORTS = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve"}


def calls() -> dict[str, list[str]]:
    """``name.attribute`` (or ``function``) of every call in the package -> the ``file:function`` calling it."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    name = f"{func.value.id}.{func.attr}"
                elif isinstance(func, ast.Name):
                    name = func.id
                else:
                    continue
                found.setdefault(name, []).append(f"{path.relative_to(ROOT).as_posix()}:{function.name}")
    return found


def test_the_only_unpickling_is_load_model_after_its_checks():
    found = calls()
    assert "joblib.load" not in found
    assert found["safe_unpickle.load"] == ["netral_cli/classifier.py:load_model"]
    unsafe = [name for name in found if name.split(".")[0] in UNSAFE_IMPORTS or name in (
        "yaml.load", "yaml.unsafe_load", "yaml.full_load", "pd.read_pickle", "np.load", "eval", "exec",
        "pickle.load", "pickle.loads")]
    assert unsafe == []
    imported = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert not imported & UNSAFE_IMPORTS


def test_the_stem_cache_is_plain_text():
    from netral_cli.normalise import stem_cache_path

    assert stem_cache_path().suffix == ".tsv"


def test_the_bundled_model_hash_in_the_code_matches_the_file_and_its_card():
    card = json.loads(card_path(bundled_model_path()).read_text(encoding="utf-8"))
    assert BUNDLED_MODEL_SHA256 == file_sha256(bundled_model_path()) == card["model_sha256"], \
        "retrained the bundled model? set classifier.BUNDLED_MODEL_SHA256 to the card's model_sha256"


def test_a_bundled_model_swapped_together_with_its_card_is_refused(monkeypatch):
    monkeypatch.setattr(classifier, "BUNDLED_MODEL_SHA256", "0" * 64)
    classifier._bundled_model.cache_clear()
    try:
        with pytest.raises(ModelError) as info:
            load_model()
    finally:
        classifier._bundled_model.cache_clear()
    assert str(info.value) == (f"{bundled_model_path()}: the bundled model file is not the one this version of "
                               "netral ships (its sha256 differs from the one in the code); refusing to unpickle it "
                               "(reinstall netral)")


@pytest.fixture(scope="module")
def model_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model")
    shutil.copy(bundled_model_path(), folder / "m.joblib")
    return folder / "m.joblib"


SHA = BUNDLED_MODEL_SHA256


@pytest.mark.parametrize("card, message", [
    ("[1, 2]", "invalid model card: expected a JSON object, found list"),
    ("[" * 100_000 + "]" * 100_000, "unreadable model card: maximum recursion depth exceeded while decoding a JSON "
                                    "array from a unicode string"),
    ('{"model_sha256": "%s", "threshold": {"value": %s}}' % (SHA, "9" * 5000),
     "unreadable model card: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; "
     "use sys.set_int_max_str_digits() to increase the limit"),
    ("\x00\x01", "unreadable model card: Expecting value: line 1 column 1 (char 0)"),
    (b"\xff\xfe{}", "unreadable model card: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
    (json.dumps({"model_sha256": [SHA]}), "invalid model card: model_sha256 must be 64 lowercase hex digits"),
    (json.dumps({"model_sha256": SHA, "sklearn_version": ["1.9"]}), "invalid model card: sklearn_version must be a string"),
    (json.dumps({"model_sha256": SHA, "name": 5}), "invalid model card: name must be a string"),
    (json.dumps({"model_sha256": SHA, "threshold": [0.5]}), "invalid model card: threshold must be an object"),
    (json.dumps({"model_sha256": SHA, "threshold": {"value": "0.5"}}),
     "invalid model card: threshold.value must be a number from 0 to 1"),
    ('{"model_sha256": "%s", "threshold": {"value": NaN}}' % SHA,
     "invalid model card: threshold.value must be a number from 0 to 1"),
    (json.dumps({"model_sha256": SHA, "training_data": None, "threshold": {"value": 1.5}}),
     "invalid model card: threshold.value must be a number from 0 to 1"),
    ('{"pad": "' + "x" * 2**20 + '"}', "model card larger than 1 MiB"),
])
def test_a_hostile_card_is_a_one_line_model_error_exit_2(tmp_path, model_copy, card, message):
    card_file = card_path(model_copy)
    card_file.write_bytes(card if isinstance(card, bytes) else card.encode("utf-8"))
    with pytest.raises(ModelError) as info:
        load_model(model_copy)
    assert str(info.value) == f"{card_file}: {message}"
    with pytest.raises(ModelError):
        load_model(model_copy, trust=True)  # trusting the model file does not make its card readable
    posts = tmp_path / "posts.csv"
    posts.write_text("text\nayo coblos\n", encoding="utf-8")
    result = invoke("scan", str(posts), "--model", str(model_copy))
    assert (result.exit_code, result.stderr) == (2, f"Error: {card_file}: {message}\n")


def test_a_model_and_card_from_the_same_untrusted_hand_are_loaded(tmp_path, model_copy):
    """What the card does not protect against (docs/model.md): it names the file's hash, so it catches a
    model swapped or damaged without its card, not a model handed over together with a matching card."""
    card_path(model_copy).write_text(json.dumps({"model_sha256": file_sha256(model_copy)}), encoding="utf-8")
    assert load_model(model_copy).threshold == 0.5


class Payload:
    """Unpickled, it runs ``call(*args)``: what a hostile model file does."""

    def __init__(self, call, *args):
        self.call, self.args = call, args

    def __reduce__(self):
        return self.call, self.args


def forged(tmp_path, content, **dump):
    """A model file holding ``content`` with a card that carries its true sha256."""
    path = tmp_path / "evil.joblib"
    joblib.dump(content, path, **dump)
    card_path(path).write_text(json.dumps({"model_sha256": file_sha256(path)}), encoding="utf-8")
    return path


@pytest.mark.parametrize("content, named", [
    (Payload(os.system, "touch {marker}"), "posix.system"),
    ({"coef": np.array([Payload(os.system, "touch {marker}")], dtype=object)}, "posix.system"),
    ([Payload(eval, "open({marker!r}, 'w')")], "builtins.eval"),
    (Payload(np.memmap, "{marker}", np.uint8, "w+", 0, (8,)), "numpy.memmap"),
    (Payload(__import__("scipy.io").io.FortranFile, "{marker}", "w"), "scipy.io._fortran.FortranFile"),
    (Payload(__import__("sklearn.utils").utils.check_array, [[1]]), "sklearn.utils.validation.check_array"),
])
def test_a_hostile_model_with_a_forged_card_runs_nothing(tmp_path, content, named):
    marker = tmp_path / "PWNED"

    def planted(value):
        if isinstance(value, Payload):
            args = tuple(a.format(marker=str(marker)) if isinstance(a, str) else a for a in value.args)
            return Payload(value.call, *args)
        if isinstance(value, np.ndarray):
            return np.array([planted(v) for v in value], dtype=object)
        if isinstance(value, dict):
            return {k: planted(v) for k, v in value.items()}
        return [planted(v) for v in value]

    path = forged(tmp_path, planted(content))
    for trust in (False, True):
        with pytest.raises(ModelError) as info:
            load_model(path, trust=trust)
        assert str(info.value) == (f"{path}: not a netral model: the file refers to {named}, which a netral model "
                                   "does not hold; refusing to load it")
    assert not marker.exists()
    posts = tmp_path / "posts.csv"
    posts.write_text("text\nayo coblos\n", encoding="utf-8")
    result = invoke("scan", str(posts), "--model", str(path))
    assert result.exit_code == 2 and "refers to" in result.stderr and not marker.exists()


@pytest.mark.parametrize("compress", [0, 3, ("gzip", 3), ("bz2", 3), ("xz", 3), ("lzma", 3)])
def test_a_model_saved_with_any_joblib_compression_loads(tmp_path, compress):
    fitted = classifier.safe_unpickle.load(bundled_model_path())
    path = forged(tmp_path, fitted, compress=compress)
    model = load_model(path)
    assert model.predict_proba(["ayo coblos nomor 2"]).shape == (1,)


def test_a_model_file_unpacking_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(classifier.safe_unpickle, "MAX_UNPACKED", 1 << 20)
    path = forged(tmp_path, np.zeros(1 << 18), compress=3)  # 2 MiB of zeros in a few kB
    with pytest.raises(ModelError) as info:
        load_model(path)
    assert str(info.value) == f"{path}: not a netral model: the file unpacks to more than 1 MiB; refusing to load it"
