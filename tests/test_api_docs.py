"""docs/api.md's verification examples work as written: the Python and the JavaScript
(Node's crypto) functions accept a webhook Altavoz signed and refuse an altered one."""

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from altavoz.hooks import signing

DOC = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")


def _block(language: str, containing: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", DOC, re.DOTALL)
    return next(block for block in blocks if containing in block)


def _signed(secret: str) -> tuple[dict, bytes]:
    body = json.dumps({"type": "signature.created", "data": {"comments": "Vote no"}}).encode()
    return signing.headers([secret], "msg_1", int(time.time()), body), body


def test_the_python_example_verifies_a_webhook():
    scope: dict = {}
    exec(_block("python", "def verify("), scope)  # noqa: S102 (the documentation's code)
    secret = signing.secret_new()
    headers, body = _signed(secret)
    assert scope["verify"](secret, headers, body)
    assert not scope["verify"](secret, headers, body.replace(b"no", b"yes"))
    assert not scope["verify"](signing.secret_new(), headers, body)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_javascript_example_verifies_a_webhook(tmp_path):
    module = tmp_path / "verify.js"
    module.write_text(_block("javascript", "function verify("))
    secret = signing.secret_new()
    headers, body = _signed(secret)
    check = (
        f"const {{ verify }} = require({json.dumps(str(module))});"
        f"const h = {json.dumps(headers)}; const s = {json.dumps(secret)};"
        f"const b = Buffer.from({json.dumps(body.decode())});"
        "console.log(JSON.stringify([verify(s, h, b), verify(s, h, Buffer.from('x'))]));"
    )
    result = subprocess.run(["node", "-e", check], capture_output=True, text=True, timeout=30)
    assert json.loads(result.stdout) == [True, False], result.stderr
