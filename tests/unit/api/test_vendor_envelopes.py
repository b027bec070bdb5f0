import json

from moderation.api.problem_details import problem_response, validation_problem
from moderation.api.vendor_envelopes import vendor_response


def test_rate_limit_keeps_status_and_retry_after() -> None:
    problem = problem_response(
        429, "Too Many Requests", "Rate limit exceeded.", headers={"Retry-After": "7"}
    )
    converted = vendor_response("/v1/moderations", problem)
    assert converted.status_code == 429
    assert converted.headers["retry-after"] == "7"
    assert json.loads(bytes(converted.body)) == {
        "error": {
            "message": "Rate limit exceeded.",
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        }
    }


def test_validation_names_the_first_field() -> None:
    errors = [{"field": "body.input", "location": ["body", "input"], "message": "bad", "type": "x"}]
    converted = vendor_response("/v1/moderations", validation_problem(errors, "/v1/moderations"))
    body = json.loads(bytes(converted.body))["error"]
    assert converted.status_code == 422
    assert body["param"] == "body.input"
    assert body["type"] == "invalid_request_error"


def test_server_errors_are_server_errors() -> None:
    problem = problem_response(503, "Service Unavailable")
    body = json.loads(bytes(vendor_response("/v1/moderations", problem).body))
    assert body["error"]["type"] == "server_error"
    assert body["error"]["message"] == "Service Unavailable"


def test_other_paths_keep_problem_json() -> None:
    problem = problem_response(503, "Service Unavailable")
    assert vendor_response("/api/v1/moderate", problem) is problem


def test_google_paths_answer_bad_input_with_400_invalid_argument() -> None:
    errors = [{"field": "body.comment", "location": ["body"], "message": "missing", "type": "x"}]
    problem = validation_problem(errors, "/v1alpha1/comments:analyze")
    converted = vendor_response("/v1alpha1/comments:analyze", problem)
    error = json.loads(bytes(converted.body))["error"]
    assert converted.status_code == 400
    assert error["code"] == 400
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["details"][0]["fieldViolations"][0]["field"] == "body.comment"


def test_azure_paths_answer_in_azures_shape() -> None:
    problem = problem_response(401, "Unauthorized", "missing bearer credential")
    converted = vendor_response("/contentsafety/text:analyze", problem)
    assert converted.status_code == 401
    assert json.loads(bytes(converted.body)) == {
        "error": {"code": "Unauthorized", "message": "missing bearer credential"}
    }
