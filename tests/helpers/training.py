"""Stage 4 on the tiny random Llama (CPU) for the tests of brandtone/finetune/'s modules: the small finetune
settings they train or build the trainer with (the corpus they train on is tests/finetune/conftest.py's fixture)."""

from __future__ import annotations

SMALL = {  # continuation only, no dropout (compiled code draws other random numbers), 2 rows of 168 a step
    "formats": ["continuation"],
    "max_length": 168,
    "tokens_per_batch": 336,
    "num_train_epochs": 1,
    "learning_rate": 1e-3,
    "lora_dropout": 0.0,
    "logging_steps": 1,
    "save_steps": 1000,
}
