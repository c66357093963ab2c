"""Stage 4's chat format: a writing request and its answer through the model's chat template (SmolLM2's
ChatML here) or, for a tokenizer without one, the plain template, with the loss on the answer and its
end-of-turn only; what TRL collates from it; a template that cannot render; and the merged model's
template, which must render a conversation to exactly what stage 4 trained on (the demo tokenizer's own
in test_finetune.py's merge test, the plain one here on a Llama-2-base-shaped model).
"""

from __future__ import annotations

import json
import shutil

import pytest

from brandtone.config import ConfigError
from brandtone.errors import StageError
from brandtone.finetune.data import IGNORED, chat_template_for, tokenize_split
from brandtone.models import load_tokenizer
from brandtone.textformat import PLAIN_CHAT_TEMPLATE, chat_prompt_ids, conversation, encode_chat, end_of_text_id, end_of_turn_id, text_ids
from tests.helpers.configs import write_config
from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.family_tokenizers import save_tiny_llama
from tests.helpers.pipeline import assert_merged_template_is_the_trained_one, build_pipeline
from tests.helpers.scripts import stage_main

REQUESTS = [
    "Write an Instagram caption for our monsoon pakora offer.",
    "A Facebook post announcing the new Gulberg branch, about 40 words.",
]
OWN, PLAIN = "the model's own", "plain (brandtone.textformat.PLAIN_CHAT_TEMPLATE)"


def without_chat_template(folder):
    """A saved tokenizer's chat template removed, as a base (not Instruct) model ships it."""
    (folder / "chat_template.jinja").unlink(missing_ok=True)
    config_path = folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config.pop("chat_template", None)
    config_path.write_text(json.dumps(config))
    return folder


@pytest.fixture(scope="module")
def llama2_base(tmp_path_factory):
    """A tiny random Llama with a Llama-2-shaped tokenizer (<s> in front, </s> ends) and no chat template."""
    return without_chat_template(save_tiny_llama("llama2", tmp_path_factory.mktemp("llama2-base")))


def chat_split(texts: list[str]):
    from datasets import Dataset

    return Dataset.from_dict({"text": texts, "messages": [conversation(r, t) for r, t in zip(REQUESTS, texts)]})


@pytest.mark.parametrize("kind", ["demo", "demo-without-template", "llama2-base"])
def test_the_loss_covers_exactly_the_answer_and_its_end_of_turn(kind, demo_model_dir, llama2_base):
    tokenizer = load_tokenizer(str(llama2_base if kind == "llama2-base" else demo_model_dir))
    if kind == "demo-without-template":
        tokenizer.chat_template = None
    assert chat_template_for(tokenizer, ["continuation", "chat"]) == (OWN if kind == "demo" else PLAIN)
    texts = brand_posts(2, seed=4)
    data = tokenize_split(chat_split(texts), tokenizer, 512, ["continuation", "chat"])
    assert {name: c.examples for name, c in data.by_format.items()} == {"continuation": 2, "chat": 2}
    rows = list(zip(data.dataset["input_ids"], data.dataset["labels"]))
    continuation, chat = rows[0::2], rows[1::2]  # each text in both formats, continuation first
    assert all(labels == ids for ids, labels in continuation)  # continuation: every token is a label (TRL masks the first)
    end, bos = end_of_turn_id(tokenizer), tokenizer.bos_token
    for (ids, labels), request, answer in zip(chat, REQUESTS, texts):
        prompt = chat_prompt_ids(tokenizer, request)
        assert ids[: len(prompt)] == prompt  # exactly what generation reads
        assert ids[len(prompt) :] == text_ids(tokenizer, answer) + [end]  # the answer, then its end-of-turn, nothing after
        assert labels == [IGNORED] * len(prompt) + ids[len(prompt) :]  # the loss: exactly those
        if kind == "demo":
            assert tokenizer.decode(prompt).endswith(f"<|im_start|>user\n{request}<|im_end|>\n<|im_start|>assistant\n")
            assert tokenizer.convert_ids_to_tokens(end) == "<|im_end|>" != tokenizer.convert_ids_to_tokens(end_of_text_id(tokenizer))
        else:  # the plain template, after the BOS where the tokenizer starts every text with one (Llama-2)
            assert tokenizer.chat_template == ("{{ bos_token }}" if kind == "llama2-base" else "") + PLAIN_CHAT_TEMPLATE
            assert (ids[0] == tokenizer.bos_token_id) == (kind == "llama2-base")
            assert end == tokenizer.eos_token_id
            decoded = tokenizer.decode(ids)
            if kind == "demo-without-template":
                assert decoded == f"### Request:\n{request}\n\n### Response:\n{answer}{tokenizer.eos_token}"
            else:  # SentencePiece-style pieces decode with their own spacing
                assert decoded.startswith(bos) and "### Response:" in decoded and decoded.endswith(tokenizer.eos_token)


