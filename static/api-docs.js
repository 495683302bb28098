// Placeholder replaced by the API reference script.
