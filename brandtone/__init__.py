"""brandtone: the code behind the numbered pipeline scripts (01_scrape.py ... 06_evaluate.py).

The rule (tests/test_architecture.py checks it on every import, also those inside functions):
**a folder is a stage; a top-level module is shared by two or more stages; a stage imports only
top-level modules and its own folder; nothing imports in a cycle.**

    stage folders   scrape/ clean/ dataset/ finetune/ merge/ evaluate/, and demo/ (the demo brand's
                    site server and model, for scripts/ and the tests)
    shared modules  cli config config_schema config_help             how a script starts, is configured
                    errors log credentials                           (config_schema: the keys), fails
                    atomic ownership manifest jsonl                  how artifacts are written, owned and read
                    models generation textformat splits memory hub  models: loading, decoding, the one text
                                                                     format, stage 3's splits, memory, the Hub
                    dedup lexicon model_card                         the one near-duplicate rule, shared word
                                                                     lists, the model card of stages 4-6

A numbered script is its stage's recipe: it reads top to bottom, calling its folder's steps.
"""

__version__ = "0.1.0"
