"""Each web worker warms up before it serves, without touching the database."""

from django.db import connections
from django.template import engines

from altavoz.warmup import PUBLIC_TEMPLATES, warm_up


def test_warming_up_compiles_the_public_templates_and_touches_no_database():
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()  # as in a new process
    # No django_db mark: any database access here fails the test.
    warm_up()

    cached = {key.split(":")[0] for key in loader.get_template_cache}
    assert set(PUBLIC_TEMPLATES) <= cached
    assert all(connection.connection is None for connection in connections.all())
