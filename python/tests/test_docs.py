"""docs/python.md's Python blocks, run in order in one namespace from the
source tree's root (writing into a scratch directory), as a reader would."""
import os
import re

from conftest import SOURCE


def test_the_python_page_runs(tmp_path, monkeypatch):
    text = open(os.path.join(SOURCE, "docs", "python.md"), encoding="utf-8").read()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 5
    for name in ("data",):
        os.symlink(os.path.join(SOURCE, name), tmp_path / name)
    monkeypatch.chdir(tmp_path)
    scope = {}
    for k, code in enumerate(blocks):
        exec(compile(code, "docs/python.md block %d" % (k + 1), "exec"), scope)
    assert (tmp_path / "session.extxyz").exists()
