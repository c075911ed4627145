"""AWOL: an evidence platform about desertion from the Russian army."""

__version__ = "0.1.0"
