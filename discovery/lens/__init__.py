"""The journey lens: stages, drop-off, emotion, moments of truth, complaints and segments."""
