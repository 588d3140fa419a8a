"""Sign the Miami campaign from a separate process, as one of altavoz-web's processes would
serve it, for the tests of limits shared across processes (test_shield_processes.py).

    python tests/signing_process.py < posts.json    # prints the status of each POST

Each post is {"email": ..., "altcha": ...}: the process GETs the campaign page (its own
render token), then POSTs the form through the real view. Settings come from the
environment (``environment()``), as in production.
"""

import json
import os
import re
import subprocess
import sys

import django

URL = "/act/miami-287g/"
TOKEN = re.compile(r'name="rendered" value="([^"]+)"')
AREA = re.compile(r'name="area" value="([0-9a-f-]{36})"')


def environment(database_url: str, secret_key: str, **overrides) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "DEBUG": "0",
        "ALTAVOZ_DEMO": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver",
        "SITE_URL": "http://testserver",
        "REDIS_URL": "",  # the case under test: no Redis, several processes
        "SHIELD_MIN_FILL_SECONDS": "0",
        **{key: str(value) for key, value in overrides.items()},
    }


def start(posts: list[dict], env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, __file__],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdin.write(json.dumps(posts))
    process.stdin.close()
    return process


def statuses(process: subprocess.Popen) -> list[int]:
    out, err = process.stdout.read(), process.stderr.read()
    assert process.wait(timeout=120) == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _sign(client, post: dict) -> int:
    page = client.get(URL).content.decode()
    data = {
        "first_name": "Maria", "last_name": "Lopez", "email": post["email"],
        "street_address": "3500 Pan American Dr", "zip_code": "33133",
        "letter_body": "Please vote no.", "area": AREA.search(page)[1],
        "rendered": TOKEN.search(page)[1], "altcha": post.get("altcha", ""),
    }  # fmt: skip
    return client.post(URL, data, REMOTE_ADDR=post.get("ip", "203.0.113.7")).status_code


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "altavoz.settings")
    django.setup()
    from django.test import Client

    posts = json.loads(sys.stdin.read())
    client = Client()
    print(json.dumps([_sign(client, post) for post in posts]))


if __name__ == "__main__":
    main()
