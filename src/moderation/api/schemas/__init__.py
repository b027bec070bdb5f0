"""Request and response bodies of the HTTP API (one class per file)."""

from moderation.api.schemas.appeal_list_response import AppealListResponse
from moderation.api.schemas.appeal_response import AppealResponse
from moderation.api.schemas.audit_entry_response import AuditEntryResponse
from moderation.api.schemas.author_history_response import AuthorHistoryResponse
from moderation.api.schemas.bulk_decision_item import BulkDecisionItem
from moderation.api.schemas.bulk_moderate_request import BulkModerateRequest
from moderation.api.schemas.bulk_moderate_response import BulkModerateResponse
from moderation.api.schemas.bulk_outcome import BulkOutcome
from moderation.api.schemas.claim_request import ClaimRequest
from moderation.api.schemas.claim_response import ClaimResponse
from moderation.api.schemas.content_page_response import ContentPageResponse
from moderation.api.schemas.content_response import ContentResponse
from moderation.api.schemas.content_stats_response import ContentStatsResponse
from moderation.api.schemas.create_appeal_request import CreateAppealRequest
from moderation.api.schemas.create_content_request import CreateContentRequest
from moderation.api.schemas.create_report_request import CreateReportRequest
from moderation.api.schemas.create_webhook_request import CreateWebhookRequest
from moderation.api.schemas.created_webhook_response import CreatedWebhookResponse
from moderation.api.schemas.decide_appeal_request import DecideAppealRequest
from moderation.api.schemas.history_response import HistoryResponse
from moderation.api.schemas.job_page_response import JobPageResponse
from moderation.api.schemas.job_response import JobResponse
from moderation.api.schemas.moderate_content_request import ModerateContentRequest
from moderation.api.schemas.moderate_texts_request import ModerateTextsRequest
from moderation.api.schemas.moderate_texts_response import ModerateTextsResponse
from moderation.api.schemas.moderated_text import ModeratedText
from moderation.api.schemas.moderation_response import ModerationResponse
from moderation.api.schemas.policy_response import POLICY_EXAMPLE, PolicyResponse
from moderation.api.schemas.queue_page_response import QueuePageResponse
from moderation.api.schemas.report_list_response import ReportListResponse
from moderation.api.schemas.report_response import ReportResponse
from moderation.api.schemas.rescore_request import RescoreRequest
from moderation.api.schemas.statement_batch_response import StatementBatchResponse
from moderation.api.schemas.text_item import TextItem
from moderation.api.schemas.transparency_response import TransparencyResponse
from moderation.api.schemas.update_webhook_request import UpdateWebhookRequest
from moderation.api.schemas.webhook_delivery_page_response import WebhookDeliveryPageResponse
from moderation.api.schemas.webhook_delivery_response import WebhookDeliveryResponse
from moderation.api.schemas.webhook_list_response import WebhookListResponse
from moderation.api.schemas.webhook_response import WebhookResponse

__all__ = [
    "POLICY_EXAMPLE",
    "AppealListResponse",
    "AppealResponse",
    "AuditEntryResponse",
    "AuthorHistoryResponse",
    "BulkDecisionItem",
    "BulkModerateRequest",
    "BulkModerateResponse",
    "BulkOutcome",
    "ClaimRequest",
    "ClaimResponse",
    "ContentPageResponse",
    "ContentResponse",
    "ContentStatsResponse",
    "CreateAppealRequest",
    "CreateContentRequest",
    "CreateReportRequest",
    "CreateWebhookRequest",
    "CreatedWebhookResponse",
    "DecideAppealRequest",
    "HistoryResponse",
    "JobPageResponse",
    "JobResponse",
    "ModerateContentRequest",
    "ModerateTextsRequest",
    "ModerateTextsResponse",
    "ModeratedText",
    "ModerationResponse",
    "PolicyResponse",
    "QueuePageResponse",
    "ReportListResponse",
    "ReportResponse",
    "RescoreRequest",
    "StatementBatchResponse",
    "TextItem",
    "TransparencyResponse",
    "UpdateWebhookRequest",
    "WebhookDeliveryPageResponse",
    "WebhookDeliveryResponse",
    "WebhookListResponse",
    "WebhookResponse",
]
