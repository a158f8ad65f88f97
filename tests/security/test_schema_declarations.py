"""The published schema says what the API answers (found by schemathesis): fields that can be null are
declared nullable — by one rule of the schema generator (legalaid.api.schema.AutoSchema), not field
by field — the document upload documents its 409, and every operation documents its errors as JSON."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/schema/?format=json").json()


def field(schema, component, name):
    for key in (component, f"{component}Response"):
        if key in schema["components"]["schemas"]:
            return schema["components"]["schemas"][key]["properties"][name]
    raise KeyError(component)


@pytest.mark.parametrize("component, name", [
    ("Complaint", "decided_at"), ("Designation", "override_by"), ("CaseQuality", "lawyer"), ("Subsidy", "corrects"),
    ("Proposal", "decided_at"), ("Proposal", "decided_by"), ("Designation", "rank"), ("Evaluation", "author"),
])
def test_fields_that_can_be_null_are_declared_nullable(schema, component, name):
    assert field(schema, component, name).get("nullable") is True


def test_fields_that_are_never_null_stay_required_values(schema):
    assert not field(schema, "Complaint", "status").get("nullable")
    assert not field(schema, "Subsidy", "id").get("nullable")


def test_the_document_upload_documents_its_409(schema):
    responses = schema["paths"]["/api/v1/notices/{id}/documents/"]["post"]["responses"]
    assert "409" in responses and "application/json" in responses["409"]["content"]


def test_the_letter_documents_its_errors_as_json(schema):
    responses = schema["paths"]["/api/v1/notices/{id}/letter.pdf"]["get"]["responses"]
    assert set(responses["200"]["content"]) == {"application/pdf"}
    for code in ("404", "429"):
        assert set(responses[code]["content"]) == {"application/json"}
