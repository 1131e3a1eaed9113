from csto_editor.core.typography import typographic


def test_quotes_and_dashes_per_language() -> None:
    assert typographic('Тасмагамбетов: "ОДКБ создавалась не против кого-либо"', "ru") == (
        "Тасмагамбетов: «ОДКБ создавалась не против кого-либо»"
    )
    assert typographic('Operation "Bagration" --- a victory', "en") == (
        "Operation “Bagration” — a victory"
    )
    assert typographic("the Organization's role", "en") == "the Organization’s role"
    assert typographic("no quotes here", "ru") == "no quotes here"
    assert typographic('an "unclosed quote', "en") == 'an "unclosed quote'
