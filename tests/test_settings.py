import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from altavoz.envconf import env_bool, env_int, env_list, env_str


def _import_settings(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALTAVOZ_DEMO"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import altavoz.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key_outside_demo():
    result = _import_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_the_demo_starts_without_a_secret_key():
    assert _import_settings(ALTAVOZ_DEMO="1").returncode == 0


def test_a_bad_boolean_stops_startup_naming_the_variable():
    result = _import_settings(SECRET_KEY="x", DEBUG="maybe")
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_values_can_come_from_a_file(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert env_str("SOME_SECRET") == "from-file"


def test_an_empty_value_means_the_default(monkeypatch):
    monkeypatch.setenv("A_URL", "")
    assert env_str("A_URL", "sqlite:///default") == "sqlite:///default"
    monkeypatch.setenv("A_URL", "postgres://db/x")
    assert env_str("A_URL", "sqlite:///default") == "postgres://db/x"


def test_typed_readers(monkeypatch):
    monkeypatch.setenv("A_FLAG", "yes")
    monkeypatch.setenv("A_NUMBER", "12")
    monkeypatch.setenv("A_LIST", "a, b,,c")
    assert env_bool("A_FLAG") is True
    assert env_int("A_NUMBER", 1) == 12
    assert env_list("A_LIST") == ["a", "b", "c"]
    monkeypatch.setenv("A_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="A_NUMBER='twelve' is not a whole number"):
        env_int("A_NUMBER", 1)


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"GEOCODERS": "census,goggle"}, "GEOCODERS: unknown goggle"),
        ({"GEOCODER_GEOPY_OPTIONS": "{domain: x}"}, "GEOCODER_GEOPY_OPTIONS is not JSON"),
        ({"GEOCODER_GEOPY_OPTIONS": "[1]"}, "must be a JSON object"),
    ],
)
def test_a_bad_geocoder_setting_stops_startup_naming_it(env, says):
    result = _import_settings(SECRET_KEY="x", **env)
    assert result.returncode != 0 and says in result.stderr


def test_settings_sections_are_titled_by_topic_not_by_issue_number():
    from altavoz import settings as module

    text = Path(module.__file__).read_text(encoding="utf-8")
    titles = [line for line in text.splitlines() if line.startswith("# ---")]
    assert len(titles) >= 10
    assert not [title for title in titles if "issue" in title.lower()]


def test_geopy_services_are_accepted_as_geocoders():
    assert _import_settings(SECRET_KEY="x", GEOCODERS="address_points,nominatim").returncode == 0


def test_production_with_postmark_and_no_webhook_secret_refuses_to_start():
    postmark = {"SECRET_KEY": "x", "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend"}
    result = _import_settings(**postmark)
    assert result.returncode != 0
    assert "ANYMAIL_WEBHOOK_SECRET is empty" in result.stderr
    assert _import_settings(**postmark, ANYMAIL_WEBHOOK_SECRET="hook:s3cret").returncode == 0
    assert _import_settings(**postmark, DEBUG="1").returncode == 0


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"ALLOWED_HOSTS": "act.example.org"}, "SITE_URL='http://127.0.0.1:8000' names 127.0.0.1"),
        (
            {"ALLOWED_HOSTS": "act.example.org", "SITE_URL": "https://evil.example"},
            "add evil.example to ALLOWED_HOSTS",
        ),
        ({"SITE_URL": "act.example.org"}, "is not a site address"),
    ],
)
def test_the_site_address_must_be_one_the_site_answers_to(env, says):
    result = _import_settings(SECRET_KEY="x", **env)
    assert result.returncode != 0
    assert says in result.stderr


def test_share_links_use_the_configured_site_address_when_it_is_allowed():
    ok = {
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": ".example.org",
        "SITE_URL": "https://act.example.org/",
    }
    assert _import_settings(**ok).returncode == 0
    demo = {"ALTAVOZ_DEMO": "1", "SITE_URL": "https://act.example.org"}
    assert "ALLOWED_HOSTS (127.0.0.1,localhost)" in _import_settings(**demo).stderr
