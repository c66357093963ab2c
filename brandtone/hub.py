"""Pushing an output folder (the merged model, the adapter) to the Hugging Face Hub.

One function for `merge.push_to_hub` and `finetune.push_to_hub`: the token comes from HF_TOKEN
only, the repository is created when missing (private unless `*.hub_private` is false), and a
failure says which setting asked for the push and that the local folder is kept.
"""

from __future__ import annotations

from pathlib import Path

from brandtone.errors import StageError


def push_folder(folder: Path, repo_id: str, private: bool, setting: str, log) -> None:
    """Upload `folder` to the model repository `repo_id`; `setting` names the config key that asked."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    from brandtone.credentials import get_secret

    token = get_secret("HF_TOKEN")
    if not token:
        raise StageError(
            f"{setting} is true but HF_TOKEN is not set: export HF_TOKEN=... (a write token),"
            f" or set {setting}=false; the folder is kept in {folder}"
        )
    api = HfApi(token=token)
    try:
        api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
        api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="model", commit_message=f"brandtone: {Path(folder).name}")
    except (HfHubHTTPError, OSError) as exc:
        raise StageError(f"push to {repo_id} failed ({str(exc).splitlines()[0]}); the folder is kept in {folder}") from None
    log.info("pushed %s to https://huggingface.co/%s (%s)", folder, repo_id, "private" if private else "public")
