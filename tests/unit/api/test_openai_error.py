import json

from moderation.api.openai.openai_error import openai_error
from moderation.api.problem_details import problem_response, validation_problem


def test_rate_limit_keeps_status_and_retry_after() -> None:
    problem = problem_response(
        429, "Too Many Requests", "Rate limit exceeded.", headers={"Retry-After": "7"}
    )
    converted = openai_error(problem)
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
    converted = openai_error(validation_problem(errors, "/v1/moderations"))
    body = json.loads(bytes(converted.body))["error"]
    assert converted.status_code == 422
    assert body["param"] == "body.input"
    assert body["type"] == "invalid_request_error"


def test_server_errors_are_server_errors() -> None:
    body = json.loads(bytes(openai_error(problem_response(503, "Service Unavailable")).body))
    assert body["error"]["type"] == "server_error"
    assert body["error"]["message"] == "Service Unavailable"
