"""The one client of the gateway, used by the Streamlit app (frontend/) and the ``smartnotes`` command.

``GatewayClient`` (http.py) speaks HTTP and the WebSocket and answers the gateway's JSON as is (what the
Streamlit pages read); ``TypedGateway`` (typed.py) wraps it and answers the shared schemas' models
(``shared.schemas``), which the command line uses.
"""

from gateway_client.http import (
    API_PREFIX,
    ApiError,
    EventSocket,
    GatewayClient,
    Json,
    Tokens,
    WsConnect,
    error_from_response,
    websocket_connect,
)

__all__ = [
    "API_PREFIX",
    "ApiError",
    "EventSocket",
    "GatewayClient",
    "Json",
    "Tokens",
    "WsConnect",
    "error_from_response",
    "websocket_connect",
]
