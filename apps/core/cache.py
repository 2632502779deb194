"""What every key of the shared page and fragment cache carries (see apps/core/pagecache.py).

- The release (``settings.RELEASE``): pages and fragments stored by one deploy are never read by
  another, so a change to what a fragment holds needs no hand-bumped ``v2`` in its name.
- The generation: one number, bumped when a write to a public model commits, that every stored
  page and fragment is checked against.

No Django imports here: the settings read the release through :func:`git_commit`.
"""

from pathlib import Path


def generation_key(name: str) -> str:
    """The cache key holding a generation (read together with the entries it guards)."""
    return f"generation:{name}"


def git_commit(base_dir: Path) -> str:
    """The commit checked out in ``base_dir``, read from ``.git`` without running git ("" if unknown)."""
    try:
        git = Path(base_dir) / ".git"
        if git.is_file():  # a worktree or submodule: ".git" names the real directory
            git = (git.parent / git.read_text().strip().removeprefix("gitdir:").strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head  # a detached HEAD is the commit itself
        ref = head.removeprefix("ref:").strip()
        common = git / "commondir"  # a worktree keeps its branches in the main repository
        git = (git / common.read_text().strip()).resolve() if common.is_file() else git
        loose = git / ref
        if loose.is_file():
            return loose.read_text().strip()
        packed = git / "packed-refs"
        for line in packed.read_text().splitlines() if packed.is_file() else ():
            commit, _, name = line.partition(" ")
            if name.strip() == ref:
                return commit
    except OSError:
        pass
    return ""