def test_a_chat_example_longer_than_max_length_is_left_out_and_counted(demo_model_dir):
    tokenizer = load_tokenizer(str(demo_model_dir))
    texts = brand_posts(2, seed=4)
    lengths = [len(encode_chat(tokenizer, r, t).ids) for r, t in zip(REQUESTS, texts)]
    limit = min(lengths)  # the shorter example fits exactly, the longer one does not
    assert max(lengths) > limit
    data = tokenize_split(chat_split(texts), tokenizer, limit, ["continuation", "chat"])
    assert vars(data.by_format["chat"]) == {"examples": 1, "tokens": limit, "left_out": 1}
    assert data.by_format["continuation"].examples >= 2 and data.by_format["continuation"].left_out == 0  # cut, never left out
    with pytest.raises(StageError, match=r"every chat example is longer than finetune.max_length=64 tokens: raise finetune.max_length"):
        tokenize_split(chat_split(texts), tokenizer, 64, ["chat"])


@pytest.mark.parametrize("packing", [True, False])
def test_collated_labels_of_a_chat_example_are_exactly_its_answer(tiny_model_dir, tmp_path, packing):
    """The batches TRL's SFTTrainer builds (its own preparation, packing and collator) keep our labels:
    in every chat example, only the answer and its end-of-turn, wherever packing put it."""
    posts = brand_posts(10, seed=6)
    save_dataset(tmp_path / "dataset", posts[2:], posts[:2])
    config = write_config(tmp_path, tiny_model_dir, {"max_length": 320, "tokens_per_batch": 640, "report_to": ["none"]})
    overrides = [] if packing else ["finetune.packing=false", "finetune.attn_implementation=sdpa"]
    trainer, tokenizer, _ = build_pipeline(config, overrides)
    from datasets import Dataset

    train = Dataset.load_from_disk(str(tmp_path / "dataset" / "train"))
    expected = {}
    for user, assistant in train["messages"]:
        example = encode_chat(tokenizer, user["content"], assistant["content"])
        expected[tuple(example.ids)] = [i if learned else IGNORED for i, learned in zip(example.ids, example.answer_mask)]
    seen = []
    for batch in trainer.get_train_dataloader():
        if packing:  # one padding-free row; the texts start where position_ids restart
            starts = (batch["position_ids"][0] == 0).nonzero().flatten().tolist()
            pieces = [(0, a, b) for a, b in zip(starts, starts[1:] + [batch["input_ids"].shape[1]])]
        else:  # padded rows
            pieces = [(r, 0, int(batch["attention_mask"][r].sum())) for r in range(batch["input_ids"].shape[0])]
            assert (batch["labels"][batch["attention_mask"] == 0] == IGNORED).all()
        for row, a, b in pieces:
            ids = tuple(batch["input_ids"][row, a:b].tolist())
            if ids in expected:
                assert batch["labels"][row, a:b].tolist() == expected[ids]
                seen.append(ids)
    assert sorted(seen) == sorted(expected)  # every chat example once an epoch


