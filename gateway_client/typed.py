"""The gateway's answers as typed models: the shared schemas (``shared.schemas``)
for what the gateway declares, and the wire shapes of search and chat (``gateway_client.wire``).

A response that does not match its schema raises pydantic's ``ValidationError``: a client and a gateway
that disagree fail loudly instead of passing a wrong field on.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from gateway_client.http import GatewayClient, Tokens
from gateway_client.wire import ChatAnswer, SearchResults
from shared.schemas import (
    DocumentRead,
    GenerationAccepted,
    JobRead,
    LectureRead,
    SubjectRead,
    UploadAccepted,
    UserRead,
)


class TypedGateway:
    """The calls the command line makes, each answering a model; ``raw`` is the JSON client underneath."""

    def __init__(self, raw: GatewayClient) -> None:
        self.raw = raw

    @property
    def base_url(self) -> str:
        return self.raw.base_url

    def close(self) -> None:
        self.raw.close()

    # -- auth ------------------------------------------------------------------------------------------

    def register(self, email: str, password: str) -> UserRead:
        return UserRead.model_validate(self.raw.register(email, password))

    def login(self, email: str, password: str) -> Tokens:
        return self.raw.login(email, password)

    # -- subjects and lectures -------------------------------------------------------------------------

    def list_subjects(self) -> list[SubjectRead]:
        return [SubjectRead.model_validate(s) for s in self.raw.list_subjects()]

    def create_subject(self, name: str) -> SubjectRead:
        return SubjectRead.model_validate(self.raw.create_subject(name))

    def delete_subject(self, subject_id: int) -> None:
        self.raw.delete_subject(subject_id)

    def find_subject(self, name: str) -> SubjectRead | None:
        """The subject with this name, case and surrounding spaces aside."""
        wanted = name.strip().lower()
        return next((s for s in self.list_subjects() if s.name.lower() == wanted), None)

    def upload_lecture(
        self, subject_id: int, filename: str, content: bytes, content_type: str | None = None
    ) -> UploadAccepted:
        return UploadAccepted.model_validate(
            self.raw.upload_lecture(subject_id, filename, content, content_type)
        )

    def get_lecture(self, lecture_id: int) -> LectureRead:
        return LectureRead.model_validate(self.raw.get_lecture(lecture_id))

    def get_job(self, job_id: str) -> JobRead:
        return JobRead.model_validate(self.raw.get_job(job_id))

    # -- search and chat -------------------------------------------------------------------------------

    def search(self, subject_id: int, query: str, k: int = 5) -> SearchResults:
        return SearchResults.model_validate(self.raw.search(subject_id, query, k))

    def chat(self, subject_id: int, question: str, **options: Any) -> ChatAnswer:
        return ChatAnswer.model_validate(self.raw.chat(subject_id, question, **options))

    def latest_chat_session(self, subject_id: int) -> int | None:
        """The id of the subject's most recent conversation (the app's or the command line's), if any."""
        sessions = self.raw.list_chat_sessions(subject_id)
        return int(sessions[0]["id"]) if sessions else None

    # -- study material --------------------------------------------------------------------------------

    def generate(self, subject_id: int, kind: str, **options: Any) -> GenerationAccepted:
        return GenerationAccepted.model_validate(self.raw.generate(subject_id, kind, **options))

    def get_document(self, document_id: int) -> DocumentRead:
        return DocumentRead.model_validate(self.raw.get_document(document_id))

    def download_document(self, document_id: int, out: BinaryIO) -> int:
        return self.raw.download(f"/documents/{document_id}/download", out)

    def export_flashcards(self, subject_id: int, out: BinaryIO, fmt: str = "apkg") -> int:
        return self.raw.download(f"/subjects/{subject_id}/flashcards/export", out, format=fmt)
