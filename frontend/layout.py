"""Small page behaviour the widgets do not offer: readable captions, a compact phone layout, and on a phone
the sidebar closes after choosing a page."""

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
    if (button && sidebar && sidebar.getAttribute('data-collapsed') !== 'true') button.click();
  }};
  setTimeout(close, 50);
}})();
</script>"""


# Page-wide style: readable captions; on a narrow screen the app title and page headers take less room, so
# a page's own content (a flashcard and its buttons) starts near the top.
STYLE = f"""<style>
/* Captions in Streamlit's default grey fall short of WCAG AA contrast (4.5:1): the text colour, a little
   lighter (works on the light and the dark theme alike). */
[data-testid="stCaptionContainer"] {{ color: inherit; opacity: 0.8; }}
/* The same for the shortcut hints on buttons (the button's own text colour) and a segmented control's
   unselected options. */
#stMain kbd {{ color: inherit; opacity: 1; }}
#stMain [data-variant="segmented_control"] [data-testid="stMarkdownContainer"] {{ color: rgb(49, 51, 63); }}
@media (prefers-color-scheme: dark) {{
  #stMain [data-variant="segmented_control"] [data-testid="stMarkdownContainer"] {{
    color: rgb(250, 250, 250);
  }}
}}
@media (max-width: {PHONE_MAX_WIDTH - 1}px) {{
  #stMain h1 {{ font-size: 1.5rem; padding: 0 0 0.25rem 0; }}
  #stMain h2 {{ font-size: 1.3rem; padding: 0.25rem 0; }}
  #stMain .block-container {{ padding-top: 4rem; }}
}}
</style>"""


def page_style() -> None:
    st.html(STYLE, width="content")


def navigated() -> None:
    """``on_change`` of the page picker (and set by ``go_to``): this run follows a navigation."""
    st.session_state[_FLAG] = True


def after_navigation() -> None:
    if st.session_state.pop(_FLAG, False):
        st.html(CLOSE_SIDEBAR, unsafe_allow_javascript=True, width="content")
