"""Getting documents in: files, HTML, PDF and verdict tables → documents with language and dates."""
