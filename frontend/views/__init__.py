"""The app's pages: one module per page, each with a ``render(client)`` function."""
