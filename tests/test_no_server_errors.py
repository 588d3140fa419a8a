"""Whatever anyone posts, the page answers with a form error or a thank-you, never a 500."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from altavoz.shield import formtoken

URL = "/act/miami-287g/"
FIELDS = ["first_name", "last_name", "email", "street_address", "zip_code", "letter_body", "area"]

any_text = st.text(max_size=300) | st.text(alphabet=st.characters(codec="utf-8"), max_size=6000)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.fixed_dictionaries({}, optional={field: any_text for field in FIELDS}))
def test_any_post_gets_a_clear_answer(client, miami, data):
    """Sent from a page of ours (its render token), so every field's checks are reached."""
    response = client.post(URL, {"rendered": formtoken.issue(str(miami.pk)), **data})
    assert response.status_code in {302, 400}
