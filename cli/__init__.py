"""Command-line concerns: argument types, printed tables and summaries."""
