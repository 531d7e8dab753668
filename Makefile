# The targets Open edX's tooling expects of a plugin. Development itself uses the README's two
# commands (devstack/run, scripts/test).
.PHONY: extract_translations

# OEP-58: openedx-translations runs this and reads the English source catalogue from
# xblocks/conf/locale/en/LC_MESSAGES/django.po; translations come back through `atlas pull`
# into conf/plugins-locale/xblock.v1/xblocks, where the platform looks first (xblocks/common/seams.py, 3).
extract_translations:
	bash scripts/i18n --source
