"""One module per feature; bot.app registers them in an explicit order."""
