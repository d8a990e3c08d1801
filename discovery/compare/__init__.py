"""Two logs, or one log before and after a date, compared: key figures with tests, paths."""
