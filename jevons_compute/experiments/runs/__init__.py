"""One run: the model and its twins run for some months, its headline, files and figure."""
