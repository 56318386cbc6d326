"""The command line: the commands' handlers, argument types, progress bars, printed summaries.

`server.py` holds the table of commands; `cli.table` turns it into a parser and runs one.
"""
