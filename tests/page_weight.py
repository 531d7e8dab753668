"""DESIGN.md's page budget, measured the same way for every block: at most 20 KB of the
component's own JS+CSS that a page loads up front (the shared helper and the runtime's files
apart). Each block's page-weight test says only which files its pages may load."""
import importlib.resources

BUDGET = 20 * 1024
ROOT = importlib.resources.files("xblocks")   # resource URIs are relative to the collected root


def prefix(block_type):
    """How the test runtime names a block type's resource URLs."""
    return f"/resource/{block_type}/"


def own_files(fragment, block_type):
    """The block's own files a fragment links to (not the shared helper, not the runtime's)."""
    start = prefix(block_type)
    return [r.data[len(start):] for r in fragment.resources
            if r.kind == "url" and r.data.startswith(start) and not r.data.startswith(start + "common/")]


def weight(files):
    """Bytes of these files (URIs relative to `xblocks/`), as a browser downloads them."""
    return sum(len(ROOT.joinpath(name).read_bytes()) for name in files)
