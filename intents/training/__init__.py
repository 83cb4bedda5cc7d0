"""Training utterances and cue words of the offline parser (data files only)."""
