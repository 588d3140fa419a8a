from altavoz.campaigns import letters, text


def test_it_renders_paragraphs_and_bullet_lists():
    html = text.render("Intro line.\n\n- one\n- two\n\nOutro.")
    assert html == "<p>Intro line.</p><ul><li>one</li><li>two</li></ul><p>Outro.</p>"


def test_it_renders_a_numbered_list_after_a_paragraph_in_the_same_block():
    html = text.render("Make the right choice:\n\n1. Vote NO\n2. Keep trust")
    assert html == "<p>Make the right choice:</p><ol><li>Vote NO</li><li>Keep trust</li></ol>"


def test_it_escapes_markup():
    html = text.render('<script>alert(1)</script>\n- <b onclick="x">bold</b>')
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;" in html


def test_merge_fields_are_filled_and_unknown_ones_left_as_written():
    out = letters.fill(
        "[First Name] [Last Name] [Frist Name]", {"First Name": "Ana", "Last Name": "Li"}
    )
    assert out == "Ana Li [Frist Name]"


def test_a_letter_is_greeting_body_statement_closing():
    letter = letters.compose(
        greeting="Dear Commissioner [Official Name],",
        body="Please vote no.",
        statement="By signing this petition, I object.",
        closing="Sincerely,\n\n[First Name] [Last Name]",
        values={"First Name": "Ana", "Last Name": "Li", "Official Name": "Damian Pardo"},
    )
    assert letter == (
        "Dear Commissioner Damian Pardo,\n\nPlease vote no.\n\n"
        "By signing this petition, I object.\n\nSincerely,\n\nAna Li\n"
    )
