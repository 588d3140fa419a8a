import os
import re
import subprocess
import sys

import pytest
from django.contrib import admin

URL = "/act/miami-287g/"
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 10 + "Zq8#vL2@pW9!xR4$mN7^bT1&cY6*hJ3(fD5)gS0_",
    "ALLOWED_HOSTS": "act.example.org",
    "SITE_URL": "https://act.example.org",
    "DEBUG": "0",
    "ALTAVOZ_DEMO": "0",
    "REDIS_URL": "redis://127.0.0.1:6379/0",  # shared counters: login throttling needs them
}


def test_deploy_checks_are_clean_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DEBUG"))}
    env.update(PRODUCTION_ENV, ALTAVOZ_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "altavoz", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_pages_carry_a_strict_content_security_policy(client, miami):
    response = client.get(URL)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_script_or_style(client, miami, supporter_post):
    for response in (client.get(URL), client.post(URL, supporter_post(first_name=""))):
        html = response.content.decode()
        # data blocks (json_script) are not run; every script comes from a file
        assert not re.search(r'<script(?![^>]*\b(src=|type="application/json"))[^>]*>', html)
        assert not re.search(r"\sstyle=", html)
        assert "<style" not in html


def test_https_is_enforced_with_hsts_and_secure_cookies(client, miami, supporter_post):
    response = client.get(URL, secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert client.get("/admin/login/", secure=True).cookies["csrftoken"]["secure"]
    signed = client.post(URL, supporter_post(), secure=True)
    assert signed.status_code == 302
    assert all(cookie["secure"] for cookie in signed.cookies.values()) and signed.cookies


def test_admin_sign_in_is_throttled_after_repeated_failures(client, django_user_model):
    django_user_model.objects.create_user("org", password="right-password", is_staff=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "org", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "org", "password": "right-password"})
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()


@pytest.fixture
def two_factor(monkeypatch):
    from django_otp.admin import OTPAdminSite

    monkeypatch.setattr(admin.site, "__class__", OTPAdminSite)


def test_with_two_factor_on_a_password_alone_does_not_open_the_admin(
    client, django_user_model, two_factor
):
    user = django_user_model.objects.create_user("org", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_with_two_factor_on_a_totp_code_opens_the_admin(client, django_user_model, two_factor):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_user("org", password="pw", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone")
    client.post(
        "/admin/login/",
        {
            "username": "org",
            "password": "pw",
            "otp_device": device.persistent_id,
            "otp_token": str(totp(device.bin_key)).zfill(6),
        },
    )
    assert client.get("/admin/").status_code == 200
