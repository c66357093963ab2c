"""Stages 2-6 killed with SIGKILL during their final write, then rerun, as an operator would after the
OOM killer or a closed terminal: the rerun removes what the killed run left (and says how much it
freed), writes the stage's output whole, and leaves no temporary folder behind.

One pipeline on the demo brand's exports with the tiny random Llama: stage 1 imports the exports
(no website), then each of stages 2-6 is run as a subprocess that kills itself, through an audit
hook (tests/helpers/killer.py), the moment it first writes a file into its temporary output folder;
then it is run again normally, and the next stage reads what the rerun wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brandtone.ownership import manifest_problem
from tests.helpers.killer import KILLED, killed_while_writing
from tests.helpers.scripts import run_script

STAGES = {  # script: (the output folder's config key, the stage that owns it)
    "02_clean.py": ("cleaned_dir", "clean"),
    "03_build_dataset.py": ("dataset_dir", "dataset"),
    "04_finetune.py": ("adapter_dir", "finetune"),
    "05_merge.py": ("merged_dir", "merge"),
    "06_evaluate.py": ("eval_dir", "evaluate"),
}
SMALL_RUN = [  # the demo config on the tiny model, with as little work as each stage allows
    "brand.website=null",
    "dataset.test_size=0.03",
    "finetune.formats=[continuation]",
    "finetune.num_train_epochs=0.05",
    "finetune.max_length=256",
    "finetune.tokens_per_batch=512",
    "finetune.save_steps=1",
    "finetune.report_to=[none]",
    "merge.parity_texts=2",
    "merge.dtype=fp32",
    "evaluate.device=cpu",
    "evaluate.max_texts=4",
    "evaluate.min_tokens=8",
    "evaluate.max_new_tokens_cap=8",
    "evaluate.write_max_new_tokens=8",
    "evaluate.bootstrap_samples=100",
    "evaluate.samples_in_report=1",
    "evaluate.control_dataset=null",  # the demo config names the control brand's dataset, which this test does not build
]


def leftovers(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith((f".{output.name}.tmp-", f".{output.name}.old-")))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, tiny_model_dir):
    """Each stage's killed run and rerun, in order: {script: (output, killed, leftovers after the kill, rerun)}."""
    work = tmp_path_factory.mktemp("killed")
    args = [
        "--config",
        "configs/demo.yaml",
        f"model.base={tiny_model_dir}",
        *SMALL_RUN,
        *(
            f"paths.{key}={work / key}"
            for key in ("files_dir", "cleaned_dir", "dataset_dir", "checkpoints_dir", "adapter_dir", "merged_dir", "eval_dir")
        ),
    ]
    env = {"APIFY_TOKEN": "", "HF_TOKEN": ""}
    scraped = run_script("01_scrape.py", *args, env=env, timeout=300)  # the demo's exports only
    assert scraped.returncode == 0, scraped.stderr[-3000:]
    runs = {}
    for script, (key, _) in STAGES.items():
        output = work / key
        killed = killed_while_writing(output, script, *args, env=env)
        left = leftovers(output) if not output.exists() else ["the output was written: the kill came too late"]
        rerun = run_script(script, *args, env=env, timeout=600)
        runs[script] = (output, killed, left, rerun)
        if rerun.returncode != 0:
            break
    return runs


@pytest.mark.parametrize("script", STAGES)
def test_a_stage_killed_during_its_final_write_is_rerun_without_leftovers(pipeline, script):
    runs = pipeline
    assert script in runs, "an earlier stage's rerun failed"
    output, killed, left, rerun = runs[script]
    assert killed.returncode == KILLED, killed.stderr[-3000:]
    assert len(left) == 1 and ".tmp-" in left[0]  # the kill came during the final write
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert leftovers(output) == []
    removed = [line for line in rerun.stderr.splitlines() if f"removed {output.parent / left[0]}" in line]
    assert len(removed) == 1 and "freed" in removed[0], rerun.stderr[-3000:]
    assert manifest_problem(output, STAGES[script][1]) is None  # whole and finished
