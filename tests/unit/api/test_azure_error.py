"""Azure's error envelope: the documented codes by status, a route's own code, 422 as 400."""

from moderation.api.azure.azure_error import AZURE_CODE, azure_envelope


def test_a_validation_problem_is_a_400_with_details() -> None:
    problem = {
        "status": 422,
        "detail": "body.text: Field required",
        "errors": [{"field": "body.text", "message": "Field required"}],
    }
    assert azure_envelope(422, problem) == (
        400,
        {
            "error": {
                "code": "InvalidRequestBody",
                "message": "body.text: Field required",
                "details": [
                    {
                        "code": "InvalidRequestBody",
                        "message": "Field required",
                        "target": "body.text",
                    }
                ],
            }
        },
    )


def test_the_documented_codes_by_status() -> None:
    codes = {status: azure_envelope(status, {})[1]["error"]["code"] for status in (404, 429, 500)}
    assert codes == {404: "ResourceNotFound", 429: "TooManyRequests", 500: "InternalError"}


def test_a_routes_own_code_wins_and_stays_out_of_the_body() -> None:
    problem = {"detail": "bad name", AZURE_CODE: "InvalidResourceName"}
    status, body = azure_envelope(422, problem)
    assert (status, body) == (
        400,
        {"error": {"code": "InvalidResourceName", "message": "bad name"}},
    )
