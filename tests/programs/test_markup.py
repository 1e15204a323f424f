"""Section text is formatted from a small Markdown subset and never lets HTML typed by a user through."""

from core.markup import render_markup


def test_a_script_tag_is_shown_as_text_and_never_runs():
    html = render_markup('Вступ <script>alert("x")</script> <img src=x onerror=alert(1)>')

    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_markup_inside_bold_cannot_smuggle_attributes():
    html = render_markup('**<b onclick="x">жирний</b>**')

    assert html == "<p><strong>&lt;b onclick=&quot;x&quot;&gt;жирний&lt;/b&gt;</strong></p>"


def test_paragraphs_lists_bold_and_italic_are_rendered():
    text = "Перший абзац\nз переносом.\n\n- пункт один\n- пункт **два**\n\n1. крок\n2) крок *два*"

    html = render_markup(text)

    assert html == (
        "<p>Перший абзац<br>з переносом.</p>\n"
        "<ul><li>пункт один</li><li>пункт <strong>два</strong></li></ul>\n"
        "<ol><li>крок</li><li>крок <em>два</em></li></ol>"
    )


def test_empty_text_renders_nothing():
    assert render_markup("") == ""
    assert render_markup(None) == ""
