"""The ``altavoz`` console command: Django's management commands under one name.

Asking for help (``altavoz``, ``altavoz --help``, ``altavoz lookup --help``) works before
anything is configured: the settings want a SECRET_KEY, which help never uses, so help is
printed with a placeholder one. Any other command without its settings prints the one line
that says which variable to set, not a traceback.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

HELP_WORDS = {"-h", "--help", "help"}
HELP_ONLY_KEY = "help-only: this process prints help and exits"


def _asks_for_help(args: list[str]) -> bool:
    return not args or any(arg in HELP_WORDS for arg in args)


def _settings_problem() -> str:
    """Why the settings cannot load ("" when they do)."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading it loads the settings module)
    except ImproperlyConfigured as exc:
        return str(exc)
    return ""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "altavoz.settings")
    args = sys.argv[1:]
    problem = _settings_problem()
    if problem and _asks_for_help(args) and not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = HELP_ONLY_KEY
        problem = _settings_problem()
    if problem:
        sys.exit(f"altavoz: {problem}")
    from django.core.management import execute_from_command_line

    execute_from_command_line([os.path.basename(sys.argv[0]) or "altavoz", *args])


if __name__ == "__main__":
    main()
