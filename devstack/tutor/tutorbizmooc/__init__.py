"""Tutor plugin for the BizMOOC XBlocks suite (`bizmooc-xblocks`). The hooks are in `plugin.py`."""
