"""Daphne's requests leave form bodies to Django (hotline.asgi): Twisted no longer parses an upload a second time."""

from unittest import mock

from twisted.web import http


def test_daphnes_requests_are_built_without_twisteds_form_parsing(monkeypatch):
    from daphne import http_protocol

    import hotline.asgi  # noqa: F401 - what Daphne imports at start

    seen = {}

    def request_init(self, channel, *args, **kwargs):
        seen.update(kwargs)
        self.channel = channel

    monkeypatch.setattr(http.Request, "__init__", request_init)
    http_protocol.WebRequest(mock.MagicMock())
    assert seen == {"parsePOSTFormSubmission": False}


def test_twisted_still_has_the_switch():
    # If Twisted drops or renames it, the requests above fail to build: this says why.
    import inspect

    assert "parsePOSTFormSubmission" in inspect.signature(http.Request.__init__).parameters
