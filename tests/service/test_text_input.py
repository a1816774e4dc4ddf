from service.text_input import html_to_text, looks_like_html, normalize_article_text


def test_plain_text_with_angle_brackets_is_not_html():
    text = "Growth was < 2% while costs > 3%, he said."
    assert not looks_like_html(text)
    assert normalize_article_text(text) == (text, False)


def test_html_keeps_words_and_paragraphs_and_drops_markup():
    html = ("<html><head><style>p{}</style></head><body><h1>Title</h1>"
            "<p>First &amp; <em>best</em>.</p><p>Second&nbsp;one.<br>Line</p>"
            "<script>alert(1)</script></body></html>")
    assert html_to_text(html) == "Title\n\nFirst & best.\n\nSecond\xa0one.\n\nLine"
    assert normalize_article_text(html)[1] is True


def test_windows_newlines_become_unix():
    assert normalize_article_text("a\r\nb\rc") == ("a\nb\nc", False)
