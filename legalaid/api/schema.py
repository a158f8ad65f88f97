"""OpenAPI descriptions of the project's own API pieces."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "legalaid.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`: a key belongs to one account (a court, a lawyer, a system)."}


# --- Errors every operation can answer ------------------------------------------------------------

# docs/court-api.md fixes this shape; the description below is published in the schema as it was.
ERROR_BODY = {
    "type": "object",
    "description": "court-api.md: every error, in one shape.",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True,
                              "description": "Dotted path of the field at fault, or null."},
                    "code": {"type": "string", "description": "Machine code, e.g. unknown_field."},
                    "message": {"type": "string", "description": "Human text in the Accept-Language."},
                },
                "required": ["field", "code", "message"],
            },
        },
    },
    "required": ["errors"],
}
_REF = {"$ref": "#/components/schemas/Errors"}
# What any operation may answer whatever it does: a body or query that breaks a rule, missing or bad
# credentials, a role that may not act, what the caller may not see (or a path that matches nothing),
# a method the path does not take, a body in an unsupported media type, and throttling.
COMMON = {"400": "Invalid input.", "401": "No valid credentials.", "403": "This role may not act.",
          "404": "Not found, or not the caller's to see.", "405": "Method not allowed.",
          "415": "Unsupported media type.", "429": "Throttled: see Retry-After."}
# And what any POST may answer: an oversized body, an Idempotency-Key reused with another body.
POST_ONLY = {"413": "The body is too large.", "422": "Idempotency-Key reused with a different body."}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the errors it can answer, in
    the contract's error shape. A documented response of another shape for one of those codes (e.g.
    the roster import's report for 400) is kept, as one of the shapes the answer may take."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Errors"] = ERROR_BODY
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = {**COMMON, **(POST_ONLY if method == "post" else {})}
            for code, description in codes.items():
                documented = responses.get(code)
                if documented is None:
                    responses[code] = {"description": description,
                                       "content": {"application/json": {"schema": _REF}}}
                    continue
                content = documented.setdefault("content", {})
                json_body = content.get("application/json")
                if json_body is None:
                    content["application/json"] = {"schema": _REF}
                elif json_body.get("schema") != _REF:
                    json_body["schema"] = {"anyOf": [json_body["schema"], _REF]} if json_body.get("schema") else _REF
    return result
