"""The gateway client as the Streamlit pages see it: the pages import it from here.

The client itself (HTTP, the WebSocket, the token refresh) is the one the command line uses too:
gateway_client/. This module names what the app uses of it.
"""

from __future__ import annotations

from gateway_client import ApiError, EventSocket, GatewayClient, Json, Tokens, error_from_response
from gateway_client.http import ANSWER_SECONDS

__all__ = [
    "ANSWER_SECONDS",
    "ApiError",
    "EventSocket",
    "GatewayClient",
    "Json",
    "Tokens",
    "error_from_response",
]
