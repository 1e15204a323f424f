"""Security headers every page gets unless its view set a stricter one (the public whistleblower pages do)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# The portal's own pages load scripts and styles only from its static files: no inline script or style anywhere
# (tests/test_security_headers.py renders the pages and checks), so a strict policy needs no nonce.
STAFF_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Redoc builds its styles at run time (styled-components inserts <style> elements) and searches in a blob: worker;
# its page alone allows inline styles — never inline scripts. The page is for signed-in users only.
API_DOCS_CSP = STAFF_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") + "; worker-src blob:"
API_DOCS_PREFIX = "/api/v1/redoc/"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = API_DOCS_CSP if request.path.startswith(API_DOCS_PREFIX) else STAFF_CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
