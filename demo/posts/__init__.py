"""Hand-written posts of the demo brand, as Python data (see build_exports.py)."""
