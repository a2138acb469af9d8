"""What a REF of `ladder diff` names: a folder, a git revision, or the current content.

A REF holds two parts, the rules and the catalogues (with the profile schema). A folder with a
`rules/` or `catalogs/` subfolder (a copy of the content, a clone) gives those; any other folder
gives its own YAML files, sorted by `kind`. Anything that is not a folder is a git revision of
the repository the command runs in (else of ladder's own clone): the same folders as the
current content, read at that revision straight from git, never written to disk. A part a REF
does not have is taken from the current content, so a folder with only the edited `catalogs/`
compares just the catalogues; the output says which parts came from where.

A problem in a revision's file is named `REV:path/in/repo.yaml:line:col`, a file a user can open
with `git show`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from engine.files.source import source_from_bytes
from engine.knowledge.assemble import (
    DEFAULT_CATALOGS,
    DEFAULT_RULES,
    ROOT,
    Document,
    Knowledge,
    assemble,
    read_document,
    read_files,
    sort_paths,
)
from engine.ruletest.run import shown
from engine.text.diagnostics import InputError, diag

PARTS = ("rules", "catalogs")
GIT_TIMEOUT = 60
"""Seconds for one git command; reading a few YAML files takes milliseconds."""


@dataclass(frozen=True)
class Content:
    """The current content: the `--rules` and `--catalog` paths, or the shipped folders."""

    rules: tuple[Path, ...] = (DEFAULT_RULES,)
    catalogs: tuple[Path, ...] = (DEFAULT_CATALOGS,)
    examples: tuple[Path, ...] | None = None
    """The example cases of the default cohort; None: the shipped ones."""

    def paths(self, part: str) -> tuple[Path, ...]:
        return self.rules if part == "rules" else self.catalogs


@dataclass
class LoadedRef:
    """One side of a diff: its knowledge base and where each part came from."""

    ref: str | None
    """As the user gave it; None for the current content."""
    kind: Literal["current", "folder", "git"]
    kb: Knowledge
    where: dict[str, str]
    """Part ("rules", "catalogs") -> where it was read, as a user would name it."""
    from_current: tuple[str, ...] = ()
    """The parts the REF does not have, taken from the current content."""
    commit: str | None = None
    inputs: list[Path] = field(default_factory=list)
    """Files and folders read from disk (so that --out never overwrites them)."""


def _shown(paths: tuple[Path, ...] | list[Path]) -> str:
    return ", ".join(str(shown(p)) for p in paths)


def load_ref(ref: str | None, option: str, current: Content, cwd: Path | None = None) -> LoadedRef:
    """The knowledge base a REF names; InputError (pinned to the option, or to a file) otherwise."""
    if ref is None:
        documents = read_files([*current.catalogs, *current.rules])
        kb = assemble(documents, list(current.rules), list(current.catalogs))
        return LoadedRef(None, "current", kb, {p: _shown(current.paths(p)) for p in PARTS},
                         inputs=[*current.rules, *current.catalogs])
    path = Path(ref)
    if path.is_dir():
        return _from_folder(ref, path, option, current)
    return _from_git(ref, option, current, cwd or Path.cwd())


def _complete(ref: str, kind: Literal["folder", "git"], option: str, documents: list[Document],
              where: dict[str, str], current: Content, commit: str | None = None,
              inputs: list[Path] | None = None) -> LoadedRef:
    """The REF's own parts (those in `where`), the missing ones from the current content, cross-checked as one."""
    if not where:
        raise InputError([diag(option, (1, 1), "ref-empty", ref=ref)])
    missing = tuple(p for p in PARTS if p not in where)
    read: list[Path] = list(inputs or [])
    folders = {part: [Path(where[part])] if part in where else list(current.paths(part)) for part in PARTS}
    for part in missing:
        documents = documents + read_files(list(current.paths(part)))
        where[part] = _shown(current.paths(part))
        read += current.paths(part)
    kb = assemble(documents, folders["rules"], folders["catalogs"])
    return LoadedRef(ref, kind, kb, {p: where[p] for p in PARTS}, missing, commit, read)


