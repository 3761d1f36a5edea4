"""The OpenAPI document and the interactive docs, served without any CDN."""

import re

ASSET_RE = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"')


def test_openapi_document_is_openapi_3(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    spec = response.json
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"] == "v1"
    assert "/api/v1/users/me" in spec["paths"]
    assert "get" in spec["paths"]["/api/v1/users/me"]
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert spec["security"] == [{"bearerAuth": []}]
    for path, operations in spec["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert operation["responses"], f"{method} {path} documents no response"


def test_openapi_document_needs_no_token(client):
    assert client.get("/api/openapi.json").status_code == 200


def test_swagger_ui_uses_vendored_assets_only(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assets = ASSET_RE.findall(page)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in assets
    assert "/static/vendor/swagger-ui/swagger-ui.css" in assets
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))]
    assert "/api/openapi.json" in page
    for url in assets:
        assert client.get(url).status_code == 200, url
