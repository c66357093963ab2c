"""brandtone: code shared by the numbered pipeline scripts.

The scripts (01_scrape.py ... 06_evaluate.py) read top to bottom like recipes;
what two or more of them need lives here once: the validated config, artifact
paths and manifests, atomic writes, secret handling, the training text format
and model loading.
"""

__version__ = "0.1.0"