@pytest.mark.parametrize(
    "template, problem",
    [
        ("{{ raise_exception('this template needs a system message') }}", "cannot render a user/assistant pair"),
        ("{% for m in messages %}{{ m['content'] }}\n{% endfor %}", "writes no end-of-turn token (<|endoftext|>) after an answer"),
    ],
)
def test_a_template_that_cannot_render_is_one_line_naming_the_model_and_the_way_out(tiny_model_dir, tmp_path, template, problem):
    """Found from the tokenizer alone, before any weights load: the model folder here has none."""
    from transformers import AutoTokenizer

    model = tmp_path / "no-weights"
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    tokenizer.chat_template = template
    tokenizer.save_pretrained(model)
    shutil.copy(tiny_model_dir / "config.json", model / "config.json")
    posts = brand_posts(6, seed=2)
    save_dataset(tmp_path / "dataset", posts[2:], posts[:2])
    config = str(write_config(tmp_path, model, {"max_length": 256}))
    with pytest.raises(ConfigError) as error:
        stage_main("04_finetune.py")(["--config", config])
    message = str(error.value)
    assert f"the chat template of {model} {problem}" in message and "\n" not in message
    assert "train without chat examples (finetune.formats=[continuation])" in message
    assert stage_main("04_finetune.py")(["--config", config, "--dry-run", "finetune.formats=[continuation]"]) == 0


def test_chat_training_on_a_dataset_from_before_the_requests_says_rerun_stage_3(tiny_model_dir, tmp_path):
    posts = brand_posts(6, seed=2)
    save_dataset(tmp_path / "dataset", posts[2:], posts[:2], messages=False)
    config = str(write_config(tmp_path, tiny_model_dir, {"max_length": 256}))
    with pytest.raises(StageError, match=r"train has no 'messages' column \(an older stage 3 made it\): rerun 03_build_dataset.py"):
        stage_main("04_finetune.py")(["--config", config, "--dry-run"])
    assert stage_main("04_finetune.py")(["--config", config, "--dry-run", "finetune.formats=[continuation]"]) == 0


def test_the_plain_template_is_saved_with_the_adapter_and_the_merged_model(llama2_base, tmp_path):
    """A base without a chat template trains with the plain one; the adapter's and the merged model's
    tokenizers carry it, and the merged one renders every training example to what stage 4 trained on."""
    from transformers import AutoTokenizer

    posts = brand_posts(14, seed=7)
    save_dataset(tmp_path / "dataset", posts[4:], posts[:4])
    config = write_config(
        tmp_path,
        llama2_base,
        {
            "max_length": 256,
            "tokens_per_batch": 1024,
            "num_train_epochs": 1,
            "learning_rate": 1e-3,
            "save_steps": 100,
            "report_to": ["none"],
        },
    )
    assert stage_main("04_finetune.py")(["--config", str(config)]) == 0
    manifest = json.loads((tmp_path / "adapter" / "manifest.json").read_text())
    assert manifest["chat_template"] == PLAIN and manifest["counts"]["by_format"]["train"]["chat"]["examples"] == 10
    plain = "{{ bos_token }}" + PLAIN_CHAT_TEMPLATE
    assert AutoTokenizer.from_pretrained(tmp_path / "adapter").chat_template == plain
    assert AutoTokenizer.from_pretrained(llama2_base).chat_template is None  # the base itself is untouched
    assert stage_main("05_merge.py")(["--config", str(config)]) == 0
    assert assert_merged_template_is_the_trained_one(tmp_path / "merged", config) == 10


def test_a_messages_row_without_a_request_and_answer_says_to_rerun_stage_3():
    from brandtone.textformat import conversation, request_and_answer

    assert request_and_answer(conversation("Write a caption", "Chai time!"), "row 0") == ("Write a caption", "Chai time!")
    for broken in ([], [{"role": "assistant", "content": "Chai time!"}], conversation("  ", "Chai time!")[:1]):
        with pytest.raises(
            StageError, match=r"^row 3: its messages column has no user request and assistant answer: rerun 03_build_dataset.py$"
        ):
            request_and_answer(broken, "row 3")
