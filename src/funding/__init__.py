"""Find, classify and total the money in UK government documents."""
__version__ = "0.1.0"
