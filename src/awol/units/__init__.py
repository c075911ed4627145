"""Russian military units: the gazetteer and the resolver of mentions in six languages."""
