# Released together with the suite: this plugin installs bizmooc-xblocks at the same version.
__version__ = "0.2.0"