def _from_folder(ref: str, folder: Path, option: str, current: Content) -> LoadedRef:
    where: dict[str, str] = {}
    if any((folder / part).is_dir() for part in PARTS):
        read = [folder / part for part in PARTS if (folder / part).is_dir()]
        where = {path.name: _shown([path]) for path in read}
        files = read
    else:
        found = sort_paths([folder])
        if found.problems:
            raise InputError(found.problems)
        read = [folder]
        # sort_paths adds the shipped profile schema to catalogues given without one; the
        # catalogues count as the REF's own only when one of them is in the folder.
        own_catalogs = [p for p in found.catalogs if p.parent.resolve() == folder.resolve()]
        where = {part: _shown([folder]) for part, own in (("rules", found.rules), ("catalogs", own_catalogs)) if own}
        files = [*found.rules, *(found.catalogs if own_catalogs else [])]
    # Both parts are read at once, so that every problem in either is reported.
    return _complete(ref, "folder", option, read_files(files) if files else [], where, current, inputs=read)


# --- git ----------------------------------------------------------------------------------------


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes] | None:
    """A git command in `repo`, or None when git cannot be run at all."""
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                              timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def repository(cwd: Path) -> Path | None:
    """The top folder of the git repository `cwd` is in, else of ladder's own clone, else None."""
    for start in (cwd, ROOT):
        found = _git(start, "rev-parse", "--show-toplevel")
        if found is not None and found.returncode == 0:
            return Path(found.stdout.decode("utf-8", "replace").strip())
    return None


def _commit(repo: Path, ref: str) -> str | None:
    # A REF starting with "-" would be read by git as an option; no revision starts with one.
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        return None
    found = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found is None or found.returncode != 0:
        return None
    return found.stdout.decode().strip()


def _in_repo(repo: Path, paths: tuple[Path, ...], default: str) -> list[str]:
    """The current content's folders as paths inside the repository, else the usual folder name."""
    top = repo.resolve()
    out = []
    for path in paths:
        resolved = path.resolve()
        if resolved != top and top not in resolved.parents:
            return [default]
        out.append(resolved.relative_to(top).as_posix())
    return out or [default]


def _tree(repo: Path, commit: str, path: str) -> list[tuple[str, str]]:
    """(path in the repository, blob id) of the YAML files a folder holds at `commit` (not its
    subfolders, as for a folder on disk), or of the file itself; empty when it is not there."""
    found = _git(repo, "ls-tree", "-z", commit, "--", path)
    if found is None or found.returncode != 0 or not found.stdout:
        return []
    entry = found.stdout.split(b"\0")[0].decode("utf-8", "replace")
    meta, name = entry.split("\t", 1)
    mode, kind, blob = meta.split(" ")
    if kind == "blob":
        return [(name, blob)] if mode in ("100644", "100755") else []
    if kind != "tree":
        return []
    listing = _git(repo, "ls-tree", "-z", commit, "--", path.rstrip("/") + "/")
    if listing is None or listing.returncode != 0:
        return []
    out = []
    for item in listing.stdout.split(b"\0"):
        if not item:
            continue
        meta, name = item.decode("utf-8", "replace").split("\t", 1)
        mode, kind, blob = meta.split(" ")
        if kind == "blob" and mode in ("100644", "100755") and name.endswith((".yaml", ".yml")):
            out.append((name, blob))
    return sorted(out)


def _blobs(repo: Path, ids: list[str]) -> list[bytes]:
    """The contents of blobs, read in one `git cat-file --batch`."""
    found = _git(repo, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode())
    if found is None or found.returncode != 0:
        raise RuntimeError("git cat-file failed")
    out, data, at = [], found.stdout, 0
    for _ in ids:
        end = data.index(b"\n", at)
        size = int(data[at:end].split(b" ")[2])
        out.append(data[end + 1:end + 1 + size])
        at = end + 1 + size + 1
    return out


def _from_git(ref: str, option: str, current: Content, cwd: Path) -> LoadedRef:
    repo = repository(cwd)
    if repo is None:
        raise InputError([diag(option, (1, 1), "ref-no-git", ref=ref)])
    commit = _commit(repo, ref)
    if commit is None:
        raise InputError([diag(option, (1, 1), "ref-unknown", ref=ref, repo=str(repo))])
    documents: list[Document] = []
    where: dict[str, str] = {}
    problems = []
    for part in PARTS:
        folders = _in_repo(repo, current.paths(part), part)
        files = [f for folder in folders for f in _tree(repo, commit, folder)]
        if not files:
            continue
        where[part] = ", ".join(f"{ref}:{folder}" for folder in folders)
        for (name, _), raw in zip(files, _blobs(repo, [blob for _, blob in files]), strict=True):
            try:
                source = source_from_bytes(raw, f"{ref}:{name}")
                documents.append((source, read_document(source)))
            except InputError as error:
                problems += error.diagnostics
    if problems:
        raise InputError(problems)
    return _complete(ref, "git", option, documents, where, current, commit)
