"""Small page behaviour the widgets do not offer: on a phone, the sidebar closes after choosing a page."""

from __future__ import annotations

import streamlit as st

PHONE_MAX_WIDTH = 768  # Streamlit shows the sidebar over the page below this width
_FLAG = "_navigated"

# Streamlit's own collapse button, clicked only on narrow screens (on a desktop the sidebar stays open).
CLOSE_SIDEBAR = f"""<script>
(() => {{
  if (window.innerWidth >= {PHONE_MAX_WIDTH}) return;
  const close = () => {{
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    if (button && sidebar && sidebar.getAttribute('aria-expanded') !== 'false') button.click();
  }};
  setTimeout(close, 50);
}})();
</script>"""


def navigated() -> None:
    """``on_change`` of the page picker (and set by ``go_to``): this run follows a navigation."""
    st.session_state[_FLAG] = True


def after_navigation() -> None:
    if st.session_state.pop(_FLAG, False):
        st.html(CLOSE_SIDEBAR, unsafe_allow_javascript=True, width="content")
