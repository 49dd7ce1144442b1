"""The flow engine: schema, loader and walker for the conversation data in flows/."""
