"""Azure AI Content Safety compatible routes: text analysis and text blocklists."""
